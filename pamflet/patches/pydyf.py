"""What pamflet changes in pydyf, the PDF writer under WeasyPrint.

Writing a PDF, pydyf does again what it did before for the same input: it
compresses every stream at level 9 (the pages the clinic variants share, the
fonts and pages a rebuild did not change), makes the list of every page's
reference each time WeasyPrint asks (at every element of a tagged PDF's structure
tree: 20 pages x 1,000 elements), and turns every item into bytes through three
``isinstance`` tests before the common case. Each patch gives the same bytes as
pydyf alone (``tests/pdf/test_speed_paths.py``); all were verified on pydyf 0.13.0.
pydyf is imported only inside the functions.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from typing import Any

from . import Contract, Patch, replacing

VERIFIED = ("0.13.0",)
#: uncompressed plus compressed bytes kept at most
DEFLATE_LIMIT = 32 * 2**20


class _Once:
    """A compressor that gives its whole output from :meth:`compress` (then nothing
    from :meth:`flush`), made once for each input."""

    __slots__ = ("_deflate", "_level")

    def __init__(self, deflate: Deflate, level: int) -> None:
        self._deflate = deflate
        self._level = level

    def compress(self, data: bytes) -> bytes:
        return self._deflate.compressed(bytes(data), self._level)

    def flush(self) -> bytes:
        return b""


class Deflate:
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


#: this process's compressed streams, kept across installs
deflate = Deflate()


def _install_deflate() -> Any:
    import pydyf

    return replacing((pydyf, "zlib", deflate))


DEFLATE_ONCE = Patch(
    name="pydyf.deflate-once",
    replaces=("pydyf.zlib",),
    why=(
        "A stream compressed before is not compressed again: the pages the clinic "
        "variants share, the pages and fonts a rebuild did not change (zlib at level 9 "
        "is most of writing a PDF's unchanged pages)."
    ),
    verified=VERIFIED,
    purpose="the compression reuse",
    contract=(Contract("pydyf.zlib"), Contract("pydyf.Stream.data")),
    do=_install_deflate,
)


def _page_references(pdf: Any) -> tuple:
    """pydyf's ``PDF.page_references``, made again only when the pages changed."""
    numbers = tuple(pdf.pages["Kids"][::3])
    cached = pdf.__dict__.get("_pamflet_page_references")
    if cached is None or cached[0] != numbers:
        cached = (numbers, tuple(f"{number} 0 R".encode("ascii") for number in numbers))
        pdf.__dict__["_pamflet_page_references"] = cached
    return cached[1]


def _install_page_references() -> Any:
    import pydyf

    return replacing((pydyf.PDF, "page_references", property(_page_references)))


PAGE_REFERENCES = Patch(
    name="pydyf.page-references",
    replaces=("pydyf.PDF.page_references",),
    why=(
        "WeasyPrint asks for the list of page references at every element of the "
        "structure tree (20 pages x 1,000 elements in a tagged leaflet); it is made once "
        "per PDF and again only when the pages change."
    ),
    verified=VERIFIED,
    purpose="the page-reference list",
    contract=(Contract("pydyf.PDF.__init__", attributes=("pages",)),),
    do=_install_page_references,
)


_original_to_bytes: list[Any] = []


def original_to_bytes() -> Any:
    """pydyf's own ``_to_bytes`` (also while :data:`TO_BYTES` is installed)."""
    if not _original_to_bytes:
        import pydyf

        _original_to_bytes.append(pydyf._to_bytes)
    return _original_to_bytes[0]


def to_bytes(item: Any) -> bytes:
    """pydyf's ``_to_bytes``: bytes, str and int (not bool) by their exact type first,
    as pydyf turns them; anything else (floats, pydyf objects) by pydyf itself."""
    kind = type(item)
    if kind is bytes:
        return item
    if kind is str:
        return item.encode("ascii")
    if kind is int:
        return str(item).encode("ascii")
    return _original_to_bytes[0](item)


def _install_to_bytes() -> Any:
    import pydyf

    original_to_bytes()
    return replacing((pydyf, "_to_bytes", to_bytes))


TO_BYTES = Patch(
    name="pydyf.to-bytes",
    replaces=("pydyf._to_bytes",),
    why=(
        "pydyf turns every item of every object and content stream into bytes through "
        "three isinstance tests before the common case; bytes, str and int are tested "
        "first, by exact type, with the same answer. Writing a 20-page tagged leaflet (its "
        "compression answered): 20.5 -> 11.7 ms."
    ),
    verified=VERIFIED,
    purpose="the quick serialising",
    contract=(Contract("pydyf._to_bytes", "(item)"),),
    do=_install_to_bytes,
)

#: What every PDF the renderer writes uses (``pdf/renderer.py``).
RENDERING = (DEFLATE_ONCE, PAGE_REFERENCES, TO_BYTES)
