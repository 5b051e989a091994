"""A pamflet project: its folders, settings, languages, leaflets and catalogs.

The settings with their defaults are in ``settings.py``, the language table in
``languages.py`` and the ``build/`` layout in ``layout.py``; :class:`Project`
brings them together for the command-line tools, and :func:`setup` registers the
core settings for Sphinx.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .languages import apply_language_config
from .layout import Layout
from .settings import READABILITY_DEFAULTS, SETTINGS, add_config_values, language_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PACKAGE_DIR = Path(__file__).parent
#: Atkinson Hyperlegible (OFL): the PDFs embed it, the EPUB draws its cover with it.
FONTS_DIR = PACKAGE_DIR / "pdf" / "assets" / "fonts"
THEMES_DIR = PACKAGE_DIR / "themes"


def _config_inited(app: Sphinx, config: Config) -> None:
    apply_language_config(config)


def setup(app: Sphinx) -> None:
    """The core settings and the per-language configuration."""
    add_config_values(app, "core")
    # Runs before other extensions read the values it sets.
    app.connect("config-inited", _config_inited, priority=100)


def leaflets(config: Any) -> list[str]:
    """The leaflet documents: ``pamflet_leaflets``, else the root document."""
    return list(config.pamflet_leaflets) or [config.root_doc]


def pdf_filename(pattern: str | None, docname: str, fmt: str, formats: int) -> str:
    """A leaflet PDF's file name: ``{docname}.pdf`` for one format, else ``-{format}``."""
    pattern = pattern or ("{docname}.pdf" if formats == 1 else "{docname}-{format}.pdf")
    return pattern.format(docname=docname, format=fmt)


def epub_basename(config: Any, docname: str) -> str:
    """A leaflet's EPUB name, without ``-<lang>.epub``: its document's name (``/`` as
    ``-``); the book of the root document in a project without ``pamflet_leaflets``
    (the whole book, as Sphinx makes it) keeps ``epub_basename``."""
    if not config.pamflet_leaflets and docname == config.root_doc:
        return config.epub_basename
    return docname.replace("/", "-")


# -- catalogs ----------------------------------------------------------------------------------


def catalog_paths(srcdir: Path, locale_dirs: list[str], language: str) -> list[Path]:
    """The catalogs of one language, as Sphinx finds them."""
    paths: list[Path] = []
    for locale_dir in locale_dirs:
        folder = Path(srcdir) / locale_dir / language / "LC_MESSAGES"
        if folder.is_dir():
            paths += sorted(folder.rglob("*.po"))
    return paths


def project_catalogs(srcdir: Path, locale_dirs: list[str]) -> list[Path]:
    """Every catalog under the project's locale folders (conf.py ``locale_dirs``)."""
    paths: list[Path] = []
    for locale_dir in locale_dirs:
        folder = (Path(srcdir) / locale_dir).resolve()
        if folder.is_dir():
            paths += sorted(folder.glob("*/LC_MESSAGES/**/*.po"))
    return paths


# -- the project -------------------------------------------------------------------------------


@dataclass
class Project:
    root: Path
    srcdir: Path
    confdir: Path
    builddir: Path

    @classmethod
    def find(cls, root: Path, source: str = "source", build: str | Path = "build") -> Project:
        """A project folder: ``conf.py`` at the top; sources in ``source/`` when that
        exists (as in pamflet), else beside ``conf.py`` (an ordinary Sphinx project)."""
        root = Path(root).resolve()
        srcdir = root / source
        return cls(root, srcdir if srcdir.is_dir() else root, root, (root / build).resolve())

    @property
    def layout(self) -> Layout:
        return Layout(self.builddir)

    @property
    def conf_py(self) -> Path:
        return self.confdir / "conf.py"

    def settings(self, language: str | None = None) -> Config:
        """conf.py's settings for ``language`` (default: the source language), with
        pamflet's defaults and ``pamflet_language_config`` applied, as Sphinx sees them."""
        return _settings(self.confdir, language)

    @property
    def source_language(self) -> str:
        return language_of(self.settings())

    def languages(self) -> list[str]:
        return list(self.settings().pamflet_languages)

    def leaflets(self) -> list[str]:
        return leaflets(self.settings())

    @property
    def locale_dirs(self) -> list[str]:
        return list(self.settings().locale_dirs)

    def catalogs(self, language: str | None = None) -> list[Path]:
        """Every catalog of the project, or those of one language."""
        if language is None:
            return project_catalogs(self.srcdir, self.locale_dirs)
        return catalog_paths(self.srcdir, self.locale_dirs, language)

    def readability_limits(self) -> dict[str, float]:
        return {**READABILITY_DEFAULTS, **self.settings().pamflet_readability}

    def relative(self, path: str | Path) -> str:
        return os.path.relpath(path, self.root)


@cache
def _settings(confdir: Path, language: str | None) -> Config:
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    overrides = {"language": language} if language else {}
    config = Config.read(confdir, overrides=overrides, tags=Tags())
    for name, setting in SETTINGS.items():
        config.add(name, setting.default, setting.rebuild, setting.types, setting.doc)
    if "html_baseurl" not in config:  # the html builder's; the QR code's default target
        config.add("html_baseurl", "", "html", frozenset({str}), "the website's address")
    apply_language_config(config, strict=False)
    return config
