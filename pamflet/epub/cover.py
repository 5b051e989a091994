"""The EPUB's cover: drawn from the book's title and subtitle (Pillow, the language's fonts).

Each character is drawn in the first of the language's fonts that has it (Atkinson
Hyperlegible for Latin, then the script's face, such as Noto Naskh Arabic), and a
right-to-left language's lines run and align right to left, with its Latin runs
(``PTSD``, ``2024``) left to right inside them. Deterministic: the same texts give
the same PNG bytes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from ..languages import LATIN_FONT
from ..project import FONTS_DIR

COVER_SIZE = (1600, 2400)
_STRONG = {"L": "ltr", "R": "rtl", "AL": "rtl", "EN": "ltr", "AN": "rtl"}
_NUMBER_PARTS = {"ET", "ES", "CS"}  # %, +, -, . and , next to a number keep its direction


def font_file(family: str, bold: bool) -> Path:
    """The shipped TTF of a font family: ``Noto Naskh Arabic`` -> NotoNaskhArabic-Bold.ttf."""
    return FONTS_DIR / f"{family.replace(' ', '')}-{'Bold' if bold else 'Regular'}.ttf"


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


class Faces:
    """The language's fonts at one size: which font draws a character, and runs of text."""

    def __init__(self, families: tuple[str, ...], size: int, *, bold: bool) -> None:
        from PIL import ImageFont

        self.paths = [font_file(f, bold) for f in families if font_file(f, bold).is_file()]
        self.fonts = [ImageFont.truetype(str(p), size) for p in self.paths]

    def index(self, char: str) -> int:
        for i, path in enumerate(self.paths):
            if ord(char) in _cmap(path):
                return i
        return 0

    def pieces(self, text: str, direction: str) -> list[tuple[str, Any, str]]:
        """(text, font, direction) in visual order from the line's start edge."""
        runs: list[tuple[str, str]] = []  # (text, direction), logical order
        for chunk, chunk_direction in _directional_runs(text, direction):
            if runs and runs[-1][1] == chunk_direction:
                runs[-1] = (runs[-1][0] + chunk, chunk_direction)
            else:
                runs.append((chunk, chunk_direction))
        pieces: list[tuple[str, Any, str]] = []
        for run, run_direction in runs:
            by_font: list[tuple[str, int]] = []
            for char in run:
                i = by_font[-1][1] if char == " " and by_font else self.index(char)
                if by_font and by_font[-1][1] == i:
                    by_font[-1] = (by_font[-1][0] + char, i)
                else:
                    by_font.append((char, i))
            # Inside a run the pieces follow its direction; the runs follow the line's.
            order = by_font if run_direction == direction else by_font[::-1]
            pieces += [(piece, self.fonts[i], run_direction) for piece, i in order]
        return pieces

    def length(self, draw: Any, text: str, direction: str) -> float:
        return sum(
            draw.textlength(piece, font=font, direction=d)
            for piece, font, d in self.pieces(text, direction)
        )


def _directional_runs(text: str, direction: str) -> list[tuple[str, str]]:
    """Each character with its resolved direction (a small part of the Unicode bidi
    algorithm: strong letters and numbers keep theirs; a neutral between two of the same
    direction takes it, else the line's)."""
    classes = [unicodedata.bidirectional(c) for c in text]
    strong: list[str | None] = [_STRONG.get(c) for c in classes]
    for i, cls in enumerate(classes):  # "71%", "0800-0113": part of the number
        if cls in _NUMBER_PARTS and (
            (i > 0 and classes[i - 1] == "EN") or (i + 1 < len(classes) and classes[i + 1] == "EN")
        ):
            strong[i] = "ltr"
    resolved: list[str] = []
    for i, own in enumerate(strong):
        if own is not None:
            resolved.append(own)
            continue
        before = next((s for s in reversed(strong[:i]) if s), direction)
        after = next((s for s in strong[i + 1 :] if s), direction)
        resolved.append(before if before == after else direction)
    return list(zip(text, resolved, strict=True))


def _wrap(measure: Any, text: str, width: int) -> list[str]:
    """Greedy line breaking at spaces, and after the hyphen of a compound word."""
    pieces: list[tuple[str, str]] = []  # (piece, what joins it to the next one)
    for word in text.split():
        parts = re.split(r"(?<=-)(?=\w)", word)
        pieces += [(part, "") for part in parts[:-1]] + [(parts[-1], " ")]
    lines: list[str] = []
    joiner = ""
    for piece, after in pieces:
        if lines and measure(lines[-1] + joiner + piece) <= width:
            lines[-1] = lines[-1] + joiner + piece
        else:
            lines.append(piece)
        joiner = after
    return lines


def _draw_line(
    draw: Any, faces: Faces, text: str, y: int, margin: int, direction: str, fill: Any
) -> None:
    pieces = faces.pieces(text, direction)
    if len(pieces) == 1 and direction == "ltr":  # one font, left to right: as it always was
        draw.text((margin, y), text, font=pieces[0][1], fill=fill)
        return
    x = float(margin if direction == "ltr" else COVER_SIZE[0] - margin)
    for piece, font, piece_direction in pieces:
        length = draw.textlength(piece, font=font, direction=piece_direction)
        if direction == "rtl":
            x -= length
        draw.text((x, y), piece, font=font, fill=fill, direction=piece_direction)
        if direction == "ltr":
            x += length


def draw_cover(
    path: Path,
    title: str,
    subtitle: str,
    publisher: str,
    *,
    fonts: tuple[str, ...] = (LATIN_FONT,),
    direction: str = "ltr",
) -> None:
    """A plain, legible cover: the title large, the subtitle and publisher below.

    ``fonts``: the language's font families in fallback order; ``direction``: its
    direction (a right-to-left cover aligns right). Deterministic: the same texts give
    the same PNG bytes.
    """
    from PIL import Image, ImageDraw

    width, height = COVER_SIZE
    margin = 140
    image = Image.new("RGB", COVER_SIZE, (18, 54, 95))
    draw = ImageDraw.Draw(image)

    size = 160
    while True:  # the largest size at which the title fits in at most six lines
        faces = Faces(fonts, size, bold=True)

        def measure(text: str, faces: Faces = faces) -> float:
            return faces.length(draw, text, direction)

        lines = _wrap(measure, title, width - 2 * margin)
        fits = all(measure(line) <= width - 2 * margin for line in lines)
        if (fits and len(lines) <= 6) or size <= 60:
            break
        size -= 8
    y = 380
    bar = (margin, margin + 220) if direction == "ltr" else (width - margin - 220, width - margin)
    draw.rectangle((bar[0], y - 90, bar[1], y - 70), fill=(255, 196, 61))
    for line in lines:
        _draw_line(draw, faces, line, y, margin, direction, (255, 255, 255))
        y += int(size * 1.2)
    if subtitle:
        small = Faces(fonts, 64, bold=False)
        y += 60
        for line in _wrap(
            lambda t: small.length(draw, t, direction), subtitle, width - 2 * margin
        ):
            _draw_line(draw, small, line, y, margin, direction, (226, 234, 244))
            y += 84
    if publisher:
        small = Faces(fonts, 56, bold=False)
        _draw_line(
            draw, small, publisher, height - margin - 56, margin, direction, (226, 234, 244)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=True)
