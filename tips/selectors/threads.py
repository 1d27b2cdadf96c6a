"""What a tipster and an investigator read of a tip's conversation, and the tipster's contact and
photo (decrypted, not audited: staff views reveal them through the audited services)."""

from dataclasses import dataclass

from tips import receipts
from tips.models import Tip, TipMessage
from traceobject import crypto
from traceobject.storage import private_storage


@dataclass(frozen=True)
class FollowUp:
    """What the tipster's follow-up page shows: the tip (None for a code that matches none),
    its plain state and the messages, and the code as it was read."""

    tip: Tip | None
    state: str
    thread: list[tuple[str, str, object]]
    code: str = ""

    @property
    def found(self) -> bool:
        return self.tip is not None

    @property
    def nothing_new(self) -> bool:
        return self.tip is not None and self.state == "received" and not self.thread

    @property
    def has_question(self) -> bool:
        return any(author == TipMessage.Author.INVESTIGATOR for author, _, _ in self.thread)


# What a tipster is told about their tip: four plain states, nothing of the triage itself.
PUBLIC_STATE: dict[str, str] = {
    Tip.Status.NEW: "received",
    Tip.Status.IN_REVIEW: "being_looked_at",
    Tip.Status.USEFUL: "being_looked_at",
    Tip.Status.DUPLICATE: "being_looked_at",
    Tip.Status.FORWARDED: "passed_on",
    Tip.Status.NOT_USEFUL: "closed",
    Tip.Status.SPAM: "closed",
    Tip.Status.CLOSED: "closed",
}


def tip_follow_up(*, code: str) -> FollowUp:
    """Look a tip up by its receipt code, with the object it is about.

    A code that matches no tip is told so (FollowUp.found): an 80-bit code cannot be guessed, so
    this tells someone trying codes nothing, while a tipster who mistyped theirs no longer waits
    for news that cannot come. It still runs the same two queries as a right one (the second on
    an id that matches nothing). A code still stored under a fallback receipt key is found too;
    tips.services.tip_receipt_rekey moves it to the current key.
    """
    hashes = receipts.code_hashes(code)
    shown = receipts.formatted(code)
    tip = Tip.objects.select_related("trace_object").filter(receipt_hash__in=hashes).first()
    messages = list(TipMessage.objects.filter(tip_id=tip.pk if tip else -1))
    if tip is None:
        return FollowUp(tip=None, state="", thread=[], code=shown)
    thread = [(m.author, crypto.decrypt_text(m.body_encrypted), m.created_at) for m in messages]
    return FollowUp(tip=tip, state=PUBLIC_STATE[tip.status], thread=thread, code=shown)


def can_receive_questions(tip: Tip) -> bool:
    """A tipster can read and reply to a question unless their tip is closed for them (tip_reply
    refuses replies to closed tips, so asking there would be a question nobody can answer)."""
    return PUBLIC_STATE[tip.status] != "closed"


def tip_thread(*, tip: Tip) -> list[dict]:
    """Questions and replies, decrypted, oldest first (for the back-office only)."""
    return [
        {
            "author": m.author,
            "is_tipster": m.author == TipMessage.Author.TIPSTER,
            "body": crypto.decrypt_text(m.body_encrypted),
            "at": m.created_at,
            "staff": m.staff_user.get_username() if m.staff_user else "",
        }
        for m in tip.messages.select_related("staff_user")
    ]


def tip_contact(*, tip: Tip) -> str:
    """The contact details, decrypted. Not audited: a person reads them only through
    tips.services.tip_reveal_contact (or the audited export)."""
    return crypto.decrypt_text(tip.contact_encrypted)


def tip_photo(*, tip: Tip) -> bytes | None:
    """The photo, decrypted. Not audited: a person sees it only through
    tips.services.tip_reveal_photo."""
    if not tip.photo_name:
        return None
    with private_storage().open(tip.photo_name) as fh:
        return crypto.decrypt(fh.read())
