import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_tip, tip_form_data
from tips.limits import client_address, client_key
from tips.models import Tip


def _post(client, obj, ip, **extra):
    return client.post(
        reverse("tips:form", args=[obj.number]), tip_form_data(obj), REMOTE_ADDR=ip, **extra
    )


@pytest.mark.django_db
@override_settings(TIP_RATE_PER_CLIENT="3/h", TIP_RATE_GLOBAL="1000/h")
def test_one_client_is_limited_with_a_friendly_429_that_keeps_the_text(client, published):
    for _ in range(3):
        assert _post(client, published, "198.51.100.7").status_code == 200
    response = client.post(
        reverse("tips:form", args=[published.number]),
        tip_form_data(published, body="The fourth tip, which must not be lost"),
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many tips" in body and "The fourth tip, which must not be lost" in body
    assert Tip.objects.count() == 3
    # Another client is not affected.
    assert _post(client, published, "198.51.100.8").status_code == 200


@pytest.mark.django_db
@override_settings(TIP_RATE_PER_CLIENT="100/h", TIP_RATE_GLOBAL="4/h")
def test_the_global_cap_holds_across_clients_but_follow_ups_still_work(client, published):
    statuses = [_post(client, published, f"198.51.100.{i}").status_code for i in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert Tip.objects.count() == 4
    receipt = make_tip(published)
    response = client.post(reverse("tips:follow_up"), {"code": receipt.code})
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(FOLLOWUP_RATE_PER_CLIENT="2/h")
def test_follow_up_lookups_are_limited_per_client(client):
    codes = ["K7QM-2XWD-9FHT-4RBN"] * 3
    statuses = [
        client.post(reverse("tips:follow_up"), {"code": c}, REMOTE_ADDR="192.0.2.1").status_code
        for c in codes
    ]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
@override_settings(FOLLOWUP_RATE_PER_CLIENT="100/h", FOLLOWUP_RATE_GLOBAL="3/h")
def test_follow_up_lookups_are_limited_globally(client):
    statuses = [
        client.post(
            reverse("tips:follow_up"), {"code": "K7QM-2XWD-9FHT-4RBN"}, REMOTE_ADDR=f"192.0.2.{i}"
        ).status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
@override_settings(TIP_RATE_PER_CLIENT="2/h")
def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, published):
    # A client cannot escape its limit by inventing X-Forwarded-For addresses.
    statuses = [
        _post(client, published, "203.0.113.5", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_client_address_reads_the_hop_the_trusted_proxy_added(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
    assert client_address(request) == "10.0.0.1"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_address(request) == "198.51.100.9"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_address(request) == "6.6.6.6"
    with override_settings(TRUSTED_PROXY_COUNT=3):  # fewer hops than proxies: REMOTE_ADDR
        assert client_address(request) == "10.0.0.1"


def test_ipv6_clients_are_limited_by_their_64_network(rf):
    a = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    b = rf.get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::2")
    c = rf.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert client_key("g", a) == client_key("g", b) != client_key("g", c)


def test_the_client_key_is_a_keyed_hash_not_a_plain_one(rf):
    import hashlib

    request = rf.get("/", REMOTE_ADDR="198.51.100.23")
    key = client_key("tip-client", request)
    plain = {hashlib.new(a, b"198.51.100.23").hexdigest() for a in ("md5", "sha1", "sha256")}
    assert key not in plain and "198.51.100.23" not in key


def test_the_key_secret_rotates_with_the_day(rf, monkeypatch):
    from datetime import UTC, datetime

    from tips import limits

    request = rf.get("/", REMOTE_ADDR="198.51.100.23")
    today = client_key("g", request)

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2099, 1, 2, tzinfo=UTC)

    monkeypatch.setattr(limits, "datetime", Tomorrow)
    assert client_key("g", request) != today


def _later(monkeypatch, seconds):
    import time

    monotonic = time.monotonic
    # The copy is kept by traceobject.process_cache.Held, which reads time.monotonic.
    monkeypatch.setattr(time, "monotonic", lambda: monotonic() + seconds)


def _reads_the_secret(sent) -> bool:
    return any(b"\r\nGET\r\n" in s and b"ratelimit-secret:" in s for s in sent)


def _over_limit(rf):
    from tips.limits import over_limit

    request = rf.post("/", REMOTE_ADDR="198.51.100.23")
    return over_limit(request, group="tip", per_client="100/h", overall="1000/h")


@pytest.mark.redis
def test_the_secret_is_read_from_the_cache_at_most_once_a_minute(rf, monkeypatch, redis_sent):
    assert _over_limit(rf) is False
    assert _reads_the_secret(redis_sent)
    redis_sent.clear()
    assert _over_limit(rf) is False
    assert redis_sent  # the counts themselves
    assert not any(b"ratelimit-secret:" in sent for sent in redis_sent)
    _later(monkeypatch, 61)
    assert _over_limit(rf) is False
    assert _reads_the_secret(redis_sent)


def test_after_a_flush_a_process_keeps_its_copy_of_the_secret_at_most_a_minute(rf, monkeypatch):
    import hmac
    from datetime import UTC, datetime

    from traceobject.ratelimit_cache import ratelimit_cache

    request = rf.get("/", REMOTE_ADDR="198.51.100.23")
    before = client_key("g", request)
    # The cache was flushed and another node made the new secret.
    ratelimit_cache.clear()
    ratelimit_cache.set(f"ratelimit-secret:{datetime.now(UTC):%Y-%m-%d}", "the-new-secret", 3600)
    assert client_key("g", request) == before
    _later(monkeypatch, 61)
    expected = hmac.new(b"the-new-secret", b"198.51.100.23", "sha256").hexdigest()
    assert client_key("g", request) == expected


def test_an_unreachable_cache_gives_the_process_secret_and_is_not_remembered(rf, monkeypatch):
    import hmac

    from tips import limits
    from traceobject.ratelimit_cache import ratelimit_cache

    class Unreachable:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        add = get

    request = rf.get("/", REMOTE_ADDR="198.51.100.23")
    monkeypatch.setattr(limits, "ratelimit_cache", Unreachable())
    fallback = hmac.new(limits._FALLBACK_SECRET.encode(), b"198.51.100.23", "sha256")
    assert client_key("g", request) == fallback.hexdigest()
    monkeypatch.setattr(limits, "ratelimit_cache", ratelimit_cache)
    # The cache is back: the shared secret at once, not a minute later.
    key = f"ratelimit-secret:{limits.datetime.now(limits.UTC):%Y-%m-%d}"
    assert ratelimit_cache.get(key) is None
    back = client_key("g", request)
    secret = ratelimit_cache.get(key).encode()
    assert back == hmac.new(secret, b"198.51.100.23", "sha256").hexdigest()
