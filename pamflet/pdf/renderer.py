"""WeasyPrint rendering: a closed URL fetcher, shared fonts, caches and stylesheets.

This module imports WeasyPrint; the leaflet builder and the clinic imprints
import it only when they render, so html and epub builds never load it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

try:
    from .weasy import load

    load()  # quickly (see weasy.py)
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    from .reuse import install

    install()  # line breaks, compression: done once for what comes again (reuse.py)
    from .images import name_images_by_content

    name_images_by_content()  # the same PDF bytes wherever the project lies
except OSError as exc:  # WeasyPrint could not load Pango, HarfBuzz or fontconfig
    from ..errors import fail

    raise fail(
        f"WeasyPrint cannot load its system libraries ({exc}): install Pango 1.44 or newer "
        "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
    ) from None

from ..files import atomic_output
from .formats import ASSETS_DIR

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


# -- "Notes" pages in one layout ---------------------------------------------------------------
#
# A format with ``pad_to`` (a5, the print files) gets "Notes" pages before the back
# page, so that it has a multiple of 4 pages. The count is known only after layout.
# WeasyPrint lays out the leaflet with the most fillers it can need (``pad_to - 1``);
# :func:`_make_all_pages` then takes out the fillers that are not needed and lets
# WeasyPrint make again only the pages from the first filler on (its own mechanism for
# pages whose content changed). The running footers ("page 3 of 20") are made after
# pagination, with the final count. The pages are those of a layout with the right
# number of fillers from the start, byte for byte (tests/pdf/test_speed_paths.py).

_trim_request: dict[str, Any] = {}


def _filler_boxes(root_box: Any) -> tuple[Any, list[Any]]:
    """The box that holds the filler sections, and their boxes, in order."""
    for parent in (root_box, *getattr(root_box, "children", ())):
        found = [
            child
            for child in getattr(parent, "children", ())
            if child.element is not None
            and child.element_tag == "section"
            and "filler" in (child.element.get("class") or "").split()
        ]
        if found:
            return parent, found
    return None, []


def _page_of(pages: list[Any], element: Any) -> list[int]:
    return [
        number
        for number, page in enumerate(pages)
        if any(box.element is element for box in page.descendants())
    ]


def _make_all_pages(context, root_box, html, pages):
    from weasyprint.layout import page as page_module

    pages = list(page_module.make_all_pages(context, root_box, html, pages))
    request = _trim_request.pop("request", None)
    if request is None:
        return pages
    parent, fillers = _filler_boxes(root_box)
    if not fillers:
        return pages
    # Each filler must be exactly one page, one after the other, and the back page last.
    placed = [_page_of(pages, filler.element) for filler in fillers]
    first = placed[0][0] if placed[0] else -1
    if (
        placed != [[first + i] for i in range(len(fillers))]
        or first + len(fillers) != len(pages) - 1
    ):
        return pages
    without = len(pages) - len(fillers)
    wanted = (-without) % request["pad_to"]
    drop = len(fillers) - wanted
    if drop:
        dropped = {id(box) for box in fillers[:drop]}
        parent.children = [child for child in parent.children if id(child) not in dropped]
        for state in context.page_maker[first:]:  # make the pages from there again
            state[-1]["content_changed"] = True
        pages = list(page_module.make_all_pages(context, root_box, html, pages))
        if len(pages) != without + wanted:
            return pages  # not as expected: the caller lays out again
    request["kept"] = wanted
    return pages


def _install_trim() -> None:
    import weasyprint.layout as layout_module

    if layout_module.make_all_pages is not _make_all_pages:
        layout_module.make_all_pages = _make_all_pages


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
        laid_out = HTML(string=markup, base_url=str(base_url), url_fetcher=self.fetcher).render(
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
        layout was not as expected; lay out again with a count of your own)."""
        _install_trim()
        request = {"pad_to": fmt.pad_to, "kept": None}
        _trim_request["request"] = request
        try:
            laid_out = self.render(markup, base_url, fmt, document)
        finally:
            _trim_request.pop("request", None)
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
        with atomic_output(target, self.workdir) as tmp:
            document.write_pdf(tmp, **fmt.options)


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

    from ..project import language_settings
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
    document.write_pdf(**fmt.options)


# -- painting pages and images once ----------------------------------------------------------

_ALPHA = re.compile(r"[aA][0-9.]+")

#: The graphics state WeasyPrint's stream keeps to leave out an operator that would
#: set what is already set (a colour, an opacity, a font).
_STATE = (
    "_current_color",
    "_current_color_stroke",
    "_current_alpha",
    "_current_alpha_stroke",
    "_current_font",
    "_current_font_size",
    "_old_font",
    "_old_font_size",
)


def _entry(stream: Any) -> tuple:
    """What the operators a drawing adds to ``stream`` depend on, besides the drawing:
    the graphics state as the stream keeps it, its last operator when the stream would
    merge with it ('q' then 'Q' cancel out, 'ET' then 'BT' join), and the
    transformation matrix with the depth of its stack."""
    last = stream.stream[-1] if stream.stream else None
    return (
        tuple(getattr(stream, name) for name in _STATE),
        last if isinstance(last, bytes) and last in (b"q", b"ET") else None,
        tuple(map(tuple, stream.ctm)),
        len(stream._ctm_stack),
    )


class _Recorded:
    """What drawing something did to a PDF content stream, to do it again.

    The drawing is done on a scratch stream that starts in the same state (see
    :func:`_entry`) with no fonts and no resources, so the record holds everything the
    drawing uses: the operators, the fonts with every glyph drawn (widths, text), the
    opacity states (named by their value), the marked-content tags and the state it
    leaves. A drawing that adds anything named by a count (a group, an image, a
    pattern, a state) or draws a glyph its font lacks is not recorded (``ok`` is
    False): it is drawn each time.

    ``tags``: "replay" records the marked-content tags the drawing adds (a page of a
    tagged PDF), "none" refuses a drawing that adds any (an image).
    """

    def __init__(self, draw: Any, stream: Any, tags: str = "replay") -> None:
        import pydyf

        self.entry = _entry(stream)
        fonts: list[tuple[Any, Any]] = []
        resources = pydyf.Dictionary(
            {
                "ExtGState": pydyf.Dictionary(),
                "XObject": pydyf.Dictionary(),
                "Pattern": pydyf.Dictionary(),
                "Shading": pydyf.Dictionary(),
                "ColorSpace": stream._resources["ColorSpace"],
            }
        )
        before = None if stream._tags is None else dict(stream._tags)
        scratch = stream.clone(fonts={}, resources=resources, images={}, tags=before)
        scratch._ctm_stack = list(stream._ctm_stack)
        for name in _STATE:
            setattr(scratch, name, getattr(stream, name))
        merged = self.entry[1]  # the operator a 'Q' or a 'BT' would merge with
        if merged is not None:
            scratch.stream.append(merged)
        add_font = scratch.add_font

        def recording_add_font(pango_font):
            font, size = add_font(pango_font)
            if all(font is not known for _, known in fonts):
                fonts.append((pango_font, font))
            return font, size

        scratch.add_font = recording_add_font
        draw(scratch)
        kept = merged is None or (scratch.stream[:1] == [merged])
        self.ok = (
            kept
            and len(scratch._ctm_stack) == len(stream._ctm_stack)
            and not scratch._images
            and not any(resources[name] for name in ("XObject", "Pattern", "Shading"))
            and all(_ALPHA.fullmatch(key) for key in resources["ExtGState"])
            and not any(font.missing for _, font in fonts)
            and (tags == "replay" or scratch._tags == before)
        )
        self.operators = list(scratch.stream[0 if merged is None else 1 :])
        self.exit = {name: getattr(scratch, name) for name in _STATE}
        self.ctm = scratch._ctm_stack[-1]
        self.fonts = [
            (pango_font, font.hash, dict(font.widths), dict(font.to_unicode))
            for pango_font, font in fonts
        ]
        self.states = [(key, dict(value)) for key, value in resources["ExtGState"].items()]
        self.tags_before = None
        self.tags_after = None
        if tags == "replay" and stream._tags is not None:
            self.tags_before = list(stream._tags.items())
            self.tags_after = [(k, dict(v)) for k, v in scratch._tags.items()]

    def replay(self, stream: Any) -> bool:
        """Do to ``stream`` what the drawing did; False if it cannot be done."""
        import pydyf

        if not self.ok or _entry(stream) != self.entry:
            return False
        before = None if stream._tags is None else list(stream._tags.items())
        if self.tags_before is not None and before != self.tags_before:
            return False
        for pango_font, name, widths, to_unicode in self.fonts:
            font, _ = stream.add_font(pango_font)
            if font.hash != name:
                raise AssertionError("a recorded font came back under another name")
            for glyph, width in widths.items():
                font.widths.setdefault(glyph, width)
            for glyph, text in to_unicode.items():
                font.to_unicode.setdefault(glyph, text)
        states = stream._resources["ExtGState"]
        for key, value in self.states:
            if key not in states:
                states[key] = pydyf.Dictionary(value)
        stream.stream.extend(self.operators)
        for name, value in self.exit.items():
            setattr(stream, name, value)
        stream._ctm_stack[-1] = self.ctm
        if self.tags_after is not None:
            for box, tag in self.tags_after[len(before) :]:
                stream._tags[box] = dict(tag)
        return True


class PaintCache:
    """Paints each page of a laid-out document, and each SVG image, once for many PDFs.

    Clinic variants of a tagged reader PDF share every page but the cover and the
    back page, and WeasyPrint paints every page of every PDF it writes (most of the
    time of writing one). Within :meth:`applied`, the given pages replay what their
    first painting did. Within :meth:`images`, an SVG image (the leaflet's QR code,
    a clinic's logo) drawn again at the same size and place replays its first drawing:
    WeasyPrint draws an SVG from its parsed tree every time, a third of writing a
    clinic's cover and back page. The PDFs are the same bytes
    (tests/pdf/test_imprint.py).
    """

    def __init__(self) -> None:
        self._records: dict[tuple, tuple[Any, _Recorded]] = {}
        self._marks_made: dict[tuple, Any] = {}  # crop marks SVG -> its image
        #: drawings done again from a record (not counting the recording itself)
        self.replayed = 0

    @contextlib.contextmanager
    def applied(self, pages: list[Any]):
        for page in pages:
            page.paint = functools.partial(self._paint, page)
        try:
            yield
        finally:
            for page in pages:
                page.__dict__.pop("paint", None)

    def _paint(self, page: Any, stream: Any, scale: float = 1) -> None:
        self._replay_or_draw(
            (id(page), scale), page, stream, lambda on: type(page).paint(page, on, scale)
        )

    @contextlib.contextmanager
    def images(self, cache: dict):
        """SVG images of WeasyPrint's image ``cache`` replay their drawing meanwhile, and
        so do the crop marks of a print file (see :meth:`_marks`)."""
        import weasyprint.draw
        from weasyprint.images import SVGImage

        found = [image for image in cache.values() if isinstance(image, SVGImage)]
        for image in found:
            image.draw = functools.partial(self._draw, image)
        made = weasyprint.draw.SVGImage
        weasyprint.draw.SVGImage = self._marks
        try:
            yield
        finally:
            weasyprint.draw.SVGImage = made
            for image in found:
                image.__dict__.pop("draw", None)

    def _marks(self, tree: Any, base_url: Any, url_fetcher: Any, context: Any) -> Any:
        """``weasyprint.draw``'s ``SVGImage``, which it calls only for the crop marks: it
        writes them as an SVG, parses it and draws it on every page of a print file
        (a tenth of writing a clinic's two print pages). One image per distinct SVG,
        whose drawing is replayed like any other SVG image's."""
        from xml.etree import ElementTree

        from weasyprint.images import SVGImage

        key = (ElementTree.tostring(tree), base_url, url_fetcher, context)
        if key not in self._marks_made:
            image = SVGImage(tree, base_url, url_fetcher, context)
            image.draw = functools.partial(self._draw, image)
            self._marks_made[key] = image
        return self._marks_made[key]

    def _draw(self, image: Any, stream: Any, width: float, height: float, style: Any) -> None:
        self._replay_or_draw(
            (id(image), width, height, _entry(stream)),
            image,
            stream,
            lambda on: type(image).draw(image, on, width, height, style),
            tags="none",
        )

    def _replay_or_draw(
        self, key: tuple, owner: Any, stream: Any, draw: Any, tags: str = "replay"
    ) -> None:
        """Replay the record under ``key`` on ``stream`` (made by drawing once on a
        scratch stream), or draw on ``stream`` when it cannot be replayed. ``owner``
        (the page or image) is kept alive with its record: ``key`` holds its id."""
        fresh = key not in self._records
        if fresh:
            self._records[key] = (owner, _Recorded(draw, stream, tags))
        if self._records[key][1].replay(stream):
            self.replayed += not fresh
        else:
            draw(stream)


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
