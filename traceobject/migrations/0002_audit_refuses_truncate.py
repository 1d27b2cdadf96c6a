"""PostgreSQL only: the audit table refuses TRUNCATE too, by a statement trigger beside the row
trigger that refuses UPDATE and DELETE (backoffice migration 0002). The invariant "Audited
staff": no statement the application can send empties or edits the log."""

from django.db import migrations

from traceobject.migrations_sql import postgresql_only

FORWARD = [
    "DROP TRIGGER IF EXISTS backoffice_audit_no_truncate ON backoffice_auditentry",
    """
    CREATE TRIGGER backoffice_audit_no_truncate
    BEFORE TRUNCATE ON backoffice_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_audit_append_only()
    """,
]
BACKWARD = ["DROP TRIGGER IF EXISTS backoffice_audit_no_truncate ON backoffice_auditentry"]


class Migration(migrations.Migration):
    dependencies = [
        ("traceobject", "0001_auditentry_from_backoffice"),
        ("backoffice", "0002_audit_append_only"),
    ]

    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
