"""Seed the benchmark database: the demo objects, N extra published objects and T tips.

Idempotent. Run by bench/run.py with the benchmark's environment; every extra object shares one
processed image (names are content hashes, so the derivatives are written once). The tips are
bulk-inserted rows with known receipt codes (`bench_code(n)`), so the follow-up benchmark can
look real tips up.
"""

import io
import os
import sys
from pathlib import Path

import django

BENCH_MARKER = "bench:"
TIP_MARKER = "[bench] "
TIP_BATCH = 5000


def bench_code(n: int) -> str:
    """The receipt code of bench tip n: 16 characters of the receipt alphabet, like a real one."""
    raw = f"BENCH{n:011d}"
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def seed_tips(total: int) -> int:
    """Bulk-insert bench tips up to `total` (counted by their marker); returns how many were new."""
    import hashlib

    from django.utils import timezone

    from objects.models import TraceObject
    from tips.models import Tip
    from tips.receipts import code_hash

    have = Tip.objects.filter(body__startswith=TIP_MARKER).count()
    objects = list(TraceObject.objects.published().values_list("pk", flat=True))
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for start in range(have, total, TIP_BATCH):
        Tip.objects.bulk_create(
            Tip(
                trace_object_id=objects[n % len(objects)],
                body=f"{TIP_MARKER}Tip {n}: I think this is sold in a market near the station.",
                language="en",
                receipt_hash=code_hash(bench_code(n)),
                submission_hash=hashlib.sha256(f"bench-tip-{n}".encode()).hexdigest(),
                received_at=hour,
            )
            for n in range(start, min(total, start + TIP_BATCH))
        )
    return max(0, total - have)


def main(count: int, tips: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traceobject.settings")
    django.setup()
    from django.core.management import call_command

    from demo.art import DEMO_OBJECTS, draw
    from objects import imaging, services
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
        image = services.object_image_add(obj=obj, processed=processed)
        services.object_image_edit(image=image, edit=imaging.Edit())  # public: no crop
    total = TraceObject.objects.published().count()
    new_tips = seed_tips(tips)
    print(
        f"bench data: {max(0, count - have)} extra objects created, {total} published objects in"
        f" all; {new_tips} bench tips created, {tips} in all"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 1000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 100_000,
    )
