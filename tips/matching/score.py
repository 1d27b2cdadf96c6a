"""The score of a pair of tips on one object: how likely they say the same (see
tips.matching).

    0                                  if they have different leads, or either names several;
    0.95                               if they give the same link;
    1 − Π (1 − w(name)) over the names they share                       (names)
      + 0.03 per shared common word (at most 0.09) + 0.05 for the same country field,

capped at 0.99, where w(name) is 0.9 for a name of five letters or more, 0.75 for four and 0.55
for fewer (short names collide more). So one shared rare name scores 0.9 and every shared common
word ("bag", "supermarket", "Poland") adds only 0.03. LIST_FROM is where a tip shows in another's
likely duplicates, PRESELECT_FROM where it is chosen in advance.
"""

from dataclasses import dataclass

from tips.matching.names import name_weight, same_name

LIST_FROM = 0.5
PRESELECT_FROM = 0.85


@dataclass(frozen=True)
class PairSide:
    """What the score reads of one tip (stored on the tip, see Tip.lead_*)."""

    key: str
    names: tuple[str, ...]
    several: bool = False
    link: str = ""
    country: str = ""
    common: frozenset[str] = frozenset()


def pair_score(a: PairSide, b: PairSide) -> float:
    """How likely two tips on one object say the same (see the module docstring)."""
    if a.several or b.several:
        return 0.0
    if a.key and b.key and a.key != b.key and not same_name(a.key, b.key):
        return 0.0
    if a.link and a.link == b.link:
        return 0.95
    missing = 1.0
    shared_names = 0
    for name in a.names:
        if any(same_name(name, other) for other in b.names):
            missing *= 1 - name_weight(name)
            shared_names += 1
    if not shared_names:
        return 0.0
    score = 1 - missing
    score += min(0.09, 0.03 * len(a.common & b.common))
    if a.country and a.country == b.country:
        score += 0.05
    return round(min(score, 0.99), 3)
