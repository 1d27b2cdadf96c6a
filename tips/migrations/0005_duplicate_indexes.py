"""Indexes for the duplicate finder (tips.selectors.tip_duplicates), which looks at every tip
of an object, not only its latest ones.

- tip_object_link_idx, tip_object_country_place_idx: the same link; the same country and place.
- tip_body_trgm_idx (PostgreSQL only): pg_trgm GIN on the normalised text, for the `%`
  operator. The expression must match tips.selectors.NORMALISED_BODY_SQL exactly. Built
  CONCURRENTLY (so the migration is not atomic): on a large table a plain CREATE INDEX would
  hold back every new tip for as long as the build takes.
"""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

from traceobject.migrations_sql import postgresql_only

FORWARD = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS tip_body_trgm_idx ON tips_tip USING gin "
    "((lower(regexp_replace(body, '[^[:alnum:]]+', ' ', 'g'))) gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX CONCURRENTLY IF EXISTS tip_body_trgm_idx"]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('objects', '0003_merge_image_edits_and_translations'),
        ('tips', '0004_triage_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='tip',
            index=models.Index(fields=['trace_object', 'link'], name='tip_object_link_idx'),
        ),
        migrations.AddIndex(
            model_name='tip',
            index=models.Index(models.F('trace_object'), models.F('country'), django.db.models.functions.text.Upper('place'), name='tip_object_country_place_idx'),
        ),
        migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD)),
    ]
