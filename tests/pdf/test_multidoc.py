"""Issue 13, the whole book: a 14-document project becomes one leaflet, as singlehtml.

The fixture (tests/fixtures/multidoc, see its EXPECTED.json) has no
``pamflet_leaflets``: the root document is the leaflet, and every document of its
nested, numbered toctrees must be in it, in toctree order, with its section and
figure numbers as the HTML build gives them, and its references as links inside
the PDF.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import FIXTURES, leaflet, normalise, pdf_text, run

FIXTURE = FIXTURES / "multidoc"
EXPECTED = json.loads((FIXTURE / "EXPECTED.json").read_text(encoding="utf-8"))
LANG = "nl"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture in Dutch, as a leaflet (PDF) and as a website (HTML)."""
    folder = tmp_path_factory.mktemp("multidoc")
    project = folder / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("*.mo", "_build"))
    options = ("-W", "--keep-going", "-D", f"language={LANG}")
    leaflet(project, folder / "leaflet", *options)
    run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", *options]
        + [str(project), str(folder / "html")]
    )
    return {"project": project, "pdf": folder / "leaflet" / "index.pdf", "html": folder / "html"}


@pytest.fixture(scope="module")
def text(built: dict[str, Path]) -> str:
    return normalise(pdf_text(built["pdf"]))


def find_in_order(text: str, needles: list[str]) -> list[str]:
    """The needles that are missing from ``text`` or out of order (empty: all found)."""
    problems, start = [], 0
    for needle in needles:
        at = text.find(needle, start)
        if at < 0:
            problems.append(needle if needle not in text else f"{needle} (out of order)")
        else:
            start = at + len(needle)
    return problems


@pytest.mark.slow
def test_every_document_is_in_the_leaflet_in_toctree_order(text: str) -> None:
    order = [doc["docname"] for doc in EXPECTED["documents"]]
    assert order == EXPECTED["toctree_order"]
    markers = [doc["marker"][LANG] for doc in EXPECTED["documents"]]
    assert find_in_order(text, markers) == []
    for marker in markers:
        assert text.count(marker) == 1, marker


@pytest.mark.slow
def test_the_leaflet_builders_only_blocks(text: str) -> None:
    """The leaflet is print for ``.. only::`` (tags pdf, format_pdf; issue 28): neither
    the html sentence nor the latex one is printed; the website keeps the html one."""
    assert EXPECTED["only_html"][LANG] not in text
    assert EXPECTED["only_latex"][LANG] not in text
    assert "Fieldbook" in text  # the page around them is there


@pytest.mark.slow
def test_the_website_keeps_its_only_html_block(built: dict[str, Path]) -> None:
    page = (built["html"] / "guide" / "usage.html").read_text(encoding="utf-8")
    assert EXPECTED["only_html"][LANG] in page


def html_numbers(html: Path) -> list[str]:
    """Section numbers with their titles and figure numbers with their captions, as the
    HTML build writes them, page by page in toctree order."""
    found = []
    for docname in EXPECTED["toctree_order"]:
        soup = BeautifulSoup((html / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
        body = soup.find(attrs={"role": "main"}) or soup.body
        for span in body.find_all("span", class_=["section-number", "caption-number"]):
            label = span.parent
            for link in label.find_all("a", class_="headerlink"):
                link.decompose()
            found.append(" ".join(label.get_text(" ").split()))
    return found


@pytest.mark.slow
def test_section_and_figure_numbers_match_the_html_build(built: dict, text: str) -> None:
    numbers = html_numbers(built["html"])
    # The HTML build numbers what EXPECTED.json says (so the comparison means something).
    for doc in EXPECTED["documents"]:
        if doc["number"]:
            assert f"{doc['number']}. {doc['title'][LANG]}" in numbers
    for fig in EXPECTED["numbered_figures"]:
        assert any(n.startswith(f"Fig. {fig['number']} ") for n in numbers), fig
    # The leaflet has the same numbers before the same titles, in the same order.
    # The root document's title went to the cover: it has no number.
    assert find_in_order(text, numbers) == []


def link_annotations(pdf: Path) -> tuple[int, list[str]]:
    """(internal links, URIs of the other links) of a PDF."""
    internal, uris = 0, []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if "/Dest" in annot or (action is not None and action.get("/S") == "/GoTo"):
                internal += 1
            else:
                uris.append(str(action.get("/URI")) if action is not None else "?")
    return internal, uris


@pytest.mark.slow
def test_references_are_links_inside_the_pdf(built: dict) -> None:
    html = (built["pdf"].parent / "_print" / "index.a4.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    assert len(ids) == len(soup.find_all(id=True)), "an id is used twice"
    refs = soup.find_all("a", class_="reference")
    internal = [a["href"] for a in refs if "internal" in a.get("class", [])]
    # :doc: and :ref: across documents, footnotes, citations, glossary terms
    assert len(internal) >= 15
    for href in internal:
        assert href.startswith("#") and href[1:] in ids, href
    links, uris = link_annotations(built["pdf"])
    assert links >= len(internal)
    assert all(re.match(r"(https?|mailto):", uri) for uri in uris), uris


def catalog_strings(project: Path) -> list[str]:
    """Every translated string of the fixture's Dutch catalogs (reST source)."""
    strings = []
    for po in sorted((project / "locales" / LANG / "LC_MESSAGES").rglob("*.po")):
        with open(po, "rb") as f:
            catalog = read_po(f)
        strings += [m.string for m in catalog if m.id and m.string and not m.fuzzy]
    return strings


def fold(text: str) -> str:
    """What Sphinx's smart quotes and hyphenation change: compare without them."""
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    return normalise(text.replace("\u00ad", ""))


def reader_fragments(rst: str) -> list[str]:
    """The runs of text a reader sees from a translated string: markup removed, and a
    break where Sphinx puts in text of its own (a role without a title shows the
    target's title; a footnote reference its number)."""
    sep = "\x00"
    text = re.sub(r":[\w:-]+:`([^`<]+?)\s*<[^`>]*>`", r"\1", rst)  # :ref:`text <x>`
    text = re.sub(r":[\w:-]+:`[^`]*`", sep, text)  # :doc:`x`: the title of x
    text = re.sub(r"`([^`<]+?)\s*<[^`>]*>`__?", r"\1", text)
    text = re.sub(r"``([^`]*)``", r"\1", text)
    text = re.sub(r"\*\*?([^*]+)\*\*?", r"\1", text)
    text = re.sub(r"\[#\w*\]_", sep, text)  # footnote references: numbers
    text = re.sub(r"\[([^\]]+)\]_", r"[\1]", text)
    text = re.sub(r"\|(\w+)\|", lambda m: EXPECTED["substitutions"].get(m[1], m[0]), text)
    text = re.sub(r"::$", ":", text)
    return [f for f in (fold(part).strip(" .,") for part in text.split(sep)) if f]


@pytest.mark.slow
def test_measure_translated_strings_and_pages(built: dict, text: str) -> None:
    """The note's numbers: pages, and the share of catalog strings found in the PDF
    (every run of a string's text found). Not expected in the PDF: the image alt
    texts, the ``only:: latex`` sentence and the toctree's caption, as in singlehtml."""
    strings = catalog_strings(built["project"])
    folded = fold(text)
    missing = [s for s in strings if not all(f in folded for f in reader_fragments(s))]
    pages = len(PdfReader(built["pdf"]).pages)
    share = 1 - len(missing) / len(strings)
    found = len(strings) - len(missing)
    print(f"\nmultidoc leaflet: {pages} pages; {found}/{len(strings)} ({share:.0%}) strings")
    print("\n".join(f"  not found: {s!r}" for s in missing))
    assert share >= 0.9


@pytest.mark.slow
def test_the_pdf_is_the_same_bytes_wherever_the_project_lies(
    built: dict[str, Path], tmp_path: Path
) -> None:
    """WeasyPrint names a raster image in the PDF after its URL, which holds the
    project's folder: the same project in another checkout gave other bytes. The
    fixture's PNG is named after its content (pamflet/pdf/images.py)."""
    reader = PdfReader(built["pdf"])
    images = [
        name
        for page in reader.pages
        for name, xobject in page["/Resources"].get("/XObject", {}).items()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert images, "the fixture's PNG should be drawn in the PDF"
    project = tmp_path / "another checkout" / "multidoc"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("*.mo", "_build"))
    leaflet(project, tmp_path / "out", "-W", "--keep-going", "-D", f"language={LANG}")
    assert (tmp_path / "out" / "index.pdf").read_bytes() == built["pdf"].read_bytes()
