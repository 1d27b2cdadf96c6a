"""Invariant 1 and 6, end to end: send a tip and follow it up, then look everywhere for the sender.

Runs on the real PostgreSQL (a full pg_dump of the test database) and the real Redis (every key
and value), with every log line captured. Then the times: nothing stored for a tip (columns,
Fernet tokens, files) is more precise than the hour.
"""

import hashlib
import importlib
import logging
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_image_bytes, make_object, tip_form_data
from tips import selectors, services
from tips.models import Tip, TipMessage
from traceobject import crypto
from traceobject.hours import HOUR

SENTINEL_IP = "203.0.113.77"
SENTINEL_PROXY_IP = "198.51.100.201"
SENTINEL_UA = "SentinelBrowser/9.9 (X11; sentinel-ua-5e2b)"
SENTINEL_REFERER = "https://referer.example/sentinel-ref-91c4"
SENTINEL_CONTACT = "sentinel-contact-a8d3@example.org"


def _forms(value: str) -> dict[str, bytes]:
    raw = value.encode()
    forms = {"raw": raw}
    for algo in ("md5", "sha1", "sha256"):
        forms[algo] = hashlib.new(algo, raw).hexdigest().encode()
    return forms


SENTINELS = {
    name: _forms(value)
    for name, value in {
        "ip": SENTINEL_IP,
        "proxy_ip": SENTINEL_PROXY_IP,
        "ua": SENTINEL_UA,
        "referer": SENTINEL_REFERER,
    }.items()
}


def _assert_absent(blob: bytes, where: str):
    for name, forms in SENTINELS.items():
        for form, needle in forms.items():
            assert needle not in blob, f"{name} ({form}) found in {where}"
            assert needle.upper() not in blob, f"{name} ({form}, upper) found in {where}"


def _pg_dump() -> bytes:
    db = connection.settings_dict
    return subprocess.run(
        [
            "pg_dump",
            "--host",
            db["HOST"] or "127.0.0.1",
            "--port",
            str(db["PORT"] or 5432),
            "--username",
            db["USER"] or "postgres",
            "--no-password",
            db["NAME"],
        ],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout


def _redis_everything() -> bytes:
    client = redis.Redis.from_url(settings.REDIS_URL)
    parts = []
    for key in client.scan_iter(count=1000):
        parts.append(key)
        kind = client.type(key)
        if kind == b"string":
            parts.append(client.get(key) or b"")
        elif kind == b"hash":
            parts.extend(b"".join(kv) for kv in client.hgetall(key).items())
        elif kind in (b"list",):
            parts.extend(client.lrange(key, 0, -1))
        elif kind in (b"set",):
            parts.extend(client.smembers(key))
        elif kind == b"zset":
            parts.extend(m for m, _ in client.zrange(key, 0, -1, withscores=True))
    return b"\n".join(parts)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_no_trace_of_the_sender_in_database_logs_or_cache(client, caplog, capfd, investigator):
    caplog.set_level(logging.DEBUG)
    obj = make_object()
    headers = {
        "REMOTE_ADDR": SENTINEL_PROXY_IP,
        "HTTP_X_FORWARDED_FOR": SENTINEL_IP,
        "HTTP_USER_AGENT": SENTINEL_UA,
        "HTTP_REFERER": SENTINEL_REFERER,
        "HTTP_ACCEPT_LANGUAGE": "en",
    }
    client.get(reverse("tips:form", args=[obj.number]), **headers)
    response = client.post(
        reverse("tips:form", args=[obj.number]),
        tip_form_data(obj, contact=SENTINEL_CONTACT),
        **headers,
    )
    assert response.status_code == 200
    code = re.search(r'value="([0-9A-Z-]{19})"', response.content.decode()).group(1)
    tip = Tip.objects.get()
    services.tip_ask(tip=tip, user=investigator, body="Which market?")
    follow = client.post(reverse("tips:follow_up"), {"code": code}, **headers)
    assert "Which market?" in follow.content.decode()
    client.post(reverse("tips:follow_up"), {"code": code, "reply": "The Saturday one"}, **headers)
    client.post(reverse("tips:follow_up"), {"code": "K7QM-2XWD-9FHT-4RBN"}, **headers)
    client.get("/no-such-page/", **headers)  # a logged 404 too

    dump = _pg_dump()
    assert b"Which market" not in dump and b"Saturday" not in dump  # messages encrypted
    assert SENTINEL_CONTACT.encode() not in dump
    assert code.encode() not in dump and code.replace("-", "").encode() not in dump
    assert b"I have seen this bag" in dump  # the dump really holds the tip
    _assert_absent(dump, "pg_dump")

    cache_blob = _redis_everything()
    assert cache_blob, "the rate limiter should have written keys to Redis"
    _assert_absent(cache_blob, "Redis")

    out, err = capfd.readouterr()
    logs = "\n".join(
        [r.getMessage() for r in caplog.records]
        + [str(getattr(r, "request", "")) for r in caplog.records]
        + [out, err]
    ).encode()
    assert b"no-such-page" in logs  # the capture really saw the request log
    _assert_absent(logs, "logs")


# Times of the staff's own decisions on a tip: exact, they are not the tipster's.
STAFF_TIMES = {"status_changed_at", "forwarded_at", "contact_erased_at"}


def _datetime_columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]


def _whole_hour(value: datetime) -> bool:
    return value.minute == value.second == value.microsecond == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_nothing_stored_for_a_tip_is_more_precise_than_the_hour(client, own_media, investigator):
    _public, private = own_media
    obj = make_object()
    client.get(reverse("tips:form", args=[obj.number]))
    photo = SimpleUploadedFile("IMG_7.jpg", make_image_bytes(gps=True), "image/jpeg")
    response = client.post(
        reverse("tips:form", args=[obj.number]),
        tip_form_data(obj, contact=SENTINEL_CONTACT, photo=photo),
    )
    code = re.search(r'value="([0-9A-Z-]{19})"', response.content.decode()).group(1)
    tip = Tip.objects.get()
    services.tip_question(tip=tip, user=investigator, body="Which market?")
    client.post(reverse("tips:follow_up"), {"code": code, "reply": "The Saturday one"})

    # Files first: reading one would update its access time (listing the folder updates the
    # folder's, so only its modification time is checked).
    files = [p for p in (private / "tips").rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].name == Path(Tip.objects.get().photo_name).name
    for path in files:
        assert path.stat().st_mtime % HOUR == 0 and path.stat().st_atime % HOUR == 0, path
    assert (private / "tips").stat().st_mtime % HOUR == 0

    # Every time column of the tip and its messages, read back from the database.
    tip_columns = _datetime_columns(Tip)
    assert set(tip_columns) - STAFF_TIMES == {"received_at", "updated_at"}
    stored = Tip.objects.values(*tip_columns).get()
    for name in set(tip_columns) - STAFF_TIMES:
        assert _whole_hour(stored[name]), (name, stored[name])
    messages = list(TipMessage.objects.values("author", *_datetime_columns(TipMessage)))
    assert {m["author"] for m in messages} == {"investigator", "tipster"}
    for message in messages:
        for name in _datetime_columns(TipMessage):
            assert _whole_hour(message[name]), (name, message)

    # Every Fernet token: contact details, both messages, the photo file.
    tip = Tip.objects.get()
    tokens = [bytes(tip.contact_encrypted), (private / tip.photo_name).read_bytes()]
    tokens += [bytes(m.body_encrypted) for m in TipMessage.objects.all()]
    assert all(tokens) and len(tokens) == 4
    for token in tokens:
        assert crypto.token_time(token) % HOUR == 0
    assert selectors.tip_contact(tip=tip) == SENTINEL_CONTACT  # the tokens really are ours


@pytest.mark.django_db
def test_times_stored_before_are_rounded_by_the_migration(published):
    receipt = services.tip_create(
        obj=published, body="Seen it", language="en", submission_hash="a" * 64
    )
    TipMessage.objects.create(
        tip=receipt.tip, author="tipster", body_encrypted=b"x", created_at=timezone.now()
    )
    exact = timezone.now().replace(minute=17, second=42, microsecond=123456) - timedelta(days=3)
    with connection.cursor() as cursor:  # around the field, which would round it
        cursor.execute("UPDATE tips_tip SET received_at = %s, updated_at = %s", [exact, exact])
        cursor.execute("UPDATE tips_tipmessage SET created_at = %s", [exact])
    assert Tip.objects.get().updated_at == exact
    migration = importlib.import_module("tips.migrations.0008_times_to_the_hour")
    migration.round_existing_times(apps, None)
    hour = exact.replace(minute=0, second=0, microsecond=0)
    assert Tip.objects.values_list("received_at", "updated_at").get() == (hour, hour)
    assert TipMessage.objects.get().created_at == hour
