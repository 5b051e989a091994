"""The translator workflow: build guard, stats, update-po, review copy."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES as FIXTURE_ROOT
from conftest import copy_project, copy_test_project, leaflet, require_tool, run, update_po
from pamflet.translate.checks.runner import Options
from pamflet.translate.review import review_html
from pamflet.translate.stats import catalog_stats

FIXTURES = FIXTURE_ROOT / "po"


def test_an_unsafe_translation_stops_the_build(project_copy: Path) -> None:
    po = project_copy / "locales" / "nl" / "LC_MESSAGES" / "index.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith('msgid "Read more'))
    lines[number] = 'msgstr "Lees meer op `de gezondheidssite <javascript:alert(1)>`_."'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = project_copy / "_build"
    result = leaflet(project_copy, out, "-D", "language=nl", check=False)
    assert result.returncode != 0
    assert f"index.po:{number}: error [safety]" in result.stderr
    assert "javascript:alert(1)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*.pdf"))


def test_stats_follow_msgfmt() -> None:
    stats = catalog_stats(FIXTURES / "stats.po", "nl")
    # a fuzzy entry is not translated; a fuzzy entry without text is untranslated;
    # a plural entry counts by its first form, as in msgfmt; the header does not count
    assert (stats.translated, stats.fuzzy, stats.untranslated, stats.obsolete) == (2, 1, 2, 1)
    # words of the msgid: 3 + 4 + 2 + 3 + (2 + 2); translated: 3 + (2 + 2)
    assert (stats.words, stats.words_translated) == (16, 7)
    assert round(stats.percent_words, 1) == 43.8


def test_stats_agree_with_msgfmt_statistics(msgfmt: str) -> None:
    out = subprocess.run(
        [msgfmt, "--statistics", "-o", "/dev/null", str(FIXTURES / "stats.po")],
        capture_output=True,
        text=True,
    ).stderr
    assert out.startswith("2 translated messages, 1 fuzzy translation, 2 untranslated")


def test_stats_command(tmp_path: Path) -> None:
    result = run([sys.executable, "-m", "pamflet.cli", "stats", str(FIXTURES / "stats.po")])
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == [
        "language", "catalog", "translated", "fuzzy", "untranslated", "obsolete", "words"
    ]  # fmt: skip
    assert rows[1] == ["nl", "stats.po", "2", "1", "2", "1", "43.8%"]


def _snapshot(copy: Path) -> dict[str, bytes]:
    return {str(p.relative_to(copy)): p.read_bytes() for p in sorted(copy.glob("locales/**/*.po"))}


@pytest.mark.slow
def test_update_po_twice_changes_nothing_and_keeps_locations(tmp_path: Path) -> None:
    require_tool("msgcat", "update-po wraps with GNU msgcat (Debian: gettext)")
    copy = copy_project(tmp_path)
    update_po(copy)
    first = _snapshot(copy)
    second_run = update_po(copy, templates=False)
    assert _snapshot(copy) == first
    assert "updated" not in second_run and "created" not in second_run

    po = copy / "locales" / "nl" / "LC_MESSAGES" / "ptsd-psychedelic-therapy.po"
    text = po.read_text(encoding="utf-8")
    assert "#~" not in text  # nothing is obsolete: every msgid is still in the source
    for line in text.splitlines():  # Poedit's width
        assert len(line) <= 79 or " " not in line.strip('"'), line

    # Two lines above the first paragraph: no msgid changes, every location moves.
    # (sphinx-intl rewrites a catalog only when its msgids change.) A reworded
    # paragraph keeps its old translation, marked fuzzy.
    source = copy / "source" / "ptsd-psychedelic-therapy.rst"
    rst = source.read_text(encoding="utf-8")
    rst = rst.replace(".. rst-class:: subtitle", "..\n   a comment\n\n.. rst-class:: subtitle", 1)
    rst = rst.replace(
        "It is not a miracle cure, and it is not a shortcut.",
        "It is not a miracle cure, and it is not a quick fix.",
    )
    source.write_text(rst, encoding="utf-8")
    update_po(copy)
    text = po.read_text(encoding="utf-8")
    assert "ptsd-psychedelic-therapy.rst:2\n" in text  # the title stays
    assert "therapy.rst:9\n" in text and "therapy.rst:6\n" not in text  # the subtitle moved
    reworded = text.split('msgid "It is not a miracle cure, and it is not a quick fix."')
    assert len(reworded) == 2 and "#, fuzzy" in reworded[0].rsplit("\n\n", 1)[-1]
    assert 'msgstr "Het is geen wondermiddel en ook geen snelle oplossing."' in reworded[1]
    after = _snapshot(copy)
    update_po(copy, templates=False)
    assert _snapshot(copy) == after


def test_update_po_refuses_a_malformed_catalog(tmp_path: Path) -> None:
    copy = copy_test_project(tmp_path)
    po = copy / "locales" / "nl" / "LC_MESSAGES" / "index.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('"Handen wassen"', '"Handen wassen'),
        encoding="utf-8",
    )
    before = po.read_bytes()
    (copy / "build" / "gettext").mkdir(parents=True)
    shutil.copy(FIXTURES / "good.po", copy / "build" / "gettext" / "index.pot")
    result = run(
        [sys.executable, "-m", "pamflet.cli", "update-po", "-C", str(copy), "-l", "nl"],
        cwd=copy,
        check=False,
    )
    assert result.returncode != 0
    assert re.search(r"index\.po:\d+: error \[syntax\]", result.stderr)
    assert po.read_bytes() == before


def test_review_copy_shows_both_columns_and_findings() -> None:
    paths = [FIXTURES / "numbers.po", FIXTURES / "safety-javascript.po", FIXTURES / "stats.po"]
    html = review_html(paths, "nl", Options(root=FIXTURES, skip={"spelling"}), "Fixtures")
    assert '<td class="src" lang="en"><p>After treatment, 71% no longer had PTSD.</p></td>' in html
    assert '<td class="tgt" lang="nl"><p>Na de behandeling had 17% geen PTSS meer.</p>' in html
    assert "error [numbers] number(s) of the source missing in the translation: 71" in html
    # the unsafe translation is shown as text, escaped, with its finding
    assert 'Lees meer op de site <span class="url">[javascript:alert(1)]</span>' in html
    assert 'href="javascript' not in html
    assert "error [safety]" in html
    # statuses
    for status in ("translated", "fuzzy", "untranslated"):
        assert f'<tr class="{status}"' in html
    # self-contained: no scripts, no external resources
    assert "<script" not in html and "<link" not in html and " src=" not in html
    assert not re.search(r"""(?:href|src)=["']?https?:""", html)


def test_review_command_writes_one_file_per_language(tmp_path: Path) -> None:
    copy = copy_test_project(tmp_path)
    (copy / "conf.py").write_text(
        (copy / "conf.py").read_text(encoding="utf-8") + 'pamflet_languages = ["en", "nl"]\n',
        encoding="utf-8",
    )
    run([sys.executable, "-m", "pamflet.cli", "review", "-C", str(copy)], cwd=copy)
    html = (copy / "build" / "review" / "nl.html").read_text(encoding="utf-8")
    assert "Clean hands stop germs from spreading." in html
    assert "Schone handen houden bacteriën tegen." in html
    assert "de gezondheidssite" in html and "[https://www.example.org/hands]" in html
