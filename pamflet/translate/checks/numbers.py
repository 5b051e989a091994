"""Numbers: every number in the source is in the translation.

"71%" must not become "17%", and "0.5 mg" becomes "0,5 mg" in Dutch, not
"5 mg". A number is read with the source language's symbols (Babel's decimal
and group symbols: ``0.5``, ``1,000`` in English) and must appear in the
translation written either with the target language's symbols (``0,5``,
``1.000`` in Dutch) or, when that reading is impossible, with the source
language's (a version number ``1.0`` stays ``1.0``). A translation that can
be read both ways is read the target language's way: "1,000 mensen" in a
Dutch text means one, not a thousand, and is reported.

Numbers inside URLs and reference targets are left to the URL and reference
checks. Numbers in the translation that the source lacks are warnings.

translate-toolkit's ``numbers`` check (pofilter) is not used: it compares the
digit strings without the locale's notation, so it rejects "0,5" for "0.5".
"""

from __future__ import annotations

import re
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol

from .safety import _EMBEDDED, _SCHEME_URL, _WWW_URL

CHECK = "numbers"

_SPACES = "\u00a0\u202f\u2009"
_TOKEN = re.compile(rf"\d+(?:[.,'{_SPACES}]\d+)*")
_ROLE_TARGET = re.compile(r"<[^<>`]*>(?=`)")


@cache
def _symbols(language: str) -> tuple[str, str]:
    locale = language.replace("-", "_")
    try:
        return get_decimal_symbol(locale), get_group_symbol(locale)
    except Exception:  # an unknown locale: Babel raises UnknownLocaleError or ValueError
        return ".", ","


@cache
def _grammar(language: str) -> re.Pattern[str]:
    decimal, group = _symbols(language)
    d, g = re.escape(decimal), re.escape(group)
    return re.compile(rf"^(?:\d{{1,3}}(?:{g}\d{{3}})+|\d+)(?:{d}\d+)?$")


def read(token: str, language: str) -> str | None:
    """The token's value written in a neutral form ("1000", "0.5"), or None."""
    if not _grammar(language).match(token):
        return None
    decimal, group = _symbols(language)
    return token.replace(group, "").replace(decimal, ".")


def _strip(text: str) -> str:
    text = _EMBEDDED.sub(" ", text)
    text = _ROLE_TARGET.sub(" ", text)
    text = _SCHEME_URL.sub(" ", text)
    return _WWW_URL.sub(" ", text)


def source_numbers(text: str, language: str) -> list[tuple[str, str]]:
    """(value, as written) for each number in the source."""
    values: list[tuple[str, str]] = []
    for token in _TOKEN.findall(_strip(text)):
        value = read(token, language)
        if value is not None:
            values.append((value, token))
        else:
            values += [(part, part) for part in re.findall(r"\d+", token)]
    return values


def translation_numbers(text: str, language: str, source_language: str) -> list[tuple[str, str]]:
    """(value, as written) for each number in the translation."""
    found: list[tuple[str, str]] = []
    for token in _TOKEN.findall(_strip(text)):
        value = read(token, language)
        if value is None:
            value = read(token, source_language)
        if value is not None:
            found.append((value, token))
        else:
            found += [(part, part) for part in re.findall(r"\d+", token)]
    return found


def check(msgid: str, msgstr: str, language: str, source_language: str = "en") -> list[tuple]:
    """(severity, message) for numbers that went missing or were added."""
    wanted = source_numbers(msgid, source_language)
    available = translation_numbers(msgstr, language, source_language)
    missing: list[tuple[str, str]] = []
    for value, written in wanted:
        for i, (candidate, _written) in enumerate(available):
            if value == candidate:
                del available[i]
                break
        else:
            missing.append((value, written))
    problems: list[tuple] = []
    if missing:
        shown = ", ".join(_show(value, written, language) for value, written in missing)
        problems.append(("error", f"number(s) of the source missing in the translation: {shown}"))
    extra = [written for _value, written in available]
    if extra:
        problems.append(
            ("warning", f"number(s) in the translation that the source lacks: {', '.join(extra)}")
        )
    return problems


def _show(value: str, written: str, language: str) -> str:
    decimal, group = _symbols(language)
    whole, _, fraction = value.partition(".")
    if len(whole) > 3 or fraction:
        grouped = f"{int(whole):,}".replace(",", group) if len(whole) > 3 else whole
        local = grouped + (decimal + fraction if fraction else "")
        if local != written:
            return f"{written} (in {language}: {local})"
    return written
