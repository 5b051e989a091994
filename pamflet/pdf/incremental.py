"""Which PDFs of a build are out of date (issue 26): each format's key and its record.

A leaflet's PDF in one format is made from its print context (the translated
doctree as print HTML, the facts, the QR code, the labels: everything the print
template reads, ``printhtml.print_context``), the files that context refers to
(images), pamflet's stylesheets, fonts and templates (``keys.package_digest``), the
project's print stylesheets and the files they refer to (fonts), the catalogs of
pamflet's labels, the format's own options and WeasyPrint's, pydyf's and pikepdf's
versions. An imposed format (the booklet) adds the key of the format it takes its
pages from. The record of a leaflet is ``<print dir>/keys/<docname>.json``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from ..keys import Key, add_referenced, base_key, is_current, remember, strings
from .formats import FORMATS, Format, render_order

#: The libraries whose work is in the PDF bytes.
LIBRARIES = (
    "weasyprint",
    "pydyf",
    "pikepdf",
    "fonttools",
    "pyphen",
    "pillow",
    "tinycss2",
    "cssselect2",
    "tinyhtml5",
)
#: What the press adds to a print context (outputs of a render, not inputs).
RENDER_RESULTS = ("pages", "fillers", "rendered")


def common_key(extra_css: list[Path], locale_dirs: tuple[str, ...]) -> Key:
    """What every PDF of a build depends on besides its own leaflet."""
    key = base_key("pdf", *LIBRARIES)
    for sheet in extra_css:
        key.add_file(f"css:{sheet}", sheet)
        try:
            text = sheet.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        add_referenced(key, "css-ref", [text], sheet.parent)
    for folder in locale_dirs:  # pamflet's labels as the project translates them
        for catalog in sorted(Path(folder).glob("*/LC_MESSAGES/pamflet.*")):
            key.add_file(f"labels:{catalog}", catalog)
    return key


def intermediate(print_dir: Path, docname: str, fmt: Format) -> Path:
    """Where the press writes a format that was not asked for (the booklet's source)."""
    return print_dir / f"{docname}-{fmt.name}.pdf"


def format_keys(
    common: str, context: dict[str, Any], formats: list[Format], print_dir: Path
) -> dict[str, str]:
    """The key of each format of one leaflet (the formats asked for and their sources)."""
    inputs = {k: v for k, v in context.items() if k not in RENDER_RESULTS}
    leaflet = Key("leaflet").add("common", common).add("context", inputs)
    html_dir = (print_dir / context["docname"]).parent
    add_referenced(leaflet, "ref", strings(inputs), html_dir)
    base = leaflet.hexdigest()
    keys: dict[str, str] = {}
    for fmt in [*render_order(formats), *(f for f in formats if f.impose_from)]:
        key = Key("format").add("leaflet", base).add("format", dataclasses.asdict(fmt))
        if fmt.impose_from:
            key.add("source", keys[fmt.impose_from])
        keys[fmt.name] = key.hexdigest()
    return keys


def outputs(
    targets: dict[str, str], keys: dict[str, str], print_dir: Path, docname: str
) -> dict[str, Path]:
    """The file each keyed format is written to."""
    return {
        name: Path(targets[name]) if name in targets else intermediate(print_dir, docname, fmt)
        for name in keys
        for fmt in [FORMATS[name]]
    }


def record_path(print_dir: Path, docname: str) -> Path:
    return print_dir / "keys" / f"{docname}.json"


def stale_formats(
    keys: dict[str, str], files: dict[str, Path], print_dir: Path, docname: str
) -> list[str]:
    """The formats whose PDF must be made again (the context the press saves goes too)."""
    record = record_path(print_dir, docname)
    if not (print_dir / f"{docname}.json").is_file():  # the saved context: clinic variants
        return list(keys)
    return [name for name in keys if not is_current(record, name, keys[name], [files[name]])]


def remember_formats(
    names: list[str],
    keys: dict[str, str],
    files: dict[str, Path],
    print_dir: Path,
    docname: str,
    workdir: Path,
) -> None:
    """Record that the PDFs of ``names`` were made from their keys."""
    remember(
        record_path(print_dir, docname),
        {name: (keys[name], [files[name]]) for name in names},
        workdir,
    )


def recorded_key(print_dir: Path, docname: str, name: str) -> str | None:
    """The key the leaflet's PDF in format ``name`` was last made from (None: unknown)."""
    try:
        entry = json.loads(record_path(print_dir, docname).read_text(encoding="utf-8"))[name]
        return str(entry["key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def variant_key(
    clinic: Any, print_dir: Path, docname: str, fmt: Format, way: str = ""
) -> str | None:
    """The key of a clinic variant: the key of the leaflet's PDF it is made from (for the
    booklet: of the format it takes its pages from, which the variant lays out again),
    the clinic file, its logo and every field read from it, and ``way``, how it is made
    (stamped, the whole layout: their bytes differ). None: the leaflet's PDF has no key
    (built by an older pamflet), so the variant is made."""
    source = fmt.impose_from or fmt.name
    leaflet = recorded_key(print_dir, docname, source)
    if leaflet is None:
        return None
    key = base_key("clinic", *LIBRARIES).add("leaflet", leaflet).add("format", fmt.name)
    key.add("way", way)
    key.add("clinic", dataclasses.asdict(clinic)).add_file("clinic-file", clinic.path)
    if clinic.logo is not None:
        key.add_file("logo", clinic.logo)
    return key.hexdigest()


def variant_record(keys_root: Path, clinic_id: str, lang: str, docname: str) -> Path:
    return keys_root / clinic_id / lang / f"{docname}.json"


def way_of(naive: bool, whole_layout: bool) -> str:
    """How clinic variants are made (part of their keys: the bytes differ)."""
    return "naive" if naive else "whole layout" if whole_layout else "stamped"


def imprint_keys(staging_root: Path) -> Path:
    """The folder of the clinic variants' key records."""
    return staging_root.parent / "imprint-keys"


def variant_path(out_root: Path, clinic_id: str, lang: str, docname: str, fmt: Format) -> Path:
    """Where a clinic variant goes: ``<out_root>/<clinic>/<lang>/<leaflet>-<format>.pdf``."""
    return out_root / clinic_id / lang / f"{docname}-{fmt.name}.pdf"


def variants_current(
    clinic: Any,
    planned: list[tuple[str, Format]],
    leaflets: list[str],
    print_root: Path,
    out_root: Path,
    keys_root: Path,
    way: str,
) -> bool:
    """Whether every variant of ``clinic`` (each leaflet in each (language, format) of
    ``planned``) is up to date: made from the same key, its file as it was written."""
    for docname in leaflets:
        for lang, fmt in planned:
            key = variant_key(clinic, print_root / lang, docname, fmt, way)
            record = variant_record(keys_root, clinic.id, lang, docname)
            final = variant_path(out_root, clinic.id, lang, docname, fmt)
            if key is None or not is_current(record, fmt.name, key, [final]):
                return False
    return True
