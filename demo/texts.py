"""The demo objects' and categories' texts in every language but English, written once by hand
and kept as text: demo/translations/<language>.json, one file per language, keyed by the
demo object's key (demo.art.DEMO_OBJECTS) and the category's slug.

Brand names and words printed on the objects (SOLMARKT, "fresh from the square") stay as they
are: they are what the object shows, in any language.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

FOLDER = Path(__file__).resolve().parent / "translations"

# The demo site's legal notice and accessibility statement in English; the other languages are
# in the same files as the objects ("pages"). Clearly fictional, as the operator's name is.
DEMO_PAGES_ENGLISH = {
    "legal": {
        "title": "Legal notice",
        "body": "This is a demonstration site. The Demo Police Service does not exist, and "
        "nothing sent here reaches any police force.\n\nA real operator states here who runs "
        "the service: the authority's full name and address, who is responsible for the "
        "content, how to reach it, and the law under which it publishes objects and receives "
        "tips.",
    },
    "accessibility": {
        "title": "Accessibility statement",
        "body": "This is a demonstration site run by the fictional Demo Police Service.\n\n"
        "The site aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level "
        "AA. Every page works without JavaScript, in nine languages, with a screen reader and "
        "at 400% zoom; each release is checked with axe-core.\n\nA real operator states here "
        "how far the site meets the standard, what is known not to, and how to report a "
        "problem and get an answer.",
    },
}


@cache
def demo_translations() -> dict[str, dict]:
    """{language: {"categories": {slug: name}, "objects": {key: {field: text}},
    "pages": {kind: {"title": ..., "body": ...}}}}."""
    return {
        code: json.loads((FOLDER / f"{code}.json").read_text(encoding="utf-8"))
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    }


def demo_pages() -> dict[str, dict[str, dict[str, str]]]:
    """{kind: {language: {"title": ..., "body": ...}}}, English included."""
    pages = {kind: {settings.LANGUAGE_CODE: texts} for kind, texts in DEMO_PAGES_ENGLISH.items()}
    for language, texts in demo_translations().items():
        for kind, fields in texts["pages"].items():
            pages[kind][language] = fields
    return pages
