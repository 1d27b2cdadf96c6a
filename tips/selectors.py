"""Reads for the back-office: the triage queue, duplicates, clusters, search, per-object figures.

Each one is bounded: no unbounded COUNT(*), a LIMIT on every list; the full-text search uses the
expression index from migration tips 0003 (the SQL below must match it exactly) and the
duplicate finder the trigram index from migration tips 0005.
"""

import difflib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, Count, Max, Min, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from objects.models import TraceObject
from tips import answers
from tips.models import Tip
from traceobject.paginator import CappedCount

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
# The latest tips of the same proposed answer each tip is scored against (with its first).
ANSWER_WINDOW = 100
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


def _side(tip: Tip) -> answers.PairSide:
    terms = tip.answer_terms
    if not terms:
        # Stored before answers were proposed (manage.py propose_answers fills them): its names
        # are read here, without the object's own words.
        found = answers.tip_names(place=tip.place, body=tip.body)
        terms = {"names": found.keys, "common": sorted(found.common)}
    return answers.PairSide(
        key=tip.answer_key,
        names=tuple(terms.get("names", ())),
        several=bool(terms.get("several")),
        link=tip.link,
        country=str(tip.country or ""),
        common=frozenset(terms.get("common", ())),
    )


def tip_duplicates(*, tip: Tip, limit: int = 8) -> list[Tip]:
    """Likely duplicates on the same object, best first: each found tip carries `.score`
    (tips.answers.pair_score) and the first carries `.preselect` when its score is at least
    answers.PRESELECT_FROM; only tips scoring answers.LIST_FROM or more are listed.

    A fixed number of queries whatever the number of tips, and bounded work:
    - tips with the same proposed answer: the answer's first tip and its latest ANSWER_WINDOW
      tips (index tip_object_answer_idx), scored in Python;
    - the same link, or the same country and place (equality lookups within the object);
    - for a tip that names nothing, the wording: pg_trgm similarity among the object's latest
      DUPLICATE_WINDOW tips (index tip_object_received_idx), and older tips through the trigram
      index (tip_body_trgm_idx) within DUPLICATE_OLDER_MS, scored by that similarity. On an
      object where thousands of tips read alike, ranking them all would take seconds; the search
      then gives the first it finds, or nothing when the time is up, and logs that it was cut
      short.
    """
    same = Tip.objects.filter(trace_object_id=tip.trace_object_id).exclude(pk=tip.pk)
    found: dict[int, Tip] = {}
    wording: dict[int, float] = {}
    if tip.answer_key:
        answer = same.filter(answer_key=tip.answer_key)
        first = answer.order_by("received_at", "pk")[:1]
        for other in list(first) + list(answer.order_by("-received_at", "-pk")[:ANSWER_WINDOW]):
            found[other.pk] = other
    if tip.link:
        for other in same.filter(link=tip.link)[:limit]:
            found[other.pk] = other
    if tip.country and tip.place.strip():
        for other in same.filter(country=tip.country, place__iexact=tip.place.strip())[:limit]:
            found.setdefault(other.pk, other)
    names_nothing = not tip.answer_key and not (tip.answer_terms or {}).get("several")
    if names_nothing and _postgres():
        wording = dict(_similar_recent(tip, limit) + _similar_older(tip, limit))
        rows = Tip.objects.in_bulk([pk for pk in wording if pk not in found])
        found.update(rows)
    elif names_nothing:
        # SQLite (development only): compare with the object's latest 500 tips in Python.
        mine = normalise(tip.body)
        for other in same.order_by("-received_at")[:500]:
            ratio = difflib.SequenceMatcher(None, mine, normalise(other.body)).ratio()
            if ratio >= 0.6:
                wording[other.pk] = ratio
                found.setdefault(other.pk, other)
    mine_side = _side(tip)
    scored = []
    for other in found.values():
        score = answers.pair_score(mine_side, _side(other))
        if other.pk in wording and not other.answer_key:
            # Wording alone, between tips that name nothing: never pre-selected.
            score = max(score, min(wording[other.pk], answers.PRESELECT_FROM - 0.01))
        if score >= answers.LIST_FROM:
            other.score = score  # type: ignore[attr-defined]  # shown by the list
            other.preselect = False  # type: ignore[attr-defined]
            scored.append(other)
    scored.sort(key=lambda t: (-t.score, t.received_at, t.pk))  # type: ignore[attr-defined]
    chosen = scored[:limit]
    if chosen and chosen[0].score >= answers.PRESELECT_FROM:  # type: ignore[attr-defined]
        chosen[0].preselect = True  # type: ignore[attr-defined]
    return chosen


def _similar_recent(tip: Tip, limit: int) -> list[tuple[int, float]]:
    """(id, similarity) of the most similar among the object's latest DUPLICATE_WINDOW tips,
    best first.

    pg_trgm lower-cases and splits words at every non-alphanumeric character, so the raw text
    gives the same trigrams as a normalised copy. similarity() is the cost (tens of microseconds
    a row): it is computed once per row inside the LIMITed subquery, then filtered and sorted by
    name. Constant SQL only; every value is a parameter.
    """
    sql = (
        "SELECT id, score FROM (SELECT id, similarity(body, %s) AS score FROM tips_tip "
        "WHERE trace_object_id = %s AND id <> %s ORDER BY received_at DESC, id DESC LIMIT %s) "
        "AS recent "
        "WHERE score >= %s ORDER BY score DESC, id DESC LIMIT %s"
    )
    params: list[str | int | float | None] = [
        tip.body,
        tip.trace_object_id,
        tip.pk,
        DUPLICATE_WINDOW,
        DUPLICATE_SIMILARITY,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_same_object(sql, tip), params)
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _same_object(sql: str, tip: Tip) -> str:
    """The SQL for a general report, which is compared with the other general reports: their
    trace_object_id is NULL, which `= %s` never matches, while IS NULL uses the same indexes.
    The parameter (NULL) keeps its place, so the parameter list is the same for both."""
    if tip.trace_object_id is not None:
        return sql
    return sql.replace("trace_object_id = %s", "(%s IS NULL AND trace_object_id IS NULL)")


# Tips of the object older than the ranked window (the row comparison with the window's last
# tip; tips share received_at, which is kept to the hour); none when the window holds them all.
OLDER_SQL = (
    "SELECT id, similarity(body, %s) FROM tips_tip WHERE trace_object_id = %s AND id <> %s "
    "AND body %% %s AND similarity(body, %s) >= %s "
    "AND (received_at, id) < (SELECT received_at, id FROM tips_tip "
    "WHERE trace_object_id = %s AND id <> %s "
    "ORDER BY received_at DESC, id DESC OFFSET %s LIMIT 1) LIMIT %s"
)


def _similar_older(tip: Tip, limit: int) -> list[tuple[int, float]]:
    """(id, similarity) of up to `limit` similar tips among the object's tips older than the
    ranked window, found through the trigram index, within DUPLICATE_OLDER_MS; [] when the
    time is up.

    The time limit is set for this statement only (set_config(..., true) inside a savepoint, put
    back afterwards; a cancelled statement rolls the savepoint and the setting back).
    """
    params: list[str | int | float | None] = [
        tip.body,
        tip.trace_object_id,
        tip.pk,
        tip.body,
        tip.body,
        DUPLICATE_SIMILARITY,
        tip.trace_object_id,
        tip.pk,
        DUPLICATE_WINDOW - 1,
        limit,
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), "
                "set_config('statement_timeout', %s, true)",
                [f"{DUPLICATE_OLDER_MS}ms"],
            )
            previous = cursor.fetchone()[0]
            cursor.execute(_same_object(OLDER_SQL, tip), params)
            ids = [(row[0], float(row[1])) for row in cursor.fetchall()]
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return ids
    except OperationalError as error:
        # psycopg 3 names the SQLSTATE `sqlstate`, psycopg2 `pgcode`; Django uses either.
        cause = error.__cause__
        code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if code != QUERY_CANCELED:
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


@dataclass
class ProposedAnswer:
    """One proposed answer of an object: its tips share an answer key (spam left out)."""

    key: str
    label: str
    support: int  # independent tips: one tip, one tipster
    new: int
    folded: int  # tips already marked duplicates (confirmed)
    first_seen: datetime
    last_seen: datetime
    first: Tip | None
    countries: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)


def object_answers(
    *, object_id: int | None, limit: int = 20, key: str = ""
) -> list[ProposedAnswer]:
    """The object's proposed answers, most supported first, with their countries and languages
    (top five each), first and last seen. Three grouped queries on the object's tips with an
    answer (index tip_object_answer_idx) and one read of each answer's first tip."""
    base = (
        Tip.objects.filter(trace_object_id=object_id)
        .exclude(answer_key="")
        .exclude(status=S.SPAM)
        .order_by()
    )
    if key:
        base = base.filter(answer_key=key)
    rows = list(
        base.values("answer_key")
        .annotate(
            support=Count("*"),
            new=Count("status", filter=Q(status=S.NEW)),
            folded=Count("status", filter=Q(status=S.DUPLICATE)),
            first_seen=Min("received_at"),
            last_seen=Max("received_at"),
            first_id=Min("id"),
        )
        .order_by("-support", "answer_key")[:limit]
    )
    keys = [row["answer_key"] for row in rows]
    firsts = Tip.objects.in_bulk([row["first_id"] for row in rows])
    spread: dict[str, dict[str, list]] = {k: {"countries": [], "languages": []} for k in keys}
    for field_name, bucket in (("country", "countries"), ("detected_language", "languages")):
        counts = (
            base.filter(answer_key__in=keys)
            .exclude(**{field_name: ""})
            .values_list("answer_key", field_name)
            .annotate(n=Count("*"))
            .order_by("answer_key", "-n", field_name)
        )
        for answer_key, value, n in counts:
            if len(spread[answer_key][bucket]) < 5:
                spread[answer_key][bucket].append((value, n))
    found = []
    for row in rows:
        first = firsts.get(row["first_id"])
        found.append(
            ProposedAnswer(
                key=row["answer_key"],
                label=(first.answer_label if first else "") or row["answer_key"],
                support=row["support"],
                new=row["new"],
                folded=row["folded"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
                first=first,
                countries=spread[row["answer_key"]]["countries"],
                languages=spread[row["answer_key"]]["languages"],
            )
        )
    return found


def tip_answer(*, tip: Tip) -> ProposedAnswer | None:
    """The tip's proposed answer with its support (the queue, the tip page)."""
    if not tip.answer_key:
        return None
    found = object_answers(object_id=tip.trace_object_id, key=tip.answer_key, limit=1)
    return found[0] if found else None


def capped_count(queryset) -> int:
    """COUNT(*) of at most STAFF_LIST_COUNT_CAP + 1 rows; past the cap it reads "10000+"."""
    cap = settings.STAFF_LIST_COUNT_CAP
    counted = queryset.order_by()[: cap + 1].count()
    return CappedCount(counted) if counted > cap else counted


def queue_left(*, object_id: int | None = None) -> int:
    """How many new tips wait in the queue (capped; index tip_status_received_id_idx)."""
    queue = Tip.objects.filter(status=S.NEW)
    if object_id:
        queue = queue.filter(trace_object_id=object_id)
    return capped_count(queue)


def desk_summary(*, objects: int = 5, answers_each: int = 3) -> dict:
    """The investigators' front page: new tips waiting, the objects with most of them and
    their top answers. One capped count, one grouped count of new tips by object (index
    tip_object_status_idx), one read of the objects, and object_answers for each. General
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
                "answers": object_answers(object_id=pk, limit=answers_each),
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
