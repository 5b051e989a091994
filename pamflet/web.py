"""The website: furo with pamflet's changes for readers (html theme ``pamflet``).

``html_theme = "pamflet"`` is furo (``pamflet/themes/pamflet/``) with:

- a **language switcher** on every page, linking the same page in the other
  languages (plain links, no JavaScript), and ``<link rel="alternate"
  hreflang>`` for every language plus ``x-default``;
- furo's **interface strings in the reader's language**: furo writes some of
  them in English only (toggle labels, icon titles); the theme passes them
  through the message catalogs, so ``locales/<lang>/LC_MESSAGES/sphinx.po``
  in the project translates them along with Sphinx's own strings. The search
  page's JavaScript strings get the same overrides (``_static/translations.js``);
- a **download block** on each leaflet page (``pamflet_leaflets``): the PDFs
  and the EPUB of that language, with their sizes, copied into the site
  (``downloads/``). They come from the folder that ``pamflet build`` writes
  them to, so the website is built after them;
- self-hosted Atkinson Hyperlegible, body text of 18 px or more, and a print
  stylesheet for the web page itself. Nothing is loaded from third parties.

Settings:

``pamflet_language_url``
    Where the same page is in another language, relative to the root of this
    language's site. Default ``"../{language}/{path}"`` (the sites side by
    side, as ``pamflet build`` writes them); on Read the Docs
    ``"../../{language}/latest/{path}"``.
``pamflet_downloads_dir``
    The build folder that holds ``pdf/<lang>/`` and ``epub/`` (relative to
    ``conf.py``). Default: found from the output folder when it is
    ``<build>/html/<lang>``, as with ``pamflet build``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from .catalogs import catalog_paths, parse_po
from .i18n import date_locale, language_name

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

logger = logging.getLogger(__name__)

THEMES_DIR = Path(__file__).parent / "themes"
#: Builders that write the website (the leaflet and epub builders are HTML builders too).
WEBSITE_BUILDERS = frozenset({"html", "dirhtml"})
#: Where the downloads go inside each language's site.
DOWNLOADS_FOLDER = "downloads"

# -- furo's fixed English strings ------------------------------------------------------------

#: Strings furo 2025.12 writes without gettext, as they appear in its HTML. Each is
#: translated through the "sphinx" catalog (so sphinx.po can override it).
FIXED_STRINGS: tuple[tuple[str, str], ...] = (
    ('aria-label="{}"', "Toggle site navigation sidebar"),
    ('aria-label="{}"', "Toggle table of contents sidebar"),
    ('aria-label="{}"', "Toggle Light / Dark / Auto color theme"),
    ("<title>{}</title>", "Contents"),
    ("<title>{}</title>", "Menu"),
    ("<title>{}</title>", "Expand"),
    ("<title>{}</title>", "Light mode"),
    ("<title>{}</title>", "Dark mode"),
    ("<title>{}</title>", "Auto light/dark, in light mode"),
    ("<title>{}</title>", "Auto light/dark, in dark mode"),
)
_NAV_TOGGLE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')


def localise(markup: str) -> str:
    """Translate furo's fixed English interface strings in rendered HTML."""
    for pattern, message in FIXED_STRINGS:
        translated = _(message)
        if translated != message:
            markup = markup.replace(
                pattern.format(message), pattern.format(html.escape(translated, quote=True))
            )
    template = html.escape(_("Toggle navigation of %(title)s"), quote=True)
    markup = _NAV_TOGGLE.sub(
        lambda m: 'aria-label="' + template % {"title": m.group(1)} + '"', markup
    )
    # Name furo's two sidebars, so that screen readers can tell them apart.
    for css_class, message in (("sidebar-drawer", "Navigation"), ("toc-drawer", "On this page")):
        markup = re.sub(
            rf'<aside class="({css_class}[^"]*)">',
            lambda m, msg=message: (
                f'<aside class="{m.group(1)}" aria-label="{html.escape(_(msg), quote=True)}">'
            ),
            markup,
        )
    return markup


# -- languages -------------------------------------------------------------------------------


def _keep_baseurl_pattern(app: Sphinx, config: Config) -> None:
    """Remember ``html_baseurl`` before ``{language}`` is filled in (runs first)."""
    app._pamflet_baseurl_pattern = config.html_baseurl or ""  # type: ignore[attr-defined]


def _languages(config: Config) -> list[str]:
    current = config.language or "en"
    languages = list(config.pamflet_languages or [current])
    if current not in languages:
        languages.append(current)
    return languages


def language_links(app: Sphinx, pagename: str) -> tuple[list[dict], list[dict]]:
    """The language switcher's items and the hreflang alternates of a page."""
    builder = app.builder
    config = app.config
    current = config.language or "en"
    target = builder.get_target_uri(pagename)
    to_root = relative_uri(target, "").removeprefix("./")
    pattern = getattr(app, "_pamflet_baseurl_pattern", "") or ""
    languages = _languages(config)
    switcher: list[dict] = []
    alternates: list[dict] = []
    for lang in languages:
        relative = to_root + config.pamflet_language_url.format(language=lang, path=target)
        switcher.append(
            {
                "code": lang,
                "name": language_name(lang),
                "url": relative,
                "current": lang == current,
            }
        )
        if "{language}" in pattern:
            href = pattern.format(language=lang).rstrip("/") + "/" + target
        else:
            href = relative
        alternates.append({"hreflang": lang, "href": href})
    if alternates:
        alternates.append({"hreflang": "x-default", "href": alternates[0]["href"]})
    return switcher, alternates


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if app.builder.name not in WEBSITE_BUILDERS:
        return
    switcher, alternates = language_links(app, pagename)
    context["pamflet_languages"] = switcher
    context["pamflet_alternates"] = alternates


# -- downloads -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    kind: str  # a PDF format name, or "epub"
    source: Path
    name: str  # file name inside downloads/

    @property
    def media_type(self) -> str:
        return "application/epub+zip" if self.kind == "epub" else "application/pdf"


#: The order of the download block, and what each item is for.
DOWNLOAD_TEXTS: dict[str, tuple[str, str]] = {
    "a4": ("A4", "To read on screen, or to print on A4 paper."),
    "a5": ("A5", "Smaller pages, to print on A5 paper."),
    "booklet": (
        "Booklet",
        "Print on A4, double-sided (flip on the short edge), and fold in the middle.",
    ),
    "a5-print": ("For a print shop", "A5 with 3 mm bleed and crop marks."),
    "epub": ("E-book", "For e-readers and reading apps."),
}


def downloads_root(app: Sphinx) -> Path | None:
    """The build folder that holds ``pdf/<lang>/`` and ``epub/``."""
    if app.config.pamflet_downloads_dir:
        return Path(app.confdir, app.config.pamflet_downloads_dir)
    outdir = Path(app.outdir)
    if outdir.parent.name == "html":
        return outdir.parent.parent
    return None


def find_downloads(app: Sphinx) -> dict[str, list[Download]]:
    """For each leaflet: its PDFs and the EPUB of the build language, where built."""
    config = app.config
    root = downloads_root(app)
    if root is None:
        return {}
    from .formats import FORMATS

    language = config.language or "en"
    formats = list(config.pamflet_formats)
    pattern = config.pamflet_pdf_filename or (
        "{docname}.pdf" if len(formats) == 1 else "{docname}-{format}.pdf"
    )
    epub = root / "epub" / f"{config.epub_basename}-{language}.epub"
    found: dict[str, list[Download]] = {}
    for docname in config.pamflet_leaflets or [config.root_doc]:
        items: list[Download] = []
        for kind in DOWNLOAD_TEXTS:
            if kind == "epub":
                source = epub
            elif kind in FORMATS:
                source = root / "pdf" / language / pattern.format(docname=docname, format=kind)
            else:
                continue
            if source.is_file():
                base = docname.replace("/", "-")
                suffix = "" if kind == "epub" else f"-{kind}"
                items.append(Download(kind, source, f"{base}-{language}{suffix}{source.suffix}"))
        if items:
            found[docname] = items
    if not found:
        logger.info(
            "pamflet: no PDFs or EPUB in %s yet, so the leaflet pages have no download "
            "block (`pamflet build` makes them before the website)",
            root,
        )
    return found


def format_size(size: int, language: str | None, date_locales: dict[str, str]) -> str:
    """A file size for readers: "54 kB", "1,2 MB" (decimal units, the reader's locale)."""
    from babel.numbers import format_decimal

    locale = date_locale(language, date_locales)
    if size < 1_000_000:
        return format_decimal(max(1, round(size / 1000)), locale=locale) + " kB"
    return format_decimal(round(size / 1_000_000, 1), format="#,##0.0", locale=locale) + " MB"


class leaflet_downloads(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """The download block of a leaflet page (website only)."""


def _insert_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name not in WEBSITE_BUILDERS:
        return
    items = getattr(app.builder, "pamflet_downloads", {}).get(docname)
    if not items:
        return
    config = app.config
    target = app.builder.get_target_uri(docname)
    rows = []
    for item in items:
        label, note = DOWNLOAD_TEXTS[item.kind]
        size = format_size(
            item.source.stat().st_size, config.language, config.pamflet_date_locales
        )
        kind = "EPUB" if item.kind == "epub" else "PDF"
        rows.append(
            {
                "href": relative_uri(target, f"{DOWNLOADS_FOLDER}/{item.name}"),
                "type": item.media_type,
                "label": _(label),
                "meta": _("%(kind)s, %(size)s") % {"kind": kind, "size": size},
                "note": _(note),
            }
        )
    node = leaflet_downloads(rows=rows, title=_("Download this leaflet"))
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        doctree.append(node)
        return
    for index, child in enumerate(top.children):
        if isinstance(child, nodes.section):
            top.insert(index, node)
            return
    top.append(node)


def visit_downloads(self: Any, node: leaflet_downloads) -> None:
    esc = html.escape
    parts = [
        '<section class="pamflet-downloads" aria-labelledby="pamflet-downloads-title">',
        f'<h2 id="pamflet-downloads-title">{esc(node["title"])}</h2>',
        "<ul>",
    ]
    for row in node["rows"]:
        parts.append(
            f'<li><a href="{esc(row["href"])}" type="{row["type"]}">{esc(row["label"])}'
            f' <span class="pamflet-download-meta">({esc(row["meta"])})</span></a>'
            f'<span class="pamflet-download-note">{esc(row["note"])}</span></li>'
        )
    parts += ["</ul>", "</section>"]
    self.body.append("\n".join(parts) + "\n")
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def copy_downloads(app: Sphinx) -> list[Path]:
    """Copy the downloads into ``<outdir>/downloads/`` (atomically) and drop stale ones."""
    folder = Path(app.outdir, DOWNLOADS_FOLDER)
    wanted = {
        item.name: item for items in app.builder.pamflet_downloads.values() for item in items
    }
    written: list[Path] = []
    if wanted:
        folder.mkdir(parents=True, exist_ok=True)
    from .render import atomic_output, remove_stale_temporaries

    # The temporaries go in the doctree cache, never into the website.
    work = Path(app.doctreedir, ".tmp")
    remove_stale_temporaries(work)  # what a killed build left
    for name, item in sorted(wanted.items()):
        target = folder / name
        with atomic_output(target, work) as tmp:
            shutil.copyfile(item.source, tmp)
        written.append(target)
    if folder.is_dir():
        for stale in folder.iterdir():
            if stale.name not in wanted:
                stale.unlink()
    return written


# -- the search page's JavaScript strings ----------------------------------------------------

_ADD_TRANSLATIONS = re.compile(r"Documentation\.addTranslations\((.*)\);?\s*$", re.S)


def write_translations_js(app: Sphinx) -> Path | None:
    """Rewrite ``_static/translations.js`` with the project's ``sphinx.po`` overrides.

    Sphinx copies its own compiled JavaScript catalog, which leaves some strings
    empty in some languages (Dutch: "Search finished, found N pages"); a
    project's ``sphinx.po`` is only used for the HTML, not for the search page.
    """
    builder = app.builder
    find = getattr(builder, "_get_translations_js", None)
    base = find() if find else None
    target = Path(app.outdir, "_static", "translations.js")
    if base is None or not target.is_file():
        return None
    match = _ADD_TRANSLATIONS.search(Path(base).read_text(encoding="utf-8"))
    if not match:
        return None
    data = json.loads(match.group(1))
    messages: dict[str, Any] = data.get("messages", {})
    paths = [
        p
        for p in catalog_paths(Path(app.srcdir), list(app.config.locale_dirs), app.config.language)
        if p.name == "sphinx.po"
    ]
    changed = False
    for path in paths:
        entries, _findings = parse_po(path)
        for entry in entries:
            if not entry.msgid or entry.obsolete or not entry.translated:
                continue
            if entry.msgid not in messages:
                continue
            if entry.msgid_plural is not None:
                value: Any = [entry.msgstr[i] for i in sorted(entry.msgstr)]
            else:
                value = entry.string
            if messages[entry.msgid] != value:
                messages[entry.msgid] = value
                changed = True
    expression = str(data.get("plural_expr", ""))
    if expression and not expression.startswith("+("):
        # Sphinx's doctools.js indexes the plural forms with this expression's value;
        # "(n != 1)" gives true/false, not 1/0, and no plural string is found.
        data["plural_expr"] = f"+({expression})"
        changed = True
    if not changed:
        return None
    text = (
        "Documentation.addTranslations("
        + json.dumps(data, ensure_ascii=False, indent=4, sort_keys=True)
        + ");\n"
    )
    target.write_text(text, encoding="utf-8")
    return target


# -- events ----------------------------------------------------------------------------------


def _builder_inited(app: Sphinx) -> None:
    builder: Builder = app.builder
    templates = getattr(builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["pamflet_localise"] = localise
    if builder.name in WEBSITE_BUILDERS:
        builder.pamflet_downloads = find_downloads(app)  # type: ignore[attr-defined]
        # Rewrite translations.js as soon as Sphinx has copied it: before the pages are
        # written, so that the checksum in their <script src="...?v="> is the new file's.
        copy_translation_js = builder.copy_translation_js  # type: ignore[attr-defined]

        def copy_and_rewrite() -> None:
            copy_translation_js()
            write_translations_js(app)

        builder.copy_translation_js = copy_and_rewrite  # type: ignore[attr-defined]


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in WEBSITE_BUILDERS:
        return
    copy_downloads(app)


def setup(app: Sphinx) -> None:
    app.add_config_value(
        "pamflet_language_url", "../{language}/{path}", "html", types=frozenset({str})
    )
    app.add_config_value("pamflet_downloads_dir", None, "html", types=frozenset({str, type(None)}))
    app.add_html_theme("pamflet", str(THEMES_DIR / "pamflet"))
    app.add_node(
        leaflet_downloads,
        html=(visit_downloads, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    # Before pamflet's own handler fills {language} into html_baseurl (priority 100).
    app.connect("config-inited", _keep_baseurl_pattern, priority=90)
    app.connect("builder-inited", _builder_inited)
    app.connect("doctree-resolved", _insert_downloads)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)


# -- the language chooser (build/html/index.html) ----------------------------------------------


def catalog_text(srcdir: Path, locale_dirs: list[str], language: str, message: str) -> str:
    """``message`` translated by the project's ``sphinx.po`` for ``language`` (outside Sphinx)."""
    for path in catalog_paths(srcdir, locale_dirs, language):
        if path.name != "sphinx.po":
            continue
        entries, _findings = parse_po(path)
        for entry in entries:
            if entry.msgid == message and entry.translated and not entry.obsolete:
                return entry.string
    return message


CHOOSER = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
{alternates}
<style>
@font-face {{ font-family: "Atkinson Hyperlegible"; font-weight: 400; font-display: swap;
  src: url("{fonts}/AtkinsonHyperlegible-Regular.woff2") format("woff2"); }}
@font-face {{ font-family: "Atkinson Hyperlegible"; font-weight: 700; font-display: swap;
  src: url("{fonts}/AtkinsonHyperlegible-Bold.woff2") format("woff2"); }}
:root {{ color-scheme: light dark; --text: #111; --muted: #4a4d52; --link: #1d4ed8;
  --background: #fff; --card: #f4f6f9; --border: #c9ced6; }}
@media (prefers-color-scheme: dark) {{
  :root {{ --text: #e8e9ea; --muted: #b6bac0; --link: #8ab4ff; --background: #131416;
    --card: #1f2124; --border: #4a4d52; }}
}}
html {{ font-size: 112.5%; }}
body {{ font-family: "Atkinson Hyperlegible", system-ui, sans-serif; line-height: 1.5;
  color: var(--text); background: var(--background); margin: 0; }}
main {{ max-width: 34rem; margin: 0 auto; padding: 3rem 1.25rem; }}
h1 {{ font-size: 1.8rem; line-height: 1.25; margin: 0 0 0.5rem; }}
h1 span {{ display: block; }}
p {{ color: var(--muted); margin: 0 0 1.5rem; }}
ul {{ list-style: none; margin: 0; padding: 0; }}
li {{ margin: 0 0 1rem; }}
a {{ display: block; padding: 1rem 1.25rem; border: 1px solid var(--border);
  border-left: 0.3rem solid var(--link); border-radius: 0.3rem; background: var(--card);
  color: var(--link); text-decoration: none; }}
a:hover strong, a:focus strong {{ text-decoration: underline; }}
a:focus-visible {{ outline: 3px solid var(--link); outline-offset: 2px; }}
a strong {{ display: block; font-size: 1.3rem; }}
a span {{ color: var(--text); }}
</style>
</head>
<body>
<main>
<h1>{heading}</h1>
<p>{choose}</p>
<ul>
{items}
</ul>
</main>
</body>
</html>
"""


def language_chooser(conf: dict[str, Any], srcdir: Path, languages: list[str], fonts: str) -> str:
    """The root page that lets a reader pick a language: plain links, no JavaScript."""
    esc = html.escape
    per_language = conf.get("pamflet_language_config", {})
    locale_dirs = list(conf.get("locale_dirs", ["locales"]))
    titles = {
        lang: per_language.get(lang, {}).get("project", conf.get("project", ""))
        for lang in languages
    }
    heading = "\n".join(
        f'<span lang="{lang}">{esc(title)}</span>'
        for lang, title in dict.fromkeys(titles.items())
        if title
    )
    choose = " / ".join(
        f'<span lang="{lang}">'
        f"{esc(catalog_text(srcdir, locale_dirs, lang, 'Choose your language'))}</span>"
        for lang in languages
    )
    items = "\n".join(
        f'<li><a href="{lang}/index.html" hreflang="{lang}" lang="{lang}">'
        f"<strong>{esc(language_name(lang))}</strong> <span>{esc(titles[lang])}</span></a></li>"
        for lang in languages
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{lang}" href="{lang}/index.html">' for lang in languages
    )
    alternates += '\n<link rel="alternate" hreflang="x-default" href="index.html">'
    return CHOOSER.format(
        lang=esc(languages[0]),
        title=esc(" · ".join(dict.fromkeys(t for t in titles.values() if t))),
        alternates=alternates,
        fonts=esc(fonts),
        heading=heading,
        choose=choose,
        items=items,
    )
