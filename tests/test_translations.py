"""Every interface language is complete, compiles, and is what a visitor of its prefix gets."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>")


def _catalog(code):
    with (LOCALE / code / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return read_po(fh, locale=code)


def test_every_language_but_english_has_a_catalogue():
    assert sorted(p.name for p in LOCALE.iterdir() if p.is_dir()) == sorted(TRANSLATED)


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_is_complete_with_nothing_fuzzy(code):
    catalog = _catalog(code)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 200
    assert [m.id for m in messages if not m.string] == []
    assert [m.id for m in messages if m.fuzzy] == []
    assert not catalog.fuzzy  # the header, which would make gettext tools skip the file


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder_and_tag(code):
    for message in _catalog(code):
        if not message.id:
            continue
        if message.pluralizable:  # every form keeps the plural msgid's placeholders
            wanted = sorted(PLACEHOLDER.findall(message.id[1]))
            for form in message.string:
                assert sorted(PLACEHOLDER.findall(form)) == wanted, message.id
        else:
            wanted = sorted(PLACEHOLDER.findall(message.id))
            assert sorted(PLACEHOLDER.findall(message.string)) == wanted, message.id


@pytest.mark.parametrize("code", TRANSLATED)
def test_all_catalogues_hold_the_same_messages(code):
    german = {m.id for m in _catalog("de") if m.id}
    assert {m.id for m in _catalog(code) if m.id} == german


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_is_used(code):
    with translation.override(code):
        assert (
            translation.gettext("Send the tip")
            == {m.id: m.string for m in _catalog(code)}["Send the tip"]
        )


@pytest.mark.django_db
def test_a_page_is_served_in_the_language_of_its_prefix(client):
    with translation.override("de"):
        url = reverse("objects:gallery")
    assert url == "/de/"
    body = client.get(url).content.decode()
    assert '<html lang="de" dir="ltr">' in body
    assert "Können Sie diese Objekte identifizieren?" in body


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left(client):
    body = client.get("/ar/").content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "هل يمكنك التعرّف على هذه الأغراض؟" in body


# GNU gettext's Plural-Forms for Arabic (the gettext manual, "Plural forms"): zero, one, two,
# few (3-10), many (11-99) and other, by the number's last two digits.
ARABIC_PLURAL_FORMS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5;"
)


def test_arabic_plural_forms_are_those_gettext_defines():
    text = (LOCALE / "ar" / "LC_MESSAGES" / "django.po").read_text()
    headers = re.findall(r'"Plural-Forms: ([^"]*)\\n"', text)
    assert headers == [ARABIC_PLURAL_FORMS]


ARABIC_SAMPLES = [
    (0, 0),
    (1, 1),
    (2, 2),
    (3, 3),
    (10, 3),
    (11, 4),
    (99, 4),
    (100, 5),
    (102, 5),
    (103, 3),
    (111, 4),
]


@pytest.mark.parametrize(("n", "form"), ARABIC_SAMPLES)
def test_arabic_pages_choose_the_plural_form_gettext_would(n, form):
    singular = "Please write a little more, at least %(limit_value)d character."
    plural = "Please write a little more, at least %(limit_value)d characters."
    forms = next(m.string for m in _catalog("ar") if m.id == (singular, plural))
    with translation.override("ar"):
        assert translation.ngettext(singular, plural, n) == forms[form]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_plural_message_has_as_many_forms_as_the_language(code):
    catalog = _catalog(code)
    for message in catalog:
        if message.pluralizable:
            assert len(message.string) == catalog.num_plurals, message.id
            assert all(message.string), message.id


@pytest.mark.django_db
def test_identified_is_a_menu_item_and_a_badge_in_separate_contexts(client):
    from tests.factories import make_object

    make_object(status="identified")
    with translation.override("pl"):
        menu = translation.pgettext("menu", "Identified")
        badge = translation.pgettext("badge", "Identified")
        body = client.get(reverse("objects:gallery")).content.decode()
    assert menu != badge  # a list of objects, and one object
    assert f"{menu}</a></li>" in body
    assert f'<span class="badge badge-identified">{badge}</span>' in body
