"""PostgreSQL only: the audit table refuses UPDATE and DELETE (append-only: the "Audited staff" invariant)."""

from django.db import migrations

from traceobject.migrations_sql import postgresql_only

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION backoffice_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS backoffice_audit_append_only ON backoffice_auditentry",
    """
    CREATE TRIGGER backoffice_audit_append_only
    BEFORE UPDATE OR DELETE ON backoffice_auditentry
    FOR EACH ROW EXECUTE FUNCTION backoffice_audit_append_only()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS backoffice_audit_append_only ON backoffice_auditentry",
    "DROP FUNCTION IF EXISTS backoffice_audit_append_only()",
]


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0001_initial")]

    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
