"""Indexes for the back-office at a million tips (issue 4's scale target).

Built with CREATE INDEX CONCURRENTLY on PostgreSQL so new tips keep coming in while they build
(plain CREATE INDEX on SQLite), hence `atomic = False`. The new queue index is created before the
one it replaces is dropped, so the queue always has an index.
"""

import django.db.models.functions.text
from django.db import migrations, models

from traceobject.migrations_sql import (
    AddIndexConcurrentlyOnPostgreSQL,
    RemoveIndexConcurrentlyOnPostgreSQL,
)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tips", "0004_triage_indexes")]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="tip",
            index=models.Index(
                fields=["status", "-received_at", "-id"], name="tip_status_received_id_idx"
            ),
        ),
        RemoveIndexConcurrentlyOnPostgreSQL(model_name="tip", name="tip_status_received_idx"),
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="tip",
            index=models.Index(
                models.F("trace_object"),
                models.F("country"),
                django.db.models.functions.text.Upper("place"),
                name="tip_object_country_idx",
            ),
        ),
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="tip",
            index=models.Index(
                condition=models.Q(("link", ""), _negated=True),
                fields=["trace_object", "link"],
                name="tip_object_link_idx",
            ),
        ),
    ]
