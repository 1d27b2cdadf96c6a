"""Editors add objects in the admin; the upload goes through objects.imaging."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from objects.models import ObjectImage, TraceObject
from tests.factories import make_category, make_image_bytes, make_object
from tests.personas import login_password_only, login_verified

ADD = reverse("admin:objects_traceobject_add")


def _form(category, upload=None, **extra):
    data = {
        "category": category.pk,
        "title": "Printed T-shirt",
        "question": "Where is this T-shirt sold?",
        "description": "",
        "alt_text": "A white T-shirt with a blue wave",
        "status": "published",
        "identification_note": "",
        "case_reference": "CASE-1",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "images-0-alt_text": "",
        "images-0-position": "0",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    if upload is not None:
        data["images-0-upload"] = upload
    data.update(extra)
    return data


@pytest.mark.django_db
def test_an_editor_adds_and_publishes_an_object_with_an_image(editor_client, editor):
    category = make_category()
    upload = SimpleUploadedFile("IMG_0042.jpg", make_image_bytes(gps=True), "image/jpeg")
    response = editor_client.post(ADD, _form(category, upload))
    assert response.status_code == 302, response.context and response.context["errors"]
    obj = TraceObject.objects.get()
    assert obj.status == "published" and obj.published_at and obj.created_by == editor
    image = obj.images.get()
    assert image.is_primary and "IMG_0042" not in image.original.name
    assert editor_client.get(obj.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_corrupt_upload_is_an_error_on_the_form_and_creates_nothing(editor_client):
    category = make_category()
    upload = SimpleUploadedFile("photo.jpg", b"<svg></svg>", "image/jpeg")
    response = editor_client.post(ADD, _form(category, upload))
    assert response.status_code == 200
    assert "not an image" in response.content.decode()
    assert not TraceObject.objects.exists()
    assert not ObjectImage.objects.exists()


@pytest.mark.django_db
def test_making_another_image_primary_demotes_the_first(editor_client):
    obj = make_object()
    first = obj.images.get()
    add = SimpleUploadedFile("b.png", make_image_bytes("PNG"), "image/png")
    url = reverse("admin:objects_traceobject_change", args=[obj.pk])
    data = _form(
        obj.category,
        **{
            "images-TOTAL_FORMS": "2",
            "images-INITIAL_FORMS": "1",
            "images-0-id": first.pk,
            "images-0-trace_object": obj.pk,
            "images-0-position": "0",
            "images-1-upload": add,
            "images-1-position": "1",
            "images-1-is_primary": "on",
            "images-1-alt_text": "second",
        },
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert list(obj.images.order_by("position").values_list("is_primary", flat=True)) == [
        False,
        True,
    ]


@pytest.mark.django_db
def test_the_admin_finds_an_object_by_its_public_reference(editor_client):
    obj = make_object(title="Findable")
    make_object(title="Other")
    response = editor_client.get(
        reverse("admin:objects_traceobject_changelist"), {"q": obj.reference}
    )
    assert list(response.context["cl"].result_list) == [obj]


@pytest.mark.django_db
def test_staff_without_permission_gets_403(client, staff_without_permission):
    login_verified(client, staff_without_permission)
    assert client.get(ADD).status_code == 403


@pytest.mark.django_db
def test_an_editor_without_the_second_factor_is_sent_to_the_otp_step(client, editor):
    login_password_only(client, editor)
    response = client.get(ADD)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:otp")


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(ADD)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def _translation_rows(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


@pytest.mark.django_db
def test_an_editor_translates_an_object_and_the_search_finds_it(editor_client, client):
    obj = make_object(title="Canvas tote bag")
    first = obj.images.get()
    url = reverse("admin:objects_traceobject_change", args=[obj.pk])
    data = _form(
        obj.category,
        title="Canvas tote bag",
        **{
            "images-INITIAL_FORMS": "1",
            "images-0-id": first.pk,
            "images-0-trace_object": obj.pk,
        },
    )
    row = {"language": "de", "title": "Stofftasche", "question": "Wo wird sie verkauft?"}
    data.update(_translation_rows("translations", [row]))
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert obj.translations.get().title == "Stofftasche"
    german = client.get("/de/", {"q": "Stofftasche"})
    assert [o.pk for o in german.context["page"].object_list] == [obj.pk]


@pytest.mark.django_db
def test_the_object_list_names_the_languages_still_missing(editor_client):
    from objects import services
    from objects.models import TraceObjectTranslation

    obj = make_object(title="Canvas tote bag")
    for language in ("de", "fr", "es", "it", "nl", "pt", "ar"):
        services.translation_save(
            translation=TraceObjectTranslation(
                trace_object=obj,
                language=language,
                title="t",
                question="q",
                description="d",
                alt_text="a",
            )
        )
    services.translation_save(
        translation=TraceObjectTranslation(trace_object=obj, language="pl", title="Torba")
    )
    done = make_object()
    for language in ("de", "fr", "es", "it", "nl", "pl", "pt", "ar"):
        services.translation_save(
            translation=TraceObjectTranslation(
                trace_object=done,
                language=language,
                title="t",
                question="q",
                description="d",
                alt_text="a",
            )
        )
    none = make_object()
    body = editor_client.get(reverse("admin:objects_traceobject_changelist")).content.decode()
    rows = {
        o.reference: body.split(o.reference, 1)[1].split("</tr>", 1)[0] for o in (obj, done, none)
    }
    assert '<td class="field-languages_missing">pl</td>' in rows[obj.reference]
    assert "every language is done" in rows[done.reference]
    assert (
        '<td class="field-languages_missing">de, fr, es, it, nl, pl, pt, ar</td>'
        in rows[none.reference]
    )
    page = editor_client.get(reverse("admin:objects_traceobject_change", args=[obj.pk]))
    assert '<div class="readonly">pl</div>' in page.content.decode()


@pytest.mark.django_db
def test_an_editor_names_a_category_in_another_language(editor_client, client):
    category = make_category("bags", "Bags and luggage")
    obj = make_object(category=category)
    url = reverse("admin:objects_category_change", args=[category.pk])
    data = {"name": "Bags and luggage", "slug": "bags", "order": "1"}
    data.update(_translation_rows("translations", [{"language": "de", "name": "Taschen"}]))
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert category.translations.get().name == "Taschen"
    german = client.get("/de/", {"q": "Taschen"})
    assert [o.pk for o in german.context["page"].object_list] == [obj.pk]
    listing = editor_client.get(reverse("admin:objects_category_changelist")).content.decode()
    assert "fr, es, it, nl, pl, pt, ar" in listing
