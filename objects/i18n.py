"""Object and category texts in the visitor's language, falling back to English field by field."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language

from objects.models import (
    Category,
    CategoryTranslation,
    SitePage,
    SitePageTranslation,
    TraceObject,
    TraceObjectTranslation,
)

TRANSLATED_FIELDS = ("title", "question", "description", "alt_text", "identification_note")


def _language(language: str | None) -> str:
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]


def localise(objects: Iterable[TraceObject], language: str | None = None) -> list[TraceObject]:
    """Put each object's translated texts, and its category's name, on the instances: one query
    for the objects' translations and one for their categories', whatever the list's length.

    The instances are changed in memory only (public views never save them), so templates keep
    reading obj.title, obj.question, obj.category.name and image.alt; `obj.fallback_fields` (and
    `category.fallback_fields`) name the fields that stayed English (see
    objects.templatetags.object_text). English needs no query at all.
    """
    objects = list(objects)
    language = _language(language)
    if not objects or language == settings.LANGUAGE_CODE:
        return objects
    translations = {
        t.trace_object_id: t
        for t in TraceObjectTranslation.objects.filter(
            trace_object__in=[obj.pk for obj in objects], language=language
        )
    }
    for obj in objects:
        translation = translations.get(obj.pk)
        # Fields still in English on this page: templates mark them lang="en" dir="ltr" (WCAG
        # 3.1.2) so a screen reader reads them with English pronunciation.
        obj.fallback_fields = set(TRANSLATED_FIELDS)
        if translation is None:
            continue
        for field in TRANSLATED_FIELDS:
            value = getattr(translation, field)
            if value.strip():
                setattr(obj, field, value)
                obj.fallback_fields.discard(field)
    localise_categories(
        [obj.category for obj in objects if obj.category_id is not None], language=language
    )
    return objects


def localise_categories(categories: Iterable[Category], language: str | None = None) -> list:
    """Put each category's name in the page's language on the instances, in one query."""
    categories = list(categories)
    language = _language(language)
    if not categories or language == settings.LANGUAGE_CODE:
        return categories
    names = dict(
        CategoryTranslation.objects.filter(
            category__in={c.pk for c in categories}, language=language
        ).values_list("category_id", "name")
    )
    for category in categories:
        name = names.get(category.pk, "").strip()
        category.fallback_fields = set() if name else {"name"}
        if name:
            category.name = name
    return categories


def missing_languages(obj: TraceObject) -> list[str]:
    """The languages (codes) in which some public text of the object is still English only.

    A field counts when the English one is not empty (an object without a description needs
    none translated; the identification note only once it has one). Reads obj.translations.all(),
    so a list of objects costs one query when it is prefetched.
    """
    wanted = [f for f in TRANSLATED_FIELDS if getattr(obj, f, "").strip()]
    translations = {t.language: t for t in obj.translations.all()}
    missing = []
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        translation = translations.get(code)
        if translation is None or any(not getattr(translation, f).strip() for f in wanted):
            missing.append(code)
    return missing


def missing_category_languages(category: Category) -> list[str]:
    """The languages (codes) in which the category's name is still English only."""
    named = {t.language for t in category.translations.all() if t.name.strip()}
    return [
        code
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE and code not in named
    ]


def localise_page(page: SitePage, language: str | None = None) -> SitePage:
    """A site page's title and text in the page's language (one query), English where blank."""
    language = _language(language)
    page.fallback_fields = set()
    if language == settings.LANGUAGE_CODE:
        return page
    page.fallback_fields = {"title", "body"}
    translation = SitePageTranslation.objects.filter(page=page, language=language).first()
    for field in ("title", "body"):
        value = getattr(translation, field, "").strip() if translation else ""
        if value:
            setattr(page, field, value)
            page.fallback_fields.discard(field)
    return page
