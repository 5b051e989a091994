"""Print: the ``leaflet`` builder and everything between a doctree and a PDF.

- ``builder.py``: the Sphinx hooks (thin); ``transforms.py``: the doctree
  post-transform that takes the cover's and back page's parts out
  (``pamflet/bidi.py`` isolates the left-to-right runs of right-to-left text);
- ``printhtml.py``: the print context and the print HTML (``assets/templates``);
- ``formats.py``: each PDF format's stylesheet and options, one table;
- ``renderer.py``: WeasyPrint with a closed URL fetcher and shared caches, with the
  patches of ``pamflet/patches/`` applied while it lays out and writes
  (``renderproc.py`` runs it beside Sphinx);
  ``environment.py``: Pango and font checks, WeasyPrint's warnings;
- ``press.py``: render, impose, save; ``impose.py``: the booklet;
- ``clinic.py``: clinic files; ``imprint.py``: clinic variants.

This is the only package that imports WeasyPrint, and it does so only when it
renders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    # Imported here: ``pamflet build`` imports the render process (``renderproc.py``)
    # before anything else, to fork it as early as it can; this package must not
    # bring in Sphinx's HTML builder (0.3 s) with it.
    from ..settings import add_config_values
    from .book import BookParts
    from .builder import LeafletBuilder
    from .transforms import SplitPrintParts

    add_config_values(app, "pdf")
    app.add_builder(LeafletBuilder)
    app.add_post_transform(SplitPrintParts)
    app.add_post_transform(BookParts)
