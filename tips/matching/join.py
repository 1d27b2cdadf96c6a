"""How a tip joins a lead of its object, or starts one (see tips.matching)."""

from dataclasses import dataclass

from tips.matching.names import Name, TipNames, same_name


def match_known(key: str, known: dict[str, int]) -> str | None:
    """The known lead (folded key → support) that this name is, the best supported first."""
    if key in known:
        return key
    best = None
    for lead, support in known.items():
        if same_name(key, lead) and (best is None or support > known[best]):
            best = lead
    return best


@dataclass(frozen=True)
class Assignment:
    key: str  # "" when the tip has no lead or names several
    label: str
    several: bool  # it names two or more known leads


def assign(names: TipNames, known: dict[str, int]) -> Assignment:
    """The lead a tip joins among its object's known leads (key → support), or starts."""
    matched: dict[str, Name] = {}
    for name in names.names:
        lead = match_known(name.key, known)
        if lead is not None and lead not in matched:
            matched[lead] = name
    # Known leads that are one name written two ways ("pingo", "pingodoce") count once.
    leads: list[str] = []
    for lead in sorted(matched, key=lambda a: -known[a]):
        if not any(same_name(lead, kept) for kept in leads):
            leads.append(lead)
    if len(leads) == 1:
        return Assignment(key=leads[0], label=matched[leads[0]].label, several=False)
    if len(leads) >= 2:
        return Assignment(key="", label="", several=True)
    if names.names:
        # Unmatched: the name that most looks like a lead starts one (first if tied).
        first = max((n for n in names.names if not n.joined), key=lambda n: n.rank)
        return Assignment(key=first.key, label=first.label, several=False)
    return Assignment(key="", label="", several=False)
