"""What pamflet changes in WeasyPrint, and the private names of it that pamflet reads.

=========================  =================================================================
patch                      what it does
=========================  =================================================================
``fast-import``            imports WeasyPrint's library bindings without ``find_library``
``fillers-in-one-layout``  lays out "Notes" pages once, with WeasyPrint's own re-making
``line-breaks``            breaks a line once for the same text, width and style (lines.py)
``image-names``            names a raster image after its bytes, not its path
``paint-once``             paints shared pages and SVG images once for many PDFs (paint.py)
``nomarks-from-print``     paints the no-marks print file from the print file's layout
``lang-tags``              tags an element in another language with ``/Lang`` (tags.py)
``page-boxes`` (internal)  reads ``Page._page_box``: printed image sizes, batch pages
=========================  =================================================================

Each was verified on WeasyPrint 70.0. Each but ``lang-tags`` gives the same PDF as
WeasyPrint alone (``tests/pdf/test_speed_paths.py``, ``tests/pdf/test_plain_path.py``);
``lang-tags`` adds what WeasyPrint leaves out of the tags, and changes no page. WeasyPrint is
imported only inside the functions: importing this module changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import sys
from collections.abc import Iterator
from typing import Any

from . import Contract, Patch, replacing
from .tags import LANG_TAGS

VERIFIED = ("70.0",)


# -- fast-import --------------------------------------------------------------------------------


def _not_found(name: str) -> None:
    return None


def _fast_import() -> Any:
    import ctypes.util

    return replacing((ctypes.util, "find_library", _not_found))


FAST_IMPORT = Patch(
    name="weasyprint.fast-import",
    replaces=("ctypes.util.find_library (while weasyprint.text.ffi is imported)",),
    why=(
        "WeasyPrint loads Pango, HarfBuzz and fontconfig with cffi, trying several names "
        "per library; for each name that does not load as it is, ctypes.util.find_library "
        "runs ldconfig, gcc and ld: about 20 lookups, 0.3-0.4 s of every import (0.9 -> "
        "0.55 s), paid by every render process, clinic batch and watcher. Answering 'not "
        "found' at once makes WeasyPrint go on to the names that load as they are "
        "(libpango-1.0.so.0): the same libraries."
    ),
    verified=VERIFIED,
    purpose="the quick import",
    contract=(Contract("ctypes.util.find_library", "(name)"),),
    do=_fast_import,
)


def load() -> None:
    """Import WeasyPrint's library bindings (``weasyprint.text.ffi``) once, quickly where
    :data:`FAST_IMPORT` may be used. If the quick way fails (a system where only the
    lookup finds the libraries), WeasyPrint is imported again the normal way, with its
    own error message if it still fails (an ``OSError``)."""
    if "weasyprint.text.ffi" in sys.modules:
        return
    with FAST_IMPORT.applied() as quick:
        if quick:
            try:
                # WeasyPrint prints an installation hint to stdout before it fails: not yet.
                with contextlib.redirect_stdout(io.StringIO()):
                    import weasyprint.text.ffi  # noqa: F401
            except OSError:  # again below, with the lookup, from a clean start
                for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
                    del sys.modules[name]
    import weasyprint.text.ffi  # noqa: F401, F811


# -- fillers-in-one-layout ---------------------------------------------------------------------
#
# A format with ``pad_to`` (a5, the print files) gets "Notes" pages before the back
# page, so that it has a multiple of 4 pages. The count is known only after layout.
# WeasyPrint lays out the leaflet with the most fillers it can need (``pad_to - 1``);
# the replacement of ``make_all_pages`` then takes out the fillers that are not needed
# and lets WeasyPrint make again only the pages from the first filler on (its own
# mechanism for pages whose content changed). The running footers ("page 3 of 20")
# are made after pagination, with the final count.

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
        # Make the pages again from the one before the first filler: that page decides
        # the next page's name (the back page's `page: back-cover`), kept in its state.
        for state in context.page_maker[max(first - 1, 0) :]:
            state[-1]["content_changed"] = True
        pages = list(page_module.make_all_pages(context, root_box, html, pages))
        if len(pages) != without + wanted:
            return pages  # not as expected: the caller lays out again
    request["kept"] = wanted
    return pages


def _fillers() -> Any:
    import weasyprint.layout as layout_module

    return replacing((layout_module, "make_all_pages", _make_all_pages))


FILLERS = Patch(
    name="weasyprint.fillers-in-one-layout",
    replaces=("weasyprint.layout.make_all_pages",),
    why=(
        "A format with 'Notes' pages (a multiple of 4 pages) is laid out once with the "
        "most fillers it can need; the fillers not needed are taken out and WeasyPrint "
        "makes again only the pages from the first filler on, instead of up to four "
        "whole layouts to find the count (the same bytes as a layout with the right "
        "count, tests/pdf/test_speed_paths.py)."
    ),
    verified=VERIFIED,
    purpose="the one-layout Notes pages",
    contract=(
        Contract("weasyprint.layout.make_all_pages", "(context, root_box, html, pages)"),
        Contract("weasyprint.layout.page.make_all_pages", "(context, root_box, html, pages)"),
        Contract("weasyprint.layout.initialize_page_maker", "(context, root_box)"),
    ),
    do=_fillers,
)


@contextlib.contextmanager
def trimmed_fillers(pad_to: int) -> Iterator[dict[str, Any] | None]:
    """Within the block, the next layout keeps only the fillers it needs to reach a
    multiple of ``pad_to`` pages; the request's ``kept`` says how many (None: the layout
    was not as expected). Yields None where :data:`FILLERS` cannot be used."""
    with FILLERS.applied() as usable:
        if not usable:
            yield None
            return
        request: dict[str, Any] = {"pad_to": pad_to, "kept": None}
        _trim_request["request"] = request
        try:
            yield request
        finally:
            _trim_request.pop("request", None)


# -- line-breaks -------------------------------------------------------------------------------

_line_breaks: list[Any] = []  # the one LineBreaks of this process, kept across installs


def line_breaks() -> Any:
    """This process's :class:`~.lines.LineBreaks` (its answers live as long as it does)."""
    if not _line_breaks:
        from weasyprint.layout import inline

        from .lines import LineBreaks

        _line_breaks.append(LineBreaks(inline.split_first_line))
    return _line_breaks[0]


def _install_line_breaks() -> Any:
    from weasyprint.layout import inline, preferred

    lines = line_breaks()
    return replacing((inline, "split_first_line", lines), (preferred, "split_first_line", lines))


_SPLIT = (
    "(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False)"
)

LINE_BREAKS = Patch(
    name="weasyprint.line-breaks",
    replaces=(
        "weasyprint.layout.inline.split_first_line",
        "weasyprint.layout.preferred.split_first_line",
    ),
    why=(
        "A line broken before (same text, width and the values of the style properties "
        "the line breaking read) is not broken again: the print layout breaks the same "
        "lines as the a5 one (927 of 929 calls for nl), every clinic's back page shares "
        "its text, a rebuild in the watcher shares all but the changed paragraphs."
    ),
    verified=VERIFIED,
    purpose="the line-break reuse",
    contract=(
        Contract("weasyprint.layout.inline.split_first_line", _SPLIT),
        Contract("weasyprint.layout.preferred.split_first_line", _SPLIT),
    ),
    do=_install_line_breaks,
)


# -- image-names -------------------------------------------------------------------------------


def _install_image_names() -> Any:
    import weasyprint.document as document
    from weasyprint.images import RasterImage

    original = document.original_get_image_from_uri

    def get_image_from_uri(
        cache: dict,
        url_fetcher: Any,
        options: dict,
        url: str,
        forced_mime_type: str | None = None,
        context: Any = None,
        orientation: Any = "from-image",
    ) -> Any:
        known = url in cache  # loaded (and named) before: WeasyPrint returns the same
        image = original(cache, url_fetcher, options, url, forced_mime_type, context, orientation)
        if not known and isinstance(image, RasterImage) and url.startswith("file:"):
            digest = hashlib.md5(image.image_data.data, usedforsecurity=False)
            digest.update(repr(orientation).encode())
            image.id = digest.hexdigest()
        return image

    return replacing((document, "original_get_image_from_uri", get_image_from_uri))


IMAGE_NAMES = Patch(
    name="weasyprint.image-names",
    replaces=("weasyprint.document.original_get_image_from_uri",),
    why=(
        "WeasyPrint names a raster image in the PDF after the MD5 of its URL, which holds "
        "the absolute path of the project: a project with a PNG built in another folder "
        "(a CI clone, -o other-build) wrote other bytes. Named after its bytes and "
        "orientation, the PDF is the same wherever the project lies; the same bytes in "
        "the same orientation are the same picture, drawn from one object."
    ),
    verified=VERIFIED,
    purpose="reproducible image names",
    contract=(
        Contract(
            "weasyprint.document.original_get_image_from_uri",
            "(cache, url_fetcher, options, url, forced_mime_type=None, context=None, "
            "orientation='from-image')",
        ),
        Contract("weasyprint.images.RasterImage.__init__", attributes=("id", "image_data")),
    ),
    do=_install_image_names,
)


# -- paint-once --------------------------------------------------------------------------------

PAINT_ONCE = Patch(
    name="weasyprint.paint-once",
    replaces=(
        "weasyprint.document.Page.paint (on the pages of a PaintCache.applied block)",
        "weasyprint.images.SVGImage.draw (on the images of a PaintCache.images block)",
        "weasyprint.draw.SVGImage (the crop marks, within PaintCache.images)",
    ),
    why=(
        "Clinic variants: the pages between cover and back page are painted once per "
        "worker and replayed for every clinic (a tagged reader variant 0.35 -> 0.18 s); "
        "SVG images and crop marks drawn again at the same size and place replay their "
        "first drawing (writing a clinic's two print pages 51-57 -> 38-46 ms). The "
        "replay relies on WeasyPrint's Stream state (paint.py)."
    ),
    verified=VERIFIED,
    purpose="painting shared pages once",
    contract=(
        Contract("weasyprint.document.Page.paint", "(self, stream, scale=1)"),
        Contract(
            "weasyprint.images.SVGImage.draw",
            "(self, stream, concrete_width, concrete_height, _style)",
        ),
        Contract(
            "weasyprint.draw.SVGImage.__init__", "(self, tree, base_url, url_fetcher, context)"
        ),
        Contract("weasyprint.pdf.stream.Stream.clone", "(self, **kwargs)"),
        Contract("weasyprint.pdf.stream.Stream.add_font", "(self, pango_font)"),
        Contract(
            "weasyprint.pdf.stream.Stream.__init__",
            attributes=(
                "_resources",
                "_images",
                "_tags",
                "_ctm_stack",
                "_current_color",
                "_current_alpha",
                "_current_font",
                "_old_font",
            ),
        ),
    ),
)


# -- nomarks-from-print and page-boxes ----------------------------------------------------------

PAGE_BOXES = Patch(
    name="weasyprint.page-boxes",
    replaces=("weasyprint.document.Page._page_box (read)",),
    why=(
        "The laid-out boxes are the only place where an image's printed size (the 300 dpi "
        "check of the print formats), a page's named page type (splitting a clinic "
        "batch into each clinic's pages) and where a clinic's parts lie (stamping) are "
        "known; WeasyPrint has no public way."
    ),
    verified=VERIFIED,
    purpose="printed image sizes, batch pages and stamps",
    contract=(
        Contract(
            "weasyprint.document.Page.__init__",
            signature="(self, page_box)",
            attributes=("_page_box",),
        ),
        Contract("weasyprint.formatting_structure.boxes.ParentBox.copy_with_children"),
    ),
    kind="internal",
)


def page_box(page: Any) -> Any:
    """A laid-out page's page box (:data:`PAGE_BOXES`)."""
    return PAGE_BOXES.require(getattr(page, "_page_box", None), "Page._page_box")


def page_showing(page: Any, shown: list[Any]) -> Any:
    """A copy of a laid-out ``page`` that paints only the boxes ``shown`` (with the boxes
    that hold them): its page box is rebuilt without the rest (``ParentBox.copy_with_children``)
    and made a page as WeasyPrint makes one (``Page(page_box)``, :data:`PAGE_BOXES`)."""
    from weasyprint.document import Page

    keep = {id(box) for box in shown}

    def kept(box: Any) -> Any:
        if id(box) in keep:
            return box
        children = [k for k in map(kept, getattr(box, "children", ())) if k is not None]
        return box.copy_with_children(children) if children else None

    return Page(kept(page_box(page)))


NOMARKS = Patch(
    name="weasyprint.nomarks-from-print",
    replaces=("the bleed, marks and background of weasyprint.document.Page._page_box",),
    why=(
        "a5-print and a5-print-nomarks differ only in @page { bleed; marks }, which place "
        "nothing on the page: changing them on the laid-out page boxes gives the same PDF, "
        "byte for byte, as a layout of its own (tested), in a millisecond instead of a "
        "second."
    ),
    verified=VERIFIED,
    purpose="the no-marks file from the print layout",
    contract=(Contract("weasyprint.document.Page.__init__", attributes=("_page_box", "bleed")),),
)


def page_backgrounds(document: Any) -> list[Any]:
    """The page boxes' backgrounds as laid out, before painting: WeasyPrint paints the
    crop marks by adding a layer to the page background (see :func:`repaint_as`)."""
    saved = []
    for page in document.pages:
        background = page_box(page).background
        saved.append(
            None if background is None else background._replace(layers=[*background.layers])
        )
    return saved


def repaint_as(document: Any, backgrounds: list[Any], bleed_mm: float) -> Any:
    """``document`` (laid out in a print format, ``backgrounds`` saved by
    :func:`page_backgrounds` before it was painted) with a page bleed of ``bleed_mm``
    and no crop marks, for painting; it is changed in place and returned."""
    from weasyprint.css.properties import Dimension

    document.fonts.clear()  # as a new document: filled again while painting
    bleed = Dimension(bleed_mm * 96 / 25.4, "px")
    for page, background in zip(document.pages, backgrounds, strict=True):
        box = page_box(page)
        for side in ("top", "right", "bottom", "left"):
            box.style[f"bleed_{side}"] = bleed
        box.style["marks"] = ()
        page.bleed = box.bleed
        box.background = background
        if box.background is not None:  # the page background covers the bleed area
            layers = [
                layer._replace(painting_area=box.bleed_area) for layer in box.background.layers
            ]
            box.background = box.background._replace(layers=layers)
    return document


#: What every layout and PDF of the renderer uses (``pdf/renderer.py``), with pydyf's.
RENDERING = (LINE_BREAKS, IMAGE_NAMES, LANG_TAGS)
