from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from objects import imaging, services, tasks
from objects.models import ObjectImage


class Command(BaseCommand):
    help = (
        "Make every image's derivatives again from its private original, crop and redactions "
        "(after a change of sizes or formats, or an upgrade), bring public storage in line "
        "(public only while an image's crop and redactions are published and its object is "
        "public), then delete every derivative file no image refers to. Safe to run again: an "
        "image whose derivatives are already current is left alone. Run it while no editor is "
        "publishing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--defer",
            action="store_true",
            help="Queue one job per image and the sweep for the task worker, and return.",
        )

    def handle(self, *args, defer=False, **opts):
        if defer and settings.TASKS_INLINE:
            raise CommandError("--defer needs the task worker, which runs on PostgreSQL only")
        if defer:
            queued = tasks.media_rebuild_later()
            self.stdout.write(f"Queued {queued} images and the sweep for the task worker.")
            return
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
        public, private = services.object_media_sweep()
        self.stdout.write(
            f"Removed {public} public and {private} private files no image refers to."
        )
        if failed:
            raise SystemExit(1)
