"""Issue 14, part 3: print files a print shop accepts as they are.

The booklet and the print file end on the back page (help, imprint, QR code),
with "Notes" pages before it to make a multiple of 4; the print file has its
crop marks in a slug outside the 3 mm bleed; the no-marks variant is the bleed
alone.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import LANGUAGES, LEAFLET, normalise, pdf_path, says, translated
from pamflet.i18n import language_name

MM = 72 / 25.4
BLEED, SLUG = 3.0, 6.0
HELP = {lang: translated(lang, "Where can I find help?") for lang in LANGUAGES}
NOTES = {lang: translated(lang, "Notes") for lang in LANGUAGES}
#: our draft's back page: no QR code until the website is confirmed (pamflet_online_confirmed)
PENDING = {lang: translated(lang, "Online version not yet published") for lang in LANGUAGES}
PADDED = ("a5", "a5-print", "a5-print-nomarks")


def page_texts(path: Path) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(path).pages]


def squeezed(text: str) -> str:
    """Text without white space: a URL broken over two lines is whole again."""
    return "".join(text.split())


def online_url(lang: str) -> str:
    return f"pamflet.readthedocs.io/{lang}/latest/{LEAFLET}.html"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fmt", PADDED)
def test_the_back_page_is_last_and_notes_pages_come_just_before_it(
    build: Path, lang: str, fmt: str
) -> None:
    texts = page_texts(pdf_path(build, lang, fmt))
    assert len(texts) % 4 == 0, (fmt, len(texts))
    last = texts[-1]
    assert HELP[lang] in last and "113" in last
    assert PENDING[lang] in last
    assert online_url(lang) not in squeezed(last)
    with pikepdf.open(pdf_path(build, lang, fmt)) as pdf:  # no QR code (hundreds of paths)
        ops = [str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[-1])]
        assert ops.count("m") < 50, ops.count("m")
    notes = [i for i, text in enumerate(texts) if NOTES[lang] in text.split(" ", 3)[:3]]
    # the filler pages form one run that ends just before the back page
    assert notes == list(range(len(texts) - 1 - len(notes), len(texts) - 1)), notes
    assert len(notes) < 4
    total = len(texts)
    page, of = translated(lang, "Page"), translated(lang, "of")
    for i in notes:  # numbered like every other page
        assert says(texts[i], f"{page} {i + 1} {of} {total}")
    for i, text in enumerate(texts[:-1]):
        if i not in notes:
            assert HELP[lang] not in text, i


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_booklet_folds_with_the_back_page_on_the_outside(build: Path, lang: str) -> None:
    a5 = page_texts(pdf_path(build, lang, "a5"))
    booklet = PdfReader(pdf_path(build, lang, "booklet"))
    assert len(booklet.pages) * 2 == len(a5) and len(a5) % 4 == 0
    # The outer sheet: back page (last) on the left, cover (first) on the right.
    outside = normalise(booklet.pages[0].extract_text())
    assert HELP[lang] in outside and PENDING[lang] in outside
    language = f"{translated(lang, 'Language')}: {language_name(lang)}"
    assert says(a5[0], language) and says(outside, language)
    # no blank padding: every half-sheet carries a page with text
    with pikepdf.open(pdf_path(build, lang, "booklet")) as pdf:
        for sheet in pdf.pages:
            placed = [op for _, op in pikepdf.parse_content_stream(sheet) if str(op) == "Do"]
            assert len(placed) == 2


def boxes_mm(page: pikepdf.Page) -> dict[str, list[float]]:
    return {
        key: [float(v) / MM for v in page.obj[key]]
        for key in ("/MediaBox", "/BleedBox", "/TrimBox")
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_file_boxes_marks_in_the_slug(build: Path, lang: str) -> None:
    with pikepdf.open(pdf_path(build, lang, "a5-print")) as pdf:
        for page in pdf.pages:
            box = boxes_mm(page)
            trim, bleed, media = box["/TrimBox"], box["/BleedBox"], box["/MediaBox"]
            assert trim[2] - trim[0] == pytest.approx(148, abs=0.1)
            assert trim[3] - trim[1] == pytest.approx(210, abs=0.1)
            for side, sign in zip(range(4), (-1, -1, 1, 1), strict=True):
                assert bleed[side] - trim[side] == pytest.approx(sign * BLEED, abs=0.05)
                assert media[side] - bleed[side] == pytest.approx(sign * SLUG, abs=0.05)
            # the marks: strokes outside the trim (the QR code inside is stroked too)
            marks = [
                (x / MM, y / MM)
                for x, y in stroked_points(pdf, page)
                if not inside(x / MM, y / MM, trim, 0.05)
            ]
            assert len(marks) >= 16, len(marks)  # 8 marks, 2 ends each
            for x, y in marks:
                # inside the MediaBox, outside the bleed: at least the bleed from the trim
                assert inside(x, y, media, 0.05), (x, y)
                assert not inside(x, y, bleed, -0.05), (x, y)


def inside(x: float, y: float, box: list[float], tolerance: float) -> bool:
    return (
        box[0] - tolerance <= x <= box[2] + tolerance
        and box[1] - tolerance <= y <= box[3] + tolerance
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_no_marks_variant_is_the_bleed_alone(build: Path, lang: str) -> None:
    with pikepdf.open(pdf_path(build, lang, "a5-print-nomarks")) as pdf:
        for page in pdf.pages:
            box = boxes_mm(page)
            assert box["/MediaBox"] == pytest.approx(box["/BleedBox"], abs=0.01)
            trim, bleed = box["/TrimBox"], box["/BleedBox"]
            assert trim[0] - bleed[0] == pytest.approx(BLEED, abs=0.05)
            assert bleed[3] - trim[3] == pytest.approx(BLEED, abs=0.05)
            outside = [
                (x, y)
                for x, y in stroked_points(pdf, page)
                if not inside(x / MM, y / MM, trim, 0.05)
            ]
            assert outside == []  # no crop marks
    # the same pages as the file with marks
    assert page_texts(pdf_path(build, lang, "a5-print-nomarks")) == page_texts(
        pdf_path(build, lang, "a5-print")
    )


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """a then b, as PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def stroked_points(pdf: pikepdf.Pdf, page: pikepdf.Page) -> list[tuple[float, float]]:
    """Every point of every stroked path on ``page`` (forms included), in page space."""
    points: list[tuple[float, float]] = []

    def walk(content, resources, ctm: list[float]) -> None:
        stack: list[list[float]] = []
        path: list[tuple[float, float]] = []
        for operands, op in pikepdf.parse_content_stream(content):
            name = str(op)
            values = [float(v) for v in operands] if name in ("cm", "m", "l", "c", "re") else []
            if name == "q":
                stack.append(ctm)
            elif name == "Q":
                ctm = stack.pop()
            elif name == "cm":
                ctm = _multiply(values, ctm)
            elif name in ("m", "l", "c"):
                for x, y in zip(values[0::2], values[1::2], strict=True):
                    path.append(
                        (ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5])
                    )
            elif name == "re":
                x, y, w, h = values
                for px, py in ((x, y), (x + w, y + h)):
                    path.append(
                        (ctm[0] * px + ctm[2] * py + ctm[4], ctm[1] * px + ctm[3] * py + ctm[5])
                    )
            elif name in ("S", "s", "B", "B*", "b", "b*"):
                points.extend(path)
                path = []
            elif name in ("f", "F", "f*", "n"):  # filled or only clipped: not a stroke
                path = []
            elif name == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.get("/Subtype") == "/Form":
                    matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm))

    walk(page, page.obj.Resources, [1, 0, 0, 1, 0, 0])
    return points
