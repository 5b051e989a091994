"""Clinic imprints: every clinic its own leaflets, without touching the text.

A clinic describes itself once, in ``clinics/<id>.toml``. For each leaflet,
language and format, pamflet writes
``build/pdf/clinics/<id>/<lang>/<leaflet>-<format>.pdf`` with the clinic's
logo on the cover and its contact block on the back page.

A clinic variant differs from the plain leaflet in two pages, so the work per
clinic is small:

- the leaflet is laid out once per language and format (the build's print
  context and PDFs are reused);
- untagged print formats are stamped (:mod:`stamp`): the clinic's logo, name and
  imprint are laid out alone and drawn onto pages laid out once; a clinic whose
  parts do not fit, and ``pamflet imprint --whole-layout``, get the whole layout
  of the cover and back page, swapped into the base PDF with pikepdf;
- tagged reader formats are assembled from WeasyPrint's laid-out pages
  (``Document.copy``), so the structure tree and language are written for the
  whole document as usual; the pages between cover and back page are painted
  once per worker and replayed for every clinic (``patches/paint.py``); the
  booklet is imposed from the clinic's A5 variant;
- a batch spreads the clinics over the machine's cores, and each worker lays
  out many clinics in one WeasyPrint document (:meth:`Imprinter.prepare`), then
  splits it into each clinic's pages: the PDFs are the same bytes either way.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import atomic_output, same_bytes
from ..keys import is_current, remember
from . import incremental
from .clinic import Clinic
from .formats import FORMATS, Format
from .press import impose_to, print_boxes
from .printhtml import load_context, render

#: A clinic's mini document (cover and back page): what a batch shares, and its sections.
_MINI = re.compile(
    r'(?P<head>.*?<body[^>]*>)(?P<before>.*?)(?P<sections><section class="cover".*)'
    r"(?P<tail></body>.*)",
    re.S,
)


@dataclass
class Base:
    """One leaflet in one language and format, laid out once for a whole batch."""

    context: dict[str, Any]
    fmt: Format
    html_path: Path
    pdf_path: Path
    document: Any = None  # WeasyPrint Document, for tagged formats
    pdf_bytes: bytes = b""  # the base PDF, for untagged formats


class Imprinter:
    """Renders clinic variants against bases it lays out at most once each."""

    def __init__(
        self,
        print_root: Path,
        staging_root: Path,
        roots: list[Path],
        naive: bool = False,
        whole_layout: bool = False,
    ) -> None:
        from ..patches.paint import PaintCache
        from ..patches.weasyprint import PAINT_ONCE
        from .renderer import Renderer
        from .stamp import Stamper

        #: lay out the whole leaflet for every clinic (for comparison in benchmarks)
        self.naive = naive
        #: print formats: stamp the clinic's parts onto pages laid out once (stamp.py),
        #: unless ``whole_layout`` (the cover and back page laid out for each clinic)
        self.stamper = None if naive or whole_layout else Stamper(self)
        self.way = incremental.way_of(naive, whole_layout)
        #: what a clinic's variants could not do as asked (a block too large to stamp)
        self.notes: list[str] = []
        #: the base's pages between cover and back page are painted once for all clinics
        #: (``PAMFLET_PATCHES=-weasyprint.paint-once``: each time, for comparison)
        self.paint_cache = PaintCache() if PAINT_ONCE.usable() else None
        self.print_root = print_root
        self.staging_root = staging_root
        self.renderer = Renderer(roots)
        self.bases: dict[tuple[str, str, str], Base] = {}
        #: (clinic id, lang, docname, format) -> the clinic's laid-out cover and back page
        #: from a batch layout (:meth:`prepare`), or None: lay it out whole
        self.minis: dict[tuple[str, str, str, str], tuple[Any, Any] | None] = {}

    def base(self, lang: str, docname: str, fmt: Format) -> Base:
        key = (lang, docname, fmt.name)
        if key not in self.bases:
            context_path = self.print_root / lang / f"{docname}.json"
            if not context_path.is_file():
                raise FileNotFoundError(f"{context_path}: no print context: run `make pdf` first")
            context = load_context(context_path)
            if fmt.name not in context["rendered"]:
                built = ", ".join(sorted(context["rendered"])) or "none"
                raise FileNotFoundError(
                    f"{context_path}: the last PDF build of {lang!r} made no {fmt.name} "
                    f"(only {built}): run `make pdf` first"
                )
            html_path = self.print_root / lang / f"{docname}.{fmt.name}.html"
            base = Base(context, fmt, html_path, Path(context["rendered"][fmt.name]))
            if fmt.options.get("pdf_variant"):
                base.document = self.renderer.render(
                    html_path.read_text(encoding="utf-8"), html_path, fmt, str(html_path)
                )
            else:
                base.pdf_bytes = base.pdf_path.read_bytes()
            self.bases[key] = base
        return self.bases[key]

    def _layout(self, markup: str, base: Base, fmt: Format, clinic: Clinic) -> Any:
        """Lay out ``markup``; the clinic's own folder (its logo) is readable meanwhile."""
        roots = self.renderer.fetcher.roots
        roots.append(clinic.path.parent.resolve())
        try:
            return self.renderer.render(markup, base.html_path, fmt, str(clinic.path))
        finally:
            roots.pop()

    def _mini_markup(self, clinic: Clinic, base: Base, fmt: Format, lang: str) -> str:
        """The print HTML of the clinic's cover and back page only."""
        total = base.context["pages"][fmt.name]
        return render(
            base.context,
            fmt.name,
            parts=("cover", "back"),
            clinic=clinic.template_data(lang),
            back_page_number=(total, total),
        )

    def prepare(
        self, clinics: list[Clinic], leaflets: list[str], languages: list[str], formats: list[str]
    ) -> None:
        """Lay out the covers and back pages of ``clinics`` in one document per leaflet,
        language and format, for :meth:`variant` (stamped formats: their parts, stamp.py).
        Each clinic's mini document goes into one body; the page CSS of a first page holds
        for every cover (:meth:`Renderer.batch_stylesheets`), so the pages are those of
        the clinic's own mini document. A clinic whose pages do not come out as two, or a
        batch that fails to lay out, is left to :meth:`variant`."""
        from ..patches.weasyprint import page_box
        from .renderer import BATCH_COVER_PAGE, as_batch_css

        if self.naive or len(clinics) < 2:
            return
        work: dict[tuple[str, str, str], list[Clinic]] = {}
        for clinic in clinics:
            for lang, fmt in plan(clinic, languages, formats):
                laid_out = FORMATS[fmt.impose_from] if fmt.impose_from else fmt
                for docname in leaflets:
                    wanted = work.setdefault((lang, docname, laid_out.name), [])
                    if clinic not in wanted:
                        wanted.append(clinic)
        for (lang, docname, name), wanted in work.items():
            fmt = FORMATS[name]
            base = self.base(lang, docname, fmt)
            if self.stamper is not None and base.document is None:
                self.stamper.prepare(base, wanted, lang, docname)  # stamped, not laid out
                continue
            markups = [self._mini_markup(c, base, fmt, lang) for c in wanted]
            # Each mini document: head, what precedes the cover (e.g. a fixed draft mark
            # that repeats on every page: once in the batch), the clinic's sections, tail.
            split = [_MINI.fullmatch(m) for m in markups]
            if not all(split) or len({(m["head"], m["before"], m["tail"]) for m in split}) != 1:
                continue  # not one page template for all: each clinic on its own
            first = split[0]
            markup = (
                as_batch_css(first["head"])
                + first["before"]
                + "".join(m["sections"] for m in split)
                + first["tail"]
            )
            roots = self.renderer.fetcher.roots
            added = sorted({c.path.parent.resolve() for c in wanted})
            roots.extend(added)
            try:
                batch = self.renderer.render_batch(
                    markup, base.html_path, fmt, ", ".join(str(c.path) for c in wanted)
                )
            except Exception:  # e.g. a refused logo: each clinic reports its own error
                continue
            finally:
                del roots[len(roots) - len(added) :]
            groups: list[list[Any]] = []
            for page in batch.pages:
                if page_box(page).page_type.name == BATCH_COVER_PAGE or not groups:
                    groups.append([])
                groups[-1].append(page)
            if len(groups) != len(wanted):
                continue  # a cover overflowed: the pages cannot be told apart
            for clinic, pages in zip(wanted, groups, strict=True):
                key = (clinic.id, lang, docname, fmt.name)
                self.minis[key] = (batch, pages) if len(pages) == 2 else None

    def variant(self, clinic: Clinic, lang: str, docname: str, fmt: Format, target: Path) -> None:
        base = self.base(lang, docname, fmt)
        if base.document is None and self.stamper is not None:
            if self.stamper.variant(base, clinic, lang, docname, target):
                return
            self.notes.append(
                f"{clinic.path}: {lang} {fmt.name}: the clinic's block is larger than the "
                "room the leaflet keeps for it: laid out whole (the PDF is complete; it "
                "took longer)"
            )
        data = clinic.template_data(lang)
        key = (clinic.id, lang, docname, fmt.name)
        mini = None
        if key in self.minis:  # laid out in a batch (prepare)
            found = self.minis.pop(key)
            if found is not None:
                batch, pages = found
                mini = batch.copy(pages)
        elif not self.naive:
            mini = self._layout(self._mini_markup(clinic, base, fmt, lang), base, fmt, clinic)
        if mini is None or len(mini.pages) != 2:
            # Naive mode, or the clinic's block made the back page overflow: lay out the
            # whole leaflet, so that the page numbers stay right.
            full = self._layout(render(base.context, fmt.name, clinic=data), base, fmt, clinic)
            self.renderer.write(full, target, fmt)
        elif base.document is not None:
            middle = base.document.pages[1:-1]
            document = base.document.copy([mini.pages[0], *middle, mini.pages[1]])
            if self.paint_cache is None:
                self.renderer.write(document, target, fmt)
            else:
                with self.paint_cache.applied(middle), self._images_once():
                    self.renderer.write(document, target, fmt)
        else:
            with self._images_once():
                self._swap_pages(base, mini, target)

    def _images_once(self) -> Any:
        """SVG images (the QR code, logos) drawn once for every clinic meanwhile."""
        if self.paint_cache is None:
            return contextlib.nullcontext()
        return self.paint_cache.images(self.renderer.cache)

    def _swap_pages(self, base: Base, mini: Any, target: Path) -> None:
        """Put the clinic's cover and back page in place of the base's (untagged formats).

        pikepdf (qpdf) does this in about 8 ms; pypdf took about 50 ms.
        """
        from .stamp import with_cover_and_back

        pdf = with_cover_and_back(base.pdf_bytes, self.renderer.pdf_bytes(mini, base.fmt))
        if base.fmt.bleed_mm:  # the swapped pages get the format's BleedBox too
            print_boxes(pdf, base.fmt)
        with atomic_output(target) as tmp:
            pdf.save(tmp, deterministic_id=True)


@dataclass
class Outcome:
    clinic: str
    ok: bool
    message: str = ""
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: lines to show in any case (a variant laid out whole instead of stamped)
    notes: list[str] = field(default_factory=list)


def plan(clinic: Clinic, languages: list[str], formats: list[str]) -> list[tuple[str, Format]]:
    langs = clinic.languages or languages
    wanted = clinic.formats or formats
    return [(lang, FORMATS[name]) for lang in langs for name in wanted]


def imprint_clinic(
    imprinter: Imprinter,
    clinic: Clinic,
    leaflets: list[str],
    languages: list[str],
    formats: list[str],
    out_root: Path,
) -> Outcome:
    """All variants of one clinic; writes nothing for it when any variant fails."""
    started = time.perf_counter()
    # Staged in the build's work folder (build/.work/imprint/<id>), never among the
    # PDFs: a killed batch leaves its staging there, and the next one removes it.
    out_root.mkdir(parents=True, exist_ok=True)
    staging = imprinter.staging_root / clinic.id
    staging.parent.mkdir(parents=True, exist_ok=True)
    if staging.parent.stat().st_dev != out_root.stat().st_dev:
        staging = out_root / clinic.id / ".staging"  # os.replace needs one file system
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted batch may have left
    written: list[tuple[Path, Path]] = []
    imprinter.notes = []
    made: dict[Path, dict[str, tuple[str, list[Path]]]] = {}  # record -> the keys made
    keys_root = incremental.imprint_keys(imprinter.staging_root)
    try:
        for docname in leaflets:
            for lang, fmt in plan(clinic, languages, formats):
                final = incremental.variant_path(out_root, clinic.id, lang, docname, fmt)
                key = incremental.variant_key(
                    clinic, imprinter.print_root / lang, docname, fmt, imprinter.way
                )
                record = incremental.variant_record(keys_root, clinic.id, lang, docname)
                if key is not None and is_current(record, fmt.name, key, [final]):
                    continue  # up to date: not made again, not rewritten
                if key is not None:
                    made.setdefault(record, {})[fmt.name] = (key, [final])
                tmp = staging / lang / final.name
                if fmt.impose_from:
                    source = staging / lang / f"{docname}-{fmt.impose_from}.pdf"
                    if not source.is_file():
                        imprinter.variant(clinic, lang, docname, FORMATS[fmt.impose_from], source)
                    base = imprinter.base(lang, docname, FORMATS[fmt.impose_from])
                    # a right-to-left leaflet folds with its spine on the right
                    impose_to(source, tmp, rtl=base.context.get("dir") == "rtl")
                else:
                    imprinter.variant(clinic, lang, docname, fmt, tmp)
                written.append((tmp, final))
        # Everything rendered: publish (each file atomically).
        for tmp, final in written:
            final.parent.mkdir(parents=True, exist_ok=True)
            if not same_bytes(tmp, final):  # an unchanged file keeps its mtime
                os.replace(tmp, final)
        for record, entries in made.items():
            remember(record, entries, imprinter.staging_root)
        return Outcome(
            clinic.id,
            True,
            outputs=[str(final) for _, final in written],
            seconds=time.perf_counter() - started,
            notes=imprinter.notes,
        )
    except Exception as exc:  # one clinic's failure must not stop the batch
        return Outcome(
            clinic.id, False, f"{clinic.path}: {exc}", seconds=time.perf_counter() - started
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
