"""The audit log now belongs to the core (traceobject migration 0001): state only, no SQL."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    # The Supervisor group's permission to read the log now names the core's model.
    from backoffice.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0004_audit_actions_and_actor_index"),
        ("traceobject", "0001_auditentry_from_backoffice"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")], database_operations=[]
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
