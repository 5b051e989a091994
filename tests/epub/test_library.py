"""Issue 26: a library of leaflets gives one EPUB per leaflet and language, each holding
that leaflet alone, and the website offers each leaflet's own EPUB.

The library is this project with three leaflets (ours and two copies whose titles
carry their number, ``conftest.library_project``) in en and nl, and the whole-library
book (``pamflet_epub_collection``).
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import LANGUAGES, library_leaflets, library_project, problems, run, run_epubcheck

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
LANGS = ("en", "nl")
LEAFLETS = library_leaflets(3)
COLLECTION = "patient-leaflets"  # conf.py's project, "Patient leaflets"
#: leaflet-02 links to leaflet-03: a page that is not in leaflet-02's book
SEE_ALSO = "\nSee also :doc:`leaflet-03`.\n"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    project = library_project(folder, 3, conf_suffix="pamflet_epub_collection = True\n")
    page = project / "source" / "leaflet-02.rst"
    page.write_text(page.read_text(encoding="utf-8") + SEE_ALSO, encoding="utf-8")
    run(
        [sys.executable, "-m", "pamflet.cli", "build", "epub", "html", "-C", str(project)]
        + ["-l", *LANGS],
        env={"SOURCE_DATE_EPOCH": "1795132800"},
    )
    return project


def book(library: Path, name: str, lang: str) -> Path:
    return library / "build" / "epub" / f"{name}-{lang}.epub"


def package(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read("content.opf"))


def pages(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        return {n for n in zf.namelist() if n.endswith(".xhtml")}


def test_one_epub_per_leaflet_and_language_and_the_collection(library: Path) -> None:
    made = {p.name for p in (library / "build" / "epub").glob("*.epub")}
    expected = {f"{name}-{lang}.epub" for name in [*LEAFLETS, COLLECTION] for lang in LANGS}
    assert made == expected


@pytest.mark.parametrize("lang", LANGS)
def test_each_book_holds_its_leaflet_alone(library: Path, lang: str) -> None:
    identifiers, covers = set(), set()
    for number, name in enumerate(LEAFLETS, start=1):
        path = book(library, name, lang)
        assert pages(path) == {f"{name}.xhtml", "epub-cover.xhtml", "nav.xhtml"}
        opf = package(path)
        title = opf.findtext("opf:metadata/dc:title", namespaces=NS)
        if number > 1:  # the copies' titles say their number (in every language)
            assert title.startswith(f"Leaflet {number}: "), title
        with zipfile.ZipFile(path) as zf:
            cover_page = zf.read("epub-cover.xhtml").decode("utf-8")
            covers.add(zf.read("_images/pamflet-cover.png"))
            nav = ET.fromstring(zf.read("nav.xhtml"))
        assert f'alt="{title}"' in cover_page  # its own cover, with its own title
        uid = opf.get("unique-identifier")
        identifiers.add(opf.find(f"opf:metadata/dc:identifier[@id='{uid}']", NS).text)
        assert opf.findtext("opf:metadata/dc:description", namespaces=NS)  # the subtitle
        summary = opf.findtext(
            "opf:metadata/opf:meta[@property='schema:accessibilitySummary']", namespaces=NS
        )
        assert summary.startswith({"en": "This e-book meets", "nl": "Dit e-book voldoet"}[lang])
        # the navigation lists the leaflet and its sections, nothing of another leaflet
        links = [a.get("href") for a in nav.iterfind(".//xhtml:a", NS)]
        assert links[0] == f"{name}.xhtml" and len(links) > 5
        assert {link.split("#")[0] for link in links} == {f"{name}.xhtml"}
    assert len(identifiers) == len(covers) == len(LEAFLETS)
    assert f"/{lang}/latest/leaflet-02.html" in " ".join(identifiers)


def test_a_link_to_another_leaflet_goes_to_the_website(library: Path) -> None:
    with zipfile.ZipFile(book(library, "leaflet-02", "en")) as zf:
        page = zf.read("leaflet-02.xhtml").decode("utf-8")
    assert 'href="leaflet-03.xhtml' not in page
    assert 'href="https://pamflet.readthedocs.io/en/latest/leaflet-03.html"' in page
    # inside the collection, the same link stays inside the book
    with zipfile.ZipFile(book(library, COLLECTION, "en")) as zf:
        page = zf.read("leaflet-02.xhtml").decode("utf-8")
    assert re.search(r'href="leaflet-03\.xhtml(#[^"]*)?"', page)


def test_the_collection_holds_every_leaflet(library: Path) -> None:
    for lang in LANGS:
        path = book(library, COLLECTION, lang)
        assert {f"{name}.xhtml" for name in LEAFLETS} <= pages(path)
        title = package(path).findtext("opf:metadata/dc:title", namespaces=NS)
        assert title == {"en": "Patient leaflets", "nl": "Patiëntenfolders"}[lang]


@pytest.mark.slow
def test_every_book_passes_epubcheck(library: Path, tmp_path: Path) -> None:
    books = {
        f"{name}-{lang}": book(library, name, lang)
        for name in [*LEAFLETS, COLLECTION]
        for lang in LANGS
    }
    reports = run_epubcheck(books, tmp_path)
    found = {name: problems(report) for name, report in reports.items() if problems(report)}
    assert found == {}
    assert all(report["exit"] == 0 for report in reports.values())


@pytest.mark.parametrize("lang", LANGS)
def test_the_website_offers_each_leaflets_own_epub(library: Path, lang: str) -> None:
    site = library / "build" / "html" / lang
    for name in LEAFLETS:
        soup = BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        epubs = [
            a["href"]
            for a in soup.select(".pamflet-downloads a")
            if a.get("type") == "application/epub+zip"
        ]
        assert epubs == [f"downloads/{name}-{lang}.epub"]
        copy = site / "downloads" / f"{name}-{lang}.epub"
        assert copy.read_bytes() == book(library, name, lang).read_bytes()


def mtimes(library: Path) -> dict[str, int]:
    build = library / "build"
    files = [*build.glob("epub/*.epub"), *build.glob("html/*/downloads/*")]
    return {str(p.relative_to(build)): p.stat().st_mtime_ns for p in files}


@pytest.mark.parametrize("lang", LANGS)
def test_the_front_page_lists_every_leaflet(library: Path, lang: str) -> None:
    """The website's index: each leaflet's title (a link), summary, formats, review status
    and languages, with the labels in the reader's language."""
    from pamflet.i18n import gettext

    page = BeautifulSoup(
        (library / "build" / "html" / lang / "index.html").read_text(), "html.parser"
    )
    table = page.find("table", class_="pamflet-library")
    heads = [th.get_text() for th in table.find("thead").find_all("th")]
    assert heads == [
        gettext(lang, h) for h in ("Leaflet", "Summary", "Formats", "Review", "Languages")
    ]
    rows = table.find("tbody").find_all("tr")
    assert [row.th.a["href"] for row in rows] == [f"{name}.html" for name in LEAFLETS]
    for name, row in zip(LEAFLETS, rows, strict=True):
        leaflet = BeautifulSoup(
            (library / "build" / "html" / lang / f"{name}.html").read_text(), "html.parser"
        )
        assert row.th.get_text() == leaflet.find("h1").get_text().rstrip("#¶").strip()
        summary, formats, review, languages = row.find_all("td")
        subtitle = leaflet.find("p", class_="subtitle").get_text()
        assert summary.get_text() == subtitle
        links = [a["href"] for a in formats.find_all("a")]
        assert links == [f"downloads/{name}-{lang}.epub"]  # only the EPUBs were built
        assert (library / "build" / "html" / lang / links[0]).is_file()
        assert review.get_text() == gettext(lang, "Draft: not yet reviewed by a doctor")
        assert [(a["hreflang"], a["href"]) for a in languages.find_all("a")] == [
            (other, f"../{other}/{name}.html")
            for other in LANGUAGES  # conf.py's, with a catalog
        ]


def test_unchanged_books_keep_their_bytes_and_mtime(library: Path) -> None:
    """A build that changes nothing rewrites no EPUB and no download; a changed catalog
    rewrites the books that hold its leaflet in its language, and only those."""
    command = [sys.executable, "-m", "pamflet.cli", "build", "epub", "html", "-C", str(library)]
    command += ["-l", *LANGS]
    before = mtimes(library)
    contents = {name: (library / "build" / name).read_bytes() for name in before}
    run(command, env={"SOURCE_DATE_EPOCH": "1795132800"})
    assert mtimes(library) == before
    po = library / "locales" / "nl" / "LC_MESSAGES" / "leaflet-03.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Belangrijkste punten"' in text
    po.write_text(text.replace('msgstr "Belangrijkste punten"', 'msgstr "Kernpunten"'), "utf-8")
    run(command, env={"SOURCE_DATE_EPOCH": "1795132800"})
    after = mtimes(library)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {
        "epub/leaflet-03-nl.epub",
        f"epub/{COLLECTION}-nl.epub",
        "html/nl/downloads/leaflet-03-nl.epub",
    }
    for name in set(before) - changed:
        assert (library / "build" / name).read_bytes() == contents[name], name


def test_a_leaflet_taken_out_loses_its_epub(library: Path) -> None:
    conf = library / "conf.py"
    text = conf.read_text(encoding="utf-8")
    try:
        conf.write_text(
            text + "pamflet_leaflets.pop('leaflet-03')\npamflet_epub_collection = False\n",
            encoding="utf-8",
        )
        run([sys.executable, "-m", "pamflet.cli", "build", "epub", "-C", str(library), "-l", "en"])
        made = {p.name for p in (library / "build" / "epub").glob("*-en.epub")}
        assert made == {f"{LEAFLETS[0]}-en.epub", "leaflet-02-en.epub"}
    finally:
        conf.write_text(text, encoding="utf-8")
