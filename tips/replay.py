"""The receipt shown again when the same form is sent again, for an hour, without keeping the code.

A tipster who reloads the receipt page (the browser sends the form again) or sends the same form
twice must not lose their receipt code. The code is not stored anywhere readable: after the tip
is stored, it is put in the cache encrypted under a key derived from the form's one-time nonce
(tips.spam, inside the signed `started` token). The server forgets the nonce once it has
answered; only the form in the tipster's browser holds it, and a reload sends it again.

- The key is HMAC(RECEIPT_KEY, "receipt-replay-key" + nonce), the entry's name HMAC(RECEIPT_KEY,
  "receipt-replay-entry" + nonce). The database holds SHA-256(nonce) (Tip.submission_hash), which
  gives neither; a cache dump with the database and RECEIPT_KEY still needs the nonce.
- The entry expires after RECEIPT_REPLAY_SECONDS, and the Fernet token is refused after that age
  too, whatever the cache does.
- Nothing here may fail a receipt: a cache that cannot be reached only means no second showing.

docs/threat-model.md says what this changes.
"""

import base64
import hashlib
import hmac
import logging

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


def _derive(purpose: str, nonce: str) -> bytes:
    message = f"{purpose}:{nonce}".encode()
    return hmac.new(settings.RECEIPT_KEY.encode(), message, hashlib.sha256).digest()


def _entry(nonce: str) -> str:
    return "tips:receipt-replay:" + _derive("receipt-replay-entry", nonce).hex()[:40]


def _fernet(nonce: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive("receipt-replay-key", nonce)))


def receipt_keep(*, nonce: str, code: str) -> None:
    """Keep `code` for RECEIPT_REPLAY_SECONDS, readable only with the form's nonce."""
    if not nonce or settings.RECEIPT_REPLAY_SECONDS == 0:
        return
    try:
        token = _fernet(nonce).encrypt(code.encode())
        cache.set(_entry(nonce), token, settings.RECEIPT_REPLAY_SECONDS)
    except Exception:  # the receipt is shown anyway; only a second showing is lost
        log.warning("receipt replay: the cache could not keep the encrypted code")


def receipt_recall(*, nonce: str) -> str | None:
    """The code kept for this form's nonce, or None (never kept, expired, cache unreachable)."""
    if not nonce or settings.RECEIPT_REPLAY_SECONDS == 0:
        return None
    try:
        token = cache.get(_entry(nonce))
    except Exception:
        log.warning("receipt replay: the cache could not be read")
        return None
    if not token:
        return None
    try:
        return _fernet(nonce).decrypt(token, ttl=settings.RECEIPT_REPLAY_SECONDS).decode()
    except InvalidToken:
        return None
