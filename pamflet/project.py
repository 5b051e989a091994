"""A pamflet project: its settings with their defaults, languages, leaflets, catalogs
and the layout of ``build/``.

Every setting pamflet reads is in :data:`SETTINGS`, once, with its default. The
Sphinx extension registers them (each stage's ``setup()`` registers the rows it
owns, :func:`add_config_values`); the command-line tools read them through
:meth:`Project.settings`, which evaluates ``conf.py`` the way Sphinx does and
answers with the same defaults, so no tool repeats a default by hand.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

PACKAGE_DIR = Path(__file__).parent
#: Atkinson Hyperlegible (OFL): the PDFs embed it, the EPUB draws its cover with it.
FONTS_DIR = PACKAGE_DIR / "pdf" / "assets" / "fonts"
THEMES_DIR = PACKAGE_DIR / "themes"


class Setting(NamedTuple):
    default: Any
    rebuild: str
    types: frozenset
    owner: str  # the stage whose setup() registers it: core, pdf, web, translate
    doc: str


_LIST = frozenset({list, tuple})
_DICT = frozenset({dict})
_STR = frozenset({str})
_OPT_STR = frozenset({str, type(None)})

#: Every ``pamflet_`` setting, with its default: the one place where a default lives.
SETTINGS: dict[str, Setting] = {
    # -- core: every builder reads these
    "pamflet_leaflets": Setting(
        {}, "env", _DICT, "core", "leaflet documents and their metadata (version, dates)"
    ),
    "pamflet_languages": Setting([], "env", _LIST, "core", "languages (default: `language`)"),
    "pamflet_language_config": Setting({}, "env", _DICT, "core", "settings per language"),
    "pamflet_publisher": Setting("", "env", _STR, "core", "the publisher, on covers and EPUBs"),
    "pamflet_publisher_url": Setting("", "env", _STR, "core", "the publisher's website"),
    "pamflet_language_settings": Setting(
        {}, "env", _DICT, "core", "overrides of LANGUAGE_DEFAULTS per language (field: value)"
    ),
    "pamflet_date_locales": Setting(
        {}, "env", _DICT, "core", "deprecated: pamflet_language_settings[lang]['date_locale']"
    ),
    # -- pdf: the leaflet builder
    "pamflet_formats": Setting(["a4"], "leaflet", _LIST, "pdf", "PDF formats to build"),
    "pamflet_pdf_filename": Setting(
        None, "leaflet", _OPT_STR, "pdf", "file name pattern ({docname}, {format})"
    ),
    "pamflet_print_dir": Setting(None, "leaflet", _OPT_STR, "pdf", "where the print HTML goes"),
    "pamflet_print_css": Setting([], "leaflet", _LIST, "pdf", "extra print stylesheets"),
    "pamflet_render_process": Setting(
        True,
        "",
        frozenset({bool}),
        "pdf",
        "load WeasyPrint in a process of its own while Sphinx reads",
    ),
    "pamflet_online_url": Setting(
        None, "leaflet", _OPT_STR, "pdf", "the QR code's URL ({docname}, {language})"
    ),
    # -- web: the html theme
    "pamflet_language_url": Setting(
        "../{language}/{path}", "html", _STR, "web", "the same page in another language"
    ),
    "pamflet_downloads_dir": Setting(
        None, "html", _OPT_STR, "web", "the build folder holding pdf/ and epub/"
    ),
    # -- translate: translator QA (read by the command-line tools)
    "pamflet_readability": Setting(
        {}, "", _DICT, "translate", "readability floors per language, max_sentence_words"
    ),
    "pamflet_reference_texts": Setting(
        {}, "", _DICT, "translate", "the text each leaflet was written from"
    ),
    "pamflet_spelling_dictionaries": Setting(
        {}, "", _DICT, "translate", "Hunspell dictionary per language (en: en_GB, ...)"
    ),
    "pamflet_check_exempt_classes": Setting(
        ["sources"], "", _LIST, "translate", "section classes exempt from terms and spelling"
    ),
}

#: Readability limits that ``pamflet_readability`` may override, key by key.
READABILITY_DEFAULTS: dict[str, float] = {"max_sentence_words": 15.0}
#: The Flesch floor of a language that ``pamflet_readability`` does not name.
READABILITY_FLOOR = 60.0


# -- languages ---------------------------------------------------------------------------------

#: The Latin face of every language: the PDFs embed it, the website serves it.
LATIN_FONT = "Atkinson Hyperlegible"


@dataclass(frozen=True)
class LanguageSettings:
    """What pamflet needs to know about a language to publish and check it.

    Adding a language is a row here (or in conf.py's ``pamflet_language_settings``)
    and a catalog: no module tests a language code.
    """

    #: Text direction: "ltr" or "rtl" (``dir`` on the HTML, the page layout, the EPUB spine).
    direction: str = "ltr"
    #: Font families in fallback order, for the print CSS and the website: the Latin
    #: face first (it has no glyphs of other scripts), then the script's own face.
    fonts: tuple[str, ...] = (LATIN_FONT,)
    #: Body text size relative to the Latin body text.
    body_scale: float = 1.0
    #: pyphen dictionary for hyphenation and syllable counts; None: no hyphenation.
    hyphenation: str | None = None
    #: Readability formula (pamflet.translate.readability.FORMULAS); None: sentence length only.
    readability: str | None = None
    #: Enchant (Hunspell) dictionary tag for ``pamflet check``.
    spelling: str | None = None
    #: Babel locale for dates and numbers; None: Babel's nearest locale of the language.
    date_locale: str | None = None

    @property
    def css_fonts(self) -> str:
        """``fonts`` as a CSS ``font-family`` value (without the generic fallback)."""
        return ", ".join(f'"{name}"' for name in self.fonts)


#: The languages pamflet knows. conf.py's ``pamflet_language_settings`` changes or adds
#: entries, field by field; :func:`language_settings` merges the two.
LANGUAGE_DEFAULTS: dict[str, LanguageSettings] = {
    "en": LanguageSettings(
        hyphenation="en_US", readability="flesch", spelling="en_US", date_locale="en_GB"
    ),
    "nl": LanguageSettings(
        hyphenation="nl_NL", readability="flesch-douma", spelling="nl_NL", date_locale="nl"
    ),
    "de": LanguageSettings(hyphenation="de_DE", spelling="de_DE", date_locale="de"),
    "fr": LanguageSettings(hyphenation="fr_FR", spelling="fr_FR", date_locale="fr"),
    "ar": LanguageSettings(
        direction="rtl",
        # Atkinson first: Latin runs (MDMA, 113.nl, 0800-0113) keep the Latin face;
        # Naskh has the Arabic letters, the Arabic punctuation and the Arabic comma.
        fonts=(LATIN_FONT, "Noto Naskh Arabic"),
        # Naskh at the same point size has a smaller letter body than Latin (its
        # x-height equivalent, the height of the letter bowls, is about 15% lower), and
        # its dots and vowel marks sit above and below the line and need room to stay
        # distinct: 1.15 x the Latin size gives the same legibility.
        body_scale=1.15,
        hyphenation=None,  # Arabic is not hyphenated: words are never broken across lines
        readability=None,  # no validated formula for Arabic: sentence length only
        spelling="ar",  # Debian hunspell-ar
        date_locale="ar",  # Babel: "30 نوفمبر 2026", Western digits as in the text
    ),
}

_FIELDS = {f.name for f in fields(LanguageSettings)}


def _base_language(language: str) -> str:
    return language.replace("-", "_").split("_")[0]


def language_settings(config_or_settings: Any, language: str | None) -> LanguageSettings:
    """The settings of ``language``: :data:`LANGUAGE_DEFAULTS` (the language's own row,
    else its base language's, else a plain left-to-right row), then the deprecated
    ``pamflet_date_locales`` and ``pamflet_spelling_dictionaries`` entries, then
    ``pamflet_language_settings[language]``.

    ``config_or_settings``: a Sphinx ``Config`` (or ``Project.settings()``), a mapping
    ``{language: {field: value}}`` as ``pamflet_language_settings`` is, or None.
    """
    language = language or "en"
    base = _base_language(language)
    row = LANGUAGE_DEFAULTS.get(language)
    if row is None and base in LANGUAGE_DEFAULTS:  # nl_BE: nl's row, nl_BE's own dates
        row = replace(LANGUAGE_DEFAULTS[base], date_locale=None)
    if row is None:  # a language pamflet does not know: its own code for every lookup
        row = LanguageSettings(spelling=language, date_locale=None)
    if config_or_settings is None:
        overrides: dict = {}
        legacy: dict = {}
    elif isinstance(config_or_settings, dict):
        overrides, legacy = config_or_settings, {}
    else:
        overrides = _get(config_or_settings, "pamflet_language_settings") or {}
        legacy = {}
        for key, name in (
            ("date_locale", "pamflet_date_locales"),
            ("spelling", "pamflet_spelling_dictionaries"),
        ):
            table = _get(config_or_settings, name) or {}
            value = table.get(language)  # exactly: nl_BE keeps its own dates
            if value:
                legacy[key] = value
    entry = overrides.get(language, overrides.get(base, {}))
    if not isinstance(entry, dict):
        raise _config_error(
            f"pamflet_language_settings[{language!r}]: expected a dict of fields, "
            f"got {type(entry).__name__}"
        )
    unknown = set(entry) - _FIELDS
    if unknown:
        raise _config_error(
            f"pamflet_language_settings[{language!r}]: unknown field "
            f"{', '.join(map(repr, sorted(unknown)))} (known: {', '.join(sorted(_FIELDS))})"
        )
    merged = {**legacy, **entry}
    if "fonts" in merged:
        fonts = merged["fonts"]
        merged["fonts"] = (fonts,) if isinstance(fonts, str) else tuple(fonts)
    if merged.get("direction", row.direction) not in ("ltr", "rtl"):
        raise _config_error(
            f"pamflet_language_settings[{language!r}]: direction must be 'ltr' or 'rtl'"
        )
    return replace(row, **merged)


def _get(config: Any, name: str) -> Any:
    try:
        return getattr(config, name)
    except AttributeError:
        return None


def _config_error(message: str) -> Exception:
    from sphinx.errors import ConfigError

    return ConfigError(message)


def _fold_language_settings(config: Config) -> None:
    """Keep the older per-language settings in step with the table, for the code that
    still reads them: ``pamflet_date_locales`` gets every known language's locale,
    ``pamflet_spelling_dictionaries`` the dictionaries conf.py chose (only those: a
    dictionary the project asked for is an error when missing, a default is not)."""
    languages = (
        set(LANGUAGE_DEFAULTS)
        | set(config.pamflet_language_settings)
        | set(config.pamflet_date_locales)
        | set(config.pamflet_languages or [config.language or "en"])
    )
    settings = {lang: language_settings(config, lang) for lang in sorted(languages)}
    config.pamflet_date_locales = {
        lang: s.date_locale for lang, s in settings.items() if s.date_locale
    }
    if "pamflet_spelling_dictionaries" in config:
        chosen = dict(config.pamflet_spelling_dictionaries)
        for lang, entry in config.pamflet_language_settings.items():
            if entry.get("spelling"):
                chosen[lang] = entry["spelling"]
        config.pamflet_spelling_dictionaries = chosen


def add_config_values(app: Sphinx, owner: str) -> None:
    """Register the settings that ``owner`` (a stage's ``setup()``) owns."""
    for name, setting in SETTINGS.items():
        if setting.owner == owner:
            app.add_config_value(
                name,
                setting.default,
                setting.rebuild,
                types=setting.types,
                description=setting.doc,
            )


def apply_language_config(config: Config, *, strict: bool = True) -> None:
    """Apply ``pamflet_language_config[language]`` once ``-D language=..`` is known."""
    language = config.language or "en"
    overrides = config.pamflet_language_config.get(language, {})
    for name, value in overrides.items():
        if name not in config:
            if not strict:  # a builder's setting, outside Sphinx (Project.settings)
                continue
            from sphinx.errors import ConfigError

            raise ConfigError(f"pamflet_language_config[{language!r}]: unknown setting {name!r}")
        config[name] = value
    if "html_baseurl" in config and "{language}" in (config.html_baseurl or ""):
        config.html_baseurl = config.html_baseurl.format(language=language)
    if not config.pamflet_languages:
        config.pamflet_languages = [language]
    _fold_language_settings(config)


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


# -- build/ ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where every output of a build goes, under ``build/``."""

    root: Path

    def html(self, language: str) -> Path:
        return self.root / "html" / language

    @property
    def chooser(self) -> Path:
        return self.root / "html" / "index.html"

    def epub(self, basename: str, language: str) -> Path:
        return self.root / "epub" / f"{basename}-{language}.epub"

    def pdf(self, language: str) -> Path:
        return self.root / "pdf" / language

    def clinics(self) -> Path:
        return self.root / "pdf" / "clinics"

    def doctrees(self, language: str) -> Path:
        return self.root / "doctrees" / language

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def log(self, language: str) -> Path:
        return self.logs / f"{language}.log"

    @property
    def work(self) -> Path:
        """Intermediate files: never among the outputs."""
        return self.root / ".work"

    @property
    def tmp(self) -> Path:
        """Temporaries of atomic writes (a killed build leaves them here only)."""
        return self.work / "tmp"

    def epub_work(self, language: str) -> Path:
        return self.work / "epub" / language

    def print_root(self) -> Path:
        return self.work / "print"

    def print_dir(self, language: str) -> Path:
        """The print HTML and print context of a language (reused by clinic imprints)."""
        return self.print_root() / language

    def imprint_staging(self) -> Path:
        return self.work / "imprint"

    @classmethod
    def from_html_outdir(cls, outdir: Path) -> Layout | None:
        """The layout a website output folder belongs to, when it is ``<build>/html/<lang>``
        (as ``pamflet build`` writes it); ``None`` for any other folder."""
        outdir = Path(outdir)
        return cls(outdir.parent.parent) if outdir.parent.name == "html" else None


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
        return self.settings().language or "en"

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
    apply_language_config(config, strict=False)
    return config


def add_project_options(parser: argparse.ArgumentParser) -> None:
    """``-C`` (the project folder) and ``-o`` (its build folder), for every command."""
    parser.add_argument("-C", "--project", default=".", help="project folder (default: .)")
    parser.add_argument(
        "-o",
        "--build-dir",
        default="build",
        help="output folder, relative to the project (default: build)",
    )
