"""Text matching for leads: pure functions on a tip's words, importing no model and no service.

A tip's **names** are the words of its place field, then of its text, that are not common words
(`wordlists`: each language's small words and the words tips use around a shop, every country's
name, and the object's own title and description, passed in by the caller), each also joined
with the next ("pingo doce" → "pingodoce"). Every word is **folded** first (`fold`): any script
transliterated to Latin letters, lower case, letters and digits only, so "Pingo-Doce", "pingo
doce" and "PINGO DOCE" read alike; a name written in another script is kept as its consonants.
Two names are **the same** (`same_name`) when they fold alike, one is a prefix of the other
("pingo" / "pingodoce"), they share a stem with a short inflected ending ("biedronce" /
"biedronka"), differ by a small typo, or, across scripts, have the same consonants ("كارفور" /
"carrefour"). A **lead** is the group of an object's tips that name one shop, brand or place:
a new tip **joins** (`assign`) the known lead of its object that one of its names matches;
naming two known leads it stands alone; matching none, the name that most looks like a shop (the
place field, after "at", "bei", "chez"…, capitalised) starts a new lead. `pair_score` says how
likely two tips on one object say the same.

Modules: `fold` (folding, words), `wordlists` (common words), `names` (a tip's names,
`same_name`), `join` (the lead a tip joins), `score` (the pair score). The database side is in
tips.services.proposing (writes) and tips.selectors (reads).
"""

from tips.matching.fold import fold, skeleton, words
from tips.matching.join import Assignment, assign, match_known
from tips.matching.names import KEY_LENGTH, Name, TipNames, name_weight, same_name, tip_names
from tips.matching.score import LIST_FROM, PRESELECT_FROM, PairSide, pair_score
from tips.matching.wordlists import COMMON_WORDS

__all__ = [
    "COMMON_WORDS",
    "KEY_LENGTH",
    "LIST_FROM",
    "PRESELECT_FROM",
    "Assignment",
    "Name",
    "PairSide",
    "TipNames",
    "assign",
    "fold",
    "match_known",
    "name_weight",
    "pair_score",
    "same_name",
    "skeleton",
    "tip_names",
    "words",
]
