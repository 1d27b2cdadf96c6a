"""The investigators' decisions on tips: status, duplicates, forwarding, assignment, priority,
notes and questions. Every change is a TipEvent (the tip's history) and an audit entry."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tips.models import Tip, TipEvent, TipMessage, next_sequences
from tips.selectors import tip_contact, tip_photo
from traceobject import crypto, page_cache
from traceobject.audit import Action, audit_record

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


def _set_status(*, tip: Tip, user: User, to: str, text: str = "") -> None:
    if to not in TRANSITIONS[tip.status]:
        raise TransitionNotAllowed(f"{tip.status} → {to}")
    TipEvent.objects.create(
        tip=tip,
        kind=TipEvent.Kind.STATUS,
        user=user,
        from_status=tip.status,
        to_status=to,
        text=text,
    )
    audit_record(
        action=Action.CHANGE, user=user, target=tip, field="status", old=tip.status, new=to
    )
    tip.status = to
    tip.status_changed_at = timezone.now()
    tip.status_changed_by = user
    page_cache.bump(page_cache.STATS)  # the public results count tips by status (spam excluded)


@transaction.atomic
def tip_transition(*, tip: Tip, user: User, to: str) -> Tip:
    """Move a tip to another status, if the graph allows it; recorded with who and when.

    Duplicates and forwarding carry extra data: use tip_mark_duplicate and tip_forward.
    """
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    if to in (S.DUPLICATE, S.FORWARDED):
        raise TransitionNotAllowed(f"use the {to} service")
    _set_status(tip=tip, user=user, to=to)
    tip.duplicate_of = None
    tip.save(
        update_fields=[
            "status",
            "status_changed_at",
            "status_changed_by",
            "duplicate_of",
            "updated_at",
        ]
    )
    return tip


@transaction.atomic
def tip_mark_duplicate(*, tips: list[Tip], original: Tip, user: User) -> int:
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
            update_fields=[
                "status",
                "status_changed_at",
                "status_changed_by",
                "duplicate_of",
                "updated_at",
            ]
        )
        Tip.objects.filter(duplicate_of=tip).update(duplicate_of=root)
        count += 1
    return count


@transaction.atomic
def tip_forward(
    *, tip: Tip, user: User, agency: str, country: str = "", cluster: bool = True
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
        each.save(
            update_fields=[
                "status",
                "status_changed_at",
                "status_changed_by",
                "forwarded_to",
                "forwarded_country",
                "forwarded_at",
                "forwarded_by",
                "updated_at",
            ]
        )
        TipEvent.objects.create(
            tip=each,
            kind=TipEvent.Kind.FORWARD,
            user=user,
            text=f"{agency.strip()} {country}".strip(),
        )
        done.append(each)
    return done


@transaction.atomic
def tip_assign(*, tip: Tip, user: User, assignee: User | None) -> Tip:
    """Assign a tip (None unassigns). A new tip being assigned goes to "in review"."""
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    tip.assignee = assignee
    if tip.status == S.NEW and assignee is not None:
        _set_status(tip=tip, user=user, to=S.IN_REVIEW)
    TipEvent.objects.create(
        tip=tip,
        kind=TipEvent.Kind.ASSIGN,
        user=user,
        text=assignee.get_username() if assignee else "",
    )
    audit_record(
        action=Action.CHANGE,
        user=user,
        target=tip,
        field="assignee",
        new=assignee.pk if assignee else None,
    )
    tip.save(
        update_fields=["assignee", "status", "status_changed_at", "status_changed_by", "updated_at"]
    )
    return tip


@transaction.atomic
def tip_set_priority(*, tip: Tip, user: User, priority: int) -> Tip:
    tip.priority = Tip.Priority(priority)
    tip.save(update_fields=["priority", "updated_at"])
    TipEvent.objects.create(
        tip=tip, kind=TipEvent.Kind.PRIORITY, user=user, text=str(tip.get_priority_display())
    )
    audit_record(action=Action.CHANGE, user=user, target=tip, field="priority", new=int(priority))
    return tip


@transaction.atomic
def tip_note(*, tip: Tip, user: User, text: str) -> TipEvent:
    """An internal note on a tip; never shown to the tipster."""
    event = TipEvent.objects.create(tip=tip, kind=TipEvent.Kind.NOTE, user=user, text=text)
    audit_record(action=Action.CHANGE, user=user, target=tip, field="note", event=event.pk)
    return event


@transaction.atomic
def tip_ask(*, tip: Tip, user: User, body: str) -> TipMessage:
    """An investigator's question, shown to the tipster on the follow-up page."""
    Tip.objects.select_for_update().filter(pk=tip.pk).first()
    return TipMessage.objects.create(
        tip=tip,
        sequence=next_sequences([tip.pk])[tip.pk],
        author=TipMessage.Author.INVESTIGATOR,
        body_encrypted=crypto.encrypt_text(body),
        staff_user=user,
        created_at=timezone.now(),
    )


@transaction.atomic
def tip_question(*, tip: Tip, user: User, body: str) -> TipMessage:
    """Ask the tipster a question (shown on their follow-up page); a new tip goes in review."""
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    message = tip_ask(tip=tip, user=user, body=body)
    if tip.status == S.NEW:
        _set_status(tip=tip, user=user, to=S.IN_REVIEW)
        tip.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    TipEvent.objects.create(tip=tip, kind=TipEvent.Kind.QUESTION, user=user)
    audit_record(action=Action.CHANGE, user=user, target=tip, field="question", message=message.pk)
    return message


# How long after a decision its maker can still undo it from the queue.
UNDO_MINUTES = 30


@transaction.atomic
def tip_undo(*, tip: Tip, user: User) -> str:
    """Undo the user's last decision on a tip (status, duplicate, assign to me), within
    UNDO_MINUTES and while nobody has changed the tip's status since: the status goes back to
    what it was, a duplicate leaves its cluster, the assignment made with it is taken back.

    The way back may lie outside TRANSITIONS (useful → new): it restores a state the tip had a
    moment ago, and it is recorded and audited like any change. Returns the status restored.
    """
    tip = Tip.objects.select_for_update().get(pk=tip.pk)
    event = tip.events.filter(kind=TipEvent.Kind.STATUS).order_by("-at", "-pk").first()
    recent = timezone.now() - timedelta(minutes=UNDO_MINUTES)
    if (
        event is None
        or event.user_id != user.pk
        or event.to_status != tip.status
        or event.at < recent
        or event.text == "undo"
    ):
        raise TransitionNotAllowed("nothing of yours to undo on this tip")
    assigned = tip.events.filter(kind=TipEvent.Kind.ASSIGN, user=user, pk__gt=event.pk).exists()
    TipEvent.objects.create(
        tip=tip,
        kind=TipEvent.Kind.STATUS,
        user=user,
        from_status=tip.status,
        to_status=event.from_status,
        text="undo",
    )
    audit_record(
        action=Action.CHANGE,
        user=user,
        target=tip,
        field="status",
        old=tip.status,
        new=event.from_status,
        undo=event.pk,
    )
    tip.status = event.from_status
    tip.status_changed_at, tip.status_changed_by = timezone.now(), user
    if event.to_status == S.DUPLICATE:
        tip.duplicate_of = None
    if assigned and tip.assignee_id == user.pk:
        tip.assignee = None
        TipEvent.objects.create(tip=tip, kind=TipEvent.Kind.ASSIGN, user=user, text="undo")
        audit_record(
            action=Action.CHANGE, user=user, target=tip, field="assignee", new=None, undo=event.pk
        )
    tip.save(
        update_fields=[
            "status",
            "status_changed_at",
            "status_changed_by",
            "duplicate_of",
            "assignee",
            "updated_at",
        ]
    )
    page_cache.bump(page_cache.STATS)
    return tip.status


def tip_reveal_contact(*, tip: Tip, user: User) -> str:
    """Decrypt a tipster's contact details for a permitted user; every reveal is audited."""
    audit_record(action=Action.REVEAL_CONTACT, user=user, target=tip)
    return tip_contact(tip=tip)


def tip_reveal_photo(*, tip: Tip, user: User) -> bytes | None:
    audit_record(action=Action.REVEAL_PHOTO, user=user, target=tip)
    return tip_photo(tip=tip)
