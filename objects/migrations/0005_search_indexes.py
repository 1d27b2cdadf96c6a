"""The gallery search's rows for the objects already there, and its PostgreSQL indexes.

- objectsearch_vector_idx: GIN on the full-text vector (each row under its language's
  configuration, objects.search.SEARCH_CONFIGS);
- objectsearch_text_trgm_idx: pg_trgm GIN on the lower-cased text, which serves both the
  trigram word similarity (typos) and the substring match (short words).
SQLite has neither; the search is a substring match there. Both are built without GIN's
pending list (fastupdate off): the rows change only when an editor saves, and a search should
not depend on when autovacuum last merged that list (until it does, the planner prices the
index higher and may read the whole table instead).

pg_trgm declares its word-similarity operator (`%>`) as cheap as an addition, so the planner
would rather compute it on every row than read the indexes: at 60,000 rows a search took 640 ms
by sequential scan and 7 ms by the indexes. Its real cost is declared here, when the database
user may change it (the user that created the extension); otherwise a notice says so and only
the plan is worse. pg_dump does not keep this for an extension's function: after a restore,
run `manage.py migrate objects 0004 && manage.py migrate` or the ALTER FUNCTION below.
"""

from django.db import migrations

from objects import search
from traceobject.migrations_sql import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS objectsearch_vector_idx ON objects_objectsearchtext "
    "USING gin (vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS objectsearch_text_trgm_idx ON objects_objectsearchtext "
    "USING gin (text gin_trgm_ops) WITH (fastupdate = off)",
    "DO $$ BEGIN ALTER FUNCTION word_similarity_commutator_op(text, text) COST 200; "
    "EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'pg_trgm: the word similarity cost is "
    "left as it is (not the owner)'; END $$",
]
BACKWARD = [
    "DROP INDEX IF EXISTS objectsearch_text_trgm_idx",
    "DROP INDEX IF EXISTS objectsearch_vector_idx",
]


def build_rows(apps, schema_editor):
    models = (
        apps.get_model("objects", "TraceObject"),
        apps.get_model("objects", "TraceObjectTranslation"),
        apps.get_model("objects", "CategoryTranslation"),
        apps.get_model("objects", "ObjectSearchText"),
    )
    ids = list(models[0].objects.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        search.rebuild(ids[start : start + 500], models=models)


class Migration(migrations.Migration):
    dependencies = [("objects", "0004_category_translations_and_search")]

    operations = [
        migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD)),
        migrations.RunPython(build_rows, migrations.RunPython.noop),
    ]
