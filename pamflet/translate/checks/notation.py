"""How a language writes numbers, times and dates (Babel): decimal and group symbols,
month and day-period names, and the patterns ``checks.numbers`` reads them with."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from ...settings import DEFAULT_LANGUAGE


@cache
def _locale(language: str) -> Locale | None:
    """Babel's nearest locale for a language code, None when it has none."""
    for code in (language.replace("-", "_"), language.replace("-", "_").split("_")[0]):
        try:
            return Locale.parse(code)
        except Exception:  # UnknownLocaleError, ValueError
            continue
    return None


@cache
def _symbols(language: str) -> tuple[str, str]:
    locale = _locale(language)
    if locale is None:
        return ".", ","
    return get_decimal_symbol(locale), get_group_symbol(locale)


@cache
def _grammar_for(decimal: str, group: str) -> re.Pattern[str]:
    d, g = re.escape(decimal), re.escape(group)
    # no group separator after a leading zero: "[001,366]" is two numbers, not 1,366
    return re.compile(rf"^(?:(?!0\d)\d{{1,3}}(?:{g}\d{{3}})+|\d+)(?:{d}\d+)?$")


def _read_with(token: str, decimal: str, group: str) -> str | None:
    if not _grammar_for(decimal, group).match(token):
        return None
    return _neutral(token.replace(group, "").replace(decimal, "."))


def _neutral(value: str) -> str:
    whole, dot, fraction = value.partition(".")
    whole = whole.lstrip("0") or "0"
    return whole + dot + fraction


def read(token: str, language: str) -> str | None:
    """The token's value written in a neutral form ("1000", "0.5"), or None."""
    return _read_with(token, *_symbols(language))


def known(language: str) -> bool:
    return language not in ("und", "") and _locale(language) is not None


@cache
def _month_names(languages: tuple[str, ...]) -> dict[str, int]:
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for language in languages:
        locale = _locale(language) or Locale.parse(DEFAULT_LANGUAGE)
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names.setdefault(name.lower().rstrip("."), number)
    return names


@cache
def _period_names(languages: tuple[str, ...]) -> dict[str, str]:
    """am/pm names of the languages (Babel), plus the usual English spellings."""
    from babel.dates import get_period_names

    names = {"am": "am", "pm": "pm", "a.m.": "am", "p.m.": "pm", "a.m": "am", "p.m": "pm"}
    for language in languages:
        locale = _locale(language)
        if locale is None:
            continue
        for width in ("abbreviated", "wide", "narrow"):
            try:
                periods = get_period_names(width, "format", locale)
            except Exception:
                continue
            for key in ("am", "pm"):
                if key in periods and len(periods[key]) > 1:  # not "a" ("2 a" is no time)
                    names.setdefault(periods[key].lower(), key)
    return names


@cache
def _patterns(languages: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    months = "|".join(
        re.escape(name) + r"\.?"
        for name in sorted(_month_names(languages), key=len, reverse=True)
        if len(name) >= 3
    )
    periods = "|".join(
        re.escape(name) for name in sorted(_period_names(languages), key=len, reverse=True)
    )
    nd = r"(?<![\d.,:/-])"  # not inside another number
    day_first = re.compile(
        rf"{nd}(?P<d>\d{{1,2}})(?:st|nd|rd|th|e|de|ste|er|\.)?\s+(?:of\s+|de\s+)?"
        rf"(?P<m>{months})(?!\w)(?:,?\s+(?P<y>\d{{4}}))?",
        re.IGNORECASE,
    )
    # a second pass: "mar. 16 août 1988" is the 16th of August (mardi), not March
    month_first = re.compile(
        rf"(?<!\w)(?P<m2>{months})(?!\w)\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
        rf"(?:,?\s+(?P<y2>\d{{4}}))?",
        re.IGNORECASE,
    )
    date_digits = re.compile(
        rf"{nd}(?:(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})"
        rf"|(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}))(?![\d])"
    )
    time12 = re.compile(
        rf"{nd}(?P<h>\d{{1,2}})(?:[:.](?P<min>\d{{2}}))?\s*(?P<p>{periods})(?![\w])",
        re.IGNORECASE,
    )
    time24 = re.compile(
        rf"{nd}(?P<h>\d{{1,2}})[:.hu](?P<min>\d{{2}})(?![\d]|[.,]\d)"
        r"(?:\s*(?:uur|u|h|Uhr|heures?|ساعة)(?!\w))?"
    )
    hours = re.compile(rf"{nd}(?P<h>\d{{1,2}})\s*(?:uur|Uhr|heures?|h)(?!\w)")
    return (day_first, month_first), date_digits, time12, time24, hours
