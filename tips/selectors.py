"""Reads for the back-office: the triage queue, duplicates, clusters, search, per-object figures.

Each one is bounded: no unbounded COUNT(*), a LIMIT on every list; the full-text search uses the
expression index from migration tips 0003 (the SQL below must match it exactly) and the
duplicate finder the trigram index from migration tips 0005.
"""

import difflib
import logging
import re

from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from tips.models import Tip

logger = logging.getLogger(__name__)

S = Tip.Status

# Same expression as the index tip_fts_idx ('simple': tips come in every language).
FTS_SQL = "to_tsvector('simple'::regconfig, tips_tip.body || ' ' || tips_tip.place)"
# A cheap necessary condition for the match, checked before to_tsvector() on each row: with the
# 'simple' configuration every lexeme is a lower-cased piece of the text, so a matching tip's text
# contains the search's longest lexeme (LIKE-escaped; the pattern is built once, in an InitPlan).
# Sorted newest first, PostgreSQL often walks tip_received_idx and tests each tip in turn;
# to_tsvector() costs ~15 µs a tip, lower() + LIKE a small fraction of that. COALESCE makes it
# true when the search has no lexeme, and keeps the planner's row estimate near the index's
# (a bare LIKE with an unknown pattern is estimated at 0.5% and misleads the plan).
FTS_PREFILTER_SQL = (
    "COALESCE(lower(tips_tip.body || ' ' || tips_tip.place) LIKE (SELECT '%%' || "
    r"replace(replace(replace(w, '\', '\\'), '%%', '\%%'), '_', '\_') || '%%' "
    "FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, %s))) AS w "
    "ORDER BY length(w) DESC, w LIMIT 1), true)"
)
# pg_trgm similarity from which two tips count as likely duplicates. pg_trgm lower-cases and
# ignores punctuation itself, so the raw text is compared (and indexed: tip_body_trgm_idx). The
# `%` operator that lets the index find candidates uses pg_trgm.similarity_threshold (0.3 unless
# changed), which must stay at or below this.
DUPLICATE_SIMILARITY = 0.45
# How many of the object's latest tips each tip is ranked against, and the time the search among
# older tips may take (tip_duplicates).
DUPLICATE_WINDOW = 3000
DUPLICATE_OLDER_MS = 150
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement_timeout


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
        prefilter = RawSQL(FTS_PREFILTER_SQL, [term], output_field=BooleanField())  # noqa: S611
        return queryset.alias(fts=match, fts_prefilter=prefilter).filter(
            fts=True, fts_prefilter=True
        )
    return queryset.filter(Q(body__icontains=term) | Q(place__icontains=term))


def tip_duplicates(*, tip: Tip, limit: int = 8) -> list[Tip]:
    """Likely duplicates on the same object: similar wording, the same link, or the same country
    and brand/place. Newest first, at most `limit`; similar tips older than the window below keep
    at least a quarter of the places, so an old reworded tip (often a cluster's first) shows.

    A fixed number of queries whatever the number of tips, and bounded work:
    - the link and place matches are equality lookups within the object (indexes);
    - the wording is ranked by pg_trgm similarity among the object's latest DUPLICATE_WINDOW tips
      (index tip_object_received_idx), where most duplicates of a tip are;
    - older tips are searched through the trigram index (tip_body_trgm_idx, the `%` operator)
      for up to `limit` similar ones, unranked, within DUPLICATE_OLDER_MS. On an object where
      thousands of tips read alike (one shop named again and again), ranking them all would take
      seconds; the search then gives the first it finds, or nothing when the time is up, and
      logs that it was cut short.
    """
    same = Tip.objects.filter(trace_object_id=tip.trace_object_id).exclude(pk=tip.pk)
    found: dict[int, Tip] = {}
    older: dict[int, Tip] = {}
    if tip.link:
        for other in same.filter(link=tip.link)[:limit]:
            found[other.pk] = other
    if tip.country and tip.place.strip():
        for other in same.filter(country=tip.country, place__iexact=tip.place.strip())[:limit]:
            found.setdefault(other.pk, other)
    if _postgres():
        recent_ids = _similar_recent(tip, limit)
        older_ids = _similar_older(tip, limit)
        rows = Tip.objects.in_bulk(recent_ids + older_ids)
        for pk in recent_ids:
            if pk in rows:
                found.setdefault(pk, rows[pk])
        older = {pk: rows[pk] for pk in older_ids if pk in rows and pk not in found}
    else:
        # SQLite (development only): compare with the object's latest 500 tips in Python.
        mine = normalise(tip.body)
        for other in same.order_by("-received_at")[:500]:
            ratio = difflib.SequenceMatcher(None, mine, normalise(other.body)).ratio()
            if ratio >= 0.6:
                found.setdefault(other.pk, other)

    def newest_first(tips):
        return sorted(tips, key=lambda t: (t.received_at, t.pk), reverse=True)

    kept_older = newest_first(older.values())[: max(limit // 4, 1)]
    chosen = newest_first(found.values())[: limit - len(kept_older)] + kept_older
    return newest_first(chosen)


def _similar_recent(tip: Tip, limit: int) -> list[int]:
    """Ids of the most similar among the object's latest DUPLICATE_WINDOW tips, best first.

    pg_trgm lower-cases and splits words at every non-alphanumeric character, so the raw text
    gives the same trigrams as a normalised copy. similarity() is the cost (tens of microseconds
    a row): it is computed once per row inside the LIMITed subquery, then filtered and sorted by
    name. Constant SQL only; every value is a parameter.
    """
    sql = (
        "SELECT id FROM (SELECT id, similarity(body, %s) AS score FROM tips_tip "
        "WHERE trace_object_id = %s AND id <> %s ORDER BY received_at DESC, id DESC LIMIT %s) "
        "AS recent "
        "WHERE score >= %s ORDER BY score DESC, id DESC LIMIT %s"
    )
    params = [tip.body, tip.trace_object_id, tip.pk, DUPLICATE_WINDOW,
              DUPLICATE_SIMILARITY, limit]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# Tips of the object older than the ranked window (the row comparison with the window's last
# tip; tips share received_at, which is kept to the hour); none when the window holds them all.
OLDER_SQL = (
    "SELECT id FROM tips_tip WHERE trace_object_id = %s AND id <> %s AND body %% %s "
    "AND similarity(body, %s) >= %s AND (received_at, id) < (SELECT received_at, id "
    "FROM tips_tip WHERE trace_object_id = %s AND id <> %s "
    "ORDER BY received_at DESC, id DESC OFFSET %s LIMIT 1) LIMIT %s"
)


def _similar_older(tip: Tip, limit: int) -> list[int]:
    """Up to `limit` similar tips among the object's tips older than the ranked window, found
    through the trigram index, within DUPLICATE_OLDER_MS; [] when the time is up.

    The time limit is set for this statement only (set_config(..., true) inside a savepoint, put
    back afterwards; a cancelled statement rolls the savepoint and the setting back).
    """
    params = [tip.trace_object_id, tip.pk, tip.body, tip.body, DUPLICATE_SIMILARITY,
              tip.trace_object_id, tip.pk, DUPLICATE_WINDOW - 1, limit]  # fmt: skip
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), "
                "set_config('statement_timeout', %s, true)",
                [f"{DUPLICATE_OLDER_MS}ms"],
            )
            previous = cursor.fetchone()[0]
            cursor.execute(OLDER_SQL, params)
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return ids
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) != QUERY_CANCELED:
            raise
        logger.info("duplicate search among older tips cut short after %s ms", DUPLICATE_OLDER_MS)
        return []


def tip_clusters(*, object_id: int, limit: int = 50) -> list[dict]:
    """Each answer on an object and how many independent tips support it (itself plus the
    tips marked duplicates of it), most supported first."""
    counts = list(
        Tip.objects.filter(trace_object_id=object_id, duplicate_of__isnull=False)
        .order_by()
        .values_list("duplicate_of")
        .annotate(n=Count("*"))
        .order_by("-n", "duplicate_of")[:limit]
    )  # index tip_object_duplicate_idx
    roots = Tip.objects.in_bulk([root_id for root_id, _ in counts])
    return [{"tip": roots[root_id], "support": n + 1} for root_id, n in counts if root_id in roots]


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
    from datetime import timedelta

    from django.utils import timezone

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
