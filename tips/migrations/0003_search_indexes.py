"""PostgreSQL only: pg_trgm, and the expression indexes that tips.selectors' SQL matches.

- tip_fts_idx: full-text search in the back-office tip list (tip_search).
pg_trgm's similarity() finds likely duplicates (tip_duplicates) among an object's latest tips.
SQLite (development) has neither; the selectors fall back to LIKE and difflib there.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS tip_fts_idx ON tips_tip USING gin "
    "((to_tsvector('simple'::regconfig, body || ' ' || place)))",
]
BACKWARD = ["DROP INDEX IF EXISTS tip_fts_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("tips", "0002_triage")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
