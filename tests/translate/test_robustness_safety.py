"""Robustness (issue 9, point 5; issue 25): what a translation adds is reported, and
what is dangerous is refused.

Each case is checked on its own (``checks.safety``), and all of them end to end: in
one catalog of the small test project, ``pamflet check`` reports each at its
``file:line``; ``sphinx-build -b leaflet`` (and ``pamflet guard``) refuse the catalog
for the dangerous ones (:data:`REFUSED`: a link that runs code, raw output, an
include, a download), naming each, and write no PDF. A link to another site and an
image are for ``pamflet check`` only (issue 25: a team may localise a link).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import TEST_PROJECT, copy_test_project, run
from pamflet.translate.checks import additions
from pamflet.translate.checks.refusals import refusals
from pamflet.translate.checks.runner import Checker, Options
from pamflet.translate.guard import guard_findings
from pamflet.translate.po import parse_po

#: msgid of the test project -> (an unsafe translation, words of the finding)
CASES = {
    "Before you eat.": (
        "Voordat u eet: `klik hier <javascript:alert(1)>`_.",
        "a link that runs code: javascript:alert(1)",
    ),
    "After you use the toilet.": (
        "Nadat u naar de wc bent geweest. data:text/html;base64,PHNjcmlwdD4=",
        "a link that runs code: data:text/html;base64,PHNjcmlwdD4=",
    ),
    "At home.": ("Thuis, zie https://evil.example/.", "link the source does not have: https://"),
    "Soap": ("Zeep, zie `hier <vbscript:msgbox(1)>`_", "a link that runs code: vbscript:"),
    "Warm or cold water both work.": (
        "Warm en koud water werken allebei. Mail iemand@evil.example",
        "link the source does not have: mailto:iemand@evil.example",
    ),
    "At work.": (
        "Op het werk.\n\n.. raw:: html\n\n   <script>alert(1)</script>",
        "injects raw output: raw",
    ),
    "Wet your hands.": (
        ":raw-html:`<script>alert(1)</script>` Maak uw handen nat.",
        "raw output the source does not have: :raw-html:",
    ),
    "Wash your hands for at least 20 seconds.": (
        ".. include:: conf.py",
        "injects the contents of a file: include",
    ),
    # docutils breaks lines at U+2028 too: this include ran, unreported, before issue 9.
    "Clean hands stop germs from spreading.": (
        "\u2028.. include:: conf.py",
        "injects the contents of a file: include",
    ),
    "Any ordinary soap works.": (
        "Elke gewone zeep werkt, zie :download:`conf.py`.",
        "a role that publishes a file: :download:",
    ),
    "Food safety": (
        "Voedselveiligheid\n\n.. image:: https://evil.example/pixel.png",
        "markup: directive 'image'",
    ),
}


#: The cases that the build refuses (the others: pamflet check reports them).
REFUSED = {
    "Before you eat.",
    "After you use the toilet.",
    "Soap",
    "At work.",
    "Wet your hands.",
    "Wash your hands for at least 20 seconds.",
    "Clean hands stop germs from spreading.",
    "Any ordinary soap works.",
}


@pytest.mark.parametrize("msgid", sorted(CASES))
def test_each_addition_is_reported(msgid: str) -> None:
    msgstr, words = CASES[msgid]
    problems = additions.check(msgid, msgstr)
    assert any(words in p for _severity, p in problems), problems
    assert any(severity == "error" for severity, _p in problems) == (
        msgid in REFUSED or msgid == "Food safety"
    )
    assert bool(refusals(msgid, msgstr)) == (msgid in REFUSED)
    assert additions.check(msgid, msgid.replace("you", "u")) == []


def po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


@pytest.fixture()
def unsafe_project(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    """The test project with every unsafe translation; returns (project, po, msgid lines)."""
    project = copy_test_project(tmp_path)
    po = project / "locales" / "nl" / "LC_MESSAGES" / "index.po"
    lines = po.read_text(encoding="utf-8").split("\n")
    where = {}
    for msgid, (msgstr, _words) in CASES.items():
        number = lines.index(f"msgid {po_string(msgid)}")
        assert lines[number + 1].startswith("msgstr ")
        lines[number + 1] = f"msgstr {po_string(msgstr)}"
        where[msgid] = number + 1
    po.write_text("\n".join(lines), encoding="utf-8")
    entries, findings = parse_po(po)
    assert not [f for f in findings if f.severity == "error"]  # well-formed: only unsafe
    refused = {line for msgid, line in where.items() if msgid in REFUSED}
    assert {f.line for f in guard_findings(po, entries)} == refused
    return project, po, where


def test_check_reports_each_addition(unsafe_project) -> None:
    project, po, where = unsafe_project
    findings = Checker(Options(root=project, skip={"spelling"})).check(po)
    safety_lines = {f.line for f in findings if f.check == "safety"}
    assert safety_lines == set(where.values())
    result = run(
        [sys.executable, "-m", "pamflet.cli", "check", "--only", "safety", str(po)],
        cwd=project,
        check=False,
    )
    assert result.returncode == 1
    for msgid, line in where.items():
        severity = "error" if msgid in REFUSED or msgid == "Food safety" else "warning"
        assert f"index.po:{line}: {severity} [safety]" in result.stdout, msgid
    assert "Traceback" not in result.stdout + result.stderr


def test_the_build_refuses_each_addition(unsafe_project) -> None:
    project, po, where = unsafe_project
    out = project / "_build"
    result = run(
        [sys.executable, "-m", "sphinx", "-b", "leaflet", "-D", "language=nl", "-q"]
        + [str(project), str(out)],
        check=False,
    )
    assert result.returncode == 2
    for msgid, line in where.items():
        assert (f"index.po:{line}: error [safety]" in result.stderr) == (msgid in REFUSED), msgid
    guard = run([sys.executable, "-m", "pamflet.cli", "guard", str(po)], check=False)
    assert guard.returncode == 1
    assert sorted(int(line.split(":")[1]) for line in guard.stdout.splitlines()) == sorted(
        line for msgid, line in where.items() if msgid in REFUSED
    )
    assert "nothing was built" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*.pdf")) and not list(po.parent.glob("*.mo"))


def test_obsolete_entries_are_not_published_and_not_checked(tmp_path: Path) -> None:
    """An obsolete (#~) entry is not in the build: its text is no safety error, and it
    only counts as a duplicate when it repeats an active entry (as in msgfmt)."""
    po = tmp_path / "nl" / "LC_MESSAGES" / "index.po"
    po.parent.mkdir(parents=True)
    header = (TEST_PROJECT / "locales" / "nl" / "LC_MESSAGES" / "index.po").read_text("utf-8")
    header = header.split("\n\n")[0] + "\n\n"
    po.write_text(
        header
        + 'msgid "Soap"\nmsgstr "Zeep"\n\n'
        + '#, fuzzy\n#~ msgid "Old"\n#~ msgstr "Zie `x <javascript:alert(1)>`_"\n',
        encoding="utf-8",
    )
    entries, findings = parse_po(po)
    assert findings == [] and guard_findings(po, entries) == []
    assert Checker(Options(root=tmp_path, skip={"spelling"})).check(po) == []
    po.write_text(po.read_text("utf-8").replace('"Old"', '"Soap"'), encoding="utf-8")
    (duplicate,) = parse_po(po)[1]
    assert duplicate.line == 14 and "obsolete (#~) entry repeats the active one" in (
        duplicate.message
    )


def test_a_site_is_its_registrable_domain_not_its_last_two_labels() -> None:
    """A link to the same resource in the reader's language is a localisation; a link to
    another owner under a shared suffix (co.uk) is not the same site."""
    from pamflet.translate.checks.safety import site

    assert site("https://en.wikipedia.org/wiki/PTSD") == site("https://fr.wikipedia.org/")
    assert site("https://docs.python.org/3/") == "python.org"
    assert site("https://www.example.co.uk/a") != site("https://evil.co.uk/a")
    assert site("mailto:x@example.org") is None
