"""pamflet check: one fixture catalog per defect, each reported at its file:line and id."""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from conftest import FIXTURES as FIXTURE_ROOT
from conftest import run
from pamflet.translate.checks.batch import check_paths
from pamflet.translate.checks.numbers import check as check_numbers
from pamflet.translate.checks.runner import Options
from pamflet.translate.checks.spelling import Speller, SpellingUnavailable
from pamflet.translate.po import parse_po

FIXTURES = FIXTURE_ROOT / "po"

#: Every fixture and exactly what `pamflet check` reports in it: (line, severity, check).
EXPECTED = {
    "good.po": [],
    "syntax-unterminated.po": [(12, "error", "syntax")],
    "syntax-escape.po": [(12, "error", "syntax")],
    "syntax-duplicate.po": [(15, "error", "syntax")],
    "header-default.po": [(1, "error", "header")],
    "plural-forms.po": [(13, "error", "syntax")],
    "format.po": [(13, "error", "format")],
    "fuzzy.po": [(16, "warning", "fuzzy")],
    "untranslated.po": [(15, "warning", "untranslated")],
    "rst-syntax.po": [(11, "error", "rst-syntax"), (15, "error", "rst-syntax")],
    # emphasis lost: an opt-in warning (pamflet check --only emphasis); added: style
    "rst-inline.po": [(11, "warning", "emphasis")],
    "rst-references.po": [
        (11, "error", "rst-references"),
        (15, "error", "rst-references"),
        (19, "error", "rst-references"),
    ],
    # a changed number: one error that names the translation's (17 for 71)
    "numbers.po": [(11, "error", "numbers"), (15, "error", "numbers")],
    "terminology.po": [(11, "warning", "terminology")],
    "whitespace.po": [(11, "warning", "whitespace")],
    "double-space.po": [(11, "warning", "double-space")],
    "end-punctuation.po": [(11, "warning", "end-punctuation")],
    "safety-javascript.po": [(11, "error", "safety")],
    "safety-data-url.po": [(11, "error", "safety")],
    "safety-role.po": [(11, "error", "safety")],
    "safety-html.po": [],  # "<b>" in reStructuredText is text, printed as it is
    "safety-directive.po": [
        (11, "error", "safety"),  # the raw directive (its HTML is text to the check)
        (11, "error", "rst-syntax"),  # docutils: "raw" directive disabled
    ],  # it ends without a full stop: a style that end-punctuation accepts
    "safety-include.po": [
        (11, "error", "safety"),
        (11, "error", "rst-syntax"),  # docutils: include disabled
    ],
    "stats.po": [
        (16, "warning", "fuzzy"),
        (21, "warning", "fuzzy"),
        (25, "warning", "untranslated"),
        (29, "warning", "untranslated"),
    ],
}


@cache
def spelling_problem() -> str | None:
    """Why spelling cannot run here (the Debian packages to install), or None."""
    try:
        Speller("nl", "nl_NL")
        Speller("en", "en_GB")
    except SpellingUnavailable as exc:
        return str(exc)
    return None


def options(name: str, **kwargs) -> Options:
    return Options(
        root=FIXTURES,
        spelling_dictionaries={"en": "en_GB"},
        terminology=FIXTURES / "terminology.csv" if name == "terminology.po" else None,
        **kwargs,
    )


def found(name: str, **kwargs) -> list[tuple[int, str, str]]:
    opts = options(name, **kwargs)
    if name != "good.po" or spelling_problem():
        opts.skip.add("spelling")  # the fixtures share one source file; spelling has its own
    return [(f.line, f.severity, f.check) for f in check_paths([FIXTURES / name], opts)]


def test_every_fixture_is_listed() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.po")) == sorted([*EXPECTED, "spelling.po"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_check_reports_its_line_and_id(name: str) -> None:
    assert found(name) == EXPECTED[name]


def test_strict_makes_fuzzy_and_untranslated_errors() -> None:
    assert found("fuzzy.po", strict=True) == [(16, "error", "fuzzy")]
    assert found("untranslated.po", strict=True) == [(15, "error", "untranslated")]


def test_the_command_prints_file_line_id_and_source(tmp_path: Path) -> None:
    result = run(
        [sys.executable, "-m", "pamflet.cli", "check", "--skip", "spelling", "numbers.po"],
        cwd=FIXTURES,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "numbers.po:11: error [numbers] number(s) of the source missing in the translation: 71 "
        "(the translation has 17) (source: source/leaflet.rst:4)"
    )
    assert "numbers.po:15: error [numbers]" in lines[1] and "0.5 (in nl: 0,5)" in lines[1]
    assert "2 errors" in result.stderr

    warnings_only = run(
        [sys.executable, "-m", "pamflet.cli", "check", "--skip", "spelling", "fuzzy.po"],
        cwd=FIXTURES,
        check=False,
    )
    assert warnings_only.returncode == 0
    strict = run(
        [
            sys.executable,
            "-m",
            "pamflet.cli",
            "check",
            "--strict",
            "--skip",
            "spelling",
            "fuzzy.po",
        ],
        cwd=FIXTURES,
        check=False,
    )
    assert strict.returncode == 1
    assert strict.stdout.startswith("fuzzy.po:16: error [fuzzy]")


def test_the_real_catalogs_have_no_errors() -> None:
    result = run(
        [sys.executable, "-m", "pamflet.cli", "check"]
        + ([] if spelling_problem() is None else ["--skip", "spelling"]),
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " error " not in result.stdout
    assert "0 errors" in result.stderr


# -- syntax, cross-checked with GNU msgfmt -------------------------------------------------------


def test_syntax_findings_agree_with_msgfmt(msgfmt: str) -> None:
    """pamflet rejects exactly the fixtures that `msgfmt --check` rejects."""
    paths = sorted(FIXTURES.glob("*.po"))
    assert len(paths) >= 10, paths  # the fixtures were found
    for path in paths:
        gnu = subprocess.run(
            [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        ours = [
            f
            for f in parse_po(path)[1]
            if f.severity == "error" and f.check in ("syntax", "header", "format")
        ]
        assert (gnu.returncode != 0) == bool(ours), (path.name, gnu.stderr, ours)


#: Lines msgfmt accepts but Babel (Sphinx's reader) misreads: pamflet rejects them.
BABEL_MISREADS = {'msgid "a" "b"\nmsgstr "c" "d"\n', 'msgid "a"\nmsgstr "b" # note\n'}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Several strings on one line, or a comment after a msgstr: msgfmt accepts both,
        # but Babel (Sphinx's reader) publishes 'c" "d' and 'b" # not': errors (issue 9).
        ('msgid "a" "b"\nmsgstr "c" "d"\n', [(10, "syntax"), (11, "syntax")]),
        ('msgid "a"\nmsgstr "b\u2028c"\n', []),  # a pasted line separator is no line end
        ('msgctxt "x"\n\nmsgid "a"\nmsgstr "b"\n', []),  # blank lines inside an entry
        ('msgid "a\\n"\nmsgstr "b"\n', [(11, "syntax")]),  # msgfmt: both end with \n
        ('msgid "a"\nmsgstr "b" # note\n', [(11, "syntax")]),
        ('msgid "a" # note\nmsgstr "b"\n', [(10, "syntax")]),  # but not a msgid line
        ('msgid "a"\nmsgstrx "b"\n', [(10, "syntax"), (11, "syntax")]),
        ('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', [(13, "syntax")]),
    ],
)
def test_parser_follows_msgfmt(tmp_path: Path, msgfmt: str, body: str, expected: list) -> None:
    header = (FIXTURES / "good.po").read_text(encoding="utf-8").split("\n\n")[0]
    header = header.split("\n", 1)[1]  # without the comment line: the header starts at line 1
    path = tmp_path / "x.po"
    path.write_text(header + "\n\n" + body, encoding="utf-8")
    assert [(f.line, f.check) for f in parse_po(path)[1]] == expected
    result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True)
    assert (result.returncode != 0) == bool(expected) or body in BABEL_MISREADS


def test_plural_forms_expression_is_checked(tmp_path: Path) -> None:
    text = (FIXTURES / "good.po").read_text(encoding="utf-8")
    for plural, words in [
        ("plural=(n != ;", "invalid plural expression"),
        ("plural=n;", "as large"),
    ]:
        path = tmp_path / "x.po"
        path.write_text(text.replace("plural=(n != 1);", plural), encoding="utf-8")
        problems = [f for f in parse_po(path)[1] if f.check == "header"]
        assert len(problems) == 1 and words in problems[0].message


# -- numbers, terminology, spelling --------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "msgstr", "ok"),
    [
        ("Take 0.5 mg.", "Neem 0,5 mg.", True),
        ("Over 1,000 people.", "Meer dan 1.000 mensen.", True),
        ("Over 1,000 people.", "Meer dan 1000 mensen.", True),
        ("Over 1,000 people.", "Meer dan 1,000 mensen.", False),  # 1,000 is one in Dutch
        ("Version 1.0", "Versie 1.0", True),
        ("Call 113 or 0800-0113.", "Bel 113 of 0800-0113.", True),
        (
            "Chat at `113.nl <https://www.113.nl>`_.",
            "Chat via `113.nl <https://www.113.nl>`_.",
            True,
        ),
        ("71% of people", "17% van de mensen", False),
    ],
)
def test_numbers_follow_the_locale(msgid: str, msgstr: str, ok: bool) -> None:
    errors = [m for severity, m in check_numbers(msgid, msgstr, "nl") if severity == "error"]
    assert (not errors) == ok, errors


def test_terminology_skip_rules() -> None:
    """doctor/dokter is reported; placebogroep keeps 'placebo'; the msgid: rule skips
    'Washing hands'; the section:sources rule skips the entry in the sources section,
    also when pamflet_check_exempt_classes is empty."""
    assert found("terminology.po", exempt_classes=set()) == [(11, "warning", "terminology")]


@pytest.mark.skipif(spelling_problem() is not None, reason=spelling_problem() or "")
def test_spelling_points_at_the_line_with_the_word() -> None:
    findings = check_paths([FIXTURES / "spelling.po"], options("spelling.po"))
    assert [(f.line, f.check) for f in findings] == [(20, "spelling")]
    assert "'herstelperiodde'" in findings[0].message


def test_spelling_says_what_to_install_when_a_dictionary_is_missing() -> None:
    with pytest.raises(SpellingUnavailable, match="apt-get install libenchant-2-2 hunspell-"):
        Speller("xx", "xx_XX")


def test_checking_only_some_entries_reports_only_theirs() -> None:
    """``Checker.check(path, only=...)`` (the watcher checks the entries a save
    changed): the findings of the accepted entries, the same as a full check's."""
    from pamflet.translate.checks.runner import Checker

    path = FIXTURES / "numbers.po"
    checker = Checker(Options(root=FIXTURES))

    def numbers(findings: list) -> list:  # (a missing dictionary is the catalog's own)
        return [f for f in findings if f.check == "numbers"]

    full = numbers(checker.check(path))
    second = numbers(checker.check(path, only=lambda entry: entry.msgid == "Take 0.5 mg."))
    assert [f.line for f in full] == [11, 15]
    assert second == [f for f in full if f.line == 15]
    assert numbers(checker.check(path, only=lambda entry: False)) == []
