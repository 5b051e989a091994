"""pamflet: multilingual leaflets from Sphinx.

Add ``"pamflet"`` to ``extensions`` in a Sphinx project's ``conf.py`` to get:

- the ``leaflet`` builder (``sphinx-build -b leaflet -D language=nl SRC OUT``),
  which writes ``OUT/<docname>.pdf`` for every leaflet document through
  WeasyPrint, using pamflet's own small print stylesheet (``pamflet/pdf/``);
- the ``leaflet-about`` directive, which prints a leaflet's version and dates
  from ``pamflet_leaflets`` in ``conf.py``, formatted for the build language;
- per-language configuration (``pamflet_language_config``), applied after
  ``-D language=...``, for values that never reach the ``.pot`` (project
  title, EPUB title and description);
- a guard that refuses malformed catalogs before Sphinx skips them silently
  (``pamflet/translate/guard.py``);
- the ``pamflet`` html theme (furo with a language switcher, hreflang links,
  translated interface strings and a download block: ``pamflet/web/``);
- an ``epub`` builder with accessibility metadata, a cover, one identifier per
  language and repeatable output (``pamflet/epub/``).

``setup()`` calls the setups of the stages; each registers its own settings
(``settings.SETTINGS``), builders and event handlers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    # Imported here, not at the top: `import pamflet` (the command-line tool) stays light.
    from . import about, bidi, epub, errors, pdf, project, translate, untranslated, web

    project.setup(app)
    translate.setup(app)
    about.setup(app)
    bidi.setup(app)
    untranslated.setup(app)
    pdf.setup(app)
    web.setup(app)
    epub.setup(app)
    # After every other listener: a user error ends sphinx-build without a crash report.
    app.connect("build-finished", errors.exit_after_build, priority=1000)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
