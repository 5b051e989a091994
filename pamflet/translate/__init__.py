"""Translator QA and catalog work: the strict ``.po`` parser, the build guard,
``update-po``, statistics, the review copy, readability and ``pamflet check``.

``setup()`` registers the guard and the translator settings; the commands are
in the modules and reached through ``pamflet.cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    # Imported here: the strict parser (``po.py``) serves the print templates' strings
    # in the render process, which needs none of the checks.
    from ..settings import add_config_values
    from . import guard

    add_config_values(app, "translate")
    guard.setup(app)
