"""Marks object texts that are shown in English on a page in another language (WCAG 3.1.2)."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

register = template.Library()

_ENGLISH = mark_safe(f' lang="{settings.LANGUAGE_CODE}"')  # noqa: S308 (a constant from settings)


@register.filter
def fallback_lang(obj, field: str):
    """` lang="en"` when `field` of a localised object fell back to English, else nothing."""
    return _ENGLISH if field in getattr(obj, "fallback_fields", ()) else ""


@register.filter
def alt_lang(image, obj):
    """The same for an image's alt text: an image's own alt text is only ever written in English."""
    if not hasattr(obj, "fallback_fields"):
        return ""  # an English page: nothing to mark
    if image.alt_text or "alt_text" in obj.fallback_fields:
        return _ENGLISH
    return ""


@register.simple_tag
def editor_text_lang():
    """` lang="en"` on a page in another language, for texts editors write in English only
    (category names); nothing on English pages."""
    from django.utils.translation import get_language

    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return "" if language == settings.LANGUAGE_CODE else _ENGLISH
