import io

import pytest
from django.test import Client
from PIL import Image

from objects import imaging, services
from objects.models import TraceObject
from tests.factories import make_object
from tests.personas import make_editor

YELLOW = (240, 200, 40)


def _close(a, b, tolerance=20):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.django_db(transaction=True)
def test_an_editor_without_javascript_crops_redacts_previews_and_publishes(live_server, page_no_js):
    obj = make_object(status="draft", title="Hotel lamp", with_image=False)
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), YELLOW).save(out, "PNG")
    services.object_image_add(obj=obj, processed=imaging.process_upload(out))
    page = page_no_js
    _log_in(page, live_server, make_editor())

    page.goto(f"{live_server.url}/backoffice/objects/traceobject/{obj.pk}/change/")
    page.get_by_role("link", name="Crop and redact").first.click()
    page.get_by_label("Crop x").fill("200")
    page.get_by_label("Crop y").fill("100")
    page.get_by_label("Crop width").fill("800")
    page.get_by_label("Crop height").fill("600")
    for name, value in {"x": "300", "y": "200", "width": "200", "height": "100"}.items():
        page.locator(f"input[name='redactions-0-{name}']").fill(value)
    page.get_by_role("button", name="Preview").click()

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
