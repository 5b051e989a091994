"""Work that WeasyPrint and pydyf do again for the same input, done once a process.

Places where a clinic batch (many PDFs that share most of their text and pages)
and ``pamflet proof --watch`` (one PDF again and again, most of it unchanged) repeat
work whose answer depends only on what goes in:

- **Line breaking** (:class:`LineBreaks`). WeasyPrint breaks every line of every text
  box with Pango, hyphenation included, each time it lays out a document. The answer
  of its ``split_first_line`` is remembered with the style properties the call read
  (read through :class:`_Reading`) and given again to a call with the same text, width
  and flags whose style has the same values for those properties.
- **Compression** (:class:`_Deflate`). pydyf compresses every stream at level 9 when it
  writes a PDF: the pages the clinic variants share, the fonts and pages a rebuild did
  not change. The compressed bytes of a stream already compressed are used again.
- **Page references** (:func:`_page_references`). pydyf makes the list of every page's
  reference each time it is asked, and WeasyPrint asks for every element of the
  structure tree (20 pages x 1,000 elements in a tagged leaflet).
- **Serialising** (:func:`_to_bytes`). pydyf turns every item of every object and
  content stream into bytes through three ``isinstance`` tests before the common
  case; the commonest types (bytes, str, int) are tested first, by exact type, with
  the same answer. Writing a 20-page tagged leaflet (its compression answered):
  20.5 -> 11.7 ms.

Each gives the same bytes as WeasyPrint alone (tests/pdf/test_speed_paths.py).
``PAMFLET_REUSE=0`` leaves WeasyPrint and pydyf as they are (for comparison in
benchmarks).
"""

from __future__ import annotations

import copy
import os
import zlib
from collections import OrderedDict
from typing import Any

#: texts whose line breaks are kept at most; the oldest half goes when it is full (an
#: answer with the style values it read is about 2.3 kB: at most about 25 MB)
LINE_LIMIT = 10_000
#: styles kept at most for one text and width
STYLES_LIMIT = 8
#: uncompressed plus compressed bytes kept at most
DEFLATE_LIMIT = 32 * 2**20
#: the pydyf version whose ``Stream.data`` and ``PDF.page_references`` this was made
#: for: another version keeps its own
PYDYF = "0.13.0"


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


class _Once:
    """A compressor that gives its whole output from :meth:`compress` (then nothing
    from :meth:`flush`), made once for each input."""

    __slots__ = ("_deflate", "_level")

    def __init__(self, deflate: _Deflate, level: int) -> None:
        self._deflate = deflate
        self._level = level

    def compress(self, data: bytes) -> bytes:
        return self._deflate.compressed(bytes(data), self._level)

    def flush(self) -> bytes:
        return b""


class _Deflate:
    """``zlib`` as pydyf sees it: ``compressobj`` remembers what it compressed."""

    def __init__(self) -> None:
        self._done: OrderedDict[tuple[int, bytes], bytes] = OrderedDict()
        self._size = 0
        self.hits = 0

    def compressobj(self, level: int = -1) -> _Once:
        return _Once(self, level)

    def compressed(self, data: bytes, level: int) -> bytes:
        key = (level, data)
        found = self._done.get(key)
        if found is not None:
            self.hits += 1
            self._done.move_to_end(key)
            return found
        compressor = zlib.compressobj(level=level)
        found = compressor.compress(data) + compressor.flush()
        self._done[key] = found
        self._size += len(data) + len(found)
        while self._size > DEFLATE_LIMIT and self._done:
            (_, old), kept = self._done.popitem(last=False)
            self._size -= len(old) + len(kept)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _page_references(pdf: Any) -> tuple:
    """pydyf's ``PDF.page_references``, made again only when the pages changed."""
    numbers = tuple(pdf.pages["Kids"][::3])
    cached = pdf.__dict__.get("_pamflet_page_references")
    if cached is None or cached[0] != numbers:
        cached = (numbers, tuple(f"{number} 0 R".encode("ascii") for number in numbers))
        pdf.__dict__["_pamflet_page_references"] = cached
    return cached[1]


_pydyf_to_bytes: Any = None


def _to_bytes(item: Any) -> bytes:
    """pydyf's ``_to_bytes``: bytes, str and int (not bool) by their exact type first,
    as pydyf turns them; anything else (floats, pydyf objects) by pydyf itself."""
    kind = type(item)
    if kind is bytes:
        return item
    if kind is str:
        return item.encode("ascii")
    if kind is int:
        return str(item).encode("ascii")
    return _pydyf_to_bytes(item)


_installed: LineBreaks | None = None
_deflate: _Deflate | None = None


def install() -> LineBreaks | None:
    """Put them all in WeasyPrint and pydyf (once a process, when ``renderer.py``
    loads WeasyPrint; idempotent)."""
    global _installed, _deflate, _pydyf_to_bytes
    if _installed is not None or os.environ.get("PAMFLET_REUSE", "1") == "0":
        return _installed
    import pydyf
    from weasyprint.layout import inline, preferred

    _installed = LineBreaks(inline.split_first_line)
    inline.split_first_line = _installed
    preferred.split_first_line = _installed
    if pydyf.__version__ == PYDYF:
        pydyf.zlib = _deflate = _Deflate()
        pydyf.PDF.page_references = property(_page_references)
        _pydyf_to_bytes, pydyf._to_bytes = pydyf._to_bytes, _to_bytes
    return _installed
