"""Plain helpers that make test data: objects, categories and images with chosen metadata."""

import io
import itertools
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from objects import imaging, services
from objects.models import Category, TraceObject

_counter = itertools.count(1)

# A GPS position and camera text that must never reach a public derivative.
SENTINEL_GPS = (52.0, 22.0, 48.16)  # 52°22'48.16" N
SENTINEL_TEXT = "SENTINEL-CAMERA-7f3a9c"


def make_category(slug: str | None = None, name: str | None = None) -> Category:
    n = next(_counter)
    slug = slug or f"category-{n}"
    category, _ = Category.objects.get_or_create(
        slug=slug, defaults={"name": name or slug.replace("-", " ").title(), "order": n}
    )
    return category


def make_image_bytes(
    fmt: str = "JPEG", size=(900, 600), color=(200, 120, 40), *, gps: bool = False, **save_kwargs
) -> bytes:
    """A small picture with a diagonal line (so orientation is visible) and optional metadata."""
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).line((0, 0, size[0], size[1]), fill=(10, 10, 10), width=9)
    if gps:
        exif = Image.Exif()
        exif[0x010F] = SENTINEL_TEXT  # Make
        exif[0x0131] = SENTINEL_TEXT  # Software
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd.update({1: "N", 2: SENTINEL_GPS, 3: "E", 4: (4.0, 53.0, 40.0)})
        save_kwargs["exif"] = exif
    out = io.BytesIO()
    image.save(out, fmt, **save_kwargs)
    return out.getvalue()


def make_object(
    *,
    status: str = "published",
    category: Category | None = None,
    title: str | None = None,
    question: str = "Where is this sold?",
    case_reference: str = "",
    days_ago: int = 1,
    with_image: bool = True,
    publish_image: bool = True,
) -> TraceObject:
    n = next(_counter)
    obj = TraceObject(
        category=category or make_category(),
        title=title or f"Test object {n}",
        question=question,
        alt_text=f"Alt text for test object {n}",
        description="A plain test object.",
        status=status,
        case_reference=case_reference,
    )
    if status != TraceObject.Status.DRAFT:
        obj.published_at = timezone.now() - timedelta(days=days_ago)
    services.object_save(obj=obj)
    if with_image:
        processed = imaging.process_upload(io.BytesIO(make_image_bytes(size=(640, 480))))
        image = services.object_image_add(obj=obj, processed=processed)
        if publish_image:
            # "Publish" on the crop page, with no crop: public at once unless a draft.
            services.object_image_edit(image=image, edit=imaging.Edit())
    return obj


def tip_form_data(obj: TraceObject, *, shown_seconds_ago: float = 30, **overrides) -> dict:
    """What a person's browser posts from the tip form, shown some seconds ago."""
    import time

    from tips import spam

    data = {
        "body": "I have seen this bag at a market stall in Utrecht, near the station.",
        "country": "NL",
        "place": "Vredenburg market",
        "link": "",
        "certainty": "think",
        "contact": "",
        "website": "",
        "started": spam.issue_token(obj.number, at=time.time() - shown_seconds_ago),
    }
    data.update(overrides)
    return data


def make_tip(obj: TraceObject | None = None, **overrides):
    """A stored tip and its receipt code, through the same service as the form."""
    import secrets

    from tips import services

    obj = obj or make_object()
    fields = {
        "body": "It is sold in a shop in Lyon, rue de la République.",
        "language": "en",
        "submission_hash": secrets.token_hex(32),
    }
    fields.update(overrides)
    return services.tip_create(obj=obj, **fields)


def bulk_tips(obj: TraceObject, bodies, *, hours_ago_start: int = 0, **fields):
    """Many tips on one object in one INSERT (no receipt codes), newest first: the first body is
    `hours_ago_start` hours old, each next one an hour older."""
    import secrets

    from tips.models import Tip

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    tips = [
        Tip(
            trace_object=obj,
            body=body,
            language="en",
            receipt_hash=secrets.token_hex(32),
            submission_hash=secrets.token_hex(32),
            received_at=now - timedelta(hours=hours_ago_start + i),
            **fields,
        )
        for i, body in enumerate(bodies)
    ]
    return Tip.objects.bulk_create(tips, batch_size=2000)
