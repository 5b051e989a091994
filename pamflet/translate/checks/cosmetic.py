"""Cosmetic differences (warnings): whitespace, double spaces, end punctuation.

These are the cosmetic checks of translate-toolkit's pofilter
(``startwhitespace``, ``endwhitespace``, ``doublespacing``, ``endpunc``),
written out here rather than imported: each is a few lines, and
translate-toolkit is licensed GPL-3.0-or-later (pamflet is MIT) and brings a
compiled dependency, for no check that pamflet cannot state as simply. Its
checks that would matter more do not fit: ``numbers`` ignores the locale's
notation (it rejects "0,5" for "0.5"), ``urls`` does not see ``javascript:``
or ``data:`` links, and none of its checks knows reStructuredText.
"""

from __future__ import annotations

import re

#: Two or more spaces between words (not indentation after a line break).
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")

#: Characters that may close a sentence after its punctuation: quotes, brackets.
_CLOSERS = "\"'”’»)]}*`_"
_END_PUNCTUATION = {
    ".": ".",
    "!": "!",
    "?": "?",
    ":": ":",
    ";": ";",
    ",": ",",
    "…": "…",
    # Arabic script: question mark, comma, semicolon, full stop (Urdu)
    "\u061f": "?",
    "\u060c": ",",
    "\u061b": ";",
    "\u06d4": ".",
}


#: Ends that a language's style may exchange: a list item ends with ";" in French, a
#: sentence or a fragment with a full stop, an ellipsis or nothing.
_SAME_END = {".", ";", ",", "", "…"}
_CODE = re.compile(r"``.+?``", re.DOTALL)


def end_punctuation(text: str) -> str:
    """The punctuation a text ends with ('' for none); '...' counts as '…'."""
    stripped = text.rstrip()
    if stripped.endswith("..."):
        return "…"
    stripped = stripped.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…"
    return _END_PUNCTUATION.get(stripped[-1:], "")


def check(msgid: str, msgstr: str) -> list[tuple[str, str]]:
    """(check id, message) for each cosmetic difference."""
    problems: list[tuple[str, str]] = []
    lead_id, lead_str = re.match(r"\s*", msgid).group(), re.match(r"\s*", msgstr).group()
    trail_id, trail_str = re.search(r"\s*$", msgid).group(), re.search(r"\s*$", msgstr).group()
    if lead_id != lead_str:
        problems.append(
            ("whitespace", f"leading whitespace differs: {lead_id!r} in the source, {lead_str!r}")
        )
    if trail_id != trail_str:
        problems.append(
            (
                "whitespace",
                f"trailing whitespace differs: {trail_id!r} in the source, {trail_str!r}",
            )
        )
    if len(_DOUBLE_SPACE.findall(msgstr)) > len(_DOUBLE_SPACE.findall(msgid)):
        problems.append(("double-space", "the translation has a double space"))
    # "(same as ``del s[:]``)" ends with a bracket, not with the colon of the code
    source_end, end = (
        end_punctuation(_CODE.sub("x", msgid)),
        end_punctuation(_CODE.sub("x", msgstr)),
    )
    # a question, an exclamation and a colon that introduces what follows must stay; a
    # colon that the translation adds ("e.g." → "par exemple :") is style
    added_colon = end == ":" and source_end in _SAME_END
    if source_end != end and not {source_end, end} <= _SAME_END and not added_colon:
        problems.append(
            (
                "end-punctuation",
                f"the source ends with {repr(source_end) if source_end else 'no punctuation'}, "
                f"the translation with {repr(end) if end else 'no punctuation'}",
            )
        )
    return problems
