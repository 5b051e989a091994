"""What WeasyPrint needs from the machine, and what it says while it works.

- :func:`check_environment`: Pango new enough, pamflet's fonts whole; else one
  line that says what to do.
- :func:`weasyprint_logging`: WeasyPrint's warnings (missing image, font, bad
  CSS) become Sphinx warnings, so ``-W`` fails on them.
- :func:`announce_harfbuzz_subset`: without HarfBuzz's subset library WeasyPrint
  subsets fonts with fontTools (slower, same PDFs) and warns once per font and
  document; pamflet prints one line per process instead, which is no build
  warning, and drops WeasyPrint's.
"""

from __future__ import annotations

import contextlib
import logging as stdlib_logging
import re
import sys
from pathlib import Path

from sphinx.util import logging

from ..errors import fail
from .formats import ASSETS_DIR

logger = logging.getLogger(__name__)


class _ToSphinx(stdlib_logging.Handler):
    """Forward WeasyPrint's warnings (missing image, font, bad CSS) to Sphinx.

    They then count as build warnings, so ``-W`` fails on them; WeasyPrint's
    progress messages are dropped.
    """

    def __init__(self, document: str) -> None:
        super().__init__(level=stdlib_logging.WARNING)
        self.document = document

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        if str(record.msg).startswith(FONTTOOLS_FALLBACK):
            return  # said once by announce_harfbuzz_subset(): slower, not wrong
        logger.warning(
            "%s: WeasyPrint: %s",
            self.document,
            record.getMessage(),
            type="pamflet",
            subtype="weasyprint",
        )


@contextlib.contextmanager
def weasyprint_logging(document: str):
    wp = stdlib_logging.getLogger("weasyprint")
    handler = _ToSphinx(document)
    saved = wp.handlers[:], wp.propagate, wp.level
    wp.handlers[:] = [handler]
    wp.propagate = False
    wp.setLevel(stdlib_logging.WARNING)
    fonttools = stdlib_logging.getLogger("fontTools")
    fonttools_level = fonttools.level
    fonttools.setLevel(stdlib_logging.ERROR)
    try:
        yield
    finally:
        wp.handlers[:], wp.propagate = saved[0], saved[1]
        wp.setLevel(saved[2])
        fonttools.setLevel(fonttools_level)


MIN_PANGO = (1, 44)

#: WeasyPrint 70's warning (``weasyprint/pdf/fonts.py``) when HarfBuzz-Subset is missing.
FONTTOOLS_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
#: WeasyPrint uses HarfBuzz-Subset 4.1 or newer (``hb_set_add_sorted_array``).
MIN_HARFBUZZ_SUBSET = (4, 1, 0)
_announced: list[str] = []


def harfbuzz_subset_problem() -> str | None:
    """The one line to print when WeasyPrint cannot subset fonts with HarfBuzz (it
    loads ``libharfbuzz-subset`` with ``allow_fail``, see ``weasyprint/text/ffi.py``)."""
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    except OSError:  # no usable Pango at all: the renderer says so, with what to install
        return None
    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(*MIN_HARFBUZZ_SUBSET):
        return None
    return (
        "pamflet: HarfBuzz's subset library (4.1 or newer) is not installed (Debian, "
        "Ubuntu: apt-get install libharfbuzz-subset0; Fedora: dnf install harfbuzz; "
        "macOS: brew install harfbuzz): the PDFs are correct, the build goes on "
        "more slowly (fonts are subset with fontTools)"
    )


def announce_harfbuzz_subset() -> None:
    """Print :func:`harfbuzz_subset_problem` once per process, on stderr. Not a
    Sphinx warning: the PDFs are right, so ``-W`` builds go on."""
    problem = harfbuzz_subset_problem()
    if problem and not _announced:
        _announced.append(problem)
        print(problem, file=sys.stderr, flush=True)


def pango_problem(version: int) -> str | None:
    """What to do when Pango (``pango_version()``: 14402 for 1.44.2) is too old."""
    found = (version // 10000, version // 100 % 100)
    if found < MIN_PANGO:
        return (
            f"Pango {found[0]}.{found[1]} is too old: WeasyPrint needs Pango "
            f"{MIN_PANGO[0]}.{MIN_PANGO[1]} or newer (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0)"
        )
    return None


def _damaged_font(data: bytes) -> bool:
    """Not a whole TrueType/OpenType file: WeasyPrint would drop the face with a
    warning and print in a fallback font. Checks the table directory."""
    if data[:4] in (b"wOFF", b"wOF2"):
        return len(data) < 44
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return True
    tables = int.from_bytes(data[4:6], "big")
    if not tables or 12 + 16 * tables > len(data):
        return True
    for entry in range(12, 12 + 16 * tables, 16):
        offset = int.from_bytes(data[entry + 8 : entry + 12], "big")
        length = int.from_bytes(data[entry + 12 : entry + 16], "big")
        if offset + length > len(data):
            return True
    return False


def check_environment(assets_dir: Path | None = None) -> None:
    """Pango new enough, pamflet's fonts present: else one line that says what to do."""
    from weasyprint.text.ffi import pango

    assets_dir = assets_dir or ASSETS_DIR
    problem = pango_problem(pango.pango_version())
    if problem:
        raise fail(problem)
    css = (assets_dir / "css" / "leaflet.css").read_text(encoding="utf-8")
    for name in re.findall(r"url\(\.\./fonts/([^)]+)\)", css):
        font = assets_dir / "fonts" / name
        try:
            ok = not _damaged_font(font.read_bytes())
        except OSError as exc:
            raise fail(
                f"{font}: cannot read the font file ({exc.strerror}): reinstall "
                "pamflet, or restore the file with `git checkout pamflet/pdf/assets/fonts`"
            ) from None
        if not ok:
            raise fail(
                f"{font}: the font file is empty or damaged: reinstall pamflet, or "
                "restore the file with `git checkout pamflet/pdf/assets/fonts`"
            )
