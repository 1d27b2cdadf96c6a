"""Writes and reads of tips. Views call these; the receipt is shown only after commit."""

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from objects import cache
from objects.models import TraceObject, private_storage
from objects.services import object_save
from tips import crypto, receipts
from tips.models import Tag, Tip, TipEvent, TipMessage


class TipsClosed(Exception):
    """The object no longer takes tips (identified or withdrawn)."""


class AlreadyReceived(Exception):
    """This very form was sent before: the tip exists, a second one is not made."""


@dataclass(frozen=True)
class Receipt:
    tip: Tip
    code: str


def _this_hour():
    # Rounded down to the hour so the time cannot be matched against a proxy or network log.
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def tip_create(
    *,
    obj: TraceObject,
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
    failure leaves nothing behind.
    """
    if obj.status != TraceObject.Status.PUBLISHED:
        raise TipsClosed
    code = receipts.new_code()
    photo_name = ""
    if photo_jpeg:
        photo_name = private_storage().save(
            f"tips/{secrets.token_hex(16)}.jpg.fernet", ContentFile(crypto.encrypt(photo_jpeg))
        )
    try:
        with transaction.atomic():
            tip = Tip.objects.create(
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
                received_at=_this_hour(),
            )
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
    # PUBLIC_STATS_SECONDS (objects/stats.py), and nothing after the commit may fail a receipt.
    return Receipt(tip=tip, code=code)


@dataclass(frozen=True)
class FollowUp:
    """What the tipster's follow-up page shows. Empty for a wrong code and for nothing new."""

    tip: Tip | None
    state: str
    thread: list[tuple[str, str, object]]

    @property
    def nothing_new(self) -> bool:
        return self.tip is None or (self.state == "received" and not self.thread)

    @property
    def has_question(self) -> bool:
        return any(author == TipMessage.Author.INVESTIGATOR for author, _, _ in self.thread)


# What a tipster is told about their tip: four plain states, nothing of the triage itself.
PUBLIC_STATE = {
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
    """Look a tip up by its receipt code.

    A wrong code runs the same two queries as a right one (the second on an id that matches
    nothing), so the answer takes the same time and, where there is nothing new, reads the same.
    A code still stored under a fallback receipt key (a key rotation in progress) is found too and
    moved to the current key, one more query once per tip.
    """
    hashes = receipts.code_hashes(code)
    tip = Tip.objects.filter(receipt_hash__in=hashes).first()
    if tip is not None and tip.receipt_hash != hashes[0]:
        Tip.objects.filter(pk=tip.pk).update(receipt_hash=hashes[0])
        tip.receipt_hash = hashes[0]
    messages = list(TipMessage.objects.filter(tip_id=tip.pk if tip else -1))
    if tip is None:
        return FollowUp(tip=None, state="received", thread=[])
    thread = [(m.author, crypto.decrypt_text(m.body_encrypted), m.created_at) for m in messages]
    return FollowUp(tip=tip, state=PUBLIC_STATE[tip.status], thread=thread)


def tip_answer(*, code: str, body: str) -> TipMessage | None:
    """The tipster's answer to a question; None (and nothing stored) when there is no question."""
    follow_up = tip_follow_up(code=code)
    if follow_up.tip is None or not follow_up.has_question or follow_up.state == "closed":
        return None
    return TipMessage.objects.create(
        tip=follow_up.tip,
        author=TipMessage.Author.TIPSTER,
        body_encrypted=crypto.encrypt_text(body),
        created_at=_this_hour(),
    )


def tip_ask(*, tip: Tip, user: AbstractBaseUser, body: str) -> TipMessage:
    """An investigator's question, shown to the tipster on the follow-up page."""
    return TipMessage.objects.create(
        tip=tip,
        author=TipMessage.Author.INVESTIGATOR,
        body_encrypted=crypto.encrypt_text(body),
        staff_user=user,
        created_at=timezone.now(),
    )


def tip_contact(*, tip: Tip) -> str:
    return crypto.decrypt_text(tip.contact_encrypted)


def tip_photo(*, tip: Tip) -> bytes | None:
    if not tip.photo_name:
        return None
    with private_storage().open(tip.photo_name) as fh:
        return crypto.decrypt(fh.read())


# --- Triage (back-office) -----------------------------------------------------------------------

S = Tip.Status

# The allowed status changes. Anything else raises TransitionNotAllowed; views never decide it.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.IN_REVIEW, S.USEFUL, S.NOT_USEFUL, S.DUPLICATE, S.SPAM}),
    S.IN_REVIEW: frozenset({S.USEFUL, S.NOT_USEFUL, S.DUPLICATE, S.SPAM}),
    S.USEFUL: frozenset({S.IN_REVIEW, S.FORWARDED, S.DUPLICATE, S.CLOSED}),
    S.NOT_USEFUL: frozenset({S.IN_REVIEW, S.CLOSED}),
    S.DUPLICATE: frozenset({S.IN_REVIEW, S.FORWARDED, S.CLOSED}),
    S.SPAM: frozenset({S.IN_REVIEW}),
    S.FORWARDED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.IN_REVIEW}),
}


class TransitionNotAllowed(Exception):
    """The status change is not in TRANSITIONS (or needs its own service, like forwarding)."""


def _audit(**kwargs):
    from backoffice.audit import audit_record

    return audit_record(**kwargs)


def _set_status(*, tip: Tip, user: AbstractBaseUser, to: str, text: str = "") -> None:
    if to not in TRANSITIONS[tip.status]:
        raise TransitionNotAllowed(f"{tip.status} → {to}")
    TipEvent.objects.create(
        tip=tip, kind=TipEvent.Kind.STATUS, user=user, from_status=tip.status, to_status=to,
        text=text,
    )  # fmt: skip
    _audit(action="change", user=user, target=tip, field="status", old=tip.status, new=to)
    tip.status = to
    tip.status_changed_at = timezone.now()
    tip.status_changed_by = user
    cache.bump(cache.STATS)  # the public results count tips by status (spam excluded)


@transaction.atomic
def tip_transition(*, tip: Tip, user: AbstractBaseUser, to: str) -> Tip:
    """Move a tip to another status, if the graph allows it; recorded with who and when.

    Duplicates and forwarding carry extra data: use tip_mark_duplicate and tip_forward.
    """
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if to in (S.DUPLICATE, S.FORWARDED):
        raise TransitionNotAllowed(f"use the {to} service")
    _set_status(tip=tip, user=user, to=to)
    if to not in (S.DUPLICATE,):
        tip.duplicate_of = None
    tip.save(
        update_fields=["status", "status_changed_at", "status_changed_by", "duplicate_of",
                       "updated_at"]
    )  # fmt: skip
    return tip


@transaction.atomic
def tip_mark_duplicate(*, tips: list[Tip], original: Tip, user: AbstractBaseUser) -> int:
    """Mark tips as duplicates of `original` (the first tip of their cluster), in bulk.

    Clusters stay one level deep: if `original` is itself a duplicate, its own original is used,
    and tips that pointed at a re-marked tip follow it.
    """
    root = original.duplicate_of or original
    count = 0
    for tip in Tip.objects.select_for_update().filter(pk__in=[t.pk for t in tips]):
        if tip.pk == root.pk:
            continue
        if tip.trace_object_id != root.trace_object_id:
            raise TransitionNotAllowed("a duplicate must be about the same object")
        if tip.status != S.DUPLICATE:
            _set_status(tip=tip, user=user, to=S.DUPLICATE, text=f"#{root.pk}")
        tip.duplicate_of = root
        tip.save(
            update_fields=["status", "status_changed_at", "status_changed_by", "duplicate_of",
                           "updated_at"]
        )  # fmt: skip
        Tip.objects.filter(duplicate_of=tip).update(duplicate_of=root)
        count += 1
    return count


@transaction.atomic
def tip_forward(
    *, tip: Tip, user: AbstractBaseUser, agency: str, country: str = "", cluster: bool = True
) -> list[Tip]:
    """Record that a tip (and, with `cluster`, its duplicates) went to an agency/country.

    The tipsters' follow-up pages then say "passed on".
    """
    if not agency.strip():
        raise TransitionNotAllowed("forwarding needs an agency")
    root = tip.duplicate_of or tip
    ids = [root.pk]
    if cluster:
        ids += list(Tip.objects.filter(duplicate_of=root).values_list("pk", flat=True))
    done = []
    now = timezone.now()
    for each in Tip.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        if each.status == S.FORWARDED:
            continue
        _set_status(tip=each, user=user, to=S.FORWARDED, text=agency)
        each.forwarded_to, each.forwarded_country = agency.strip()[:200], country
        each.forwarded_at, each.forwarded_by = now, user
        each.save()
        TipEvent.objects.create(
            tip=each, kind=TipEvent.Kind.FORWARD, user=user,
            text=f"{agency.strip()} {country}".strip(),
        )  # fmt: skip
        done.append(each)
    return done


@transaction.atomic
def tip_assign(*, tip: Tip, user: AbstractBaseUser, assignee: AbstractBaseUser | None) -> Tip:
    """Assign a tip (None unassigns). A new tip being assigned goes to "in review"."""
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    tip.assignee = assignee
    if tip.status == S.NEW and assignee is not None:
        _set_status(tip=tip, user=user, to=S.IN_REVIEW)
    TipEvent.objects.create(
        tip=tip, kind=TipEvent.Kind.ASSIGN, user=user,
        text=assignee.get_username() if assignee else "",
    )  # fmt: skip
    _audit(action="change", user=user, target=tip, field="assignee",
           new=assignee.pk if assignee else None)  # fmt: skip
    tip.save()
    return tip


@transaction.atomic
def tip_set_priority(*, tip: Tip, user: AbstractBaseUser, priority: int) -> Tip:
    tip.priority = Tip.Priority(priority)
    tip.save(update_fields=["priority", "updated_at"])
    TipEvent.objects.create(
        tip=tip, kind=TipEvent.Kind.PRIORITY, user=user, text=str(tip.get_priority_display())
    )
    _audit(action="change", user=user, target=tip, field="priority", new=int(priority))
    return tip


@transaction.atomic
def tip_note(*, tip: Tip, user: AbstractBaseUser, text: str) -> TipEvent:
    """An internal note on a tip; never shown to the tipster."""
    event = TipEvent.objects.create(tip=tip, kind=TipEvent.Kind.NOTE, user=user, text=text)
    _audit(action="change", user=user, target=tip, field="note", event=event.pk)
    return event


@transaction.atomic
def tip_question(*, tip: Tip, user: AbstractBaseUser, body: str) -> TipMessage:
    """Ask the tipster a question (shown on their follow-up page); a new tip goes in review."""
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    message = tip_ask(tip=tip, user=user, body=body)
    if tip.status == S.NEW:
        _set_status(tip=tip, user=user, to=S.IN_REVIEW)
        tip.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    TipEvent.objects.create(tip=tip, kind=TipEvent.Kind.QUESTION, user=user)
    _audit(action="change", user=user, target=tip, field="question", message=message.pk)
    return message


def can_receive_questions(tip: Tip) -> bool:
    """A tipster can read and answer a question unless their tip is closed for them (tip_answer
    refuses answers to closed tips, so asking there would be a question nobody can answer)."""
    return PUBLIC_STATE[tip.status] != "closed"


def _pks(tips):
    """The ids of a queryset (as a subquery) or of a list of tips."""
    return tips.values("pk") if hasattr(tips, "values") else [t.pk for t in tips]


@dataclass(frozen=True)
class BulkResult:
    done: int
    skipped: int


@transaction.atomic
def tip_question_many(*, tips, user: AbstractBaseUser, body: str) -> BulkResult:
    """Ask the same question on many tips (a cluster, a selection): each tip whose tipster can
    receive questions gets its own message in its own thread; new tips go in review.

    `tips` is a queryset or a list of tips. A fixed number of queries however many tips: the
    rows are locked, and messages, events and audit entries are inserted in bulk.
    """
    from backoffice.audit import audit_record_many

    ids = _pks(tips)
    locked = list(Tip.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    asked = [t for t in locked if can_receive_questions(t)]
    now = timezone.now()
    messages = TipMessage.objects.bulk_create(
        [
            TipMessage(tip=t, author=TipMessage.Author.INVESTIGATOR, staff_user=user,
                       body_encrypted=crypto.encrypt_text(body), created_at=now)
            for t in asked
        ],
        batch_size=1000,
    )  # fmt: skip
    new = [t for t in asked if t.status == S.NEW]
    if new:
        Tip.objects.filter(pk__in=[t.pk for t in new]).update(
            status=S.IN_REVIEW, status_changed_at=now, status_changed_by=user, updated_at=now
        )
        cache.bump(cache.STATS)
    TipEvent.objects.bulk_create(
        [TipEvent(tip=t, kind=TipEvent.Kind.STATUS, user=user, from_status=S.NEW,
                  to_status=S.IN_REVIEW) for t in new]
        + [TipEvent(tip=t, kind=TipEvent.Kind.QUESTION, user=user) for t in asked],
        batch_size=1000,
    )  # fmt: skip
    audit_record_many(
        action="change",
        user=user,
        entries=[(t, {"field": "status", "old": S.NEW, "new": S.IN_REVIEW}) for t in new]
        + [(t, {"field": "question", "message": m.pk, "bulk": len(asked)})
           for t, m in zip(asked, messages, strict=True)],
    )  # fmt: skip
    return BulkResult(done=len(asked), skipped=len(locked) - len(asked))


@transaction.atomic
def tip_tags_change(*, tips, tag: Tag, user: AbstractBaseUser, add: bool) -> BulkResult:
    """Put a tag on (or take it off) many tips; only the tips that change are audited."""
    from backoffice.audit import audit_record_many

    Through = Tip.tags.through
    ids = _pks(tips)
    chosen = list(Tip.objects.filter(pk__in=ids).order_by("pk"))
    tagged = set(
        Through.objects.filter(tag=tag, tip_id__in=[t.pk for t in chosen]).values_list(
            "tip_id", flat=True
        )
    )
    changed = [t for t in chosen if (t.pk in tagged) != add]
    if add:
        Through.objects.bulk_create(
            [Through(tip_id=t.pk, tag_id=tag.pk) for t in changed],
            batch_size=1000,
            ignore_conflicts=True,
        )
    else:
        Through.objects.filter(tag=tag, tip_id__in=[t.pk for t in changed]).delete()
    key = "added" if add else "removed"
    audit_record_many(
        action="change", user=user, entries=[(t, {"field": "tags", key: tag.pk}) for t in changed]
    )
    return BulkResult(done=len(changed), skipped=len(chosen) - len(changed))


def tip_thread(*, tip: Tip) -> list[dict]:
    """Questions and answers, decrypted, oldest first (for the back-office only)."""
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


def tip_reveal_contact(*, tip: Tip, user: AbstractBaseUser) -> str:
    """Decrypt a tipster's contact details for a permitted user; every reveal is audited."""
    _audit(action="reveal_contact", user=user, target=tip)
    return tip_contact(tip=tip)


def tip_reveal_photo(*, tip: Tip, user: AbstractBaseUser) -> bytes | None:
    _audit(action="reveal_photo", user=user, target=tip)
    return tip_photo(tip=tip)


# --- Retention ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    deleted_tips: int
    deleted_messages: int
    deleted_photos: int
    erased_contacts: int


def tip_purge(*, now=None) -> PurgeResult:
    """Delete spam/not-useful tips older than PURGE_REJECTED_TIPS_DAYS (with their photos and
    messages) and erase contact details and photos of tips closed ERASE_CLOSED_CONTACT_DAYS ago.

    Photos are removed from private storage after the rows are gone (on commit), so a failed
    transaction leaves the photos of surviving tips in place.
    """
    from datetime import timedelta

    from django.conf import settings

    now = now or timezone.now()
    reject_before = now - timedelta(days=settings.PURGE_REJECTED_TIPS_DAYS)
    erase_before = now - timedelta(days=settings.ERASE_CLOSED_CONTACT_DAYS)
    photos: list[str] = []
    with transaction.atomic():
        doomed = Tip.objects.filter(
            status__in=[S.SPAM, S.NOT_USEFUL], received_at__lt=reject_before
        )
        doomed = doomed.filter(
            Q(status_changed_at__isnull=True) | Q(status_changed_at__lt=reject_before)
        )
        ids = list(doomed.values_list("pk", flat=True))
        photos += [
            n for n in Tip.objects.filter(pk__in=ids).values_list("photo_name", flat=True) if n
        ]
        messages = TipMessage.objects.filter(tip_id__in=ids).count()
        Tip.objects.filter(duplicate_of_id__in=ids).update(duplicate_of=None)
        Tip.objects.filter(pk__in=ids).delete()
        closed = Tip.objects.filter(
            status=S.CLOSED, status_changed_at__lt=erase_before, contact_erased_at__isnull=True
        ).filter(~Q(contact_encrypted=b"") | ~Q(photo_name=""))
        erase_ids = list(closed.values_list("pk", flat=True))
        photos += [
            n
            for n in Tip.objects.filter(pk__in=erase_ids).values_list("photo_name", flat=True)
            if n
        ]
        Tip.objects.filter(pk__in=erase_ids).update(
            contact_encrypted=b"", photo_name="", contact_erased_at=now
        )
        result = PurgeResult(len(ids), messages, len(photos), len(erase_ids))
        _audit(
            action="purge", actor_name="purge_tips", deleted_tips=result.deleted_tips,
            deleted_messages=result.deleted_messages, deleted_photos=result.deleted_photos,
            erased_contacts=result.erased_contacts,
        )  # fmt: skip
        transaction.on_commit(lambda: [private_storage().delete(name) for name in photos])
        cache.bump(cache.STATS)  # deleted tips leave the public results count
    return result


@transaction.atomic
def object_identify(*, obj: TraceObject, user: AbstractBaseUser, note: str) -> TraceObject:
    """Mark an object identified with the public note shown on its page; tips close for it.

    Saved through objects.services.object_save, which stamps identified_at and who changed it
    and refreshes the cached public pages (the object page stops asking for tips at once).
    """
    obj.status = TraceObject.Status.IDENTIFIED
    obj.identification_note = note
    object_save(obj=obj, user=user)
    _audit(action="change", user=user, target=obj, field="status", new="identified")
    return obj
