"""Issue 2: `make` builds the website, EPUBs and PDF leaflets in English and Dutch."""

from __future__ import annotations

import posixpath
import re
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from sphinx.util.inventory import InventoryFile

from conftest import (
    LANGUAGES,
    LEAFLET,
    copy_test_project,
    epub_member,
    epub_path,
    leaflet,
    pdf_path,
    run,
    translated,
)

MM = 72 / 25.4

HEADINGS = {lang: translated(lang, "What are psychedelics?") for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_website_language_and_headings(build: Path, lang: str) -> None:
    page = (build / "html" / lang / f"{LEAFLET}.html").read_text(encoding="utf-8")
    assert re.search(rf'<html[^>]*\blang="{lang}"', page)
    assert HEADINGS[lang] in page
    other = "nl" if lang == "en" else "en"
    assert HEADINGS[other] not in page
    assert (build / "html" / lang / "index.html").is_file()


def test_language_chooser_links_every_language(build: Path) -> None:
    page = (build / "html" / "index.html").read_text(encoding="utf-8")
    for lang in LANGUAGES:
        assert f'href="{lang}/index.html"' in page
    assert "<script" not in page
    assert "Nederlands" in page and "English" in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_epub_container_and_language(build: Path, lang: str) -> None:
    path = epub_path(build, lang)
    with zipfile.ZipFile(path) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/epub+zip"
    opf = epub_member(path, ".opf")
    assert f"<dc:language>{lang}</dc:language>" in opf


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_is_in_its_own_language(pdf_texts: dict, lang: str) -> None:
    text = pdf_texts[(lang, "a4")]
    other = "nl" if lang == "en" else "en"
    assert HEADINGS[lang] in text
    assert HEADINGS[other] not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a4_pages_measure_210_by_297_mm(build: Path, lang: str) -> None:
    reader = PdfReader(pdf_path(build, lang, "a4"))
    assert len(reader.pages) > 2
    for page in reader.pages:
        assert float(page.mediabox.width) / MM == pytest.approx(210, abs=0.5)
        assert float(page.mediabox.height) / MM == pytest.approx(297, abs=0.5)


def test_doctrees_are_read_once_per_language(build: Path) -> None:
    """The first builder (epub) reads the sources; leaflet and html reuse the doctree cache."""
    for lang in LANGUAGES:
        log = (build / "logs" / f"{lang}.log").read_text(encoding="utf-8")
        reads = re.findall(
            r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed", log
        )
        assert len(reads) == 3, log
        assert int(reads[0][0]) > 0  # the first builder reads everything
        assert all(added == changed == "0" for added, changed in reads[1:])


def test_any_sphinx_project_gets_a_translated_leaflet(project_copy: Path) -> None:
    out = project_copy / "_build"
    leaflet(project_copy, out, "-D", "language=nl", "-W", "--keep-going")
    reader = PdfReader(out / "index.pdf")
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    assert "Handen wassen" in text
    assert "Wanneer wast u uw handen?" in text
    assert "When should you wash your hands?" not in text


def test_a_worker_that_builds_two_languages_keeps_each_ones_sphinx_strings(
    tmp_path: Path,
) -> None:
    """A build worker builds its languages one after the other in one process. Sphinx
    translates the strings its modules make on import in the language of the build
    that imported them; the second language got the first one's "Python Module
    Index" in its objects.inv (and the inventory's bytes depended on which worker
    took which language)."""
    project = copy_test_project(tmp_path)
    command = [sys.executable, "-m", "pamflet.cli", "build", "html", "-j", "1"]
    run([*command, "-l", "nl", "en"], cwd=project)
    labels = {}
    for lang in ("nl", "en"):
        with (project / "build" / "html" / lang / "objects.inv").open("rb") as stream:
            inventory = InventoryFile.load(stream, "", posixpath.join)
        labels[lang] = inventory["std:label"]["py-modindex"].display_name
    assert labels == {"nl": "Python-moduleïndex", "en": "Python Module Index"}


@pytest.mark.parametrize("setting", ["", "0"])
def test_pamflet_sets_its_garbage_collection_before_it_loads_sphinx(setting: str) -> None:
    """`pamflet` runs the collector less often (workers.GC_THRESHOLDS, measured in
    the README); ``PAMFLET_GC=0`` keeps Python's defaults, for benchmarks."""
    code = (
        "import gc, sys\n"
        "from pamflet import cli\n"
        "default = gc.get_threshold()\n"
        "try:\n"
        "    cli.main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(default, gc.get_threshold(), 'sphinx.application' in sys.modules)\n"
    )
    out = run([sys.executable, "-c", code], env={"PAMFLET_GC": setting}).stdout
    default = "(700, 10, 10)"
    wanted = default if setting == "0" else "(50000, 20, 100)"
    assert out.split("\n")[-2] == f"{default} {wanted} False", out
