"""Issues 6 and 16: the website. Readable, multilingual (right to left too), private,
accessible; built for real and checked.

The browser tests use Debian's Chromium (headless) and axe-core 4 from
tests/a11y/vendor/; without Chromium they skip, and with CI set they fail.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import snowballstemmer
from bs4 import BeautifulSoup

from conftest import LEAFLET, ROOT
from pamflet.languages import language_settings
from pamflet.project import Project
from pamflet.web.downloads import format_size

#: Every language of the project (conf.py), not only conftest's en and nl.
LANGUAGES = tuple(Project.find(ROOT).languages())
SETTINGS = Project.find(ROOT).settings()
RTL = tuple(lang for lang in LANGUAGES if language_settings(SETTINGS, lang).direction == "rtl")
#: Each language's name in that language, as the switcher and the chooser show it.
NAMES = {"en": "English", "nl": "Nederlands", "ar": "العربية"}
BASEURL = "https://pamflet.readthedocs.io/{language}/latest/"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def others(lang: str) -> list[str]:
    return [other for other in LANGUAGES if other != lang]


def html_pages(build: Path) -> list[Path]:
    """Every page of the website: the language chooser and each language's pages."""
    root = build / "html"
    return [root / "index.html"] + sorted(
        page for lang in LANGUAGES for page in (root / lang).glob("*.html")
    )


def site_pages(build: Path, lang: str) -> list[Path]:
    return sorted((build / "html" / lang).glob("*.html"))


def resolve(page: Path, href: str) -> Path:
    """The file a relative link on ``page`` points to."""
    return (page.parent / unquote(urlsplit(href).path)).resolve()


# -- theme, type and fonts -------------------------------------------------------------------


def test_the_theme_is_furo_with_self_hosted_atkinson(build: Path) -> None:
    for lang in LANGUAGES:
        static = build / "html" / lang / "_static"
        assert (static / "styles" / "furo.css").is_file()
        css = (static / "styles" / "pamflet.css").read_text(encoding="utf-8")
        faces = re.findall(r'url\("(\.\./fonts/[^"]+\.woff2)"\)', css)
        assert len(faces) == 6, faces  # Atkinson Hyperlegible (4), Noto Naskh Arabic (2)
        for face in faces:
            font = (static / "styles" / face).resolve()
            assert font.is_file() and font.read_bytes()[:4] == b"wOF2", font
        page = soup(build / "html" / lang / f"{LEAFLET}.html")
        assert "Furo" in str(page.find(string=lambda s: "Generated with" in s))


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_body_text_is_at_least_18px_in_atkinson(build: Path, browser, lang: str, width: int):
    browser.viewport(width)
    browser.open((build / "html" / lang / f"{LEAFLET}.html").as_uri())
    sizes = browser.evaluate(
        "[...document.querySelectorAll('article p, article li')]"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 18, sorted(sizes)[:5]
    # The language's body scale (Arabic: larger than the Latin text).
    scale = language_settings(SETTINGS, lang).body_scale
    assert min(sizes) >= round(18 * scale, 1) - 0.1, (lang, min(sizes))
    assert browser.evaluate("document.fonts.check('18px \"Atkinson Hyperlegible\"')")
    family = browser.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily")
    assert family.startswith('"Atkinson Hyperlegible"'), family
    for font in language_settings(SETTINGS, lang).fonts:
        assert f'"{font}"' in family, (font, family)


# -- languages -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_links_the_same_page_in_the_other_language(build: Path, lang: str) -> None:
    pages = site_pages(build, lang)
    assert {p.name for p in pages} >= {"index.html", f"{LEAFLET}.html", "search.html"}
    for page in pages:
        nav = soup(page).find("nav", class_="language-switcher")
        assert nav is not None, page
        current = nav.find(attrs={"aria-current": "page"})
        assert current is not None and current["lang"] == lang
        assert current.get_text() == NAMES[lang]
        links = nav.find_all("a")
        assert [a["hreflang"] for a in links] == others(lang)
        for link in links:
            other = link["hreflang"]
            assert link["lang"] == other
            assert link["dir"] == language_settings(SETTINGS, other).direction
            assert link.get_text() == NAMES[other]
            target = resolve(page, link["href"])
            assert target == (build / "html" / other / page.name).resolve(), page
            assert target.is_file()
        assert not nav.find("script")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_hreflang_alternates_both_ways(build: Path, lang: str) -> None:
    for page in site_pages(build, lang):
        head = soup(page).head
        alternates = {
            link["hreflang"]: link["href"]
            for link in head.find_all("link", rel="alternate")
            if link.get("hreflang")
        }
        expected = {code: BASEURL.format(language=code) + page.name for code in LANGUAGES}
        assert alternates == {**expected, "x-default": expected["en"]}, page
        canonical = head.find("link", rel="canonical")["href"]
        assert canonical == expected[lang]
        # The other languages' pages point back here.
        for other_lang in others(lang):
            other = soup(build / "html" / other_lang / page.name).head
            back = other.find("link", rel="alternate", hreflang=lang)["href"]
            assert back == canonical


def test_the_language_chooser_offers_every_language(build: Path) -> None:
    page = build / "html" / "index.html"
    html = soup(page)
    assert not html.find("script")
    links = html.main.find_all("a")
    assert [a["hreflang"] for a in links] == list(LANGUAGES)
    for a in links:
        assert resolve(page, a["href"]) == (build / "html" / a["lang"] / "index.html").resolve()
    assert [a.strong.get_text() for a in links] == [NAMES[lang] for lang in LANGUAGES]
    for a in links:
        assert a["dir"] == language_settings(SETTINGS, a["lang"]).direction
    assert html.find(lang="nl", string="Patiëntenfolders")
    assert html.find(lang="nl", string="Kies uw taal")
    assert {link["hreflang"] for link in html.find_all("link", rel="alternate")} == {
        *LANGUAGES,
        "x-default",
    }
    fonts = re.findall(r'url\("([^"]+\.woff2)"\)', html.style.get_text())
    assert fonts and all(resolve(page, f).is_file() for f in fonts)


# -- the interface in Dutch ------------------------------------------------------------------

#: Interface strings of furo and Sphinx, and where they show.
UI_STRINGS = [
    "Skip to content",
    "Back to top",
    "On this page",
    "Search",
    "Next",
    "Previous",
    "Contents",
    "Expand",
    "Light mode",
    "Dark mode",
    "Toggle",
    "Made with",
    "Link to this heading",
    "Download this leaflet",
    "Language",
    "Navigation",
]


def interface_texts(page: Path) -> list[str]:
    """What a reader or a screen reader meets: text, labels, titles, placeholders."""
    html = soup(page)
    for tag in html.find_all(["script", "style"]):
        tag.decompose()
    texts = [s.strip() for s in html.find_all(string=True) if s.strip()]
    for tag in html.find_all(True):
        for attribute in ("aria-label", "title", "placeholder", "alt"):
            if tag.get(attribute):
                texts.append(tag[attribute])
    return texts


@pytest.mark.parametrize("page", ["index.html", f"{LEAFLET}.html", "search.html"])
def test_the_dutch_site_speaks_dutch(build: Path, page: str) -> None:
    dutch = interface_texts(build / "html" / "nl" / page)
    english = interface_texts(build / "html" / "en" / page)
    joined = "\n".join(dutch)
    for message in UI_STRINGS:
        leftovers = [text for text in dutch if re.search(rf"\b{re.escape(message)}\b", text)]
        assert not leftovers, f"nl/{page}: English interface text {leftovers}"
    for message in ("Naar de inhoud", "Zoeken", "Menu openen of sluiten", "Gemaakt met", "Taal"):
        assert message in joined, f"nl/{page}: no {message!r}"
    assert "Kleuren wisselen: licht, donker of automatisch" in joined
    if page == f"{LEAFLET}.html":
        assert "Op deze pagina" in joined
        assert "Link naar dit kopje" in joined
        assert "Deze folder downloaden" in joined
    # The English site keeps furo's own words.
    assert "Skip to content" in english and "Made with" in "\n".join(english)


def test_search_page_javascript_strings_are_dutch(build: Path) -> None:
    text = (build / "html" / "nl" / "_static" / "translations.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    plural = data["messages"]["Search finished, found one page matching the search query."]
    assert plural[1] == "Klaar met zoeken: er zijn ${resultCount} pagina's gevonden."
    assert data["plural_expr"] == "+((n != 1))"


def load_search_index(build: Path, lang: str) -> dict:
    text = (build / "html" / lang / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_the_dutch_search_index_finds_the_leaflet_by_a_stemmed_dutch_word(build: Path) -> None:
    index = load_search_index(build, "nl")
    leaflet = index["docnames"].index(LEAFLET)
    stemmer = snowballstemmer.stemmer("dutch")  # what Sphinx indexes nl with
    for word in ("behandelingen", "onderzoekers", "wondermiddelen"):
        stem = stemmer.stemWord(word)
        assert stem != word
        hits: list[int] = []
        for table in ("terms", "titleterms"):  # words of headings are in titleterms only
            found = index[table].get(stem, [])
            hits += [found] if isinstance(found, int) else found
        assert leaflet in hits, (word, stem)
    assert "wondermiddel" not in json.dumps(load_search_index(build, "en")["terms"])


@pytest.mark.parametrize(
    ("lang", "query", "summary"),
    [
        ("nl", "behandelingen", "Klaar met zoeken: er zijn 2 pagina's gevonden."),
        ("nl", "wondermiddelen", "Klaar met zoeken: er is één pagina gevonden."),
        ("en", "treatments", "Search finished, found 2 pages matching the search query."),
    ],
)
def test_search_in_the_browser(build: Path, browser, lang: str, query: str, summary: str):
    browser.viewport(1280)
    browser.open((build / "html" / lang / "search.html").as_uri() + f"?q={query}")
    shown = ""
    for _attempt in range(100):
        shown = browser.evaluate(
            "document.querySelector('#search-results .search-summary')?.innerText || ''"
        )
        if shown:
            break
        time.sleep(0.05)
    assert shown == summary
    found = browser.evaluate(
        "[...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href'))"
    )
    assert any(href.startswith(f"{LEAFLET}.html") for href in found), found


def test_the_arabic_search_index_keeps_arabic_words(build: Path) -> None:
    """Sphinx has no Arabic stemmer and indexes ar with its English rules: the
    splitter must keep Arabic letters whole, so that the words are in the index."""
    for lang in RTL:
        index = load_search_index(build, lang)
        leaflet = index["docnames"].index(LEAFLET)
        for word in ("السيلوسيبين", "الدماغ", "هولندا"):
            hits: list[int] = []
            for table in ("terms", "titleterms"):  # words of headings are in titleterms only
                found = index[table].get(word, [])
                hits += [found] if isinstance(found, int) else found
            assert leaflet in hits, word


@pytest.mark.parametrize(
    ("lang", "query", "summary"),
    [
        ("ar", "السيلوسيبين", "انتهى البحث. عدد الصفحات التي وجدناها: 1."),
        ("ar", "المهلوسة", "انتهى البحث. عدد الصفحات التي وجدناها: 2."),
    ],
)
def test_search_in_arabic_in_the_browser(build: Path, browser, lang: str, query: str, summary):
    if lang not in LANGUAGES:
        pytest.fail(f"{lang} is not in pamflet_languages (conf.py)")
    test_search_in_the_browser(build, browser, lang, query, summary)


# -- downloads -------------------------------------------------------------------------------

DOWNLOADS = {
    "a4": ("pdf/{lang}/" + LEAFLET + "-a4.pdf", "application/pdf"),
    "a4-large": ("pdf/{lang}/" + LEAFLET + "-a4-large.pdf", "application/pdf"),
    "a5": ("pdf/{lang}/" + LEAFLET + "-a5.pdf", "application/pdf"),
    "booklet": ("pdf/{lang}/" + LEAFLET + "-booklet.pdf", "application/pdf"),
    "a5-print": ("pdf/{lang}/" + LEAFLET + "-a5-print.pdf", "application/pdf"),
    "epub": ("epub/" + LEAFLET + "-{lang}.epub", "application/epub+zip"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_leaflet_page_offers_its_pdfs_and_epub_with_sizes(build: Path, lang: str) -> None:
    page = build / "html" / lang / f"{LEAFLET}.html"
    block = soup(page).find("section", class_="pamflet-downloads")
    assert block is not None
    assert (
        block.h2.get_text()
        == {
            "en": "Download this leaflet",
            "nl": "Deze folder downloaden",
            "ar": "تنزيل هذه النشرة",
        }[lang]
    )
    links = block.find_all("a")
    assert len(links) == len(DOWNLOADS)
    for a, (source, media_type) in zip(links, DOWNLOADS.values(), strict=True):
        original = build / source.format(lang=lang)
        copy = resolve(page, a["href"])
        assert copy.parent == (build / "html" / lang / "downloads").resolve()
        assert copy.read_bytes() == original.read_bytes(), a["href"]
        assert a["type"] == media_type
        size = format_size(original.stat().st_size, lang, SETTINGS.pamflet_date_locales)
        kind = "EPUB" if media_type.endswith("zip") else "PDF"
        comma = "،" if lang == "ar" else ","  # the Arabic comma (sphinx.po)
        assert a.find(class_="pamflet-download-meta").get_text() == f"({kind}{comma} {size})"
        assert lang in copy.name
    # It sits in the leaflet's introduction, before its first section.
    first_section = block.find_parent("article").section.find("section", id=True)
    assert block.find_next("section", id=True) is first_section
    assert soup(build / "html" / lang / "index.html").find(class_="pamflet-downloads") is None


def test_file_sizes_are_written_for_readers() -> None:
    assert format_size(55_900, "en", {"en": "en_GB"}) == "56 kB"
    assert format_size(1_234_567, "nl", {}) == "1,2 MB"
    assert format_size(1_234_567, "en", {"en": "en_GB"}) == "1.2 MB"


# -- printing the page -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_printing_the_page_shows_only_the_text(build: Path, browser, lang: str) -> None:
    page = build / "html" / lang / f"{LEAFLET}.html"
    sheets = soup(page).find_all("link", rel="stylesheet", media="print")
    assert [resolve(page, s["href"]).name for s in sheets] == ["pamflet-print.css"]
    browser.viewport(1280)
    browser.media("print")
    try:
        browser.open(page.as_uri())
        shown = browser.evaluate(
            "Object.fromEntries(['.sidebar-drawer', '.toc-drawer', '.language-switcher',"
            " '.pamflet-downloads', '.mobile-header', '.related-pages', 'article h1']"
            ".map(s => [s, getComputedStyle(document.querySelector(s)).display]))"
        )
    finally:
        browser.media("")
    assert shown.pop("article h1") != "none"
    assert set(shown.values()) == {"none"}, shown


# -- nothing from third parties --------------------------------------------------------------

#: Elements and attributes that make a browser fetch something.
FETCHING = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "input": ["src"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
}
#: <link rel=...> values that fetch or connect.
FETCHING_RELS = {
    "stylesheet",
    "preload",
    "prefetch",
    "modulepreload",
    "preconnect",
    "dns-prefetch",
    "prerender",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def external(url: str) -> bool:
    url = url.strip()
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)) and not url.startswith("file:")


def third_party_urls(page: Path) -> list[str]:
    html = soup(page)
    found: list[str] = []
    for name, attributes in FETCHING.items():
        for tag in html.find_all(name):
            for attribute in attributes:
                for value in re.split(r",\s*", tag.get(attribute) or ""):
                    if value and external(value.split()[0]):
                        found.append(f"<{name} {attribute}={value}>")
    for link in html.find_all("link"):
        rels = {r.lower() for r in link.get("rel", [])}
        if rels & FETCHING_RELS and external(link.get("href", "")):
            found.append(f"<link rel={' '.join(rels)} href={link['href']}>")
    styles = [s.get_text() for s in html.find_all("style")]
    styles += [tag["style"] for tag in html.find_all(style=True)]
    for css in styles:
        found += [u for m in CSS_URL.finditer(css) for u in m.groups() if u and external(u)]
    return found


def test_no_page_loads_anything_from_third_parties(build: Path) -> None:
    pages = html_pages(build)
    assert len(pages) >= 7
    problems = {str(p.relative_to(build)): third_party_urls(p) for p in pages}
    assert not {k: v for k, v in problems.items() if v}
    stylesheets = sorted((build / "html").glob("*/_static/**/*.css"))
    assert stylesheets
    for css in stylesheets:
        text = css.read_text(encoding="utf-8")
        urls = [u for m in CSS_URL.finditer(text) for u in m.groups() if u and external(u)]
        assert not urls, (css, urls)


def test_the_third_party_check_catches_what_it_should(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        '<link rel="preload" href="//fonts.example/f.woff2" as="font">'
        '<link rel="alternate" hreflang="nl" href="https://example.org/nl/">'
        "<style>@font-face { src: url(https://fonts.example/a.woff2) }</style></head>"
        '<body><script src="https://analytics.example/a.js"></script>'
        '<img src="_static/local.png" srcset="https://img.example/a.png 2x">'
        '<iframe src="https://video.example/embed"></iframe></body></html>'
    )
    found = third_party_urls(page)
    assert len(found) == 6, found
    assert not any("example.org/nl" in f for f in found)


# -- accessibility: axe-core in Chromium -----------------------------------------------------


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "mobile-375"])
def test_axe_finds_no_wcag_22_aa_violations(build: Path, browser, width: int) -> None:
    from a11y.browser import WCAG_TAGS

    pages = html_pages(build)
    violations: dict[str, list] = {}
    fetched_outside: dict[str, list] = {}
    browser.viewport(width)
    for page in pages:
        requested = browser.open(page.as_uri())
        name = str(page.relative_to(build / "html"))
        outside = [url for url in requested if not url.startswith(("file:", "data:"))]
        if outside:
            fetched_outside[name] = outside
        found = browser.axe(WCAG_TAGS)
        if found:
            violations[name] = found
    assert not fetched_outside, fetched_outside
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)


def test_axe_finds_no_violations_in_dark_mode(build: Path, browser) -> None:
    browser.viewport(1280, dark=True)
    try:
        for lang in LANGUAGES:
            browser.open((build / "html" / lang / f"{LEAFLET}.html").as_uri())
            text = browser.evaluate("getComputedStyle(document.querySelector('article')).color")
            assert int(re.findall(r"\d+", text)[0]) > 128, text  # light text: dark mode is on
            assert browser.axe() == [], lang
    finally:
        browser.viewport(1280)


def test_axe_is_vendored_and_pinned() -> None:
    axe = ROOT / "tests" / "a11y" / "vendor" / "axe.min.js"
    assert axe.read_text(encoding="utf-8").startswith("/*! axe v4.")
    assert (axe.parent / "LICENSE").is_file()


# -- right to left (issue 16) ----------------------------------------------------------------


def test_the_project_has_a_right_to_left_language() -> None:
    assert RTL, "issue 16: Arabic, right to left"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_its_languages_direction(build: Path, lang: str) -> None:
    direction = language_settings(SETTINGS, lang).direction
    for page in site_pages(build, lang):
        html = soup(page).html
        assert (html["lang"], html["dir"]) == (lang, direction), page


#: Where furo's parts are on a leaflet page: their boxes and a few computed styles.
LAYOUT_JS = """(() => {
  const box = s => { const r = document.querySelector(s).getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width}; };
  const style = (s, p) => getComputedStyle(document.querySelector(s))[p];
  return {
    width: innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    direction: style('article', 'direction'),
    sidebar: box('.sidebar-drawer'), toc: box('.toc-drawer'), article: box('article'),
    h1: box('article h1'), list: box('article li'),
    admonitionLeft: style('.admonition', 'borderLeftWidth'),
    admonitionRight: style('.admonition', 'borderRightWidth'),
    listPaddingRight: style('article ul', 'paddingRight'),
    downloadsRight: style('.pamflet-downloads', 'borderRightWidth'),
    prev: box('.related-pages a.prev-page'),
  };
})()"""


@pytest.mark.parametrize("lang", RTL)
def test_furo_is_mirrored_right_to_left_on_a_wide_screen(build: Path, browser, lang: str):
    browser.viewport(1280)
    browser.open((build / "html" / lang / f"{LEAFLET}.html").as_uri())
    layout = browser.evaluate(LAYOUT_JS)
    assert layout["direction"] == "rtl"
    assert layout["scrollWidth"] <= layout["width"]
    # The navigation sidebar on the right, the article to its left.
    assert layout["sidebar"]["left"] >= layout["article"]["right"] - 1, layout
    # The page's table of contents (a drawer below 82em) waits off screen on the left.
    assert layout["toc"]["right"] <= 0, layout["toc"]
    # Headings and list items start at the right edge of the article.
    assert abs(layout["h1"]["right"] - layout["article"]["right"]) < 12, layout
    assert layout["list"]["right"] < layout["article"]["right"], layout
    assert float(layout["listPaddingRight"].removesuffix("px")) > 0
    # The key points box and the download block: their coloured edge on the right.
    assert layout["admonitionLeft"] == "0px" and layout["admonitionRight"] != "0px"
    assert layout["downloadsRight"] != "0px"
    # "Previous" sits on the right, where a right-to-left reader came from.
    assert layout["prev"]["right"] > layout["article"]["left"] + layout["article"]["width"] / 2


@pytest.mark.parametrize("lang", RTL)
def test_furo_is_mirrored_right_to_left_on_a_phone(build: Path, browser, lang: str) -> None:
    browser.viewport(375)
    try:
        browser.open((build / "html" / lang / f"{LEAFLET}.html").as_uri())
        layout = browser.evaluate(LAYOUT_JS)
        # Nothing sticks out sideways; the drawers wait off screen, navigation on the right.
        assert layout["scrollWidth"] <= 375, layout
        assert layout["sidebar"]["left"] >= 375, layout["sidebar"]
        assert layout["toc"]["right"] <= 0, layout["toc"]
        # Opening the navigation slides it in from the right.
        browser.evaluate("document.getElementById('__navigation').click()")
        time.sleep(0.4)  # furo's transition: 0.25 s
        opened = browser.evaluate(
            "document.querySelector('.sidebar-drawer').getBoundingClientRect().right"
        )
        assert abs(opened - 375) < 2, opened
    finally:
        browser.viewport(1280)


def test_left_to_right_runs_keep_their_order_in_right_to_left_pages(build: Path) -> None:
    """Phone numbers, URLs and percentages are isolated (pamflet/bidi.py), and a paragraph
    with no right-to-left letter (the Sources list, in English) runs left to right whole."""
    for lang in RTL:
        page = soup(build / "html" / lang / f"{LEAFLET}.html")
        runs = {span.get_text() for span in page.article.find_all("span", dir="ltr")}
        assert {"0800-0113", "113.nl", "71%"} <= runs, sorted(runs)
        sources = page.article.find("section", class_="sources")
        assert sources is not None
        for item in sources.find_all("li"):
            (para,) = item.find_all("p")
            assert [c.name for c in para.children if c.name or c.strip()] == ["span"]
            assert para.span["dir"] == "ltr", item
    for lang in set(LANGUAGES) - set(RTL):
        page = soup(build / "html" / lang / f"{LEAFLET}.html")
        assert not page.article.find("span", class_="ltr")


@pytest.mark.parametrize("page", ["index.html", f"{LEAFLET}.html", "search.html"])
def test_the_arabic_site_speaks_arabic(build: Path, page: str) -> None:
    for lang in RTL:
        texts = interface_texts(build / "html" / lang / page)
        for message in UI_STRINGS:
            leftovers = [text for text in texts if re.search(rf"\b{re.escape(message)}\b", text)]
            assert not leftovers, f"{lang}/{page}: English interface text {leftovers}"
        joined = "\n".join(texts)
        for message in ("انتقل إلى المحتوى", "العودة إلى أعلى الصفحة", "التنقل"):
            assert message in joined, f"{lang}/{page}: no {message!r}"


def test_arabic_text_is_drawn_in_the_shipped_naskh(build: Path, browser) -> None:
    """Chromium reports the fonts it used for the text: Naskh for the Arabic letters,
    Atkinson Hyperlegible for the Latin runs (PTSD, MDMA), no system font."""
    for lang in RTL:
        browser.open((build / "html" / lang / f"{LEAFLET}.html").as_uri())
        browser.send("DOM.enable")
        browser.send("CSS.enable")
        root = browser.send("DOM.getDocument")["root"]["nodeId"]
        used: set[str] = set()
        for selector in ("article h1", "article p", "article li"):
            node = browser.send("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
            fonts = browser.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]
            used |= {font["familyName"] for font in fonts if font["glyphCount"]}
        assert used <= set(language_settings(SETTINGS, lang).fonts), used
        assert "Noto Naskh Arabic" in used and "Atkinson Hyperlegible" in used, used


# -- hosting ---------------------------------------------------------------------------------


def test_read_the_docs_builds_one_language_per_project() -> None:
    text = (ROOT / ".readthedocs.yaml").read_text(encoding="utf-8")
    assert re.search(r"^version: 2$", text, re.M)
    assert "-D language=$READTHEDOCS_LANGUAGE" in text
    assert "$READTHEDOCS_OUTPUT/html" in text
    assert "--languages $READTHEDOCS_LANGUAGE" in text
    assert "requirements.lock" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Website and e-books", 1)[1].split("\n## ", 1)[0]
    assert "READTHEDOCS_LANGUAGE" in section and "make serve" in section


def test_make_serve_previews_the_website_locally() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "http.server --bind 127.0.0.1 --directory $(BUILD)/html" in recipe
