"""Issue 16: Ace by DAISY (npm ``@daisy/ace``), the EPUB accessibility checker that
publishers use, finds no violations in any language's EPUB.

Ace is installed from ``tests/a11y/ace/package-lock.json`` (``npm ci --ignore-scripts``
in that folder: its own Chromium and Electron downloads cannot work offline) and runs
as ``ace-puppeteer`` with ``PUPPETEER_EXECUTABLE_PATH`` set to Debian's Chromium.
Without Node.js, the install or Chromium the test skips with the reason; with CI set
that is a failure (conftest).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, epub_path, require_tool
from pamflet.project import Project

LANGUAGES = tuple(Project.find(ROOT).languages())
ACE_DIR = Path(__file__).resolve().parent / "ace"
ACE = ACE_DIR / "node_modules" / ".bin" / "ace-puppeteer"


def ace_command() -> list[str]:
    node = require_tool("node", "Ace by DAISY runs on Node.js (Debian: nodejs)")
    if not ACE.is_file():
        pytest.skip(f"Ace by DAISY is not installed: run `npm ci --ignore-scripts` in {ACE_DIR}")
    return [node, str(ACE)]


def ace_reports(command: list[str], chromium: str, books: dict[str, Path], out: Path) -> dict:
    """Ace's ``report.json`` for each book, the books checked side by side."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    processes = {
        name: subprocess.Popen(
            [*command, "--silent", "--outdir", str(out / name), str(book)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        for name, book in books.items()
    }
    reports = {}
    for name, process in processes.items():
        output, _ = process.communicate(timeout=300)
        report = out / name / "report.json"
        assert process.returncode == 0 and report.is_file(), output
        reports[name] = json.loads(report.read_text(encoding="utf-8"))
    return reports


def violations(report: dict) -> list[str]:
    return [
        f"{item['earl:testSubject']['url']}: {test['earl:test']['dct:title']} "
        f"({test['earl:test']['earl:impact']}) {test['earl:result'].get('dct:description', '')}"
        for item in report["assertions"]
        for test in item["assertions"]
        if test["earl:result"]["earl:outcome"] != "pass"
    ]


@pytest.fixture(scope="session")
def ace_results(build: Path, chromium: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    command = ace_command()
    books = {lang: epub_path(build, lang) for lang in LANGUAGES}
    return ace_reports(command, chromium, books, tmp_path_factory.mktemp("ace"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ace_by_daisy_finds_no_violations(ace_results: dict, lang: str) -> None:
    report = ace_results[lang]
    assert violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    # Ace read the book's accessibility metadata (the summary in the book's language).
    assert report["a11y-metadata"]["present"], report["a11y-metadata"]
    assert report["earl:testSubject"]["metadata"]["dc:language"] == lang


def test_ace_reports_a_nav_without_its_aria_role(
    build: Path, chromium: str, tmp_path: Path
) -> None:
    """The check can fail: the navigation document without ``role="doc-toc"`` (as pamflet
    wrote it before issue 16) is a violation."""
    import zipfile

    command = ace_command()
    book = tmp_path / "no-role.epub"
    with zipfile.ZipFile(epub_path(build, LANGUAGES[0])) as source:
        with zipfile.ZipFile(book, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename.endswith("nav.xhtml"):
                    data = data.replace(b' role="doc-toc"', b"")
                target.writestr(info, data)
    (report,) = ace_reports(command, chromium, {"no-role": book}, tmp_path / "out").values()
    found = violations(report)
    assert any("epub-type-has-matching-role" in line for line in found), found


def test_ace_is_pinned_by_a_lock_file() -> None:
    package = json.loads((ACE_DIR / "package.json").read_text(encoding="utf-8"))
    assert "@daisy/ace" in package["dependencies"]
    lock = json.loads((ACE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/@daisy/ace"]["version"].startswith("1.")
