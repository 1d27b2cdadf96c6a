"""Invariant 1 and 6, end to end: send a tip and follow it up, then look everywhere for the sender.

Runs on the real PostgreSQL (a full pg_dump of the test database) and the real Redis (every key
and value), with every log line captured.
"""

import hashlib
import logging
import re
import subprocess

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_object, tip_form_data
from tips import services
from tips.models import Tip

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
    client.post(reverse("tips:follow_up"), {"code": code, "answer": "The Saturday one"}, **headers)
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
