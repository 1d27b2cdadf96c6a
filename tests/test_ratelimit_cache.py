"""Rate-limit state lives in CACHES["ratelimit"], public pages in CACHES["default"].

In production the two can be two Redis instances with different eviction policies
(RATELIMIT_REDIS_URL); here they are told apart by key prefix on the test's own Redis database.
"""

import pytest
import redis
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_object, tip_form_data
from tests.personas import make_investigator

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

PAGES, LIMITS = "tao-pages-test", "tao-limits-test"


def _cache(prefix: str) -> dict:
    return {**settings.CACHES["default"], "KEY_PREFIX": prefix}


def _keys(prefix: str) -> list[str]:
    client = redis.Redis.from_url(settings.REDIS_URL)
    return sorted(k.decode() for k in client.scan_iter(f"{prefix}:*"))


@override_settings(CACHES={"default": _cache(PAGES), "ratelimit": _cache(LIMITS)})
def test_rate_limits_and_the_login_throttle_use_the_ratelimit_cache_and_pages_the_default(client):
    obj = make_object()
    make_investigator()
    tip_url = reverse("tips:form", args=[obj.number])
    assert client.post(tip_url, tip_form_data(obj)).status_code == 200
    login = {"username": "investigator", "password": "wrong password"}
    assert client.post(reverse("admin:login"), login).status_code == 200
    assert client.get("/en/").status_code == 200

    limits, pages = _keys(LIMITS), _keys(PAGES)
    assert any(":ratelimit-secret:" in k for k in limits), limits
    assert any(":rl:" in k for k in limits), limits  # django-ratelimit's counters
    assert any(":staff-login:" in k for k in limits), limits
    assert pages, "the gallery and its version stamps are in the page cache"
    rate_limit_markers = (":ratelimit-secret:", ":rl:", ":staff-login:")
    assert not [k for k in pages if any(m in k for m in rate_limit_markers)], pages
