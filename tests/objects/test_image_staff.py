"""Staff image views (original, editor canvas, preview, crop and redact) and the services
behind them: nothing of an image is public until its crop and redactions are published and its
object is public."""

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from objects import imaging, services
from objects.models import PREVIEW_PREFIX, ObjectImage, TraceObject
from objects.services import images as images_service
from tests.factories import make_category, make_image_bytes, make_object
from tests.personas import login_password_only, login_verified
from traceobject.storage import private_storage, public_storage

VIEWS = ["original", "source", "preview", "edit"]
# A solid redaction, in pixels of the 640 × 480 test image.
SECRET = imaging.Redaction(x=100, y=80, width=200, height=160, style="solid")


def _public_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_PUBLIC_ROOT).rglob("*") if p.is_file()}


def _listing(root) -> set[str]:
    """Every file stored under a media folder, by its name in the storage."""
    root = Path(root)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _assert_redacted(content: bytes, *, original_width: int = 640):
    """The SECRET rectangle is black in this derivative, whatever its size."""
    picture = Image.open(io.BytesIO(content)).convert("RGB")
    scale = picture.width / original_width
    inner = [
        (SECRET.x + dx * SECRET.width // 4, SECRET.y + dy * SECRET.height // 4)
        for dx in (1, 2, 3)
        for dy in (1, 2, 3)
    ]
    for x, y in inner:
        pixel = picture.getpixel((int(x * scale), int(y * scale)))
        assert max(pixel) <= 24, (picture.size, (x, y), pixel)
    # Outside the rectangle the picture is still there (the test image is orange).
    assert picture.getpixel((int(600 * scale), int(20 * scale)))[0] > 150


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
    """A new upload on a draft: its crop and redactions never published."""
    return make_object(status="draft", publish_image=False).images.get()


@pytest.fixture
def public_image(db):
    """An image of a published object, published with no crop."""
    return make_object().images.get()


# --- permission matrix ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_is_sent_to_login(client, image, name):
    response = client.get(reverse(f"imagestaff:{name}", args=[image.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", VIEWS)
def test_staff_without_permission_gets_403(client, image, staff_without_permission, name):
    login_verified(client, staff_without_permission)
    assert client.get(reverse(f"imagestaff:{name}", args=[image.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", VIEWS)
def test_a_password_without_the_second_factor_is_sent_to_the_code_step(client, image, editor, name):
    login_password_only(client, editor)
    response = client.get(reverse(f"imagestaff:{name}", args=[image.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:otp")


@pytest.mark.django_db
@pytest.mark.parametrize("name", VIEWS)
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
        crop_x="0",
        crop_y="0",
        crop_width="320",
        crop_height="240",
        **{
            "redactions-0-x": "10",
            "redactions-0-y": "10",
            "redactions-0-width": "50",
            "redactions-0-height": "50",
        },
    )
    response = editor_client.post(reverse("imagestaff:edit_preview", args=[image.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/jpeg;base64,' in body
    # After a preview two fresh empty rows follow the filled one (no JavaScript needed).
    assert 'name="redactions-TOTAL_FORMS" value="3"' in body
    image.refresh_from_db()
    assert (image.renditions, _public_files()) == before


@pytest.mark.django_db
def test_the_page_posts_preview_and_publish_to_their_own_views(editor_client, image):
    body = editor_client.get(reverse("imagestaff:edit", args=[image.pk])).content.decode()
    preview = reverse("imagestaff:edit_preview", args=[image.pk])
    publish = reverse("imagestaff:edit_publish", args=[image.pk])
    # Without a script the buttons' formaction sends the one form to either view; Enter previews.
    assert f'<form method="post" action="{preview}"' in body
    assert f'formaction="{preview}"' in body and f'formaction="{publish}"' in body


@pytest.mark.django_db
def test_a_preview_publishes_nothing_whatever_else_is_posted(editor_client, image):
    data = _edit_form(crop_x="0", crop_y="0", crop_width="320", crop_height="240")
    response = editor_client.post(
        reverse("imagestaff:edit_preview", args=[image.pk]), {**data, "action": "publish"}
    )
    assert response.status_code == 200
    image.refresh_from_db()
    assert (image.crop, image.edit_published_at) == (None, None)


@pytest.mark.django_db
def test_publish_replaces_the_derivatives_and_removes_the_old_ones(
    editor_client, public_image, django_capture_on_commit_callbacks
):
    image = public_image
    old = {Path(settings.MEDIA_PUBLIC_ROOT) / n for n in image.derivative_names()}
    assert old and all(p.exists() for p in old)
    data = _edit_form(
        crop_x="320",
        crop_y="0",
        crop_width="320",
        crop_height="240",
        **{
            "redactions-0-x": "400",
            "redactions-0-y": "40",
            "redactions-0-width": "100",
            "redactions-0-height": "100",
            "redactions-0-style": "pixelate",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("imagestaff:edit_publish", args=[image.pk]), data)
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
    response = editor_client.post(reverse("imagestaff:edit_publish", args=[image.pk]), data)
    assert response.status_code == 200
    assert "goes past the image" in response.content.decode()
    image.refresh_from_db()
    assert (image.renditions, image.crop, _public_files()) == (before[0], None, before[1])


@pytest.mark.django_db
def test_half_a_crop_is_an_error(editor_client, image):
    data = _edit_form(crop_x="10")
    response = editor_client.post(reverse("imagestaff:edit_publish", args=[image.pk]), data)
    assert response.status_code == 200 and "Give all four crop values" in response.content.decode()


# --- services and the command -----------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_an_image_removes_its_files(
    own_media, public_image, django_capture_on_commit_callbacks
):
    public, private = own_media
    assert _listing(public) and _listing(private)
    with django_capture_on_commit_callbacks(execute=True):
        services.object_image_delete(image=public_image)
    assert not ObjectImage.objects.exists()
    assert _listing(public) == set() and _listing(private) == set()


@pytest.mark.django_db
def test_deleting_an_object_in_the_admin_removes_its_images_files(
    editor_client, own_media, django_capture_on_commit_callbacks
):
    public, private = own_media
    obj = make_object()
    assert _listing(public) and _listing(private)
    url = reverse("admin:objects_traceobject_delete", args=[obj.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not TraceObject.objects.exists() and not ObjectImage.objects.exists()
    assert _listing(public) == set() and _listing(private) == set()


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
    public_image, monkeypatch, django_capture_on_commit_callbacks
):
    image = public_image
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
def test_rebuild_derivatives_keeps_old_rows_working_and_removes_what_is_not_public(
    own_media, django_capture_on_commit_callbacks, editor_client
):
    public, private = own_media
    shown = make_object().images.get()
    draft = make_object(status="draft", publish_image=False).images.get()
    # Rows as they were before derivatives were kept private: every image had its derivatives
    # in public storage, listed in `renditions`, and nothing else.
    for image in (shown, draft):
        images_service._copy_to_public(image.previews)
        for name in image.preview_names():
            private_storage().delete(name)
        image.renditions, image.previews, image.edit_published_at = image.previews, [], None
        image.save()
    migration = importlib.import_module("objects.migrations.0008_image_previews_and_publication")
    migration.existing_images(apps, None)
    shown.refresh_from_db()
    draft.refresh_from_db()
    assert shown.edit_published_at and shown.renditions and shown.previews == shown.renditions
    assert draft.edit_published_at is None and draft.renditions == [] and draft.previews
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_derivatives", stdout=io.StringIO())
    assert _listing(public) == shown.derivative_names()
    assert {n for n in _listing(private) if n.startswith(PREVIEW_PREFIX)} == (
        shown.preview_names() | draft.preview_names()
    )
    for image in (shown, draft):
        response = editor_client.get(reverse("imagestaff:preview", args=[image.pk]))
        assert response.status_code == 200


@pytest.mark.django_db
def test_rebuild_derivatives_deletes_stray_files(own_media, public_image):
    public, private = own_media
    before = (_listing(public), _listing(private))
    public_storage().save("objects/ab/stray-400w.jpg", io.BytesIO(b"left behind"))
    private_storage().save(PREVIEW_PREFIX + "objects/ab/stray-400w.jpg", io.BytesIO(b"old"))
    out = io.StringIO()
    call_command("rebuild_derivatives", stdout=out)
    assert "Removed 1 public and 1 private files" in out.getvalue()
    assert (_listing(public), _listing(private)) == before


# --- nothing public before publishing --------------------------------------------------------


def _admin_form(category, upload, status):
    return {
        "category": category.pk,
        "title": "Printed T-shirt",
        "question": "Where is this T-shirt sold?",
        "description": "",
        "alt_text": "A white T-shirt with a blue wave",
        "status": status,
        "identification_note": "",
        "case_reference": "CASE-1",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "images-0-alt_text": "",
        "images-0-position": "0",
        "images-0-upload": upload,
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "published"])
def test_saving_an_object_with_an_image_writes_nothing_to_public_storage(
    editor_client, own_media, status
):
    public, private = own_media
    upload = SimpleUploadedFile("IMG_0042.jpg", make_image_bytes(gps=True), "image/jpeg")
    add = reverse("admin:objects_traceobject_add")
    response = editor_client.post(add, _admin_form(make_category(), upload, status))
    assert response.status_code == 302
    image = ObjectImage.objects.get()
    assert image.trace_object.status == status
    assert _listing(public) == set()
    assert _listing(private) == {image.original.name} | image.preview_names()
    assert image.renditions == [] and len(image.previews) == 6
    assert image.thumb is None and image.srcset_jpeg == ""


@pytest.mark.django_db
def test_publishing_the_crop_of_a_public_object_makes_only_the_redacted_derivatives_public(
    editor_client, own_media, django_capture_on_commit_callbacks
):
    public, private = own_media
    image = make_object(publish_image=False).images.get()
    unredacted = image.preview_names()
    data = _edit_form(
        **{
            "redactions-0-x": str(SECRET.x),
            "redactions-0-y": str(SECRET.y),
            "redactions-0-width": str(SECRET.width),
            "redactions-0-height": str(SECRET.height),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("imagestaff:edit_publish", args=[image.pk]), data)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.edit_published_at is not None
    assert _listing(public) == image.derivative_names() and len(image.renditions) == 6
    for name in _listing(public):
        _assert_redacted((public / name).read_bytes())
    # The unredacted private copies made at upload are gone too.
    assert not unredacted & _listing(private)


@pytest.mark.django_db
def test_publishing_the_crop_of_a_draft_waits_for_the_object_to_be_published(
    own_media, django_capture_on_commit_callbacks
):
    public, _private = own_media
    obj = make_object(status="draft", publish_image=False)
    image = obj.images.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.object_image_edit(image=image, edit=imaging.Edit(redactions=(SECRET,)))
    assert _listing(public) == set() and image.renditions == []
    obj.status = TraceObject.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        services.object_save(obj=obj)
    image.refresh_from_db()
    assert _listing(public) == image.derivative_names() and len(image.renditions) == 6
    for name in _listing(public):
        _assert_redacted((public / name).read_bytes())


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_unpublishing_or_withdrawing_removes_the_public_derivatives(
    client, own_media, django_capture_on_commit_callbacks, status
):
    public, private = own_media
    obj = make_object()
    image = obj.images.get()
    url = image.thumb["url"]
    assert _listing(public) == image.derivative_names()
    assert client.get(url).status_code == 200
    obj.status = status
    with django_capture_on_commit_callbacks(execute=True):
        services.object_save(obj=obj)
    image.refresh_from_db()
    assert _listing(public) == set() and image.renditions == [] and image.thumb is None
    assert client.get(url).status_code == 404
    # Still there for staff, and published again with the object.
    assert image.preview_names() <= _listing(private) and image.edit_published_at
    obj.status = TraceObject.Status.PUBLISHED
    services.object_save(obj=obj)
    assert _listing(public) == ObjectImage.objects.get().derivative_names() != set()


@pytest.mark.django_db
def test_the_preview_is_the_private_derivative_never_cached(editor_client, image):
    url = reverse("imagestaff:preview", args=[image.pk])
    response = editor_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    stored = image.preview("large")
    with private_storage().open(stored["private_name"]) as fh:
        assert b"".join(response.streaming_content) == fh.read()
    thumb = editor_client.get(url + "?size=thumb")
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).width == 400
    assert editor_client.get(url + "?size=huge").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["image", "public_image"])
def test_the_admin_and_the_crop_page_show_images_only_through_the_preview_view(
    editor_client, request, fixture
):
    image = request.getfixturevalue(fixture)
    preview = reverse("imagestaff:preview", args=[image.pk])
    admin_page = reverse("admin:objects_traceobject_change", args=[image.trace_object_id])
    admin_body = editor_client.get(admin_page).content.decode()
    crop_body = editor_client.get(reverse("imagestaff:edit", args=[image.pk])).content.decode()
    assert settings.MEDIA_URL not in admin_body and settings.MEDIA_URL not in crop_body
    assert f'src="{preview}?size=thumb"' in admin_body
    if image.edit_published_at:
        assert f'src="{preview}"' in crop_body and "The public sees this image." in crop_body
    else:
        assert "it has never been published" in crop_body and preview not in crop_body


@pytest.mark.django_db
def test_the_admin_links_each_image_to_its_editor(editor_client, image):
    url = reverse("admin:objects_traceobject_change", args=[image.trace_object_id])
    body = editor_client.get(url).content.decode()
    assert reverse("imagestaff:edit", args=[image.pk]) in body
    assert reverse("imagestaff:original", args=[image.pk]) in body
