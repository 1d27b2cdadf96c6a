"""Emergency numbers and reporting lines per country, from tips/hotlines.json.

The file is data for the operator to check (its "about" says how); this module only reads it,
refuses a malformed entry loudly at the first use, and labels each entry in the page's
language. The visitor chooses their country on the page: it is never guessed from the address.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_countries import countries

PATH = Path(__file__).resolve().parent / "hotlines.json"

KINDS = {
    "emergency": _("All emergencies"),
    "police": _("Police"),
    "ambulance": _("Ambulance"),
    "online": _("Report child sexual abuse images or videos found online"),
    "helpline": _("Helpline for children and families"),
    "missing": _("Missing children"),
}
NOTES = {"mobile": _("from a mobile phone"), "not urgent": _("when it is not urgent")}
_NUMBER = re.compile(r"^[0-9][0-9 -]{1,18}$")


@dataclass(frozen=True)
class Line:
    kind: str
    name: str = ""
    number: str = ""
    url: str = ""
    note: str = ""
    inhope: bool = False

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def note_label(self):
        return NOTES[self.note] if self.note else ""


@dataclass(frozen=True)
class Country:
    code: str
    numbers: tuple[Line, ...]
    links: tuple[Line, ...]

    @property
    def name(self) -> str:
        return str(countries.name(self.code))


def _line(code: str, raw: dict, *, link: bool) -> Line:
    line = Line(**raw)
    problem = None
    if line.kind not in KINDS:
        problem = f"unknown kind {line.kind!r}"
    elif line.note and line.note not in NOTES:
        problem = f"unknown note {line.note!r}"
    elif link and not line.url.startswith("https://"):
        problem = f"a link must be https://, got {line.url!r}"
    elif not link and not _NUMBER.match(line.number):
        problem = f"not a phone number: {line.number!r}"
    if problem:
        raise ImproperlyConfigured(f"{PATH.name}, {code}: {problem}")
    return line


@cache
def hotlines() -> dict[str, Country]:
    """Every country in the file, checked: {ISO code: Country}."""
    data = json.loads(PATH.read_text(encoding="utf-8"))
    listed = {}
    for code, entry in data["countries"].items():
        if code not in countries:
            raise ImproperlyConfigured(f"{PATH.name}: {code!r} is not a country code")
        listed[code] = Country(
            code=code,
            numbers=tuple(_line(code, n, link=False) for n in entry.get("numbers", [])),
            links=tuple(_line(code, n, link=True) for n in entry.get("links", [])),
        )
    return listed


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of the listed countries, by name in the active language."""

    def key(pair):  # "Österreich" among the O's, not after "Z"
        return unicodedata.normalize("NFKD", pair[1]).encode("ascii", "ignore").lower()

    return sorted(((code, c.name) for code, c in hotlines().items()), key=key)
