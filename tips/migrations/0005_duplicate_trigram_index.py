"""PostgreSQL only: tip_body_trgm_idx, a pg_trgm GIN index on the tip text, so the duplicate
finder (tips.selectors.tip_duplicates) can look at every tip of an object with the `%` operator
instead of a window of its latest tips.

pg_trgm lower-cases and ignores every non-alphanumeric character itself, so the raw text gives
the same trigrams as a normalised copy, and the index needs no expression to match. Built
CONCURRENTLY, hence `atomic = False`: on a large table a plain CREATE INDEX would hold back every
new tip for as long as the build takes.
"""

from django.db import migrations

from traceobject.migrations_sql import postgresql_only

FORWARD = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS tip_body_trgm_idx ON tips_tip "
    "USING gin (body gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX CONCURRENTLY IF EXISTS tip_body_trgm_idx"]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tips", "0004_triage_indexes")]

    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
