"""Strict reading of gettext catalogs.

Sphinx skips a catalog it cannot read with only a warning, and Babel's parser
accepts some broken files without a word (an unterminated string on a
``msgstr`` line parses and publishes a truncated sentence). A patient leaflet
must not be published from such a file, so pamflet lexes every ``.po`` file
itself, with GNU msgfmt's rules, before Sphinx or Babel sees it. Where Babel
reads a line that msgfmt accepts differently (two strings on one line, a
comment after a string, octal and hex escapes, a carriage return inside a
line, no space after a keyword), that is an error too: whatever this parser
accepts, Sphinx publishes exactly as read (``tests/translate/test_robustness_fuzz.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from .entries import Entry, Finding
from .msgfmt import check_entry, check_header, check_plurals

__all__ = ["Entry", "Finding", "parse_po"]

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
    if text is None:
        text, problem = _read(path)
        if problem is not None:
            return [], [problem]
    lexer = _Lexer(path)
    if text.startswith("\ufeff"):
        # GNU msgfmt rejects it ("syntax error"); Babel, and so Sphinx, skips it
        # and publishes every entry: a warning, and the entries are still checked.
        # (Babel skips the first line as an unknown one: harmless when it is a comment.)
        harmless = text[1:].lstrip(" \t").startswith(("#", "\n", "\r"))
        lexer.error(
            1,
            "the file starts with a byte order mark (BOM): GNU msgfmt rejects the file, "
            + (
                "Babel and Sphinx read it; save it as UTF-8 without BOM"
                if harmless
                else "and Babel (Sphinx's reader) skips this first line; save it as UTF-8 "
                "without BOM"
            ),
            severity="warning" if harmless else "error",
        )
        text = text[1:]
    entries = lexer.run(text)
    findings = lexer.findings
    _check_duplicates(entries, lexer.broken, lexer.error)
    for entry in entries:
        # msgfmt checks neither the header nor obsolete (#~) entries here.
        if (
            id(entry) in lexer.broken
            or entry.obsolete
            or entry.msgid == ""
            and entry.msgctxt is None
        ):
            continue
        check_entry(entry, lexer.error)
    findings.extend(check_header(path, entries))
    findings.extend(check_plurals(path, entries))
    findings.sort(key=lambda f: f.line)
    return entries, findings


def _read(path: Path) -> tuple[str, Finding | None]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return "", Finding(path, 0, "error", "syntax", f"cannot read: {exc.strerror}")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return "", Finding(
            path, line, "error", "syntax", "invalid UTF-8 byte sequence (catalogs must be UTF-8)"
        )


class _Lexer:
    """msgfmt's grammar, one line at a time; an entry ends at a blank or comment line
    after its msgstr, or where the next entry starts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.entries: list[Entry] = []
        self.broken: set[int] = set()  # ids of entries with a string msgfmt cannot read
        self.current: Entry | None = None
        self.pending_flags: set[str] = set()
        self.pending_locations: list[str] = []
        self.pending_comments: list[str] = []
        #: which string a continuation line extends: (keyword, plural index)
        self.last_keyword: tuple[str, int | None] | None = None

    def error(
        self, line: int, message: str, check: str = "syntax", severity: str = "error"
    ) -> None:
        self.findings.append(Finding(self.path, line, severity, check, message))

    def spoil(self) -> None:
        """The current entry has a string msgfmt cannot read: skip its later checks."""
        if self.current is not None:
            self.broken.add(id(self.current))

    def after_msgstr(self) -> bool:
        return (
            self.current is not None
            and bool(self.last_keyword)
            and (self.last_keyword[0] == "msgstr")
        )

    def run(self, text: str) -> list[Entry]:
        # Only "\n" ends a line, as for msgfmt: str.splitlines() would also split at
        # U+2028, U+0085 or a form feed pasted into a translation.
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for number, line in enumerate(lines, start=1):
            self.line(number, line)
        if self.current is not None and self.last_keyword and self.last_keyword[0] != "msgstr":
            self.error(self.current.line, "missing 'msgstr' section")
            self.current = None
        self.finish(len(lines))
        return self.entries

    def finish(self, end_line: int) -> None:
        current = self.current
        if current is not None:
            if not current.msgstr:
                self.error(current.line, "missing 'msgstr' section")
            elif current.msgid_plural is None and set(current.msgstr) != {0}:
                self.error(current.msgstr_line, "'msgstr[N]' without 'msgid_plural'")
            elif current.msgid_plural is not None and 0 not in current.msgstr:
                self.error(current.msgstr_line, "'msgid_plural' needs 'msgstr[0]'")
            current.end_line = end_line
            self.entries.append(current)
        self.current = None
        self.last_keyword = None

    def line(self, number: int, line: str) -> None:
        line = line.removesuffix("\r")
        if "\r" in line:
            self.error(
                number, f"a carriage return (CR) inside the line: {_BABEL}break the line there"
            )
            self.spoil()
        stripped = line.strip(" \t\r\f\v")
        obsolete = False
        if stripped.startswith("#~"):
            obsolete = True
            stripped = stripped[2:].strip(" \t")
            if stripped.startswith("|"):  # previous msgid of an obsolete entry
                return
        elif stripped.startswith("#"):
            self.comment(number, stripped)
            return
        if not stripped:
            # msgfmt's grammar ignores blank lines; one after a msgstr ends the entry.
            if self.after_msgstr():
                self.finish(number - 1)
            return
        match = _KEYWORD.match(stripped)
        if match:
            self.keyword(number, stripped, match, obsolete)
        elif stripped.startswith('"'):
            self.continuation(number, stripped, obsolete)
        else:
            word = re.match(r"[A-Za-z_][\w\[\]]*", stripped)
            if word:
                self.error(number, f"keyword {word.group()!r} unknown")
            else:
                self.error(number, f"syntax error: unexpected text {stripped[:30]!r}")
            self.spoil()

    def comment(self, number: int, stripped: str) -> None:
        if self.after_msgstr():
            self.finish(number - 1)
        elif self.current is not None and self.last_keyword and self.last_keyword[0] != "msgctxt":
            # msgfmt: "missing 'msgstr' section"; Babel ends the entry here
            self.error(number, "a comment between the msgid and its msgstr")
            self.spoil()
        if stripped.startswith("#,"):
            self.pending_flags |= {f.strip() for f in stripped[2:].split(",") if f.strip()}
        elif stripped.startswith("#:"):
            self.pending_locations += stripped[2:].split()
        elif stripped == "#" or stripped.startswith(("# ", "#\t")):
            self.pending_comments.append(stripped[1:].strip())

    def keyword(self, number: int, stripped: str, match: re.Match, obsolete: bool) -> None:
        keyword, index, rest = match.group(1), match.group(2), match.group(3)
        base = "msgstr" if keyword.startswith("msgstr") else keyword
        last = self.last_keyword
        starts_entry = base in ("msgctxt", "msgid") and (
            self.current is None
            or (last is not None and last[0] == "msgstr")
            or (base == "msgid" and last is not None and last[0] != "msgctxt")
        )
        if starts_entry:
            if self.current is not None and last and last[0] != "msgstr":
                self.error(self.current.line, "missing 'msgstr' section")
                self.current = None
            self.finish(number - 1)
            self.current = Entry(
                line=number,
                flags=self.pending_flags,
                locations=self.pending_locations,
                obsolete=obsolete,
                comments=self.pending_comments,
            )
            self.pending_flags, self.pending_locations = set(), []
            self.pending_comments = []
        elif self.current is None:
            self.error(number, f"'{keyword}' outside an entry")
            return
        current = self.current
        if obsolete != current.obsolete:
            self.error(number, "inconsistent use of #~ (obsolete and active lines in one entry)")
            self.spoil()
        if not stripped[len(keyword) :].startswith(" "):
            self.error(number, f"no space after '{keyword}': {_BABEL}skip the entry")
            self.spoil()
        value = self.string(number, rest)
        slot = int(index) if index is not None else 0
        if base == "msgctxt":
            current.msgctxt = value
        elif base == "msgid":
            current.msgid = value
            current.line = number
        elif base == "msgid_plural":
            current.msgid_plural = value
        else:
            if slot in current.msgstr:
                self.error(number, f"duplicate 'msgstr[{slot}]'")
            current.msgstr[slot] = value
            current.msgstr_line = current.msgstr_line or number
        self.last_keyword = (base, slot if base == "msgstr" else None)

    def continuation(self, number: int, stripped: str, obsolete: bool) -> None:
        current = self.current
        if current is None or self.last_keyword is None:
            self.error(number, "string continuation outside an entry")
            return
        if obsolete != current.obsolete:
            self.error(number, "inconsistent use of #~ (obsolete and active lines in one entry)")
            self.spoil()
        base, slot = self.last_keyword
        value = self.string(number, stripped, skip_on_error=True)
        if value is None:
            return
        if base == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        elif base == "msgid":
            current.msgid += value
        elif base == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        else:
            current.msgstr[slot] = current.msgstr.get(slot, "") + value

    def string(self, number: int, quoted: str, skip_on_error: bool = False):
        """The decoded string of a line; ``""`` (or None to skip it) when msgfmt cannot read it."""
        try:
            value = _unquote(quoted)
        except ValueError as exc:
            self.error(number, str(exc))
            self.spoil()
            return None if skip_on_error else ""
        if "\0" in value:
            self.error(number, _NUL)
            self.spoil()
        if "\x04" in value:  # msgfmt 0.21 refuses it in a msgstr too
            self.error(number, _EOT)
            self.spoil()
        return value


def _check_duplicates(entries: list[Entry], broken: set[int], error) -> None:
    """msgfmt also counts an obsolete entry that repeats an active one."""
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
