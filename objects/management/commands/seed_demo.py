import io
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from objects import imaging, services
from objects.demo_art import DEMO_CATEGORIES, DEMO_OBJECTS, draw
from objects.models import Category, TraceObject

# Demo objects are recognised by this internal marker, so a second run adds nothing.
DEMO_MARKER = "demo:"


class Command(BaseCommand):
    help = "Create demo categories and about 30 published objects with drawn images. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Create at most this many.")

    def handle(self, *args, limit=None, **opts):
        categories = {}
        for item in DEMO_CATEGORIES:
            categories[item["slug"]], _ = Category.objects.get_or_create(
                slug=item["slug"], defaults={"name": item["name"], "order": item["order"]}
            )
        existing = set(
            TraceObject.objects.filter(case_reference__startswith=DEMO_MARKER).values_list(
                "case_reference", flat=True
            )
        )
        now = timezone.now()
        created = 0
        for item in DEMO_OBJECTS[:limit]:
            marker = DEMO_MARKER + item["key"]
            if marker in existing:
                continue
            png = io.BytesIO()
            draw(item["key"], width=1600, height=1200).save(png, "PNG")
            processed = imaging.process_upload(png)
            published_at = now - timedelta(days=item["days_ago"], hours=created)
            with transaction.atomic():
                obj = TraceObject(
                    category=categories[item["category"]],
                    title=item["title"],
                    question=item["question"],
                    description=item["description"],
                    alt_text=item["alt"],
                    case_reference=marker,
                    status=TraceObject.Status.PUBLISHED,
                    published_at=published_at,
                )
                if item["identified"]:
                    obj.status = TraceObject.Status.IDENTIFIED
                    obj.identified_at = min(now, published_at + timedelta(days=30))
                    obj.identification_note = item["identification_note"]
                services.object_save(obj=obj)
                services.object_image_add(obj=obj, processed=processed)
            created += 1
        total = TraceObject.objects.filter(case_reference__startswith=DEMO_MARKER).count()
        self.stdout.write(f"Demo data: {created} objects created, {total} demo objects in all.")
