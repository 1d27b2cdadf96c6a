"""The three staff roles as groups: Editor, Investigator, Supervisor (backoffice.roles)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from backoffice.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_audit_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("objects", "0001_initial"),
        ("tips", "0003_search_indexes"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
