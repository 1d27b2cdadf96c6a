"""Object texts in the visitor's language, falling back to English field by field."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import get_language

from objects.models import TraceObject, TraceObjectTranslation

TRANSLATED_FIELDS = ("title", "question", "description", "alt_text")


def localise(objects: Iterable[TraceObject], language: str | None = None) -> list[TraceObject]:
    """Put each object's translated texts on the instances, in one query for the whole list.

    The instances are changed in memory only (public views never save them), so templates keep
    reading obj.title, obj.question and image.alt; `obj.fallback_fields` names the fields that
    stayed English (see objects.templatetags.object_text). English needs no query at all.
    """
    objects = list(objects)
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
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
        # Fields still in English on this page: templates mark them lang="en" (WCAG 3.1.2) so a
        # screen reader reads them with English pronunciation.
        obj.fallback_fields = set(TRANSLATED_FIELDS)
        if translation is None:
            continue
        for field in TRANSLATED_FIELDS:
            value = getattr(translation, field)
            if value.strip():
                setattr(obj, field, value)
                obj.fallback_fields.discard(field)
    return objects
