"""The demo data's translations: every object and category, in every language, complete."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from demo.art import DEMO_CATEGORIES, DEMO_OBJECTS
from demo.texts import demo_translations
from objects.i18n import missing_category_languages, missing_languages
from objects.models import Category, TraceObject

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Names printed on the objects (SOLMARKT, FC ARVENTO, 400 g): kept as they are in every language.
# Bounded by anything but a Latin letter or digit: Arabic joins "and" (و) to the next word.
PRINTED = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z][A-Z&]{2,}|\d+)(?![A-Za-z0-9])")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_demo_category_and_object_is_translated(language):
    texts = demo_translations()[language]
    assert set(texts["categories"]) == {c["slug"] for c in DEMO_CATEGORIES}
    assert set(texts["objects"]) == {o["key"] for o in DEMO_OBJECTS}
    for item in DEMO_OBJECTS:
        fields = texts["objects"][item["key"]]
        wanted = {"title", "question", "alt_text", "description"}
        if item["identified"]:
            wanted.add("identification_note")
        assert set(fields) == wanted, item["key"]
        assert all(value.strip() for value in fields.values()), item["key"]
        assert fields["title"] != item["title"], item["key"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_names_printed_on_the_objects_are_kept_in_every_language(language):
    texts = demo_translations()[language]["objects"]
    for item in DEMO_OBJECTS:
        for english, field in ((item["description"], "description"), (item["alt"], "alt_text")):
            printed = set(PRINTED.findall(english)) - {"T"}
            assert printed <= set(PRINTED.findall(texts[item["key"]][field])), (item["key"], field)


@pytest.mark.django_db
def test_after_seeding_no_demo_object_or_category_misses_a_language(client):
    call_command("seed_demo", stdout=io.StringIO())
    objects = TraceObject.objects.filter(case_reference__startswith="demo:")
    assert objects.count() == len(DEMO_OBJECTS)
    assert [
        o.reference for o in objects.prefetch_related("translations") if missing_languages(o)
    ] == []
    assert [c.slug for c in Category.objects.all() if missing_category_languages(c)] == []
    with translation.override("pl"):
        body = client.get(reverse("objects:gallery"), {"q": "torba"}).content.decode()
    assert "Płócienna torba z logo słońca" in body
