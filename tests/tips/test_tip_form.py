import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import SENTINEL_TEXT, make_image_bytes, make_object, tip_form_data
from tests.html import tags
from tips import receipts, selectors
from tips.models import Tip
from traceobject import crypto

CODE = re.compile(r'value="([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})"')


def url(obj):
    return reverse("tips:form", args=[obj.number])


def post(client, obj, **overrides):
    return client.post(url(obj), tip_form_data(obj, **overrides))


@pytest.mark.django_db
def test_the_form_page_sets_only_a_csrf_cookie_and_is_never_cached(client, published):
    response = client.get(url(published))
    assert response.status_code == 200
    assert set(response.cookies) == {"csrftoken"}
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    body = response.content.decode()
    assert published.question in body
    assert 'name="website"' in body and 'aria-hidden="true"' in body


@pytest.mark.django_db
def test_a_tip_is_stored_and_the_receipt_code_is_shown_once(client, published):
    response = post(client, published, contact="call me: +31 6 1234 5678")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = CODE.search(response.content.decode()).group(1)
    tip = Tip.objects.get()
    assert tip.trace_object == published and tip.status == Tip.Status.NEW
    assert tip.body.startswith("I have seen this bag")
    assert tip.country == "NL" and tip.place == "Vredenburg market" and tip.certainty == "think"
    assert tip.language == "en"
    assert tip.received_at.minute == 0 and tip.received_at.second == 0
    # Only a keyed hash of the code is stored; the code itself appears nowhere in the row.
    assert tip.receipt_hash == receipts.code_hash(code) and code not in str(
        Tip.objects.values().get()
    )
    assert b"+31 6 1234 5678" not in bytes(tip.contact_encrypted)
    assert selectors.tip_contact(tip=tip) == "call me: +31 6 1234 5678"


def test_receipt_codes_have_80_bits_from_an_unambiguous_alphabet():
    codes = {receipts.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
        assert not set(code) & set("ILOU")
    assert len(receipts.ALPHABET) ** receipts.LENGTH >= 2**80
    assert receipts.normalise("k7qm 2xwd-9fht-4rbn") == "K7QM2XWD9FHT4RBN"
    assert receipts.normalise("O0IL-0000-0000-0000") == "0011000000000000"


@pytest.mark.django_db
def test_the_same_form_sent_twice_makes_one_tip(client, published):
    data = tip_form_data(published)
    first = CODE.search(client.post(url(published), data).content.decode()).group(1)
    again = client.post(url(published), data)
    assert (
        CODE.search(again.content.decode()).group(1) == first
    )  # tests/tips/test_receipt_replay.py
    assert Tip.objects.count() == 1


@pytest.mark.django_db
def test_a_photo_is_stripped_of_gps_and_stored_encrypted(client, published):
    photo = SimpleUploadedFile("IMG_1.jpg", make_image_bytes(gps=True), "image/jpeg")
    assert post(client, published, photo=photo).status_code == 200
    tip = Tip.objects.get()
    with open(settings.MEDIA_PRIVATE_ROOT / tip.photo_name, "rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"gAAAAA")  # a Fernet token, not an image
    jpeg = crypto.decrypt(stored)
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG" and not image.getexif()
    assert b"Exif" not in jpeg and SENTINEL_TEXT.encode() not in jpeg
    assert not set(image.info) & {"exif", "icc_profile", "xmp"}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["identified", "withdrawn"])
def test_tips_on_closed_objects_are_refused_kindly_and_keep_the_text(client, status):
    obj = make_object(status=status)
    assert client.get(url(obj)).status_code == 410
    response = post(client, obj, body="Something I typed about this object")
    assert response.status_code == 410
    assert "Something I typed about this object" in response.content.decode()
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_tip_on_a_draft_or_unknown_object_is_404(client):
    draft = make_object(status="draft")
    assert post(client, draft).status_code == 404
    assert client.post(reverse("tips:form", args=[9999]), {"body": "x" * 20}).status_code == 404
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_gets_a_normal_looking_receipt_and_stores_nothing(client, published):
    response = post(client, published, website="http://spam.example")
    assert response.status_code == 200 and CODE.search(response.content.decode())
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_form_sent_too_fast_gets_a_receipt_and_stores_nothing(client, published):
    response = post(client, published, shown_seconds_ago=0.5)
    assert response.status_code == 200 and CODE.search(response.content.decode())
    assert not Tip.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "started",
    ["", "forged", "eyJvIjoxLCJ0IjoxLCJuIjoieCJ9:forgedsignature"],
)
def test_a_forged_timestamp_is_a_400_that_keeps_the_text(client, published, started):
    response = post(client, published, started=started, body="My careful tip text here")
    assert response.status_code == 400
    body = response.content.decode()
    assert "My careful tip text here" in body and "send the form again" in body.lower()
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_an_expired_form_is_a_400_that_keeps_the_text(client, published):
    stale = settings.TIP_FORM_MAX_AGE + 60
    response = post(client, published, shown_seconds_ago=stale, body="Typed two days ago")
    assert response.status_code == 400
    assert "Typed two days ago" in response.content.decode()
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_token_for_another_object_is_refused(client, published):
    other = make_object()
    data = tip_form_data(other)
    assert client.post(url(published), data).status_code == 400
    assert not Tip.objects.exists()


BAD_INPUT = [
    ({"body": "short"}, "at least 10 characters"),
    ({"body": "x" * 5001}, "shorten it to 5000 characters or fewer (it has 5001 now)"),
    ({"body": "A tip with a NUL\x00 byte in it"}, "invisible control characters"),
    ({"body": "A tip with a bell\x07 and escape\x1b[31m"}, "invisible control characters"),
    ({"body": "A tip with a bidi \u202eoverride\u202c inside"}, "invisible control characters"),
    ({"place": "Shop\x00name"}, "invisible control characters"),
    ({"country": "XX"}, "Please choose one of the answers in the list."),
    ({"country": "Netherlands"}, "Please choose one of the answers in the list."),
    ({"link": "javascript:alert(1)"}, "This is not a web address we can use."),
    ({"link": "ftp://files.example.org/x"}, "This is not a web address we can use."),
    ({"link": "data:text/html,<script>alert(1)</script>"}, "This is not a web address we can use."),
    ({"certainty": "absolutely"}, "Please choose one of the answers in the list."),
    ({"contact": "c" * 501}, "shorten it to 500 characters or fewer"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_input_is_a_clear_400_that_changes_nothing(client, published, overrides, message):
    response = post(client, published, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_control_characters_are_removed_from_what_is_shown_back(client, published):
    response = post(client, published, body="Seen at the \u202emarket\x00 in Ghent")
    body = response.content.decode()
    assert "Seen at the market in Ghent" in body
    assert "\u202e" not in body and "\x00" not in body
    # Sending the cleaned text again works.
    again = post(client, published, body="Seen at the market in Ghent")
    assert again.status_code == 200 and Tip.objects.count() == 1


@pytest.mark.django_db
def test_a_megabyte_of_text_is_a_clear_400(client, published):
    response = post(client, published, body="a" * 1_000_000)
    assert response.status_code == 400
    assert not Tip.objects.exists()


def _image(fmt, **kw):
    return make_image_bytes(fmt, **kw)


BAD_PHOTOS = [
    ("truncated.jpg", lambda: _image("JPEG", size=(1200, 900))[:3000], "damaged or incomplete"),
    ("svg.jpg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "not an image"),
    ("page.jpg", lambda: b"<!doctype html><html><body>x</body></html>", "not an image"),
    ("doc.jpg", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj", "not an image"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), BAD_PHOTOS)
def test_a_bad_photo_is_a_400_that_keeps_the_text(client, published, name, content, message):
    photo = SimpleUploadedFile(name, content(), "image/jpeg")
    response = post(client, published, photo=photo, body="Text that must survive a bad photo")
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "attach the photo again" in body
    assert "Text that must survive a bad photo" in body
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_decompression_bomb_photo_is_refused(client, published):
    out = io.BytesIO()
    Image.new("1", (9000, 6000)).save(out, "PNG")
    photo = SimpleUploadedFile("bomb.png", out.getvalue(), "image/png")
    response = post(client, published, photo=photo)
    assert response.status_code == 400
    assert "too many pixels" in response.content.decode()
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_photo_over_10_mb_is_refused_and_the_text_kept(client, published):
    photo = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\x00" * (11 * 1024 * 1024), "image/jpeg")
    response = post(client, published, photo=photo, body="Please keep this text for me")
    assert response.status_code == 400
    body = response.content.decode()
    assert "larger than 10 MB" in body and "Please keep this text for me" in body
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_200_mb_upload_is_refused_before_it_is_read(client, published):
    # The declared length is enough: the middleware answers before reading the body.
    response = client.generic(
        "POST",
        url(published),
        data=b"x" * 1024,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_failed_csrf_check_shows_the_form_again_with_the_text(published):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(url(published), tip_form_data(published, body="Typed with no cookie"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Typed with no cookie" in body and "security cookie" in body
    assert "csrftoken" in response.cookies  # a fresh cookie, so sending again works
    token = response.cookies["csrftoken"].value
    data = tip_form_data(published, body="Typed with no cookie", csrfmiddlewaretoken=token)
    assert CODE.search(client.post(url(published), data).content.decode())
    assert Tip.objects.get().body == "Typed with no cookie"


@pytest.mark.django_db
def test_a_bad_photo_is_explained_in_the_page_language(client, published):
    from django.utils import translation

    with translation.override("de"):
        german = reverse("tips:form", args=[published.number])
    photo = SimpleUploadedFile("x.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/jpeg")
    response = client.post(german, tip_form_data(published, photo=photo))
    assert response.status_code == 400
    assert "Die Datei ist kein Bild" in response.content.decode()


@pytest.mark.django_db
def test_a_heic_photo_from_a_phone_is_stored_as_a_clean_jpeg(client, published):
    import objects.imaging  # noqa: F401  (registers the HEIF opener and saver)

    exif = Image.Exif()
    exif[0x010F] = SENTINEL_TEXT
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 22.0, 48.16), 3: "E", 4: (4.0, 53.0, 40.0)})
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "HEIF", exif=exif.tobytes(), quality=85)
    heic = out.getvalue()
    assert Image.open(io.BytesIO(heic)).getexif().get_ifd(0x8825)
    photo = SimpleUploadedFile("IMG_0001.HEIC", heic, "image/heic")
    assert post(client, published, photo=photo).status_code == 200
    tip = Tip.objects.get()
    jpeg = selectors.tip_photo(tip=tip)
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG" and image.size == (640, 480)
    assert not image.getexif() and b"Exif" not in jpeg and SENTINEL_TEXT.encode() not in jpeg


@pytest.mark.django_db
def test_the_country_list_is_in_the_page_language_every_time(client, published):
    path = url(published).removeprefix("/en")
    for _ in range(2):  # the lists are kept per language: each must stay in its own
        german = client.get("/de" + path).content.decode()
        french = client.get("/fr" + path).content.decode()
        assert '<option value="EG">Ägypten</option>' in german
        assert '<option value="ZA">Afrique du Sud</option>' in french
        assert "Ägypten" not in french
        assert german.count("<option ") == french.count("<option ") == 250


@pytest.mark.django_db
def test_a_form_sent_back_keeps_the_chosen_country_selected(client, published):
    response = post(client, published, country="NL", body="short")
    assert response.status_code == 400
    body = response.content.decode()
    assert '<option value="NL" selected>' in body
    assert body.count(" selected>") == 1
    fresh = client.get(url(published)).content.decode()
    assert '<option value="" selected>' in fresh
    assert '<option value="NL" selected>' not in fresh


@pytest.mark.django_db
def test_an_invalid_form_starts_with_a_focused_summary_linking_each_field(client, published):
    response = post(client, published, body="short", link="javascript:alert(1)")
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r"<title>Error: Send a tip about TAO-\d+", body)
    summary = body[body.index('class="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert "autofocus" in body[body.index("<div", body.index("error-summary") - 40) :][:200]
    links = re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary)
    assert [anchor for anchor, _ in links] == ["id_body", "id_link"]
    assert "at least 10 characters" in links[0][1]
    # The summary comes before the form, and the fields it names exist on the page.
    assert body.index("error-summary") < body.index('<form method="post"')
    assert 'id="id_body"' in body and 'id="id_link"' in body


@pytest.mark.django_db
def test_a_wrong_radio_choice_links_to_the_first_choice(client, published):
    body = post(client, published, certainty="absolutely").content.decode()
    assert 'href="#id_certainty_0"' in body and 'id="id_certainty_0"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_form_errors_are_plain_words_in_every_language(client, published, language):
    from django.core.validators import MinLengthValidator
    from django.utils import translation

    with translation.override(language):
        page = reverse("tips:form", args=[published.number])
        plain = translation.ngettext(
            "Please write a little more, at least %(limit_value)d character, so that "
            "investigators can understand the tip.",
            "Please write a little more, at least %(limit_value)d characters, so that "
            "investigators can understand the tip.",
            10,
        ) % {"limit_value": 10}
        django_default = MinLengthValidator(10).message % {"limit_value": 10, "show_value": 5}
        error_word = translation.gettext("Error:")
    body = client.post(page, tip_form_data(published, body="short")).content.decode()
    assert plain in body
    assert django_default not in body
    assert f"<title>{error_word} " in body
    if language != "en":
        assert "Please write a little more" not in body


@pytest.mark.django_db
def test_no_certainty_is_chosen_until_the_person_chooses(client, published):
    body = client.get(url(published)).content.decode()
    radios = [t for t in tags(body, "input") if t.get("name") == "certainty"]
    assert len(radios) == 4
    assert not [r for r in radios if "checked" in r]


@pytest.mark.django_db
def test_not_sure_is_stored_as_no_answer(client, published):
    assert post(client, published, certainty="unsure").status_code == 200
    assert Tip.objects.get().certainty == ""


@pytest.mark.django_db
def test_a_form_sent_back_keeps_the_certainty_chosen(client, published):
    body = post(client, published, body="short", certainty="guess").content.decode()
    checked = [
        t["value"] for t in tags(body, "input") if t.get("name") == "certainty" and "checked" in t
    ]
    assert checked == ["guess"]
