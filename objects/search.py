"""The gallery search: an object's texts in the page's language and in English.

Each object has one ObjectSearchText row per language it has texts in (English always), holding
the title, question, description, alt text and category name, lower-cased. On PostgreSQL a query
matches a row when any of these holds, each served by an index:

- full-text search under the row's language (stemming: "Taschen" finds "Tasche"), GIN on
  `vector`;
- trigram word similarity (a typo: "Tashe" finds "Tasche"), GIN trigram on `text`;
- a plain substring (short words and parts of words: "lamp" in "lampshade"), the same index.

SQLite (`make run`) has none of these: a substring match on `text` only.

The rows are rebuilt by `rebuild` whenever a service changes an object, one of its translations
or its category, so a search costs one subquery in the gallery's query, whatever the number of
objects.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, Value, When

from objects.models import (
    CategoryTranslation,
    ObjectSearchText,
    TraceObject,
    TraceObjectTranslation,
)

# PostgreSQL's text-search configuration for each language; Polish has none built in, so its
# words are matched unstemmed ("simple"), the trigram match covering most inflections.
SEARCH_CONFIGS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pl": "simple",
    "pt": "portuguese",
    "ar": "arabic",
}

_OBJECT_FIELDS = ("title", "question", "description", "alt_text")


def _join(*parts: str) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip()).lower()


def texts_for(obj, translations: Iterable, category_names: dict[str, str]) -> dict[str, str]:
    """{language: text} for one object: English, and each language with a translated text.

    A translated row holds only what is translated (the English row already holds the rest, and
    the search always reads both).
    """
    texts = {
        settings.LANGUAGE_CODE: _join(
            *(getattr(obj, f) for f in _OBJECT_FIELDS), obj.category.name if obj.category else ""
        )
    }
    by_language = {t.language: t for t in translations}
    for language in set(by_language) | set(category_names):
        translation = by_language.get(language)
        own = [getattr(translation, f) for f in _OBJECT_FIELDS] if translation else []
        text = _join(*own, category_names.get(language, ""))
        if text:
            texts[language] = text
    return texts


def rebuild(object_ids: Iterable[int], *, models=None) -> None:
    """Write the search rows of these objects again (in the caller's transaction).

    `models` is (TraceObject, TraceObjectTranslation, CategoryTranslation, ObjectSearchText),
    the current ones by default; a data migration passes its historical ones.
    """
    objects_model, translation_model, category_translation_model, search_model = models or (
        TraceObject,
        TraceObjectTranslation,
        CategoryTranslation,
        ObjectSearchText,
    )
    ids = list(object_ids)
    if not ids:
        return
    objects = list(objects_model.objects.filter(pk__in=ids).select_related("category"))
    translations: dict[int, list] = {}
    for translation in translation_model.objects.filter(trace_object__in=ids):
        translations.setdefault(translation.trace_object_id, []).append(translation)
    category_ids = {obj.category_id for obj in objects if obj.category_id}
    category_names: dict[int, dict[str, str]] = {}
    for row in category_translation_model.objects.filter(category__in=category_ids):
        category_names.setdefault(row.category_id, {})[row.language] = row.name
    rows = [
        search_model(trace_object_id=obj.pk, language=language, text=text)
        for obj in objects
        for language, text in texts_for(
            obj, translations.get(obj.pk, []), category_names.get(obj.category_id, {})
        ).items()
    ]
    search_model.objects.filter(trace_object__in=ids).delete()
    search_model.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        search_model.objects.filter(trace_object__in=ids).update(vector=_vector())


def _config():
    """The row's language's text-search configuration, as an SQL expression."""
    return Case(
        *(When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()),
        default=Value("simple"),
    )


def _vector():
    return SearchVector("text", config=_config())


def matching_object_ids(query: str, language: str) -> QuerySet:
    """The ids of objects whose texts in `language` or in English match `query`, as a subquery
    (one query in all, whatever the number of objects)."""
    languages = list(dict.fromkeys([language, settings.LANGUAGE_CODE]))
    words = query.strip().lower()
    # The alternatives are ORed on their own and the language is checked after, so PostgreSQL
    # can OR the indexes' bitmaps together. A row's vector is compared with the query under both
    # languages' configurations: a row is only ever in one of the two languages the visitor
    # reads, and a stem that happens to match under the other configuration does no harm.
    match = Q(text__contains=words)
    if connection.vendor == "postgresql":
        for code in languages:
            config = SEARCH_CONFIGS.get(code, "simple")
            match |= Q(vector=SearchQuery(query, config=config, search_type="websearch"))
        match |= Q(TrigramWordSimilar(F("text"), words))
    return ObjectSearchText.objects.filter(match, language__in=languages).values("trace_object_id")
