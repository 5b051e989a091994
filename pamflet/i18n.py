"""pamflet's own interface strings (labels on covers, back pages, footers).

They live in ``pamflet/locale/<lang>/LC_MESSAGES/pamflet.po`` and are read
with pamflet's strict catalog reader, so no compiled ``.mo`` file is needed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date

from .translate.po import parse_po

LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def _table(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "pamflet.po"
    if not path.is_file():
        return {}
    entries, findings = parse_po(path)
    errors = [str(f) for f in findings if f.severity == "error"]
    if errors:
        raise RuntimeError("pamflet's own catalog is malformed:\n" + "\n".join(errors))
    return {e.msgid: e.string for e in entries if e.msgid and e.translated and not e.obsolete}


def gettext(language: str | None, message: str) -> str:
    """Translate one of pamflet's own strings into ``language``."""
    base = (language or "en").replace("-", "_").split("_")[0]
    return _table(base).get(message, message)


def date_locale(language: str | None, date_locales: dict[str, str]) -> str:
    language = language or "en"
    return date_locales.get(language, language).replace("-", "_")


def format_date(value: dt.date | str, language: str | None, date_locales: dict[str, str]) -> str:
    """A long date in the reader's language: "27 November 2026" / "27 november 2026"."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return _babel_format_date(value, format="long", locale=date_locale(language, date_locales))


def language_name(language: str) -> str:
    """The name of a language in that language, capitalised: "Nederlands"."""
    name = Locale.parse(language.replace("-", "_")).get_display_name(language.replace("-", "_"))
    return (name or language)[:1].upper() + (name or language)[1:]
