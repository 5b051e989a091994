"""Issue 29: the website's draft banner and footer, on the built site.

- The draft banner keeps its padding: furo's ``[role=main] .container`` (in
  furo-extensions.css, after pamflet.css) took its side padding off, so the text
  touched the border. Measured in Chromium, in every language.
- The footer's copyright line is pamflet's label in the reader's language, and
  the holder from ``conf.py`` is isolated (``<bdi dir="auto">``): on the Arabic
  site the Arabic words come first (on the right) and the holder keeps its own
  order, instead of "The pamflet project ,2026 © حقوق النشر".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import LEAFLET, ROOT
from pamflet.i18n import gettext
from pamflet.languages import language_settings
from pamflet.project import Project
from pamflet.web.interface import COPYRIGHT

PROJECT = Project.find(ROOT)
LANGUAGES = tuple(PROJECT.languages())
SETTINGS = PROJECT.settings()


def page(build: Path, lang: str, name: str = f"{LEAFLET}.html") -> Path:
    return build / "html" / lang / name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_draft_banner_text_keeps_clear_of_its_border(build: Path, browser, lang: str):
    browser.viewport(1280)
    browser.open(page(build, lang).as_uri())
    box = browser.evaluate(
        "(() => { const b = document.querySelector('.pamflet-draft'); const s = "
        "getComputedStyle(b); const t = b.querySelector('strong').getBoundingClientRect(); "
        "const r = b.getBoundingClientRect(); return {padding: [s.paddingTop, s.paddingRight, "
        "s.paddingBottom, s.paddingLeft].map(parseFloat), border: parseFloat(s.borderLeftWidth), "
        "gaps: [t.left - r.left, r.right - t.right, t.top - r.top, r.bottom - t.bottom]}; })()"
    )
    assert min(box["padding"]) >= 8, box
    # the text itself, not only the computed value: at least the border plus 8 px from the
    # edge on the side where the line starts (the right in a right-to-left language)
    start = 1 if language_settings(SETTINGS, lang).direction == "rtl" else 0
    assert box["gaps"][start] >= box["border"] + 8, box
    assert min(box["gaps"][2:]) >= box["border"] + 8, box


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_copyright_line_is_translated_and_its_holder_isolated(build: Path, lang: str):
    holder = SETTINGS.copyright
    words = gettext(lang, COPYRIGHT).split("%(copyright)s")
    if lang != PROJECT.source_language:
        assert gettext(lang, COPYRIGHT) != COPYRIGHT, f"pamflet.po ({lang}) lacks {COPYRIGHT!r}"
    for name in ("index.html", f"{LEAFLET}.html"):
        footer = BeautifulSoup(page(build, lang, name).read_text("utf-8"), "html.parser")
        line = footer.select_one(".bottom-of-page .copyright")
        assert line is not None, name
        bdi = line.find("bdi")
        assert bdi is not None and bdi.get("dir") == "auto", line
        assert bdi.get_text() == holder
        assert " ".join(line.get_text().split()) == " ".join(
            (words[0] + holder + words[1]).split()
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_copyright_line_reads_in_the_page_direction(build: Path, browser, lang: str):
    """Where the words and the holder are drawn: the holder after the words in the
    reading direction (to their left in Arabic), its own text left to right."""
    browser.viewport(1280)
    browser.open(page(build, lang).as_uri())
    seen = browser.evaluate(
        "(() => { const c = document.querySelector('.bottom-of-page .copyright'); "
        "const h = c.querySelector('bdi'); const r = document.createRange(); "
        "r.selectNodeContents(c); r.setEndBefore(h); const w = r.getBoundingClientRect(); "
        "const b = h.getBoundingClientRect(); "
        "return {words: [w.left, w.right], holder: [b.left, b.right], "
        "dir: getComputedStyle(h).direction}; })()"
    )
    if language_settings(SETTINGS, lang).direction == "rtl":
        assert seen["holder"][1] <= seen["words"][0] + 1, seen
    else:
        assert seen["words"][1] <= seen["holder"][0] + 1, seen
    assert seen["dir"] == "ltr", seen  # a Latin holder keeps its own order
