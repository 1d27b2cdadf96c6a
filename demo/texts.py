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


@cache
def demo_translations() -> dict[str, dict]:
    """{language: {"categories": {slug: name}, "objects": {key: {field: text}}}}."""
    return {
        code: json.loads((FOLDER / f"{code}.json").read_text(encoding="utf-8"))
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    }
