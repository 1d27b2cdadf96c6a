"""The leads of an object: its tips grouped by lead key, with their support; and what proposing
a new tip's lead reads (the known leads, the object's own words, its splits)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, Q

from objects.models import TraceObject
from tips import matching
from tips.models import LeadSplit, Tip
from traceobject import process_cache

S = Tip.Status

# The object's best supported leads a new tip is compared with.
KNOWN_LIMIT = 300


@dataclass
class ProposedLead:
    """One lead of an object: its tips share a lead key (spam left out)."""

    key: str
    label: str
    support: int  # independent tips: one tip, one tipster
    new: int
    folded: int  # tips already marked duplicates (confirmed)
    first_seen: datetime
    last_seen: datetime
    first: Tip | None
    countries: list[tuple[str, int]] = field(default_factory=list)
    languages: list[tuple[str, int]] = field(default_factory=list)


def object_leads(*, object_id: int | None, limit: int = 20, key: str = "") -> list[ProposedLead]:
    """The object's leads, most supported first, with their countries and languages
    (top five each), first and last seen. Three grouped queries on the object's tips with an
    lead (index tip_object_lead_idx) and one read of each lead's first tip."""
    base = (
        Tip.objects.filter(trace_object_id=object_id)
        .exclude(lead_key="")
        .exclude(status=S.SPAM)
        .order_by()
    )
    if key:
        base = base.filter(lead_key=key)
    rows = list(
        base.values("lead_key")
        .annotate(
            support=Count("*"),
            new=Count("status", filter=Q(status=S.NEW)),
            folded=Count("status", filter=Q(status=S.DUPLICATE)),
            first_seen=Min("received_at"),
            last_seen=Max("received_at"),
            first_id=Min("id"),
        )
        .order_by("-support", "lead_key")[:limit]
    )
    keys = [row["lead_key"] for row in rows]
    firsts = Tip.objects.in_bulk([row["first_id"] for row in rows])
    spread: dict[str, dict[str, list]] = {k: {"countries": [], "languages": []} for k in keys}
    for field_name, bucket in (("country", "countries"), ("detected_language", "languages")):
        counts = (
            base.filter(lead_key__in=keys)
            .exclude(**{field_name: ""})
            .values_list("lead_key", field_name)
            .annotate(n=Count("*"))
            .order_by("lead_key", "-n", field_name)
        )
        for lead_key, value, n in counts:
            if len(spread[lead_key][bucket]) < 5:
                spread[lead_key][bucket].append((value, n))
    found = []
    for row in rows:
        first = firsts.get(row["first_id"])
        found.append(
            ProposedLead(
                key=row["lead_key"],
                label=(first.lead_label if first else "") or row["lead_key"],
                support=row["support"],
                new=row["new"],
                folded=row["folded"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
                first=first,
                countries=spread[row["lead_key"]]["countries"],
                languages=spread[row["lead_key"]]["languages"],
            )
        )
    return found


def tip_lead(*, tip: Tip) -> ProposedLead | None:
    """The tip's proposed lead with its support (the queue, the tip page)."""
    if not tip.lead_key:
        return None
    found = object_leads(object_id=tip.trace_object_id, key=tip.lead_key, limit=1)
    return found[0] if found else None


def lead_tips(*, obj: TraceObject, key: str):
    """The object's tips with this lead key (none for an empty key)."""
    return Tip.objects.filter(trace_object=obj, lead_key=key) if key else Tip.objects.none()


@process_cache.memoize(maxsize=512)
def _object_words(object_id: int, stamp: str) -> frozenset[str]:
    """Every word of the object's own texts in every language, folded (common on this object:
    tips repeat the object's title). Kept per process under the object's last change."""
    obj = TraceObject.objects.get(pk=object_id)
    texts = [obj.title, obj.question, obj.description, obj.alt_text]
    for row in obj.translations.values_list("title", "question", "description", "alt_text"):
        texts.extend(row)
    return frozenset(folded for text in texts for folded, _, _ in matching.words(text or ""))


def object_common_words(obj: TraceObject) -> frozenset[str]:
    return _object_words(obj.pk, obj.updated_at.isoformat() if obj.updated_at else "")


def object_splits(object_id: int) -> set[str]:
    """The names investigators split on this object: never a lead there again."""
    return set(LeadSplit.objects.filter(trace_object_id=object_id).values_list("key", flat=True))


def known_leads(object_id: int | None, *, exclude: Iterable[int] = ()) -> dict[str, int]:
    """The object's leads and their support (tips, spam left out), best supported first
    (at most KNOWN_LIMIT, through the index tip_object_lead_idx)."""
    rows = (
        Tip.objects.filter(trace_object_id=object_id)
        .exclude(lead_key="")
        .exclude(status=Tip.Status.SPAM)
        .exclude(pk__in=list(exclude))
        .order_by()
        .values_list("lead_key")
        .annotate(n=Count("*"))
        .order_by("-n", "lead_key")[:KNOWN_LIMIT]
    )
    return dict(rows)
