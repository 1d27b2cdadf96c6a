from django.core.management.base import BaseCommand

from objects import imaging, services
from objects.models import ObjectImage


class Command(BaseCommand):
    help = (
        "Make every image's public derivatives again from its private original, crop and "
        "redactions (after a change of sizes or formats). Safe to run again: an image whose "
        "derivatives are already current is left alone."
    )

    def handle(self, *args, **opts):
        changed = unchanged = failed = 0
        for image in ObjectImage.objects.select_related("trace_object").order_by("pk").iterator():
            try:
                if services.object_image_rebuild(image=image):
                    changed += 1
                else:
                    unchanged += 1
            except (imaging.ImageRejected, OSError) as exc:
                failed += 1
                self.stderr.write(f"{image.trace_object.reference} image {image.pk}: {exc}")
        self.stdout.write(
            f"Derivatives: {changed} images rebuilt, {unchanged} already current, {failed} failed."
        )
        if failed:
            raise SystemExit(1)
