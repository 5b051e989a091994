"""Issue 26: a build makes again only the outputs whose inputs changed, and never
rewrites an unchanged file (its bytes and its mtime stay).

One library project (two leaflets, en and nl, the A4 PDF and the booklet, a print
stylesheet of the project with a font of its own, a clinic) is built for real, and
then one input of each kind is changed and the project built again. What a build
*made* is read from its logs (the press's "pamflet: wrote" lines, the EPUB builder's
"writing ... file" lines); what it *rewrote* from the outputs' mtimes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, library_leaflets, library_project, run

LANGS = ("en", "nl")
FIRST, SECOND = library_leaflets(2)
FONTS = ROOT / "pamflet" / "pdf" / "assets" / "fonts"
ENV = {"SOURCE_DATE_EPOCH": "1795132800"}
CONF = """
pamflet_languages = ["en", "nl"]
pamflet_formats = ["a4", "booklet"]
pamflet_print_css = ["extra.css"]
"""
EXTRA_CSS = """@font-face { font-family: "Extra"; src: url(fonts/extra.ttf); }
.pamflet-extra { font-family: "Extra"; }
"""
#: what each leaflet and language gives: two PDFs, an EPUB, their copies in the website
KINDS = ("pdf-a4", "pdf-booklet", "epub", "dl-a4", "dl-booklet", "dl-epub")


def outputs_of(docname: str, lang: str) -> set[str]:
    return {
        f"pdf/{lang}/{docname}-a4.pdf",
        f"pdf/{lang}/{docname}-booklet.pdf",
        f"epub/{docname}-{lang}.epub",
        f"html/{lang}/downloads/{docname}-{lang}-a4.pdf",
        f"html/{lang}/downloads/{docname}-{lang}-booklet.pdf",
        f"html/{lang}/downloads/{docname}-{lang}.epub",
    }


ALL = {p for d in (FIRST, SECOND) for lang in LANGS for p in outputs_of(d, lang)}
PDFS = {p for p in ALL if p.endswith(".pdf")}


def snapshot(build: Path) -> dict[str, tuple[int, str]]:
    found = {}
    for pattern in ("pdf/**/*.pdf", "epub/*.epub", "html/*/downloads/*"):
        for path in build.glob(pattern):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path.relative_to(build))] = (path.stat().st_mtime_ns, digest)
    return found


def build(project: Path, *options: str, python: list[str] | None = None) -> dict[str, set]:
    """``pamflet build`` (or ``python`` running pamflet's main); what it made and rewrote."""
    before = snapshot(project / "build")
    command = python or [sys.executable, "-m", "pamflet.cli"]
    run([*command, "build", "-C", str(project), *options], env=ENV)
    after = snapshot(project / "build")
    made = set()
    for lang in LANGS:
        log = (project / "build" / "logs" / f"{lang}.log").read_text(encoding="utf-8")
        for name in re.findall(r"pamflet: wrote (\S+\.pdf)", log):
            made.add(f"pdf/{lang}/{name}")
        for name in re.findall(r"writing (\S+)\.epub file", log):
            made.add(f"epub/{name}-{lang}.epub")
    changed = {p for p, (mtime, _) in after.items() if before.get(p, (None,))[0] != mtime}
    for path, (_mtime, digest) in after.items():  # a rewrite is always a change of bytes
        if path in changed and path in before:
            assert before[path][1] != digest, f"{path} rewritten with the same bytes"
    return {"made": made, "rewritten": changed}


def imprint(project: Path) -> set[str]:
    """``pamflet imprint``; the clinic PDFs it rewrote."""
    before = snapshot(project / "build")
    run([sys.executable, "-m", "pamflet.cli", "imprint", "-C", str(project)], env=ENV)
    after = snapshot(project / "build")
    return {
        p
        for p, (m, _) in after.items()
        if p.startswith("pdf/clinics/") and before.get(p, (0,))[0] != m
    }


def only_pdfs_and_epubs(paths: set[str]) -> set[str]:
    return {p for p in paths if p.startswith(("pdf/", "epub/"))}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = library_project(tmp_path_factory.mktemp("incremental"), 2, conf_suffix=CONF)
    shutil.copytree(ROOT / "clinics", project / "clinics")
    (project / "fonts").mkdir()
    shutil.copyfile(FONTS / "AtkinsonHyperlegible-Bold.ttf", project / "fonts" / "extra.ttf")
    (project / "extra.css").write_text(EXTRA_CSS, encoding="utf-8")
    first = build(project)
    assert first["rewritten"] == ALL  # everything is new
    return project


@pytest.mark.slow
def test_each_input_rebuilds_its_outputs_and_only_those(library: Path) -> None:
    project = library
    # Nothing changed: nothing is made, nothing rewritten.
    assert build(project) == {"made": set(), "rewritten": set()}

    # One leaflet's source: that leaflet, in every language (the English is in the nl text).
    source = project / "source" / f"{SECOND}.rst"
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more sentence.\n")
    done = build(project)
    assert done["rewritten"] == outputs_of(SECOND, "en") | outputs_of(SECOND, "nl")

    # One leaflet's Dutch catalog: that leaflet's Dutch outputs.
    po = project / "locales" / "nl" / "LC_MESSAGES" / f"{SECOND}.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Belangrijkste punten"', 'msgstr "Kernpunten"', 1))
    done = build(project)
    assert done["rewritten"] == outputs_of(SECOND, "nl")
    assert only_pdfs_and_epubs(done["made"]) <= outputs_of(SECOND, "nl")

    # The project's print stylesheet: every PDF, no EPUB.
    css = project / "extra.css"
    css.write_text(EXTRA_CSS + "h1 { letter-spacing: 0.02em; }\n", encoding="utf-8")
    done = build(project)
    assert done["made"] == {p for p in PDFS if not p.startswith("html/")}
    assert done["rewritten"] == PDFS

    # A font the stylesheet names (unused: the PDFs keep their bytes): made again.
    shutil.copyfile(FONTS / "AtkinsonHyperlegible-Italic.ttf", project / "fonts" / "extra.ttf")
    done = build(project)
    assert done["made"] == {p for p in PDFS if not p.startswith("html/")}
    assert done["rewritten"] == set()

    # A setting that reaches the PDFs only (the address printed under the QR code).
    conf = project / "conf.py"
    conf.write_text(conf.read_text() + 'pamflet_online_short_url = "example.org/{docname}"\n')
    done = build(project)
    assert done["made"] == {p for p in PDFS if not p.startswith("html/")}

    # pamflet's version: everything is made again (the bytes are the same: kept).
    upgraded = [
        sys.executable,
        "-c",
        "import pamflet; pamflet.__version__ = '99.0'; from pamflet.cli import run; run()",
    ]
    done = build(project, python=upgraded)
    assert done["made"] == {p for p in ALL if p.startswith(("pdf/", "epub/"))}
    assert done["rewritten"] == set()

    # --fresh: everything made again, unchanged files kept as they were.
    done = build(project, "--fresh")
    assert done["made"] == {p for p in ALL if p.startswith(("pdf/", "epub/"))}
    assert done["rewritten"] == set()


@pytest.mark.slow
def test_a_clinic_variant_is_made_again_when_its_clinic_file_changes(library: Path) -> None:
    made = imprint(library)
    assert made, "the first imprint makes the clinic's PDFs"
    assert imprint(library) == set()  # unchanged
    clinic = library / "clinics" / "example-clinic.toml"
    text = clinic.read_text(encoding="utf-8")
    phone = re.search(r'phone = "([^"]+)"', text).group(1)
    clinic.write_text(text.replace(phone, phone[:-1] + ("1" if phone[-1] != "1" else "2")))
    again = imprint(library)
    assert again == made  # every variant of that clinic shows the phone number


@pytest.mark.slow
def test_deleting_the_build_folder_makes_everything_again(library: Path) -> None:
    shutil.rmtree(library / "build")
    done = build(library)
    assert done["rewritten"] == ALL
    assert done["made"] == {p for p in ALL if p.startswith(("pdf/", "epub/"))}
