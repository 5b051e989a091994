"""The language switcher and the hreflang alternates of every page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.util.osutil import relative_uri

from ..i18n import language_name

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Builders that write the website (the leaflet and epub builders are HTML builders too).
WEBSITE_BUILDERS = frozenset({"html", "dirhtml"})


def keep_baseurl_pattern(app: Sphinx, config: Config) -> None:
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


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    if app.builder.name not in WEBSITE_BUILDERS:
        return
    switcher, alternates = language_links(app, pagename)
    context["pamflet_languages"] = switcher
    context["pamflet_alternates"] = alternates
