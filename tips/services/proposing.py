"""Proposing each tip's lead as it arrives, and again for an object's tips when asked.

Bounded work per new tip (tip_propose_lead): one read of the object's translations (kept per
process while the object is unchanged), one of its splits, one grouped read of its known leads
(tips.selectors.known_leads), then words and names in Python (tips.matching) and one UPDATE of
the tip. tips.services.intake calls it inside the tip's transaction, in a savepoint, and never
lets it fail or hold up the receipt (tip_propose_lead_safely).
"""

import logging

from django.db import transaction

from objects.models import TraceObject
from tips import matching
from tips.language import detect_language
from tips.models import Tip
from tips.selectors import known_leads, object_common_words, object_splits

logger = logging.getLogger(__name__)

# Stored with the tip for the pair score; more common words than this add nothing to it.
COMMON_KEPT = 30
FIELDS = ["detected_language", "lead_key", "lead_label", "lead_terms"]


def _names(tip: Tip, common: frozenset[str], splits: set[str]) -> matching.TipNames:
    language = tip.detected_language or tip.language
    found = matching.tip_names(place=tip.place, body=tip.body, common=common, language=language)
    if splits:
        found.names = [
            n for n in found.names if not any(matching.same_name(n.key, s) for s in splits)
        ]
    return found


def _apply(tip: Tip, found: matching.TipNames, known: dict[str, int]) -> matching.Assignment:
    assignment = matching.assign(found, known)
    tip.lead_key = assignment.key
    tip.lead_label = assignment.label[:80]
    tip.lead_terms = {
        "names": found.keys,
        "common": sorted(found.common)[:COMMON_KEPT],
        "several": assignment.several,
    }
    return assignment


def tip_propose_lead(*, tip: Tip) -> Tip:
    """Detect the tip's language and propose its lead among its object's (tips.matching), or
    for a general report among the other general reports' (no object: no common words, no
    splits)."""
    obj = tip.trace_object
    tip.detected_language = detect_language(tip.body)
    if obj is None:
        found = _names(tip, frozenset(), set())
    else:
        found = _names(tip, object_common_words(obj), object_splits(obj.pk))
    _apply(tip, found, known_leads(tip.trace_object_id, exclude=[tip.pk]))
    Tip.objects.filter(pk=tip.pk).update(**{name: getattr(tip, name) for name in FIELDS})
    return tip


def tip_propose_lead_safely(tip: Tip) -> None:
    """tip_propose_lead in a savepoint; any error is logged and the tip stands unproposed."""
    try:
        with transaction.atomic():
            tip_propose_lead(tip=tip)
    except Exception:
        logger.exception("no lead proposed for tip %s; the tip itself is stored", tip.pk)


@transaction.atomic
def leads_recompute(*, obj: TraceObject, tips=None, batch: int = 500) -> int:
    """Propose again the leads of the object's tips (all, or the queryset `tips`), oldest
    first, as if they had arrived one by one: after a split, or for tips stored before leads
    were proposed (manage.py propose_leads). Languages are detected where still empty."""
    chosen = tips if tips is not None else Tip.objects.filter(trace_object=obj)
    chosen = chosen.filter(trace_object=obj).order_by("received_at", "pk")
    ids = list(chosen.values_list("pk", flat=True))
    known = known_leads(obj.pk, exclude=ids)
    common, splits = object_common_words(obj), object_splits(obj.pk)
    done = 0
    for start in range(0, len(ids), batch):
        part = Tip.objects.filter(pk__in=ids[start : start + batch])
        rows = list(part.order_by("received_at", "pk"))
        for tip in rows:
            if not tip.detected_language:
                tip.detected_language = detect_language(tip.body)
            assignment = _apply(tip, _names(tip, common, splits), known)
            if assignment.key and tip.status != Tip.Status.SPAM:
                known[assignment.key] = known.get(assignment.key, 0) + 1
        Tip.objects.bulk_update(rows, FIELDS, batch_size=batch)
        done += len(rows)
    return done
