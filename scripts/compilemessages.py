"""Compile every locale/*/LC_MESSAGES/*.po into a .mo with Babel (pure Python, no GNU gettext).

Run by `make run`, `make test` and before `collectstatic` in a deployment; the .mo files are
build output and not committed. Fuzzy and untranslated entries are left out of the .mo (Django
then shows the English text); tests/test_translations.py makes sure there are none.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_all(locale_dir: Path = LOCALE) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    done = compile_all()
    print(f"compiled {len(done)} message catalogue(s)" if done else "message catalogues up to date")
    sys.exit(0)
