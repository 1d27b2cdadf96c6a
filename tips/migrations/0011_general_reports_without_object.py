"""General reports about no object: Tip.kind, a nullable Tip.trace_object, and the tips that
were stored on the hidden "general" TraceObject row moved off it. The row is deleted with what
hangs on it only for it (its translations, search rows and answer splits); the audit log keeps
its rows. objects 0009 then drops the "general" status."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

GENERAL = "general"


def detach_general_tips(apps, schema_editor):
    TraceObject = apps.get_model("objects", "TraceObject")
    Tip = apps.get_model("tips", "Tip")
    AnswerSplit = apps.get_model("tips", "AnswerSplit")
    hidden = list(TraceObject.objects.filter(status=GENERAL).values_list("pk", flat=True))
    if not hidden:
        return
    Tip.objects.filter(trace_object_id__in=hidden).update(kind=GENERAL, trace_object=None)
    AnswerSplit.objects.filter(trace_object_id__in=hidden).delete()
    # Cascades to its translations, search rows and images (it never has any images).
    TraceObject.objects.filter(pk__in=hidden).delete()


def attach_general_tips(apps, schema_editor):
    """Backwards: the hidden row again (as objects 0007 made it), holding the general tips."""
    TraceObject = apps.get_model("objects", "TraceObject")
    Tip = apps.get_model("tips", "Tip")
    general = Tip.objects.filter(kind=GENERAL)
    if not general.exists():
        return
    last = TraceObject.objects.aggregate(n=models.Max("number"))["n"] or 0
    row = TraceObject.objects.create(
        number=last + 1,
        status=GENERAL,
        published_at=timezone.now(),
        title="General reports: not about a published object",
        question="Tips sent from the general form (“Something else to report”).",
        alt_text="",
        case_reference="general-reports",
    )
    general.update(trace_object=row)


class Migration(migrations.Migration):
    dependencies = [
        ("objects", "0008_image_previews_and_publication"),
        ("tips", "0010_message_sequence"),
    ]

    operations = [
        migrations.AddField(
            model_name="tip",
            name="kind",
            field=models.CharField(
                choices=[("object", "About an object"), ("general", "General report")],
                default="object",
                editable=False,
                help_text="A tip about a published object, or a general report about none.",
                max_length=8,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="tip",
            name="trace_object",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tips",
                to="objects.traceobject",
                verbose_name="object",
            ),
        ),
        migrations.RunPython(detach_general_tips, attach_general_tips, elidable=False),
        migrations.AddConstraint(
            model_name="tip",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "object"), ("trace_object__isnull", False)),
                    models.Q(("kind", "general"), ("trace_object__isnull", True)),
                    _connector="OR",
                ),
                name="tip_kind_matches_object",
            ),
        ),
    ]
