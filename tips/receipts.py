"""Receipt codes: what a tipster keeps to come back, anonymously.

16 characters from Crockford's base32 alphabet (no I, L, O or U, which are easily misread):
80 bits from the operating system's CSPRNG, grouped in fours for reading aloud. Only an HMAC
of the code with RECEIPT_KEY is stored, so neither the database nor a backup holds the code.
During a key rotation a code may still be stored under one of RECEIPT_KEY_FALLBACKS; lookups
try every key (`code_hashes`) and the services move a found code to the current key.
"""

import re
import secrets

from django.conf import settings

from traceobject.crypto import keyed_hash

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
# Tolerant input: any case, spaces or dashes anywhere, O for 0 and I/L for 1.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
SHAPE = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(code: str) -> str | None:
    """The canonical 16 characters of a typed code, or None if it cannot be one."""
    if len(code) > 64:
        return None
    raw = _SEPARATORS.sub("", code).upper().translate(_CONFUSABLE)
    return raw if SHAPE.match(raw) else None


def formatted(code: str) -> str:
    """A typed code as it is shown: canonical characters in groups of four ("K7QM-2XWD-…")."""
    raw = _canonical(code)
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def _canonical(code: str) -> str:
    raw = normalise(code)
    if raw is None:
        raise ValueError("not a receipt code")
    return raw


def code_hash(code: str) -> str:
    """The stored form of a code. Raises ValueError for something that is not a code."""
    return keyed_hash(_canonical(code), key=settings.RECEIPT_KEY)


def code_hashes(code: str) -> list[str]:
    """The code's stored form under the current key, then under each fallback key (newest first).

    Raises ValueError for something that is not a code.
    """
    raw = _canonical(code)
    keys = [settings.RECEIPT_KEY, *settings.RECEIPT_KEY_FALLBACKS]
    return [keyed_hash(raw, key=key) for key in keys]
