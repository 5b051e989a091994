"""Readability of a leaflet, per language, offline.

Flesch Reading Ease for English, Flesch-Douma for Dutch, average sentence
length and the longest sentences, measured on the translated doctrees that
the build already wrote (``build/doctrees/<lang>/<doc>.doctree``): what is
measured is exactly what the reader gets, in every language.

Syllables are counted with pyphen's hyphenation dictionaries (number of
hyphenation points + 1, as textstat does). textstat itself is not used: its
English mode downloads NLTK data at run time, which fails offline.
"""

from __future__ import annotations

import pickle
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyphen
from docutils import nodes

from ..project import READABILITY_FLOOR, Project

#: Sections with these classes are not running text (a list of references).
EXCLUDED_CLASSES = {"sources"}

WORD = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*", re.UNICODE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")

PYPHEN_LANG = {"en": "en_US", "nl": "nl_NL"}


@cache
def _hyphenator(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=PYPHEN_LANG.get(language, language))


def syllables(word: str, language: str) -> int:
    word = word.lower()
    if not any(ch.isalpha() for ch in word):
        return max(1, len(word) // 2)  # numbers: rough, as spoken digits
    return len(_hyphenator(language).positions(word)) + 1


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

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def formula(self) -> str:
        return "Flesch-Douma" if self.language == "nl" else "Flesch Reading Ease"

    @property
    def score(self) -> float:
        if self.language == "nl":
            # Douma (1960): 206.84 - 0.77 x syllables per 100 words - 0.93 x words per sentence
            return 206.84 - 0.77 * 100 * self.syllables_per_word - 0.93 * self.words_per_sentence
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word


def measure(blocks: list[str], language: str, longest: int = 5) -> Report:
    sents = sentences(blocks)
    words = [w for s in sents for w in WORD.findall(s)]
    counted = sorted(((len(WORD.findall(s)), s) for s in sents), key=lambda x: -x[0])
    return Report(
        language=language,
        words=len(words),
        sentences=len(sents),
        syllables=sum(syllables(w, language) for w in words),
        longest=counted[:longest],
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


def cmd_readability(args) -> int:
    """Readability (and originality) of every leaflet, from the built doctrees."""
    project = Project.find(Path(args.project), build=args.build_dir)
    settings = project.settings()
    languages = args.languages or project.languages()
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
            report = measure(blocks, lang)
            minimum = float(limits.get(lang, READABILITY_FLOOR))
            ok_score = report.score >= minimum
            ok_length = report.words_per_sentence <= max_words
            failures += (not ok_score) + (not ok_length)
            print(
                f"{docname} [{lang}]: {report.formula} {report.score:.1f} "
                f"({'ok' if ok_score else 'BELOW'} >= {minimum:g}); "
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


def add_command(sub) -> None:
    parser = sub.add_parser(
        "readability", help="readability of each leaflet and language (from the build)"
    )
    parser.add_argument("-l", "--languages", nargs="+", metavar="LANG")
    parser.add_argument("-C", "--project", default=".")
    parser.add_argument("-o", "--build-dir", default="build")
    parser.set_defaults(func=cmd_readability)
