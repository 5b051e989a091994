"""pamflet's own interface strings (labels on covers, back pages, footers).

They live in ``pamflet/locale/<lang>/LC_MESSAGES/pamflet.po`` and are read
with pamflet's strict catalog reader, so no compiled ``.mo`` file is needed.

Dates, numbers and language names come from Babel's nearest locale for any
language code Sphinx accepts (:func:`babel_locale`: ``pt-br`` -> ``pt_BR``,
``nl_XX`` -> ``nl``); a code Babel has no data for (a pseudo-locale such as
``xx``) gets the English formats and one line on stderr per process. That line
is not a Sphinx warning: the output is correct, so ``-W`` builds go on.
"""

from __future__ import annotations

import datetime as dt
import sys
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date

from .languages import language_settings
from .settings import DEFAULT_LANGUAGE
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
    base = (language or DEFAULT_LANGUAGE).replace("-", "_").split("_")[0]
    return _table(base).get(message, message)


def _parse(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@cache
def nearest_locale(language: str | None) -> Locale | None:
    """Babel's nearest locale for a language code: itself (``nl_BE``, ``pt-br`` ->
    ``pt_BR``), else its language (``nl_XX`` -> ``nl``); None when Babel has none."""
    parts = (language or DEFAULT_LANGUAGE).replace("-", "_").split("_")
    for candidate in ("_".join(parts[:n]) for n in range(len(parts), 0, -1)):
        found = _parse(candidate)
        if found is not None:
            return found
    return None


@cache
def babel_locale(language: str | None) -> str:
    """:func:`nearest_locale` as a name, else ``en`` with one line on stderr that
    names the language."""
    found = nearest_locale(language)
    if found is not None:
        return str(found)
    print(
        f"pamflet: warning: Babel has no locale data for language {language!r}: dates, "
        "numbers and language names use the English formats",
        file=sys.stderr,
    )
    return DEFAULT_LANGUAGE


def date_locale(language: str | None, date_locales: dict[str, str] | None = None) -> str:
    """The Babel locale for dates and numbers: ``date_locales`` (``pamflet_date_locales``,
    which the project keeps in step with ``pamflet_language_settings``), else the
    language's ``date_locale`` in :data:`pamflet.languages.LANGUAGE_DEFAULTS`, else the
    language's nearest locale."""
    language = language or DEFAULT_LANGUAGE
    chosen = (date_locales or {}).get(language) or language_settings(None, language).date_locale
    return babel_locale(chosen or language)


def format_date(
    value: dt.date | str, language: str | None, date_locales: dict[str, str] | None = None
) -> str:
    """A long date in the reader's language: "27 November 2026" / "27 november 2026"."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return _babel_format_date(value, format="long", locale=date_locale(language, date_locales))


def language_name(language: str) -> str:
    """The name of a language in that language, capitalised: "Nederlands"."""
    locale = nearest_locale(language)
    if locale is None:
        babel_locale(language)  # the one line on stderr
        return language  # a pseudo-locale such as "xx" has no name
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:]
