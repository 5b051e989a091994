"""The fonts an EPUB carries: the faces of its language that readers' apps may lack.

A reading app lays out a book in its own fonts unless the book brings some. For
Arabic that is a problem: an app's fallback face has tight line spacing and often
a Naskh that does not match the printed leaflet. A book whose language's row in the
language table (:func:`pamflet.languages.language_settings`) names a face pamflet
ships beside the Latin one (Noto Naskh Arabic) carries that face, subset to the
characters of the book (fontTools, as WeasyPrint subsets it for the PDF), and a
stylesheet with its ``@font-face`` rules and a line height for the script.

Subsetting is repeatable: the same text gives the same bytes (the font's
``head.modified`` is left as shipped). Noto Naskh Arabic is under the SIL Open
Font License, which allows embedding in documents.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..languages import LanguageSettings
from ..pdf.formats import ASSETS_DIR

FONTS_DIR = ASSETS_DIR / "fonts"
#: The faces pamflet ships for scripts beyond Latin: (regular, bold) files.
SHIPPED: dict[str, tuple[str, str]] = {
    "Noto Naskh Arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
}
#: The stylesheet, under the book's ``_static/``.
CSS_NAME = "pamflet-fonts.css"
#: Line heights for a script's face (Arabic marks above and below need room).
BODY_LINE_HEIGHT = 1.8
HEADING_LINE_HEIGHT = 1.5


def book_faces(settings: LanguageSettings) -> list[str]:
    """The shipped faces that a language's books carry (none for Latin-only languages)."""
    return [name for name in settings.fonts if name in SHIPPED]


def subset(path: Path, text: str) -> bytes:
    """The font at ``path`` with only the glyphs ``text`` needs (and their shaping)."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = ["*"]  # Arabic joining forms and marks come from GSUB/GPOS
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(path, recalcTimestamp=False)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def stylesheet(faces: list[str]) -> str:
    rules = []
    for name in faces:
        regular, bold = SHIPPED[name]
        for weight, filename in (("normal", regular), ("bold", bold)):
            rules.append(
                f'@font-face {{ font-family: "{name}"; font-weight: {weight}; '
                f'font-style: normal; src: url("fonts/{filename}") format("truetype"); }}'
            )
    families = ", ".join(f'"{name}"' for name in faces)
    rules.append(f"body {{ font-family: {families}, serif; line-height: {BODY_LINE_HEIGHT}; }}")
    rules.append(
        f"h1, h2, h3, h4, h5, h6 {{ font-family: {families}, serif; "
        f"line-height: {HEADING_LINE_HEIGHT}; }}"
    )
    return (
        "/* pamflet: the faces this book carries (pamflet/epub/fonts.py) */\n"
        + "\n".join(rules)
        + "\n"
    )


def book_text(outdir: Path, extra: str = "") -> str:
    """Every character of the book's pages (and ``extra``: text the builder writes later,
    such as the navigation document's title)."""
    chars = set(extra)
    for page in sorted(outdir.rglob("*.xhtml")):
        chars.update(page.read_text(encoding="utf-8"))
    return "".join(sorted(chars))


def embed(outdir: Path, faces: list[str], extra: str = "") -> list[Path]:
    """Write the subset faces and the stylesheet into the book's ``_static/``; returns
    the files written (the builder's manifest lists everything under ``outdir``)."""
    static = outdir / "_static"
    (static / "fonts").mkdir(parents=True, exist_ok=True)
    text = book_text(outdir, extra)
    written = []
    for name in faces:
        for filename in SHIPPED[name]:
            target = static / "fonts" / filename
            target.write_bytes(subset(FONTS_DIR / filename, text))
            written.append(target)
    css = static / CSS_NAME
    css.write_text(stylesheet(faces), encoding="utf-8")
    return [*written, css]
