"""Seed the benchmark database: the demo objects plus N extra published objects. Idempotent.

Run by bench/run.py with the benchmark's environment; every extra object shares one processed
image (names are content hashes, so the derivatives are written once).
"""

import io
import os
import sys
from pathlib import Path

import django

BENCH_MARKER = "bench:"


def main(count: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traceobject.settings")
    django.setup()
    from django.core.management import call_command

    from objects import imaging, services
    from objects.demo_art import DEMO_OBJECTS, draw
    from objects.models import Category, TraceObject

    call_command("seed_demo")
    have = TraceObject.objects.filter(case_reference__startswith=BENCH_MARKER).count()
    categories = list(Category.objects.all())
    png = io.BytesIO()
    draw(DEMO_OBJECTS[0]["key"], width=1600, height=1200).save(png, "PNG")
    processed = imaging.process_upload(png)
    for n in range(have, count):
        obj = services.object_create(
            category=categories[n % len(categories)],
            title=f"Benchmark object {n + 1}",
            question="Where is this sold?",
            alt_text=f"Benchmark object {n + 1}",
            description="Extra object for the benchmark.",
            publish=True,
        )
        obj.case_reference = f"{BENCH_MARKER}{n + 1}"
        obj.save(update_fields=["case_reference"])
        services.object_image_add(obj=obj, processed=processed)
    total = TraceObject.objects.published().count()
    print(f"bench data: {count - have} extra objects created, {total} published objects in all")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
