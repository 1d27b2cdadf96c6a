"""Editors (and so Supervisors) may edit an object's translations: the admin shows the
translations inline only to those with the translation model's own permissions."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from backoffice.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0006_roles_without_otp_devices"),
        ("objects", "0003_merge_image_edits_and_translations"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
