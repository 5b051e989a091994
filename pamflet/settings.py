"""Every setting pamflet reads, with its default: the one place where a default lives.

The Sphinx extension registers them (each stage's ``setup()`` registers the rows it
owns, :func:`add_config_values`); the command-line tools read them through
``Project.settings()``, which evaluates ``conf.py`` the way Sphinx does and answers
with the same defaults, so no tool repeats a default by hand.

A default that depends on something else (the output folder, ``html_baseurl``) is
*derived*: the row names a function that works it out, and :func:`setting_value`
answers with the set value or the derived one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The language of a project, a build or a catalog that names none (Sphinx's own default).
DEFAULT_LANGUAGE = "en"
#: The class of the section that holds a leaflet's numbered sources: they are counted,
#: left out of the readability figures and exempt from the terminology and spelling checks.
SOURCES_CLASS = "sources"


def language_of(config: Any) -> str:
    """The language of a Sphinx ``Config`` (or ``Project.settings()``)."""
    return getattr(config, "language", None) or DEFAULT_LANGUAGE


class Setting(NamedTuple):
    default: Any
    rebuild: str
    types: frozenset
    owner: str  # the stage whose setup() registers it: core, pdf, web, epub, translate
    doc: str
    #: for a default that depends on other things: ``derive(config, **where)``
    #: gives the value when the setting is not set (see :func:`setting_value`)
    derive: Callable[..., Any] | None = None


def _print_dir(config: Any, *, outdir: str | Path, **_: Any) -> Path:
    """The print HTML and contexts go beside the PDFs, in ``OUT/_print``."""
    return Path(outdir, "_print")


def _online_url(config: Any, **_: Any) -> str:
    """The website's page of the leaflet: ``html_baseurl`` + ``{docname}.html``."""
    base = (getattr(config, "html_baseurl", "") or "").rstrip("/")
    return base.replace("{", "{{").replace("}", "}}") + "/{docname}.html" if base else ""


def _downloads_dir(config: Any, *, outdir: str | Path, **_: Any) -> Path | None:
    """The build folder of a website built by ``pamflet build`` (``<build>/html/<lang>``)."""
    from .layout import Layout

    layout = Layout.from_html_outdir(Path(outdir))
    return layout.root if layout else None


_LIST = frozenset({list, tuple})
_DICT = frozenset({dict})
_STR = frozenset({str})
_OPT_STR = frozenset({str, type(None)})

#: Every ``pamflet_`` setting, with its default.
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
    "pamflet_print_dir": Setting(
        None, "leaflet", _OPT_STR, "pdf", "where the print HTML goes (OUT/_print)", _print_dir
    ),
    "pamflet_book": Setting(
        {},
        "leaflet",
        _DICT,
        "pdf",
        "a book's cover and contents: title, subtitle, author, version, date, toc, toc_depth",
    ),
    "pamflet_print_css": Setting([], "leaflet", _LIST, "pdf", "extra print stylesheets"),
    "pamflet_render_process": Setting(
        True,
        "",
        frozenset({bool}),
        "pdf",
        "load WeasyPrint in a process of its own while Sphinx reads",
    ),
    "pamflet_online_url": Setting(
        None,
        "leaflet",
        _OPT_STR,
        "pdf",
        "the QR code's URL ({docname}, {language}; html_baseurl + {docname}.html)",
        _online_url,
    ),
    "pamflet_online_confirmed": Setting(
        False,
        "leaflet",
        frozenset({bool}),
        "pdf",
        "the website is published at pamflet_online_url: print its QR code and address",
    ),
    "pamflet_online_short_url": Setting(
        None,
        "leaflet",
        _OPT_STR,
        "pdf",
        "a shorter address to print ({docname}, {language}); the QR code keeps the full one",
    ),
    # -- web: the html theme
    "pamflet_language_url": Setting(
        "../{language}/{path}", "html", _STR, "web", "the same page in another language"
    ),
    "pamflet_downloads_dir": Setting(
        None,
        "html",
        _OPT_STR,
        "web",
        "the build folder holding pdf/ and epub/ (the website's build folder)",
        _downloads_dir,
    ),
    # -- epub: the e-books
    "pamflet_epub_collection": Setting(
        False,
        "epub",
        frozenset({bool, str}),
        "epub",
        "also one EPUB of the whole library: True (named after the project) or its file name",
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
        [SOURCES_CLASS],
        "",
        _LIST,
        "translate",
        "section classes exempt from terms and spelling",
    ),
}

#: Readability limits that ``pamflet_readability`` may override, key by key.
READABILITY_DEFAULTS: dict[str, float] = {"max_sentence_words": 15.0}
#: The Flesch floor of a language that ``pamflet_readability`` does not name.
READABILITY_FLOOR = 60.0


def setting_value(config: Any, name: str, **where: Any) -> Any:
    """The value of setting ``name``: as set, else its derived default (``where``: what
    the derivation needs, e.g. ``outdir``), else its default."""
    value = getattr(config, name, None)
    if value not in (None, ""):
        return value
    row = SETTINGS[name]
    return row.derive(config, **where) if row.derive else row.default


def online_url(config: Any, docname: str) -> str:
    """The online leaflet in the same language (the QR code's target); "" if none."""
    pattern = setting_value(config, "pamflet_online_url")
    return pattern.format(docname=docname, language=language_of(config)) if pattern else ""


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
