"""Issue 29: page numbers on the outer edge of every page, mirrored for right to left,
none on the cover or the back cover (a booklet's numbers never sit in the fold)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer

from conftest import pdf_path


def footer_numbers(path: Path) -> dict[int, str]:
    """Page -> "left" or "right": the side of its "Page n of N" in the footer (by its
    two numbers: pdfminer gives an Arabic line in visual order)."""
    pages = list(extract_pages(path))
    sides: dict[int, str] = {}
    for index, page in enumerate(pages, 1):
        for element in page:
            if not isinstance(element, LTTextContainer) or element.y1 > page.height * 0.12:
                continue
            numbers = sorted(int(n) for n in re.findall(r"\d+", element.get_text()))
            if numbers == sorted([index, len(pages)]):
                centre = (element.x0 + element.x1) / 2
                sides[index] = "right" if centre > page.width / 2 else "left"
    return sides


@pytest.mark.parametrize("lang", ["en", "nl", "ar"])
@pytest.mark.parametrize("fmt", ["a5", "a5-print", "a4"])
def test_page_numbers_are_on_the_outer_edge(build: Path, lang: str, fmt: str) -> None:
    path = pdf_path(build, lang, fmt)
    sides = footer_numbers(path)
    pages = len(list(extract_pages(path)))
    assert pages >= 8
    # none on the cover or the back cover, one on every page between
    assert sorted(sides) == list(range(2, pages)), sides
    for page, side in sides.items():
        # left to right: even pages are left-hand pages; right to left the other way round
        even_side = "right" if lang == "ar" else "left"
        odd_side = "left" if lang == "ar" else "right"
        assert side == (even_side if page % 2 == 0 else odd_side), (page, side)


def test_a_printed_address_is_cut_only_after_a_slash() -> None:
    """The address under the QR code breaks only between these pieces (each one kept
    whole by the stylesheet), never at the hyphens of the leaflet's name."""
    from types import SimpleNamespace

    from pamflet.pdf.printhtml import printed_url

    config = SimpleNamespace(pamflet_online_short_url=None, language="nl")
    url = "https://example.org/nl/latest/ptsd-psychedelic-therapy.html"
    parts = printed_url(config, "ptsd-psychedelic-therapy", url)
    assert parts == ["example.org/", "nl/", "latest/", "ptsd-psychedelic-therapy.html"]
    config.pamflet_online_short_url = "https://ex.org/{language}/{docname}"
    assert printed_url(config, "ptsd", url) == ["ex.org/", "nl/", "ptsd"]
