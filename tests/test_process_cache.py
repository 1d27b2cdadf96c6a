"""Every per-process copy goes through traceobject.process_cache, and one reset empties them."""

from traceobject import process_cache


def test_reset_empties_every_kind_of_copy(settings):
    settings.PUBLIC_PAGE_LOCAL_ENTRIES = 8
    calls = []

    @process_cache.memoize(maxsize=4)
    def square(n):
        calls.append(n)
        return n * n

    copies = process_cache.LocalCopies()
    held = process_cache.Held()
    assert square(3) == 9 and square(3) == 9 and calls == [3]
    copies.put("page", "etag-1", b"html")
    held.put("day", "secret", 60)
    assert copies.get("page", "etag-1") == b"html" and held.get("day") == "secret"

    process_cache.reset()

    assert square(3) == 9 and calls == [3, 3], "computed again after the reset"
    assert copies.get("page", "etag-1") is None and len(copies) == 0
    assert held.get("day") is None


def test_a_copy_is_served_only_under_its_own_stamp(settings):
    settings.PUBLIC_PAGE_LOCAL_ENTRIES = 2
    copies = process_cache.LocalCopies()
    copies.put("a", 1, "first")
    assert copies.get("a", 2) is None, "a newer stamp is a miss"
    copies.put("b", 1, "second")
    copies.put("c", 1, "third")
    assert copies.get("a", 1) is None, "the oldest stored went first"
    assert len(copies) == 2


def test_a_held_value_runs_out_and_answers_only_its_key():
    held = process_cache.Held()
    held.put("2026-12-01", "secret", 60)
    assert held.get("2026-12-02") is None
    held.put("2026-12-01", "secret", -1)
    assert held.get("2026-12-01") is None
