"""Per-account login throttle: a fixed window counter in the shared rate-limit cache.

The key is an HMAC, with SECRET_KEY, of the username in the one normal form that names an
account (`account_name`: the form authentication itself uses, NFKC, then case-folded and
trimmed), so look-alike spellings of one account ("ｅditor", "EDITOR ", "editor") share one
counter instead of giving an attacker millions. The cache never holds a username (or a password
typed into the username field) in the clear, and one account's attempts never slow down
another's.
"""

import logging
import unicodedata

from django.conf import settings

from traceobject.crypto import keyed_hash
from traceobject.ratelimit_cache import ratelimit_cache

log = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate() -> tuple[int, int]:
    count, _, period = settings.STAFF_LOGIN_RATE.partition("/")
    return int(count), _PERIODS[period.strip()[-1:]] * int(period.strip()[:-1] or 1)


def account_name(username: str) -> str:
    """The normal form of a typed username: what authentication compares, case-folded.

    Django's login form applies NFKC before authenticating (fullwidth "ｅ" becomes "e"); the
    throttle and the audit log must see the same name, or each look-alike is a fresh account.
    """
    return unicodedata.normalize("NFKC", username).strip().casefold()


def _key(username: str) -> str:
    digest = keyed_hash(account_name(username), key=settings.SECRET_KEY)
    return f"staff-login:{digest}"


def username_hash(username: str) -> str:
    """A short keyed hash of a username that matched no account (for the audit log)."""
    return _key(username)[-16:]


def login_attempt_allowed(username: str) -> bool:
    """Count one attempt for this account; False once the limit for the window is reached.

    With the rate-limit cache unreachable the attempt is let through, with a warning: staff can
    still log in during an outage, and the second factor (which django-otp throttles in the
    database) still stands between a guessed password and the account.
    """
    limit, seconds = _rate()
    key = _key(username)
    try:
        ratelimit_cache.add(key, 0, timeout=seconds)
        try:
            attempts = ratelimit_cache.incr(key)
        except ValueError:  # expired between add and incr
            ratelimit_cache.add(key, 1, timeout=seconds)
            attempts = 1
    except Exception:
        log.warning("login throttle: rate-limit cache unreachable, attempt let through")
        return True
    return attempts <= limit
