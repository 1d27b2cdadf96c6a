"""Proposed answers are called leads: the fields, the splits' model, its unique constraint and the
partial index are renamed. Renames only: every row and value stays, and PostgreSQL renames the
column inside the index's condition itself."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("objects", "0003_merge_image_edits_and_translations"),
        ("tips", "0011_general_reports_without_object"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Renamed before its column, so where an index cannot be renamed (SQLite drops and
        # builds it again) it is built on the column as it still is.
        migrations.RenameIndex(
            model_name="tip", new_name="tip_object_lead_idx", old_name="tip_object_answer_idx"
        ),
        migrations.RenameField(model_name="tip", old_name="answer_key", new_name="lead_key"),
        migrations.RenameField(model_name="tip", old_name="answer_label", new_name="lead_label"),
        migrations.RenameField(model_name="tip", old_name="answer_terms", new_name="lead_terms"),
        migrations.AlterField(
            model_name="tip",
            name="lead_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The shop, brand or place the tip names, folded; empty if none or several.",
                max_length=40,
                verbose_name="proposed lead",
            ),
        ),
        migrations.AlterField(
            model_name="tip",
            name="lead_label",
            field=models.CharField(
                blank=True, editable=False, max_length=80, verbose_name="proposed lead as written"
            ),
        ),
        # The index's fields and condition name the renamed column in the migration state too
        # (the database renamed it inside the index already).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="tip", name="tip_object_lead_idx"),
                migrations.AddIndex(
                    model_name="tip",
                    index=models.Index(
                        condition=models.Q(("lead_key", ""), _negated=True),
                        fields=[
                            "trace_object",
                            "lead_key",
                            "-received_at",
                            "-id",
                            "status",
                            "country",
                            "detected_language",
                        ],
                        name="tip_object_lead_idx",
                    ),
                ),
            ]
        ),
        migrations.RenameModel(old_name="AnswerSplit", new_name="LeadSplit"),
        migrations.AlterField(
            model_name="leadsplit",
            name="trace_object",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lead_splits",
                to="objects.traceobject",
            ),
        ),
        migrations.RemoveConstraint(model_name="leadsplit", name="answersplit_unique"),
        migrations.AddConstraint(
            model_name="leadsplit",
            constraint=models.UniqueConstraint(
                fields=("trace_object", "key"), name="leadsplit_unique"
            ),
        ),
        # The tipster's messages are replies (help text only; nothing changes in the database).
        migrations.AlterField(
            model_name="tipmessage",
            name="staff_user",
            field=models.ForeignKey(
                blank=True,
                help_text="The investigator who asked; empty for the tipster's replies.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
