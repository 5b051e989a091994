"""The language table: what pamflet needs to know about a language to publish and check it.

:data:`LANGUAGE_DEFAULTS` holds the languages pamflet knows; conf.py's
``pamflet_language_settings`` changes or adds rows, field by field, and
:func:`language_settings` merges the two. Adding a language is a row and a
catalog: no module tests a language code. :func:`apply_language_config` applies a
project's ``pamflet_language_config`` once ``-D language=...`` is known.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from .settings import DEFAULT_LANGUAGE, language_of

if TYPE_CHECKING:
    from sphinx.config import Config

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
    language = language or DEFAULT_LANGUAGE
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
        | set(config.pamflet_languages or [language_of(config)])
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


def apply_language_config(config: Config, *, strict: bool = True) -> None:
    """Apply ``pamflet_language_config[language]`` once ``-D language=..`` is known."""
    language = language_of(config)
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
