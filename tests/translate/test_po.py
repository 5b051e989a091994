"""The catalog guard: a malformed catalog stops the build, naming file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, leaflet
from pamflet.translate.po import parse_po

HEADER = """msgid ""
msgstr ""
"Project-Id-Version: t\\n"
"Language: nl\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def findings(tmp_path: Path, body: str) -> list[tuple[int, str, str]]:
    path = tmp_path / "x.po"
    path.write_text(HEADER + body, encoding="utf-8")
    return [(f.line, f.check, f.message) for f in parse_po(path)[1]]


def test_a_correct_catalog_has_no_findings(tmp_path: Path) -> None:
    assert (
        findings(
            tmp_path,
            'msgid "Hello"\nmsgstr "Hallo"\n\nmsgid "Two"\n"lines"\nmsgstr "Twee"\n"regels"\n',
        )
        == []
    )


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('msgid "Hello"\nmsgstr "Hallo\n', 11, "unterminated"),
        ('msgid "Hello"\nmsgstr "Ha\\qllo"\n', 11, "invalid control sequence"),
        ('msgid "A"\nmsgstr "B"\n\nmsgid "A"\nmsgstr "C"\n', 13, "duplicate message"),
        ('msgid "A"\n\n', 10, "missing 'msgstr'"),
        ('msgid "A"\nmsgstr "B" trailing\n', 11, "unexpected text"),
        # msgfmt refuses the context separator in any string, a msgstr too (found by the
        # fuzz test: U+0080 U+0004 inserted into a translation)
        ('msgid "A"\nmsgstr "B\u0080\u0004C"\n', 11, "context separator"),
        ('msgid "A\u0004B"\nmsgstr "C"\n', 10, "context separator"),
    ],
)
def test_syntax_errors_point_at_their_line(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    found = findings(tmp_path, body)
    assert [(ln, check) for ln, check, _ in found] == [(line, "syntax")], found
    assert words in found[0][2]


def test_header_defaults_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text(
        HEADER.replace("nplurals=2; plural=(n != 1);", "nplurals=INTEGER; plural=EXPRESSION;")
        + 'msgid "A"\nmsgstr "B"\n'
    )
    found = parse_po(path)[1]
    assert [(f.line, f.check) for f in found] == [(1, "header")]


def test_the_real_catalogs_are_clean() -> None:
    paths = sorted((ROOT / "locales").rglob("*.po"))
    assert len(paths) >= 6, paths  # every language's catalogs were found
    for path in paths:
        assert parse_po(path)[1] == [], path


def test_a_malformed_catalog_stops_the_build(project_copy: Path) -> None:
    po = project_copy / "locales" / "nl" / "LC_MESSAGES" / "index.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    number = lines.index('msgstr "Was uw handen minstens 20 seconden."') + 1
    lines[number - 1] = 'msgstr "Was uw handen minstens 20'  # unterminated: Babel accepts it
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = project_copy / "_build"
    result = leaflet(project_copy, out, "-D", "language=nl", check=False)
    assert result.returncode != 0
    assert f"index.po:{number}: error [syntax]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*.pdf"))
    assert not list(po.parent.glob("*.mo"))
