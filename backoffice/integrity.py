"""Is a deployment whole? What `manage.py verify_integrity` checks after a restore.

It reads every app's rows, so it sits in the top layer. Each check names what it found wrong
(the row, the field, the file) as one line; a run with any such line has failed. It reads the
data in chunks (`.iterator()`) and reports progress, so it can run on a full production copy:
every stored file is asked for once (one HEAD request each on S3), every tip photo is read and
decrypted, and each published derivative is fetched once over HTTP when the public media URL
answers.
"""

import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cryptography.fernet import InvalidToken
from django.db import connection

from objects.models import ObjectImage, TraceObject
from tips.models import Tip, TipMessage
from traceobject import crypto
from traceobject.models import AuditEntry
from traceobject.storage import private_storage, public_storage

# Rows read from the database per round trip, and how often progress is reported.
BATCH = 500

# The audit log's triggers (backoffice migration 0002, traceobject migration 0002): the row
# trigger refuses UPDATE and DELETE, the statement trigger TRUNCATE. pg_dump keeps them; a
# restore that skipped them (a data-only restore, `--disable-triggers` left on) would not.
AUDIT_TRIGGERS = {
    "backoffice_audit_append_only": "refuses UPDATE and DELETE",
    "backoffice_audit_no_truncate": "refuses TRUNCATE",
}

HTTP_TIMEOUT = 10


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def summary(self) -> str:
        c = self.counts
        return (
            f"Checked {c['images']} images ({c['files']} files), {c['tips']} tips "
            f"({c['contacts']} contact details, {c['photos']} photos), {c['messages']} messages, "
            f"{c['triggers']} audit triggers, {c['urls']} public URLs: "
            f"{len(self.problems)} problems."
        )


Progress = Callable[[str], None]


def verify(*, http: bool = True, progress: Progress = lambda line: None) -> Report:
    """Run every check and return what it found; nothing is written anywhere."""
    report = Report()
    _check_images(report, progress)
    _check_tips(report, progress)
    _check_messages(report, progress)
    _check_audit_triggers(report)
    if http:
        _check_public_urls(report, progress)
    else:
        report.notes.append("public URLs: not checked (--no-http)")
    return report


def _counted(rows: Iterable, report: Report, name: str, progress: Progress):
    for n, row in enumerate(rows, 1):
        report.counts[name] += 1
        if n % BATCH == 0:
            progress(f"{name}: {n} checked")
        yield row


def _image_label(image: ObjectImage) -> str:
    return f"image {image.pk} ({image.trace_object.reference})"


def _check_images(report: Report, progress: Progress) -> None:
    private, public = private_storage(), public_storage()
    images = ObjectImage.objects.select_related("trace_object").order_by("pk")
    for image in _counted(images.iterator(chunk_size=BATCH), report, "images", progress):
        label = _image_label(image)
        wanted = [("original", image.original.name, private, "private")]
        wanted += [("preview", name, private, "private") for name in sorted(image.preview_names())]
        wanted += [
            ("published rendition", name, public, "public")
            for name in sorted(image.derivative_names())
        ]
        for kind, name, storage, where in wanted:
            report.counts["files"] += 1
            if not name:
                report.problem(f"{label}: {kind} has no file name")
            elif not storage.exists(name):
                report.problem(f"{label}: {kind} {name} is missing from {where} storage")


def _check_tips(report: Report, progress: Progress) -> None:
    private = private_storage()
    tips = (
        Tip.objects.order_by("pk")
        .values_list("pk", "contact_encrypted", "photo_name")
        .iterator(chunk_size=BATCH)
    )
    for pk, contact, photo_name in _counted(tips, report, "tips", progress):
        if contact:
            report.counts["contacts"] += 1
            if not _decrypts(contact):
                report.problem(f"tip {pk}: contact details do not decrypt with TIP_ENCRYPTION_KEYS")
        if photo_name:
            report.counts["photos"] += 1
            report.counts["files"] += 1
            if not private.exists(photo_name):
                report.problem(f"tip {pk}: photo {photo_name} is missing from private storage")
                continue
            with private.open(photo_name) as fh:
                token = fh.read()
            if not _decrypts(token):
                report.problem(
                    f"tip {pk}: photo {photo_name} does not decrypt with TIP_ENCRYPTION_KEYS"
                )


def _check_messages(report: Report, progress: Progress) -> None:
    messages = (
        TipMessage.objects.order_by("pk")
        .values_list("pk", "tip_id", "body_encrypted")
        .iterator(chunk_size=BATCH)
    )
    for pk, tip_id, body in _counted(messages, report, "messages", progress):
        if body and not _decrypts(body):
            report.problem(f"tip {tip_id}: message {pk} does not decrypt with TIP_ENCRYPTION_KEYS")


def _decrypts(token: bytes | memoryview) -> bool:
    try:
        crypto.decrypt(bytes(token))
    except InvalidToken:
        return False
    return True


def _check_audit_triggers(report: Report) -> None:
    if connection.vendor != "postgresql":
        report.notes.append(f"audit log triggers: not checked ({connection.vendor})")
        return
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        # tgenabled 'D' is a disabled trigger (ALTER TABLE … DISABLE TRIGGER): present but
        # not guarding anything, so it counts as missing.
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        found = dict(cursor.fetchall())
    for name, what in AUDIT_TRIGGERS.items():
        report.counts["triggers"] += 1
        if name not in found:
            report.problem(f"audit log: trigger {name} ({what}) is missing on {table}")
        elif found[name] == "D":
            report.problem(f"audit log: trigger {name} ({what}) is disabled on {table}")


def _check_public_urls(report: Report, progress: Progress) -> None:
    """Each published object's derivatives, fetched from the public media URL.

    Only when that URL is absolute (S3 or a CDN); a relative MEDIA_URL is served by the app
    itself, which this command does not start. If the first request cannot connect at all, the
    base is unreachable from here (a scratch restore without its CDN): said once, not as a
    problem per file, since each file's presence in storage is checked above.
    """
    storage = public_storage()
    images = (
        ObjectImage.objects.filter(trace_object__in=TraceObject.objects.published())
        .exclude(renditions=[])
        .select_related("trace_object")
        .order_by("pk")
    )
    for image in images.iterator(chunk_size=BATCH):
        for name in sorted(image.derivative_names()):
            url = storage.url(name)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https"):
                report.notes.append(
                    f"public URLs: not checked over HTTP (relative media URL {url!r})"
                )
                return
            report.counts["urls"] += 1
            if report.counts["urls"] % BATCH == 0:
                progress(f"urls: {report.counts['urls']} checked")
            status = _head(url)
            if status is None:
                report.counts["urls"] -= 1
                base = f"{parts.scheme}://{parts.netloc}"
                if report.counts["urls"] == 0:
                    report.notes.append(f"public URLs: not checked ({base} does not answer)")
                    return
                report.problem(f"{_image_label(image)}: {url} did not answer")
            elif status != 200:
                report.problem(f"{_image_label(image)}: {url} answered {status}")


def _head(url: str) -> int | None:
    """The HTTP status of a HEAD request without credentials; None if nothing answered."""
    request = urllib.request.Request(url, method="HEAD")  # noqa: S310 (http or https, above)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None
