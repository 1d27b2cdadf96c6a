import re
import unicodedata

# C0/C1 controls except tab and newline, plus the bidi embedding/override/isolate characters that
# can make text display differently from what it contains (Trojan Source style).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Normalise typed text: NFC, no control or bidi-override characters, trimmed.

    CR/LF pairs become LF; in single-line fields every line break becomes a space.
    """
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub("", value).strip()
