"""Image pipeline benchmark: prints figures, passes or fails nothing.

1. A 24-megapixel JPEG (6000×4000) to every derivative: wall time and peak RSS of a fresh
   process that does only that (the JPEG is made beforehand, in another process).
2. The gallery's image bytes: 24 demo objects through the pipeline, then the bytes a browser
   fetches for the 24 cards (the WebP it picks from srcset at 1× and at 2× pixel density).
3. AVIF for comparison: the bytes and encode time it would add (why it is not written).

Run:  DEBUG=1 .venv/bin/python bench/imaging.py
"""

import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traceobject.settings")
os.environ.setdefault("DEBUG", "1")

CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
import django; django.setup()
from objects import imaging
data = open({path!r}, "rb").read()
start = time.perf_counter()
processed = imaging.process_original(data)
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{wall:.3f}} {{rss:.0f}} " + " ".join(
    f"{{d.format}}:{{d.width}}x{{d.height}}:{{len(d.content)}}" for d in processed.derivatives))
"""


def make_photo(path: Path) -> None:
    """A photo-like 6000×4000 JPEG: smooth gradients plus fine noise, like a camera's output."""
    from PIL import Image, ImageFilter

    base = Image.radial_gradient("L").resize((6000, 4000))
    noise = Image.effect_noise((6000, 4000), 40).filter(ImageFilter.GaussianBlur(1))
    image = Image.merge("RGB", (base, noise, Image.linear_gradient("L").resize((6000, 4000))))
    image.save(path, "JPEG", quality=90)


def big_jpeg() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "photo.jpg"
        make_photo(path)
        print(f"24-megapixel JPEG: 6000×4000, {path.stat().st_size / 1e6:.1f} MB")
        runs = []
        for _ in range(3):
            out = subprocess.run(
                [sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ},
            ).stdout.split()
            runs.append((float(out[0]), float(out[1]), out[2:]))
        for wall, rss, _ in runs:
            print(f"  to all derivatives: {wall:.3f} s wall, {rss:.0f} MB peak RSS (whole process)")
        print("  derivatives:", ", ".join(runs[0][2]))


def gallery_bytes() -> None:
    import django

    django.setup()
    from demo.art import DEMO_OBJECTS, draw
    from objects import imaging

    at_1x = at_2x = jpeg_1x = 0
    avif_bytes = webp_bytes = 0
    avif_time = webp_time = 0.0
    for item in DEMO_OBJECTS[:24]:
        png = io.BytesIO()
        draw(item["key"], width=1600, height=1200).save(png, "PNG")
        processed = imaging.process_original(png.getvalue())
        sizes = {(d.role, d.format): len(d.content) for d in processed.derivatives}
        at_1x += sizes[("thumb", "webp")]  # a 23rem card at 1x picks the 400w WebP
        at_2x += sizes[("large", "webp")]  # at 2x it picks the 800w WebP
        jpeg_1x += sizes[("thumb", "jpeg")]
        large = next(d for d in processed.derivatives if d.role == "large" and d.format == "webp")
        from PIL import Image

        pixels = Image.open(io.BytesIO(large.content)).convert("RGB")
        start = time.perf_counter()
        webp_bytes += len(imaging.encode(pixels, "webp"))
        webp_time += time.perf_counter() - start
        start = time.perf_counter()
        out = io.BytesIO()
        pixels.save(out, "AVIF", quality=60)
        avif_time += time.perf_counter() - start
        avif_bytes += len(out.getvalue())
    print("Gallery page, 24 cards (demo images, 1600×1200 originals):")
    print(f"  WebP at 1× (400w): {at_1x / 1024:.0f} KB; at 2× (800w): {at_2x / 1024:.0f} KB")
    print(f"  JPEG fallback at 1× (400w): {jpeg_1x / 1024:.0f} KB")
    print("AVIF (quality 60) vs WebP for the 24 800-pixel images:")
    print(
        f"  WebP {webp_bytes / 1024:.0f} KB in {webp_time:.2f} s; "
        f"AVIF {avif_bytes / 1024:.0f} KB in {avif_time:.2f} s"
    )


if __name__ == "__main__":
    big_jpeg()
    gallery_bytes()
