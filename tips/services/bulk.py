"""Actions on many tips at once (a cluster, a selection): a fixed number of queries each."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tips.models import Tag, Tip, TipEvent, TipMessage, next_sequences
from tips.selectors import can_receive_questions
from tips.services.triage import TRANSITIONS, S, TransitionNotAllowed
from traceobject import crypto, page_cache
from traceobject.audit import Action, audit_record_many


def _pks(tips):
    """The ids of a queryset (as a subquery) or of a list of tips."""
    return tips.values("pk") if hasattr(tips, "values") else [t.pk for t in tips]


@dataclass(frozen=True)
class BulkResult:
    done: int
    skipped: int


@transaction.atomic
def tip_question_many(*, tips, user: User, body: str) -> BulkResult:
    """Ask the same question on many tips (a cluster, a selection): each tip whose tipster can
    receive questions gets its own message in its own thread; new tips go in review.

    `tips` is a queryset or a list of tips. A fixed number of queries however many tips: the
    rows are locked, and messages, events and audit entries are inserted in bulk.
    """

    ids = _pks(tips)
    locked = list(Tip.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    asked = [t for t in locked if can_receive_questions(t)]
    now = timezone.now()
    sequences = next_sequences([t.pk for t in asked])
    messages = TipMessage.objects.bulk_create(
        [
            TipMessage(
                tip=t,
                author=TipMessage.Author.INVESTIGATOR,
                staff_user=user,
                body_encrypted=crypto.encrypt_text(body),
                created_at=now,
                sequence=sequences[t.pk],
            )
            for t in asked
        ],
        batch_size=1000,
    )
    new = [t for t in asked if t.status == S.NEW]
    if new:
        Tip.objects.filter(pk__in=[t.pk for t in new]).update(
            status=S.IN_REVIEW, status_changed_at=now, status_changed_by=user, updated_at=now
        )
        page_cache.bump(page_cache.STATS)
    TipEvent.objects.bulk_create(
        [
            TipEvent(
                tip=t,
                kind=TipEvent.Kind.STATUS,
                user=user,
                from_status=S.NEW,
                to_status=S.IN_REVIEW,
            )
            for t in new
        ]
        + [TipEvent(tip=t, kind=TipEvent.Kind.QUESTION, user=user) for t in asked],
        batch_size=1000,
    )
    audit_record_many(
        action=Action.CHANGE,
        user=user,
        entries=[(t, {"field": "status", "old": S.NEW, "new": S.IN_REVIEW}) for t in new]
        + [
            (t, {"field": "question", "message": m.pk, "bulk": len(asked)})
            for t, m in zip(asked, messages, strict=True)
        ],
    )
    return BulkResult(done=len(asked), skipped=len(locked) - len(asked))


@transaction.atomic
def tip_tags_change(*, tips, tag: Tag, user: User, add: bool) -> BulkResult:
    """Put a tag on (or take it off) many tips; only the tips that change are audited."""

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
        action=Action.CHANGE,
        user=user,
        entries=[(t, {"field": "tags", key: tag.pk}) for t in changed],
    )
    return BulkResult(done=len(changed), skipped=len(chosen) - len(changed))


@transaction.atomic
def tip_mark_duplicate_many(*, tips, original: Tip, user: User) -> BulkResult:
    """Mark many tips duplicates of `original` (the first of their cluster) in a fixed number of
    queries: tips.services.triage.tip_mark_duplicate's rules, for a whole lead.

    Tips whose status cannot become "duplicate" (spam, not useful, forwarded, closed) are left
    as they are and counted as skipped; tips that pointed at a re-marked tip follow it.
    """
    root = original.duplicate_of or original
    ids = _pks(tips)
    locked = list(
        Tip.objects.select_for_update().filter(pk__in=ids).exclude(pk=root.pk).order_by("pk")
    )
    if any(t.trace_object_id != root.trace_object_id for t in locked):
        raise TransitionNotAllowed("a duplicate must be about the same object")
    movable = [t for t in locked if t.status == S.DUPLICATE or S.DUPLICATE in TRANSITIONS[t.status]]
    moving = [t for t in movable if t.duplicate_of_id != root.pk]
    changing = [t for t in moving if t.status != S.DUPLICATE]
    now = timezone.now()
    moving_ids = [t.pk for t in moving]
    Tip.objects.filter(pk__in=moving_ids).update(duplicate_of=root, updated_at=now)
    Tip.objects.filter(pk__in=[t.pk for t in changing]).update(
        status=S.DUPLICATE, status_changed_at=now, status_changed_by=user
    )
    Tip.objects.filter(duplicate_of_id__in=moving_ids).update(duplicate_of=root)
    TipEvent.objects.bulk_create(
        [
            TipEvent(
                tip=t,
                kind=TipEvent.Kind.STATUS,
                user=user,
                from_status=t.status,
                to_status=S.DUPLICATE,
                text=f"#{root.pk}",
            )
            for t in changing
        ],
        batch_size=1000,
    )
    audit_record_many(
        action=Action.CHANGE,
        user=user,
        entries=[(t, {"field": "status", "old": t.status, "new": S.DUPLICATE}) for t in changing]
        + [(t, {"field": "duplicate_of", "new": root.pk, "bulk": len(moving)}) for t in moving],
    )
    if changing:
        page_cache.bump(page_cache.STATS)
    return BulkResult(done=len(moving), skipped=len(locked) - len(movable))
