"""Issue 29: text left in English inside a translation carries lang="en" (website, EPUB,
print HTML), so the Dutch leaflet hyphenates the English source titles as English."""

from __future__ import annotations

import re
from pathlib import Path

from docutils.core import publish_doctree

from conftest import LEAFLET, epub_member, epub_path, pdf_path, pdf_text
from pamflet.untranslated import mark_untranslated, source_language

#: English titles of the sources, left untranslated in the Dutch catalog.
TITLE = "Pilot study of MDMA-assisted psychotherapy for treatment-resistant PTSD"


def test_only_untranslated_text_is_marked() -> None:
    tree = publish_doctree("Een vertaalde alinea.\n\nAn English paragraph.\n\n2026\n")
    first, second, third = tree.findall(lambda n: n.tagname == "paragraph")
    first["translated"] = True  # translated: its text is not its English rawsource
    first.rawsource = "A translated paragraph."
    second["translated"] = True  # msgstr == msgid: Sphinx 9 says translated, text unchanged
    third["translated"] = False  # no letters: no language
    assert mark_untranslated(tree, "en") == 1
    assert [n.astext() for n in tree.findall(source_language)] == ["An English paragraph."]
    assert mark_untranslated(tree, "en") == 0  # once


def test_the_english_sources_are_english_in_every_dutch_output(build: Path) -> None:
    html = (build / "html" / "nl" / f"{LEAFLET}.html").read_text(encoding="utf-8")
    assert re.search(rf'<span lang="en">[^<]*{re.escape(TITLE)}', html)
    assert not re.search(r'<span lang="en">[^<]*Psychedelica', html)  # Dutch text is not
    xhtml = epub_member(epub_path(build, "nl"), f"{LEAFLET}.xhtml")
    assert re.search(rf'<span lang="en">[^<]*{re.escape(TITLE)}', xhtml)
    printed = next((build / ".work" / "print" / "nl").glob(f"{LEAFLET}.a5.html"))
    assert re.search(
        rf'<span lang="en">[^<]*{re.escape(TITLE)}', printed.read_text(encoding="utf-8")
    )


#: Breaks that Dutch hyphenation rules made in the English titles (seen in the A4 and A5
#: before the fix); English rules break "ther-apy", "mod-er-ate", "Ad-min-is-tra-tion".
DUTCH_BREAKS = {
    ("mode", "rate"),
    ("Admi", "nistration"),
    ("Admini", "stration"),
    ("the", "rapy"),
    ("psychothe", "rapy"),
}


def test_no_english_title_word_is_hyphenated_with_dutch_rules(build: Path) -> None:
    for fmt in ("a4", "a5"):
        text = pdf_text(pdf_path(build, "nl", fmt))
        sources = text[text.index("Mitchell, J") :]
        breaks = set(re.findall(r"([A-Za-z]+)[-\u2010]\s*\n\s*([a-z]+)", sources))
        assert not breaks & DUTCH_BREAKS, (fmt, breaks & DUTCH_BREAKS)


def _lang_elements(node: object, found: list, seen: set) -> list:
    """Every structure element under ``node`` with a /Lang entry, in reading order."""
    import pikepdf

    if isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
        seen.add(node.objgen)
        if "/S" in node and "/Lang" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            _lang_elements(kid, found, seen)
    return found


def test_the_english_sources_are_tagged_english_in_the_dutch_pdf(build: Path) -> None:
    """PDF/UA: a passage in another language has its /Lang (the patch lang-tags of
    pamflet/patches/tags.py: WeasyPrint 70 writes none), and Dutch text has none."""
    import pikepdf

    for fmt in ("a4", "a5"):
        with pikepdf.open(pdf_path(build, "nl", fmt)) as pdf:
            assert str(pdf.Root.Lang) == "nl"
            english = _lang_elements(pdf.Root.StructTreeRoot, [], set())
            printed = next((build / ".work" / "print" / "nl").glob(f"{LEAFLET}.{fmt}.html"))
            spans = printed.read_text(encoding="utf-8").count('<span lang="en">')
            assert spans and len(english) >= spans, (fmt, len(english), spans)  # a span a page
            assert {str(e.Lang) for e in english} == {"en"}, fmt
            assert all(str(e.S) == "/Span" for e in english), fmt
    with pikepdf.open(pdf_path(build, "en", "a4")) as pdf:
        assert not _lang_elements(pdf.Root.StructTreeRoot, [], set())  # nothing to mark


def test_marking_keeps_inline_markup_as_markup() -> None:
    """TextElement's second argument is its text: nodes passed there came out as their
    pseudo-XML ("<source_language lang=...>" printed in the Arabic sources)."""
    from pamflet.bidi import isolate_ltr_paragraphs

    tree = publish_doctree("*Emphasis* first, then text.\n")
    para = next(tree.findall(lambda n: n.tagname == "paragraph"))
    para["translated"] = False
    assert mark_untranslated(tree, "en") == 1
    assert isolate_ltr_paragraphs(tree) == 1
    assert para.astext() == "Emphasis first, then text."
    assert next(para.findall(lambda n: n.tagname == "emphasis")).astext() == "Emphasis"


def test_no_output_prints_a_node_name(build: Path) -> None:
    for lang in ("nl", "ar"):
        for fmt in ("a4", "a5"):
            text = pdf_text(pdf_path(build, lang, fmt))
            assert "source_language" not in text and "ltr_run" not in text, (lang, fmt)
        html = (build / "html" / lang / f"{LEAFLET}.html").read_text(encoding="utf-8")
        assert "&lt;source_language" not in html and "&lt;ltr_run" not in html, lang
        xhtml = epub_member(epub_path(build, lang), f"{LEAFLET}.xhtml")
        assert "&lt;source_language" not in xhtml, lang
