"""Clinic imprints: every clinic its own leaflets, without touching the text.

A clinic describes itself once, in ``clinics/<id>.toml``. For each leaflet,
language and format, pamflet writes
``build/pdf/clinics/<id>/<lang>/<leaflet>-<format>.pdf`` with the clinic's
logo on the cover and its contact block on the back page.

A clinic variant differs from the plain leaflet in two pages, so the work per
clinic is small:

- the leaflet is laid out once per language and format (the build's print
  context and PDFs are reused);
- per clinic, only a two-page document (cover and back page) is laid out;
- tagged reader formats are assembled from WeasyPrint's laid-out pages
  (``Document.copy``), so the structure tree and language are written for the
  whole document as usual; untagged print formats swap the two pages in the
  base PDF with pikepdf; the booklet is imposed from the clinic's A5 variant;
- a batch spreads the clinics over the machine's cores.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import atomic_output
from ..workers import exit_with_parent
from .clinic import Clinic
from .formats import FORMATS, Format
from .press import impose_to
from .printhtml import load_context, render


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
        self, print_root: Path, staging_root: Path, roots: list[Path], naive: bool = False
    ) -> None:
        from .renderer import Renderer

        #: lay out the whole leaflet for every clinic (for comparison in benchmarks)
        self.naive = naive
        self.print_root = print_root
        self.staging_root = staging_root
        self.renderer = Renderer(roots)
        self.bases: dict[tuple[str, str, str], Base] = {}

    def base(self, lang: str, docname: str, fmt: Format) -> Base:
        key = (lang, docname, fmt.name)
        if key not in self.bases:
            context_path = self.print_root / lang / f"{docname}.json"
            if not context_path.is_file():
                raise FileNotFoundError(f"{context_path}: no print context: run `make pdf` first")
            context = load_context(context_path)
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

    def variant(self, clinic: Clinic, lang: str, docname: str, fmt: Format, target: Path) -> None:
        base = self.base(lang, docname, fmt)
        total = base.context["pages"][fmt.name]
        data = clinic.template_data(lang)
        mini = None
        if not self.naive:
            markup = render(
                base.context,
                fmt.name,
                parts=("cover", "back"),
                clinic=data,
                back_page_number=(total, total),
            )
            mini = self._layout(markup, base, fmt, clinic)
        if mini is None or len(mini.pages) != 2:
            # Naive mode, or the clinic's block made the back page overflow: lay out the
            # whole leaflet, so that the page numbers stay right.
            full = self._layout(render(base.context, fmt.name, clinic=data), base, fmt, clinic)
            self.renderer.write(full, target, fmt)
        elif base.document is not None:
            pages = [mini.pages[0], *base.document.pages[1:-1], mini.pages[1]]
            self.renderer.write(base.document.copy(pages), target, fmt)
        else:
            self._swap_pages(base, mini, target)

    def _swap_pages(self, base: Base, mini: Any, target: Path) -> None:
        """Put the clinic's cover and back page in place of the base's (untagged formats).

        pikepdf (qpdf) does this in about 8 ms; pypdf took about 50 ms.
        """
        import pikepdf

        mini_pdf = pikepdf.open(io.BytesIO(mini.write_pdf(**base.fmt.options)))
        pdf = pikepdf.open(io.BytesIO(base.pdf_bytes))
        last = len(pdf.pages) - 1
        pdf.pages.append(mini_pdf.pages[1])
        del pdf.pages[last]
        pdf.pages.insert(0, mini_pdf.pages[0])
        del pdf.pages[1]
        with atomic_output(target) as tmp:
            pdf.save(tmp, deterministic_id=True)


@dataclass
class Outcome:
    clinic: str
    ok: bool
    message: str = ""
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _plan(clinic: Clinic, languages: list[str], formats: list[str]) -> list[tuple[str, Format]]:
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
    _remove_tree(staging)  # what an interrupted batch may have left
    written: list[tuple[Path, Path]] = []
    try:
        for docname in leaflets:
            for lang, fmt in _plan(clinic, languages, formats):
                final = out_root / clinic.id / lang / f"{docname}-{fmt.name}.pdf"
                tmp = staging / lang / final.name
                if fmt.impose_from:
                    source = staging / lang / f"{docname}-{fmt.impose_from}.pdf"
                    if not source.is_file():
                        imprinter.variant(clinic, lang, docname, FORMATS[fmt.impose_from], source)
                    impose_to(source, tmp)
                else:
                    imprinter.variant(clinic, lang, docname, fmt, tmp)
                written.append((tmp, final))
        # Everything rendered: publish (each file atomically).
        for tmp, final in written:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
        return Outcome(
            clinic.id,
            True,
            outputs=[str(final) for _, final in written],
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:  # one clinic's failure must not stop the batch
        return Outcome(
            clinic.id, False, f"{clinic.path}: {exc}", seconds=time.perf_counter() - started
        )
    finally:
        _remove_tree(staging)


def _remove_tree(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# -- batches ----------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(
    print_root: str,
    staging_root: str,
    roots: list[str],
    naive: bool = False,
    parent: int | None = None,
) -> None:
    if parent is not None:  # a worker ends with the batch, even when that is killed
        exit_with_parent(parent)
    _worker["imprinter"] = Imprinter(
        Path(print_root), Path(staging_root), [Path(r) for r in roots], naive
    )


def _run_one(args: tuple) -> Outcome:
    clinic, leaflets, languages, formats, out_root = args
    return imprint_clinic(
        _worker["imprinter"], clinic, leaflets, languages, formats, Path(out_root)
    )


def imprint_batch(
    clinics: list[Clinic],
    *,
    print_root: Path,
    staging_root: Path,
    roots: list[Path],
    leaflets: list[str],
    languages: list[str],
    formats: list[str],
    out_root: Path,
    jobs: int = 2,
    progress=None,
    naive: bool = False,
) -> list[Outcome]:
    """Render every clinic, spread over ``jobs`` processes; failures are reported, not raised."""
    tasks = [(c, leaflets, languages, formats, str(out_root)) for c in clinics]
    outcomes: list[Outcome] = []
    if jobs <= 1 or len(clinics) <= 1:
        _init_worker(str(print_root), str(staging_root), [str(r) for r in roots], naive)
        for task in tasks:
            outcome = _run_one(task)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes
    with ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_init_worker,
        initargs=(str(print_root), str(staging_root), [str(r) for r in roots], naive, os.getpid()),
    ) as pool:
        for outcome in pool.map(_run_one, tasks, chunksize=max(1, len(tasks) // (jobs * 4))):
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    return outcomes
