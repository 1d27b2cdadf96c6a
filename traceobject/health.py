"""Readiness for load balancers and orchestrators: can this node serve a real request?

``/healthz`` only says the process is alive; ``/readyz`` also reaches the
database, the cache and both storages, so a node that lost one of them is taken out of the
pool instead of answering with errors. Neither needs a session or sets a cookie.
"""

import logging
import os

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from traceobject.ratelimit_cache import ratelimit_cache

logger = logging.getLogger(__name__)

# A name looked up (never written) in each storage: the lookup is what proves it answers.
STORAGE_MARKER = ".readyz"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer to SELECT 1")


def _cache() -> None:
    # A write and a read: Redis in read-only or out-of-memory mode fails the write.
    cache.set("readyz", "1", timeout=10)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not keep a value")


def _ratelimit_cache() -> None:
    # The rate limits' own Redis (RATELIMIT_REDIS_URL), when it is not the page cache's.
    ratelimit_cache.set("readyz", "1", timeout=10)
    if ratelimit_cache.get("readyz") != "1":
        raise RuntimeError("rate-limit cache did not keep a value")


def _storage(alias: str) -> None:
    storage = storages[alias]
    storage.exists(STORAGE_MARKER)  # S3: a HEAD request, which fails if the bucket is unreachable
    # A local folder that is missing (an unmounted volume) would silently be created on the next
    # upload inside the container and lost with it; refuse to be ready instead.
    if isinstance(storage, FileSystemStorage) and not os.path.isdir(storage.location):
        raise RuntimeError("folder is missing")


CHECKS = [
    ("database", _database),
    ("cache", _cache),
    ("rate-limit cache", _ratelimit_cache),
    ("public storage", lambda: _storage("public")),
    ("private storage", lambda: _storage("private")),
]


@never_cache
@require_safe
def readyz(request):
    for name, check in CHECKS:
        try:
            check()
        except Exception as exc:
            # The type only: a driver's message can name hosts and users, and this goes to logs.
            logger.warning("readyz: %s unreachable (%s)", name, type(exc).__name__)
            return HttpResponse(f"{name} unreachable\n", content_type="text/plain", status=503)
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def healthz(request):
    """Process is alive. Touches nothing else, so it is the baseline for benchmarks."""
    return HttpResponse("ok\n", content_type="text/plain")
