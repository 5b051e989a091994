"""The language chooser, ``build/html/index.html``: plain links, no JavaScript.

The page is ``chooser.html`` beside this file, filled in with ``str.format``
(so its CSS braces are doubled).
"""

from __future__ import annotations

import html
from pathlib import Path

from ..i18n import language_name
from ..languages import language_settings
from ..project import Project, catalog_paths
from ..translate.po import parse_po

TEMPLATE = Path(__file__).with_name("chooser.html")


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


#: The Unicode ranges of a script font (the Latin face has none: it draws everything else).
SCRIPT_RANGES = {
    "Noto Naskh Arabic": "U+0600-06FF, U+0750-077F, U+0870-08FF, U+200C-200F, "
    "U+FB50-FDFF, U+FE70-FEFF",
}


def font_faces(families: list[str], fonts: str) -> str:
    """``@font-face`` rules (regular and bold) for the website's shipped fonts."""
    rules = []
    for family in families:
        stem = family.replace(" ", "")
        ranges = SCRIPT_RANGES.get(family)
        for weight, style in ((400, "Regular"), (700, "Bold")):
            rule = (
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                f'font-display: swap;\n  src: url("{fonts}/{stem}-{style}.woff2") format("woff2");'
            )
            if ranges:
                rule += f"\n  unicode-range: {ranges};"
            rules.append(rule + " }")
    return "\n".join(rules)


def language_chooser(project: Project, languages: list[str], fonts: str) -> str:
    """The root page that lets a reader pick a language: plain links, no JavaScript.

    ``fonts`` is the URL of a folder with the website's fonts, relative to the page.
    Each language's name and title are marked with its ``lang`` and ``dir``.
    """
    esc = html.escape
    srcdir, locale_dirs = project.srcdir, project.locale_dirs
    settings = project.settings()
    lang_settings = {lang: language_settings(settings, lang) for lang in languages}
    direction = {lang: lang_settings[lang].direction for lang in languages}
    families = list(dict.fromkeys(f for lang in languages for f in lang_settings[lang].fonts))
    titles = {lang: project.settings(lang).project or "" for lang in languages}
    heading = "\n".join(
        f'<span lang="{lang}" dir="{direction[lang]}">{esc(title)}</span>'
        for lang, title in dict.fromkeys(titles.items())
        if title
    )
    choose = " / ".join(
        f'<span lang="{lang}" dir="{direction[lang]}">'
        f"{esc(catalog_text(srcdir, locale_dirs, lang, 'Choose your language'))}</span>"
        for lang in languages
    )
    items = "\n".join(
        f'<li><a href="{lang}/index.html" hreflang="{lang}" lang="{lang}" '
        f'dir="{direction[lang]}">'
        f"<strong>{esc(language_name(lang))}</strong> <span>{esc(titles[lang])}</span></a></li>"
        for lang in languages
    )
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{lang}" href="{lang}/index.html">' for lang in languages
    )
    alternates += '\n<link rel="alternate" hreflang="x-default" href="index.html">'
    return TEMPLATE.read_text(encoding="utf-8").format(
        lang=esc(languages[0]),
        dir=direction[languages[0]],
        title=esc(" · ".join(dict.fromkeys(t for t in titles.values() if t))),
        alternates=alternates,
        font_faces=font_faces(families, esc(fonts)),
        font_family=", ".join(f'"{family}"' for family in families),
        heading=heading,
        choose=choose,
        items=items,
    )
