"""The language a tip is written in, detected offline by lingua (its models ship in the package).

The detector knows only the portal's nine languages and runs in lingua's low-accuracy mode: it
loads in about a twentieth of a second and holds about 30 MB, where the high-accuracy mode takes
more than a second and 230 MB in every web process. On the labelled set (bench/duplicates.py)
it tells the language of 133 of 224 tips, 90 % of them right; the high-accuracy mode would tell
fewer (120), 94 % right. Shop names dominate many short tips, which is what misleads it. It is
built once per process, the first time a tip needs it, through traceobject.process_cache.
Nothing is sent anywhere.

A text too short to tell (a shop name alone) gets no detected language: the tip keeps the
language of the page it was sent from, in Tip.language.
"""

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from traceobject import process_cache

# The portal's languages (settings.LANGUAGES) as lingua names them.
LANGUAGES = {
    "en": Language.ENGLISH,
    "de": Language.GERMAN,
    "fr": Language.FRENCH,
    "es": Language.SPANISH,
    "it": Language.ITALIAN,
    "nl": Language.DUTCH,
    "pl": Language.POLISH,
    "pt": Language.PORTUGUESE,
    "ar": Language.ARABIC,
}
CODES = {language: code for code, language in LANGUAGES.items()}
# Below this confidence, or with fewer letters than this, the text is too short to tell.
MIN_CONFIDENCE = 0.7
MIN_LETTERS = 12


@process_cache.memoize(maxsize=1)
def detector() -> LanguageDetector:
    builder = LanguageDetectorBuilder.from_languages(*LANGUAGES.values())
    return builder.with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    """The portal language code the text is written in, or "" when it is too short to tell."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return ""
    values = detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return ""
    return CODES.get(values[0].language, "")
