"""Booklet imposition: A5 pages two-up on A4 landscape, saddle-stitch order.

For n pages (n a multiple of 4), sheet s (from 1) carries
front = [n-2s+2, 2s-1] and back = [2s, n-2s+1]. Printed double-sided,
flipped on the short edge, and folded once, the sheets make the booklet.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """1-based (left, right) page numbers for each side of each sheet.

    ``pages`` must already be a multiple of 4.
    """
    if pages % 4:
        raise ValueError("a booklet needs a multiple of 4 pages")
    sides: list[tuple[int, int]] = []
    for sheet in range(1, pages // 4 + 1):
        sides.append((pages - 2 * sheet + 2, 2 * sheet - 1))
        sides.append((2 * sheet, pages - 2 * sheet + 1))
    return sides


def impose_booklet(source: Path, target_stream) -> int:
    """Write the booklet of ``source`` to ``target_stream``; returns the page count."""
    reader = PdfReader(source)
    pages = list(reader.pages)
    if not pages:
        raise ValueError(f"{source}: no pages to impose")
    width = float(pages[0].trimbox.width)
    height = float(pages[0].trimbox.height)
    padded = len(pages) + (-len(pages)) % 4
    writer = PdfWriter()
    for left, right in booklet_order(padded):
        sheet = PageObject.create_blank_page(width=2 * width, height=height)
        for position, number in enumerate((left, right)):
            if number > len(pages):
                continue  # a blank page that pads the booklet
            page = pages[number - 1]
            box = page.trimbox
            move = Transformation().translate(
                position * width - float(box.left), -float(box.bottom)
            )
            sheet.merge_transformed_page(page, move)
        writer.add_page(sheet)
    info = reader.metadata
    if info:
        writer.add_metadata({k: v for k, v in info.items() if k in ("/Title", "/Author")})
    writer.write(target_stream)
    return padded
