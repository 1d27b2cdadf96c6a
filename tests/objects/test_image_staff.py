"""Staff image views (original, editor canvas, crop and redact) and the services behind them."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from objects import imaging, services
from objects.models import ObjectImage
from tests.factories import make_object
from tests.personas import login_password_only, login_verified


def _public_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_PUBLIC_ROOT).rglob("*") if p.is_file()}


def _edit_form(**extra):
    data = {
        "crop_x": "",
        "crop_y": "",
        "crop_width": "",
        "crop_height": "",
        "redactions-TOTAL_FORMS": "2",
        "redactions-INITIAL_FORMS": "0",
        "redactions-MIN_NUM_FORMS": "0",
        "redactions-MAX_NUM_FORMS": "100",
        "redactions-0-style": "solid",
        "redactions-1-style": "solid",
    }
    data.update(extra)
    return data


@pytest.fixture
def image(db):
    return make_object(status="draft").images.get()


# --- permission matrix ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["original", "source", "edit"])
def test_anonymous_is_sent_to_login(client, image, name):
    response = client.get(reverse(f"imagestaff:{name}", args=[image.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["original", "source", "edit"])
def test_staff_without_permission_gets_403(client, image, staff_without_permission, name):
    login_verified(client, staff_without_permission)
    assert client.get(reverse(f"imagestaff:{name}", args=[image.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["original", "source", "edit"])
def test_a_password_without_the_second_factor_is_sent_to_the_code_step(client, image, editor, name):
    login_password_only(client, editor)
    response = client.get(reverse(f"imagestaff:{name}", args=[image.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:otp")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["original", "source", "edit"])
def test_a_missing_image_is_404(editor_client, name):
    assert editor_client.get(reverse(f"imagestaff:{name}", args=[999_999])).status_code == 404


@pytest.mark.django_db
def test_the_original_cannot_be_posted_to(editor_client, image):
    assert editor_client.post(reverse("imagestaff:original", args=[image.pk])).status_code == 405


@pytest.mark.django_db
def test_an_investigator_with_view_permission_only_cannot_edit(client, image, investigator):
    from django.contrib.auth.models import Permission

    investigator.user_permissions.add(Permission.objects.get(codename="view_objectimage"))
    login_verified(client, investigator)
    assert client.get(reverse("imagestaff:original", args=[image.pk])).status_code == 200
    assert client.get(reverse("imagestaff:edit", args=[image.pk])).status_code == 403


# --- the views --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_get_the_original_as_an_uncached_download(editor_client, image):
    response = editor_client.get(reverse("imagestaff:original", args=[image.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image.original.open("rb").read()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_editor_canvas_is_the_upright_original_without_metadata(editor_client, image):
    response = editor_client.get(reverse("imagestaff:source", args=[image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    canvas = Image.open(io.BytesIO(response.content))
    assert canvas.size == (640, 480) and not canvas.getexif()


@pytest.mark.django_db
def test_the_edit_page_works_without_javascript_fields(editor_client, image):
    response = editor_client.get(reverse("imagestaff:edit", args=[image.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("crop_x", "crop_width", "redactions-0-x", "redactions-1-height"):
        assert f'name="{name}"' in body
    assert "js/image-editor.js" in body and ' style="' not in body.split('id="content-main"')[1]


@pytest.mark.django_db
def test_preview_renders_on_the_server_and_changes_nothing(editor_client, image):
    before = (list(image.renditions), _public_files())
    data = _edit_form(
        crop_x="0", crop_y="0", crop_width="320", crop_height="240", **{
            "redactions-0-x": "10", "redactions-0-y": "10",
            "redactions-0-width": "50", "redactions-0-height": "50",
            "action": "preview",
        }
    )  # fmt: skip
    response = editor_client.post(reverse("imagestaff:edit", args=[image.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/jpeg;base64,' in body
    # After a preview two fresh empty rows follow the filled one (no JavaScript needed).
    assert 'name="redactions-TOTAL_FORMS" value="3"' in body
    image.refresh_from_db()
    assert (image.renditions, _public_files()) == before


@pytest.mark.django_db
def test_publish_replaces_the_derivatives_and_removes_the_old_ones(
    editor_client, image, django_capture_on_commit_callbacks
):
    old = {Path(settings.MEDIA_PUBLIC_ROOT) / n for n in image.derivative_names()}
    data = _edit_form(
        crop_x="320", crop_y="0", crop_width="320", crop_height="240", **{
            "redactions-0-x": "400", "redactions-0-y": "40",
            "redactions-0-width": "100", "redactions-0-height": "100",
            "redactions-0-style": "pixelate", "action": "publish",
        }
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("imagestaff:edit", args=[image.pk]), data)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.crop == {"x": 320, "y": 0, "width": 320, "height": 240}
    assert image.redactions == [
        {"x": 400, "y": 40, "width": 100, "height": 100, "style": "pixelate"}
    ]
    assert {(r["width"], r["height"]) for r in image.renditions} == {(320, 240)}
    assert not any(p.exists() for p in old)
    for name in image.derivative_names():
        assert (Path(settings.MEDIA_PUBLIC_ROOT) / name).exists()


@pytest.mark.django_db
def test_a_rectangle_past_the_image_is_an_error_and_changes_nothing(editor_client, image):
    before = (list(image.renditions), _public_files())
    data = _edit_form(crop_x="600", crop_y="0", crop_width="100", crop_height="10")
    data["action"] = "publish"
    response = editor_client.post(reverse("imagestaff:edit", args=[image.pk]), data)
    assert response.status_code == 200
    assert "goes past the image" in response.content.decode()
    image.refresh_from_db()
    assert (image.renditions, image.crop, _public_files()) == (before[0], None, before[1])


@pytest.mark.django_db
def test_half_a_crop_is_an_error(editor_client, image):
    data = _edit_form(crop_x="10", action="publish")
    response = editor_client.post(reverse("imagestaff:edit", args=[image.pk]), data)
    assert response.status_code == 200 and "Give all four crop values" in response.content.decode()


# --- services and the command -----------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_an_image_removes_its_files(image, django_capture_on_commit_callbacks):
    names = image.derivative_names()
    original = Path(settings.MEDIA_PRIVATE_ROOT) / image.original.name
    with django_capture_on_commit_callbacks(execute=True):
        services.object_image_delete(image=image)
    assert not ObjectImage.objects.exists() and not original.exists()
    assert not any((Path(settings.MEDIA_PUBLIC_ROOT) / n).exists() for n in names)


@pytest.mark.django_db
def test_rebuild_derivatives_is_idempotent(image, monkeypatch):
    first = io.StringIO()
    call_command("rebuild_derivatives", stdout=first)
    assert "0 images rebuilt, 1 already current" in first.getvalue()
    snapshot = (list(ObjectImage.objects.values_list("renditions", flat=True)), _public_files())
    call_command("rebuild_derivatives", stdout=io.StringIO())
    assert snapshot == (
        list(ObjectImage.objects.values_list("renditions", flat=True)),
        _public_files(),
    )


@pytest.mark.django_db
def test_rebuild_derivatives_follows_a_size_change_and_restores_a_lost_file(
    image, monkeypatch, django_capture_on_commit_callbacks
):
    old = {Path(settings.MEDIA_PUBLIC_ROOT) / n for n in image.derivative_names()}
    monkeypatch.setattr(imaging, "RENDITIONS", (("thumb", 200), ("large", 400), ("full", 600)))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_derivatives", stdout=out)
    assert "1 images rebuilt" in out.getvalue()
    image.refresh_from_db()
    assert sorted({r["width"] for r in image.renditions}) == [200, 400, 600]
    assert not any(p.exists() for p in old)
    suffixes = {name.rsplit("-", 1)[1] for name in image.derivative_names()}
    assert all((Path(settings.MEDIA_PUBLIC_ROOT) / n).exists() for n in image.derivative_names())
    assert suffixes == {f"{w}w.{ext}" for w in (200, 400, 600) for ext in ("webp", "jpg")}
    lost = Path(settings.MEDIA_PUBLIC_ROOT) / image.renditions[0]["name"]
    lost.unlink()
    out = io.StringIO()
    call_command("rebuild_derivatives", stdout=out)
    assert "1 images rebuilt" in out.getvalue() and lost.exists()


@pytest.mark.django_db
def test_the_admin_links_each_image_to_its_editor(editor_client, image):
    url = reverse("admin:objects_traceobject_change", args=[image.trace_object_id])
    body = editor_client.get(url).content.decode()
    assert reverse("imagestaff:edit", args=[image.pk]) in body
    assert reverse("imagestaff:original", args=[image.pk]) in body
