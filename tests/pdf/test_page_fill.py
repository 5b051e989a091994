"""Issue 29: page fill, and the "About this leaflet" heading once.

- The leaflet's "About this leaflet" section stays in the text when it holds more than
  the facts; the back page's facts then get a title of their own ("Leaflet details"),
  so the heading is not printed twice. A section that holds only the facts goes to the
  back page with them, under its own heading.
- The last item of a list does not go to a page alone (the last source in the Arabic
  A4 leaflet did), and a paragraph leaves no more than one line behind (orphans and
  widows 2, not 3, which left a quarter of some Arabic A5 pages blank).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import LANGUAGES, normalise, pdf_path, run, translated

LEAFLET_SOURCES_LAST = ("Davis, A. K.", "MAPS / Lykos")


def pages(path: Path) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(path).pages]


def headings(path: Path) -> list[str]:
    """The PDF's bookmarks: one for each heading, in order."""

    def flat(items) -> list[str]:
        return [t for i in items for t in (flat(i) if isinstance(i, list) else [i.title])]

    return flat(PdfReader(path).outline)


@pytest.mark.parametrize("fmt", ("a4", "a4-large", "a5"))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_about_this_leaflet_is_printed_once(build: Path, lang: str, fmt: str) -> None:
    about = translated(lang, "About this leaflet")
    details = translated(lang, "Leaflet details")
    assert details != about
    titles = headings(pdf_path(build, lang, fmt))
    assert titles.count(about) == 1 and titles.count(details) == 1, titles
    assert titles.index(about) < titles.index(details)  # the facts on the back page
    assert details in pages(pdf_path(build, lang, fmt))[-1]


@pytest.mark.parametrize("fmt", ("a4", "a4-large", "a5"))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_last_source_keeps_company(build: Path, lang: str, fmt: str) -> None:
    texts = pages(pdf_path(build, lang, fmt))
    last = [i for i, text in enumerate(texts) if LEAFLET_SOURCES_LAST[1] in text]
    assert len(last) == 1
    assert LEAFLET_SOURCES_LAST[0] in texts[last[0]]


LEAFLET = """\
Washing your hands
==================

Clean hands stop germs from spreading.

Why?
----

Germs spread from hands to food.

.. rst-class:: about

About this leaflet
------------------

.. leaflet-about::
{after}
"""


def build_leaflet(folder: Path, after: str) -> tuple[list[str], list[str]]:
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "conf.py").write_text(
        'project = "Facts"\nextensions = ["pamflet"]\n'
        'pamflet_leaflets = {"index": {"changed": "2026-12-01"}}\n',
        encoding="utf-8",
    )
    (folder / "src" / "index.rst").write_text(LEAFLET.format(after=after), encoding="utf-8")
    out = folder / "out"
    run([sys.executable, "-m", "sphinx", "-q", "-b", "leaflet", str(folder / "src"), str(out)])
    pdf = next(out.glob("*.pdf"))
    return pages(pdf), headings(pdf)


def test_a_section_of_facts_alone_goes_to_the_back_page_under_its_heading(tmp_path: Path):
    texts, titles = build_leaflet(tmp_path, "")
    assert titles.count("About this leaflet") == 1 and "Leaflet details" not in titles
    assert "About this leaflet" in texts[-1]


def test_a_section_with_text_stays_and_the_facts_get_their_own_title(tmp_path: Path):
    texts, titles = build_leaflet(tmp_path, "\nA nurse of the clinic wrote this leaflet.\n")
    assert titles.count("About this leaflet") == 1 and titles.count("Leaflet details") == 1
    body = " ".join(texts[:-1])
    assert "About this leaflet" in body and "A nurse of the clinic" in body
    assert "Leaflet details" in texts[-1] and "About this leaflet" not in texts[-1]
