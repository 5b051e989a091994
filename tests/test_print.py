"""Issue 4 (in part): page boxes, fonts, tags, booklet order, reproducibility, closed fetcher."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import LANGUAGES, pdf_path, run
from pypdf import PdfReader

MM = 72 / 25.4


def size_mm(box) -> tuple[float, float]:
    return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_boxes_of_every_format(build: Path, lang: str) -> None:
    expect = {
        "a4": ((210, 297), (210, 297), (210, 297)),
        "a5": ((148, 210), (148, 210), (148, 210)),
        "a5-print": ((154, 216), (148, 210), (154, 216)),
        "booklet": ((297, 210), (297, 210), (297, 210)),
    }
    for fmt, (media, trim, bleed) in expect.items():
        reader = PdfReader(pdf_path(build, lang, fmt))
        for page in reader.pages:
            assert size_mm(page.mediabox) == pytest.approx(media, abs=0.2), fmt
            assert size_mm(page.trimbox) == pytest.approx(trim, abs=0.2), fmt
            assert size_mm(page.bleedbox) == pytest.approx(bleed, abs=0.2), fmt


@pytest.mark.parametrize("fmt", ["a4", "a5", "a5-print", "booklet"])
def test_every_font_is_embedded_and_the_body_uses_atkinson(build: Path, fmt: str) -> None:
    reader = PdfReader(pdf_path(build, "nl", fmt))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            desc = desc.get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    assert names and all("Atkinson-Hyperlegible" in n for n in names), names


@pytest.mark.parametrize("fmt", ["a4", "a5"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_reader_formats_are_tagged_pdf_ua(build: Path, lang: str, fmt: str) -> None:
    reader = PdfReader(pdf_path(build, lang, fmt))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == lang
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part[=>\"']+1", xmp)
    title = reader.metadata.title
    assert (
        title
        == {
            "en": "Psychedelic-assisted therapy for PTSD",
            "nl": "Psychedelica-ondersteunde therapie bij PTSS",
        }[lang]
    )
    assert "/Outlines" in root


def test_booklet_page_order(build: Path) -> None:
    """Each half-sheet shows the page number that saddle-stitch order puts there."""
    a5 = PdfReader(pdf_path(build, "en", "a5"))
    n = len(a5.pages) + (-len(a5.pages)) % 4
    booklet = PdfReader(pdf_path(build, "en", "booklet"))
    assert len(booklet.pages) == n // 2
    found = []
    for page in booklet.pages:
        numbers = [int(m) for m in re.findall(r"Page (\d+) of \d+", page.extract_text())]
        found.append(numbers)
    expected = []
    for sheet in range(1, n // 4 + 1):
        expected.append([n - 2 * sheet + 2, 2 * sheet - 1])
        expected.append([2 * sheet, n - 2 * sheet + 1])
    # The cover has no footer and padding pages are blank: compare the numbered pages.
    for numbers, (left, right) in zip(found, expected, strict=True):
        wanted = [p for p in (left, right) if 1 < p <= len(a5.pages)]
        assert sorted(numbers) == sorted(wanted)


def test_rebuild_is_byte_identical(project_copy: Path, tmp_path: Path) -> None:
    outputs = []
    for run_number in range(2):
        out = tmp_path / f"out{run_number}"
        run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-E",
                "-b",
                "leaflet",
                "-D",
                "language=nl",
                "-D",
                "pamflet_formats=a4,a5-print,booklet",
                "-q",
                str(project_copy),
                str(out),
            ],
            env={"SOURCE_DATE_EPOCH": "1795132800"},
        )
        outputs.append({p.name: p.read_bytes() for p in out.glob("*.pdf")})
    assert len(outputs[0]) == 3
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "file:///etc/passwd",
    ],
)
def test_a_url_outside_the_project_is_refused(project_copy: Path, url: str) -> None:
    index = project_copy / "index.rst"
    index.write_text(index.read_text() + f"\n.. image:: {url}\n   :alt: x\n")
    out = project_copy / "_build"
    result = run(
        [sys.executable, "-m", "sphinx", "-b", "leaflet", "-q", str(project_copy), str(out)],
        check=False,
    )
    assert result.returncode != 0
    assert url in result.stderr
    assert "index.rst" in result.stderr
    assert not list(out.glob("*.pdf"))
