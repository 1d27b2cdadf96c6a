"""PostgreSQL only: pg_trgm, and the expression indexes that tips.selectors' SQL matches.

- tip_fts_idx: full-text search in the back-office tip list (tip_search).
pg_trgm's similarity() finds likely duplicates (tip_duplicates) among an object's latest tips.
SQLite (development) has neither; the selectors fall back to LIKE and difflib there.
"""

from django.db import migrations

from traceobject.migrations_sql import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS tip_fts_idx ON tips_tip USING gin "
    "((to_tsvector('simple'::regconfig, body || ' ' || place)))",
]
BACKWARD = ["DROP INDEX IF EXISTS tip_fts_idx"]


class Migration(migrations.Migration):
    dependencies = [("tips", "0002_triage")]

    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
