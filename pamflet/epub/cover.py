"""The EPUB's cover: drawn from the book's title and subtitle (Pillow, Atkinson Hyperlegible).

Deterministic: the same texts give the same PNG bytes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..project import FONTS_DIR

COVER_SIZE = (1600, 2400)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    """Greedy line breaking at spaces, and after the hyphen of a compound word."""
    pieces: list[tuple[str, str]] = []  # (piece, what joins it to the next one)
    for word in text.split():
        parts = re.split(r"(?<=-)(?=\w)", word)
        pieces += [(part, "") for part in parts[:-1]] + [(parts[-1], " ")]
    lines: list[str] = []
    joiner = ""
    for piece, after in pieces:
        if lines and draw.textlength(lines[-1] + joiner + piece, font=font) <= width:
            lines[-1] = lines[-1] + joiner + piece
        else:
            lines.append(piece)
        joiner = after
    return lines


def draw_cover(path: Path, title: str, subtitle: str, publisher: str) -> None:
    """A plain, legible cover: the title large, the subtitle and publisher below.

    Deterministic: the same texts give the same PNG bytes.
    """
    from PIL import Image, ImageDraw, ImageFont

    width, height = COVER_SIZE
    margin = 140
    image = Image.new("RGB", COVER_SIZE, (18, 54, 95))
    draw = ImageDraw.Draw(image)
    bold = FONTS_DIR / "AtkinsonHyperlegible-Bold.ttf"
    regular = FONTS_DIR / "AtkinsonHyperlegible-Regular.ttf"

    size = 160
    while True:  # the largest size at which the title fits in at most six lines
        font = ImageFont.truetype(str(bold), size)
        lines = _wrap(draw, title, font, width - 2 * margin)
        fits = all(draw.textlength(line, font=font) <= width - 2 * margin for line in lines)
        if (fits and len(lines) <= 6) or size <= 60:
            break
        size -= 8
    y = 380
    draw.rectangle((margin, y - 90, margin + 220, y - 70), fill=(255, 196, 61))
    for line in lines:
        draw.text((margin, y), line, font=font, fill=(255, 255, 255))
        y += int(size * 1.2)
    if subtitle:
        small = ImageFont.truetype(str(regular), 64)
        y += 60
        for line in _wrap(draw, subtitle, small, width - 2 * margin):
            draw.text((margin, y), line, font=small, fill=(226, 234, 244))
            y += 84
    if publisher:
        small = ImageFont.truetype(str(regular), 56)
        draw.text((margin, height - margin - 56), publisher, font=small, fill=(226, 234, 244))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=True)
