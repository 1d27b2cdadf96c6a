"""Object texts still in English on a page in another language carry lang="en" (WCAG 3.1.2)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from objects.models import TraceObjectTranslation
from tests.factories import make_object, make_tip
from tests.html import tags_with


def _german(name, *args):
    with translation.override("de"):
        return reverse(name, args=args)


@pytest.fixture
def two_objects(db):
    translated = make_object(title="Canvas tote bag", question="Where is this bag sold?")
    TraceObjectTranslation.objects.create(
        trace_object=translated,
        language="de",
        title="Stofftasche",
        question="Wo wird diese Tasche verkauft?",
        alt_text="Weiße Stofftasche",
    )
    untranslated = make_object(title="Brass hotel lamp", question="Which hotel is this?")
    return translated, untranslated


def test_the_gallery_marks_only_the_english_fallbacks(client, two_objects):
    body = client.get(_german("objects:gallery")).content.decode()
    assert '<span class="card-title">Stofftasche</span>' in body
    assert '<span class="card-title" lang="en" dir="ltr">Brass hotel lamp</span>' in body
    assert '<span class="card-question" lang="en" dir="ltr">Which hotel is this?</span>' in body
    assert re.search(r'alt="Weiße Stofftasche"(?! lang)', body)
    assert re.search(r'alt="Alt text for test object \d+" lang="en" dir="ltr"', body)


def test_the_object_page_marks_the_english_fallbacks(client, two_objects):
    _, untranslated = two_objects
    body = client.get(_german("objects:detail", untranslated.number)).content.decode()
    assert '<h1 lang="en" dir="ltr">Brass hotel lamp</h1>' in body
    assert '<h2 class="question" lang="en" dir="ltr">Which hotel is this?</h2>' in body
    assert '<div class="description" lang="en" dir="ltr">' in body


def test_english_pages_carry_no_lang_attributes_on_texts(client, two_objects):
    with translation.override("en"):
        body = client.get(reverse("objects:gallery")).content.decode()
    assert 'lang="en" dir="ltr">Brass hotel lamp' not in body
    assert '<span class="card-title">Brass hotel lamp</span>' in body


def test_category_names_are_marked_english_on_other_languages(client, two_objects):
    translated, _ = two_objects
    name = translated.category.name
    german = client.get(_german("objects:gallery")).content.decode()
    assert f'<span lang="en" dir="ltr">{name}</span>' in german
    assert 'aria-current="page" lang="en" dir="ltr">' not in german  # "All" is current, translated
    assert f'lang="en" dir="ltr">{name}</a>' in german
    with translation.override("en"):
        english = client.get(reverse("objects:gallery")).content.decode()
    assert f'<span lang="en" dir="ltr">{name}</span>' not in english


def _arabic(name, *args):
    with translation.override("ar"):
        return reverse(name, args=args)


def test_every_text_marked_with_a_language_also_carries_its_direction(client, two_objects):
    """On a right-to-left page an English text without dir="ltr" is laid out right to left,
    its question mark on the wrong side: every element given a lang is given a dir too."""
    translated, untranslated = two_objects
    receipt = make_tip(untranslated)
    pages = [
        client.get(_arabic("objects:gallery")),
        client.get(_arabic("objects:gallery"), {"q": "hotel"}),
        client.get(_arabic("objects:detail", untranslated.number)),
        client.get(_arabic("objects:detail", translated.number)),
        client.get(_arabic("tips:form", untranslated.number)),
        client.post(_arabic("tips:follow_up"), {"code": receipt.code}),
    ]
    marked = []
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        for tag, attrs in tags_with(body, "lang"):
            if tag == "html":
                assert attrs == {"lang": "ar", "dir": "rtl"}
                continue
            expected = "rtl" if attrs["lang"] == "ar" else "ltr"
            assert attrs.get("dir") == expected, (response.request["PATH_INFO"], tag, attrs)
            marked.append(attrs["lang"])
    assert marked.count("en") > 10  # the fallbacks were there to be checked


def test_a_translated_category_name_is_shown_unmarked_everywhere(client, two_objects):
    from objects import services
    from objects.models import CategoryTranslation

    translated, _ = two_objects
    category = translated.category
    services.translation_save(
        translation=CategoryTranslation(category=category, language="de", name="Taschen")
    )
    gallery = client.get(_german("objects:gallery")).content.decode()
    assert f'<a href="?category={category.slug}">Taschen</a>' in gallery
    assert "<span>Taschen</span>" in gallery  # on the card
    filtered = client.get(_german("objects:gallery"), {"category": category.slug}).content.decode()
    assert "<title>Taschen ·" in filtered
    page = client.get(_german("objects:detail", translated.number)).content.decode()
    assert f'?category={category.slug}">Taschen</a>' in page
    assert category.name not in gallery.split("<main", 1)[1].split("</ul>", 2)[0]
