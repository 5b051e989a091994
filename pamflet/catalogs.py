"""Strict reading of gettext catalogs.

Sphinx skips a catalog it cannot read with only a warning, and Babel's parser
accepts some broken files without a word (an unterminated string on a
``msgstr`` line parses and publishes a truncated sentence). A patient leaflet
must not be published from such a file, so pamflet lexes every ``.po`` file
itself, with GNU msgfmt's rules, before Sphinx or Babel sees it. Where Babel
reads a line that msgfmt accepts differently (two strings on one line, a
comment after a string, octal and hex escapes, a carriage return inside a
line, no space after a keyword), that is an error too: whatever this parser
accepts, Sphinx publishes exactly as read (``tests/test_robustness_fuzz.py``).
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
    end_line: int = 0  # last line of the entry

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


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?![\w\[])\s*(.*)$")
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


#: Sphinx compiles catalogs with Babel, whose reader is laxer than msgfmt and also
#: different: it takes everything between the first and the last quote of a line as
#: the string, and reads no octal or hex escapes. What it would misread is an error.
_BABEL = "Babel, which Sphinx uses, would "


def _unquote(text: str) -> str:
    """Decode the C string literal of one line, raising ValueError for what msgfmt
    rejects and for what Babel (Sphinx's reader) would read differently."""
    text = text.strip(" \t\r\f\v")  # msgfmt's white space; not a no-break space
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
            if nxt in "01234567" or nxt == "x":
                if nxt == "x" and not re.match(r"[0-9a-fA-F]", text[i + 2 : i + 3]):
                    raise ValueError("invalid hex escape \\x")
                raise ValueError(
                    f"octal or hex escape \\{nxt}...: {_BABEL}print it as written; "
                    "write the character itself"
                )
            raise ValueError(f"invalid control sequence \\{nxt}")
        if char == '"':
            rest = text[i + 1 :].lstrip(" \t")
            if not rest:
                return "".join(out)
            if rest.startswith('"'):
                raise ValueError(
                    f"two strings on one line: {_BABEL}read them as one garbled string; "
                    "put each on a line of its own"
                )
            if rest.startswith("#"):
                raise ValueError(
                    f"a comment after the string: {_BABEL}read it into the string; "
                    "put the comment on a line of its own above the entry"
                )
            raise ValueError(f"unexpected text after the string: {rest[:20]!r}")
        out.append(char)
        i += 1
    raise ValueError("end-of-line within string (unterminated string)")


_NUL = "a NUL character in a string: gettext cuts the text off there"
_EOT = "context separator <EOT> (U+0004) within string"


def parse_po(path: Path, text: str | None = None) -> tuple[list[Entry], list[Finding]]:
    """Parse a .po file strictly. Returns the entries and the syntax findings.

    The first entry is the header (msgid ""), when there is one.
    """
    findings: list[Finding] = []

    def error(line: int, message: str, check: str = "syntax", severity: str = "error") -> None:
        findings.append(Finding(path, line, severity, check, message))

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
        # msgfmt rejects it, and Sphinx reads it as part of the first line.
        error(1, "the file starts with a byte order mark (BOM): save it as UTF-8 without BOM")
        text = text[1:]

    entries: list[Entry] = []
    broken: set[int] = set()  # ids of entries with a string msgfmt cannot read
    current: Entry | None = None
    pending_flags: set[str] = set()
    pending_locations: list[str] = []
    last_keyword: tuple[str, int | None] | None = None  # which string a continuation extends

    def finish(end_line: int) -> None:
        nonlocal current, last_keyword
        if current is not None:
            if not current.msgstr:
                error(current.line, "missing 'msgstr' section")
            elif current.msgid_plural is None and set(current.msgstr) != {0}:
                error(current.msgstr_line, "'msgstr[N]' without 'msgid_plural'")
            elif current.msgid_plural is not None and 0 not in current.msgstr:
                error(current.msgstr_line, "'msgid_plural' needs 'msgstr[0]'")
            current.end_line = end_line
            entries.append(current)
        current = None
        last_keyword = None

    # Only "\n" ends a line, as for msgfmt: str.splitlines() would also split at
    # U+2028, U+0085 or a form feed pasted into a translation.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if "\r" in line:
            error(number, f"a carriage return (CR) inside the line: {_BABEL}break the line there")
            if current is not None:
                broken.add(id(current))
        stripped = line.strip(" \t\r\f\v")
        obsolete = False
        if stripped.startswith("#~"):
            obsolete = True
            stripped = stripped[2:].strip(" \t")
            if stripped.startswith("|"):  # previous msgid of an obsolete entry
                continue
        elif stripped.startswith("#"):
            if current is not None and last_keyword and last_keyword[0] == "msgstr":
                finish(number - 1)
            elif current is not None and last_keyword and last_keyword[0] != "msgctxt":
                # msgfmt: "missing 'msgstr' section"; Babel ends the entry here
                error(number, "a comment between the msgid and its msgstr")
                broken.add(id(current))
            if stripped.startswith("#,"):
                pending_flags |= {f.strip() for f in stripped[2:].split(",") if f.strip()}
            elif stripped.startswith("#:"):
                pending_locations += stripped[2:].split()
            continue
        if not stripped:
            # msgfmt's grammar ignores blank lines; one after a msgstr ends the entry.
            if current is not None and last_keyword and last_keyword[0] == "msgstr":
                finish(number - 1)
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
                finish(number - 1)
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
            if obsolete != current.obsolete:
                error(number, "inconsistent use of #~ (obsolete and active lines in one entry)")
                broken.add(id(current))
            if not stripped[len(keyword) :].startswith(" "):
                error(number, f"no space after '{keyword}': {_BABEL}skip the entry")
                broken.add(id(current))
            try:
                value = _unquote(rest)
            except ValueError as exc:
                error(number, str(exc))
                broken.add(id(current))
                value = ""
            if "\0" in value:
                error(number, _NUL)
                broken.add(id(current))
            if "\x04" in value and base != "msgstr":
                error(number, _EOT)
                broken.add(id(current))
            if base == "msgctxt":
                current.msgctxt = value
            elif base == "msgid":
                current.msgid = value
                current.line = number
            elif base == "msgid_plural":
                current.msgid_plural = value
            else:
                slot = int(index) if index is not None else 0
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
            if obsolete != current.obsolete:
                error(number, "inconsistent use of #~ (obsolete and active lines in one entry)")
                broken.add(id(current))
            try:
                value = _unquote(stripped)
            except ValueError as exc:
                error(number, str(exc))
                broken.add(id(current))
                continue
            if "\0" in value:
                error(number, _NUL)
                broken.add(id(current))
            base, slot = last_keyword
            if "\x04" in value and base != "msgstr":
                error(number, _EOT)
                broken.add(id(current))
            if base == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif base == "msgid":
                current.msgid += value
            elif base == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            else:
                current.msgstr[slot] = current.msgstr.get(slot, "") + value
            continue

        word = re.match(r"[A-Za-z_][\w\[\]]*", stripped)
        if word:
            error(number, f"keyword {word.group()!r} unknown")
        else:
            error(number, f"syntax error: unexpected text {stripped[:30]!r}")
        if current is not None:
            broken.add(id(current))

    if current is not None and last_keyword and last_keyword[0] != "msgstr":
        error(current.line, "missing 'msgstr' section")
        current = None
    finish(len(lines))

    # Duplicates: msgfmt also counts an obsolete entry that repeats an active one.
    seen: dict[tuple[str | None, str], Entry] = {}
    for entry in entries:
        if id(entry) in broken:
            continue
        key = (entry.msgctxt, entry.msgid)
        first = seen.setdefault(key, entry)
        if first is entry:
            continue
        if entry.obsolete != first.obsolete:
            error(
                entry.line,
                "duplicate message definition: an obsolete (#~) entry repeats the active one "
                f"at line {(entry if first.obsolete else first).line}; keep one of them "
                "(`pamflet update-po` revives an obsolete entry whose text comes back)",
            )
        else:
            error(entry.line, f"duplicate message definition (first defined at line {first.line})")

    for entry in entries:
        # msgfmt checks neither the header nor obsolete (#~) entries here.
        if id(entry) in broken or entry.obsolete or entry.msgid == "" and entry.msgctxt is None:
            continue
        _check_newlines(entry, error)
        _check_formats(entry, error)

    findings.extend(_check_header(path, entries))
    findings.extend(_check_plurals(path, entries))
    findings.sort(key=lambda f: f.line)
    return entries, findings


_PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
_BRACE_FORMAT = re.compile(r"\{\{|\}\}|\{([^{}!:.\[]*)[^{}]*\}")


def _python_specs(text: str) -> list[tuple[str | None, str]] | None:
    """The conversions of a python-format string; None when it is not a valid one.

    Babel flags any msgid with a "%" as python-format ("71% of people" reads as
    the conversion "% o"); like msgfmt, a msgid that is no valid format string
    as a whole is not checked.
    """
    specs: list[tuple[str | None, str]] = []
    position = text.find("%")
    while position != -1:
        match = _PYTHON_FORMAT.match(text, position)
        if not match:
            return None
        kind = match.group("type")
        if kind != "%":
            specs.append((match.group("key"), "d" if kind in "iu" else kind))
        position = text.find("%", match.end())
    return specs


def _accidental(text: str) -> bool:
    """Every conversion is unnamed and written with a space flag: "71% of", "5% en"."""
    matches = [m for m in _PYTHON_FORMAT.finditer(text) if m.group("type") != "%"]
    return bool(matches) and all(
        m.group("key") is None and m.group(0).startswith("% ") for m in matches
    )


def _check_formats(entry: Entry, error) -> None:
    """msgfmt --check-format for python-format and python-brace-format entries.

    (Sphinx's document catalogs have no format strings; interface catalogs do.)
    """
    if "python-format" in entry.flags:
        compare = _python_specs
    elif "python-brace-format" in entry.flags:

        def compare(text: str) -> list[tuple[str | None, str]] | None:
            return [
                (m.group(1), "") for m in _BRACE_FORMAT.finditer(text) if m.group(1) is not None
            ]

    else:
        return
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
    for slot, value in sorted(entry.msgstr.items()):
        if not value:
            continue
        want = compare(sources[min(slot, len(sources) - 1)])
        if want is None:
            return
        have = compare(value)
        if want and _accidental(sources[min(slot, len(sources) - 1)]) and have != want:
            # "71% of people" -> "71% van de mensen": Babel flags the msgid
            # python-format (it reads "% o" as a conversion), msgfmt --check rejects
            # the translation, but nothing formats this string: a warning, not a
            # failed build.
            error(
                entry.msgstr_line,
                "python-format: the msgid's conversions differ in the msgstr, but they look "
                "accidental ('71% of' reads as '% o'; Babel adds the flag): msgfmt --check "
                "would reject this entry, Sphinx does not use the flag",
                "format",
                "warning",
            )
            continue
        have = have or []
        named = any(key for key, _ in want + have) or "python-brace-format" in entry.flags
        if named:
            want_keys, have_keys = dict(want), dict(have)
            for key in want_keys:
                if key not in have_keys:
                    error(
                        entry.msgstr_line,
                        f"a format specification for argument {key!r} doesn't exist in 'msgstr'",
                        "format",
                    )
                elif want_keys[key] != have_keys[key]:
                    error(
                        entry.msgstr_line,
                        f"format specifications in 'msgid' and 'msgstr' for argument {key!r} "
                        "are not the same",
                        "format",
                    )
            for key in have_keys:
                if key not in want_keys:
                    error(
                        entry.msgstr_line,
                        f"a format specification for argument {key!r}, as in 'msgstr', "
                        "doesn't exist in 'msgid'",
                        "format",
                    )
        elif [t for _, t in want] != [t for _, t in have]:
            error(
                entry.msgstr_line,
                f"format specifications differ: {''.join('%' + t for _, t in want)!r} in 'msgid', "
                f"{''.join('%' + t for _, t in have)!r} in 'msgstr'",
                "format",
            )


def _check_newlines(entry: Entry, error) -> None:
    """msgfmt --check: a msgid and its msgstr both begin (and end) with "\\n", or neither."""
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
    for slot, value in sorted(entry.msgstr.items()):
        if not value:
            continue
        source = sources[min(slot, len(sources) - 1)]
        for where, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(source, "\n") != test(value, "\n"):
                error(
                    entry.msgstr_line,
                    f"'msgid' and 'msgstr' entries do not both {where} with '\\n'",
                )


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
        charset = content_type.split("charset=")[1].strip()
        if charset.lower() not in ("utf-8", "utf8"):
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
    elif plural:
        problem = _plural_problem(plural)
        if problem:
            found.append(Finding(path, header.line, "error", "header", problem))
    if header.fuzzy:
        found.append(
            Finding(
                path,
                header.line,
                "warning",
                "header",
                "the header entry is marked fuzzy: Babel leaves it out of the compiled catalog",
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


def nplurals(plural_forms: str) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    return int(match.group(1)) if match else None


def _plural_problem(plural_forms: str) -> str | None:
    """msgfmt's checks of a Plural-Forms value: a valid C expression within range."""
    import gettext

    count = nplurals(plural_forms)
    if count is None or count < 1:
        return "invalid nplurals value in Plural-Forms"
    match = re.search(r"plural\s*=\s*([^;]*)", plural_forms)
    if not match or not match.group(1).strip():
        return "Plural-Forms has no plural expression"
    try:
        function = gettext.c2py(match.group(1).strip())
    except (ValueError, SyntaxError, RecursionError):
        return f"invalid plural expression {match.group(1).strip()!r}"
    try:
        largest = max(function(n) for n in range(1000))
    except (ArithmeticError, RecursionError, ValueError):  # n/0, n%0
        return f"invalid plural expression {match.group(1).strip()!r}: it divides by zero"
    if largest >= count:
        return (
            f"nplurals = {count} but the plural expression can produce values "
            f"as large as {largest}"
        )
    return None


def _check_plurals(path: Path, entries: list[Entry]) -> list[Finding]:
    """Every plural entry has exactly nplurals translations (msgfmt --check)."""
    header = next(
        (e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete), None
    )
    if header is None:
        return []
    match = re.search(r"^Plural-Forms:(.*)$", header.string, re.MULTILINE)
    count = nplurals(match.group(1)) if match else None
    if count is None:
        return []
    found: list[Finding] = []
    for entry in entries:
        if entry.msgid_plural is None or entry.obsolete or not entry.msgstr:
            continue
        have = max(entry.msgstr) + 1
        if have != count or sorted(entry.msgstr) != list(range(have)):
            found.append(
                Finding(
                    path,
                    entry.msgstr_line,
                    "error",
                    "syntax",
                    f"nplurals = {count} in the header, but this entry has {have} "
                    f"plural form{'s' if have != 1 else ''}",
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
    """Refuse to build from a catalog that msgfmt would reject, or whose
    translations add links, directives, roles or raw HTML (``checks.safety``).

    Runs at ``config-inited``: before Sphinx compiles (or skips) any catalog.
    """
    language = config.language
    if not language or language == "en" and not config.locale_dirs:
        return
    from .checks import guard_findings

    errors: list[str] = []
    for path in catalog_paths(app.srcdir, list(config.locale_dirs), language):
        entries, findings = parse_po(path)
        # What a translation may not add (links, directives, roles, raw HTML).
        findings += guard_findings(path, entries)
        errors += [str(f) for f in findings if f.severity == "error"]
    if errors:
        message = (
            "\n".join(errors) + "\nmalformed or unsafe translation catalog: nothing was built"
        )
        print(message, file=sys.stderr)
        raise UserError(message)
