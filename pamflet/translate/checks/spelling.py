"""Spelling, offline: Hunspell dictionaries through Enchant, plus word lists.

The dictionaries are the system's Hunspell dictionaries (Debian packages
``hunspell-nl``, ``hunspell-en-gb``, ``hunspell-en-us``, ... in
``/usr/share/hunspell``), read through Enchant (Debian ``libenchant-2-2``,
Python binding ``pyenchant``). Nothing is downloaded at run time; when a
dictionary or Enchant is missing, the error says which Debian packages to
install.

Why Enchant and not spylls (pure-Python Hunspell): both give the same
answers on these dictionaries, but spylls needs 7.5 s to load the Dutch
dictionary and 5.3 s for British English, against 0.3 s and 0.15 s with
Enchant's Hunspell, and spylls has had no release since 2022. The
dictionaries come from Debian either way.

The project's word list is ``<locale_dir>/<lang>/wordlist.txt``: one word a
line, ``#`` starts a comment. A word written in lower case there is accepted
in any case; any other is accepted as written and in capitals.

Which dictionary serves a language: ``pamflet_spelling_dictionaries`` in
conf.py (``{"en": "en_GB"}``) or ``pamflet_language_settings[lang]["spelling"]``
(the project folds the second into the first), else the language's ``spelling``
in pamflet's language table (``pamflet.languages.LANGUAGE_DEFAULTS``); when that one is not
installed, an installed variant of the same language (``en_GB`` for
``en_US``, any ``<lang>_*``). When none is installed, ``pamflet check``
prints one warning per language that says which Debian package to install,
and checks the rest; it is an error only with ``--strict`` and only for a
dictionary configured in ``pamflet_spelling_dictionaries``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ...languages import language_settings

#: Debian packages that provide a dictionary tag (the language part decides).
DEBIAN_PACKAGES = {
    "en_US": "hunspell-en-us",
    "en_GB": "hunspell-en-gb",
    "en_AU": "hunspell-en-au",
    "en_CA": "hunspell-en-ca",
    "nl": "hunspell-nl",
    "de": "hunspell-de-de",
    "fr": "hunspell-fr",
    "ar": "hunspell-ar",
}

#: Combining marks (accents, Arabic vowel marks) are part of a word, though ``\w`` does
#: not match them: else مستقبِل would be split at its kasra.
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_W = rf"[\w{_MARKS}]+"
_TOKEN = re.compile(rf"{_W}(?:['’\-]{_W})*")
_DOTTED = re.compile(r"\b\w+(?:\.\w+)+\b\.?")


class SpellingUnavailable(Exception):
    """No dictionary (or no Enchant) for a language: the message says what to install."""


def debian_package(tag: str) -> str:
    return DEBIAN_PACKAGES.get(tag) or DEBIAN_PACKAGES.get(tag.split("_")[0], "hunspell-<lang>")


def dictionary_tag(language: str, configured: dict[str, str] | None = None) -> str:
    configured = configured or {}
    return configured.get(language) or language_settings(None, language).spelling or language


def installed_dictionaries() -> list[str]:
    """The Enchant dictionary tags installed here ([] without Enchant)."""
    try:
        import enchant
    except ImportError:
        return []
    return sorted(enchant.list_languages())


def choose_tag(language: str, configured: dict[str, str] | None = None) -> str:
    """The dictionary to use: the configured or default tag if installed, else an
    installed variant of the language (en_GB for en_US, nl_BE for nl_NL ...),
    else the wanted tag (``Speller`` then says what to install)."""
    wanted = dictionary_tag(language, configured)
    installed = installed_dictionaries()
    if wanted in installed:
        return wanted
    base = language.split("_")[0]
    preferred = [t for t in (language_settings(None, base).spelling, base) if t]
    for tag in preferred + [t for t in installed if t.split("_")[0] == base]:
        if tag in installed:
            return tag
    return wanted


def read_wordlist(path: Path) -> set[str]:
    words: set[str] = set()
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(word.replace("’", "'"))
    return words


def words(text: str) -> Iterator[str]:
    """The words of a text worth checking: no numbers, URLs or single letters."""
    text = _DOTTED.sub(" ", text.replace("’", "'"))
    for token in _TOKEN.findall(text):
        token = token.strip("'-_")
        if len(token) > 1 and not token.isdigit():
            yield token


class Speller:
    def __init__(self, language: str, tag: str, wordlists: Iterable[Path] = ()) -> None:
        self.language = language
        self.tag = tag
        install = f"apt-get install libenchant-2-2 {debian_package(tag)}"
        try:
            import enchant
        except ImportError as exc:  # pyenchant raises ImportError without libenchant
            raise SpellingUnavailable(
                f"spelling needs the Enchant library ({exc}); on Debian: {install}"
            ) from None
        if not enchant.dict_exists(tag):
            raise SpellingUnavailable(
                f"no Hunspell dictionary for language {language!r} ({tag!r} or a variant) "
                f"is installed, so its spelling is not checked; on Debian: {install}"
            )
        self._dict = enchant.Dict(tag)
        self.exact: set[str] = set()
        self.folded: set[str] = set()
        for path in wordlists:
            for word in read_wordlist(path):
                (self.folded if word == word.lower() else self.exact).add(word)
                if word != word.lower():
                    self.exact.add(word.upper())
        self._cache: dict[str, bool] = {}

    def _known(self, word: str) -> bool:
        if word in self.exact or word.lower() in self.folded:
            return True
        return self._dict.check(word)

    def correct(self, word: str) -> bool:
        if word in self._cache:
            return self._cache[word]
        ok = self._known(word)
        if not ok and ("-" in word or "'" in word):
            parts = [p for p in re.split(r"[-']", word) if p]
            ok = all(
                any(ch.isdigit() for ch in part) or len(part) < 2 or self._known(part)
                for part in parts
            )
        if not ok and any(ch.isdigit() for ch in word):
            ok = True  # 5-HT2A, MP3: not a word to spell
        self._cache[word] = ok
        return ok

    def misspelled(self, text: str, kept: Iterable[str] = ()) -> list[str]:
        """Misspelled words of the text, each once, in order of appearance.

        ``kept``: words to accept as they are, such as the words of the source
        text in a translation (names, English titles, "off-label"): a word the
        translation copies from the source is spelled in the source language.
        """
        kept = set(kept)
        found: list[str] = []
        for word in words(text):
            if word in kept:
                continue
            if not self.correct(word) and word not in found:
                found.append(word)
        return found
