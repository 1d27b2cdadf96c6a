"""A tip from the public: stored in one transaction, then the receipt; the tipster's reply.

Nothing here may fail a receipt after the commit: the receipt is shown only once the tip is
stored, and nothing after that touches the database or the cache.
"""

import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from objects.models import TraceObject
from tips import receipts
from tips.models import Tip, TipMessage, next_sequences
from tips.selectors import tip_follow_up
from tips.services.proposing import tip_propose_lead_safely
from traceobject import crypto
from traceobject.hours import this_hour
from traceobject.storage import private_storage, set_file_hour


class TipsClosed(Exception):
    """The object no longer takes tips (identified or withdrawn)."""


class AlreadyReceived(Exception):
    """This very form was sent before: the tip exists, a second one is not made."""


@dataclass(frozen=True)
class Receipt:
    tip: Tip
    code: str


def tip_create(
    *,
    obj: TraceObject | None,
    body: str,
    language: str,
    submission_hash: str,
    country: str = "",
    place: str = "",
    link: str = "",
    certainty: str = "",
    contact: str = "",
    photo_jpeg: bytes | None = None,
) -> Receipt:
    """Store a tip in one transaction and return its receipt code (which is stored only hashed).

    The encrypted photo is written first and removed again if the row cannot be stored, so a
    failure leaves nothing behind. Every time stored is kept to the hour: the row's, the Fernet
    tokens' and the photo file's (where the storage allows; see traceobject/hours.py).

    `obj` None stores a general report (Tip.Kind.GENERAL), about no object.
    """
    if obj is not None and obj.status != TraceObject.Status.PUBLISHED:
        raise TipsClosed
    code = receipts.new_code()
    photo_name = ""
    if photo_jpeg:
        photo_name = private_storage().save(
            f"tips/{secrets.token_hex(16)}.jpg.fernet", ContentFile(crypto.encrypt(photo_jpeg))
        )
    try:
        if photo_name:
            set_file_hour(private_storage(), photo_name, at=this_hour())
        with transaction.atomic():
            tip = Tip.objects.create(
                kind=Tip.Kind.OBJECT if obj is not None else Tip.Kind.GENERAL,
                trace_object=obj,
                body=body,
                country=country,
                place=place,
                link=link,
                certainty=certainty,
                contact_encrypted=crypto.encrypt_text(contact),
                photo_name=photo_name,
                language=language[:12],
                receipt_hash=receipts.code_hash(code),
                submission_hash=submission_hash,
                received_at=this_hour(),
            )
            # Its language and proposed lead, in a savepoint: an error there is logged and
            # rolled back alone, and the tip is stored all the same (bounded work, see there).
            tip_propose_lead_safely(tip)
    except IntegrityError:
        if photo_name:
            private_storage().delete(photo_name)
        if Tip.objects.filter(submission_hash=submission_hash).exists():
            raise AlreadyReceived from None
        raise
    except Exception:
        if photo_name:
            private_storage().delete(photo_name)
        raise
    # No cache.bump(STATS): the public count of tips received follows within
    # PUBLIC_STATS_SECONDS (tips/stats.py), and nothing after the commit may fail a receipt.
    return Receipt(tip=tip, code=code)


def tip_receipt_rekey(*, tip: Tip, code: str) -> bool:
    """Move a receipt code still stored under a fallback receipt key (a key rotation in progress)
    to the current key, once per tip; True when it was moved."""
    current = receipts.code_hashes(code)[0]
    if tip.receipt_hash == current:
        return False
    Tip.objects.filter(pk=tip.pk).update(receipt_hash=current)
    tip.receipt_hash = current
    return True


def tip_reply(*, code: str, body: str) -> TipMessage | None:
    """The tipster's reply to a question; None (and nothing stored) when there is no question."""
    follow_up = tip_follow_up(code=code)
    if follow_up.tip is None or not follow_up.has_question or follow_up.state == "closed":
        return None
    with transaction.atomic():
        Tip.objects.select_for_update().filter(pk=follow_up.tip.pk).first()
        return TipMessage.objects.create(
            tip=follow_up.tip,
            sequence=next_sequences([follow_up.tip.pk])[follow_up.tip.pk],
            author=TipMessage.Author.TIPSTER,
            body_encrypted=crypto.encrypt_text(body),
            created_at=this_hour(),
        )
