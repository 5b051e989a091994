"""Robustness (issue 9, point 1): fuzzed catalogs.

Hypothesis mutates valid catalogs the ways files get broken: truncation, stray
quotes and backslashes, duplicated entries, broken encodings, garbled headers,
stray keywords and control characters. For every mutant:

- the parser, the build guard and ``pamflet check`` never raise: a finding
  names ``file:line``;
- whatever GNU ``msgfmt --check`` rejects, the parser rejects too;
- whatever the parser accepts, Sphinx reads to exactly the same translations
  (Babel's ``read_po`` and ``write_mo``, then ``gettext``, as Sphinx does), so a
  catalog that passes cannot publish a truncated or garbled sentence.

The many cases run in-process; a small sample runs the real command-line
``pamflet check`` and ``sphinx-build -b leaflet``: a failed catalog gives a
non-zero exit, ``file:line`` and no PDF. The profile is derandomized, so CI
runs the same cases every time; ``PAMFLET_FUZZ=20`` runs twenty times as many.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import ROOT, TEST_PROJECT, copy_test_project, run
from pamflet.translate.checks.runner import Checker, Options
from pamflet.translate.guard import guard_findings
from pamflet.translate.po import parse_po

SCALE = max(1, int(os.environ.get("PAMFLET_FUZZ", "1")))
LEAFLET_PO = ROOT / "locales" / "nl" / "LC_MESSAGES" / "ptsd-psychedelic-therapy.po"
INDEX_PO = TEST_PROJECT / "locales" / "nl" / "LC_MESSAGES" / "index.po"

FAST = settings(
    max_examples=100 * SCALE,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(
    max_examples=2 * SCALE,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each case is a real build
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- mutations -------------------------------------------------------------------------------

SNIPPETS = [
    b'"',
    b"\\",
    b'\\"',
    b"\\q",
    b"\\x",
    b"\\x4",
    b"\\777",
    b"\\101",
    b"\\x41",
    b"\\a",
    b"\n# a comment\n",
    b"\t",
    b"\xc2\xa0",  # NO-BREAK SPACE
    b"\n",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\t",
    b"\x0c",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\xa8",  # U+2028 LINE SEPARATOR
    b"\xc2\x85",  # U+0085 NEXT LINE
    b"\xef\xbb\xbf",  # a BOM in the middle
    b"#~ ",
    b"#, fuzzy\n",
    b"#, python-format\n",
    b'msgid "x"\n',
    b'msgstr "y"\n',
    b'msgstr[1] "z"\n',
    b'msgid_plural "p"\n',
    b'msgctxt "c"\n',
    b'"" ""',
    b'" # comment',
    b"%s",
    b"%(name)s",
    b"{0}",
    b"\n.. raw:: html\n\n   <script>alert(1)</script>\n",
    b"`x <javascript:alert(1)>`_",
    b"\xe2\x80\xa8.. include:: conf.py",
    b":raw-html:`<b>x</b>`",
]

HEADER_FIELDS = [
    (b"Content-Type: text/plain; charset=UTF-8", b"Content-Type: text/plain; charset=ISO-8859-1"),
    (b"Content-Type: text/plain; charset=UTF-8", b"Content-Type: text/plain; charset="),
    (b"Content-Type: text/plain; charset=UTF-8", b"Content-Type: text/plain"),
    (b"Content-Type: text/plain; charset=UTF-8", b"Content-Type: text/plain; charset=CHARSET"),
    (b"Content-Type: text/plain; charset=UTF-8", b"Content-Type: text/plain; charset=klingon"),
    (b"Language: nl", b"Language: "),
    (b"Language: nl", b"Language: xx_YY@foo"),
    (b"MIME-Version: 1.0\\n", b""),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=INTEGER; plural=EXPRESSION;"),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=2; plural=n/0;"),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=2; plural=n%0;"),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=0; plural=0;"),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=1; plural=n>1;"),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=2; plural=(n != 1"),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=2; plural=" + b"(" * 300 + b"n" + b")" * 300),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=99999999999999999999; plural=n;"),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=2; plural=n ? 1 : ;"),
    (b"nplurals=2; plural=(n != 1);", b"nplurals=2; plural=__import__('os');"),
    (b'msgid ""\nmsgstr ""\n', b'#, fuzzy\nmsgid ""\nmsgstr ""\n'),
    (b'msgid ""\nmsgstr ""\n', b""),
    (b'msgid ""\nmsgstr ""\n', b'#~ msgid ""\n#~ msgstr ""\n'),
]


def _at(data: bytes, fraction: float) -> int:
    return min(len(data), int(fraction * (len(data) + 1)))


def _blocks(data: bytes) -> list[bytes]:
    return data.split(b"\n\n")


@st.composite
def mutation(draw):
    """One edit: a function bytes -> bytes, with a label for the failure report."""
    kind = draw(
        st.sampled_from(
            [
                "truncate",
                "insert",
                "insert-bytes",
                "delete",
                "duplicate-entry",
                "swap-entries",
                "header",
                "encoding",
                "drop-line",
            ]
        )
    )
    where = draw(st.floats(min_value=0, max_value=1, allow_nan=False))
    if kind == "truncate":
        return kind, lambda d: d[: _at(d, where)]
    if kind == "insert":
        snippet = draw(st.sampled_from(SNIPPETS))
        return f"insert {snippet!r}", lambda d: d[: _at(d, where)] + snippet + d[_at(d, where) :]
    if kind == "insert-bytes":
        raw = draw(st.binary(min_size=1, max_size=6))
        return f"insert {raw!r}", lambda d: d[: _at(d, where)] + raw + d[_at(d, where) :]
    if kind == "delete":
        size = draw(st.integers(min_value=1, max_value=40))
        return f"delete {size}", lambda d: d[: _at(d, where)] + d[_at(d, where) + size :]
    if kind == "duplicate-entry":
        to = draw(st.floats(min_value=0, max_value=1, allow_nan=False))

        def duplicate(d: bytes) -> bytes:
            blocks = _blocks(d)
            block = blocks[min(len(blocks) - 1, int(where * len(blocks)))]
            blocks.insert(min(len(blocks), int(to * (len(blocks) + 1))), block)
            return b"\n\n".join(blocks)

        return kind, duplicate
    if kind == "swap-entries":
        other = draw(st.floats(min_value=0, max_value=1, allow_nan=False))

        def swap(d: bytes) -> bytes:
            blocks = _blocks(d)
            i = min(len(blocks) - 1, int(where * len(blocks)))
            j = min(len(blocks) - 1, int(other * len(blocks)))
            blocks[i], blocks[j] = blocks[j], blocks[i]
            return b"\n\n".join(blocks)

        return kind, swap
    if kind == "header":
        old, new = draw(st.sampled_from(HEADER_FIELDS))
        return f"header {new[:40]!r}", lambda d: d.replace(old, new, 1)
    if kind == "encoding":
        codec = draw(st.sampled_from(["latin-1", "utf-16", "utf-8-sig", "cp1252"]))
        return (
            f"encoding {codec}",
            lambda d: d.decode("utf-8", "replace").encode(codec, "replace"),
        )

    def drop_line(d: bytes) -> bytes:
        lines = d.split(b"\n")
        del lines[min(len(lines) - 1, int(where * len(lines)))]
        return b"\n".join(lines)

    return kind, drop_line


def mutate(base: bytes, edits: list) -> bytes:
    data = base
    for _label, edit in edits:
        data = edit(data)
    return data


EDITS = st.lists(mutation(), min_size=1, max_size=3)

# -- what must hold for every mutant ---------------------------------------------------------


def assert_findings_point_at_lines(path: Path, data: bytes, findings) -> None:
    lines = data.count(b"\n") + 1
    for finding in findings:
        assert isinstance(finding.line, int) and 1 <= finding.line <= lines, finding
        assert str(finding).startswith(f"{finding.path}:{finding.line}: "), finding
        assert finding.severity in ("error", "warning")


def guard_errors(path: Path, entries, findings) -> list:
    """What the build guard refuses: what Babel would misread (``Finding.stops_build``)
    and the safety errors; header problems msgfmt only warns about do not count."""
    findings = findings + guard_findings(path, entries)
    return [f for f in findings if f.stops_build]


def sphinx_translations(path: Path) -> dict[str, str]:
    """The translations Sphinx publishes from a catalog: read as Sphinx reads it
    (text mode, Babel's read_po and write_mo), then loaded with gettext."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(path, encoding="utf-8") as po:
        catalog = read_po(po, "nl")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    return {key: value for key, value in translations._catalog.items() if key != ""}


def parser_translations(entries) -> dict:
    out = {}
    for entry in entries:
        if entry.obsolete or not entry.translated or entry.msgid == "" and not entry.msgctxt:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            out[key] = entry.string
        else:
            for slot, value in entry.msgstr.items():
                out[(key, slot)] = value
    return out


def check_mutant(path: Path, data: bytes, msgfmt: str) -> list:
    """The in-process properties; returns the guard's errors."""
    path.write_bytes(data)
    entries, findings = parse_po(path)
    assert_findings_point_at_lines(path, data, findings)
    errors = guard_errors(path, entries, findings)
    assert_findings_point_at_lines(path, data, errors)
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    if result.returncode != 0:
        # pamflet check reports what msgfmt rejects (as an error; a BOM at the start,
        # which Babel reads, as a warning); the guard need not refuse it
        reported = [
            f
            for f in findings
            if f.severity == "error" or (f.line == 1 and "byte order mark" in f.message)
        ]
        assert reported, f"msgfmt rejects what the parser accepts:\n{result.stderr}"
    if not errors:
        # What the parser accepts, Sphinx publishes exactly as the parser read it.
        assert sphinx_translations(path) == parser_translations(entries)
    return errors


# -- in-process: many cases ------------------------------------------------------------------


@FAST
@given(edits=EDITS)
def test_fuzzed_leaflet_catalog_parser_and_guard(tmp_path_factory, msgfmt: str, edits) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "ptsd-psychedelic-therapy.po"
    check_mutant(path, mutate(LEAFLET_PO.read_bytes(), edits), msgfmt)


@pytest.fixture(scope="module")
def checker() -> Checker:
    """One Checker for every case (as `pamflet check` uses one for all catalogs)."""
    return Checker(Options(root=TEST_PROJECT, spelling_dictionaries={"nl": "nl_NL"}))


@FAST
@given(edits=EDITS)
@pytest.mark.slow
def test_fuzzed_catalog_pamflet_check(
    tmp_path_factory, checker: Checker, msgfmt: str, edits
) -> None:
    folder = tmp_path_factory.mktemp("fuzz") / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    path = folder / "index.po"
    data = mutate(INDEX_PO.read_bytes(), edits)
    errors = check_mutant(path, data, msgfmt)
    findings = checker.check(path)
    assert_findings_point_at_lines(path, data, [f for f in findings if f.path == path])
    # `pamflet check` fails (exit 1) whenever the guard would refuse the build.
    if errors:
        assert any(f.severity == "error" for f in findings)


# -- the real commands: a small sample -------------------------------------------------------

#: Cases every run includes: the classic breakages, one of each kind.
UNTERMINATED = [("unterminated", lambda d: d.replace(b'"Handen wassen"', b'"Handen wassen', 1))]
LATIN1 = [("latin-1", lambda d: d.decode("utf-8").encode("latin-1", "replace"))]
CR_IN_STRING = [("raw CR", lambda d: d.replace(b"Schone handen", b"Schone\rhanden", 1))]
INCLUDE = [
    (
        "U+2028 include",
        lambda d: d.replace(b'"Schone handen', b'"\xe2\x80\xa8.. include:: conf.py', 1),
    )
]
HARMLESS = [("reworded", lambda d: d.replace(b"Op het werk.", b"Op uw werk.", 1))]


def sphinx_leaflet(project: Path) -> subprocess.CompletedProcess:
    return run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "leaflet",
            "-D",
            "language=nl",
            "-q",
            str(project),
            str(project / "_build"),
        ],
        check=False,
    )


@SLOW
@example(edits=UNTERMINATED)
@example(edits=INCLUDE)
@example(edits=HARMLESS)
@given(edits=EDITS)
@pytest.mark.slow
def test_fuzzed_catalog_real_build(tmp_path_factory, msgfmt: str, edits) -> None:
    project = copy_test_project(tmp_path_factory.mktemp("fuzz"))
    po = project / "locales" / "nl" / "LC_MESSAGES" / "index.po"
    data = mutate(po.read_bytes(), edits)
    errors = check_mutant(po, data, msgfmt)
    result = sphinx_leaflet(project)
    pdfs = list((project / "_build").glob("*.pdf"))
    assert "Traceback" not in result.stderr + result.stdout
    if errors:
        assert result.returncode != 0
        first = errors[0]
        assert f"{po}:{first.line}: error [{first.check}]" in result.stderr
        assert not pdfs, "a PDF was written from a catalog that failed"
        assert not list(po.parent.glob("*.mo"))
    else:
        assert result.returncode == 0, result.stderr
        assert len(PdfReader(pdfs[0]).pages) >= 1


@SLOW
@example(edits=UNTERMINATED)
@example(edits=LATIN1)
@example(edits=CR_IN_STRING)
@example(edits=HARMLESS)
@given(edits=EDITS)
def test_fuzzed_catalog_check_command(tmp_path_factory, msgfmt: str, edits) -> None:
    folder = tmp_path_factory.mktemp("fuzz") / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "index.po"
    data = mutate(INDEX_PO.read_bytes(), edits)
    errors = check_mutant(po, data, msgfmt)
    result = run(
        [sys.executable, "-m", "pamflet.cli", "check", "--skip", "spelling", str(po)],
        cwd=folder,
        check=False,
    )
    assert "Traceback" not in result.stderr + result.stdout
    reported = re.findall(r"^index\.po:(\d+): error \[", result.stdout, re.MULTILINE)
    if errors:
        assert result.returncode == 1
        assert {str(e.line) for e in errors} <= set(reported)
    else:
        assert result.returncode == (1 if reported else 0), result.stdout
