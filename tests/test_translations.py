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
PLACEHOLDER = re.compile(r"%\(\w+\)s|<[^>]+>")


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
        if message.id:
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
