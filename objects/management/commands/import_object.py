from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from objects import imaging, services
from objects.models import Category


class Command(BaseCommand):
    help = "Add an object with one image, through the same pipeline as the admin."

    def add_arguments(self, parser):
        parser.add_argument("--image", required=True, help="Path of the original image.")
        parser.add_argument("--category", required=True, help="Category slug.")
        parser.add_argument("--title", required=True)
        parser.add_argument("--question", required=True)
        parser.add_argument("--alt", default="", help="Alt text (default: the title).")
        parser.add_argument("--description", default="")
        parser.add_argument(
            "--publish",
            action="store_true",
            help=(
                "Publish the object and its image as it is, without crop or redaction (default: "
                "a draft, whose image is public only once its crop is published in the admin)."
            ),
        )

    def handle(self, *args, **opts):
        try:
            category = Category.objects.get(slug=opts["category"])
        except Category.DoesNotExist:
            slugs = ", ".join(Category.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"unknown category {opts['category']!r} (known: {slugs})") from None
        path = Path(opts["image"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        alt = opts["alt"].strip()
        if not alt:
            alt = opts["title"]
            self.stderr.write(
                "No --alt given: using the title as alt text; improve it in the admin."
            )
        try:
            with path.open("rb") as fh:
                obj = services.object_import(
                    image_file=fh,
                    category=category,
                    title=opts["title"],
                    question=opts["question"],
                    alt_text=alt,
                    description=opts["description"],
                    publish=opts["publish"],
                )
        except imaging.ImageRejected as exc:
            raise CommandError(f"{path}: {exc}") from None
        except ValidationError as exc:
            reasons = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(reasons) from None
        self.stdout.write(f"{obj.reference} created ({obj.get_status_display().lower()}).")
