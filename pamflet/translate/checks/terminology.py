"""Terminology: a glossary term is translated with its agreed term.

The glossary of a language is ``<locale_dir>/<lang>/terminology.csv``, with a
header row naming the columns:

``en`` (the source language's code)
    the source term;
``nl`` (the target language's code)
    the agreed translation;
``note`` (optional)
    free text, shown with the finding;
``skip`` (optional)
    where the term does not apply, as space-separated rules:
    ``section:NAME`` skips entries whose source text (their ``#:`` location)
    lies inside a section with the class or id ``NAME``; ``msgid:REGEX``
    skips entries whose ``msgid`` matches the regular expression (write
    ``\\s`` for a space).

A ``msgid`` that contains the source term (ignoring case, as whole words)
must have a ``msgstr`` that contains the agreed term, ignoring case, starting
at a word boundary; the word may go on, for compounds and inflections
(``placebo`` is kept in "placebogroep", ``arts`` in "artsen"). The target
column may list alternatives separated by ``|`` (``arts|dokter``).
Findings are warnings: a term may need another form in a sentence.

Independently of the ``skip`` column, entries inside sections with one of
the classes in ``pamflet_check_exempt_classes`` (conf.py; default
``["sources"]``) are exempt: they quote titles in the source language.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

CHECK = "terminology"


@dataclass
class Term:
    source: str
    target: str
    note: str = ""
    skip_sections: set[str] = field(default_factory=set)
    skip_patterns: list[re.Pattern[str]] = field(default_factory=list)
    line: int = 0

    def __post_init__(self) -> None:
        self._source = _word_pattern(self.source)
        self._targets = [
            _word_pattern(alternative, compounds=True)
            for alternative in self.target.split("|")
            if alternative.strip()
        ]

    def applies(self, msgid: str, sections: set[str]) -> bool:
        if self.skip_sections & sections:
            return False
        if any(pattern.search(msgid) for pattern in self.skip_patterns):
            return False
        return bool(self._source.search(msgid))

    def kept(self, msgstr: str) -> bool:
        return any(pattern.search(msgstr) for pattern in self._targets)


def _word_pattern(term: str, compounds: bool = False) -> re.Pattern[str]:
    """The term as whole words; with ``compounds``, the last word may go on
    (Dutch "placebo" in "placebogroep", "arts" in "artsen")."""
    words = [re.escape(word) for word in term.split()]
    end = "" if compounds else r"(?!\w)"
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + end, re.IGNORECASE)


@dataclass
class Glossary:
    path: Path
    terms: list[Term]
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def load(path: Path, source_language: str, language: str) -> Glossary:
    glossary = Glossary(path, [])
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        for needed in (source_language, language):
            if needed not in columns:
                glossary.problems.append((1, f"no column {needed!r} (columns: {columns})"))
        if glossary.problems:
            return glossary
        for row in reader:
            line = reader.line_num
            source = (row.get(source_language) or "").strip()
            target = (row.get(language) or "").strip()
            if not source:
                continue
            if not target:
                glossary.problems.append((line, f"term {source!r} has no {language} translation"))
                continue
            term = Term(source, target, (row.get("note") or "").strip(), line=line)
            for rule in (row.get("skip") or "").split():
                kind, _, value = rule.partition(":")
                if kind == "section" and value:
                    term.skip_sections.add(value)
                elif kind == "msgid" and value:
                    try:
                        term.skip_patterns.append(re.compile(value))
                    except re.error as exc:
                        glossary.problems.append((line, f"skip rule {rule!r}: {exc}"))
                else:
                    glossary.problems.append(
                        (line, f"skip rule {rule!r}: use section:NAME or msgid:REGEX")
                    )
            glossary.terms.append(term)
    return glossary


def check(glossary: Glossary, msgid: str, msgstr: str, sections: set[str]) -> list[str]:
    messages: list[str] = []
    for term in glossary.terms:
        if term.applies(msgid, sections) and not term.kept(msgstr):
            note = term.note if len(term.note) <= 100 else term.note[:99] + "…"
            note = f" ({note})" if note else ""
            messages.append(
                f"{term.source!r} should be translated as {term.target!r}{note} "
                f"[{glossary.path.name}:{term.line}]"
            )
    return messages
