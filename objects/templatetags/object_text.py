"""Marks object texts that are shown in English on a page in another language (WCAG 3.1.2).

The mark is `lang` and `dir` together: on a right-to-left page an English fallback laid out
right to left puts its punctuation on the wrong side ("?Where is this drink sold").
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_ENGLISH = mark_safe(f' lang="{settings.LANGUAGE_CODE}" dir="ltr"')  # noqa: S308 (a constant)


@register.filter
def fallback_lang(obj, field: str):
    """` lang="en" dir="ltr"` when `field` of a localised object or category fell back to
    English, else nothing."""
    return _ENGLISH if field in getattr(obj, "fallback_fields", ()) else ""


@register.filter
def alt_lang(image, obj):
    """The same for an image's alt text: an image's own alt text is only ever written in English."""
    if not hasattr(obj, "fallback_fields"):
        return ""  # an English page: nothing to mark
    if image.alt_text or "alt_text" in obj.fallback_fields:
        return _ENGLISH
    return ""


# Open Graph wants language_TERRITORY; these are the territories sharing sites know each
# language by (Facebook lists Arabic as ar_AR).
OG_LOCALES = {
    "en": "en_GB",
    "de": "de_DE",
    "fr": "fr_FR",
    "es": "es_ES",
    "it": "it_IT",
    "nl": "nl_NL",
    "pl": "pl_PL",
    "pt": "pt_PT",
    "ar": "ar_AR",
}


@register.simple_tag
def og_locale(code: str = "") -> str:
    """The page's language (or `code`) as an Open Graph locale: "de" -> "de_DE"."""
    code = (code or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return OG_LOCALES.get(code, code)
