"""WeasyPrint's line breaking, done once for what comes again (``weasyprint.line-breaks``).

WeasyPrint breaks every line of every text box with Pango, hyphenation included,
each time it lays out a document. The answer of its ``split_first_line`` is
remembered with the style properties the call read (read through :class:`_Reading`)
and given again to a call with the same text, width and flags whose style has the
same values for those properties. A clinic batch (many PDFs that share most of their
text) and ``pamflet proof --watch`` (one PDF again and again, most of it unchanged)
break the same lines again and again: the print layout breaks the same lines as the
a5 one (927 of its 929 calls for nl were answered so).
"""

from __future__ import annotations

import copy
from typing import Any

#: texts whose line breaks are kept at most; the oldest half goes when it is full (an
#: answer with the style values it read is about 2.3 kB: at most about 25 MB)
LINE_LIMIT = 10_000
#: styles kept at most for one text and width
STYLES_LIMIT = 8


class _Reading:
    """A computed style that notes which properties are read, and their values."""

    __slots__ = ("_style", "read", "opaque")

    def __init__(self, style: Any) -> None:
        self._style = style
        self.read: dict[str, Any] = {}
        #: something other than a property or the font configuration was read (e.g.
        #: the root style, for a ``calc()`` with ``rem``): the answer is not kept
        self.opaque = False

    def __getitem__(self, key: str) -> Any:
        value = self._style[key]
        self.read.setdefault(key, value)
        return value

    def __getattr__(self, name: str) -> Any:
        if name != "font_config":
            self.opaque = True
        return getattr(self._style, name)


class LineBreaks:
    """WeasyPrint's ``split_first_line``, remembering its answers.

    The answer depends on the text, the width and flags, the style properties it
    reads, the font configuration (part of the key, kept alive with the answer), Pango
    and pyphen's dictionaries (which only cache). It is a *deactivated* layout (plain
    attributes: the Pango objects are made again when the text is drawn) and numbers,
    so each caller gets a copy of its own.
    """

    def __init__(self, split: Any) -> None:
        self._split = split
        #: (text, max_width, justification_spacing, is_line_start, minimum,
        #: id(font_config)) -> [(font_config, ((property, value), ...), answer)]
        self._answers: dict[tuple, list[tuple[Any, tuple, tuple]]] = {}
        self.hits = 0
        self.misses = 0

    def __call__(
        self,
        text: str,
        style: Any,
        context: Any,
        max_width: Any,
        justification_spacing: Any,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> tuple:
        font_config = style.font_config
        key = (text, max_width, justification_spacing, is_line_start, minimum, id(font_config))
        for config, read, answer in self._answers.get(key, ()):
            if config is font_config and all(style[k] == v for k, v in read):
                self.hits += 1
                return (copy.copy(answer[0]), *answer[1:])
        self.misses += 1
        reading = _Reading(style)
        answer = self._split(
            text, reading, context, max_width, justification_spacing, is_line_start, minimum
        )
        if not reading.opaque:
            if len(self._answers) >= LINE_LIMIT:
                for old in list(self._answers)[: LINE_LIMIT // 2]:
                    del self._answers[old]
            kept = (copy.copy(answer[0]), *answer[1:])
            same_text = self._answers.setdefault(key, [])
            del same_text[: max(0, len(same_text) - STYLES_LIMIT + 1)]  # the oldest styles go
            same_text.append((font_config, tuple(reading.read.items()), kept))
        return answer
