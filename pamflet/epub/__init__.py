"""The e-books: pamflet's ``epub`` builder (``builder.py``) and its package templates
(``templates/``, used in place of Sphinx's); the cover page's template is in the
``pamflet-epub`` theme (``pamflet/themes/pamflet-epub/``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..project import THEMES_DIR
from ..settings import add_config_values
from .builder import PamfletEpubBuilder

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    add_config_values(app, "epub")
    app.add_builder(PamfletEpubBuilder, override=True)
    app.add_html_theme("pamflet-epub", str(THEMES_DIR / "pamflet-epub"))
