"""Editors' work is in the audit log: who published, withdrew or edited an object (which fields),
published a crop and redaction, added, changed or deleted an image, saved a translation or a
category, and who looked at an original (downloaded, drawn on, previewed)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from objects import services
from objects.models import (
    Category,
    CategoryTranslation,
    ObjectImage,
    SitePage,
    SitePageTranslation,
    TraceObject,
    TraceObjectTranslation,
)
from tests.admin_forms import admin_form
from tests.factories import make_category, make_image_bytes, make_object
from traceobject.models import AuditEntry


def _rows(**filters) -> list[tuple]:
    rows = AuditEntry.objects.filter(**filters).order_by("pk")
    return list(rows.values_list("action", "actor__username", "detail"))


def _change(client, obj, **fields):
    url = reverse("admin:objects_traceobject_change", args=[obj.pk])
    response = client.post(url, {**admin_form(client, url), **fields})
    assert response.status_code == 302, response.context and response.context["errors"]


def _object_rows(obj, after: int) -> list[tuple]:
    return _rows(target_type="objects.traceobject", target_id=str(obj.pk), pk__gt=after)


def _last() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.django_db
def test_publishing_a_draft_is_audited_as_publish_with_who_and_what(editor):
    obj = make_object(status="draft")
    after = _last()
    obj.status = "published"
    services.object_save(obj=obj, user=editor)
    [(action, who, detail)] = _object_rows(obj, after)
    assert (action, who) == ("publish", "editor")
    assert detail["status"] == ["draft", "published"]
    assert "status" in detail["fields"] and "published_at" in detail["fields"]


@pytest.mark.django_db
def test_withdrawing_a_published_object_is_audited_as_unpublish(editor):
    obj = make_object(status="published")
    after = _last()
    obj.status = "withdrawn"
    services.object_save(obj=obj, user=editor)
    assert _object_rows(obj, after) == [
        ("unpublish", "editor", {"fields": ["status"], "status": ["published", "withdrawn"]})
    ]


@pytest.mark.django_db
def test_an_edit_records_which_fields_changed_and_never_their_text(editor):
    obj = make_object(status="published")
    after = _last()
    obj.title, obj.case_reference = "A green rucksack", "CASE-SECRET-77"
    services.object_save(obj=obj, user=editor)
    [(action, who, detail)] = _object_rows(obj, after)
    assert (action, who, detail) == ("change", "editor", {"fields": ["title", "case_reference"]})
    assert "CASE-SECRET-77" not in repr(list(AuditEntry.objects.values()))


@pytest.mark.django_db
def test_a_save_that_changes_nothing_writes_no_row(editor):
    obj = make_object(status="published")
    after = _last()
    services.object_save(obj=obj, user=editor)
    assert _object_rows(obj, after) == []


@pytest.mark.django_db
def test_the_admin_audits_its_edits_through_the_service(editor_client):
    obj = make_object(status="published")
    after = _last()
    _change(editor_client, obj)
    assert _object_rows(obj, after) == []
    _change(editor_client, obj, title="A green rucksack")
    assert _object_rows(obj, after) == [("change", "editor", {"fields": ["title"]})]


@pytest.mark.django_db
def test_an_object_added_with_an_image_records_both(editor_client, editor):
    category = make_category()
    upload = SimpleUploadedFile("a.jpg", make_image_bytes(size=(200, 150)), "image/jpeg")
    data = {
        "category": category.pk,
        "title": "Lamp",
        "question": "Where?",
        "alt_text": "A lamp",
        "status": "draft",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-0-upload": upload,
        "images-0-position": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    assert editor_client.post(reverse("admin:objects_traceobject_add"), data).status_code == 302
    obj = TraceObject.objects.get(title="Lamp")
    image = obj.images.get()
    assert _rows(actor=editor) == [
        ("create", "editor", {"status": "draft"}),
        ("create", "editor", {"object": obj.pk}),
    ]
    assert AuditEntry.objects.filter(
        target_type="objects.objectimage", target_id=str(image.pk)
    ).exists()


def _edit(**extra):
    return {
        "crop_x": "0",
        "crop_y": "0",
        "crop_width": "320",
        "crop_height": "240",
        "redactions-TOTAL_FORMS": "2",
        "redactions-INITIAL_FORMS": "0",
        "redactions-0-x": "10",
        "redactions-0-y": "10",
        "redactions-0-width": "50",
        "redactions-0-height": "50",
        "redactions-0-style": "solid",
        "redactions-1-style": "solid",
        **extra,
    }


@pytest.mark.django_db
def test_publishing_a_crop_and_redaction_is_audited(editor_client):
    image = make_object(status="draft", publish_image=False).images.get()
    response = editor_client.post(reverse("imagestaff:edit_publish", args=[image.pk]), _edit())
    assert response.status_code == 302
    assert _rows(action="image_published") == [
        (
            "image_published",
            "editor",
            {"object": image.trace_object_id, "crop": True, "redactions": 1},
        )
    ]


@pytest.mark.django_db
def test_a_preview_is_audited_as_a_look_at_the_original(editor_client):
    image = make_object(status="draft").images.get()
    response = editor_client.post(reverse("imagestaff:edit_preview", args=[image.pk]), _edit())
    assert response.status_code == 200
    assert _rows(action="view", target_type="objects.objectimage") == [
        ("view", "editor", {"what": "preview", "object": image.trace_object_id})
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "what"), [("imagestaff:original", "original"), ("imagestaff:source", "source")]
)
def test_reading_the_original_is_audited(editor_client, name, what):
    image = make_object(status="draft").images.get()
    response = editor_client.get(reverse(name, args=[image.pk]))
    assert response.status_code == 200
    b"".join(getattr(response, "streaming_content", []))
    assert _rows(action="view", target_type="objects.objectimage", target_id=str(image.pk)) == [
        ("view", "editor", {"what": what, "object": image.trace_object_id})
    ]


@pytest.mark.django_db
def test_image_changes_and_deletion_in_the_admin_are_audited(
    editor_client, django_capture_on_commit_callbacks
):
    obj = make_object()
    first = obj.images.get()
    url = reverse("admin:objects_traceobject_change", args=[obj.pk])
    _change(editor_client, obj, **{"images-0-alt_text": "The strap, close up"})
    assert _rows(action="change", target_type="objects.objectimage") == [
        ("change", "editor", {"object": obj.pk, "fields": ["alt_text"]})
    ]
    data = {**admin_form(editor_client, url), "images-0-DELETE": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    assert not ObjectImage.objects.filter(pk=first.pk).exists()
    assert _rows(action="delete", target_id=str(first.pk)) == [
        ("delete", "editor", {"object": obj.pk})
    ]


@pytest.mark.django_db
def test_translations_saved_and_deleted_are_audited(editor):
    obj = make_object()
    translation = TraceObjectTranslation(trace_object=obj, language="de", title="Ein Rucksack")
    services.translation_save(translation=translation, user=editor)
    translation.title = "Ein grüner Rucksack"
    services.translation_save(translation=translation, user=editor)
    services.translation_delete(translation=translation, user=editor)
    detail = {"object": obj.pk, "language": "de"}
    assert _rows(target_type="objects.traceobjecttranslation") == [
        ("create", "editor", detail),
        ("change", "editor", detail),
        ("delete", "editor", detail),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["category", "page"])
def test_category_and_site_page_translations_are_audited_alike(editor, kind):
    if kind == "category":
        parent = make_category()
        translation = CategoryTranslation(category=parent, language="de", name="Taschen")
        text = "name"
    else:
        parent = SitePage.objects.create(kind="legal", title="Legal notice", body="Us.")
        translation = SitePageTranslation(page=parent, language="de", title="Impressum")
        text = "title"
    services.translation_save(translation=translation, user=editor)
    services.translation_save(translation=translation, user=editor)  # nothing changed: no row
    setattr(translation, text, "Geändert")
    services.translation_save(translation=translation, user=editor)
    services.translation_delete(translation=translation, user=editor)
    detail = {kind: parent.pk, "language": "de"}
    assert _rows(target_type=f"objects.{type(translation).__name__.lower()}") == [
        ("create", "editor", detail),
        ("change", "editor", detail),
        ("delete", "editor", detail),
    ]


@pytest.mark.django_db
def test_editors_edit_translations_in_the_admin(editor_client):
    obj = make_object()
    url = reverse("admin:objects_traceobject_change", args=[obj.pk])
    data = {
        **admin_form(editor_client, url),
        "translations-TOTAL_FORMS": "1",
        "translations-0-language": "fr",
        "translations-0-title": "Un sac",
    }
    assert editor_client.post(url, data).status_code == 302
    assert obj.translations.get().title == "Un sac"
    assert _rows(target_type="objects.traceobjecttranslation")[0][:2] == ("create", "editor")


@pytest.mark.django_db
def test_category_changes_are_audited_with_the_fields(editor_client):
    category = make_category()
    url = reverse("admin:objects_category_change", args=[category.pk])
    data = {**admin_form(editor_client, url), "name": "Bags and cases"}
    assert editor_client.post(url, data).status_code == 302
    assert _rows(target_type="objects.category") == [("change", "editor", {"fields": ["name"]})]
    assert (
        editor_client.post(
            reverse("admin:objects_category_delete", args=[category.pk]), {"post": "yes"}
        ).status_code
        == 302
    )
    assert not Category.objects.filter(pk=category.pk).exists()
    assert _rows(action="delete", target_type="objects.category") == [
        ("delete", "editor", {"name": "Bags and cases"})
    ]


@pytest.mark.django_db
def test_deleting_an_object_deletes_its_image_files_and_is_audited(
    editor_client, django_capture_on_commit_callbacks
):
    obj = make_object(status="draft")
    image = obj.images.get()
    public = [Path(settings.MEDIA_PUBLIC_ROOT) / name for name in image.derivative_names()]
    original = Path(settings.MEDIA_PRIVATE_ROOT) / image.original.name
    url = reverse("admin:objects_traceobject_delete", args=[obj.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not TraceObject.objects.filter(pk=obj.pk).exists()
    assert not original.exists() and not any(path.exists() for path in public)
    assert _rows(action="delete", target_type="objects.traceobject") == [
        ("delete", "editor", {"reference": obj.reference, "images": 1})
    ]


@pytest.mark.django_db
def test_identifying_an_object_is_one_row_with_the_status(investigator):
    obj = make_object(status="published")
    after = _last()
    services.object_identify(obj=obj, user=investigator, note="Sold in Lyon.")
    [(action, who, detail)] = _object_rows(obj, after)
    assert (action, who, detail["status"]) == (
        "change",
        "investigator",
        ["published", "identified"],
    )
    assert set(detail["fields"]) == {"status", "identified_at", "identification_note"}
