"""traceobject.redis_cache: Django's Redis backend with one client per connection pool."""

import threading

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.redis


def test_it_reuses_one_client_per_pool():
    client = cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client("some-key")


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
