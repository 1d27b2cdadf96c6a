"""Proposed answers: the shop, brand, place or country a tip points to, found from its words.

Pure functions, no database: tips.services.answers stores what they decide and tips.selectors
reads it. The steps, for each new tip:

1. **Fold** (`fold`): transliterate any script to Latin letters (anyascii), lower case, keep
   letters and digits only, so "Pingo-Doce", "pingo doce" and "PINGO DOCE" read alike.
2. **Names** (`tip_names`): the words of the place field, then of the text, that are not common
   words (tips.answer_words, every country's name, the object's own title and description).
   Each name also gives its joined form with the next name ("pingo doce" → "pingodoce").
3. **Same name** (`same_name`): equal after folding; one a prefix of the other ("pingo" /
   "pingodoce"); the same stem with a short inflected ending ("biedronki", "biedronce" /
   "biedronka"); a small typo (Damerau-Levenshtein 1, or 2 from eight letters); or, for a name
   written in another script, the same consonants ("كارفور" → "krfwr" / "carrefour").
4. **Answer** (`assign`): the tip joins the known answer of its object that one of its names
   matches. Naming two known answers, it stands alone (no answer). Matching none, the name that
   most looks like an answer starts a new one: from the place field, after "at", "bei", "chez",
   "w"…, or capitalised inside a sentence, else the first.

The score of a pair of tips (`pair_score`, 0 to 1):

    0                                  if they have different answers, or either names several;
    0.95                               if they give the same link;
    1 − Π (1 − w(name)) over the names they share                       (names)
      + 0.03 per shared common word (at most 0.09) + 0.05 for the same country field,

capped at 0.99, where w(name) is 0.9 for a name of five letters or more, 0.75 for four and 0.55
for fewer (short names collide more). So one shared rare name scores 0.9 and every shared common
word ("bag", "supermarket", "Poland") adds only 0.03. LIST_FROM is where a tip shows in another's
likely duplicates, PRESELECT_FROM where it is chosen in advance.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii
from rapidfuzz.distance import OSA

from tips.answer_words import AROUND_WORDS, NATION_WORDS, SMALL_WORDS

LIST_FROM = 0.5
PRESELECT_FROM = 0.85
KEY_LENGTH = 40  # Tip.answer_key's max_length
MAX_NAMES = 12

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_APOSTROPHE = re.compile(r"['’]")
# French and Italian elisions before a name: "l'Action", "d'Ikea", "all'Esselunga".
_ELISIONS = {
    "l",
    "d",
    "j",
    "m",
    "n",
    "s",
    "t",
    "c",
    "qu",
    "all",
    "dell",
    "nell",
    "dall",
    "sull",
    "un",
    "po",
}
# Consonant skeleton for names in another script: Arabic spells few vowels and has no p or v.
_SKELETON_MAP = str.maketrans({"c": "k", "q": "k", "p": "b", "v": "f", "g": "j"})


def fold(text: str) -> str:
    """Letters and digits only, ASCII, lower case: one spelling per name."""
    return re.sub(r"[^a-z0-9]+", "", anyascii(unicodedata.normalize("NFC", text)).lower())


def skeleton(folded: str) -> str:
    """The consonants of a folded name, doubled letters once ("carrefour" → "krfr")."""
    consonants = re.sub(r"[aeiouwyh0-9]", "", folded.translate(_SKELETON_MAP))
    return re.sub(r"(.)\1+", r"\1", consonants)


_ENDING = re.compile(r"[aeiouy]{1,2}|[aeiouy]?[mn]|ach|ami|ow|s|es")


def _latin(word: str) -> bool:
    return all(ord(ch) < 0x250 for ch in word if ch.isalpha())


def _folded_words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(f for w in words if (f := fold(w)))


COMMON_WORDS = _folded_words(SMALL_WORDS | AROUND_WORDS | NATION_WORDS)


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
    # How much it looks like the answer: 3 in the place field, +2 after "at", "bei", "chez"…,
    # +1 capitalised inside a sentence (not in German) or inside the word. A new answer takes
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


def words(text: str) -> list[tuple[str, str, bool]]:
    """(folded, as written, starts a sentence or clause) for each word of the text."""
    words = []
    boundary = True
    for match in _TOKEN.finditer(text):
        raw = match.group()
        parts = _APOSTROPHE.split(raw)
        if len(parts) > 1 and fold(parts[0]) in _ELISIONS:
            words.append((fold(parts[0]), parts[0], boundary))  # "all'" before "Ikea"
            boundary = False
            raw = "’".join(parts[1:])
        elif len(parts) == 2 and fold(parts[1]) == "s":
            raw = parts[0]  # possessive: "McDonald's"
        if raw.startswith("ال") and len(raw) > 4:
            raw = raw[2:]  # the Arabic article, written onto the word
        folded = fold(raw)
        if folded and not folded.isdigit():
            words.append((folded, raw, boundary))
        tail = text[match.end() : match.end() + 3]
        boundary = bool(re.match(r"\s*[.!?;:,\n(\-–—/|+&]", tail))
    return words


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
            key = folded if _latin(raw) else "~" + skeleton(folded)
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
    """Whether two folded names are one name written differently (see the module's step 3)."""
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


def match_known(key: str, known: dict[str, int]) -> str | None:
    """The known answer (folded key → support) that this name is, the best supported first."""
    if key in known:
        return key
    best = None
    for answer, support in known.items():
        if same_name(key, answer) and (best is None or support > known[best]):
            best = answer
    return best


@dataclass(frozen=True)
class Assignment:
    key: str  # "" when the tip has no answer or names several
    label: str
    several: bool  # it names two or more known answers


def assign(names: TipNames, known: dict[str, int]) -> Assignment:
    """The answer a tip joins among its object's known answers (key → support), or starts."""
    matched: dict[str, Name] = {}
    for name in names.names:
        answer = match_known(name.key, known)
        if answer is not None and answer not in matched:
            matched[answer] = name
    # Known answers that are one name written two ways ("pingo", "pingodoce") count once.
    answers: list[str] = []
    for answer in sorted(matched, key=lambda a: -known[a]):
        if not any(same_name(answer, kept) for kept in answers):
            answers.append(answer)
    if len(answers) == 1:
        return Assignment(key=answers[0], label=matched[answers[0]].label, several=False)
    if len(answers) >= 2:
        return Assignment(key="", label="", several=True)
    if names.names:
        # Unmatched: the name that most looks like the answer starts one (first if tied).
        first = max((n for n in names.names if not n.joined), key=lambda n: n.rank)
        return Assignment(key=first.key, label=first.label, several=False)
    return Assignment(key="", label="", several=False)


@dataclass(frozen=True)
class PairSide:
    """What the score reads of one tip (stored on the tip, see Tip.answer_*)."""

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
