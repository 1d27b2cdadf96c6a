"""Full-text search over tips: the expression index from migration tips 0003 (the SQL below
must match it exactly)."""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

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


def _postgres() -> bool:
    return connection.vendor == "postgresql"


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
