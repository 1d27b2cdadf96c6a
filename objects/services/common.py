"""What the object services share: the next object number, and the page cache's bump."""

from django.db import transaction
from django.db.models import Max

from objects.models import TraceObject
from traceobject import page_cache


def next_number() -> int:
    return (TraceObject.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def bump_after_commit(*names: str) -> None:
    """Make the cached public pages stale once the caller's transaction commits (at once when
    there is none). After the commit, never before: a request between a bump and the commit
    would render the old rows and cache them under the new version. No names: every version
    (pages and the public results)."""
    transaction.on_commit(lambda: page_cache.bump(*names))
