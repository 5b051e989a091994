"""Booklet imposition: A5 pages two-up on A4 landscape, saddle-stitch order.

For n pages (n a multiple of 4), sheet s (from 1) carries
front = [n-2s+2, 2s-1] and back = [2s, n-2s+1]. Printed double-sided,
flipped on the short edge, and folded once, the sheets make the booklet.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject

#: A4 landscape, in points
SHEET_WIDTH, SHEET_HEIGHT = 841.89, 595.28


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
    # Each A5 page is centred in its half of the A4 sheet (A5 is 148 mm, half A4 148.5 mm).
    half = SHEET_WIDTH / 2
    padded = len(pages) + (-len(pages)) % 4
    writer = PdfWriter()
    for left, right in booklet_order(padded):
        sheet = PageObject.create_blank_page(width=SHEET_WIDTH, height=SHEET_HEIGHT)
        for position, number in enumerate((left, right)):
            if number > len(pages):
                continue  # a blank page that pads the booklet
            page = pages[number - 1]
            box = page.trimbox
            x = position * half + (half - width) / 2
            y = (SHEET_HEIGHT - height) / 2
            page.mediabox = RectangleObject(box)  # clip to the trim
            move = Transformation().translate(x - float(box.left), y - float(box.bottom))
            sheet.merge_transformed_page(page, move)
        writer.add_page(sheet)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    info = reader.metadata
    if info:
        writer.add_metadata({k: v for k, v in info.items() if k in ("/Title", "/Author")})
    writer.write(target_stream)
    return padded
