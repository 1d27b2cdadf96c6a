"""The gallery search: the page's language and English, typos and short words (objects.search)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from objects import services
from objects.models import CategoryTranslation, ObjectSearchText, TraceObjectTranslation
from tests.factories import make_category, make_object


def _gallery(language):
    with translation.override(language):
        return reverse("objects:gallery")


def _found(client, language, query):
    response = client.get(_gallery(language), {"q": query})
    assert response.status_code == 200
    return [obj.title for obj in response.context["page"].object_list]


def _translate(obj, language, **fields):
    return services.translation_save(
        translation=TraceObjectTranslation(trace_object=obj, language=language, **fields)
    )


@pytest.fixture
def tote(db):
    bags = make_category("bags", "Bags and luggage")
    obj = make_object(category=bags, title="Canvas tote bag", question="Where is this bag sold?")
    _translate(
        obj, "de", title="Stofftasche mit Sonnenlogo", question="Wo wird diese Tasche verkauft?"
    )
    _translate(
        obj, "pl", title="Płócienna torba z logo słońca", question="Gdzie sprzedaje się tę torbę?"
    )
    make_object(title="Brass hotel lamp", question="Which hotel is this?")
    return obj


def test_a_german_word_finds_its_object_on_the_german_gallery(client, tote):
    assert _found(client, "de", "Tasche") == ["Stofftasche mit Sonnenlogo"]


def test_a_polish_word_finds_its_object_on_the_polish_gallery(client, tote):
    assert _found(client, "pl", "torba") == ["Płócienna torba z logo słońca"]


def test_the_english_text_is_found_in_every_language(client, tote):
    assert _found(client, "de", "tote") == ["Stofftasche mit Sonnenlogo"]
    assert _found(client, "ar", "lamp") == ["Brass hotel lamp"]


def test_another_languages_text_is_not_searched(client, tote):
    assert _found(client, "fr", "Tasche") == []
    assert _found(client, "en", "torba") == []


def test_a_short_word_matches_part_of_a_longer_one(client, tote):
    assert _found(client, "de", "Sonne") == ["Stofftasche mit Sonnenlogo"]
    assert _found(client, "en", "ass") == ["Brass hotel lamp"]


def test_case_does_not_matter(client, tote):
    assert _found(client, "de", "TASCHE") == ["Stofftasche mit Sonnenlogo"]


def test_a_translated_category_name_is_found(client, tote):
    services.translation_save(
        translation=CategoryTranslation(
            category=tote.category, language="de", name="Taschen und Gepäck"
        )
    )
    assert _found(client, "de", "Gepäck") == ["Stofftasche mit Sonnenlogo"]
    assert _found(client, "de", "luggage") == ["Stofftasche mit Sonnenlogo"]


def test_a_renamed_category_is_searched_by_its_new_name(client, tote):
    tote.category.name = "Handbags"
    services.category_save(category=tote.category)
    assert _found(client, "en", "handbags") == ["Canvas tote bag"]


def test_a_deleted_translation_is_no_longer_found(client, tote):
    services.translation_delete(translation=tote.translations.get(language="de"))
    assert _found(client, "de", "Tasche") == []
    assert _found(client, "de", "tote") == ["Canvas tote bag"]


def test_an_edited_object_is_searched_by_its_new_text(client, tote):
    tote.title = "Canvas shopper"
    services.object_save(obj=tote)
    assert _found(client, "en", "shopper") == ["Canvas shopper"]


def test_drafts_and_withdrawn_objects_are_never_found(client, db):
    make_object(status="draft", title="Secret draft bag")
    make_object(status="withdrawn", title="Withdrawn bag")
    assert _found(client, "en", "bag") == []


@pytest.mark.postgres
def test_a_typo_finds_the_object(client, tote):
    assert _found(client, "de", "Sonenlogo") == ["Stofftasche mit Sonnenlogo"]
    assert _found(client, "en", "hotl lamp") == ["Brass hotel lamp"]


@pytest.mark.postgres
def test_another_form_of_the_word_finds_the_object(client, tote):
    # Full-text search stems: "Taschen" (plural) finds "Tasche", "lamps" finds "lamp".
    assert _found(client, "de", "Taschen") == ["Stofftasche mit Sonnenlogo"]
    assert _found(client, "en", "lamps") == ["Brass hotel lamp"]


def test_the_query_count_does_not_grow_with_the_number_of_objects(
    client, tote, django_capture_on_commit_callbacks
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_gallery("de"), {"q": "a"}).status_code == 200
        return len(captured)

    few = queries()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(15):
            obj = make_object(title=f"Canvas bag {n}", with_image=n % 2 == 0)
            _translate(obj, "de", title=f"Tasche {n}")
    assert queries() == few


def test_every_object_has_a_search_row_per_language_with_texts(db, tote):
    rows = dict(ObjectSearchText.objects.filter(trace_object=tote).values_list("language", "text"))
    assert sorted(rows) == ["de", "en", "pl"]
    assert "canvas tote bag" in rows["en"] and "bags and luggage" in rows["en"]
    assert "stofftasche" in rows["de"] and "canvas" not in rows["de"]


@pytest.mark.postgres
def test_the_search_uses_its_indexes_on_a_large_gallery(db, tote):
    """With thousands of rows in the languages searched, PostgreSQL reads the trigram and
    full-text indexes rather than every row."""
    from django.utils import timezone

    from objects.models import TraceObject
    from objects.search import matching_object_ids, rebuild

    many = TraceObject.objects.bulk_create(
        TraceObject(
            number=10_000 + n,
            category=tote.category,
            title=f"Object {n} {'abcdefghij'[n % 10]}{n * 7919 % 1000:03d} kettle",
            question="Where is this sold?",
            alt_text="An object",
            status="published",
            published_at=timezone.now(),
        )
        for n in range(1500)
    )
    TraceObjectTranslation.objects.bulk_create(
        TraceObjectTranslation(trace_object=obj, language="de", title=f"Gegenstand {obj.number}")
        for obj in many
    )
    rebuild([obj.pk for obj in many])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE objects_objectsearchtext")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'objects_objectsearchtext'"
        )
        names = {row[0] for row in cursor.fetchall()}
        assert {"objectsearch_vector_idx", "objectsearch_text_trgm_idx"} <= names
        sql, params = matching_object_ids("Tasche", "de").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "objectsearch_text_trgm_idx" in plan and "objectsearch_vector_idx" in plan, plan
