"""The CSV export of tips: audited before the first byte, streamed, safe in a spreadsheet."""

import csv
import re
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from tips.models import CONTACT_PERMISSION, Tip
from tips.selectors import tip_contact
from traceobject.audit import Action, audit_record

# An export of up to this many tips lists every id in its audit row; a larger one records the
# count, the first and last id and the list's filters.
EXPORT_AUDIT_IDS = 10_000

HEADER = [
    "id",
    "object",
    "status",
    "received",
    "country",
    "place",
    "link",
    "certainty",
    "language",
    "tip",
]

# A spreadsheet starts a formula at = + - @ at the start of a cell, after any spaces, tabs or
# carriage returns it skips, and a cell starts after any separator it may split on: comma,
# semicolon (the default in most of the portal's languages), tab, pipe or a line break. Each
# such start gets a quote mark before it.
_FORMULA_START = re.compile(r"(^|[,;\t|\r\n])([ \t\r]*)([=+\-@])")


def csv_cell(value: object) -> object:
    """A cell that no spreadsheet will run: text with every formula start neutralised."""
    if not isinstance(value, str) or not value:
        return value
    return _FORMULA_START.sub(r"\1\2'\3", value)


class _Echo:
    """csv.writer's file: hands each formatted line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def tips_export_csv(*, tips: QuerySet[Tip], user: User, query: dict[str, str]) -> Iterator[str]:
    """The tips as CSV lines, every cell quoted, streamed from a server-side cursor (so "select
    all" over a million tips neither waits for nor holds the whole file in memory).

    Audited here, before the first line: the number of tips, the first and last id, the list's
    filters (`query`), and every id when there are at most EXPORT_AUDIT_IDS of them. Contact
    details are decrypted into the file only for a user with the contact permission.
    """
    with_contact = user.has_perm(CONTACT_PERMISSION)
    tips = tips.select_related("trace_object").order_by("pk")
    ids = list(tips.values_list("pk", flat=True)[: EXPORT_AUDIT_IDS + 1])
    detail: dict[str, Any] = {"with_contact": with_contact, "query": query}
    if len(ids) <= EXPORT_AUDIT_IDS:
        detail.update(count=len(ids), ids=ids)
    else:
        detail.update(
            count=tips.count(), first=ids[0], last=tips.values_list("pk", flat=True).last()
        )
    audit_record(action=Action.EXPORT, user=user, target_type="tips.tip", **detail)
    return _lines(tips, with_contact=with_contact)


def _lines(tips: QuerySet[Tip], *, with_contact: bool) -> Iterator[str]:
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield writer.writerow(HEADER + (["contact"] if with_contact else []))
    for tip in tips.iterator(chunk_size=2000):
        row = [
            tip.pk,
            tip.about,
            tip.status,
            tip.received_at.isoformat(),
            tip.country.code or "",
            tip.place,
            tip.link,
            tip.certainty,
            tip.language,
            tip.body,
        ]
        if with_contact:
            row.append(tip_contact(tip=tip))
        yield writer.writerow([csv_cell(cell) for cell in row])
