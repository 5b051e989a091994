"""Clinic files: ``clinics/<id>.toml``, read and checked before anything is rendered.

Unknown keys, a missing name, malformed email addresses, URLs and phone
numbers, and logos that are missing, too large, not SVG or PNG, outside the
clinic's folder (also through a symlink), or SVGs with scripts, event
handlers, entities or any external reference are refused with
``path: key: message`` (:class:`ClinicError`).
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
