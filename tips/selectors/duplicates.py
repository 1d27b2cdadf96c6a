"""Likely duplicates of a tip and the clusters of an object: bounded reads (a LIMIT on every
list; the duplicate finder uses the trigram index from migration tips 0005)."""

import difflib
import logging
import re

from django.db import OperationalError, connection, transaction
from django.db.models import Count

from tips import matching
from tips.models import Tip

logger = logging.getLogger(__name__)

# pg_trgm similarity from which two tips count as likely duplicates. pg_trgm lower-cases and
# ignores punctuation itself, so the raw text is compared (and indexed: tip_body_trgm_idx). The
# `%` operator that lets the index find candidates uses pg_trgm.similarity_threshold (0.3 unless
# changed), which must stay at or below this.
DUPLICATE_SIMILARITY = 0.45
# How many of the object's latest tips each tip is ranked against, and the time the search among
# older tips may take (tip_duplicates).
DUPLICATE_WINDOW = 3000
DUPLICATE_OLDER_MS = 150
# The latest tips of the same lead each tip is scored against (with its first).
LEAD_WINDOW = 100
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement_timeout


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def normalise(text: str) -> str:
    return re.sub(r"[^\w]+|_", " ", text.lower()).strip()


def _side(tip: Tip) -> matching.PairSide:
    terms = tip.lead_terms
    if not terms:
        # Stored before leads were proposed (manage.py propose_leads fills them): its names
        # are read here, without the object's own words.
        found = matching.tip_names(place=tip.place, body=tip.body)
        terms = {"names": found.keys, "common": sorted(found.common)}
    return matching.PairSide(
        key=tip.lead_key,
        names=tuple(terms.get("names", ())),
        several=bool(terms.get("several")),
        link=tip.link,
        country=str(tip.country or ""),
        common=frozenset(terms.get("common", ())),
    )


def tip_duplicates(*, tip: Tip, limit: int = 8) -> list[Tip]:
    """Likely duplicates on the same object, best first: each found tip carries `.score`
    (tips.matching.pair_score) and the first carries `.preselect` when its score is at least
    matching.PRESELECT_FROM; only tips scoring matching.LIST_FROM or more are listed.

    A fixed number of queries whatever the number of tips, and bounded work:
    - tips with the same lead: the lead's first tip and its latest LEAD_WINDOW
      tips (index tip_object_lead_idx), scored in Python;
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
    if tip.lead_key:
        lead = same.filter(lead_key=tip.lead_key)
        first = lead.order_by("received_at", "pk")[:1]
        for other in list(first) + list(lead.order_by("-received_at", "-pk")[:LEAD_WINDOW]):
            found[other.pk] = other
    if tip.link:
        for other in same.filter(link=tip.link)[:limit]:
            found[other.pk] = other
    if tip.country and tip.place.strip():
        for other in same.filter(country=tip.country, place__iexact=tip.place.strip())[:limit]:
            found.setdefault(other.pk, other)
    names_nothing = not tip.lead_key and not (tip.lead_terms or {}).get("several")
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
        score = matching.pair_score(mine_side, _side(other))
        if other.pk in wording and not other.lead_key:
            # Wording alone, between tips that name nothing: never pre-selected.
            score = max(score, min(wording[other.pk], matching.PRESELECT_FROM - 0.01))
        if score >= matching.LIST_FROM:
            other.score = score  # type: ignore[attr-defined]  # shown by the list
            other.preselect = False  # type: ignore[attr-defined]
            scored.append(other)
    scored.sort(key=lambda t: (-t.score, t.received_at, t.pk))  # type: ignore[attr-defined]
    chosen = scored[:limit]
    if chosen and chosen[0].score >= matching.PRESELECT_FROM:  # type: ignore[attr-defined]
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
    """Each cluster on an object (its first tip) and how many independent tips support it
    (itself plus the tips marked duplicates of it), most supported first."""
    counts = list(
        Tip.objects.filter(trace_object_id=object_id, duplicate_of__isnull=False)
        .order_by()
        .values_list("duplicate_of")
        .annotate(n=Count("*"))
        .order_by("-n", "duplicate_of")[:limit]
    )  # index tip_object_duplicate_idx
    roots = Tip.objects.in_bulk([root_id for root_id, _ in counts])
    return [{"tip": roots[root_id], "support": n + 1} for root_id, n in counts if root_id in roots]
