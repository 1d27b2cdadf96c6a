"""The CSV export is safe in a spreadsheet that splits on commas, semicolons or tabs: every cell
quoted, no formula start anywhere a spreadsheet may begin a cell, empty cells left empty."""

import csv
import io

import pytest

from tests.factories import make_object, make_tip
from tips import services
from tips.models import Tip
from tips.services.export import csv_cell

PAYLOADS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "Kiosk;=HYPERLINK(A1)",
    "Kiosk,+SUM(A1)",
    "Kiosk\t-1+1",
    "Kiosk|@A1",
    "Two lines\n=1+1",
    "Spaces ;   =A1",
    "\t=A1",
    "\r=A1",
]
STARTS = ("=", "+", "-", "@", "\t", "\r")


def _export(investigator, tips):
    lines = services.tips_export_csv(
        tips=Tip.objects.filter(pk__in=[t.pk for t in tips]), user=investigator, query={}
    )
    return "".join(lines)


def _cells(text: str, delimiter: str) -> list[str]:
    """Every cell a spreadsheet splitting on `delimiter` would see (quotes ignored, as a naive
    spreadsheet would: the worst case)."""
    cells = []
    for line in text.splitlines():
        cells += [c.strip().strip('"').lstrip() for c in line.split(delimiter)]
    return cells


@pytest.mark.django_db
def test_no_field_can_start_a_formula_in_any_split(investigator_with_contact):
    obj = make_object()
    tips = [
        make_tip(
            obj, body=f"Seen it. {p}", place=p, link=f"https://shop.example/{p}", contact=p
        ).tip
        for p in PAYLOADS
    ]
    text = _export(investigator_with_contact, tips)
    for delimiter in (",", ";", "\t", "|"):
        dangerous = [c for c in _cells(text, delimiter) if c.startswith(STARTS[:4])]
        assert dangerous == [], f"split on {delimiter!r}"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "contact" and len(rows) == len(PAYLOADS) + 1
    places = {row[5] for row in rows[1:]}
    assert "Kiosk;'=HYPERLINK(A1)" in places, "the text stays readable, the formula defused"


@pytest.mark.django_db
def test_every_cell_is_quoted_and_an_empty_cell_stays_empty(investigator):
    tip = make_tip(body="Sold in a shop in Lyon near the station.", place="", link="").tip
    text = _export(investigator, [tip])
    row = text.splitlines()[1]
    assert row.startswith('"') and row.endswith('"')
    assert row.count('","') == row.count(",") and '"\'"' not in row
    parsed = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert parsed[4] == parsed[5] == parsed[6] == ""


def test_a_plain_value_is_left_as_it_is():
    assert csv_cell("Pingo-Doce in Lisbon, near the station") == (
        "Pingo-Doce in Lisbon, near the station"
    )
    assert csv_cell("") == "" and csv_cell(42) == 42
