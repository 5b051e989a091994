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

    @property
    def stylesheet(self) -> Path | None:
        return CSS_DIR / "formats" / self.css if self.css else None


READER_OPTIONS = {"pdf_variant": "pdf/ua-1"}

FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("a4", "A4, for reading on screen and office printers", "a4.css", READER_OPTIONS),
        Format("a5", "A5, for reading on screen and office printers", "a5.css", READER_OPTIONS),
        Format(
            "a5-print",
            "A5 for print shops: 3 mm bleed, crop marks, CMYK",
            "a5-print.css",
            {"pdf_tags": False},
            for_print=True,
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
    return wanted
