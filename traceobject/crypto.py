"""Encryption at rest for what could identify a tipster: contact details, photos, messages.

MultiFernet over TIP_ENCRYPTION_KEYS: the first key encrypts, every key decrypts, so keys can be
rotated without downtime (add the new key first, run `rotate_tip_keys`, then drop the old one).
The keys live in the environment, never in the database, so a database dump alone reveals none
of these fields.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


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
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    return fernet().decrypt(bytes(token))


def encrypt_text(text: str) -> bytes:
    return encrypt(text.encode()) if text else b""


def decrypt_text(token: bytes) -> str:
    return decrypt(token).decode() if token else ""


def rotate(token: bytes) -> bytes:
    return fernet().rotate(bytes(token)) if token else b""


def keyed_hash(value: str, *, key: str) -> str:
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()
