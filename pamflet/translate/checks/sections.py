"""Which section of a reStructuredText source a line belongs to.

A catalog entry's ``#:`` comment names the source file and line of its text.
Some checks do not apply to every section: the numbered sources of a leaflet
(``.. rst-class:: sources``) quote English titles, so Dutch terminology and
spelling do not apply there (``readability`` skips them for the same reason).

This is a small reader of section titles, not a reST parser: a title is a
line of text under (and optionally over) a line of one repeated punctuation
character at least as long as the text; levels follow the order in which
the adornment styles first appear, as in docutils. A ``.. rst-class::`` or
``.. class::`` directive right before a title (blank lines between allowed)
gives the section its classes; a ``.. _label:`` target gives it an id, as
does its title (docutils' ``make_id``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from docutils.nodes import make_id

_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+\s*$")
_CLASS = re.compile(r"^\.\.\s+(?:rst-)?class::\s*(.+?)\s*$")
_LABEL = re.compile(r"^\.\.\s+_([^:]+):\s*$")


@dataclass
class Section:
    title: str
    start: int  # line of the title text (1-based)
    end: int  # last line of the section, subsections included
    level: int
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)

    def names(self) -> set[str]:
        return self.classes | self.ids


def _sections(lines: list[str]) -> list[Section]:
    styles: list[tuple[str, bool]] = []
    found: list[Section] = []
    i = 0
    while i < len(lines) - 1:
        text, under = lines[i], lines[i + 1]
        over = lines[i - 1] if i > 0 else ""
        title = text.strip()
        if (
            title
            and not text[:1].isspace()
            and not _ADORNMENT.match(text)
            and _ADORNMENT.match(under)
            and len(under.rstrip()) >= len(title)
        ):
            overline = bool(_ADORNMENT.match(over)) and over.strip()[:1] == under.strip()[:1]
            style = (under.strip()[0], overline)
            if style not in styles:
                styles.append(style)
            level = styles.index(style)
            classes: set[str] = set()
            ids = {make_id(title)}
            j = i - (2 if overline else 1)
            while j >= 0 and (
                not lines[j].strip() or _CLASS.match(lines[j]) or _LABEL.match(lines[j])
            ):
                if match := _CLASS.match(lines[j]):
                    classes |= set(match.group(1).split())
                elif match := _LABEL.match(lines[j]):
                    ids.add(make_id(match.group(1)))
                    ids.add(match.group(1).strip().lower())
                j -= 1
            found.append(Section(title, i + 1, len(lines), level, classes, ids))
            i += 2
            continue
        i += 1
    for n, section in enumerate(found):
        for later in found[n + 1 :]:
            if later.level <= section.level:
                section.end = later.start - 1
                break
    return found


@cache
def _read(path: Path, mtime: float) -> list[Section]:
    return _sections(path.read_text(encoding="utf-8").splitlines())


def sections_at(path: Path, line: int) -> list[Section]:
    """The sections that contain ``line`` of ``path``, outermost first."""
    try:
        sections = _read(path, path.stat().st_mtime)
    except (OSError, UnicodeDecodeError):
        return []
    return [s for s in sections if s.start <= line <= s.end]


def names_at(path: Path, line: int) -> set[str]:
    """The classes and ids of every section that contains the line."""
    names: set[str] = set()
    for section in sections_at(path, line):
        names |= section.names()
    return names


_CODE_DIRECTIVE = re.compile(
    r"^\s*\.\.\s+(?:code-block|code|sourcecode|highlight|parsed-literal)::"
)


def in_literal_block(lines: list[str], line: int) -> bool:
    """Whether line ``line`` (1-based) is in a literal or code block: a code directive,
    or an indented block after a paragraph ending in ``::``."""
    if not 1 <= line <= len(lines):
        return False
    here = lines[line - 1]
    if _CODE_DIRECTIVE.match(here):
        return True
    if not here.strip() or not here[:1].isspace():
        return False
    indent = len(here) - len(here.lstrip())
    for number in range(line - 2, -1, -1):
        text = lines[number]
        if not text.strip():
            continue
        if len(text) - len(text.lstrip()) < indent:
            if _CODE_DIRECTIVE.match(text):
                return True
            # "Paragraph::" introduces a literal block; ".. note::" a directive's body
            return text.rstrip().endswith("::") and not text.lstrip().startswith("..")
    return False


def line_with(lines: list[str], start: int, end: int, word: str) -> int:
    """The first line from ``start`` to ``end`` (1-based) with the word, else ``start``."""
    pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
    for number in range(max(start, 1), min(max(end, start), len(lines)) + 1):
        if pattern.search(lines[number - 1].replace("’", "'")):
            return number
    return start
