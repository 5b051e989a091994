"""What GNU ``msgfmt --check`` checks beyond the syntax: format strings, newlines,
the header and plural forms."""

from __future__ import annotations

import re
from pathlib import Path

from .entries import Entry, Finding

_PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
#: A python-brace-format directive as GNU msgfmt (0.21) reads one: a field name (an
#: identifier or digits, then ``.attr`` or ``[key]``), an optional ``:spec`` with at most
#: one nested directive; no ``!r`` conversion. ``{'name': 2}`` is none, so a msgid with
#: it is no format string and msgfmt does not compare it (code samples in the tutorial).
_FIELD = r"(?:[A-Za-z_]\w*|\d+)"
_BRACE_DIRECTIVE = re.compile(
    rf"\{{(?P<name>{_FIELD}(?:\.[A-Za-z_]\w*|\[{_FIELD}\])*)"
    rf"(?::(?P<spec>[^{{}}:!]*(?:\{{{_FIELD}\}})?))?\}}",
    re.ASCII,
)


def _brace_specs(text: str) -> list[tuple[str | None, str]] | None:
    """The directives of a python-brace-format string; None when it is not a valid one."""
    specs: list[tuple[str | None, str]] = []
    position = 0
    while (position := text.find("{", position)) != -1:
        if text.startswith("{{", position):
            position += 2
            continue
        match = _BRACE_DIRECTIVE.match(text, position)
        if match is None:
            return None
        key = match["name"] + (":" + match["spec"] if match["spec"] else "")
        specs.append((key, ""))
        position = match.end()
    return specs


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


def check_entry(entry: Entry, error) -> None:
    """msgfmt --check of one (active, non-header) entry: newlines and format strings."""
    _check_newlines(entry, error)
    _check_formats(entry, error)


def _check_formats(entry: Entry, error) -> None:
    """msgfmt --check-format for python-format and python-brace-format entries.

    (Sphinx's document catalogs have no format strings; interface catalogs do.)
    """
    if "python-format" in entry.flags:
        compare = _python_specs
    elif "python-brace-format" in entry.flags:
        compare = _brace_specs
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
        if have is None and compare is _brace_specs:
            error(
                entry.msgstr_line,
                "'msgstr' is not a valid Python brace format string, unlike 'msgid'",
                "format",
            )
            continue
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


#: GNU msgfmt --check's header fields and their template values (gettext's
#: msgl-check.c). msgfmt only *warns* about a missing field or a value left at
#: its template default, and so does pamflet: Babel fills in what is missing
#: (the language from Sphinx's ``-D language``, the plural forms from the
#: locale), and Sphinx publishes every entry. Only what Babel would misread
#: stops a build: a charset other than UTF-8, a Plural-Forms it cannot evaluate.
_TEMPLATE_VALUES = {
    "Project-Id-Version": "PACKAGE VERSION",
    "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    "Language-Team": "LANGUAGE <LL@li.org>",
    "MIME-Version": None,
    "Content-Type": "text/plain; charset=CHARSET",
    "Content-Transfer-Encoding": "ENCODING",
    "Language": "",
}

#: Missing fields worth a warning: msgfmt warns about every field above, but a
#: catalog without PO-Revision-Date or Last-Translator is published correctly;
#: the language is what the checks (numbers, spelling) need to know.
_WARN_MISSING = ("Language",)


def header_fields(header: Entry) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in header.string.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def check_header(path: Path, entries: list[Entry]) -> list[Finding]:
    """The header, with msgfmt --check's severities (see ``_TEMPLATE_VALUES``)."""
    header = next(
        (e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete), None
    )
    if header is None:
        # msgfmt --check: a fatal error; Babel reads the file as UTF-8 and publishes
        # it as it is, so the build guard lets it through.
        return [
            Finding(
                path,
                1,
                "error",
                "header",
                'no header entry (msgid ""): GNU msgfmt rejects the file; Babel assumes '
                "UTF-8 and the build language",
                False,
            )
        ]
    fields = header_fields(header)
    found: list[Finding] = []

    def add(message: str, severity: str = "warning", blocks: bool | None = None) -> None:
        found.append(Finding(path, header.line, severity, "header", message, blocks))

    for name in _WARN_MISSING:
        if name not in fields:
            add(
                f"header field {name!r} missing in header (GNU msgfmt warns too; "
                "the checks cannot tell the language from the header)"
            )
    for name, template in _TEMPLATE_VALUES.items():
        value = fields.get(name)
        if value is None or template is None:
            continue
        if (value == "" and template == "") or (template and value.startswith(template)):
            add(f"header field {name!r} still has the initial default value")
    content_type = fields.get("Content-Type", "")
    if content_type and "charset=" in content_type:
        charset = content_type.split("charset=")[1].strip()
        if charset.lower() not in ("utf-8", "utf8") and charset != "CHARSET":
            add(
                f"charset {charset!r}: pamflet catalogs must be UTF-8 (Babel would decode "
                "the file with this charset)",
                "error",
                blocks=True,
            )
    plural = fields.get("Plural-Forms", "")
    if plural and ("nplurals=INTEGER" in plural or "nplurals=" not in plural):
        add("Plural-Forms is still the template default", "error", blocks=True)
    elif plural:
        problem = _plural_problem(plural)
        if problem:
            add(problem, "error", blocks=True)
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


def check_plurals(path: Path, entries: list[Entry]) -> list[Finding]:
    """Every plural entry has exactly nplurals translations (msgfmt --check)."""
    header = next(
        (e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete), None
    )
    if header is None:
        return []
    match = re.search(r"^Plural-Forms:(.*)$", header.string, re.MULTILINE)
    count = nplurals(match.group(1)) if match else None
    if count is None:
        plural = next((e for e in entries if e.msgid_plural is not None and not e.obsolete), None)
        if plural is not None and match is None:
            # msgfmt: a fatal error; Babel uses the language's plural rule instead.
            return [
                Finding(
                    path,
                    plural.line,
                    "error",
                    "header",
                    "the catalog has plural forms, but its header lacks "
                    "'Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;'",
                    False,
                )
            ]
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
