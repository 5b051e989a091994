"""The ``leaflet`` builder: print HTML with pamflet's own stylesheet, then WeasyPrint.

It is a small subclass of Sphinx's HTML builder, the way ``dirhtml`` and
``singlehtml`` are: it writes only the leaflet documents, with the ``basic``
theme's machinery but none of the website theme's CSS (a large screen theme
makes WeasyPrint about ten times slower), and renders each leaflet in every
configured format. Output: ``OUT/<docname>.pdf`` (one format) or
``OUT/<docname>-<format>.pdf`` (several).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging as stdlib_logging
import os
import re
import time
from pathlib import Path
from typing import Any

import segno
from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from . import impose, printhtml
from .about import about_fields, leaflet_metadata
from .errors import fail
from .formats import FORMATS, Format, render_order, resolve_formats
from .i18n import gettext
from .render import RefusedURL, Renderer, atomic_output, remove_stale_temporaries

logger = logging.getLogger(__name__)

#: Sections with these classes leave the flow and go on the back page, in this order.
#: The back page also gets the leaflet's facts (version, dates, number of sources),
#: taken out of the "about" section, which otherwise stays in the flow.
BACK_PAGE_CLASSES = ("help",)


class _ToSphinx(stdlib_logging.Handler):
    """Forward WeasyPrint's warnings (missing image, font, bad CSS) to Sphinx.

    They then count as build warnings, so ``-W`` fails on them; WeasyPrint's
    progress messages are dropped.
    """

    def __init__(self, document: str) -> None:
        super().__init__(level=stdlib_logging.WARNING)
        self.document = document

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        logger.warning(
            "%s: WeasyPrint: %s",
            self.document,
            record.getMessage(),
            type="pamflet",
            subtype="weasyprint",
        )


@contextlib.contextmanager
def weasyprint_logging(document: str):
    wp = stdlib_logging.getLogger("weasyprint")
    handler = _ToSphinx(document)
    saved = wp.handlers[:], wp.propagate, wp.level
    wp.handlers[:] = [handler]
    wp.propagate = False
    wp.setLevel(stdlib_logging.WARNING)
    fonttools = stdlib_logging.getLogger("fontTools")
    fonttools_level = fonttools.level
    fonttools.setLevel(stdlib_logging.ERROR)
    try:
        yield
    finally:
        wp.handlers[:], wp.propagate = saved[0], saved[1]
        wp.setLevel(saved[2])
        fonttools.setLevel(fonttools_level)


MIN_PANGO = (1, 44)


def pango_problem(version: int) -> str | None:
    """What to do when Pango (``pango_version()``: 14402 for 1.44.2) is too old."""
    found = (version // 10000, version // 100 % 100)
    if found < MIN_PANGO:
        return (
            f"Pango {found[0]}.{found[1]} is too old: WeasyPrint needs Pango "
            f"{MIN_PANGO[0]}.{MIN_PANGO[1]} or newer (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0)"
        )
    return None


def _damaged_font(data: bytes) -> bool:
    """Not a whole TrueType/OpenType file: WeasyPrint would drop the face with a
    warning and print in a fallback font. Checks the table directory."""
    if data[:4] in (b"wOFF", b"wOF2"):
        return len(data) < 44
    if len(data) < 12 or data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return True
    tables = int.from_bytes(data[4:6], "big")
    if not tables or 12 + 16 * tables > len(data):
        return True
    for entry in range(12, 12 + 16 * tables, 16):
        offset = int.from_bytes(data[entry + 8 : entry + 12], "big")
        length = int.from_bytes(data[entry + 12 : entry + 16], "big")
        if offset + length > len(data):
            return True
    return False


def check_environment(print_dir: Path | None = None) -> None:
    """Pango new enough, pamflet's fonts present: else one line that says what to do."""
    from weasyprint.text.ffi import pango

    from .render import PRINT_DIR

    print_dir = print_dir or PRINT_DIR
    problem = pango_problem(pango.pango_version())
    if problem:
        raise fail(problem)
    css = (print_dir / "css" / "leaflet.css").read_text(encoding="utf-8")
    for name in re.findall(r"url\(\.\./fonts/([^)]+)\)", css):
        font = print_dir / "fonts" / name
        try:
            ok = not _damaged_font(font.read_bytes())
        except OSError as exc:
            raise fail(
                f"{font}: cannot read the font file ({exc.strerror}): reinstall "
                "pamflet, or restore the file with `git checkout pamflet/print/fonts`"
            ) from None
        if not ok:
            raise fail(
                f"{font}: the font file is empty or damaged: reinstall pamflet, or "
                "restore the file with `git checkout pamflet/print/fonts`"
            )


#: Print shops need raster images at this resolution or more, at their printed size.
MIN_PRINT_DPI = 300


def low_resolution_images(document: Any, minimum: float = MIN_PRINT_DPI):
    """(page number, image URL, dpi) of raster images printed below ``minimum`` dpi.

    Walks WeasyPrint's laid-out boxes (``Page._page_box`` is not public API, but
    it is the only place where an image's printed size is known).
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.images import RasterImage

    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.ReplacedBox) and isinstance(box.replacement, RasterImage):
                inches = box.width / 96
                dpi = box.replacement.width / inches if inches else float("inf")
                if dpi < minimum:
                    src = box.element.get("src", "?") if box.element is not None else "?"
                    yield number, src, dpi


class LeafletBuilder(StandaloneHTMLBuilder):
    """Builds one PDF per leaflet document and format."""

    name = "leaflet"
    format = "html"
    epilog = __("The PDF leaflets are in %(outdir)s.")

    copysource = False
    allow_parallel = False
    add_permalinks = False
    search = False
    use_index = False
    # Remote images stay URLs, so that the closed fetcher refuses them: Sphinx would
    # otherwise download them during the build.
    supported_remote_images = True

    def init(self) -> None:
        super().init()
        self.formats: list[Format] = resolve_formats(list(self.config.pamflet_formats))
        print_dir = self.config.pamflet_print_dir
        self.print_dir = Path(print_dir) if print_dir else Path(self.outdir, "_print")
        self._images_dir = self.print_dir / "_images"
        # Temporaries live in the print folder (build/.work/...), never beside the PDFs:
        # a killed build leaves them there, and the next build removes them.
        self.tmp_dir = self.print_dir / ".tmp"
        remove_stale_temporaries(self.tmp_dir)
        remove_stale_temporaries(Path(self.outdir))  # left there by older versions
        self.pages: dict[str, dict[str, Any]] = {}
        self.timings: list[tuple[str, str, float, int]] = []
        self.written: list[Path] = []

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        return "basic", {}

    # -- which documents -------------------------------------------------------------------

    def leaflet_docnames(self) -> list[str]:
        names = list(self.config.pamflet_leaflets) or [self.config.root_doc]
        missing = [d for d in names if d not in self.env.found_docs]
        if missing:
            raise fail(
                f"{self.confdir / 'conf.py'}: pamflet_leaflets: no such document: "
                + ", ".join(f"{d!r} (expected {self.srcdir / d}.rst)" for d in missing)
            )
        return names

    def get_outdated_docs(self) -> list[str]:
        # A PDF depends on the whole document, the print CSS and the format list:
        # rendering is cheap next to finding out exactly what changed.
        return self.leaflet_docnames()

    def copy_assets(self) -> None:
        # The print HTML uses pamflet's stylesheets in place; there are no
        # website assets (theme CSS, JavaScript, search) to copy.
        pass

    def write_documents(self, docnames: Any) -> None:
        self._write_serial(self.leaflet_docnames())

    def pdf_filename(self, docname: str, fmt: Format) -> str:
        pattern = self.config.pamflet_pdf_filename or (
            "{docname}.pdf" if len(self.formats) == 1 else "{docname}-{format}.pdf"
        )
        return pattern.format(docname=docname, format=fmt.name)

    # -- print HTML ------------------------------------------------------------------------

    def _render_nodes(self, doctree: nodes.document, children: list[nodes.Node]) -> str:
        part = doctree.copy()
        part.extend(children)
        visitor = self.create_translator(part, self)
        part.walkabout(visitor)
        return "".join(visitor.fragment)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        doctree.settings = self.docsettings
        self.secnumbers = self.env.toc_secnumbers.get(docname, {})
        self.fignumbers = self.env.toc_fignumbers.get(docname, {})
        self.imgpath = relative_uri(self.get_target_uri(docname), "_images")
        self.dlpath = relative_uri(self.get_target_uri(docname), "_downloads")
        self.current_docname = docname

        about = about_fields(self.config, docname, doctree)
        top = next(iter(doctree.findall(nodes.section)), None)
        title = subtitle = ""
        if top is not None and isinstance(top[0], nodes.title):
            title = top[0].astext()
            top.remove(top[0])
        for para in list(doctree.findall(nodes.paragraph)):
            if "subtitle" in para["classes"]:
                subtitle = para.astext()
                para.parent.remove(para)
                break
        facts_title = ""
        for flist in list(doctree.findall(nodes.field_list)):
            if "leaflet-about" in flist["classes"]:
                section = flist.parent
                if isinstance(section, nodes.section) and isinstance(section[0], nodes.title):
                    facts_title = section[0].astext()
                flist.parent.remove(flist)
        back_sections = []
        for cls in BACK_PAGE_CLASSES:
            for section in list(doctree.findall(nodes.section)):
                if cls in section["classes"]:
                    section.parent.remove(section)
                    back_sections.append(section)
        if not title:
            title = self.env.titles[docname].astext() if docname in self.env.titles else docname

        body = self._render_nodes(doctree, list(doctree.children))
        back = (
            self._render_nodes(doctree, [nodes.section("", *back_sections)])
            if back_sections
            else ""
        )
        self.pages[docname] = {
            "title": title,
            "subtitle": subtitle,
            "body": body,
            "back": back,
            "about": about,
            "facts_title": facts_title or gettext(self.config.language, "About this leaflet"),
        }

    # -- rendering -------------------------------------------------------------------------

    def online_url(self, docname: str) -> str:
        pattern = self.config.pamflet_online_url
        if pattern:
            return pattern.format(docname=docname, language=self.config.language or "en")
        if self.config.html_baseurl:
            return self.config.html_baseurl.rstrip("/") + "/" + docname + ".html"
        return ""

    def _dates(self, docname: str) -> tuple[str | None, str | None]:
        """ISO creation and modification dates: leaflet metadata, else SOURCE_DATE_EPOCH."""
        meta = leaflet_metadata(self.config, docname)
        created = meta.get("published")
        modified = meta.get("reviewed") or created
        if created:
            return f"{created.isoformat()}T00:00:00Z", f"{modified.isoformat()}T00:00:00Z"
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            return stamp, stamp
        return None, None

    def print_context(self, docname: str) -> dict[str, Any]:
        """Everything the print template needs, as plain (JSON) data."""
        page = self.pages[docname]
        language = self.config.language or "en"
        meta = leaflet_metadata(self.config, docname)
        url = self.online_url(docname)
        created, modified = self._dates(docname)
        return {
            "docname": docname,
            "lang": language,
            "title": page["title"],
            "short_title": meta.get("short_title") or page["title"],
            "subtitle": page["subtitle"],
            "body": page["body"],
            "back": page["back"],
            "about": page["about"],
            "facts_title": page["facts_title"],
            "publisher": self.config.pamflet_publisher,
            "publisher_url": self.config.pamflet_publisher_url,
            "online_url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=0) if url else "",
            "created": created,
            "modified": modified,
            "pages": {},
        }

    def finish(self) -> None:
        self.copy_image_files()
        with weasyprint_logging(str(self.srcdir)):
            self.render_all()

    def render_all(self) -> None:
        check_environment()
        roots = [self.srcdir, self.confdir, self.print_dir, Path(self.outdir)]
        extra = [Path(self.confdir, css) for css in self.config.pamflet_print_css]
        renderer = Renderer(roots, extra, workdir=self.tmp_dir)
        self.print_dir.mkdir(parents=True, exist_ok=True)
        for docname in self.leaflet_docnames():
            context = self.print_context(docname)
            source = str(self.env.doc2path(docname))
            rendered: dict[str, Path] = {}
            for fmt in render_order(self.formats):
                started = time.perf_counter()
                markup = printhtml.render(context, fmt.name)
                html_path = self.print_dir / f"{docname}.{fmt.name}.html"
                html_path.parent.mkdir(parents=True, exist_ok=True)
                html_path.write_text(markup, encoding="utf-8")
                wanted = fmt in self.formats
                target = (
                    Path(self.outdir, self.pdf_filename(docname, fmt))
                    if wanted
                    else self.print_dir / f"{docname}-{fmt.name}.pdf"
                )
                try:
                    document = renderer.render(markup, html_path, fmt, source)
                    if fmt.for_print:
                        for number, src, dpi in low_resolution_images(document):
                            logger.warning(
                                "%s: image %s is printed at %d dpi on page %d of the %s "
                                "format; print shops need %d dpi or more",
                                source,
                                src.rsplit("/", 1)[-1],
                                dpi,
                                number,
                                fmt.name,
                                MIN_PRINT_DPI,
                                type="pamflet",
                                subtype="image_resolution",
                            )
                    renderer.write(document, target, fmt)
                except RefusedURL as exc:
                    raise fail(str(exc)) from None
                rendered[fmt.name] = target
                context["pages"][fmt.name] = len(document.pages)
                if wanted:
                    self._done(docname, fmt, target, started, len(document.pages))
            for fmt in self.formats:
                if fmt.impose_from:
                    started = time.perf_counter()
                    target = Path(self.outdir, self.pdf_filename(docname, fmt))
                    with atomic_output(target, self.tmp_dir) as tmp, tmp.open("wb") as stream:
                        sheets = impose.impose_booklet(rendered[fmt.impose_from], stream)
                    self._done(docname, fmt, target, started, sheets // 2)
            # For clinic variants: the context, and where the base PDFs are.
            context["rendered"] = {name: str(path) for name, path in rendered.items()}
            printhtml.save_context(context, self.print_dir / f"{docname}.json")

    def _done(self, docname: str, fmt: Format, target: Path, started: float, pages: int) -> None:
        seconds = time.perf_counter() - started
        self.timings.append((docname, fmt.name, seconds, pages))
        self.written.append(target)
        logger.info(
            "pamflet: wrote %s (%d pages, %.1f s)",
            target.relative_to(self.outdir) if target.is_relative_to(self.outdir) else target,
            pages,
            seconds,
        )


__all__ = ["FORMATS", "LeafletBuilder"]
