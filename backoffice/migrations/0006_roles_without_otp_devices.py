"""Supervisors no longer see or delete second-factor devices in the admin (they are not in it;
"reset second factor" on a staff account does that): the roles are synced again."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from backoffice.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0005_auditentry_moved_to_core")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
