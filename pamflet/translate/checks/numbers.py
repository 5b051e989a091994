"""Numbers: every number in the source is in the translation, written the local way.

"71%" must not become "17%", and "0.5 mg" becomes "0,5 mg" in Dutch, not
"5 mg". Each number, time and date is read into a neutral value and compared
by value, so each language may write it its own way:

- decimal and thousands separators: a number is read with the source
  language's symbols (Babel's decimal and group symbols: ``0.5``, ``1,000``
  in English) and must appear in the translation written either with the
  target language's symbols (``0,5``, ``1.000`` in Dutch) or, when that
  reading is impossible, with the source language's (a version number ``1.0``
  stays ``1.0``). A translation that can be read both ways is read the target
  language's way: "1,000 mensen" in a Dutch text means one, not a thousand,
  and is reported. When the catalog does not say its language, the common
  notations are all accepted;
- times: ``2 pm`` = ``14.00`` = ``14:00`` = ``14.00 uur`` = ``14h00``; the
  12-hour clock with the day-period names of either language (Babel's
  ``get_period_names``: ``a.m.``, ``p.m.``; Arabic ``ص``, ``م``);
- dates: ``3 March 2024`` = ``3 maart 2024`` = ``March 3, 2024`` (month names
  from Babel's ``get_month_names`` of both languages) and in digits
  ``15/04/2024`` = ``15-04-2024`` = ``15.04.2024`` (day and month read both
  ways where both are possible);
- ordinals: ``1st`` = ``1e`` = ``1.`` (the digits count, not the suffix);
- percentages with or without a space, ranges with a hyphen, an en dash or
  words (``10-20`` = ``10 tot 20``): the numbers count;
- Arabic-Indic digits (``٠``-``٩``, and the Persian ``۰``-``۹``) equal the
  Western digits, with the Arabic decimal and thousands signs (``٫``, ``٬``).

Numbers inside URLs, reference targets, reference roles without a title
(``:ref:`label-18```) and file names (``i18n.png``) are left to the URL and
reference checks. Numbers in the translation that the source lacks are
warnings.

translate-toolkit's ``numbers`` check (pofilter) is not used: it compares the
digit strings without the locale's notation, so it rejects "0,5" for "0.5".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ...settings import DEFAULT_LANGUAGE
from .notation import (
    _month_names,
    _neutral,
    _patterns,
    _period_names,
    _read_with,
    _symbols,
    known,
    read,
)
from .safety import _EMBEDDED, _SCHEME_URL, _WWW_URL

CHECK = "numbers"

_SPACES = "\u00a0\u202f\u2009"
#: A number; not digits inside a word (``i18n``, ``utf8``, ``x86``).
_TOKEN = re.compile(rf"(?<![^\W\d_])\d+(?:[.,'{_SPACES}]\d+)*")
#: Footnote labels (``[1]_``).
_LABELS = re.compile(r"\[[#*]?\w*\]_")
_ROLE_TARGET = re.compile(r"<[^<>`]*>(?=`)")
#: A role without an explicit title: its content is a target (``:ref:`label-18```),
#: except for roles that show their content (emphasis-like roles have no digits that
#: matter less than text, so only reference roles are dropped).
_BARE_ROLE = re.compile(
    r"(?<![\w`]):(?:ref|doc|numref|term|download|any|keyword|option|envvar|token|"
    r"confval|eq|cite|[\w.+-]+:[\w.+-]+):`[^`<>]*`"
)
_FILE_NAME = re.compile(
    r"[\w./-]*\w\.(?:png|jpe?g|gif|svg|webp|avif|tiff?|bmp|pdf|txt|rst|md|csv|json|ya?ml|"
    r"html?|css|js|py|po|pot|mo|zip|docx?|xlsx?|odt|epub|mp[34])\b",
    re.IGNORECASE,
)
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)

#: Notations accepted when the catalog does not name its language: (decimal, group).
_ANY_NOTATION = ((".", ","), (",", "."), (",", "\u00a0"), (",", "\u202f"), (".", "'"))


@dataclass
class Item:
    written: str
    values: frozenset[str]
    parts: tuple[str, ...] = ()  # plain numbers to fall back on (the day and year of a date)


def _western(text: str, language: str) -> str:
    decimal, group = _symbols(language)
    return text.translate(_ARABIC_DIGITS).replace("\u066b", decimal).replace("\u066c", group)


def _strip(text: str) -> str:
    text = _LABELS.sub(" ", text)
    text = _EMBEDDED.sub(" ", text)
    text = _ROLE_TARGET.sub(" ", text)
    text = _BARE_ROLE.sub(" ", text)
    text = _SCHEME_URL.sub(" ", text)
    text = _WWW_URL.sub(" ", text)
    return _FILE_NAME.sub(" ", text)


def _date(day: int, month: int, year: str | None) -> str | None:
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if year is not None and len(year) == 2:
        year = "20" + year
    return f"date:{year or '-'}-{month:02}-{day:02}"


def _with_day(value: str | None) -> frozenset[str]:
    """A date's value and, for a date with a year, the same day without it: the
    source's "16 Aug" is the translation's "16 août 1988"."""
    if value is None:
        return frozenset()
    if value.startswith("date:-"):
        return frozenset({value})
    return frozenset({value, "date:-" + value[value.index("-", 5) :]})


def _items(text: str, languages: tuple[str, ...], readings) -> list[Item]:
    """Every number, time and date of a text, in order of appearance.

    ``readings``: a function from a plain number token to its possible values.
    """
    text = _strip(_western(text, languages[0]))
    date_words, date_digits, time12, time24, hours = _patterns(languages)
    months = _month_names(languages)
    found: list[tuple[int, Item]] = []
    chars = list(text)

    def take(match: re.Match, item: Item | None) -> None:
        if item is None or not item.values:
            return
        found.append((match.start(), item))
        # not a space: no later pattern may join the text on either side ("mar. 21")
        chars[match.start() : match.end()] = "\x00" * (match.end() - match.start())

    def current() -> str:
        return "".join(chars)

    for pattern in date_words:  # day first, then month first, each on what is left
        for match in list(pattern.finditer(current())):
            groups = match.groupdict()
            day = groups.get("d") or groups.get("d2")
            name = (groups.get("m") or groups.get("m2")).lower().rstrip(".")
            year = groups.get("y") or groups.get("y2")
            value = _date(int(day), months.get(name, 0), year)
            parts = (_neutral(day),) + ((year,) if year else ())
            take(match, Item(match.group(0), _with_day(value), parts))
    for match in list(date_digits.finditer(current())):
        if match.group("iy"):
            values = {_date(int(match.group("id")), int(match.group("im")), match.group("iy"))}
        else:
            a, b, year = int(match.group("a")), int(match.group("b")), match.group("y")
            values = {_date(a, b, year), _date(b, a, year)}
        values.discard(None)
        parts = tuple(_neutral(p) for p in re.findall(r"\d+", match.group(0)))
        take(match, Item(match.group(0), frozenset().union(*map(_with_day, values)), parts))
    periods = _period_names(languages)
    for match in list(time12.finditer(current())):
        hour, minute = int(match.group("h")), int(match.group("min") or 0)
        if not (1 <= hour <= 12 and minute < 60):
            continue
        hour = hour % 12 + (12 if periods.get(match.group("p").lower()) == "pm" else 0)
        take(match, Item(match.group(0), frozenset([f"time:{hour:02}:{minute:02}"])))
    for match in list(time24.finditer(current())):
        hour, minute = int(match.group("h")), int(match.group("min"))
        if not (hour <= 24 and minute < 60):
            continue
        token = match.group(0)
        plain = readings(re.match(r"\d+[.:]?\d*", token).group(0).rstrip(":"))
        values = {f"time:{hour:02}:{minute:02}"} | set(plain)
        if hour <= 12:
            values.add(f"time:{hour + 12:02}:{minute:02}")  # "2.00 uur ('s middags)"
        take(match, Item(token, frozenset(values)))
    for match in list(hours.finditer(current())):
        hour = int(match.group("h"))
        if hour > 24:
            continue
        values = {_neutral(match.group("h")), f"time:{hour:02}:00"}
        if hour <= 12:
            values.add(f"time:{hour + 12:02}:00")
        take(match, Item(match.group(0), frozenset(values)))
    rest = current()
    for match in _TOKEN.finditer(rest):
        values = readings(match.group(0))
        if values:
            found.append((match.start(), Item(match.group(0), frozenset(values))))
        else:
            for part in re.finditer(r"\d+", match.group(0)):
                found.append(
                    (
                        match.start() + part.start(),
                        Item(part.group(0), frozenset([_neutral(part.group(0))])),
                    )
                )
    found.sort(key=lambda pair: pair[0])
    return [item for _start, item in found]


def source_items(text: str, language: str) -> list[Item]:
    def readings(token: str) -> set[str]:
        value = read(token, language)
        return {value} if value is not None else set()

    return _items(text, (language,), readings)


def translation_items(text: str, language: str, source_language: str) -> list[Item]:
    def readings(token: str) -> set[str]:
        if not known(language):
            return {v for d, g in _ANY_NOTATION if (v := _read_with(token, d, g)) is not None}
        value = read(token, language)
        if value is None:
            value = read(token, source_language)
        return {value} if value is not None else set()

    languages = (language, source_language) if known(language) else (source_language,)
    if known(language) and _symbols(language)[1] in _SPACES:
        # "4 096" with a plain or a no-break space, in a language that groups digits
        # with a space (French: U+202F)
        group = _symbols(language)[1]
        text = _SPACE_GROUP.sub(lambda m: re.sub(rf"[ {_SPACES}]", group, m.group(0)), text)
    return _items(text, languages, readings)


_SPACE_GROUP = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:[ {_SPACES}]\d{{3}})+(?![\d])")


def source_numbers(text: str, language: str) -> list[tuple[str, str]]:
    """(value, as written) for each number in the source."""
    return [(min(item.values), item.written) for item in source_items(text, language)]


def check(
    msgid: str, msgstr: str, language: str, source_language: str = DEFAULT_LANGUAGE
) -> list[tuple]:
    """(severity, message) for numbers that went missing or were added."""
    # an inline literal that the translation keeps as it is keeps its numbers (code is
    # written the source's way: ``round(2.675, 2)`` is no 2675 in Turkish)
    for literal in set(_LITERAL.findall(msgid)) & set(_LITERAL.findall(msgstr)):
        msgid, msgstr = msgid.replace(literal, " "), msgstr.replace(literal, " ")
    wanted = source_items(msgid, source_language)
    available = translation_items(msgstr, language, source_language)
    missing: list[Item] = []
    for item in wanted:
        match = next((i for i, have in enumerate(available) if item.values & have.values), None)
        if match is not None:
            have = available.pop(match)
            # "16 Aug" and a year elsewhere in the source, "16 août 1988" in the translation
            available += [Item(p, frozenset([p])) for p in have.parts[len(item.parts) :]]
            continue
        if item.parts:
            # a date written with other words or order: its numbers must be there
            left = list(available)
            for part in item.parts:
                index = next((i for i, have in enumerate(left) if part in have.values), None)
                if index is None:
                    break
                del left[index]
            else:
                available = left
                continue
        missing.append(item)
    if missing:
        missing, available = _unwritten(missing, available, msgid, msgstr, language)
    problems: list[tuple] = []
    if missing:
        shown = ", ".join(_show(item, language) for item in missing)
        instead = ", ".join(item.written for item in available)
        problems.append(
            (
                "error",
                f"number(s) of the source missing in the translation: {shown}"
                + (f" (the translation has {instead})" if instead else ""),
            )
        )
        return problems
    # "two optional arguments" → "2 opsiyonel parametre": the source's word, in digits
    source_words = set(_WORD.findall(msgid.lower()))
    extra = [
        item.written
        for item in available
        if not (
            min(item.values).isdigit()
            and int(min(item.values)) <= 1000
            and set(_number_words(int(min(item.values)), source_language.split("_")[0]))
            & source_words
        )
    ]
    if extra:
        problems.append(
            ("warning", f"number(s) in the translation that the source lacks: {', '.join(extra)}")
        )
    return problems


def _show(item: Item, language: str) -> str:
    written = item.written
    value = min(item.values)
    if value.startswith(("time:", "date:")):
        return f"{written} ({value.replace(':', ' ', 1)})"
    decimal, group = _symbols(language)
    whole, _, fraction = value.partition(".")
    if len(whole) > 3 or fraction:
        grouped = f"{int(whole):,}".replace(",", group) if len(whole) > 3 else whole
        local = grouped + (decimal + fraction if fraction else "")
        if local != written:
            return f"{written} (in {language}: {local})"
    return written


_LITERAL = re.compile(r"``.+?``", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _number_words(value: int, language: str) -> tuple[str, ...]:
    """The cardinal and ordinal words of a number in a language (num2words), lower case."""
    try:
        from num2words import num2words
    except ImportError:  # pragma: no cover - a declared dependency
        return ()
    words = []
    for kind in ("cardinal", "ordinal"):
        try:
            words.append(num2words(value, lang=language, to=kind).lower())
        except (NotImplementedError, KeyError, ValueError, TypeError, AttributeError):
            continue
    return tuple(words)


def _unwritten(
    missing: list[Item], available: list[Item], msgid: str, msgstr: str, language: str
) -> tuple[list[Item], list[Item]]:
    """The missing numbers that the translation does not have in another form either,
    and the translation's numbers that are left:
    as a word ("Cztery spacje" for "4 spaces", "dos dígitos"; a word that begins with
    the number's word, so inflected forms count), or as the parts of another number
    ("(0,0)" read as a decimal in a language with a decimal comma). A number joined
    to a word by a hyphen ("2-tuple", "4-element") is often one word in a translation
    ("couple", "quadruplet")."""
    text = msgstr.lower()
    words = set(_WORD.findall(text))
    parts = [
        (n, _neutral(part))
        for n, have in enumerate(available)
        for part in re.findall(r"\d+", have.written)
    ]
    parts_before = list(parts)
    left: list[Item] = []
    for item in missing:
        value = min(item.values)
        part = next((p for p in parts if p[1] == _neutral(value)), None)
        if value.isdigit() and part is not None:
            parts.remove(part)
            continue
        if re.search(rf"(?<![\w.,-]){re.escape(item.written)}-[^\W\d_]{{2}}", msgid):
            continue
        if value.isdigit() and int(value) <= 1000:
            spelled = _number_words(int(value), language.split("_")[0])
            stems = [w[: max(3, len(w) - 2)] if len(w) > 4 else w for w in spelled]
            if any(" " in w and w in text for w in spelled) or any(
                word.startswith(stem) for stem in stems for word in words
            ):
                continue
        left.append(item)
    # a number of the translation whose every part stood in for the source's is used up
    unused = {n for n, _part in parts}
    used = {n for n, _part in parts_before} - unused
    return left, [have for n, have in enumerate(available) if n not in used]
