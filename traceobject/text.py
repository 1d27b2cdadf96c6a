import re
import unicodedata

# C0/C1 controls except tab and newline, plus the bidi embedding/override/isolate characters that
# can make text display differently from what it contains (Trojan Source style).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# C0 controls except tab, line feed and carriage return: never meaningful in a parameter, and NUL
# cannot even be stored in a PostgreSQL text column.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Invisible marks that keyboards insert on their own (left-to-right/right-to-left marks, BOM):
# harmless, removed without a word.
_MARKS = re.compile("[\u200e\u200f\ufeff]")


def _normalise(value: str, multiline: bool) -> str:
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    return _MARKS.sub("", value)


def has_unsafe_characters(value: str) -> bool:
    return bool(_UNSAFE.search(value or ""))


def has_control_characters(value: str) -> bool:
    """A NUL or another C0 control character other than tab, CR and LF."""
    return bool(_CONTROL.search(value or ""))


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Normalise typed text: NFC, no control or bidi-override characters, trimmed.

    CR/LF pairs become LF; in single-line fields every line break becomes a space.
    """
    return _UNSAFE.sub("", _normalise(value, multiline)).strip()
