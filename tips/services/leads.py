"""Decisions on a whole lead: confirm, split, useful, forward, ask every tipster.

A lead is the object's tips with one lead key (tips.services.proposing). Confirming it marks its
tips duplicates of its first tip, so the existing clusters, "ask the cluster" and forwarding work
on it unchanged; the other decisions confirm it first. Every change is audited: each tip's own rows
(through the services used) and one row for the decision on the first tip.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from objects.models import TraceObject
from tips.models import LeadSplit, Tip
from tips.selectors import lead_tips
from tips.services.bulk import BulkResult, tip_mark_duplicate_many, tip_question_many
from tips.services.proposing import leads_recompute
from tips.services.triage import S, TransitionNotAllowed, tip_forward, tip_transition
from traceobject.audit import Action, audit_record

# Tips of a lead that can be folded into it; the others (spam, not useful, forwarded,
# closed) stay as investigators left them.
FOLDABLE = (S.NEW, S.IN_REVIEW, S.USEFUL, S.DUPLICATE)


class NoSuchLead(Exception):
    """No tip of the object has this lead (any more)."""


@dataclass(frozen=True)
class LeadDecision:
    root: Tip
    folded: int  # tips newly marked duplicates of the root
    done: int  # tips the decision itself reached (asked, forwarded); 0 for confirm
    skipped: int


def _root(obj: TraceObject, key: str) -> Tip:
    """The lead's first tip, or the first tip of the cluster its tips were already folded
    into; locked."""
    tips = lead_tips(obj=obj, key=key).filter(status__in=FOLDABLE)
    folded = tips.filter(duplicate_of__isnull=False).order_by("duplicate_of_id").first()
    if folded is not None and folded.duplicate_of.trace_object_id == obj.pk:
        root = folded.duplicate_of
    else:
        root = tips.filter(duplicate_of__isnull=True).order_by("received_at", "pk").first()
    if root is None:
        raise NoSuchLead(key)
    return Tip.objects.select_for_update().get(pk=root.pk)


def _confirm(obj: TraceObject, key: str, user: User) -> tuple[Tip, BulkResult]:
    root = _root(obj, key)
    result = tip_mark_duplicate_many(
        tips=lead_tips(obj=obj, key=key).filter(status__in=FOLDABLE), original=root, user=user
    )
    return root, result


def _audit(user, root: Tip, decision: str, **detail) -> None:
    audit_record(
        action=Action.CHANGE, user=user, target=root, field="lead", decision=decision, **detail
    )


@transaction.atomic
def lead_confirm(*, obj: TraceObject, key: str, user: User) -> LeadDecision:
    """The lead is one lead: its tips become duplicates of its first tip."""
    root, result = _confirm(obj, key, user)
    _audit(user, root, "confirm", folded=result.done)
    return LeadDecision(root=root, folded=result.done, done=0, skipped=result.skipped)


@transaction.atomic
def lead_split(*, obj: TraceObject, key: str, user: User) -> int:
    """The lead is not one lead: its name is set aside on this object and its tips are
    proposed again without it (each joins its next name's lead, or stands alone).
    Folding already done is left as it is. Returns how many tips were proposed again."""
    tips = lead_tips(obj=obj, key=key)
    first = tips.order_by("received_at", "pk").first()
    if first is None:
        raise NoSuchLead(key)
    LeadSplit.objects.get_or_create(trace_object=obj, key=key, defaults={"created_by": user})
    ids = list(tips.values_list("pk", flat=True))
    count = leads_recompute(obj=obj, tips=Tip.objects.filter(pk__in=ids))
    _audit(user, first, "split", tips=count)
    return count


@transaction.atomic
def lead_mark_useful(*, obj: TraceObject, key: str, user: User) -> LeadDecision:
    """Confirm the lead and mark its first tip useful (its duplicates follow it)."""
    root, result = _confirm(obj, key, user)
    if root.status in (S.NEW, S.IN_REVIEW):
        root = tip_transition(tip=root, user=user, to=S.USEFUL)
    _audit(user, root, "useful", folded=result.done)
    return LeadDecision(root=root, folded=result.done, done=1, skipped=result.skipped)


@transaction.atomic
def lead_forward(
    *, obj: TraceObject, key: str, user: User, agency: str, country: str = ""
) -> LeadDecision:
    """Confirm the lead and record it, with every tip of its cluster, as forwarded."""
    if not agency.strip():
        raise TransitionNotAllowed("forwarding needs an agency")
    root, result = _confirm(obj, key, user)
    if root.status in (S.NEW, S.IN_REVIEW):
        root = tip_transition(tip=root, user=user, to=S.USEFUL)
    done = tip_forward(tip=root, user=user, agency=agency, country=country, cluster=True)
    _audit(user, root, "forward", folded=result.done, forwarded=len(done), country=country)
    return LeadDecision(root=root, folded=result.done, done=len(done), skipped=result.skipped)


@transaction.atomic
def lead_ask(*, obj: TraceObject, key: str, user: User, body: str) -> LeadDecision:
    """Ask every tipster of the lead the same question (each in their own thread); tips
    closed for their tipster are left out. The lead is not confirmed by asking."""
    tips = lead_tips(obj=obj, key=key)
    first = tips.order_by("received_at", "pk").first()
    if first is None:
        raise NoSuchLead(key)
    result = tip_question_many(tips=tips, user=user, body=body)
    _audit(user, first, "ask", asked=result.done)
    return LeadDecision(root=first, folded=0, done=result.done, skipped=result.skipped)
