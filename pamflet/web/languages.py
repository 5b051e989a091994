"""The language switcher, the hreflang alternates, and each page's direction and fonts.

A language's direction (``dir``), fonts and body text size come from its row in
:func:`pamflet.languages.language_settings`: no code here tests a language code.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from sphinx.util.osutil import relative_uri

from ..i18n import language_name
from ..languages import language_settings
from ..settings import language_of
from .interface import copyright_line

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Builders that write the website (the leaflet and epub builders are HTML builders too).
WEBSITE_BUILDERS = frozenset({"html", "dirhtml"})


#: After a language's own fonts, where a glyph is missing from every shipped face.
GENERIC_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'


def text_direction(config: Any, language: str | None) -> str:
    """``"ltr"`` or ``"rtl"``: the language's direction (its row in the language table)."""
    return language_settings(config, language).direction


def page_style(config: Any, language: str, languages: list[str]) -> str:
    """The CSS that differs per language: the font stack, the body text's scale, and the
    fonts of the other languages' names in the language switcher."""
    own = language_settings(config, language)
    rules = [
        f"body {{ --font-stack: {own.css_fonts}, {GENERIC_FONTS}; "
        f"--pamflet-body-scale: {own.body_scale:g}; }}"
    ]
    for lang in languages:
        fonts = language_settings(config, lang).css_fonts
        if lang != language and fonts != own.css_fonts:
            rules.append(
                f'.language-switcher [lang="{lang}"] {{ font-family: {fonts}, {GENERIC_FONTS}; }}'
            )
    return "\n".join(rules)


#: Each application's ``html_baseurl`` before ``{language}`` was filled in.
_baseurl_patterns: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def keep_baseurl_pattern(app: Sphinx, config: Config) -> None:
    """Remember ``html_baseurl`` before ``{language}`` is filled in (runs first)."""
    _baseurl_patterns[app] = config.html_baseurl or ""


def _languages(config: Config) -> list[str]:
    current = language_of(config)
    languages = list(config.pamflet_languages or [current])
    if current not in languages:
        languages.append(current)
    return languages


def language_links(app: Sphinx, pagename: str) -> tuple[list[dict], list[dict]]:
    """The language switcher's items and the hreflang alternates of a page."""
    builder = app.builder
    config = app.config
    current = language_of(config)
    target = builder.get_target_uri(pagename)
    to_root = relative_uri(target, "").removeprefix("./")
    pattern = _baseurl_patterns.get(app, "")
    languages = _languages(config)
    switcher: list[dict] = []
    alternates: list[dict] = []
    for lang in languages:
        relative = to_root + config.pamflet_language_url.format(language=lang, path=target)
        switcher.append(
            {
                "code": lang,
                "name": language_name(lang),
                "dir": text_direction(config, lang),
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


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if app.builder.name not in WEBSITE_BUILDERS:
        return
    switcher, alternates = language_links(app, pagename)
    context["pamflet_languages"] = switcher
    context["pamflet_alternates"] = alternates
    language = language_of(app.config)
    context["pamflet_direction"] = text_direction(app.config, language)
    context["pamflet_page_style"] = page_style(app.config, language, _languages(app.config))
    if context.get("copyright"):
        context["pamflet_copyright"] = copyright_line(app, str(context["copyright"]))
