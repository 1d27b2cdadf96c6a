"""The investigators' queue and desk, and per-object figures: one capped count and grouped
counts, each through an index."""

from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from objects.models import TraceObject
from tips.models import Tip
from tips.selectors.leads import object_leads
from traceobject.paginator import capped_count

S = Tip.Status


def queue_left(*, object_id: int | None = None) -> int:
    """How many new tips wait in the queue (capped; index tip_status_received_id_idx)."""
    queue = Tip.objects.filter(status=S.NEW)
    if object_id:
        queue = queue.filter(trace_object_id=object_id)
    return capped_count(queue)


def desk_summary(*, objects: int = 5, leads_each: int = 3) -> dict:
    """The investigators' front page: new tips waiting, the objects with most of them and
    their top leads. One capped count, one grouped count of new tips by object (index
    tip_object_status_idx), one read of the objects, and object_leads for each. General
    reports (no object) are one more entry, with `obj` None."""
    by_object = list(
        Tip.objects.filter(status=S.NEW)
        .order_by()
        .values_list("trace_object")
        .annotate(n=Count("*"))
        .order_by("-n", "trace_object")[:objects]
    )
    found = TraceObject.objects.for_cards().in_bulk([pk for pk, _ in by_object])
    return {
        "new": queue_left(),
        "objects": [
            {
                "obj": found.get(pk),
                "new": n,
                "leads": object_leads(object_id=pk, limit=leads_each),
            }
            for pk, n in by_object
            if pk is None or pk in found
        ],
    }


def tip_next_in_queue(*, after_id: int | None = None, object_id: int | None = None) -> Tip | None:
    """The oldest new tip (optionally on one object, optionally after a skipped one)."""
    queue = Tip.objects.filter(status=S.NEW)
    if object_id:
        queue = queue.filter(trace_object_id=object_id)
    if after_id:
        skipped = Tip.objects.filter(pk=after_id).values_list("received_at", flat=True).first()
        if skipped is not None:
            # received_at >= skipped is the part an index can start from (tip_status_received_id_idx
            # or tip_object_status_idx); without it the OR walks every newer tip of every status.
            queue = queue.filter(received_at__gte=skipped).filter(
                Q(received_at__gt=skipped) | Q(received_at=skipped, pk__gt=after_id)
            )
    return queue.select_related("trace_object", "assignee").order_by("received_at", "pk").first()


def object_tip_figures(*, object_id: int, days: int = 30) -> dict:
    """Tips on one object by status, by suggested country (top 15) and by day (last `days`)."""
    # COUNT(*), not COUNT(id): the id is in none of these indexes, and counting it would make
    # each figure read every one of the object's rows from the table instead of the index alone
    # (index-only scans; at a million tips, tens of thousands of rows per object).
    tips = Tip.objects.filter(trace_object_id=object_id).order_by()
    by_status = dict(tips.values_list("status").annotate(n=Count("*")))  # tip_object_status_idx
    by_country = list(
        tips.exclude(country="")
        .values_list("country")
        .annotate(n=Count("*"))
        .order_by("-n", "country")[:15]
    )  # tip_object_country_idx
    since = timezone.now() - timedelta(days=days)
    by_day = list(
        tips.filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at"))
        .values_list("day")
        .annotate(n=Count("*"))
        .order_by("day")
    )  # tip_object_received_idx
    return {
        "by_status": [(label, value, by_status.get(value, 0)) for value, label in S.choices],
        "total": sum(by_status.values()),
        "by_country": by_country,
        "by_day": by_day,
    }
