"""Sentences: none lost, none doubled, a space after each full stop (``sentences``).

Compared on the text a reader sees (``Parsed.words_text``: no literals, URLs or
role targets), so ``os.Path`` in code is not a sentence end:

- a sentence of the translation written twice that the source has once: an error;
- far fewer sentences than the source (at most 60 %, two or more fewer, the source
  having three or more) and far fewer words (under 75 %): a warning; sentences joined
  with ";" or "," keep their words;
- a full stop, "!" or "?" between two words with no space ("entera.Esto") that the
  source does not have: a warning.
"""

from __future__ import annotations

import re
from collections import Counter

CHECK = "sentences"

_SPLIT = re.compile(r"(?<=[.!?؟。।])\s+")
_GLUED = re.compile(r"(?<![\w.])[^\W\d_]*[a-zß-ÿ]{2}[.!?][A-ZÀ-Þ][a-zß-ÿ]+")


#: Abbreviations that end with a full stop inside a sentence ("(e.g. passing a list").
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|resp|Mr|Mrs|Dr|No)\.", re.I)


def sentences(text: str) -> list[str]:
    """Sentences of three words or more, normalised."""
    found = []
    for part in _SPLIT.split(_ABBREVIATIONS.sub("abbr", " ".join(text.split()))):
        words = re.findall(r"\w+", part.lower())
        if len(words) >= 3:
            found.append(" ".join(words))
    return found


def check(source: str, translation: str) -> list[tuple[str, str]]:
    """(severity, message) for sentences lost, doubled or glued together."""
    problems: list[tuple[str, str]] = []
    wanted, have = sentences(source), sentences(translation)
    doubled = [s for s, n in Counter(have).items() if n > 1 and len(s.split()) >= 4]
    doubled = [s for s in doubled if Counter(wanted)[s] < 2 and Counter(have)[s] > 1]
    if doubled and not any(n > 1 for n in Counter(wanted).values()):
        problems.append(("error", f"a sentence is written twice: {doubled[0][:60]!r}"))
    # fewer sentences and far fewer words: sentences joined with ";" or "," keep their words
    short = len(re.findall(r"\w+", translation)) < 0.75 * len(re.findall(r"\w+", source))
    if (
        short
        and len(wanted) >= 3
        and len(have) <= len(wanted) - 2
        and len(have) <= 0.6 * len(wanted)
    ):
        problems.append(
            (
                "warning",
                f"{len(wanted)} sentences in the source, {len(have)} in the translation: "
                "is one lost?",
            )
        )
    glued = [m.group(0) for m in _GLUED.finditer(translation)]
    glued = [g for g in glued if g not in source]
    if glued:
        problems.append(("warning", f"no space after the end of a sentence: {glued[0]!r}"))
    return problems
