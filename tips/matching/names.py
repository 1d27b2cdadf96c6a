"""A tip's names and whether two names are one (see tips.matching)."""

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from tips.matching.fold import latin, skeleton, words
from tips.matching.wordlists import COMMON_WORDS

KEY_LENGTH = 40  # Tip.lead_key's max_length
MAX_NAMES = 12

_ENDING = re.compile(r"[aeiouy]{1,2}|[aeiouy]?[mn]|ach|ami|ow|s|es")


# Words after which tipsters name the shop ("at Hema", "bei Lidl", "chez Auchan", "w Biedronce"),
# one or two words before it ("bij de Action", "en el Mercadona"). Not "de", "da", "do": they
# mean "of" as often ("sección de hogar").
_BEFORE = """at from by in bei beim von vom im chez au aux dans no na nos em en al alla allo all
nel nella nell dall sull w we u z od van bij op في من عند"""
_BEFORE_A_NAME = frozenset(_BEFORE.split())


@dataclass(frozen=True)
class Name:
    key: str  # folded; for another script "~" + its consonant skeleton
    label: str  # as the tipster wrote it
    weight: float
    joined: bool = False  # two adjacent names written together ("pingo doce" → "pingodoce")
    # How much it looks like a lead: 3 in the place field, +2 after "at", "bei", "chez"…,
    # +1 capitalised inside a sentence (not in German) or inside the word. A new lead takes
    # the name with most.
    rank: int = 0


@dataclass
class TipNames:
    names: list[Name] = field(default_factory=list)
    common: set[str] = field(default_factory=set)

    @property
    def keys(self) -> list[str]:
        return [n.key for n in self.names]


def name_weight(key: str) -> float:
    length = len(key.lstrip("~"))
    return 0.9 if length >= 5 else 0.75 if length == 4 else 0.55


def tip_names(
    *, place: str, body: str, common: frozenset[str] = frozenset(), language: str = ""
) -> TipNames:
    """The names in a tip, the place field's first, each once; and its common words.

    `language` (detected, tips.language) only says whether a capital letter means anything:
    German writes every noun with one."""
    found = TipNames()
    seen: set[str] = set()
    stop = COMMON_WORDS | common
    for source, text in enumerate((place, body)):
        previous: Name | None = None
        before: tuple[str, str] = ("", "")  # the two words before this one
        for folded, raw, boundary in words(text):
            after, before = before, (before[1], folded)
            if folded in stop or len(folded) < 2:
                if folded in stop:
                    found.common.add(folded)
                previous = None
                continue
            key = folded if latin(raw) else "~" + skeleton(folded)
            if key == "~" or len(key) > KEY_LENGTH:
                previous = None
                continue
            if source == 0:
                rank = 3  # the place field: every word of it is a name, the first counts most
            else:
                rank = 2 if _BEFORE_A_NAME.intersection(after) else 0
                capital = raw[:1].isupper() and not boundary and language != "de"
                # Capitals inside the word ("IKEA", "KiK", "TEDi") mark a brand in any language.
                rank += 1 if capital or sum(ch.isupper() for ch in raw) >= 2 else 0
            name = Name(key=key, label=raw, weight=name_weight(key), rank=rank)
            if key not in seen:
                seen.add(key)
                found.names.append(name)
            if previous is not None and not previous.key.startswith("~") and key[0] != "~":
                joined = previous.key + key
                if joined not in seen and len(joined) <= KEY_LENGTH:
                    seen.add(joined)
                    found.names.append(
                        Name(
                            key=joined,
                            label=f"{previous.label} {raw}",
                            weight=name_weight(joined),
                            joined=True,
                        )
                    )
            previous = name
    found.names = found.names[:MAX_NAMES]
    return found


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def same_name(a: str, b: str) -> bool:
    """Whether two folded names are one name written differently (see tips.matching)."""
    if a == b:
        return True
    if a.startswith("~") or b.startswith("~"):
        sa = a[1:] if a.startswith("~") else skeleton(a)
        sb = b[1:] if b.startswith("~") else skeleton(b)
        return len(sa) >= 3 and sa == sb
    short, long = sorted((a, b), key=len)
    # A short name with a case ending: "hema" / "hemie", "kik" / "kiku" (stem without its last
    # vowel, then a vowel or two, "m", "n", "ach", "ami", "ow", "s" or "es").
    stem = short[:-1] if short[-1] in "aeiouy" else short
    if len(stem) >= 3 and long.startswith(stem) and _ENDING.fullmatch(long[len(stem) :]):
        return True
    if len(short) < 4:
        return False
    if len(short) >= 5 and long.startswith(short):
        return True
    prefix = _common_prefix(short, long)
    if len(short) >= 5 and prefix >= len(short) - 2 and len(long) - prefix <= 3:
        return True
    distance = OSA.distance(short, long, score_cutoff=2)
    return distance <= (2 if len(short) >= 6 and len(long) >= 8 else 1)
