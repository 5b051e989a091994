"""The PDF formats of a leaflet: one place per format.

Each format is a page stylesheet in ``assets/css/formats/`` plus a few
WeasyPrint options. The booklet is not rendered at all: it imposes the pages
of the A5 reader PDF two-up on A4.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The print assets: stylesheets, fonts and the page template.
ASSETS_DIR = Path(__file__).parent / "assets"
CSS_DIR = ASSETS_DIR / "css"


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    #: stylesheet under assets/css/formats/, or None for an imposed format
    css: str | None = None
    #: WeasyPrint options for write_pdf
    options: dict[str, Any] = field(default_factory=dict)
    #: the format whose pages an imposed format takes
    impose_from: str | None = None
    #: print formats show link targets as text and use print colours
    for_print: bool = False
    #: pages come in multiples of this ("Notes" pages before the back page): a
    #: saddle-stitched booklet needs a multiple of 4
    pad_to: int = 1
    #: bleed around the trim in mm (the PDF BleedBox); 0: none
    bleed_mm: float = 0
    #: slug outside the bleed in mm, where the crop marks are; 0: no marks
    slug_mm: float = 0
    #: the trimmed page: formats of one size break the text into the same pages
    page_size: str = ""
    #: a format whose stylesheet differs from this one's only in the page's bleed and
    #: marks: when both are built, its layout is reused (press.repaint_as; the patch
    #: nomarks-from-print in patches/weasyprint.py)
    paint_from: str | None = None

    @property
    def stylesheet(self) -> Path | None:
        return CSS_DIR / "formats" / self.css if self.css else None


READER_OPTIONS = {"pdf_variant": "pdf/ua-1"}

FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format(
            "a4",
            "A4, for reading on screen and office printers",
            "a4.css",
            READER_OPTIONS,
            page_size="A4",
        ),
        Format(
            "a4-large",
            "A4 in large print (16 pt body text and more), for readers with low vision",
            "a4-large.css",
            READER_OPTIONS,
            # A4, but its larger type breaks the text into pages of its own
            page_size="A4-large",
        ),
        Format(
            "a5",
            "A5, for reading on screen and office printers (pages of the booklet)",
            "a5.css",
            READER_OPTIONS,
            pad_to=4,
            page_size="A5",
        ),
        Format(
            "a5-print",
            "A5 for print shops: 3 mm bleed, crop marks in a 6 mm slug, CMYK",
            "a5-print.css",
            {"pdf_tags": False},
            for_print=True,
            pad_to=4,
            bleed_mm=3,
            slug_mm=6,
            page_size="A5",
        ),
        Format(
            "a5-print-nomarks",
            "A5 for print shops that ask for no crop marks: 3 mm bleed, CMYK",
            "a5-print-nomarks.css",
            {"pdf_tags": False},
            for_print=True,
            pad_to=4,
            bleed_mm=3,
            page_size="A5",
            paint_from="a5-print",
        ),
        Format(
            "booklet",
            "A5 booklet imposed on A4 landscape, for duplex office printers",
            impose_from="a5",
            for_print=True,
        ),
    )
}


def resolve_formats(names: list[str] | tuple[str, ...]) -> list[Format]:
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown PDF format(s) {', '.join(unknown)}; known: {', '.join(FORMATS)}"
        )
    return [FORMATS[n] for n in names]


def render_order(formats: list[Format]) -> list[Format]:
    """Formats to lay out, with the sources of imposed formats, in order."""
    wanted: list[Format] = []
    for fmt in formats:
        if fmt.impose_from and FORMATS[fmt.impose_from] not in wanted:
            wanted.append(FORMATS[fmt.impose_from])
        if fmt.css and fmt not in wanted:
            wanted.append(fmt)
    # A format painted from another one's layout comes after it.
    return sorted(wanted, key=lambda f: bool(f.paint_from and FORMATS[f.paint_from] in wanted))
