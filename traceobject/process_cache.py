"""State each process keeps for itself, in one place, with one reset hook.

A process may keep a copy of something that is costly to build and the same for every request:
recently served pages (valid only under their stamp), the country list in each language, a
page's links in every language, the day's rate-limit secret for a minute. Each such copy is made
through this module, so `reset()` empties every one of them at once: tests call it between
tests, and nothing else needs a module-level global that must be reset by hand.
"""

import functools
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

F = TypeVar("F", bound=Callable[..., Any])

_clear_hooks: list[Callable[[], None]] = []


def reset() -> None:
    """Forget everything every process-level copy holds (tests; a settings change)."""
    for clear in _clear_hooks:
        clear()


def memoize(maxsize: int) -> Callable[[F], F]:
    """functools.lru_cache for values that depend only on the arguments, cleared by reset()."""

    def decorator(function: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _clear_hooks.append(cached.cache_clear)
        return cached  # type: ignore[return-value]

    return decorator


class Held:
    """One value kept for a few seconds (the rate-limit secret): replaced whole, never changed."""

    def __init__(self) -> None:
        self._value: tuple[Any, Any, float] | None = None
        _clear_hooks.append(self.clear)

    def get(self, key: Any) -> Any:
        """The value kept under `key` if it has not run out, else None."""
        held = self._value
        if held is None or held[0] != key or held[2] <= time.monotonic():
            return None
        return held[1]

    def put(self, key: Any, value: Any, seconds: float) -> None:
        self._value = (key, value, time.monotonic() + seconds)

    def clear(self) -> None:
        self._value = None


class LocalCopies:
    """A bounded per-process copy of recently used values, each valid only under its stamp.

    An entry is returned only for the stamp it was stored with (an ETag, a publication stamp),
    which the caller reads from the shared cache on every request, so a copy is never staler
    than the shared data: a change on any node is a miss here too. Entries also expire
    PUBLIC_PAGE_CACHE_SECONDS after they were stored, and past PUBLIC_PAGE_LOCAL_ENTRIES the
    oldest stored goes first. Safe for gunicorn's threads (a lock around every change).
    """

    def __init__(self) -> None:
        self._entries: dict[Any, tuple[Any, Any, float]] = {}
        self._lock = threading.Lock()
        _clear_hooks.append(self.clear)

    def get(self, key: Any, stamp: Any) -> Any:
        stored = self._entries.get(key)
        if stored is None or stored[0] != stamp or stored[2] <= time.monotonic():
            return None
        return stored[1]

    def put(self, key: Any, stamp: Any, value: Any) -> None:
        if settings.PUBLIC_PAGE_LOCAL_ENTRIES <= 0:
            return
        expires = time.monotonic() + settings.PUBLIC_PAGE_CACHE_SECONDS
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (stamp, value, expires)
            while len(self._entries) > settings.PUBLIC_PAGE_LOCAL_ENTRIES:
                del self._entries[next(iter(self._entries))]  # the oldest stored

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
