"""Reads for the back-office: the triage queue, duplicates, clusters, search, per-object figures.

Each one is bounded: no unbounded COUNT(*), a LIMIT on every list, and the PostgreSQL paths use
the expression indexes from migration tips 0003 (the SQL below must match them exactly).
"""

import difflib
import re

from django.db import connection
from django.db.models import BooleanField, Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from tips.models import Tip

S = Tip.Status

# Same expression as the index tip_norm_trgm_idx: lower case, every run of non-alphanumerics
# replaced by one space.
NORMALISED_SQL = "lower(regexp_replace(tips_tip.body, '[^[:alnum:]]+', ' ', 'g'))"
# Same expression as the index tip_fts_idx ('simple': tips come in every language).
FTS_SQL = "to_tsvector('simple'::regconfig, tips_tip.body || ' ' || tips_tip.place)"
# pg_trgm's default threshold for the % operator (which the trigram index serves).
DUPLICATE_SIMILARITY = 0.3


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def normalise(text: str) -> str:
    return re.sub(r"[^\w]+|_", " ", text.lower()).strip()


def tip_search(queryset, term: str):
    """Full-text search over the tip text and place (GIN index on PostgreSQL)."""
    term = term.strip()
    if not term:
        return queryset
    if _postgres():
        # The expression is fixed SQL; only the search term is a parameter.
        sql = f"{FTS_SQL} @@ plainto_tsquery('simple'::regconfig, %s)"
        match = RawSQL(sql, [term], output_field=BooleanField())  # noqa: S611
        return queryset.alias(fts=match).filter(fts=True)
    return queryset.filter(Q(body__icontains=term) | Q(place__icontains=term))


def tip_duplicates(*, tip: Tip, limit: int = 8) -> list[Tip]:
    """Likely duplicates on the same object: similar wording, the same link, or the same
    country and brand/place. Newest first, at most `limit`."""
    same = Tip.objects.filter(trace_object_id=tip.trace_object_id).exclude(pk=tip.pk)
    found: dict[int, Tip] = {}
    if tip.link:
        for other in same.filter(link=tip.link)[:limit]:
            found[other.pk] = other
    if tip.country and tip.place.strip():
        for other in same.filter(country=tip.country, place__iexact=tip.place.strip())[:limit]:
            found.setdefault(other.pk, other)
    if _postgres():
        # Only constant SQL is formatted in; every value is a parameter.
        sql = (
            f"SELECT id FROM tips_tip WHERE trace_object_id = %s AND id <> %s AND "  # noqa: S608
            f"{NORMALISED_SQL} %% lower(regexp_replace(%s, '[^[:alnum:]]+', ' ', 'g')) "
            f"ORDER BY similarity({NORMALISED_SQL}, "
            f"lower(regexp_replace(%s, '[^[:alnum:]]+', ' ', 'g'))) DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [tip.trace_object_id, tip.pk, tip.body, tip.body, limit])
            ids = [row[0] for row in cursor.fetchall()]
        for other in Tip.objects.filter(pk__in=ids):
            found.setdefault(other.pk, other)
    else:
        # SQLite (development): compare with the object's latest 500 tips in Python.
        mine = normalise(tip.body)
        for other in same.order_by("-received_at")[:500]:
            ratio = difflib.SequenceMatcher(None, mine, normalise(other.body)).ratio()
            if ratio >= 0.6:
                found.setdefault(other.pk, other)
    return sorted(found.values(), key=lambda t: (t.received_at, t.pk), reverse=True)[:limit]


def tip_clusters(*, object_id: int, limit: int = 50) -> list[dict]:
    """Each answer on an object and how many independent tips support it (itself plus the
    tips marked duplicates of it), most supported first."""
    roots = (
        Tip.objects.filter(trace_object_id=object_id, duplicate_of__isnull=True)
        .exclude(status=S.SPAM)
        .annotate(support=Count("duplicates") + 1)
        .filter(support__gt=1)
        .order_by("-support", "-received_at")[:limit]
    )
    return [{"tip": root, "support": root.support} for root in roots]


def tip_next_in_queue(*, after_id: int | None = None, object_id: int | None = None) -> Tip | None:
    """The oldest new tip (optionally on one object, optionally after a skipped one)."""
    queue = Tip.objects.filter(status=S.NEW)
    if object_id:
        queue = queue.filter(trace_object_id=object_id)
    if after_id:
        skipped = Tip.objects.filter(pk=after_id).values_list("received_at", flat=True).first()
        if skipped is not None:
            queue = queue.filter(
                Q(received_at__gt=skipped) | Q(received_at=skipped, pk__gt=after_id)
            )
    return queue.select_related("trace_object", "assignee").order_by("received_at", "pk").first()


def object_tip_figures(*, object_id: int, days: int = 30) -> dict:
    """Tips on one object by status, by suggested country (top 15) and by day (last `days`)."""
    from datetime import timedelta

    from django.utils import timezone

    tips = Tip.objects.filter(trace_object_id=object_id).order_by()
    by_status = dict(tips.values_list("status").annotate(n=Count("pk")))
    by_country = list(
        tips.exclude(country="")
        .values_list("country")
        .annotate(n=Count("pk"))
        .order_by("-n", "country")[:15]
    )
    since = timezone.now() - timedelta(days=days)
    by_day = list(
        tips.filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return {
        "by_status": [(label, value, by_status.get(value, 0)) for value, label in S.choices],
        "total": sum(by_status.values()),
        "by_country": by_country,
        "by_day": by_day,
    }
