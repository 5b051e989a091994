"""Readability of a leaflet, per language, offline.

The formula of each language is its ``readability`` in the language table
(``pamflet.languages.LANGUAGE_DEFAULTS``, conf.py ``pamflet_language_settings``):
Flesch Reading Ease for English, Flesch-Douma for Dutch, none for Arabic (no
validated formula: sentence length only). Every language gets the average
sentence length and the longest sentences, measured on the translated doctrees that
the build already wrote (``build/doctrees/<lang>/<doc>.doctree``): what is
measured is exactly what the reader gets, in every language.

Syllables are counted with the language's pyphen hyphenation dictionary (number of
hyphenation points + 1, as textstat does). textstat itself is not used: its
English mode downloads NLTK data at run time, which fails offline.
"""

from __future__ import annotations

import pickle
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyphen
from docutils import nodes

from ..errors import fail
from ..languages import LanguageSettings, language_settings
from ..project import Project
from ..settings import READABILITY_FLOOR, SOURCES_CLASS

#: Sections with these classes are not running text (a list of references).
EXCLUDED_CLASSES = {SOURCES_CLASS}

#: Combining marks (Latin accents, Hebrew points, Arabic vowel marks) belong to their word:
#: Python's ``\w`` does not match them (category Mn), so they are added by hand.
MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_LETTERS = rf"(?:[^\W_]|[{MARKS}])+"
WORD = re.compile(rf"{_LETTERS}(?:[-'’.,]{_LETTERS})*", re.UNICODE)
#: A sentence ends at . ! ? (and the Arabic question mark ؟, the Urdu full stop ۔)
#: before a space and the start of the next sentence: a capital or a digit in a cased
#: script, any letter in a script without case (Hebrew, Arabic).
CASELESS = "\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
SENTENCE_END = re.compile(rf"(?<=[.!?؟۔])\s+(?=[\"'“‘«(\[]?[A-Z0-9À-Ý{CASELESS}])")


def _flesch(report: Report) -> float:
    return 206.835 - 1.015 * report.words_per_sentence - 84.6 * report.syllables_per_word


def _flesch_douma(report: Report) -> float:
    # Douma (1960): 206.84 - 0.77 x syllables per 100 words - 0.93 x words per sentence
    return 206.84 - 0.77 * 100 * report.syllables_per_word - 0.93 * report.words_per_sentence


#: The readability formulas a language's ``readability`` setting can name.
FORMULAS: dict[str, tuple[str, Callable[[Report], float]]] = {
    "flesch": ("Flesch Reading Ease", _flesch),
    "flesch-douma": ("Flesch-Douma", _flesch_douma),
}


@cache
def _hyphenator(dictionary: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=dictionary)


def syllables(word: str, language: str, settings: LanguageSettings | None = None) -> int:
    """Syllables of a word (hyphenation points + 1); 0 without a hyphenation dictionary."""
    dictionary = (settings or language_settings(None, language)).hyphenation
    if dictionary is None:
        return 0
    word = word.lower()
    if not any(ch.isalpha() for ch in word):
        return max(1, len(word) // 2)  # numbers: rough, as spoken digits
    return len(_hyphenator(dictionary).positions(word)) + 1


def text_blocks(doctree: nodes.Node) -> list[str]:
    """Paragraphs, list items and titles as plain text, skipping excluded sections."""
    blocks: list[str] = []

    def excluded(node: nodes.Node) -> bool:
        parent = node
        while parent is not None:
            if isinstance(parent, nodes.Element) and EXCLUDED_CLASSES & set(
                parent.get("classes", [])
            ):
                return True
            parent = parent.parent
        return False

    for node in doctree.findall(nodes.TextElement):
        if not isinstance(node, nodes.paragraph | nodes.title):
            continue
        if isinstance(node.parent, nodes.field_body) or excluded(node):
            continue
        text = " ".join(node.astext().split())
        if text:
            blocks.append(text)
    return blocks


def sentences(blocks: list[str]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out += [s.strip() for s in SENTENCE_END.split(block) if WORD.search(s)]
    return out


@dataclass
class Report:
    language: str
    words: int
    sentences: int
    syllables: int
    longest: list[tuple[int, str]] = field(default_factory=list)
    #: A key of :data:`FORMULAS`, or None: sentence length only.
    formula_name: str | None = None

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def formula(self) -> str | None:
        """The formula's name ("Flesch-Douma"), None for a language without one."""
        return FORMULAS[self.formula_name][0] if self.formula_name else None

    @property
    def score(self) -> float | None:
        return FORMULAS[self.formula_name][1](self) if self.formula_name else None


def measure(
    blocks: list[str], language: str, longest: int = 5, settings: LanguageSettings | None = None
) -> Report:
    """Words, sentences and the longest sentences; syllables and the score where the
    language has a formula (``settings``: the language's row, default: pamflet's)."""
    settings = settings or language_settings(None, language)
    formula = settings.readability
    if formula is not None and formula not in FORMULAS:
        raise fail(
            f"pamflet_language_settings[{language!r}]: readability: unknown formula "
            f"{formula!r} (known: {', '.join(FORMULAS)}, or None for sentence length only)"
        )
    if formula is not None and settings.hyphenation is None:
        raise fail(
            f"pamflet_language_settings[{language!r}]: readability {formula!r} counts "
            "syllables and needs a hyphenation dictionary (pyphen)"
        )
    sents = sentences(blocks)
    words = [w for s in sents for w in WORD.findall(s)]
    counted = sorted(((len(WORD.findall(s)), s) for s in sents), key=lambda x: -x[0])
    return Report(
        language=language,
        words=len(words),
        sentences=len(sents),
        syllables=sum(syllables(w, language, settings) for w in words) if formula else 0,
        longest=counted[:longest],
        formula_name=formula,
    )


def load_doctree(doctree_dir: Path, docname: str) -> nodes.document:
    path = doctree_dir / f"{docname}.doctree"
    with path.open("rb") as fh:
        return pickle.load(fh)


def _tokens(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W_]+", text)]


def shared_runs(text: str, reference: str, n: int = 10) -> list[str]:
    """Runs of ``n`` consecutive words of ``text`` that also stand in ``reference``."""
    ref = _tokens(reference)
    grams = {tuple(ref[i : i + n]) for i in range(len(ref) - n + 1)}
    words = _tokens(text)
    return [
        " ".join(words[i : i + n])
        for i in range(len(words) - n + 1)
        if tuple(words[i : i + n]) in grams
    ]


def longest_shared_run(text: str, reference: str) -> int:
    low, high = 0, len(_tokens(text))
    while low < high:  # the property "a run of n is shared" is monotone in n
        mid = (low + high + 1) // 2
        if shared_runs(text, reference, mid):
            low = mid
        else:
            high = mid - 1
    return low


# -- the command ---------------------------------------------------------------------------


def report_readability(project: Project, languages: list[str]) -> int:
    """``pamflet readability``: readability (and originality) of every leaflet in
    ``languages`` (none: every language), from the built doctrees; the exit status."""
    from sphinx.errors import ConfigError

    try:
        return _readability(project, languages)
    except ConfigError as exc:  # pamflet_language_settings: a user error, no traceback
        raise fail(f"{project.relative(project.conf_py)}: {exc}") from None


def _readability(project: Project, languages: list[str]) -> int:
    settings = project.settings()
    languages = languages or project.languages()
    limits = project.readability_limits()
    max_words = float(limits["max_sentence_words"])
    references = settings.pamflet_reference_texts
    failures = 0
    for docname in project.leaflets():
        for lang in languages:
            doctree_dir = project.layout.doctrees(lang)
            if not (doctree_dir / f"{docname}.doctree").is_file():
                print(
                    f"{doctree_dir}: no doctree for {docname!r}: run `make html` first",
                    file=sys.stderr,
                )
                return 2
            blocks = text_blocks(load_doctree(doctree_dir, docname))
            report = measure(blocks, lang, settings=language_settings(settings, lang))
            ok_length = report.words_per_sentence <= max_words
            failures += not ok_length
            if report.score is None:
                score = "no readability formula, sentence length only"
            else:
                minimum = float(limits.get(lang, READABILITY_FLOOR))
                ok_score = report.score >= minimum
                failures += not ok_score
                score = (
                    f"{report.formula} {report.score:.1f} "
                    f"({'ok' if ok_score else 'BELOW'} >= {minimum:g})"
                )
            print(
                f"{docname} [{lang}]: {score}; "
                f"{report.words} words, {report.sentences} sentences, "
                f"{report.words_per_sentence:.1f} words a sentence "
                f"({'ok' if ok_length else 'ABOVE'} <= {max_words:g})"
            )
            for words, sentence in report.longest:
                print(f"    {words:3d} words: {sentence}")
            reference = references.get(docname)
            if reference and lang == project.source_language:
                text = (project.confdir / reference).read_text(encoding="utf-8")
                run = longest_shared_run(" ".join(blocks), text)
                failures += run >= 10
                print(
                    f"    longest run of words shared with {reference}: {run} "
                    f"({'ok' if run < 10 else 'TOO LONG'} < 10)"
                )
    return 1 if failures else 0
