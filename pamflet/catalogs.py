"""Strict reading of gettext catalogs.

Sphinx skips a catalog it cannot read with only a warning, and Babel's parser
accepts some broken files without a word (an unterminated string on a
``msgstr`` line parses and publishes a truncated sentence). A patient leaflet
must not be published from such a file, so pamflet lexes every ``.po`` file
itself, with GNU msgfmt's rules, before Sphinx or Babel sees it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import SphinxError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


class CatalogError(SphinxError):
    category = "Catalog error"


class UserError(SystemExit):
    """A user error: the message is printed as ``path:line: message``, without a traceback.

    Sphinx 9 prints a crash report (versions, traceback) for every exception it
    catches, including its own ``SphinxError``; a ``SystemExit`` passes through
    ``sphinx-build`` and ends it with exit status 2 after the message is printed.
    """

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass
class Finding:
    path: Path
    line: int
    severity: str  # "error" or "warning"
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}"


@dataclass
class Entry:
    line: int  # line of the msgid keyword (or first line of the entry)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)
    obsolete: bool = False
    msgstr_line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return (
            not self.fuzzy
            and bool(self.msgstr)
            and all(value != "" for value in self.msgstr.values())
        )

    @property
    def string(self) -> str:
        return self.msgstr.get(0, "")


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*(.*)$")
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}


def _unquote(text: str) -> str:
    """Decode one C string literal, raising ValueError as msgfmt would."""
    text = text.strip()
    if not text.startswith('"'):
        raise ValueError("expected a string in double quotes")
    out: list[str] = []
    i = 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 >= len(text):
                raise ValueError("end-of-line within string")
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt in "01234567":
                match = re.match(r"[0-7]{1,3}", text[i + 1 :])
                assert match
                out.append(chr(int(match.group(), 8)))
                i += 1 + len(match.group())
                continue
            if nxt == "x":
                match = re.match(r"[0-9a-fA-F]+", text[i + 2 :])
                if not match:
                    raise ValueError("invalid hex escape \\x")
                out.append(chr(int(match.group(), 16)))
                i += 2 + len(match.group())
                continue
            raise ValueError(f"invalid control sequence \\{nxt}")
        if char == '"':
            rest = text[i + 1 :].strip()
            if rest and not rest.startswith("#"):
                raise ValueError(f"unexpected text after the string: {rest[:20]!r}")
            return "".join(out)
        out.append(char)
        i += 1
    raise ValueError("end-of-line within string (unterminated string)")


def parse_po(path: Path, text: str | None = None) -> tuple[list[Entry], list[Finding]]:
    """Parse a .po file strictly. Returns the entries and the syntax findings.

    The first entry is the header (msgid ""), when there is one.
    """
    findings: list[Finding] = []

    def error(line: int, message: str, check: str = "syntax") -> None:
        findings.append(Finding(path, line, "error", check, message))

    if text is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return [], [Finding(path, 0, "error", "syntax", f"cannot read: {exc.strerror}")]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return [], [
                Finding(
                    path,
                    line,
                    "error",
                    "syntax",
                    "invalid UTF-8 byte sequence (catalogs must be UTF-8)",
                )
            ]
    if text.startswith("\ufeff"):
        text = text[1:]

    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    pending_locations: list[str] = []
    last_keyword: tuple[str, int | None] | None = None  # which string a continuation extends

    def finish() -> None:
        nonlocal current, last_keyword
        if current is not None:
            if not current.msgstr:
                error(current.line, "missing 'msgstr' section")
            elif current.msgid_plural is None and set(current.msgstr) != {0}:
                error(current.msgstr_line, "'msgstr[N]' without 'msgid_plural'")
            elif current.msgid_plural is not None and 0 not in current.msgstr:
                error(current.msgstr_line, "'msgid_plural' needs 'msgstr[0]'")
            entries.append(current)
        current = None
        last_keyword = None

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        obsolete = False
        if stripped.startswith("#~"):
            obsolete = True
            stripped = stripped[2:].strip()
            if stripped.startswith("|"):  # previous msgid of an obsolete entry
                continue
        elif stripped.startswith("#"):
            if current is not None and last_keyword and last_keyword[0] == "msgstr":
                finish()
            if stripped.startswith("#,"):
                pending_flags |= {f.strip() for f in stripped[2:].split(",") if f.strip()}
            elif stripped.startswith("#:"):
                pending_locations += stripped[2:].split()
            continue
        if not stripped:
            finish()
            continue

        match = _KEYWORD.match(stripped)
        if match:
            keyword, index, rest = match.group(1), match.group(2), match.group(3)
            base = "msgstr" if keyword.startswith("msgstr") else keyword
            starts_entry = base in ("msgctxt", "msgid") and (
                current is None
                or (last_keyword is not None and last_keyword[0] == "msgstr")
                or (base == "msgid" and last_keyword is not None and last_keyword[0] != "msgctxt")
            )
            if starts_entry:
                if current is not None and last_keyword and last_keyword[0] != "msgstr":
                    error(current.line, "missing 'msgstr' section")
                    current = None
                finish()
                current = Entry(
                    line=number,
                    flags=pending_flags,
                    locations=pending_locations,
                    obsolete=obsolete,
                )
                pending_flags, pending_locations = set(), []
            elif current is None:
                error(number, f"'{keyword}' outside an entry")
                continue
            try:
                value = _unquote(rest)
            except ValueError as exc:
                error(number, str(exc))
                value = ""
            if base == "msgctxt":
                current.msgctxt = value
            elif base == "msgid":
                current.msgid = value
                current.line = number
            elif base == "msgid_plural":
                current.msgid_plural = value
            else:
                slot = int(index) if index is not None else 0
                if index is None and keyword != "msgstr":
                    error(number, f"bad keyword {keyword!r}")
                if slot in current.msgstr:
                    error(number, f"duplicate 'msgstr[{slot}]'")
                current.msgstr[slot] = value
                current.msgstr_line = current.msgstr_line or number
            last_keyword = (base, slot if base == "msgstr" else None)
            continue

        if stripped.startswith('"'):
            if current is None or last_keyword is None:
                error(number, "string continuation outside an entry")
                continue
            try:
                value = _unquote(stripped)
            except ValueError as exc:
                error(number, str(exc))
                continue
            base, slot = last_keyword
            if base == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif base == "msgid":
                current.msgid += value
            elif base == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            else:
                current.msgstr[slot] = current.msgstr.get(slot, "") + value
            continue

        error(number, f"syntax error: unexpected text {stripped[:30]!r}")

    if current is not None and last_keyword and last_keyword[0] != "msgstr":
        error(current.line, "missing 'msgstr' section")
        current = None
    finish()

    seen: dict[tuple[str | None, str, bool], int] = {}
    for entry in entries:
        key = (entry.msgctxt, entry.msgid, entry.obsolete)
        if key in seen and not entry.obsolete:
            error(entry.line, f"duplicate message definition (first defined at line {seen[key]})")
        seen.setdefault(key, entry.line)

    findings.extend(_check_header(path, entries))
    findings.sort(key=lambda f: f.line)
    return entries, findings


_REQUIRED_HEADERS = (
    "Project-Id-Version",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)


def _check_header(path: Path, entries: list[Entry]) -> list[Finding]:
    header = next(
        (e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete), None
    )
    if header is None:
        return [Finding(path, 1, "error", "header", 'no header entry (msgid "")')]
    fields: dict[str, str] = {}
    for line in header.string.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    found: list[Finding] = []
    for name in _REQUIRED_HEADERS:
        if name not in fields:
            found.append(
                Finding(path, header.line, "error", "header", f"header field {name!r} is missing")
            )
    content_type = fields.get("Content-Type", "")
    if content_type and "charset=" in content_type:
        charset = content_type.split("charset=")[1].strip().lower()
        if charset not in ("utf-8", "utf8"):
            found.append(
                Finding(
                    path,
                    header.line,
                    "error",
                    "header",
                    f"charset {charset!r}: pamflet catalogs must be UTF-8",
                )
            )
    elif content_type:
        found.append(Finding(path, header.line, "error", "header", "Content-Type has no charset"))
    plural = fields.get("Plural-Forms", "")
    if plural and ("nplurals=INTEGER" in plural or "nplurals=" not in plural):
        found.append(
            Finding(
                path, header.line, "error", "header", "Plural-Forms is still the template default"
            )
        )
    if fields.get("Language", "x") == "":
        found.append(Finding(path, header.line, "error", "header", "Language is empty"))
    if "PACKAGE VERSION" in fields.get("Project-Id-Version", ""):
        found.append(
            Finding(
                path,
                header.line,
                "warning",
                "header",
                "Project-Id-Version is still the template default",
            )
        )
    return found


def catalog_paths(srcdir: Path, locale_dirs: list[str], language: str) -> list[Path]:
    paths: list[Path] = []
    for locale_dir in locale_dirs:
        folder = srcdir / locale_dir / language / "LC_MESSAGES"
        if folder.is_dir():
            paths += sorted(folder.rglob("*.po"))
    return paths


def guard_catalogs(app: Sphinx, config: Config) -> None:
    """Refuse to build from a catalog that msgfmt would reject.

    Runs at ``config-inited``: before Sphinx compiles (or skips) any catalog.
    """
    language = config.language
    if not language or language == "en" and not config.locale_dirs:
        return
    errors: list[str] = []
    for path in catalog_paths(app.srcdir, list(config.locale_dirs), language):
        _entries, findings = parse_po(path)
        errors += [str(f) for f in findings if f.severity == "error"]
    if errors:
        message = "\n".join(errors) + "\nmalformed translation catalog: nothing was built"
        print(message, file=sys.stderr)
        raise UserError(message)
