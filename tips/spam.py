"""Spam defences that need no third party and learn nothing about the sender.

Each form carries a signed token with the object, the time it was shown and a random nonce. A
form sent back sooner than TIP_MIN_FILL_SECONDS, or with the honeypot field filled, is a bot:
it gets a normal-looking receipt and nothing is stored. The nonce makes a form good for one
tip only, so a double click or a reload cannot send the same tip twice.
"""

import enum
import hashlib
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing

_SALT = "tips.form-token"


class Verdict(enum.Enum):
    OK = "ok"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    FORGED = "forged"


@dataclass
class TokenCheck:
    verdict: Verdict
    nonce_hash: str = ""
    # The nonce itself: only for tips.replay, which derives the key of the kept receipt from it.
    # Never stored.
    nonce: str = field(default="", repr=False)


def issue_token(number: int, *, at: float | None = None) -> str:
    payload = {"o": number, "t": int(time.time() if at is None else at)}
    payload["n"] = secrets.token_urlsafe(16)
    return signing.dumps(payload, salt=_SALT, compress=False)


def check_token(token: str, number: int) -> TokenCheck:
    try:
        payload = signing.loads(token or "", salt=_SALT)
        shown_at, nonce = int(payload["t"]), str(payload["n"])
        if int(payload["o"]) != number:
            return TokenCheck(Verdict.FORGED)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenCheck(Verdict.FORGED)
    age = time.time() - shown_at
    if age > settings.TIP_FORM_MAX_AGE or age < -60:
        return TokenCheck(Verdict.EXPIRED)
    nonce_hash = hashlib.sha256(nonce.encode()).hexdigest()
    if age < settings.TIP_MIN_FILL_SECONDS:
        return TokenCheck(Verdict.TOO_FAST, nonce_hash)
    return TokenCheck(Verdict.OK, nonce_hash, nonce)
