"""Encryption at rest for what could identify a tipster: contact details, photos, messages.

MultiFernet over TIP_ENCRYPTION_KEYS: the first key encrypts, every key decrypts, so keys can be
rotated without downtime (add the new key first, run `rotate_tip_keys`, then drop the old one).
The keys live in the environment, never in the database, so a database dump alone reveals none
of these fields.

A Fernet token carries the time it was made, in clear, readable without any key. Every token
made here is stamped with the hour instead of the second (traceobject/hours.py), so it says no
more than a tip's rounded `received_at`; no caller uses Fernet's time-to-live.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from traceobject.hours import HOUR, hour_timestamp


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "TIP_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)"
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.TIP_ENCRYPTION_KEYS))


def encrypt(data: bytes) -> bytes:
    return fernet().encrypt_at_time(data, hour_timestamp())


def decrypt(token: bytes) -> bytes:
    return fernet().decrypt(bytes(token))


def encrypt_text(text: str) -> bytes:
    return encrypt(text.encode()) if text else b""


def decrypt_text(token: bytes) -> str:
    return decrypt(token).decode() if token else ""


def rotate(token: bytes) -> bytes:
    """Re-encrypt with the first key, keeping the token's time but rounded down to the hour.

    MultiFernet.rotate keeps the exact second of a token made before times were rounded;
    this re-stamps such a token, so rotating the keys also clears the old exact times.
    """
    if not token:
        return b""
    token = bytes(token)
    keys = fernet()
    made = keys.extract_timestamp(token)
    return keys.encrypt_at_time(keys.decrypt(token), made // HOUR * HOUR)


def token_time(token: bytes) -> int:
    """The Unix time a token carries (readable without the key; a token of ours: an hour)."""
    return fernet().extract_timestamp(bytes(token))


def keyed_hash(value: str, *, key: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()
