"""Arabic, right to left, in every PDF format (issue 16): shipped fonts only, dir and
lang on the print HTML, /Lang and tags, LTR runs kept whole, a booklet with its spine
on the right, and the bidi isolation of pamflet/bidi.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from docutils.core import publish_doctree
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from conftest import copy_project, run
from pamflet.bidi import isolate_ltr_runs, ltr_run
from pamflet.pdf.formats import ASSETS_DIR
from pamflet.pdf.impose import booklet_order, impose_booklet

LEAFLET = "ptsd-psychedelic-therapy"
FORMATS = ("a4", "a4-large", "a5", "a5-print", "a5-print-nomarks", "booklet")

# (left, right) on each side of each sheet for a booklet with its spine on the right,
# counted by hand on a folded paper mock-up: the cover (page 1) is the left half of
# the outer sheet's front, the fold (spine) to its right; page 2 is behind it, the
# right half of the back (flipped on the short edge); opened, page 2 is on the right
# and page 3 on the left (the left half of the next sheet's front), and so on.
RTL_BY_HAND = {
    4: [(1, 4), (3, 2)],
    8: [(1, 8), (7, 2), (3, 6), (5, 4)],
}


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PDFs of this project in Arabic, every format, built for real."""
    folder = tmp_path_factory.mktemp("rtl")
    suffix = (
        '\nif "ar" not in pamflet_languages:\n'
        '    pamflet_languages = [*pamflet_languages, "ar"]\n'
        f"pamflet_formats = {list(FORMATS)!r}\n"
    )
    project = copy_project(folder, conf_suffix=suffix)
    out = folder / "build"
    run(
        [
            sys.executable,
            "-m",
            "pamflet.cli",
            "build",
            "pdf",
            "-l",
            "ar",
            "-C",
            str(project),
            "-o",
            str(out),
        ],
        env={"SOURCE_DATE_EPOCH": "1764460800"},
    )
    return out


def _pdf(build: Path, fmt: str) -> Path:
    return build / "pdf" / "ar" / f"{LEAFLET}-{fmt}.pdf"


def _font_names(resources, found: set[str]) -> None:
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        name = descriptor.get_object()["/FontName"] if descriptor else font["/BaseFont"]
        found.add(str(name).split("+", 1)[-1])
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if "/Resources" in xobject:
            _font_names(xobject["/Resources"], found)


def embedded_fonts(path: Path) -> set[str]:
    found: set[str] = set()
    for page in PdfReader(path).pages:
        _font_names(page.get("/Resources"), found)
    return found


def shipped_fonts() -> set[str]:
    """The names of pamflet's fonts as WeasyPrint writes them (family or full name,
    spaces as hyphens: "Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold")."""
    names = set()
    for path in (ASSETS_DIR / "fonts").glob("*.ttf"):
        table = TTFont(path)["name"]
        names |= {table.getDebugName(i).replace(" ", "-") for i in (1, 4)}
    return names


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.slow
def test_every_glyph_comes_from_a_shipped_font(arabic: Path, fmt: str) -> None:
    fonts = embedded_fonts(_pdf(arabic, fmt))
    assert "Noto-Naskh-Arabic" in fonts
    assert fonts <= shipped_fonts(), f"fallback fonts: {fonts - shipped_fonts()}"


@pytest.mark.parametrize("fmt", ("a4", "a5"))
def test_reader_formats_are_tagged_arabic(arabic: Path, fmt: str) -> None:
    root = PdfReader(_pdf(arabic, fmt)).trailer["/Root"]
    assert root["/Lang"] == "ar"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def test_print_html_runs_right_to_left(arabic: Path) -> None:
    html = next(arabic.rglob(f"{LEAFLET}.a5.html")).read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    # the running footer: page numbers on the outer edge of left- and right-hand pages
    # (WeasyPrint starts a right-to-left document on a left-hand page: the same rules
    # mirror it; tests/pdf/test_page_numbers.py looks at the PDF)
    assert re.search(r"@page :right \{ @bottom-left \{ content: \"[^\"]+\"; \}", html)
    assert '"Atkinson Hyperlegible", "Noto Naskh Arabic", sans-serif' in html
    assert "hyphens: manual" in html
    assert '<span class="ltr" dir="ltr">0800-0113</span>' in html


def test_ltr_runs_come_out_whole(arabic: Path) -> None:
    from pdfminer.high_level import extract_text

    text = extract_text(_pdf(arabic, "a5"))
    for run_text in ("0800-0113", "113.nl", "71%", "5-HT2A"):
        assert run_text in text, run_text


def test_arabic_body_is_larger_than_the_latin(arabic: Path) -> None:
    html = next(arabic.rglob(f"{LEAFLET}.a5.html")).read_text(encoding="utf-8")
    scale = float(re.search(r"\.back-page \{ font-size: ([\d.]+)em", html).group(1))
    assert scale >= 1


@pytest.mark.parametrize("pages", sorted(RTL_BY_HAND))
def test_rtl_booklet_order_by_hand(pages: int) -> None:
    assert booklet_order(pages, rtl=True) == RTL_BY_HAND[pages]


def test_rtl_booklet_sheets(tmp_path: Path) -> None:
    from weasyprint import HTML

    source, target = tmp_path / "a5.pdf", tmp_path / "booklet.pdf"
    body = "".join(f'<p style="break-after: page">Side {n}</p>' for n in range(1, 9))
    HTML(string=f"<style>@page {{ size: A5 }}</style>{body}").write_pdf(source)
    with target.open("wb") as stream:
        assert impose_booklet(source, stream, rtl=True) == 8
    for side, pair in zip(PdfReader(target).pages, RTL_BY_HAND[8], strict=True):
        assert [int(n) for n in re.findall(r"Side (\d+)", side.extract_text())] == list(pair)


def test_arabic_booklet_outer_sheet_has_the_spine_on_the_right(arabic: Path) -> None:
    a5 = PdfReader(_pdf(arabic, "a5"))
    outer = PdfReader(_pdf(arabic, "booklet")).pages[0]
    xobjects = outer["/Resources"]["/XObject"]
    names = sorted(xobjects, key=lambda n: outer.get_contents().get_data().index(n.encode()))
    # the first placed form is the left half: the cover, with the fold (spine) to its
    # right; the back page is the right half
    assert names == ["/Page1", f"/Page{len(a5.pages)}"]


def test_bidi_isolates_ltr_runs() -> None:
    tree = publish_doctree(
        "اتصل بـ 113 Zelfmoordpreventie على 0800-0113 أو 113.nl، لمدة 71% (PTSD) "
        "في 2026-11-27 أو info@113.nl.\n\n``0800-0113 في الكود``"
    )
    assert isolate_ltr_runs(tree) == 7
    runs = [n.astext() for n in tree.findall(ltr_run)]
    assert runs == [
        "113 Zelfmoordpreventie",
        "0800-0113",
        "113.nl",
        "71%",
        "PTSD",
        "2026-11-27",
        "info@113.nl",
    ]


@pytest.mark.parametrize(
    "term", ["5-HT2A", "5-MeO-DMT", "COVID-19", "H1N1", "3,4-MDMA", "5\u2011HT2A"]
)
def test_a_term_of_digits_hyphens_and_latin_is_one_run(term: str) -> None:
    """ "5-HT2A" read "HT2A-5" in Arabic when the digit and the letters were two runs."""
    tree = publish_doctree(f"يعمل السيلوسيبين عن طريق مستقبِل {term} في الدماغ.")
    isolate_ltr_runs(tree)
    assert [n.astext() for n in tree.findall(ltr_run)] == [term]


def test_a_dutch_clinic_on_the_arabic_back_page_stays_left_to_right(
    arabic: Path, tmp_path: Path
) -> None:
    from pdfminer.high_level import extract_text

    from pamflet.pdf.clinic import load_clinic
    from pamflet.pdf.formats import FORMATS as ALL_FORMATS
    from pamflet.pdf.printhtml import load_context, render
    from pamflet.pdf.renderer import Renderer

    toml = tmp_path / "noord.toml"
    toml.write_text(
        'name = "GGZ Centrum Noord"\ndepartment = "Afdeling Trauma"\n'
        'address = "Laan 1\\n1000 AA Amsterdam"\nphone = "+31 20 555 0101"\n'
        'email = "balie@example.org"\nwebsite = "https://ggz.example.org/"\n',
        encoding="utf-8",
    )
    clinic = load_clinic(toml, ["ar"], list(ALL_FORMATS))
    context_path = next(arabic.rglob(f"ar/{LEAFLET}.json"))
    context = load_context(context_path)
    markup = render(context, "a5", clinic=clinic.template_data("ar"))
    assert '<strong dir="ltr">GGZ Centrum Noord</strong>' in markup
    assert '<span dir="ltr">Laan 1, 1000 AA Amsterdam</span>' in markup
    renderer = Renderer([context_path.parent, tmp_path], [], workdir=tmp_path)
    html_path = context_path.parent / f"{LEAFLET}.a5.html"
    document = renderer.render(markup, html_path, ALL_FORMATS["a5"], str(toml))
    # the clinic's block fits on the back page: no page more than without it
    assert len(document.pages) == context["pages"]["a5"]
    pdf = tmp_path / "clinic.pdf"
    renderer.write(document, pdf, ALL_FORMATS["a5"])
    back = extract_text(pdf, page_numbers=[len(document.pages) - 1])
    for run_text in ("GGZ Centrum Noord", "Laan 1, 1000 AA Amsterdam", "+31 20 555 0101"):
        assert run_text in back, run_text
