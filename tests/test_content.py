"""Issue 3: the leaflet's facts, dates, sources and plain language, in every language
(issue 16: Arabic, checked on its doctree and website text; its PDFs in tests/pdf)."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from docutils import nodes

from conftest import LANGUAGES, LEAFLET, ROOT, translated
from pamflet.i18n import format_date
from pamflet.project import Project
from pamflet.translate.readability import load_doctree, longest_shared_run, measure, text_blocks

#: A draft prints one date, the day its text last changed ("Draft of ..."; issue 29):
#: no version, publication or next review until a release records a review.
CHANGED = Project.find(ROOT).settings().pamflet_leaflets[LEAFLET]["changed"]
ABOUT_DATES = {lang: (format_date(CHANGED, lang),) for lang in ("en", "nl", "ar")}
#: The same in every language: numbers, phone numbers, the crisis line's website.
KEY_FIGURES = ("71%", "48%", "2023", "2024", "113", "0800-0113", "113.nl", "112")
SOURCES = [
    "Mitchell",
    "FDA Briefing Document",
    "Feduccia",
    "Oehen",
    "Krediet",
    "Reiff",
    "Bahji",
    "Carhart-Harris",
    "Davis",
    "MAPS / Lykos",
]
ENGLISH_HEADINGS = [
    "What are psychedelics?",
    "Why are they studied for PTSD?",
    "What does a treatment look like?",
    "What does the research say?",
    "Is it legal in the Netherlands?",
    "Who should be especially careful?",
    "What are the possible risks?",
    "How might these substances work?",
    "Where can I find help?",
    "About this leaflet",
    "Key points",
    "Questions you can ask",
]


@pytest.mark.parametrize("fmt", ["a4", "a5"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_key_figures_and_crisis_contacts(pdf_texts: dict, lang: str, fmt: str) -> None:
    text = pdf_texts[(lang, fmt)]
    for figure in KEY_FIGURES:
        assert figure in text, figure


def arabic_texts(build: Path) -> dict[str, str]:
    """The Arabic leaflet's text as the doctree has it and as the website shows it."""
    doctree = load_doctree(build / "doctrees" / "ar", LEAFLET)
    page = (build / "html" / "ar" / f"{LEAFLET}.html").read_text(encoding="utf-8")
    body = page[page.index("<article") : page.index("</article>")]
    shown = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
    return {"doctree": " ".join(doctree.astext().split()), "html": " ".join(shown.split())}


@pytest.mark.parametrize("where", ["doctree", "html"])
def test_arabic_key_figures_contacts_and_sources(build: Path, where: str) -> None:
    text = arabic_texts(build)[where]
    for figure in KEY_FIGURES:
        assert figure in text, figure
    assert "huisarts" in text  # Dutch institutions named as they are
    positions = [text.find(name) for name in SOURCES]
    assert all(p >= 0 for p in positions), dict(zip(SOURCES, positions, strict=True))
    assert positions == sorted(positions)
    if where == "html":  # the "about" dates are written when the page is (pamflet/about.py)
        for date in ABOUT_DATES["ar"]:
            assert date in text
    assert not re.search("[\u0660-\u0669\u06f0-\u06f9]", text)  # Western digits only
    for heading in ENGLISH_HEADINGS:
        assert heading not in text, heading


def test_arabic_doctree_keeps_every_number_of_the_english(build: Path) -> None:
    """Every number of the English running text is in the Arabic, as often."""

    def numbers(lang: str) -> list[str]:
        doctree = load_doctree(build / "doctrees" / lang, LEAFLET)
        return sorted(re.findall(r"\d+(?:[.,:-]\d+)*", " ".join(text_blocks(doctree))))

    assert numbers("ar") == numbers("en")
    assert isinstance(load_doctree(build / "doctrees" / "ar", LEAFLET), nodes.document)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_all_ten_sources_numbered(pdf_texts: dict, lang: str) -> None:
    text = pdf_texts[(lang, "a4")]
    positions = [text.find(name) for name in SOURCES]
    assert all(p >= 0 for p in positions), dict(zip(SOURCES, positions, strict=True))
    assert positions == sorted(positions)  # in the numbered order
    # pypdf extracts list numbers apart from their items; the tenth number is there
    # (in visual order: ".10" in a right-to-left page)
    assert re.search(r"\b10\.|\.10\b", text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_about_dates_in_the_language_format(pdf_texts: dict, lang: str) -> None:
    text = pdf_texts[(lang, "a4")]
    for date in ABOUT_DATES[lang]:
        # pypdf extracts a right-to-left line in visual order: "2026 نوفمبر 27"
        words = [re.escape(w) for w in date.split()]
        assert re.search(r"\s*".join(words), text) or re.search(r"\s*".join(words[::-1]), text)
    other = "nl" if lang == "en" else "en"
    assert ABOUT_DATES[other][0] not in text
    # no review is recorded (issue 14): no "last reviewed" date, no next review
    assert translated(lang, "Last reviewed") not in text
    assert translated(lang, "Next review") not in text
    assert translated(lang, "Draft of") in text


def test_dutch_outputs_have_no_english_headings(build: Path, pdf_texts: dict) -> None:
    html = (build / "html" / "nl" / f"{LEAFLET}.html").read_text(encoding="utf-8")
    for heading in ENGLISH_HEADINGS:
        assert heading not in pdf_texts[("nl", "a4")], heading
        assert heading not in html, heading
        assert heading in pdf_texts[("en", "a4")] or heading == "Key points"


def test_english_body_is_original(build: Path) -> None:
    """No run of 10 or more consecutive words is taken from the article (sources exempt)."""
    doctree = load_doctree(build / "doctrees" / "en", LEAFLET)
    body = " ".join(text_blocks(doctree))
    article = (ROOT / "source" / "_reference" / "article.txt").read_text(encoding="utf-8")
    assert len(body.split()) > 1500
    assert longest_shared_run(body, article) < 10


def test_originality_check_catches_a_copied_sentence() -> None:
    article = (ROOT / "source" / "_reference" / "article.txt").read_text(encoding="utf-8")
    copied = "Memories are not fixed recordings. Every time you recall a memory, it changes."
    assert longest_shared_run("We say: " + copied, article) >= 10


@pytest.mark.parametrize(("lang", "minimum"), [("en", 60), ("nl", 60), ("ar", None)])
def test_readability_thresholds(build: Path, lang: str, minimum: float | None) -> None:
    report = measure(text_blocks(load_doctree(build / "doctrees" / lang, LEAFLET)), lang)
    assert report.words > 1500
    if minimum is None:  # Arabic: no formula, the sentence length only
        assert (report.formula, report.score) == (None, None)
    else:
        assert report.score >= minimum, (report.formula, report.score)
    assert report.words_per_sentence <= 15


def test_readability_score_falls_for_hard_text() -> None:
    easy = measure(["The cat sat on the mat. It was warm."], "en")
    hard = measure(
        [
            "Psychopharmacological interventions necessitate comprehensive "
            "multidisciplinary evaluation, considering contraindications "
            "and pharmacokinetic interactions simultaneously."
        ],
        "en",
    )
    assert easy.score > 90 > 0 > hard.score
