"""Issue 13: any language code Sphinx accepts builds; a machine without HarfBuzz-Subset builds.

- Babel's nearest locale gives dates, numbers and language names (``pt-br`` ->
  ``pt_BR``, ``nl_XX`` -> ``nl``); a code Babel has no data for (``xx``) gets the
  English formats and one line that names it, never a traceback, and ``-W``
  builds go on (the output is correct).
- Without ``libharfbuzz-subset`` WeasyPrint subsets fonts with fontTools and warns
  per font: pamflet prints one line that says what to install instead, and the
  ``-W`` build goes on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_test_project, leaflet, normalise, pdf_text
from pamflet.i18n import babel_locale, format_date, language_name

NO_LOCALE = "Babel has no locale data for language"


@pytest.mark.parametrize(
    ("code", "locale", "name", "date"),
    [
        ("nl", "nl", "Nederlands", "30 november 2026"),
        ("nl_BE", "nl_BE", "Nederlands (België)", "30 november 2026"),
        ("nl_XX", "nl", "Nederlands", "30 november 2026"),
        ("pt-br", "pt_BR", "Português (Brasil)", "30 de novembro de 2026"),
        ("pt_BR", "pt_BR", "Português (Brasil)", "30 de novembro de 2026"),
        ("xx", "en", "xx", "November 30, 2026"),
    ],
)
def test_nearest_babel_locale(code: str, locale: str, name: str, date: str) -> None:
    assert babel_locale(code) == locale
    assert language_name(code) == name
    assert format_date("2026-11-30", code, {}) == date


@pytest.mark.parametrize(
    ("code", "cover"),
    [
        ("xx", "xx"),
        pytest.param("nl_BE", "Nederlands (België)", marks=pytest.mark.slow),
        pytest.param("pt_BR", "Português (Brasil)", marks=pytest.mark.slow),
    ],
)
def test_any_language_code_builds_the_leaflet(tmp_path: Path, code: str, cover: str) -> None:
    project = copy_test_project(tmp_path)
    # a leaflet: its cover names the language (a book's does not)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('pamflet_leaflets = {"index": {}}\n')
    out = tmp_path / "out"
    result = leaflet(project, out, "-W", "--keep-going", "-D", f"language={code}", cwd=project)
    assert "Traceback" not in result.stderr + result.stdout
    pdf = out / "index.pdf"
    assert pdf.is_file()
    assert cover in normalise(pdf_text(pdf))
    lines = [line for line in result.stderr.splitlines() if NO_LOCALE in line]
    if code == "xx":
        assert len(lines) == 1 and "'xx'" in lines[0] and "English" in lines[0], result.stderr
    else:
        assert lines == []


def test_without_harfbuzz_subset_one_line_and_the_build_goes_on(tmp_path: Path) -> None:
    """A library path where ``libharfbuzz-subset`` cannot be loaded (as WeasyPrint
    loads it: ``allow_fail``): the fontTools fallback, as on a machine without it."""
    libs = tmp_path / "lib"
    libs.mkdir()
    for name in ("libharfbuzz-subset.so.0", "libharfbuzz-subset-0", "harfbuzz-subset"):
        (libs / name).write_bytes(b"not a shared library")
    project = copy_test_project(tmp_path)
    out = tmp_path / "out"
    result = leaflet(
        project, out, "-W", "--keep-going", cwd=project, env={"LD_LIBRARY_PATH": str(libs)}
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "apt-get install libharfbuzz-subset0" in lines[0]
    assert "more slowly" in lines[0]
    assert "fontTools instead" not in output  # WeasyPrint's own warnings are dropped
    assert (out / "index.pdf").is_file()
    assert len(normalise(pdf_text(out / "index.pdf"))) > 200  # the text is there


def test_with_harfbuzz_subset_nothing_is_said(tmp_path: Path) -> None:
    from pamflet.pdf.environment import harfbuzz_subset_problem

    assert harfbuzz_subset_problem() is None  # this machine has it (the README asks for it)
