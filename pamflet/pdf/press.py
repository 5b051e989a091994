"""Render, impose, save: the one path from a leaflet's print context to its PDFs.

The leaflet builder runs it for every leaflet of a build; clinic imprints use
its imposition step for their booklets. Each format's HTML is written beside
the print context (for clinic variants), laid out once, checked (300 dpi for
print formats) and written atomically; imposed formats (the booklet) are made
from the PDF of the format they take their pages from.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.util import logging

from ..errors import fail
from ..files import atomic_output
from ..patches.weasyprint import NOMARKS, page_backgrounds
from ..patches.weasyprint import repaint_as as repaint_with_bleed
from . import impose, printhtml
from .formats import Format, render_order
from .incremental import RENDER_RESULTS, intermediate
from .renderer import MIN_PRINT_DPI, RefusedURL, Renderer, low_resolution_images

logger = logging.getLogger(__name__)


@dataclass
class Written:
    """One PDF a press run wrote."""

    fmt: Format
    path: Path
    pages: int
    seconds: float


@dataclass
class Press:
    """Lays out and writes the formats of leaflets with one shared :class:`Renderer`."""

    renderer: Renderer
    print_dir: Path  # print HTML, print contexts, PDFs of formats not asked for
    workdir: Path  # temporaries of atomic writes
    written: list[Written] = field(default_factory=list)
    _laid_out: list[Format] = field(default_factory=list)
    _hints: dict[str, int] = field(default_factory=dict)

    def run(
        self,
        context: dict[str, Any],
        formats: list[Format],
        target: Callable[[Format], Path],
        source: str,
        only: list[str] | None = None,
    ) -> dict[str, Path]:
        """Every format of one leaflet (``only``: those named, and their sources; the
        others are up to date, see ``incremental.py``); ``target(fmt)`` names its PDF.
        Saves the context (with page counts and the PDFs made) for clinic variants."""
        docname = context["docname"]
        rendered: dict[str, Path] = {}
        laid_out: dict[str, Any] = {}  # for formats painted from another one's layout
        saved = self.print_dir / f"{docname}.json"
        previous = previous_context(saved)
        self._hints = previous_fillers(previous)
        order = render_order(formats)
        if only is not None:
            need = set(only) | {f.impose_from for f in formats if f.name in only}
            order = [fmt for fmt in order if fmt.name in need]
        for fmt in order:
            started = time.perf_counter()
            html_path = self.print_dir / f"{docname}.{fmt.name}.html"
            html_path.parent.mkdir(parents=True, exist_ok=True)
            wanted = fmt in formats
            path = target(fmt) if wanted else intermediate(self.print_dir, docname, fmt)
            try:
                source_doc = laid_out.pop(fmt.paint_from, None) if fmt.paint_from else None
                if source_doc is not None:
                    document = repaint_as(*source_doc, fmt)
                    self._write_markup(context, fmt, html_path)
                else:
                    document = self._layout(context, fmt, html_path, source)
                if any(other.paint_from == fmt.name for other in order) and NOMARKS.usable():
                    laid_out[fmt.name] = (document, page_backgrounds(document))
                if fmt.for_print:
                    warn_low_resolution(document, fmt, source)
                if fmt.bleed_mm:
                    raw = self.workdir / f"{docname}-{fmt.name}.raw.pdf"
                    self.renderer.write(document, raw, fmt)
                    with atomic_output(path, self.workdir) as tmp:
                        set_print_boxes(raw, tmp, fmt)
                    raw.unlink()
                else:
                    self.renderer.write(document, path, fmt)
            except RefusedURL as exc:
                raise fail(str(exc)) from None
            rendered[fmt.name] = path
            context["pages"][fmt.name] = len(document.pages)
            if wanted:
                self._done(fmt, path, started, len(document.pages))
        for fmt in formats:
            if fmt.impose_from and (only is None or fmt.name in only):
                started = time.perf_counter()
                path = target(fmt)
                rtl = context.get("dir") == "rtl"
                sheets = impose_to(rendered[fmt.impose_from], path, self.workdir, rtl=rtl)
                self._done(fmt, path, started, sheets // 2)
        # For clinic variants: the context, and where the base PDFs are; a format that
        # was up to date keeps what the last build found for it.
        context["rendered"] = {name: str(p) for name, p in rendered.items()}
        for part in RENDER_RESULTS:
            if isinstance(previous.get(part), dict):
                for name, value in previous[part].items():
                    context.setdefault(part, {}).setdefault(name, value)
        printhtml.save_context(context, saved)
        return rendered

    def _layout(self, context: dict[str, Any], fmt: Format, html_path: Path, source: str) -> Any:
        """Lay out one format; a format with ``pad_to`` gets "Notes" pages before its
        back page, so that the back page stays last. The count is known only after
        layout. It starts from a count known before (formats of one page size need
        the same; a rebuild usually needs as many as the last build, in its print
        context: a guess below ``pad_to`` that gives a whole number of sheets is the
        only such count, so the PDF is the same as from 0), else from one layout
        with the most fillers, trimmed (:meth:`Renderer.render_padded`). If neither
        works out, fillers are added after each layout until the count is whole.
        """
        fillers = context.setdefault("fillers", {})
        same_size = [
            fillers[other.name]
            for other in self._laid_out
            if other.name in fillers and other.page_size == fmt.page_size
        ]
        hint = self._hints.get(fmt.name, 0)
        hint = hint if 0 < hint < fmt.pad_to and not same_size else 0
        fillers[fmt.name] = same_size[0] if same_size else hint
        self._laid_out.append(fmt)
        if fmt.pad_to > 1 and not same_size and not hint:
            # No count to start from: one layout with the most fillers, trimmed.
            fillers[fmt.name] = fmt.pad_to - 1
            markup = printhtml.render(context, fmt.name)
            document, kept = self.renderer.render_padded(markup, html_path, fmt, source)
            if kept is not None:
                fillers[fmt.name] = kept
                html_path.write_text(printhtml.render(context, fmt.name), encoding="utf-8")
                return document
            fillers[fmt.name] = 0  # not as expected: count as before
        while True:
            markup = printhtml.render(context, fmt.name)
            document = self.renderer.render(markup, html_path, fmt, source)
            missing = (-len(document.pages)) % fmt.pad_to
            if not missing or fillers[fmt.name] >= 2 * fmt.pad_to:
                break
            if hint:  # the last build's count is wrong now: count from 0 as usual
                fillers[fmt.name] = hint = 0
                continue
            fillers[fmt.name] += missing
        html_path.write_text(markup, encoding="utf-8")
        return document

    def _write_markup(self, context: dict[str, Any], fmt: Format, html_path: Path) -> None:
        """The print HTML of a format that was not laid out (clinic variants read it)."""
        fillers = context.setdefault("fillers", {})
        fillers[fmt.name] = fillers[fmt.paint_from]
        self._laid_out.append(fmt)
        html_path.write_text(printhtml.render(context, fmt.name), encoding="utf-8")

    def _done(self, fmt: Format, path: Path, started: float, pages: int) -> None:
        written = Written(fmt, path, pages, time.perf_counter() - started)
        self.written.append(written)
        logger.info("pamflet: wrote %s (%d pages, %.1f s)", path.name, pages, written.seconds)


def run_jobs(
    *,
    srcdir: str,
    roots: list[Path],
    extra_css: list[Path],
    workdir: Path,
    print_dir: Path,
    formats: list[str],
    leaflets: list[tuple[dict[str, Any], dict[str, str], str, list[str] | None]],
) -> None:
    """Every format of every leaflet of a build: ``leaflets`` is a list of (print
    context, {format: PDF path}, source file, the formats out of date or None). The
    leaflet builder runs this in its render process (renderproc.py), or itself."""
    from .environment import check_environment, weasyprint_logging
    from .formats import resolve_formats
    from .renderer import shared_renderer

    with weasyprint_logging(srcdir):
        check_environment()
        press = Press(shared_renderer(roots, extra_css, workdir=workdir), print_dir, workdir)
        print_dir.mkdir(parents=True, exist_ok=True)
        wanted = resolve_formats(formats)
        for context, targets, source, only in leaflets:
            press.run(
                context,
                wanted,
                lambda fmt, targets=targets: Path(targets[fmt.name]),
                source,
                only,
            )


def repaint_as(document: Any, backgrounds: list[Any], fmt: Format) -> Any:
    """``document`` (laid out in ``fmt.paint_from``, ``backgrounds`` saved before it was
    painted) with the page bleed and marks of ``fmt``, for painting: the two stylesheets
    differ only in ``@page { bleed; marks }``, which place nothing on the page
    (``patches/weasyprint.py``: nomarks-from-print). ``fmt`` has no crop marks."""
    assert not fmt.slug_mm, "only formats without crop marks are painted from another"
    return repaint_with_bleed(document, backgrounds, fmt.bleed_mm)


def previous_context(path: Path) -> dict[str, Any]:
    """The print context the last build saved ({} when there is none)."""
    try:
        found = printhtml.load_context(path)
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def previous_fillers(previous: dict[str, Any]) -> dict[str, int]:
    """The filler pages each format got in the last build (its saved print context)."""
    found = previous.get("fillers", {})
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(v, int) and not isinstance(v, bool)}


def impose_to(
    source: Path, target: Path, workdir: Path | None = None, *, rtl: bool = False
) -> int:
    """The booklet of ``source`` written atomically to ``target``; returns its page count.
    ``rtl``: spine on the right (the print context's ``dir``)."""
    with atomic_output(target, workdir) as tmp, tmp.open("wb") as stream:
        return impose.impose_booklet(source, stream, rtl=rtl)


MM = 72 / 25.4  # PDF points per millimetre


def print_boxes(pdf: Any, fmt: Format) -> None:
    """Set each page's BleedBox to ``fmt.bleed_mm`` around its TrimBox (pikepdf ``Pdf``).

    WeasyPrint makes the MediaBox the CSS bleed (here the bleed plus the slug with
    the crop marks) and puts the BleedBox at most 10 pt past the trim. Clinic
    variants that swap pages into a print PDF should run this on the result too.
    """
    import pikepdf

    bleed = fmt.bleed_mm * MM
    for page in pdf.pages:
        left, bottom, right, top = (float(v) for v in page.obj.TrimBox)
        page.obj.BleedBox = pikepdf.Array(
            [round(v, 4) for v in (left - bleed, bottom - bleed, right + bleed, top + bleed)]
        )


def set_print_boxes(source: Path, target: Path, fmt: Format) -> None:
    """Copy ``source`` to ``target`` with the print boxes of ``fmt`` (see print_boxes)."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        print_boxes(pdf, fmt)
        pdf.save(target, deterministic_id=True)


def warn_low_resolution(document: Any, fmt: Format, source: str) -> None:
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
