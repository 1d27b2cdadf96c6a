"""Proposing each tip's answer as it arrives, and again for an object's tips when asked.

Bounded work per new tip (tip_propose_answer): one read of the object's translations (kept per
process while the object is unchanged), one of its splits, one grouped read of its known answers
(at most KNOWN_LIMIT, through the index tip_object_answer_idx), then words and names in Python
and one UPDATE of the tip. tips.services.intake calls it inside the tip's transaction, in a
savepoint, and never lets it fail or hold up the receipt (tip_propose_answer_safely).
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count

from objects.models import TraceObject
from tips import answers
from tips.language import detect_language
from tips.models import AnswerSplit, Tip
from traceobject import process_cache

logger = logging.getLogger(__name__)

# The object's best supported answers a new tip is compared with.
KNOWN_LIMIT = 300
# Stored with the tip for the pair score; more common words than this add nothing to it.
COMMON_KEPT = 30
FIELDS = ["detected_language", "answer_key", "answer_label", "answer_terms"]


@process_cache.memoize(maxsize=512)
def _object_words(object_id: int, stamp: str) -> frozenset[str]:
    """Every word of the object's own texts in every language, folded (common on this object:
    tips repeat the object's title). Kept per process under the object's last change."""
    obj = TraceObject.objects.get(pk=object_id)
    texts = [obj.title, obj.question, obj.description, obj.alt_text]
    for row in obj.translations.values_list("title", "question", "description", "alt_text"):
        texts.extend(row)
    return frozenset(folded for text in texts for folded, _, _ in answers.words(text or ""))


def object_common_words(obj: TraceObject) -> frozenset[str]:
    return _object_words(obj.pk, obj.updated_at.isoformat() if obj.updated_at else "")


def object_splits(object_id: int) -> set[str]:
    return set(AnswerSplit.objects.filter(trace_object_id=object_id).values_list("key", flat=True))


def known_answers(object_id: int | None, *, exclude: Iterable[int] = ()) -> dict[str, int]:
    """The object's answers and their support (tips, spam left out), best supported first."""
    rows = (
        Tip.objects.filter(trace_object_id=object_id)
        .exclude(answer_key="")
        .exclude(status=Tip.Status.SPAM)
        .exclude(pk__in=list(exclude))
        .order_by()
        .values_list("answer_key")
        .annotate(n=Count("*"))
        .order_by("-n", "answer_key")[:KNOWN_LIMIT]
    )
    return dict(rows)


def _names(tip: Tip, common: frozenset[str], splits: set[str]) -> answers.TipNames:
    language = tip.detected_language or tip.language
    found = answers.tip_names(place=tip.place, body=tip.body, common=common, language=language)
    if splits:
        found.names = [
            n for n in found.names if not any(answers.same_name(n.key, s) for s in splits)
        ]
    return found


def _apply(tip: Tip, found: answers.TipNames, known: dict[str, int]) -> answers.Assignment:
    assignment = answers.assign(found, known)
    tip.answer_key = assignment.key
    tip.answer_label = assignment.label[:80]
    tip.answer_terms = {
        "names": found.keys,
        "common": sorted(found.common)[:COMMON_KEPT],
        "several": assignment.several,
    }
    return assignment


def tip_propose_answer(*, tip: Tip) -> Tip:
    """Detect the tip's language and propose its answer among its object's (tips.answers), or
    for a general report among the other general reports' (no object: no common words, no
    splits)."""
    obj = tip.trace_object
    tip.detected_language = detect_language(tip.body)
    if obj is None:
        found = _names(tip, frozenset(), set())
    else:
        found = _names(tip, object_common_words(obj), object_splits(obj.pk))
    _apply(tip, found, known_answers(tip.trace_object_id, exclude=[tip.pk]))
    Tip.objects.filter(pk=tip.pk).update(**{name: getattr(tip, name) for name in FIELDS})
    return tip


def tip_propose_answer_safely(tip: Tip) -> None:
    """tip_propose_answer in a savepoint; any error is logged and the tip stands unproposed."""
    try:
        with transaction.atomic():
            tip_propose_answer(tip=tip)
    except Exception:
        logger.exception("no answer proposed for tip %s; the tip itself is stored", tip.pk)


@transaction.atomic
def answers_recompute(*, obj: TraceObject, tips=None, batch: int = 500) -> int:
    """Propose again the answers of the object's tips (all, or the queryset `tips`), oldest
    first, as if they had arrived one by one: after a split, or for tips stored before answers
    were proposed (manage.py propose_answers). Languages are detected where still empty."""
    chosen = tips if tips is not None else Tip.objects.filter(trace_object=obj)
    chosen = chosen.filter(trace_object=obj).order_by("received_at", "pk")
    ids = list(chosen.values_list("pk", flat=True))
    known = known_answers(obj.pk, exclude=ids)
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
