"""The "general" status goes: general reports are tips with no object (tips 0011 moved them off
the hidden row and deleted it), so every object has a category again."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("objects", "0008_image_previews_and_publication"),
        ("tips", "0011_general_reports_without_object"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="traceobject", name="object_has_category"),
        migrations.RemoveConstraint(model_name="traceobject", name="object_one_general"),
        migrations.AlterField(
            model_name="traceobject",
            name="category",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="trace_objects",
                to="objects.category",
                verbose_name="category",
            ),
        ),
        migrations.AlterField(
            model_name="traceobject",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("published", "Published"),
                    ("identified", "Identified"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="draft",
                max_length=12,
                verbose_name="status",
            ),
        ),
    ]
