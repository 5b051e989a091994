"""Issue 26: ``pamflet status``, the library's table for its maintainer, and ``--json``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import library_project, run

OVERDUE = (
    "\npamflet_leaflets['leaflet-02'] = {'version': '1.0', 'published': '2020-01-06', "
    "'reviews': [{'role': 'psychiatrist', 'date': '2020-01-06'}]}\n"
)


def status(project: Path, *options: str) -> str:
    return run(
        [sys.executable, "-m", "pamflet.cli", "status", "-C", str(project), *options]
    ).stdout


def test_status_lists_every_leaflet_and_language(tmp_path: Path) -> None:
    project = library_project(tmp_path, 3, conf_suffix=OVERDUE)
    po = project / "locales" / "nl" / "LC_MESSAGES" / "leaflet-02.po"
    text = po.read_text(encoding="utf-8")
    # one entry fuzzy, one untranslated: the first two after the header
    first = text.index('\nmsgid "', text.index('msgstr ""') + 1)
    text = text[:first] + "\n#, fuzzy" + text[first:]
    po.write_text(text, encoding="utf-8")
    rows = json.loads(status(project, "--json"))
    assert [(r["leaflet"], r["language"]) for r in rows] == [
        (leaflet, lang)
        for leaflet in ("ptsd-psychedelic-therapy", "leaflet-02", "leaflet-03")
        for lang in ("en", "nl", "ar")
    ]
    by = {(r["leaflet"], r["language"]): r for r in rows}
    assert by["leaflet-03", "nl"]["translated_percent"] == 100.0
    assert by["leaflet-03", "nl"]["fuzzy"] == 0
    assert by["leaflet-02", "nl"]["fuzzy"] == 1
    assert by["leaflet-02", "nl"]["translated_percent"] < 100.0
    assert by["leaflet-02", "ar"]["fuzzy"] == 0  # the Arabic catalog is untouched
    assert by["leaflet-02", "en"]["review_due"] == "2023-01-06"  # three years on
    assert by["leaflet-02", "en"]["review_overdue"] is True
    assert by["leaflet-02", "en"]["last_change"] == "2020-01-06"
    assert by["leaflet-03", "en"]["draft"] is True
    assert by["leaflet-03", "en"]["last_change"] == "2026-11-27"
    table = status(project).splitlines()
    assert table[0].split() == [
        "leaflet",
        "language",
        "translated",
        "fuzzy",
        "last",
        "change",
        "review",
        "due",
    ]
    assert len(table) == 1 + 9
    line = next(line for line in table if line.startswith("leaflet-02") and " nl " in line)
    assert (
        "2023-01-06 OVERDUE" in line
        and f"{by['leaflet-02', 'nl']['translated_percent']:.1f}%" in line
    )
    assert "draft, no review" in next(line for line in table if line.startswith("leaflet-03"))
