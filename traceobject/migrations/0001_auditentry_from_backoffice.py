"""The audit log moves from the back-office app into the core, table and rows untouched.

Only Django's state changes: the table keeps its name (backoffice_auditentry), its rows and its
append-only trigger. The content type is renamed, so the permission to read the log (and the
Supervisor group that holds it) follows the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ACTIONS = [
    ("login", "Login"), ("login_failed", "Login failed"), ("login_throttled", "Login throttled"),
    ("otp_failed", "Second factor failed"), ("otp_setup", "Second factor set up"),
    ("logout", "Logout"), ("view", "View"), ("change", "Change"),
    ("reveal_contact", "Contact details revealed"), ("reveal_photo", "Photo revealed"),
    ("export", "Export"), ("purge", "Purge"), ("staff_created", "Staff account created"),
    ("password_changed", "Password changed"), ("setup_link", "Setup link issued"),
    ("otp_reset", "Second factor reset"),
]


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="backoffice", model="auditentry").first()
    if old is None:
        return  # a new database: post_migrate creates the content type under the core
    ContentType.objects.filter(app_label="traceobject", model="auditentry").delete()
    old.app_label = "traceobject"
    old.save(update_fields=["app_label"])


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="traceobject", model="auditentry").update(
        app_label="backoffice"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("backoffice", "0004_audit_actions_and_actor_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, verbose_name="when")),
                        ("actor_name", models.CharField(blank=True, max_length=150, verbose_name="username")),
                        ("action", models.CharField(choices=ACTIONS, max_length=20, verbose_name="action")),
                        ("target_type", models.CharField(blank=True, max_length=40, verbose_name="target type")),
                        ("target_id", models.CharField(blank=True, max_length=40, verbose_name="target id")),
                        ("detail", models.JSONField(blank=True, default=dict, verbose_name="detail")),
                        ("actor", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="who")),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit log",
                        "db_table": "backoffice_auditentry",
                        "ordering": ["-at", "-pk"],
                        "indexes": [
                            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
                            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
                            models.Index(fields=["-at"], name="audit_at_idx"),
                            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
