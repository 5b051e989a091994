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
  base PDF with pypdf; the booklet is imposed from the clinic's A5 variant;
- a batch spreads the clinics over the machine's cores.
"""

from __future__ import annotations

import io
import os
import re
import time
import tomllib
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .formats import FORMATS, Format
from .printhtml import load_context, render
from .render import atomic_output

KEYS = {
    "name",
    "department",
    "address",
    "phone",
    "email",
    "website",
    "logo",
    "languages",
    "formats",
    "note",
}
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_TEXT = 200
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,24}[0-9]$")
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


class ClinicError(Exception):
    """A bad clinic file: ``path: key: message`` or ``path:line: message``."""

    def __init__(self, path: Path, key: str | None, message: str, line: int | None = None):
        self.path, self.key, self.line = path, key, line
        where = f"{path}:{line}" if line else (f"{path}: {key}" if key else str(path))
        super().__init__(f"{where}: {message}")


@dataclass
class Clinic:
    id: str
    path: Path
    name: str
    department: str = ""
    address: list[str] = field(default_factory=list)
    phone: str = ""
    email: str = ""
    website: str = ""
    logo: Path | None = None
    languages: list[str] | None = None
    formats: list[str] | None = None
    note: dict[str, str] = field(default_factory=dict)

    def template_data(self, language: str) -> dict[str, Any]:
        """What the print template shows; Jinja escapes every value."""
        website_label = re.sub(r"^https?://", "", self.website).rstrip("/")
        return {
            "name": self.name,
            "department": self.department,
            "address": self.address,
            "phone": self.phone,
            "phone_uri": re.sub(r"[^0-9+]", "", self.phone),
            "email": self.email,
            "website": self.website,
            "website_label": website_label,
            "logo_url": self.logo.resolve().as_uri() if self.logo else "",
            "note": self.note.get(language, self.note.get("*", "")),
        }


def _text(path: Path, key: str, value: Any, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise ClinicError(path, key, "is required")
        return ""
    if not isinstance(value, str):
        raise ClinicError(path, key, f"must be text, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise ClinicError(path, key, "is required and may not be empty")
    if len(value) > MAX_TEXT or any(ord(ch) < 32 for ch in value):
        raise ClinicError(path, key, f"must be one line of at most {MAX_TEXT} characters")
    return value


def _check_logo(path: Path, value: Any) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ClinicError(path, "logo", "must be a file name relative to the clinic file")
    folder = path.parent.resolve()
    logo = (path.parent / value).resolve()  # follows symlinks
    if not logo.is_relative_to(folder):
        raise ClinicError(path, "logo", f"{value!r} is outside the clinic's folder {folder}")
    if not logo.is_file():
        raise ClinicError(path, "logo", f"{value!r} does not exist")
    size = logo.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise ClinicError(path, "logo", f"{value!r} is {size / 1048576:.1f} MB; the limit is 2 MB")
    head = logo.read_bytes()[:8]
    if logo.suffix.lower() == ".png":
        if head != b"\x89PNG\r\n\x1a\n":
            raise ClinicError(path, "logo", f"{value!r} is not a PNG image")
    elif logo.suffix.lower() == ".svg":
        _check_svg(path, logo, value)
    else:
        raise ClinicError(path, "logo", f"{value!r}: the logo must be an SVG or PNG file")
    return logo


def _check_svg(path: Path, logo: Path, value: str) -> None:
    """Refuse SVG that could fetch, run or include anything."""
    text = logo.read_text(encoding="utf-8", errors="replace")
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise ClinicError(path, "logo", f"{value!r}: SVG with a DOCTYPE or entities is refused")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ClinicError(path, "logo", f"{value!r} is not valid SVG: {exc}") from None
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise ClinicError(path, "logo", f"{value!r} is not an SVG image")
    for element in root.iter():
        tag = element.tag.split("}")[-1].lower()
        if tag in ("script", "foreignobject", "iframe", "object", "embed"):
            raise ClinicError(path, "logo", f"{value!r}: SVG <{tag}> is refused")
        if tag == "style" and re.search(r"url\s*\(|@import", element.text or "", re.I):
            raise ClinicError(
                path, "logo", f"{value!r}: SVG style with url() or @import is refused"
            )
        for name, attr in element.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on"):
                raise ClinicError(
                    path, "logo", f"{value!r}: SVG event handler {local!r} is refused"
                )
            if local == "href" or name == XLINK_HREF:
                if not attr.strip().startswith("#"):
                    raise ClinicError(
                        path,
                        "logo",
                        f"{value!r}: SVG reference {attr[:60]!r} "
                        "is refused (only #fragments are allowed)",
                    )
            if re.search(r"url\s*\(\s*['\"]?(?!#)", attr, re.I):
                raise ClinicError(
                    path, "logo", f"{value!r}: SVG url() to {attr[:60]!r} is refused"
                )


def load_clinic(path: Path, languages: list[str], formats: list[str]) -> Clinic:
    """Read and validate one clinic file; raises ClinicError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClinicError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ClinicError(path, None, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ClinicError(
            path, None, f"TOML syntax error: {message}", int(match.group(1)) if match else None
        ) from None
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ClinicError(
            path, unknown[0], f"unknown key; the keys are: {', '.join(sorted(KEYS))}"
        )
    clinic = Clinic(
        id=path.stem, path=path, name=_text(path, "name", data.get("name"), required=True)
    )
    clinic.department = _text(path, "department", data.get("department"))
    address = data.get("address", [])
    if isinstance(address, str):
        address = [line for line in address.splitlines() if line.strip()]
    if not isinstance(address, list) or len(address) > 6:
        raise ClinicError(path, "address", "must be text (one line each) or a list of lines")
    clinic.address = [_text(path, "address", line) for line in address]
    clinic.phone = _text(path, "phone", data.get("phone"))
    if clinic.phone and not PHONE.match(clinic.phone):
        raise ClinicError(
            path,
            "phone",
            f"{clinic.phone!r} is not a phone number (digits, spaces, +, - and parentheses)",
        )
    clinic.email = _text(path, "email", data.get("email"))
    if clinic.email and not EMAIL.match(clinic.email):
        raise ClinicError(path, "email", f"{clinic.email!r} is not an email address")
    clinic.website = _text(path, "website", data.get("website"))
    if clinic.website:
        parts = urlsplit(clinic.website)
        if (
            parts.scheme not in ("https", "http")
            or not parts.netloc
            or re.search(r"[\s\"'<>\\]", clinic.website)
        ):
            raise ClinicError(path, "website", f"{clinic.website!r} is not an http(s) URL")
    if "logo" in data:
        clinic.logo = _check_logo(path, data["logo"])
    for key, known in (("languages", languages), ("formats", formats)):
        if key in data:
            value = data[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ClinicError(path, key, "must be a list of names")
            bad = [v for v in value if v not in known]
            if bad:
                raise ClinicError(
                    path, key, f"unknown: {', '.join(bad)}; available: {', '.join(known)}"
                )
            setattr(clinic, key, value)
    note = data.get("note", {})
    if isinstance(note, str):
        note = {"*": note}
    if not isinstance(note, dict):
        raise ClinicError(path, "note", "must be text, or a table with one text per language")
    for lang, text in note.items():
        if lang != "*" and lang not in languages:
            raise ClinicError(
                path, f"note.{lang}", f"unknown language; available: {', '.join(languages)}"
            )
        clinic.note[lang] = _text(path, "note" if lang == "*" else f"note.{lang}", text)
    return clinic


# -- rendering -------------------------------------------------------------------------------


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

    def __init__(self, print_root: Path, roots: list[Path], naive: bool = False) -> None:
        from .render import Renderer

        #: lay out the whole leaflet for every clinic (for comparison in benchmarks)
        self.naive = naive
        self.print_root = print_root
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
    from .impose import impose_booklet

    started = time.perf_counter()
    # Staged in the build's work folder (build/.work/imprint/<id>), never among the
    # PDFs: a killed batch leaves its staging there, and the next one removes it.
    out_root.mkdir(parents=True, exist_ok=True)
    staging = imprinter.print_root.parent / "imprint" / clinic.id
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
                    with atomic_output(tmp) as part, part.open("wb") as stream:
                        impose_booklet(source, stream)
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
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


# -- batches ----------------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(
    print_root: str, roots: list[str], naive: bool = False, parent: int | None = None
) -> None:
    if parent is not None:  # a worker ends with the batch, even when that is killed
        from .cli import _exit_with_parent

        _exit_with_parent(parent)
    _worker["imprinter"] = Imprinter(Path(print_root), [Path(r) for r in roots], naive)


def _run_one(args: tuple) -> Outcome:
    clinic, leaflets, languages, formats, out_root = args
    return imprint_clinic(
        _worker["imprinter"], clinic, leaflets, languages, formats, Path(out_root)
    )


def imprint_batch(
    clinics: list[Clinic],
    *,
    print_root: Path,
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
        _init_worker(str(print_root), [str(r) for r in roots], naive)
        for task in tasks:
            outcome = _run_one(task)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes
    with ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_init_worker,
        initargs=(str(print_root), [str(r) for r in roots], naive, os.getpid()),
    ) as pool:
        for outcome in pool.map(_run_one, tasks, chunksize=max(1, len(tasks) // (jobs * 4))):
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    return outcomes
