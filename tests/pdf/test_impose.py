"""Booklet imposition: saddle-stitch order written out by hand, and a real imposed file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from pamflet.pdf.impose import booklet_order, impose_booklet

# (left, right) on each side of each sheet, front then back: a folded stack of
# sheets, counted by hand on paper.
BY_HAND = {
    4: [(4, 1), (2, 3)],
    8: [(8, 1), (2, 7), (6, 3), (4, 5)],
    16: [(16, 1), (2, 15), (14, 3), (4, 13), (12, 5), (6, 11), (10, 7), (8, 9)],
}


@pytest.mark.parametrize("pages", sorted(BY_HAND))
def test_booklet_order_is_saddle_stitch_order(pages: int) -> None:
    assert booklet_order(pages) == BY_HAND[pages]


def test_booklet_order_refuses_a_page_count_that_does_not_fold() -> None:
    with pytest.raises(ValueError, match="multiple of 4"):
        booklet_order(6)


def _numbered_pdf(path: Path, pages: int) -> None:
    """An A5 document whose page N says "Side N" (laid out by WeasyPrint for real)."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">Side {n}</p>' for n in range(1, pages + 1))
    HTML(string=f"<style>@page {{ size: A5 }}</style>{body}").write_pdf(path)


@pytest.mark.parametrize(("pages", "padded"), [(8, 8), (6, 8)])
def test_imposed_sheets_carry_the_pages_in_that_order(
    tmp_path: Path, pages: int, padded: int
) -> None:
    source, target = tmp_path / "a5.pdf", tmp_path / "booklet.pdf"
    _numbered_pdf(source, pages)
    with target.open("wb") as stream:
        assert impose_booklet(source, stream) == padded
    sides = PdfReader(target).pages
    assert len(sides) == padded // 2
    for side, (left, right) in zip(sides, BY_HAND[padded], strict=True):
        found = [int(n) for n in re.findall(r"Side (\d+)", side.extract_text())]
        # blank padding pages (beyond the document) carry nothing
        assert found == [n for n in (left, right) if n <= pages]
        assert [round(float(v)) for v in side.mediabox] == [0, 0, 842, 595]  # A4 landscape
