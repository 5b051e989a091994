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
- the **library's front door**: ``.. leaflet-library::`` lists every leaflet with
  its summary, formats, review status and languages (``library.py``);
- self-hosted Atkinson Hyperlegible (and Noto Naskh Arabic for Arabic script),
  body text of 18 px or more, and a print stylesheet for the web page itself.
  Nothing is loaded from third parties;
- **right-to-left languages**: ``<html dir="rtl">`` from the language's row in
  :func:`pamflet.languages.language_settings` (its direction, fonts and body
  text scale), furo's layout mirrored (``pamflet.css``, ``[dir="rtl"]``), and
  the left-to-right runs inside right-to-left text isolated (``pamflet/bidi.py``).

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

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..project import THEMES_DIR
from ..settings import add_config_values
from . import library
from .downloads import (
    copy_downloads,
    find_downloads,
    insert_downloads,
    leaflet_downloads,
    visit_downloads,
)
from .interface import localise, write_translations_js
from .languages import (
    WEBSITE_BUILDERS,
    keep_baseurl_pattern,
    page_context,
    text_direction,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


_HTML_TAG = re.compile(r"(<html\b)(?![^>]*\sdir=)", re.I)


def _with_direction(markup: str, direction: str) -> str:
    """``dir`` on the page's ``<html>`` element (furo's base.html has no block for it)."""
    return _HTML_TAG.sub(rf'\1 dir="{direction}"', markup, count=1)


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

        direction = text_direction(app.config, app.config.language)
        render = builder.templates.render  # type: ignore[attr-defined]

        def render_with_direction(template: str, context: dict) -> str:
            return _with_direction(render(template, context), direction)

        builder.templates.render = render_with_direction  # type: ignore[attr-defined]


def _build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in WEBSITE_BUILDERS:
        return
    copy_downloads(app)


def setup(app: Sphinx) -> None:
    add_config_values(app, "web")
    app.add_html_theme("pamflet", str(THEMES_DIR / "pamflet"))
    app.add_node(
        leaflet_downloads,
        html=(visit_downloads, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_node(
        library.leaflet_library,
        html=(library.visit_library, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_directive("leaflet-library", library.LeafletLibrary)
    app.connect("doctree-resolved", library.fill_library)
    app.connect("env-get-outdated", library.outdated_with_library)
    app.connect("env-purge-doc", library.purge)
    app.connect("env-merge-info", library.merge)
    # Before pamflet's own handler fills {language} into html_baseurl (priority 100).
    app.connect("config-inited", keep_baseurl_pattern, priority=90)
    app.connect("builder-inited", _builder_inited)
    app.connect("doctree-resolved", insert_downloads)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", _build_finished)
