"""Issue 13: `pamflet init DIR --languages en nl` writes a project that `make` builds whole."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import normalise, pdf_text, require_tool, run


def init_command() -> list[str]:
    return [sys.executable, "-m", "pamflet.cli", "init"]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    make = require_tool("make", "the project `pamflet init` writes is built with make")
    folder = tmp_path_factory.mktemp("init") / "leaflets"
    run([*init_command(), str(folder), "--languages", "en", "nl"], cwd=folder.parent)
    run([make], cwd=folder, env={"SOURCE_DATE_EPOCH": "1795132800"})
    return folder


@pytest.mark.slow
def test_the_project_has_what_sphinx_quickstart_would_write(made: Path) -> None:
    for name in ("conf.py", "Makefile", "source/index.rst", "source/hand-washing.rst"):
        assert (made / name).is_file(), name
    assert (made / "clinics" / "example-clinic.toml").is_file()
    assert (made / "clinics" / "example-clinic-logo.svg").is_file()
    for catalog in ("index.po", "hand-washing.po"):
        assert (made / "locales" / "nl" / "LC_MESSAGES" / catalog).is_file()
    conf = (made / "conf.py").read_text(encoding="utf-8")
    assert 'extensions = ["pamflet"]' in conf
    assert 'pamflet_languages = ["en", "nl"]' in conf
    assert '"nl": {' in conf  # the per-language settings


def test_make_builds_html_epub_and_pdf_of_both_languages(made: Path) -> None:
    build = made / "build"
    for lang in ("en", "nl"):
        assert (build / "html" / lang / "index.html").is_file()
        assert (build / "html" / lang / "hand-washing.html").is_file()
        assert (build / "epub" / f"hand-washing-{lang}.epub").is_file()
        for fmt in ("a4", "a5", "a5-print", "booklet"):
            assert (build / "pdf" / lang / f"hand-washing-{fmt}.pdf").is_file(), (lang, fmt)
    assert (build / "html" / "index.html").is_file()  # the language chooser
    dutch = normalise(pdf_text(build / "pdf" / "nl" / "hand-washing-a4.pdf"))
    assert "Zo wast u uw handen" in dutch
    assert "Was uw handen met zeep en water." in dutch
    assert "Wash your hands" not in dutch
    english = normalise(pdf_text(build / "pdf" / "en" / "hand-washing-a4.pdf"))
    assert "How to wash your hands" in english


def test_the_makefile_has_the_targets_of_pamflets_own(made: Path) -> None:
    help_text = run(["make", "help"], cwd=made).stdout
    for target in ("all", "html", "epub", "pdf", "clinics", "gettext", "update-po", "check"):
        assert f"\n{target} " in help_text or help_text.startswith(target), target
    for target in ("stats", "proof", "review", "readability", "test", "lint", "serve", "clean"):
        assert f"\n{target} " in help_text, target


def test_the_sample_catalog_is_complete_and_checks_clean(made: Path) -> None:
    result = run([sys.executable, "-m", "pamflet.cli", "check", "--strict"], cwd=made)
    assert "0 errors" in result.stdout + result.stderr


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run([*init_command(), str(folder)], cwd=tmp_path, check=False)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"{folder}: ") and "not empty" in lines[0]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # no temporary left


def test_another_language_gets_a_catalog_to_translate(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    run([*init_command(), str(folder), "--languages", "en", "de"], cwd=tmp_path)
    catalog = (folder / "locales" / "de" / "LC_MESSAGES" / "hand-washing.po").read_text(
        encoding="utf-8"
    )
    assert '"Language: de\\n"' in catalog
    assert 'msgid "How to wash your hands"\nmsgstr ""' in catalog
    assert not (folder / "locales" / "nl").exists()


@pytest.mark.parametrize(
    ("code", "name", "plurals"),
    [("pl", "Polish", 3), ("ar", "Arabic", 6), ("tr", "Turkish", 2), ("xx", "xx", 2)],
)
def test_each_language_gets_its_own_plural_forms_and_header(
    tmp_path: Path, code: str, name: str, plurals: int
) -> None:
    """Plural forms from Babel's locale data (Polish has three), not the Dutch template's."""
    msgfmt = require_tool("msgfmt", "GNU gettext checks the header")
    folder = tmp_path / "new"
    run([*init_command(), str(folder), "--languages", "en", code], cwd=tmp_path)
    path = folder / "locales" / code / "LC_MESSAGES" / "hand-washing.po"
    catalog = path.read_text(encoding="utf-8")
    assert catalog.startswith(f"# {name} catalog of the sample leaflet")
    assert "Dutch" not in catalog
    assert f'"Plural-Forms: nplurals={plurals}; ' in catalog
    assert catalog.count(f'"Language: {code}\\n"') == 1
    run([msgfmt, "-c", "-o", str(tmp_path / "out.mo"), str(path)])
