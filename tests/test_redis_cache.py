"""The Redis cache (django-redis, through its public API): one client per process, shared by
threads, incr atomic and in one round trip. These pin what the page cache, the rate limits and
the login throttle rely on, so an upgrade of the backend that changes it fails here."""

import threading

import pytest
from django.core.cache import cache
from django_redis import get_redis_connection

pytestmark = pytest.mark.redis


def test_it_reuses_one_client_per_pool():
    # A new redis.Redis per call was a fifth of the CPU time of a page served from the cache.
    assert get_redis_connection("default") is get_redis_connection("default")
    assert get_redis_connection("default", write=False) is get_redis_connection("default")


def test_the_shared_client_works_from_many_threads():
    errors = []

    def worker(n):
        try:
            for i in range(50):
                cache.set(f"redis-cache-test:{n}:{i}", (n, i), 30)
                assert cache.get(f"redis-cache-test:{n}:{i}") == (n, i)
            keys = [f"redis-cache-test:{n}:{i}" for i in range(50)]
            assert cache.get_many(keys) == {k: (n, i) for i, k in enumerate(keys)}
        except Exception as exc:  # reported below, with the thread's number
            errors.append((n, exc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_incr_adds_to_a_key_set_by_add_and_keeps_its_expiry():
    assert cache.add("redis-cache-test:count", 1, 300)
    assert cache.incr("redis-cache-test:count") == 2
    assert cache.incr("redis-cache-test:count", 5) == 7
    assert cache.decr("redis-cache-test:count", 3) == 4
    assert cache.get("redis-cache-test:count") == 4
    key = cache.make_key("redis-cache-test:count")
    assert 290 < get_redis_connection("default").ttl(key) <= 300


def test_incr_of_a_missing_key_raises_and_creates_nothing():
    key = cache.make_key("redis-cache-test:missing")
    with pytest.raises(ValueError) as raised:
        cache.incr("redis-cache-test:missing")
    assert str(raised.value) == f"Key '{key!r}' not found"  # django-redis's own message
    assert not get_redis_connection("default").exists(key)


def test_incr_keeps_the_key_version_apart():
    cache.set("redis-cache-test:versioned", 10, 300, version=2)
    with pytest.raises(ValueError):
        cache.incr("redis-cache-test:versioned")
    assert cache.incr("redis-cache-test:versioned", version=2) == 11


def test_incr_is_one_round_trip(redis_sent):
    cache.add("redis-cache-test:count", 1, 300)
    cache.incr("redis-cache-test:count")  # the first may also load the script into Redis
    redis_sent.clear()
    assert cache.incr("redis-cache-test:count") == 3
    assert len(redis_sent) == 1
    with pytest.raises(ValueError):
        cache.incr("redis-cache-test:missing")
    assert len(redis_sent) == 2
