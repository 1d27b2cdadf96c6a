import io

import pytest
from django.test import Client
from PIL import Image

from objects import imaging, services
from objects.models import TraceObject
from tests.factories import make_object
from tests.personas import login_verified, make_editor
from traceobject.storage import private_storage

YELLOW = (240, 200, 40)


def _close(a, b, tolerance=20):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _log_in(page, live_server, user):
    client = login_verified(Client(), user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _open_editor_on_a_yellow_image(page, live_server):
    """A draft object with one plain yellow 1200×800 image; an editor opens its crop editor."""
    obj = make_object(status="draft", title="Hotel lamp", with_image=False)
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), YELLOW).save(out, "PNG")
    services.object_image_add(obj=obj, processed=imaging.process_upload(out))
    _log_in(page, live_server, make_editor())
    page.goto(f"{live_server.url}/backoffice/objects/traceobject/{obj.pk}/change/")
    page.get_by_role("link", name="Crop and redact").first.click()
    return obj


@pytest.mark.django_db(transaction=True)
def test_an_editor_without_javascript_crops_redacts_previews_and_publishes(live_server, page_no_js):
    page = page_no_js
    obj = _open_editor_on_a_yellow_image(page, live_server)
    page.get_by_label("Crop x").fill("200")
    page.get_by_label("Crop y").fill("100")
    page.get_by_label("Crop width").fill("800")
    page.get_by_label("Crop height").fill("600")
    for name, value in {"x": "300", "y": "200", "width": "200", "height": "100"}.items():
        page.locator(f"input[name='redactions-0-{name}']").fill(value)
    page.get_by_role("button", name="Preview").click()
    assert page.url.endswith(f"/images/{obj.images.get().pk}/edit/preview/")

    preview = page.locator("img.ie-preview")
    assert preview.evaluate("img => img.naturalWidth") == 800
    assert page.locator("input[name='redactions-0-x']").input_value() == "300"
    assert page.locator("input[name='redactions-2-x']").count() == 1  # fresh empty rows
    page.get_by_role("button", name="Publish").click()
    assert "applied and published" in page.locator(".messagelist").inner_text()

    page.get_by_label("Status").select_option("published")
    page.locator("input[name='_save']").click()
    obj.refresh_from_db()
    assert obj.status == TraceObject.Status.PUBLISHED

    page.goto(live_server.url + obj.get_absolute_url())
    img = page.locator(".object-image img")
    # The phone-sized page picks the 400-pixel WebP from the srcset.
    current = img.evaluate("img => img.currentSrc")
    assert current.endswith("-400w.webp")
    published = Image.open(io.BytesIO(page.request.get(current).body())).convert("RGB")
    assert published.size == (400, 300)
    # The redaction (300,200)-(500,300) of the original is (100,100)-(300,200) after the crop,
    # (50,50)-(150,100) at 400 pixels wide.
    for point in [(55, 55), (145, 95), (100, 75)]:
        assert _close(published.getpixel(point), (0, 0, 0)), point
    for point in [(45, 45), (155, 105), (350, 250), (5, 295)]:
        assert _close(published.getpixel(point), YELLOW), point


def _drag(page, img, start, end, natural_width):
    """Drag on the editor's image from one point to another, in pixels of the original."""
    box = img.bounding_box()
    scale = box["width"] / natural_width
    page.mouse.move(box["x"] + start[0] * scale, box["y"] + start[1] * scale)
    page.mouse.down()
    for step in range(1, 6):
        t = step / 5
        page.mouse.move(
            box["x"] + (start[0] + (end[0] - start[0]) * t) * scale,
            box["y"] + (start[1] + (end[1] - start[1]) * t) * scale,
        )
    page.mouse.up()


def _values(page, names):
    return [int(page.locator(f"input[name='{n}']").input_value()) for n in names]


def _near(values, expected, tolerance=3):
    return all(abs(v - e) <= tolerance for v, e in zip(values, expected, strict=True))


@pytest.mark.django_db(transaction=True)
def test_an_editor_with_javascript_draws_and_moves_rectangles(live_server, page_js):
    page = page_js
    obj = _open_editor_on_a_yellow_image(page, live_server)
    img = page.locator(".ie-stage img")
    img.evaluate("img => img.decode()")
    assert page.locator(".ie-tool").is_visible()  # the script ran

    row = [f"redactions-0-{n}" for n in ("x", "y", "width", "height")]
    _drag(page, img, (300, 200), (500, 300), 1200)
    assert _near(_values(page, row), [300, 200, 200, 100]), _values(page, row)
    assert page.locator(".ie-box-redaction").count() == 1

    # Drag the drawn box 100 px right and 50 px down: only its position changes.
    _drag(page, img, (400, 250), (500, 300), 1200)
    assert _near(_values(page, row), [400, 250, 200, 100]), _values(page, row)

    page.get_by_label("Draw the crop").check()
    _drag(page, img, (200, 100), (1000, 700), 1200)
    crop = ["crop_x", "crop_y", "crop_width", "crop_height"]
    assert _near(_values(page, crop), [200, 100, 800, 600]), _values(page, crop)

    page.get_by_role("button", name="Publish").click()
    assert "applied and published" in page.locator(".messagelist").inner_text()
    image = obj.images.get()
    crop = image.edit.crop
    assert _near([crop.x, crop.y, crop.width, crop.height], [200, 100, 800, 600])
    (redaction,) = image.edit.redactions
    assert _near(
        [redaction.x, redaction.y, redaction.width, redaction.height], [400, 250, 200, 100]
    )
    # The object is a draft: the published edit is kept privately until the object is public.
    assert image.renditions == [] and image.edit_published_at is not None
    # The redaction (400,250)-(600,350) is (200,150)-(400,250) after the crop, and half that in
    # the 400-pixel JPEG.
    with private_storage().open(image.preview("thumb")["private_name"]) as fh:
        published = Image.open(io.BytesIO(fh.read())).convert("RGB")
    assert published.size == (400, 300)
    for point in [(105, 80), (195, 120), (150, 100)]:
        assert _close(published.getpixel(point), (0, 0, 0)), point
    for point in [(90, 65), (210, 135), (20, 280)]:
        assert _close(published.getpixel(point), YELLOW), point
    assert page.console_errors == []
