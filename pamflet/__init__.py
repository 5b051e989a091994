"""pamflet: multilingual leaflets from Sphinx.

Add ``"pamflet"`` to ``extensions`` in a Sphinx project's ``conf.py`` to get:

- the ``leaflet`` builder (``sphinx-build -b leaflet -D language=nl SRC OUT``),
  which writes ``OUT/<docname>.pdf`` for every leaflet document through
  WeasyPrint, using pamflet's own small print stylesheet;
- the ``leaflet-about`` directive, which prints a leaflet's version and dates
  from ``pamflet_leaflets`` in ``conf.py``, formatted for the build language;
- per-language configuration (``pamflet_language_config``), applied after
  ``-D language=...``, for values that never reach the ``.pot`` (project
  title, EPUB title and description);
- a guard that refuses malformed catalogs before Sphinx skips them silently.
- the ``pamflet`` html theme (furo with a language switcher, hreflang links,
  translated interface strings and a download block: ``pamflet/web.py``).
- an ``epub`` builder with accessibility metadata, a cover, one identifier per
  language and repeatable output (``pamflet/epub.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def _apply_language_config(app: Sphinx, config: Config) -> None:
    """Apply per-language settings once ``-D language=..`` is known."""
    language = config.language or "en"
    overrides = config.pamflet_language_config.get(language, {})
    for name, value in overrides.items():
        if name not in config:
            from sphinx.errors import ConfigError

            raise ConfigError(f"pamflet_language_config[{language!r}]: unknown setting {name!r}")
        config[name] = value
    if config.html_baseurl and "{language}" in config.html_baseurl:
        config.html_baseurl = config.html_baseurl.format(language=language)
    if not config.pamflet_languages:
        config.pamflet_languages = [language]


def setup(app: Sphinx) -> dict[str, Any]:
    from . import about, builder, catalogs, epub, web

    app.add_config_value("pamflet_leaflets", {}, "env", types=frozenset({dict}))
    app.add_config_value("pamflet_formats", ["a4"], "leaflet", types=frozenset({list, tuple}))
    app.add_config_value("pamflet_pdf_filename", None, "leaflet")
    app.add_config_value("pamflet_languages", [], "env", types=frozenset({list, tuple}))
    app.add_config_value("pamflet_language_config", {}, "env", types=frozenset({dict}))
    app.add_config_value("pamflet_publisher", "", "env")
    app.add_config_value("pamflet_publisher_url", "", "env")
    app.add_config_value("pamflet_print_dir", None, "leaflet")
    app.add_config_value("pamflet_print_css", [], "leaflet", types=frozenset({list, tuple}))
    app.add_config_value("pamflet_online_url", None, "leaflet")
    app.add_config_value("pamflet_readability", {}, "", types=frozenset({dict}))
    app.add_config_value("pamflet_reference_texts", {}, "", types=frozenset({dict}))
    app.add_config_value("pamflet_date_locales", {"en": "en_GB"}, "env", types=frozenset({dict}))

    # Runs before other extensions read the values it sets.
    app.connect("config-inited", _apply_language_config, priority=100)
    app.connect("config-inited", catalogs.guard_catalogs, priority=900)

    about.setup(app)
    app.add_builder(builder.LeafletBuilder)
    web.setup(app)
    epub.setup(app)

    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
