"""pamflet's own interface strings (labels on covers, back pages, footers).

They live in ``pamflet/locale/<lang>/LC_MESSAGES/pamflet.po`` (the template:
``pamflet/locale/pamflet.pot``) and are read with pamflet's strict catalog
reader, so no compiled ``.mo`` file is needed. A project's own
``<locale_dir>/<lang>/LC_MESSAGES/pamflet.po`` (conf.py ``locale_dirs``) adds to
them and overrides them, as a project's ``sphinx.po`` does Sphinx's
(``sphinx.locale.init``: the project's folders first, the package's last, each
catalog a fallback of the one before). A language is looked up as given
(``pt_BR``), then as its base language (``pt``), in each folder.

Dates, numbers and language names come from Babel's nearest locale for any
language code Sphinx accepts (:func:`babel_locale`: ``pt-br`` -> ``pt_BR``,
``nl_XX`` -> ``nl``); a code Babel has no data for (a pseudo-locale such as
``xx``) gets the English formats and one line on stderr per process. That line
is not a Sphinx warning: the output is correct, so ``-W`` builds go on.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date

from .errors import fail
from .languages import language_settings
from .settings import DEFAULT_LANGUAGE
from .translate.po import parse_po

LOCALE_DIR = Path(__file__).parent / "locale"
#: pamflet's message template: every string :func:`gettext` is asked for.
TEMPLATE = LOCALE_DIR / "pamflet.pot"
DOMAIN = "pamflet"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark ``message`` for the template without translating it (gettext_noop)."""
    return message


def catalog_path(locale_dir: str | Path, language: str) -> Path:
    return Path(locale_dir) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def project_locale_dirs(srcdir: str | Path, locale_dirs: Sequence[str]) -> tuple[str, ...]:
    """A project's locale folders (conf.py ``locale_dirs``, relative to the source
    folder, as Sphinx reads them), as absolute paths."""
    return tuple(str((Path(srcdir) / d).resolve()) for d in locale_dirs)


def sphinx_locale_dirs(env: Any) -> tuple[str, ...]:
    """:func:`project_locale_dirs` of a Sphinx build (its ``BuildEnvironment``)."""
    return project_locale_dirs(env.srcdir, list(env.config.locale_dirs))


def language_candidates(language: str | None) -> tuple[str, ...]:
    """The folders a language is looked up in: as given (``pt_BR``, the folder
    Sphinx reads), then its base language (``pt``)."""
    code = language or DEFAULT_LANGUAGE
    base = code.replace("-", "_").split("_")[0]
    return (code,) if base == code else (code, base)


def _table(path: Path) -> dict[str, str]:
    """The translated entries of one catalog; {} when there is none."""
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _read_table(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_table(path: Path, _mtime_ns: int, _size: int) -> dict[str, str]:
    entries, findings = parse_po(path)
    errors = [str(f) for f in findings if f.severity == "error"]
    if errors:
        if path.is_relative_to(LOCALE_DIR):
            raise RuntimeError("pamflet's own catalog is malformed:\n" + "\n".join(errors))
        raise fail("\n".join(errors))
    return {e.msgid: e.string for e in entries if e.msgid and e.translated and not e.obsolete}


def catalogs(language: str | None, locale_dirs: Sequence[str | Path] = ()) -> list[Path]:
    """The ``pamflet.po`` files that translate ``language``, the first one first: the
    project's folders in order, then pamflet's own."""
    found = []
    for folder in (*locale_dirs, LOCALE_DIR):
        for code in language_candidates(language):
            path = catalog_path(folder, code)
            if path.is_file():
                found.append(path)
    return found


def gettext(language: str | None, message: str, locale_dirs: Sequence[str | Path] = ()) -> str:
    """Translate one of pamflet's own strings into ``language``: the first catalog
    of :func:`catalogs` that translates it, else the English ``message``."""
    for path in catalogs(language, locale_dirs):
        translated = _table(path).get(message)
        if translated:
            return translated
    return message


def shipped(language: str) -> dict[str, str]:
    """pamflet's own translations into ``language`` (or its base language)."""
    table: dict[str, str] = {}
    for path in reversed(catalogs(language)):
        table.update(_table(path))
    return table


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
