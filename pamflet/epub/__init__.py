"""The e-books: pamflet's ``epub`` builder (``builder.py``) and its package templates
(``templates/``, used in place of Sphinx's); the cover page's template is in the
``pamflet-epub`` theme (``pamflet/themes/pamflet-epub/``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import bidi
from ..project import THEMES_DIR
from ..web.languages import isolate_ltr_paragraphs
from .builder import PamfletEpubBuilder

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class IsolateLTRRuns(bidi.IsolateLTRRuns):
    """Left-to-right runs inside right-to-left text keep their order in the e-book too."""

    builders = ("epub",)

    def run(self, **kwargs: Any) -> None:
        if bidi.is_rtl(self.config):
            isolate_ltr_paragraphs(self.document)
        super().run(**kwargs)


def setup(app: Sphinx) -> None:
    app.add_builder(PamfletEpubBuilder, override=True)
    bidi.setup(app)
    app.add_post_transform(IsolateLTRRuns)
    app.add_html_theme("pamflet-epub", str(THEMES_DIR / "pamflet-epub"))
