"""Folding: one spelling per word, whatever the script, case or accents (see tips.matching)."""

import re
import unicodedata

from anyascii import anyascii

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


def latin(word: str) -> bool:
    return all(ord(ch) < 0x250 for ch in word if ch.isalpha())


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
