"""The download block of a leaflet page: its PDFs and EPUB, copied into the site.

They come from the folder that ``pamflet build`` writes them to (the build's
``pdf/<lang>/`` and ``epub/``), so the website is built after them.
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from ..files import atomic_output, remove_stale_temporaries
from ..i18n import date_locale
from ..layout import Layout
from ..project import epub_basename, leaflets, pdf_filename
from ..settings import language_of, setting_value
from .languages import WEBSITE_BUILDERS

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Where the downloads go inside each language's site.
DOWNLOADS_FOLDER = "downloads"


@dataclass(frozen=True)
class Download:
    kind: str  # a PDF format name, or "epub"
    source: Path
    name: str  # file name inside downloads/

    @property
    def media_type(self) -> str:
        return "application/epub+zip" if self.kind == "epub" else "application/pdf"


#: The order of the download block, and what each item is for.
DOWNLOAD_TEXTS: dict[str, tuple[str, str]] = {
    "a4": ("A4", "To read on screen, or to print on A4 paper."),
    "a4-large": (
        "Large print",
        "A4, the text in large letters (16 point or larger), for people with low vision.",
    ),
    "a5": ("A5", "Smaller pages, to print on A5 paper."),
    "booklet": (
        "Booklet",
        "Print on A4, double-sided (flip on the short edge), and fold in the middle.",
    ),
    "a5-print": ("For a print shop", "A5 with 3 mm bleed and crop marks."),
    "epub": ("E-book", "For e-readers and reading apps."),
}


def downloads_root(app: Sphinx) -> Path | None:
    """The build folder that holds ``pdf/<lang>/`` and ``epub/``."""
    root = setting_value(app.config, "pamflet_downloads_dir", outdir=app.outdir)
    return None if root is None else Path(app.confdir, root)


def find_downloads(app: Sphinx) -> dict[str, list[Download]]:
    """For each leaflet: its PDFs and its EPUB in the build language, where built."""
    config = app.config
    root = downloads_root(app)
    if root is None:
        return {}
    language = language_of(config)
    layout = Layout(root)
    formats = len(config.pamflet_formats)
    found: dict[str, list[Download]] = {}
    for docname in leaflets(config):
        items: list[Download] = []
        for kind in DOWNLOAD_TEXTS:
            if kind == "epub":  # the leaflet's own book
                source = layout.epub(epub_basename(config, docname), language)
            else:  # a PDF format
                name = pdf_filename(config.pamflet_pdf_filename, docname, kind, formats)
                source = layout.pdf(language) / name
            if source.is_file():
                base = docname.replace("/", "-")
                suffix = "" if kind == "epub" else f"-{kind}"
                items.append(Download(kind, source, f"{base}-{language}{suffix}{source.suffix}"))
        if items:
            found[docname] = items
    if not found:
        logger.info(
            "pamflet: no PDFs or EPUB in %s yet, so the leaflet pages have no download "
            "block (`pamflet build` makes them before the website)",
            root,
        )
    return found


def format_size(size: int, language: str | None, date_locales: dict[str, str]) -> str:
    """A file size for readers: "54 kB", "1,2 MB" (decimal units, the reader's locale)."""
    from babel.numbers import format_decimal

    locale = date_locale(language, date_locales)
    if size < 1_000_000:
        return format_decimal(max(1, round(size / 1000)), locale=locale) + " kB"
    return format_decimal(round(size / 1_000_000, 1), format="#,##0.0", locale=locale) + " MB"


class leaflet_downloads(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """The download block of a leaflet page (website only)."""


def insert_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name not in WEBSITE_BUILDERS:
        return
    items = getattr(app.builder, "pamflet_downloads", {}).get(docname)
    if not items:
        return
    config = app.config
    target = app.builder.get_target_uri(docname)
    rows = []
    for item in items:
        label, note = DOWNLOAD_TEXTS[item.kind]
        size = format_size(
            item.source.stat().st_size, config.language, config.pamflet_date_locales
        )
        kind = "EPUB" if item.kind == "epub" else "PDF"
        rows.append(
            {
                "href": relative_uri(target, f"{DOWNLOADS_FOLDER}/{item.name}"),
                "type": item.media_type,
                "label": _(label),
                "meta": _("%(kind)s, %(size)s") % {"kind": kind, "size": size},
                "note": _(note),
            }
        )
    node = leaflet_downloads(rows=rows, title=_("Download this leaflet"))
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        doctree.append(node)
        return
    for index, child in enumerate(top.children):
        if isinstance(child, nodes.section):
            top.insert(index, node)
            return
    top.append(node)


def visit_downloads(self: Any, node: leaflet_downloads) -> None:
    esc = html.escape
    parts = [
        '<section class="pamflet-downloads" aria-labelledby="pamflet-downloads-title">',
        f'<h2 id="pamflet-downloads-title">{esc(node["title"])}</h2>',
        "<ul>",
    ]
    for row in node["rows"]:
        parts.append(
            f'<li><a href="{esc(row["href"])}" type="{row["type"]}">{esc(row["label"])}'
            f' <span class="pamflet-download-meta">({esc(row["meta"])})</span></a>'
            f'<span class="pamflet-download-note">{esc(row["note"])}</span></li>'
        )
    parts += ["</ul>", "</section>"]
    self.body.append("\n".join(parts) + "\n")
    raise nodes.SkipNode


def copy_downloads(app: Sphinx) -> list[Path]:
    """Copy the downloads into ``<outdir>/downloads/`` (atomically) and drop stale ones."""
    folder = Path(app.outdir, DOWNLOADS_FOLDER)
    wanted = {
        item.name: item for items in app.builder.pamflet_downloads.values() for item in items
    }
    written: list[Path] = []
    if wanted:
        folder.mkdir(parents=True, exist_ok=True)
    # The temporaries go in the doctree cache, never into the website.
    work = Path(app.doctreedir, ".tmp")
    remove_stale_temporaries(work)  # what a killed build left
    for name, item in sorted(wanted.items()):
        target = folder / name
        with atomic_output(target, work) as tmp:
            shutil.copyfile(item.source, tmp)
        written.append(target)
    if folder.is_dir():
        for stale in folder.iterdir():
            if stale.name not in wanted:
                stale.unlink()
    return written
