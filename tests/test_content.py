"""Issue 3: the leaflet's facts, dates, sources and plain language, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import LANGUAGES, LEAFLET, ROOT
from pamflet.translate.readability import load_doctree, longest_shared_run, measure, text_blocks

ABOUT_DATES = {
    "en": ("27 November 2026", "27 November 2029"),
    "nl": ("27 november 2026", "27 november 2029"),
}
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
    for figure in ("71%", "48%", "2023", "2024", "113", "0800-0113", "112"):
        assert figure in text, figure


@pytest.mark.parametrize("lang", LANGUAGES)
def test_all_ten_sources_numbered(pdf_texts: dict, lang: str) -> None:
    text = pdf_texts[(lang, "a4")]
    positions = [text.find(name) for name in SOURCES]
    assert all(p >= 0 for p in positions), dict(zip(SOURCES, positions, strict=True))
    assert positions == sorted(positions)  # in the numbered order
    # pypdf extracts list numbers apart from their items; the tenth number is there
    assert re.search(r"\b10\.", text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_about_dates_in_the_language_format(pdf_texts: dict, lang: str) -> None:
    text = pdf_texts[(lang, "a4")]
    for date in ABOUT_DATES[lang]:
        assert date in text
    other = "nl" if lang == "en" else "en"
    assert ABOUT_DATES[other][0] not in text
    # no review is recorded (issue 14): no "last reviewed" date
    assert ("Last reviewed" if lang == "en" else "Laatst gecontroleerd") not in text


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


@pytest.mark.parametrize(("lang", "minimum"), [("en", 60), ("nl", 60)])
def test_readability_thresholds(build: Path, lang: str, minimum: float) -> None:
    report = measure(text_blocks(load_doctree(build / "doctrees" / lang, LEAFLET)), lang)
    assert report.words > 1500
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
