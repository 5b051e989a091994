"""Issue 4 (in part): page boxes, fonts, tags, booklet order, reproducibility, closed fetcher."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import LANGUAGES, leaflet, pdf_path, run, text_area_chars, translated
from pamflet.languages import language_settings
from pamflet.pdf.impose import booklet_order

MM = 72 / 25.4


def size_mm(box) -> tuple[float, float]:
    return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_boxes_of_every_format(build: Path, lang: str) -> None:
    expect = {
        "a4": ((210, 297), (210, 297), (210, 297)),
        "a5": ((148, 210), (148, 210), (148, 210)),
        # 3 mm bleed, and a 6 mm slug with the crop marks outside it (issue 14)
        "a5-print": ((166, 228), (148, 210), (154, 216)),
        "a5-print-nomarks": ((154, 216), (148, 210), (154, 216)),
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

    def fonts_of(resources, seen: set) -> None:
        resources = resources.get_object() if resources is not None else {}
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            desc = desc.get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
        for ref in resources.get("/XObject", {}).values():  # the booklet's placed pages
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
                seen.add(id(xobject))
                fonts_of(xobject.get("/Resources"), seen)

    for page in reader.pages:
        fonts_of(page.get("/Resources"), set())
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
    assert title == translated(lang, "Psychedelic-assisted therapy for PTSD")
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
    expected = booklet_order(n)  # checked against orders written out by hand (test_impose)
    assert n == len(a5.pages)  # "Notes" pages before the back page, no blank padding
    # The cover has no footer: compare the numbered pages.
    for numbers, (left, right) in zip(found, expected, strict=True):
        wanted = [p for p in (left, right) if 1 < p < len(a5.pages)]  # no number on covers
        assert sorted(numbers) == sorted(wanted)


@pytest.mark.slow
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
    result = leaflet(project_copy, out, check=False)
    assert result.returncode != 0
    assert url in result.stderr
    assert "index.rst" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*.pdf"))


@pytest.mark.parametrize("fmt", ["a4", "a5"])
def test_body_text_is_12_pt_or_larger(build: Path, fmt: str) -> None:
    """At least 95% of the characters in the text area (above the running footer)."""
    bottom_margin = {"a4": 24, "a5": 18}[fmt] * MM
    sizes = [size for size, *_ in text_area_chars(pdf_path(build, "nl", fmt), bottom_margin)]
    assert len(sizes) > 5000
    share = sum(size >= 11.95 for size in sizes) / len(sizes)
    assert share >= 0.95, share


def test_ordinary_rest_constructs_render_in_order(project_copy: Path) -> None:
    """Admonition, nested lists, footnote, definition list, list-table, grid table,
    figure with caption, external link, and an untranslated paragraph."""
    out = project_copy / "_build"
    leaflet(
        project_copy,
        out,
        "-D",
        "language=nl",
        "-D",
        "pamflet_formats=a5,a5-print",
        "-W",
        "--keep-going",
    )
    pages = PdfReader(out / "index-a5.pdf").pages
    # a book (no pamflet_leaflets, issue 28): the cover with the project's name (as
    # Sphinx's LaTeX cover: the root document's own title is not printed), the
    # contents, then the text
    assert "Test leaflet" in (pages[0].extract_text() or "")
    assert (pages[1].extract_text() or "").startswith("Inhoud")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pages[2:])
    expected = [
        "Schone handen houden bacteriën tegen.",
        "Notitie",
        "Was uw handen minstens 20 seconden.",
        "Wanneer wast u uw handen?",
        "Voordat u eet.",
        "Thuis.",
        "Op het werk.",
        "Maak uw handen nat.",
        "Gebruik zeep",
        "Zeep",
        "Elke gewone zeep werkt.",
        "Momenten om te wassen",
        "Voor het koken",
        "Voedselveiligheid",
        "Rastercel",
        "Links",
        "Een eenvoudige tekening van een hand.",
        "Lees meer op de gezondheidssite",
        "This paragraph has no translation yet.",
        "Vloeibare zeep of een stuk zeep.",
    ]
    positions = [text.find(phrase) for phrase in expected]
    assert all(p >= 0 for p in positions), dict(zip(expected, positions, strict=True))
    assert positions == sorted(positions)
    assert "https://www.example.org/hands" not in text  # a reader PDF has a live link
    printed = " ".join(
        (p.extract_text() or "") for p in PdfReader(out / "index-a5-print.pdf").pages
    )
    assert "https://www.example.org/hands" in printed.replace("\n", "")


def _text_lines(path: Path, bottom_mm: float) -> list[list[tuple[float, float, str, float]]]:
    """Per page: (y, font size, text, width) of each text line above the footer."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextLine

    pages = []
    for page in extract_pages(path):
        lines: list[tuple[float, float, str, float]] = []

        def walk(item, lines=lines) -> None:
            if isinstance(item, LTTextLine):
                chars = [c for c in item if isinstance(c, LTChar)]
                if chars and item.y0 > bottom_mm * MM:
                    lines.append(
                        (item.y0, chars[0].size, item.get_text().strip(), item.x1 - item.x0)
                    )
            elif hasattr(item, "__iter__"):
                for child in item:
                    walk(child)

        walk(page)
        pages.append(lines)
    return pages


@pytest.mark.parametrize(
    ("fmt", "body_pt", "bottom", "measure"), [("a5", 12, 18, 100), ("a4", 14, 24, 130)]
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_line_length_and_headings_kept_with_their_text(
    build: Path, lang: str, fmt: str, body_pt: float, bottom: float, measure: float
) -> None:
    import statistics

    script = language_settings(None, lang)
    body_pt *= script.body_scale  # Arabic is set larger than Latin (the language table)
    pages = _text_lines(pdf_path(build, lang, fmt), bottom)
    full_lines = [
        len(text)
        for lines in pages
        for _, size, text, width in lines
        if abs(size - body_pt) < 0.1 and width > measure * MM
    ]
    if script.direction == "ltr":  # 60-70 characters a line: the rule for Latin type
        assert 60 <= statistics.median(full_lines) <= 70
    else:
        assert full_lines  # the body really is set at the scaled size
    # Not text lines: the draft mark of an unreviewed leaflet and the title of a
    # "Notes" page (issue 14).
    marks = {translated(lang, "Draft"), translated(lang, "Notes")}
    marks |= {mark[::-1] for mark in marks}  # rotated Arabic comes out reversed
    for number, lines in enumerate(pages[:-1], start=1):
        lines = [line for line in lines if line[2].strip() not in marks]
        if lines:
            y, size, text, _ = min(lines)  # the lowest line on the page
            assert size <= body_pt + 0.1, f"page {number} ends with a heading: {text!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_words_are_hyphenated_in_the_language(build: Path, lang: str) -> None:
    from conftest import pdf_text

    text = pdf_text(pdf_path(build, lang, "a5"))
    if language_settings(None, lang).hyphenation is None:  # Arabic: never hyphenated
        assert not re.search(r"[\u0600-\u06ff]-\n|-\n[\u0600-\u06ff]", text)
        return
    broken = re.findall(r"([a-zà-ÿ]{2,})-\n([a-zà-ÿ]{2,})", text)
    assert len(broken) >= 5, broken


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_text_colours_have_at_least_7_to_1_contrast() -> None:
    from pamflet.pdf.formats import ASSETS_DIR as PRINT_DIR

    css = (PRINT_DIR / "css" / "leaflet.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    for text in ("ink", "accent"):
        for background in ("#ffffff", colours["box"], colours["warn"]):
            light, dark = sorted((_luminance(colours[text]), _luminance(background)))
            ratio = (dark + 0.05) / (light + 0.05)
            assert ratio >= 7, (text, background, ratio)


@pytest.mark.slow
def test_a_low_resolution_image_fails_the_print_format(project_copy: Path) -> None:
    from PIL import Image

    Image.new("RGB", (60, 60), "#163e6c").save(project_copy / "small.png")
    Image.new("RGB", (1200, 1200), "#163e6c").save(project_copy / "large.png")
    index = project_copy / "index.rst"
    index.write_text(
        index.read_text() + "\n.. image:: large.png\n   :alt: sharp\n   :width: 50mm\n"
    )
    out = project_copy / "_ok"
    leaflet(
        project_copy, out, "-D", "pamflet_formats=a5-print", "-W"
    )  # 1200 px on 50 mm is 610 dpi
    index.write_text(
        index.read_text() + "\n.. image:: small.png\n   :alt: blurry\n   :width: 50mm\n"
    )
    out = project_copy / "_bad"
    result = leaflet(project_copy, out, "-D", "pamflet_formats=a5,a5-print", "-W", check=False)
    assert result.returncode != 0
    assert "small.png is printed at 30 dpi" in result.stderr
    assert "a5-print" in result.stderr


def test_attachments_are_never_embedded(project_copy: Path) -> None:
    index = project_copy / "index.rst"
    conf, rst = (project_copy / "conf.py").as_uri(), index.as_uri()  # inside the project
    index.write_text(
        index.read_text() + f'\n.. raw:: html\n\n   <link rel="attachment" '
        f'href="{conf}"><a rel="attachment" href="{rst}">file</a>\n'
    )
    out = project_copy / "_build"
    leaflet(project_copy, out)
    reader = PdfReader(out / "index.pdf")
    names = reader.trailer["/Root"].get("/Names", {})
    assert "/EmbeddedFiles" not in names
    subtypes = {a.get_object()["/Subtype"] for p in reader.pages for a in p.get("/Annots", [])}
    assert "/FileAttachment" not in subtypes
    assert b"project = " not in (out / "index.pdf").read_bytes()


def test_a_missing_leaflet_document_is_one_clear_line(project_copy: Path) -> None:
    out = project_copy / "_build"
    conf = project_copy / "conf.py"
    conf.write_text(conf.read_text() + '\npamflet_leaflets = {"nosuch": {}}\n')
    result = leaflet(project_copy, out, check=False)
    assert result.returncode == 2
    assert "conf.py: pamflet_leaflets: no such document: 'nosuch'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_font_file_is_one_clear_line(tmp_path: Path) -> None:
    import shutil

    from pamflet.errors import UserError
    from pamflet.pdf.environment import check_environment
    from pamflet.pdf.formats import ASSETS_DIR as PRINT_DIR

    copy = tmp_path / "print"
    shutil.copytree(PRINT_DIR, copy)
    check_environment(copy)  # complete: no error
    (copy / "fonts" / "AtkinsonHyperlegible-Bold.ttf").unlink()
    with pytest.raises(UserError) as err:
        check_environment(copy)
    assert str(err.value).startswith(
        f"{copy / 'fonts' / 'AtkinsonHyperlegible-Bold.ttf'}: cannot read the font file"
    )
    assert "reinstall pamflet" in str(err.value)
