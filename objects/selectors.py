"""Reads of objects that more than one view needs. Public reads start from published()."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from objects.models import TraceObject


class ObjectNotFound(Exception):
    """No public object has this number: a view answers 404."""


class ObjectWithdrawn(Exception):
    """The object was published once and has been withdrawn: a view answers 410, not 404."""


def published_or_gone(number: int) -> TraceObject:
    """The published object with this number. Raises ObjectWithdrawn when it was withdrawn, and
    ObjectNotFound when no public object has it (unknown or a draft)."""
    obj = TraceObject.objects.published().select_related("category").filter(number=number).first()
    if obj is not None:
        return obj
    if TraceObject.objects.filter(number=number, status=TraceObject.Status.WITHDRAWN).exists():
        raise ObjectWithdrawn
    raise ObjectNotFound(number)


def newest_object_ids() -> set[int]:
    """The few objects that get a "new" badge: the NEW_BADGE_COUNT most recently published that
    still ask for tips, if published within NEW_BADGE_DAYS. One query, whatever the page.

    A badge on every object of the last two weeks said nothing on a busy site; the newest few
    is what a returning visitor looks for.
    """
    if settings.NEW_BADGE_COUNT == 0:
        return set()
    since = timezone.now() - timedelta(days=settings.NEW_BADGE_DAYS)
    newest = (
        TraceObject.objects.published()
        .filter(status=TraceObject.Status.PUBLISHED, published_at__gte=since)
        .order_by("-published_at", "-number")
        .values_list("pk", flat=True)[: settings.NEW_BADGE_COUNT]
    )
    return set(newest)
