"""Which EPUBs of a build are out of date (issue 26): each book's key and its record.

A book is made from what is staged for it (its pages as Sphinx wrote them, the
static files, its images: ``books.stage``), its title, description and identifier,
the settings that reach its package files and cover (``epub_*``, the project's
names and dates, pamflet's settings other than the PDF's and the translators'),
its leaflets' metadata, its language's row of the language table, pamflet's own
files and the versions of the libraries that write it. ``dcterms:modified``
follows ``SOURCE_DATE_EPOCH`` (part of every key); without it, an unchanged book
keeps the date it was made on. The record is ``<outdir>/_keys/<book>.json``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..about import leaflet_metadata
from ..keys import Key, base_key, is_current, remember
from ..languages import language_settings
from ..settings import SETTINGS
from .books import Book

#: The libraries whose work is in the EPUB's bytes.
LIBRARIES = ("sphinx", "docutils", "jinja2", "pillow", "fonttools")
#: Sphinx settings that reach the package files (content.opf, toc.ncx, nav) or the cover.
SPHINX_SETTINGS = ("project", "author", "copyright", "version", "release", "language")
#: Where the records are, inside the EPUB builder's output folder.
KEYS_FOLDER = "_keys"


def book_settings(config: Any) -> dict[str, Any]:
    found = {}
    for item in config:
        name = item.name
        if (
            name.startswith("epub_")
            or name in SPHINX_SETTINGS
            or name in SETTINGS
            and SETTINGS[name].owner not in ("pdf", "translate")
            and name != "pamflet_leaflets"  # the book's own leaflets: book_key
        ):
            found[name] = item.value
    return found


def book_key(builder: Any, book: Book, folder: Path) -> str:
    """The key of ``book``, staged in ``folder``."""
    config = builder.config
    key = base_key("epub", *LIBRARIES).add("book", dataclasses.asdict(book))
    key.add("settings", book_settings(config))
    key.add("leaflets", {d: leaflet_metadata(config, d) for d in book.docnames})
    key.add("language", language_settings(config, config.epub_language))
    staged = Key("staged")
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            staged.add_file(path.relative_to(folder).as_posix(), path)
    return key.add("staged", staged.hexdigest()).hexdigest()


def _record(outdir: Path, book: Book) -> Path:
    return outdir / KEYS_FOLDER / f"{book.basename}.json"


def up_to_date(outdir: Path, book: Book, key: str) -> bool:
    return is_current(_record(outdir, book), "epub", key, [outdir / f"{book.basename}.epub"])


def made(outdir: Path, book: Book, key: str) -> None:
    epub = outdir / f"{book.basename}.epub"
    remember(_record(outdir, book), {"epub": (key, [epub])}, outdir / KEYS_FOLDER)
