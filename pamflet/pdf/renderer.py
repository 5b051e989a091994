"""WeasyPrint rendering: a closed URL fetcher, shared fonts, caches and stylesheets.

This module imports WeasyPrint; the leaflet builder and the clinic imprints
import it only when they render, so html and epub builds never load it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

try:
    from ..patches.weasyprint import load

    load()  # quickly where it may (patches/weasyprint.py: fast-import)
    from weasyprint.urls import FatalURLFetchingError, URLFetcher
except OSError as exc:  # WeasyPrint could not load Pango, HarfBuzz or fontconfig
    from ..errors import fail

    raise fail(
        f"WeasyPrint cannot load its system libraries ({exc}): install Pango 1.44 or newer "
        "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
    ) from None

from ..files import atomic_output
from ..patches import applied
from ..patches import pydyf as pydyf_patches
from ..patches import weasyprint as weasyprint_patches
from ..patches.weasyprint import page_box, trimmed_fillers
from .formats import ASSETS_DIR


def patched():
    """The patches every layout and PDF of the renderer uses, for a ``with`` block:
    line breaks, image names, language tags and pydyf's compression, page references
    and serialising done once for what comes again (``patches/``; ``PAMFLET_PATCHES=0``: none)."""
    return applied(*weasyprint_patches.RENDERING, *pydyf_patches.RENDERING)


#: The page name a clinic batch gives every cover page (see :meth:`Renderer.batch_stylesheets`).
BATCH_COVER_PAGE = "pamflet-batch-cover"

_FIRST_PAGE = re.compile(r"@page\s*:first\b")


def as_batch_css(text: str) -> str:
    """CSS for a document that holds many leaflets' covers one after the other.

    ``@page :first`` matches only the first page of a document; in a batch each
    clinic's cover is the first page of its own leaflet, so those rules are given
    to a named page that every cover page gets instead.
    """
    return _FIRST_PAGE.sub(f"@page {BATCH_COVER_PAGE}", text)


class RefusedURL(FatalURLFetchingError):
    """A document asked for something outside the project."""

    def __init__(self, url: str, document: str) -> None:
        super().__init__(
            f"{document}: refused to fetch {url!r}: the PDF renderer only reads files "
            "inside the project (source, theme and build folders)"
        )
        self.url = url
        self.document = document


class ProjectURLFetcher(URLFetcher):
    """Serves ``file:`` URLs inside the allowed folders and ``data:`` URLs; refuses all else.

    WeasyPrint's default fetcher reads http(s), ftp and any ``file:`` URL, so a
    document (or a translation, or a clinic file) could make the renderer
    fetch from the network or embed any readable file.
    """

    def __init__(self, roots: list[Path], document: str = "document") -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.set_roots(roots)
        self.document = document

    def set_roots(self, roots: list[Path]) -> None:
        """The folders this fetcher may read (resolved: a symlink cannot lead out)."""
        self.roots = [Path(os.path.realpath(r)) for r in roots]

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(os.path.realpath(unquote(parts.path)))
        return any(path.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers=None):
        if not self.allowed(url):
            raise RefusedURL(url, self.document)
        return super().fetch(url, headers)


class Renderer:
    """WeasyPrint with pamflet's print stylesheets, parsed once and shared.

    One font configuration, one image cache, one closed URL fetcher and one
    parsed stylesheet per format serve every document of a build (and every
    clinic variant of a batch).
    """

    def __init__(
        self, roots: list[Path], extra_css: list[Path] | None = None, workdir: Path | None = None
    ) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.workdir = workdir  # where atomic_output keeps its temporaries
        self.font_config = FontConfiguration()
        self.fetcher = ProjectURLFetcher([*roots, ASSETS_DIR])
        self.cache: dict = {}
        self._css = CSS
        self.base_css = [
            CSS(
                filename=ASSETS_DIR / "css" / "leaflet.css",
                font_config=self.font_config,
                url_fetcher=self.fetcher,
            )
        ]
        for extra in extra_css or []:
            self.base_css.append(
                CSS(filename=extra, font_config=self.font_config, url_fetcher=self.fetcher)
            )
        self._format_css: dict[str, object] = {}
        self.extra_css = list(extra_css or [])
        self._batch_css: dict[str, list] = {}

    def stylesheets(self, fmt) -> list:
        if fmt.name not in self._format_css:
            self._format_css[fmt.name] = self._css(
                filename=fmt.stylesheet, font_config=self.font_config, url_fetcher=self.fetcher
            )
        return [*self.base_css, self._format_css[fmt.name]]

    def render(self, markup: str, base_url: Path, fmt, document: str):
        """Lay out ``markup`` in format ``fmt``; ``document`` names it in errors."""
        return self._render(markup, base_url, fmt, document, self.stylesheets(fmt))

    def _render(self, markup: str, base_url: Path, fmt, document: str, stylesheets: list):
        from weasyprint import HTML

        self.fetcher.document = document
        with patched():
            laid_out = HTML(
                string=markup, base_url=str(base_url), url_fetcher=self.fetcher
            ).render(
                stylesheets=stylesheets,
                font_config=self.font_config,
                cache=self.cache,
                **fmt.options,
            )
        # <link rel=attachment> and <a rel=attachment> would embed files in the PDF:
        # a leaflet embeds nothing, even from inside the project.
        laid_out.metadata.attachments = []
        for page in laid_out.pages:
            page.links = [link for link in page.links if link[0] != "attachment"]
        return laid_out

    def render_padded(
        self, markup: str, base_url: Path, fmt, document: str
    ) -> tuple[Any, int | None]:
        """:meth:`render` of ``markup`` made with ``fmt.pad_to - 1`` filler pages: the
        document with only the fillers it needs, and how many that is (None: the
        layout was not as expected, or WeasyPrint cannot be asked for it here
        (``patches/weasyprint.py``: fillers-in-one-layout, then the document is None
        too); lay out again with a count of your own)."""
        with trimmed_fillers(fmt.pad_to) as request:
            if request is None:
                return None, None
            laid_out = self.render(markup, base_url, fmt, document)
        return laid_out, request["kept"]

    def batch_stylesheets(self, fmt) -> list:
        """:meth:`stylesheets` for a clinic batch: ``@page :first`` rules hold for every cover."""
        cache = self._batch_css
        if fmt.name not in cache:
            sheets = []
            paths = [ASSETS_DIR / "css" / "leaflet.css", *self.extra_css, fmt.stylesheet]
            for number, path in enumerate(paths):
                text = as_batch_css(Path(path).read_text(encoding="utf-8"))
                if number == 0:
                    text += f"\nsection.cover {{ page: {BATCH_COVER_PAGE}; }}\n"
                sheets.append(
                    self._css(
                        string=text,
                        base_url=str(path),
                        font_config=self.font_config,
                        url_fetcher=self.fetcher,
                    )
                )
            cache[fmt.name] = sheets
        return cache[fmt.name]

    def render_batch(self, markup: str, base_url: Path, fmt, document: str):
        """:meth:`render` with :meth:`batch_stylesheets`."""
        return self._render(markup, base_url, fmt, document, self.batch_stylesheets(fmt))

    def write(self, document, target: Path, fmt) -> None:
        """Write a laid-out document atomically."""
        with atomic_output(target, self.workdir) as tmp, patched():
            document.write_pdf(tmp, **fmt.options)

    def pdf_bytes(self, document, fmt) -> bytes:
        """A laid-out document as PDF bytes."""
        with patched():
            return document.write_pdf(**fmt.options)


_shared: dict[tuple, Renderer] = {}


def shared_renderer(
    roots: list[Path], extra_css: list[Path] | None = None, workdir: Path | None = None
) -> Renderer:
    """A :class:`Renderer` kept for the life of the process (a render process that
    loaded it before the build asked, the watcher's rebuilds): its font configuration
    (with Pango's caches warm) and parsed stylesheets serve the next build with
    unchanged stylesheet files; the folders it may read are set on each call. The
    image cache starts empty on each call: an image may have changed under the same URL.
    """
    sheets = [ASSETS_DIR / "css" / "leaflet.css", *(extra_css or [])]
    sheets += sorted((ASSETS_DIR / "css" / "formats").glob("*.css"))
    stamps = []
    for sheet in sheets:
        try:
            info = Path(sheet).stat()
        except OSError:
            stamps.append((str(sheet), None))
        else:
            stamps.append((str(sheet), info.st_mtime_ns, info.st_size))
    key = (tuple(map(str, extra_css or [])), tuple(stamps))
    renderer = _shared.get(key)
    if renderer is None:
        _shared.clear()  # one at a time: a changed stylesheet replaces it
        renderer = _shared[key] = Renderer(roots, extra_css, workdir)
    renderer.fetcher.set_roots([*roots, ASSETS_DIR])
    renderer.workdir = workdir
    renderer.cache = {}
    return renderer


def warm_up(renderer: Renderer, language: str, waiting: Any = None) -> None:
    """Load what laying out ``language`` needs before the leaflet comes (the render
    process does this while Sphinx reads, after importing the press): the print
    template, the hyphenation dictionary, then, unless ``waiting()`` says that the
    leaflet is already there, a few lines laid out and written with the print
    stylesheets (the fonts, WeasyPrint's lazy parts)."""
    import pyphen

    from ..languages import language_settings
    from .formats import FORMATS
    from .printhtml import load_template

    load_template()  # compiled once
    if pyphen.language_fallback(language):
        pyphen.Pyphen(lang=language)  # parsed once (pyphen keeps it); Dutch: 0.15-0.25 s
    if waiting is not None and waiting():
        return  # the leaflet's own layout loads the rest: no time for a rehearsal
    settings = language_settings(None, language)
    rtl = settings.direction == "rtl"
    sample = "مرحبا بكم " if rtl else ""
    markup = (
        f'<html lang="{language}"{" dir=rtl" if rtl else ""}><head><style>'
        f"html {{ font-family: {settings.css_fonts}, sans-serif; }}</style></head><body>"
        f'<section class="cover"><h1 class="cover-title">{sample}Aa</h1></section>'
        f'<div class="content"><h2>{sample}Aa</h2><p>{sample}Information '
        "<strong>Aa</strong> <em>Aa</em> 0123456789</p>"
        # a word too long for its line: WeasyPrint hyphenates
        '<p style="width: 12mm">Informationinformation</p>'
        "</div></body></html>"
    )
    fmt = FORMATS["a5"]
    document = renderer.render(markup, ASSETS_DIR / "warm-up.html", fmt, "warm-up")
    renderer.pdf_bytes(document, fmt)


#: Print shops need raster images at this resolution or more, at their printed size.
MIN_PRINT_DPI = 300


def low_resolution_images(document: Any, minimum: float = MIN_PRINT_DPI):
    """(page number, image URL, dpi) of raster images printed below ``minimum`` dpi.

    Walks WeasyPrint's laid-out boxes (``patches/weasyprint.py``: page-boxes; the
    only place where an image's printed size is known).
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.images import RasterImage

    for number, page in enumerate(document.pages, start=1):
        for box in page_box(page).descendants():
            if isinstance(box, boxes.ReplacedBox) and isinstance(box.replacement, RasterImage):
                inches = box.width / 96
                dpi = box.replacement.width / inches if inches else float("inf")
                if dpi < minimum:
                    src = box.element.get("src", "?") if box.element is not None else "?"
                    yield number, src, dpi
