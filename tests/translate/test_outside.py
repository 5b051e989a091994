"""Precision and recall of `pamflet check` on catalogs written by other tools (issue 13).

tests/fixtures/outside holds catalogs as msginit, Poedit and sphinx-intl write
them, with a fuzzy header, without a Language field, with a BOM, one with
correct local notations and one with planted problems; expected.json says, per
entry, what a check should report. Every planted problem must be found, and
at least 90% of the error findings must point at a real one (none at all on the
correct catalogs). Header problems are warnings and never stop a build.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, run
from pamflet.translate.checks.runner import Checker, Options
from pamflet.translate.guard import guard_findings
from pamflet.translate.po import parse_po

OUTSIDE = FIXTURES / "outside"
EXPECTED = json.loads((OUTSIDE / "expected.json").read_text(encoding="utf-8"))


def score() -> dict:
    """Run the Checker over every fixture catalog and score it against expected.json."""
    checker = Checker(Options(root=OUTSIDE))
    tp = miss = true_errors = false_errors = 0
    misses: list[str] = []
    false: list[str] = []
    for name, spec in EXPECTED["files"].items():
        path = OUTSIDE / name
        entries, _ = parse_po(path)
        findings = [f for f in checker.check(path) if Path(f.path) == path]
        by_msgid: dict[str, list] = {}
        for finding in findings:
            line = finding.line
            entry = next((e for e in entries if e.line <= line <= max(e.end_line, e.line)), None)
            if entry is None or entry.msgid == "":
                key = ""  # the header and file-level findings
            else:
                key = entry.msgid[:40]
            by_msgid.setdefault(key, []).append(finding)
        for want in spec["entries"]:
            got = by_msgid.get(want["msgid"], [])
            expected = want["expected"]
            ok = {expected, *want.get("also_ok", [])} - {None}
            if "bidi" in ok:
                ok.add("safety")  # the bidi finding is a safety error
            if expected is not None:
                if any(f.check in ok for f in got):
                    tp += 1
                else:
                    miss += 1
                    misses.append(f"{name} {want['msgid']!r}: expected {expected}")
            for finding in got:
                if finding.severity != "error":
                    continue
                if expected is not None and finding.check in ok | {"rst-syntax", "rst-inline"}:
                    true_errors += 1
                else:
                    false_errors += 1
                    false.append(f"{name} {want['msgid']!r}: {finding}")
    errors = true_errors + false_errors
    return {
        "tp": tp,
        "miss": miss,
        "misses": misses,
        "true_errors": true_errors,
        "false_errors": false_errors,
        "false": false,
        "precision": true_errors / errors if errors else 1.0,
        "recall": tp / (tp + miss) if tp + miss else 1.0,
    }


def test_every_planted_problem_is_found_and_errors_are_real() -> None:
    result = score()
    assert result["recall"] == 1.0, result["misses"]
    assert result["precision"] >= 0.9, result["false"]
    # the correct catalogs get no error at all
    assert not [f for f in result["false"] if not f.startswith("planted-errors.po")], result[
        "false"
    ]


@pytest.mark.parametrize(
    "name",
    ["msginit.po", "poedit.po", "fuzzy-header.po", "no-language.po", "bom.po", "sphinx-intl.po"],
)
def test_catalogs_of_other_tools_have_no_errors_and_pass_the_guard(name: str) -> None:
    path = OUTSIDE / name
    entries, findings = parse_po(path)
    assert len([e for e in entries if not e.is_header]) == 14  # every entry was read
    assert not [f for f in findings if f.stops_build], findings
    assert not guard_findings(path, entries)
    checked = Checker(Options(root=OUTSIDE)).check(path)
    assert [f for f in checked if f.severity == "error"] == [], checked


def test_header_severities_follow_msgfmt() -> None:
    """msgfmt --check warns about no Language and template values, and so do we."""
    found = {
        name: [(f.severity, f.check, f.message) for f in parse_po(OUTSIDE / name)[1]]
        for name in ("fuzzy-header.po", "no-language.po", "sphinx-intl.po", "bom.po")
    }
    assert all(severity == "warning" for items in found.values() for severity, _c, _m in items)
    fuzzy = [m for _s, _c, m in found["fuzzy-header.po"]]
    for field in ("PO-Revision-Date", "Last-Translator", "Language-Team"):
        assert any(field in m and "initial default value" in m for m in fuzzy), fuzzy
    assert not any("left out" in m for m in fuzzy)  # Babel keeps the fuzzy header
    assert [c for _s, c, m in found["no-language.po"] if "'Language'" in m] == ["header"]
    assert [(s, c) for s, c, _m in found["bom.po"]] == [("warning", "syntax")]


def test_babel_publishes_a_catalog_with_a_fuzzy_header() -> None:
    """What Sphinx does with it: Babel reads every entry and writes the header."""
    import gettext
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for name in ("fuzzy-header.po", "sphinx-intl.po", "bom.po"):
        with (OUTSIDE / name).open("rb") as handle:
            catalog = read_po(handle)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)  # use_fuzzy=False, as Sphinx compiles
        buffer.seek(0)
        translations = gettext.GNUTranslations(buffer)
        assert translations.gettext("Washing your hands") == "Handen wassen", name


def test_sphinx_builds_html_from_a_catalog_without_language(tmp_path: Path) -> None:
    """`sphinx-build -b html -D language=nl` with pamflet and a catalog without the
    Language header (and a fuzzy one): the guard lets it through, Dutch is published."""
    project = tmp_path / "outside"
    project.mkdir()
    for rst in ("source.rst",):
        shutil.copy(OUTSIDE / rst, project / rst)
    (project / "index.rst").write_text(
        "Outside\n=======\n\n.. toctree::\n\n   source\n", encoding="utf-8"
    )
    (project / "conf.py").write_text(
        'project = "Outside"\nlanguage = "en"\nlocale_dirs = ["locales/"]\n'
        'gettext_compact = False\nextensions = ["pamflet"]\n',
        encoding="utf-8",
    )
    catalogs = project / "locales" / "nl" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    shutil.copy(OUTSIDE / "no-language.po", catalogs / "source.po")
    out = tmp_path / "html"
    result = run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-D",
            "language=nl",
            str(project),
            str(out),
        ],
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    html = (out / "source.html").read_text(encoding="utf-8")
    assert "Handen wassen" in html and "Meer dan 1.000 mensen deden mee." in html


def test_the_guard_still_refuses_bidi_controls_and_unsafe_links(tmp_path: Path) -> None:
    entries, _ = parse_po(OUTSIDE / "planted-errors.po")
    messages = [f.message for f in guard_findings(OUTSIDE / "planted-errors.po", entries)]
    assert any("U+202E" in m for m in messages)
    # a link to another site is for pamflet check (issue 25); a download publishes a file
    assert not any("evil.example.net" in m for m in messages)
    assert any(":download:" in m for m in messages)
