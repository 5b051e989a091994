"""Translation statistics: ``pamflet stats`` / ``make stats``.

Per language and catalog: translated, fuzzy, untranslated and obsolete
entries, and the share of the source words that is translated. The counts
follow ``msgfmt --statistics``: the header does not count, obsolete entries
do not count (they are listed apart), an entry whose first ``msgstr`` is
empty is untranslated (fuzzy or not), and a fuzzy entry is not translated.
Words are counted in the ``msgid`` (the English text), so the percentage
says how much of the leaflet a reader gets in their language.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ..project import Project
from .checks.runner import catalog_language, expand, language_dir
from .entries import Entry
from .po import parse_po

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class Stats:
    language: str
    catalog: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    words: int = 0
    words_translated: int = 0

    @property
    def percent_words(self) -> float:
        return 100.0 * self.words_translated / self.words if self.words else 100.0

    def add(self, other: Stats) -> None:
        for name in ("translated", "fuzzy", "untranslated", "obsolete"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.words += other.words
        self.words_translated += other.words_translated


def state(entry: Entry) -> str:
    """msgfmt's reading: 'translated', 'fuzzy' or 'untranslated'."""
    if not entry.msgstr.get(0, ""):
        return "untranslated"
    return "fuzzy" if entry.fuzzy else "translated"


def catalog_stats(path: Path, language: str, name: str | None = None) -> Stats:
    entries, _findings = parse_po(path)
    stats = Stats(language, name or path.name)
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            continue
        if entry.obsolete:
            stats.obsolete += 1
            continue
        kind = state(entry)
        setattr(stats, kind, getattr(stats, kind) + 1)
        words = word_count(entry.msgid) + word_count(entry.msgid_plural or "")
        stats.words += words
        if kind == "translated":
            stats.words_translated += words
    return stats


def collect(paths: list[Path]) -> list[Stats]:
    rows: list[Stats] = []
    for path in paths:
        entries, _ = parse_po(path)
        language = catalog_language(path, entries)
        folder = language_dir(path)
        name = str(path.relative_to(folder / "LC_MESSAGES")) if folder else path.name
        rows.append(catalog_stats(path, language, name))
    rows.sort(key=lambda r: (r.language, r.catalog))
    return rows


def table(rows: list[Stats]) -> str:
    header = ("language", "catalog", "translated", "fuzzy", "untranslated", "obsolete", "words")
    lines = [header]
    by_language: dict[str, Stats] = {}
    for row in rows:
        lines.append(_cells(row))
        total = by_language.setdefault(row.language, Stats(row.language, "(total)"))
        total.add(row)
    for total in by_language.values():
        lines.append(_cells(total))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for line in lines:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def _cells(row: Stats) -> tuple[str, ...]:
    return (
        row.language,
        row.catalog,
        str(row.translated),
        str(row.fuzzy),
        str(row.untranslated),
        str(row.obsolete),
        f"{row.percent_words:.1f}%",
    )


def report_stats(project: Project, paths: list[Path], as_json: bool = False) -> int:
    """``pamflet stats``: a table (or JSON) of ``paths`` (catalogs or folders; none: every
    catalog of the project); the exit status."""
    paths = expand(paths) if paths else project.catalogs()
    missing = [p for p in paths if not p.is_file()]
    if missing:
        for path in missing:
            print(f"{path}: no such catalog", file=sys.stderr)
        return 2
    rows = collect(paths)
    if as_json:
        print(
            json.dumps(
                [{**asdict(r), "percent_words": round(r.percent_words, 1)} for r in rows],
                indent=2,
            )
        )
    else:
        print(table(rows))
    return 0
