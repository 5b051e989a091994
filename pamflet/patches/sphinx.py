"""What pamflet changes in Sphinx, and the private names of Sphinx (and of Python's
``gettext``, which Sphinx loads catalogs with) that pamflet reads.

All of it serves one Sphinx application that builds again and again in one process
(``pamflet proof --watch``) or one worker process that builds several languages one
after the other. Verified on Sphinx 9.0.4. Sphinx is imported only inside the
functions.
"""

from __future__ import annotations

import logging
from typing import Any

from . import Contract, Patch, replacing

VERIFIED = ("9.0.4",)


# -- parsed-messages: the watcher's cache of Sphinx's msgstr parses -----------------------------


class _Warned(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


#: (msgstr, source path, line, document) -> the parsed node, for the life of the process
_parsed: dict[tuple, Any] = {}


def _install_parsed_messages() -> Any:
    from sphinx.transforms import i18n

    original = i18n._publish_msgstr

    def publish(source, source_path, source_line, **kwargs):
        env = kwargs.get("env")
        key = (source, source_path, source_line, getattr(env, "docname", None))
        if key not in _parsed:
            warned = _Warned()
            sphinx_logger = logging.getLogger("sphinx")
            sphinx_logger.addHandler(warned)
            try:
                node = original(source, source_path, source_line, **kwargs)
            finally:
                sphinx_logger.removeHandler(warned)
            if warned.count:
                return node
            _parsed[key] = node
        return _parsed[key].deepcopy()

    return replacing((i18n, "_publish_msgstr", publish))


PARSED_MESSAGES = Patch(
    name="sphinx.parsed-messages",
    replaces=("sphinx.transforms.i18n._publish_msgstr",),
    why=(
        "Sphinx parses every msgstr of a changed document with a new docutils parser, "
        "which is most of the time of reading it again; the parse depends only on the "
        "message, its source file and line and the (unchanged) configuration. The watcher "
        "keeps each parse (a deep copy for each use; a parse that warned is not kept, so "
        "the warning comes again): after a save only the changed messages are parsed."
    ),
    verified=VERIFIED,
    purpose="the watcher's message cache",
    contract=(
        Contract(
            "sphinx.transforms.i18n._publish_msgstr",
            "(source: 'str', source_path: 'str', source_line: 'int', *, config: 'Config', "
            "env: 'BuildEnvironment', registry: 'SphinxComponentRegistry', "
            "settings: 'Values') -> 'nodes.Element'",
        ),
    ),
    do=_install_parsed_messages,
)


# -- internals: caches a rebuild in the same process must forget -------------------------------

DOCTREE_CACHE = Patch(
    name="sphinx.doctree-cache",
    replaces=("sphinx.environment.BuildEnvironment._pickled_doctree_cache (cleared)",),
    why=(
        "Sphinx keeps each doctree it loaded from disk for the application's life "
        "(BuildEnvironment.get_doctree); a document read again must be loaded again. "
        "Sphinx's own test application (sphinx.testing.util) clears it the same way."
    ),
    verified=VERIFIED,
    purpose="the watcher's rebuilds",
    contract=(
        Contract(
            "sphinx.environment.BuildEnvironment.__init__",
            attributes=("_pickled_doctree_cache",),
        ),
    ),
    kind="internal",
)


def forget_doctrees(env: Any) -> None:
    """Forget the doctrees ``env`` loaded from disk (:data:`DOCTREE_CACHE`)."""
    DOCTREE_CACHE.require(
        getattr(env, "_pickled_doctree_cache", None), "BuildEnvironment._pickled_doctree_cache"
    ).clear()


CATALOG_CACHE = Patch(
    name="sphinx.catalog-cache",
    replaces=("sphinx.locale.translators (cleared)", "gettext._translations (cleared)"),
    why=(
        "Sphinx caches the translators it made for the whole process, and Python's "
        "gettext caches every catalog file it read: a worker that builds a second language "
        "would print the first one's interface strings, and a rebuild in the same process "
        "would read the old .mo files. There is no public way to forget them."
    ),
    verified=VERIFIED,
    purpose="building again in one process",
    contract=(Contract("sphinx.locale.translators"), Contract("gettext._translations")),
    kind="internal",
)


def forget_translators() -> None:
    """Forget the translators Sphinx made (``sphinx.locale.translators``)."""
    from sphinx import locale

    CATALOG_CACHE.require(getattr(locale, "translators", None), "sphinx.locale.translators")
    locale.translators.clear()


def forget_catalogs() -> None:
    """Forget Sphinx's translators and every catalog file Python's gettext has read."""
    import gettext

    forget_translators()
    CATALOG_CACHE.require(getattr(gettext, "_translations", None), "gettext._translations")
    gettext._translations.clear()  # type: ignore[attr-defined]


def translators() -> dict:
    """Sphinx's translators as they are now (the watcher keeps Sphinx's own strings)."""
    from sphinx import locale

    return dict(locale.translators)


def restore_translators(saved: dict) -> None:
    from sphinx import locale

    locale.translators.update(saved)


def translators_registered() -> bool:
    """Whether Sphinx has made a translator in this process (after that, its ``_()``
    translates at once instead of lazily)."""
    from sphinx import locale

    return bool(locale.translators)


def written_value(config: Any, name: str, default: Any = None) -> Any:
    """A setting as conf.py writes it, before any override (``-D``, or
    ``pamflet_language_config``): Sphinx keeps conf.py's namespace in ``Config._raw_config``
    (a private name, verified on Sphinx 9.0.4; without it, the value in use)."""
    raw = getattr(config, "_raw_config", None)
    if isinstance(raw, dict) and name in raw:
        return raw[name]
    return getattr(config, name, default)
