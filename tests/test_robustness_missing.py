"""Robustness (issue 9, point 6): missing pieces give one line that says what to do.

- a missing, unreadable, empty or damaged font file (``builder.check_environment``;
  end to end with a copy of the pamflet package whose font is damaged);
- Pango that cannot be loaded (end to end: a library path whose
  ``libpango-1.0.so.0`` is no library) or is too old (``builder.pango_problem``);
- a leaflet document named in conf.py that does not exist (``tests/test_print.py``);
- a language in conf.py with no catalog (``pamflet build``).

No traceback in any of them, and no PDF.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, copy_test_project, run
from pamflet.errors import UserError
from pamflet.pdf.environment import check_environment, pango_problem
from pamflet.pdf.formats import ASSETS_DIR as PRINT_DIR

FONT = "AtkinsonHyperlegible-Bold.ttf"


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def leaflet_build(project: Path, **env: str):
    return run(
        [sys.executable, "-m", "sphinx", "-b", "leaflet", "-q", str(project)]
        + [str(project / "_build")],
        cwd=project,  # not the repository: there `import pamflet` finds ./pamflet first
        env=env,
        check=False,
    )


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("missing", "cannot read the font file (No such file or directory)"),
        ("folder", "cannot read the font file (Is a directory)"),
        ("empty", "the font file is empty or damaged"),
        ("truncated", "the font file is empty or damaged"),
        ("garbage", "the font file is empty or damaged"),
    ],
)
def test_a_bad_font_file_is_one_clear_line(tmp_path: Path, damage: str, words: str) -> None:
    copy = tmp_path / "print"
    shutil.copytree(PRINT_DIR, copy)
    font = copy / "fonts" / FONT
    data = font.read_bytes()
    font.unlink()
    if damage == "folder":
        font.mkdir()
    elif damage == "empty":
        font.write_bytes(b"")
    elif damage == "truncated":
        font.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        font.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UserError) as err:
        check_environment(copy)
    message = str(err.value)
    assert message.startswith(f"{font}: {words}"), message
    assert "reinstall pamflet" in message and "\n" not in message


def test_a_damaged_font_stops_the_real_build(tmp_path: Path) -> None:
    """A damaged font used to pass (four bytes were read) and WeasyPrint printed
    the leaflet in a fallback font, with only a warning."""
    package = tmp_path / "site"
    shutil.copytree(ROOT / "pamflet", package / "pamflet")
    font = package / "pamflet" / "pdf" / "assets" / "fonts" / FONT
    font.write_bytes(font.read_bytes()[:5000])
    project = copy_test_project(tmp_path)
    result = leaflet_build(project, PYTHONPATH=str(package))
    assert result.returncode == 2
    assert one_line(result.stderr).startswith(f"{font}: the font file is empty or damaged")
    assert not list((project / "_build").glob("*.pdf"))


def test_pango_that_cannot_be_loaded_is_one_clear_line(tmp_path: Path) -> None:
    """A library path that makes Pango unloadable: WeasyPrint cannot start."""
    libs = tmp_path / "lib"
    libs.mkdir()
    for name in ("libpango-1.0.so.0", "libpango-1.0-0", "pango-1.0"):
        (libs / name).write_bytes(b"not a shared library")
    project = copy_test_project(tmp_path)
    result = leaflet_build(project, LD_LIBRARY_PATH=str(libs))
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith("WeasyPrint cannot load its system libraries (")
    assert line.endswith(
        "install Pango 1.44 or newer (Debian: apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0 libharfbuzz-subset0)"
    )
    assert not (project / "_build").exists() or not list((project / "_build").glob("*.pdf"))


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        (14206, "Pango 1.42 is too old: WeasyPrint needs Pango 1.44 or newer"),
        (13800, "Pango 1.38 is too old"),
        (14400, None),
        (14402, None),
        (15600, None),
        (20000, None),
    ],
)
def test_pango_version_comparison(version: int, problem: str | None) -> None:
    found = pango_problem(version)
    if problem is None:
        assert found is None
    else:
        assert found.startswith(problem) and "apt-get install libpango-1.0-0" in found


def test_the_installed_pango_is_new_enough() -> None:
    from weasyprint.text.ffi import pango

    assert pango_problem(pango.pango_version()) is None


def test_a_language_without_a_catalog_is_one_clear_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path, conf_suffix='pamflet_languages = ["en", "nl", "de"]\n')
    result = run(
        [sys.executable, "-m", "pamflet.cli", "build", "pdf", "-C", str(project)], check=False
    )
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        f"{project / 'conf.py'}: pamflet_languages: 'de' has no catalog in "
        "locales/de/LC_MESSAGES/: run `make update-po LANGUAGES=de` to create it"
    )
    assert not (project / "build" / "pdf").exists()
