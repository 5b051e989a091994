"""pamflet's ``epub`` builder: Sphinx's EPUB 3 builder, made valid, accessible and repeatable.

It replaces Sphinx's ``epub`` builder (same name, same settings) and adds:

- **EPUB Accessibility 1.1 metadata** in ``content.opf``: ``schema:accessMode``,
  ``accessModeSufficient``, ``accessibilityFeature``, ``accessibilityHazard``,
  ``accessibilitySummary`` (in the book's language) and ``dcterms:conformsTo``;
- **the book's direction**: ``dir`` on every XHTML page and the navigation
  document, and ``page-progression-direction`` on the spine, from the
  language's row in :func:`pamflet.languages.language_settings` (``rtl`` for Arabic);
- **the book's language everywhere**: ``lang``/``xml:lang`` on every XHTML page
  and on the navigation document, whose title comes from the catalogs
  (``Contents``: "Inhoudsopgave" in Dutch), and a translated footnote heading;
- **a cover** drawn from the book's title and the leaflet's subtitle in that
  language (Pillow and the Atkinson Hyperlegible font pamflet ships), unless
  ``epub_cover`` is set;
- **the faces of its language** that reading apps may lack (Noto Naskh Arabic for
  Arabic), subset to the book's characters, with a line height for the script
  (``fonts.py``);
- **one book per leaflet** (``books.py``): ``<leaflet>.epub`` holds that leaflet
  alone, with its own title, cover, metadata and accessibility summary; with
  ``pamflet_epub_collection`` the whole library is one book more;
- **a stable identifier per language and leaflet**: ``{language}`` and
  ``{docname}`` in ``epub_identifier`` are replaced by the build language and the
  book's document;
- **repeatable output**: with ``SOURCE_DATE_EPOCH`` set, two builds give the
  same bytes (zip timestamps, file order and permissions are fixed;
  ``dcterms:modified`` comes from it);
- the fixes epubcheck 5 asks for (``dtb:uid`` in ``toc.ncx``, no empty
  metadata).

The package templates are in ``pamflet/epub/templates/``; the cover page's
template in the ``pamflet-epub`` theme (``epub_theme = "pamflet-epub"``).
"""

from __future__ import annotations

import html
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from docutils import nodes
from sphinx.builders import _epub_base
from sphinx.builders.epub3 import Epub3Builder
from sphinx.locale import _
from sphinx.util import logging

from ..about import leaflet_metadata
from ..files import atomic_output
from ..languages import language_settings
from ..web.languages import text_direction
from . import fonts
from .books import BOOKS_FOLDER, Book, books, stage
from .cover import draw_cover
from .fonts import book_faces
from .incremental import book_key, made, up_to_date

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

COVER_IMAGE = "_images/pamflet-cover.png"
#: The conformance claim; the test suite runs axe-core (WCAG 2.2 AA) on the book's pages.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
HTML_TAG = (
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
    'lang="{lang}" xml:lang="{lang}" dir="{dir}">'
)


def _epoch_time() -> time.struct_time:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return time.gmtime(int(epoch)) if epoch else time.gmtime()


class PamfletEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with accessibility metadata, a cover and repeatable zips."""

    name = "epub"
    template_dir = Path(__file__).parent / "templates"
    #: the book being packaged (``handle_finish``)
    book: Book

    def init(self) -> None:
        super().init()
        self.guide_titles = {"toc": _("Contents"), "cover": _("Cover")}
        self.html_tag = HTML_TAG.format(
            lang=html.escape(self.config.epub_language), dir=self.direction()
        )
        # The faces of the book's language that apps may lack (Noto Naskh Arabic).
        self.faces = book_faces(language_settings(self.config, self.config.epub_language))
        if self.faces:
            self.add_css_file(fonts.CSS_NAME, priority=900)

    # -- metadata --------------------------------------------------------------------------

    def direction(self) -> str:
        """The book's direction, ``ltr`` or ``rtl``: its language's row in the language table."""
        return text_direction(self.config, self.config.epub_language)

    def identifier(self) -> str:
        return self.book.identifier

    def _has_images(self) -> tuple[bool, bool]:
        """(any image, every image has a text alternative) in the book's documents."""
        found, described = False, True
        for docname in self.book.docnames:
            for image in self.env.get_doctree(docname).findall(nodes.image):
                found = True
                described = described and bool(image.get("alt"))
        return found, described

    def accessibility_metadata(self) -> dict[str, Any]:
        images, described = self._has_images()
        images = images or bool(self.config.epub_cover)
        modes = ["textual", "visual"] if images else ["textual"]
        features = ["tableOfContents", "structuralNavigation", "readingOrder"]
        features.append("displayTransformability")
        if images and described:
            features.append("alternativeText")
        sufficient = ["textual"] if described else []
        if images:
            sufficient.append("textual,visual")
        return {
            "access_modes": modes,
            "access_modes_sufficient": sufficient,
            "accessibility_features": features,
            "accessibility_summary": html.escape(
                _(
                    "This e-book meets WCAG 2.2 level AA. It has a table of contents and "
                    "headings to find your way, the text can be resized, and images have a "
                    "text alternative. It has no sound, video or flashing content."
                )
            ),
            "conforms_to": CONFORMS_TO,
        }

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        metadata["id"] = html.escape(self.identifier())
        meta = leaflet_metadata(self.config, self.book.docname)
        published = meta.get("published") or meta.get("changed")  # a draft: changed
        metadata["published"] = published.isoformat() if published else metadata["date"]
        # dcterms:modified comes from SOURCE_DATE_EPOCH (repeatable), but a book is never
        # modified before it was published: then it is the publication day itself.
        if published and metadata["date"][:10] < published.isoformat():
            metadata["date"] = f"{published.isoformat()}T00:00:00Z"
        metadata.update(self.accessibility_metadata())
        # Sphinx derives it from epub_writing_mode alone ("horizontal": ltr).
        if self.config.epub_writing_mode == "horizontal":
            metadata["page_progression_direction"] = self.direction()
        return metadata

    def navigation_doc_metadata(self, navlist: list) -> dict[str, Any]:
        metadata = super().navigation_doc_metadata(navlist)
        metadata["dir"] = self.direction()
        return metadata

    def toc_metadata(self, level: int, navpoints: list) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["identifier"] = html.escape(self.identifier())
        metadata["lang"] = html.escape(self.config.epub_language)
        return metadata

    def make_id(self, name: str) -> str:
        """A manifest id, ``epub-N`` in the book's own order: Sphinx numbers them across
        the build, so a book's ids (and bytes) would depend on the books made before it."""
        found = self.id_cache.get(name)
        if not found:
            found = self.id_cache[name] = f"epub-{len(self.id_cache)}"
        return found

    # -- content ---------------------------------------------------------------------------

    def add_visible_links(self, tree: nodes.document, show_urls: str = "inline") -> None:
        super().add_visible_links(tree, show_urls)
        label = _("Footnotes")
        for rubric in list(tree.findall(nodes.rubric)):
            if rubric.astext() != _epub_base.FOOTNOTES_RUBRIC_NAME:
                continue
            # Sphinx adds the heading to every page, also to one without a web link
            following = rubric.parent[rubric.parent.index(rubric) + 1 :]
            if any(isinstance(node, nodes.footnote) for node in following):
                rubric[:] = [nodes.Text(label)]
            else:
                rubric.parent.remove(rubric)

    def toc_add_files(self, refnodes: list[dict[str, Any]]) -> None:
        """The book's root document first; a leaflet without toctrees lists its own
        sections below it (Sphinx lists only what toctrees name)."""
        super().toc_add_files(refnodes)
        docname = self.book.docname
        if self.env.toctree_includes.get(docname) or docname not in self.env.tocs:
            return
        at = next(i for i, node in enumerate(refnodes) if node["refuri"].startswith(docname))
        page = html.escape(docname + self.out_suffix)
        sections = []
        for ref in self.env.tocs[docname].findall(nodes.reference):
            level = sum(isinstance(a, nodes.bullet_list) for a in _ancestors(ref))
            anchor = ref.get("anchorname", "")
            if level > 1 and anchor:
                text = html.escape(ref.astext())
                sections.append({"level": level, "refuri": page + anchor, "text": text})
        refnodes[at + 1 : at + 1] = sections

    def _subtitle(self) -> str:
        docname = self.book.docname
        if docname not in self.env.found_docs:
            return ""
        for para in self.env.get_doctree(docname).findall(nodes.paragraph):
            if "subtitle" in para["classes"]:
                return para.astext()
        return ""

    def make_cover(self) -> None:
        """Draw the cover (when ``epub_cover`` is not set) and use it."""
        title = self.book.title
        self.globalcontext["pamflet_cover_alt"] = title
        self.globalcontext["pamflet_cover_title"] = title
        if self.config.epub_cover:
            return
        draw_cover(
            Path(self.outdir, COVER_IMAGE),
            title,
            self._subtitle(),
            self.config.pamflet_publisher or self.config.epub_publisher,
            fonts=language_settings(self.config, self.config.epub_language).fonts,
            direction=self.direction(),
        )
        # The cover is made now, after reading: the setting changes for this build only.
        self.config.epub_cover = (COVER_IMAGE, "epub-cover.html")

    def handle_finish(self) -> None:
        """Package each book (``books.py``) from its own folder: Sphinx's steps read
        ``outdir`` and the book's settings, so both are the book's while it is made."""
        original = self.outdir
        outdir = Path(original)
        found = books(self)
        names = {f"{book.basename}.epub" for book in found}
        for stale in outdir.glob("*.epub"):  # books of leaflets no longer listed
            if stale.name not in names:
                stale.unlink()
        config = self.config
        saved = {
            name: getattr(config, name)
            for name in (
                "root_doc",
                "epub_basename",
                "epub_title",
                "epub_description",
                "epub_cover",
            )
        }
        try:
            for book in found:
                self.book = book
                folder = outdir / BOOKS_FOLDER / book.basename
                stage(self, book, outdir, folder)
                config.root_doc = book.docname
                config.epub_basename = book.basename
                config.epub_title = book.title
                config.epub_description = book.description
                config.epub_cover = saved["epub_cover"]
                key = book_key(self, book, folder)
                if up_to_date(outdir, book, key):
                    logger.info("pamflet: %s.epub is up to date", book.basename)
                    continue
                self.outdir = folder
                self.refnodes, self.playorder, self.tocid = [], 0, 0
                self.id_cache = {}  # each book's manifest ids from epub-0 (make_id)
                self.make_cover()
                if self.faces:  # before the manifest is written: it lists the fonts
                    extra = "".join(str(title) for title in self.guide_titles.values())
                    fonts.embed(folder, self.faces, extra + str(book.title))
                super().handle_finish()  # content.opf, nav, toc.ncx, then build_epub
                made(outdir, book, key)
        finally:
            self.outdir = original
            for name, value in saved.items():
                setattr(config, name, value)

    def build_epub(self) -> None:
        """Zip the book: ``mimetype`` first and stored, then a fixed order, time and mode;
        the book goes beside the pages, ``<outdir>/<name>.epub``."""
        outname = self.config.epub_basename + ".epub"
        logger.info("writing %s file...", outname)
        stamp = max(tuple(_epoch_time())[:6], (1980, 1, 1, 0, 0, 0))
        names = ["mimetype", "META-INF/container.xml", "content.opf", "toc.ncx"]
        names += [name for name in dict.fromkeys(self.files) if name not in names]
        target = Path(self.outdir).parent.parent / outname  # from <outdir>/_books/<name>/
        with atomic_output(target) as tmp, ZipFile(tmp, "w") as book:
            for name in names:
                info = ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
                info.compress_type = ZIP_STORED if name == "mimetype" else ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                book.writestr(info, Path(self.outdir, name).read_bytes())


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node
