"""Version stamps for public data, and the server-side cache of public pages built on them.

Services bump a version whenever they change what a public page shows (objects, images,
translations, categories: "pages"; tips too: "stats"). Cached pages and statistics are keyed by
the version, so a bump makes every old entry unreachable at once, on every app node sharing the
cache. Nothing relies on signals: a write that bypasses the services is not a public write.
"""

import hashlib
import time
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import condition

PAGES = "pages"
STATS = "stats"


def _key(name: str) -> str:
    return f"public:version:{name}"


def version(name: str) -> int:
    """The current version (nanoseconds since the epoch of the last change) of a namespace."""
    value = cache.get(_key(name))
    if value is None:
        # An empty cache (restart, flush) starts a new version: old pages are simply rebuilt.
        cache.add(_key(name), time.time_ns(), None)
        value = cache.get(_key(name)) or time.time_ns()
    return value


def _bump_now(*names: str) -> None:
    now = time.time_ns()
    cache.set_many({_key(name): now for name in names}, None)


def bump(*names: str) -> None:
    """Mark public data as changed: now, and again when the transaction commits.

    The second bump closes the gap in which another request could render the old rows under the
    new version and cache them; the first makes the change visible at once to this request and
    to code running outside a transaction.
    """
    names = names or (PAGES, STATS)
    _bump_now(*names)
    transaction.on_commit(lambda: _bump_now(*names))


def _stamp(request):
    """(pages version, newest publication time) for this request, computed once.

    The newest publication time covers objects scheduled for later: they appear when their
    time comes without any write, and that must change the ETag too.
    """
    if not hasattr(request, "_public_stamp"):
        from objects.models import TraceObject

        latest = TraceObject.objects.published().aggregate(latest=Max("published_at"))["latest"]
        request._public_stamp = (version(PAGES), latest)
    return request._public_stamp


def _etag(request, *args, **kwargs):
    pages, latest = _stamp(request)
    # Host and scheme too: the page holds absolute URLs (hreflang, Open Graph, share links).
    raw = f"{pages}|{latest}|{get_language()}|{request.scheme}://{request.get_host()}"
    raw += request.get_full_path()
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    pages, latest = _stamp(request)
    changed = datetime.fromtimestamp(pages / 1e9, tz=UTC)
    return max(changed, latest) if latest else changed


def cached_page(view):
    """Serve a public GET page from the cache, with ETag/Last-Modified and 304 answers.

    Only 200 responses are stored, for PUBLIC_PAGE_CACHE_SECONDS, under a key made of the
    version, the language and the full path, so a change to any object is a miss everywhere.
    """

    @wraps(view)
    def cached(request, *args, **kwargs):
        key = "public:page:" + _etag(request)
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                settings.PUBLIC_PAGE_CACHE_SECONDS,
            )
        return response

    return condition(etag_func=_etag, last_modified_func=_last_modified)(cached)


def cached_value(name: str, namespace: str, compute):
    """A computed value cached under the namespace's current version (e.g. the statistics)."""
    key = f"public:value:{name}:{version(namespace)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return value
