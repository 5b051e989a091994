"""Placeholders that a team translates inside code: ``os.makedirs(path)`` →
``os.makedirs(chemin)``, ``(key, value)`` → ``(clé, valeur)``, :class:`MyClass` →
:class:`ClasaMea` in a tutorial.

Many translation teams (the French, Romanian and Turkish Python documentation among
them) translate the made-up names of an example: a parameter, a placeholder, a
class that exists only in the tutorial. That is style, not breakage. A typo or a
wrong name is breakage: ``initial_value`` → ``inital_value``, ``os.fork`` →
``sys.fork``, ``str.removesuffix`` → ``str.removeprefix``, :func:`super` →
:func:`süper`.

A literal (or a role's target) of the source counts as the same code with its
placeholders translated when:

- everything but the words is the same: punctuation, operators, digits, spaces
  (``...`` and ``…`` are the same placeholder);
- each changed word is a word of the language: it appears in the prose of the
  catalog's translations (outside literals and roles), as does each part of a
  compound (``nom_du_fichier``, ``UneClasse``); a single letter is a placeholder
  too (``P1`` → ``M1``); the usual metasyntactic names (``foo``, ``spam``) may
  become anything;
- no word changes only in case (``logMultiprocessing`` → ``logMultiProcessing``),
  and no word of either side is one of Python's keywords or built-in names
  (``object`` → ``objet``, ``super`` → ``süper`` are errors).
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable

#: Words, numbers, spaces, one character each else; a regular expression's escape
#: (``\b``, ``\d``) is one token, not the start of a word (``\bword\b``).
_TOKENS = re.compile(r"\\[A-Za-z]|[^\W\d_]+|\d+|\s+|.", re.DOTALL)
#: Parts of a compound word: ``nom_du_fichier``, ``UneClasse``, ``HTTPServer``.
_PARTS = re.compile(r"[A-ZÀ-ÞĀ-Ž]?[a-zß-ÿā-ž\u0300-\u036f]+|[A-ZÀ-ÞĀ-Ž]+(?![a-zß-ÿ])|[^\W\d_]+")
#: Joiners inside a compound name (``member_name`` → ``membre``).
_JOINERS = {"_", "-", " "}
_PYTHON_NAMES = (
    set(keyword.kwlist) | set(keyword.softkwlist) | {n for n in dir(builtins) if n.isidentifier()}
)
_METASYNTACTIC = {"foo", "bar", "baz", "qux", "quux", "spam", "eggs", "ham", "bacon"}
#: Prose: a translation without its literals, roles and URLs.
_NOT_PROSE = re.compile(r"``.*?``|:[\w:.+-]+:`[^`]*`|`[^`]*`_{0,2}|https?://\S+", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+")


def prose_words(translations: Iterable[str]) -> frozenset[str]:
    """The words (lower case) of the catalog's translated prose."""
    found: set[str] = set()
    for text in translations:
        found.update(w.lower() for w in _WORD.findall(_NOT_PROSE.sub(" ", text)))
    return frozenset(found)


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(" ".join(text.replace("…", "...").split()))


def _is_word(token: str) -> bool:
    return bool(token) and token[0].isalpha()  # not "\\b"


def _word_of_language(word: str, prose: frozenset[str]) -> bool:
    if word.lower() in prose:
        return True
    parts = _PARTS.findall(word) or [word]
    return all(len(part) == 1 or part.lower() in prose for part in parts)


#: A compound name: words joined by "_" or "-" (``nom_du_fichier``, ``module-name``).
_RUN = re.compile(r"[^\W\d_]+(?:[_-]+[^\W\d_]+)*", re.UNICODE)


def _runs(text: str) -> tuple[str, list[str]]:
    """The text with each compound name as ``\x00``, and the names in order."""
    text = " ".join(text.replace("…", "...").split())
    # a regular expression's escape (\b, \d) is no start of a word: its letter as digits
    text = re.sub(r"\\[A-Za-z]", lambda m: f"\x01{ord(m.group(0)[1])}\x01", text)
    names = _RUN.findall(text)
    return _RUN.sub("\x00", text), names


def translated_placeholder(old: str, new: str, prose: frozenset[str]) -> bool:
    """Whether ``new`` is the code ``old`` with placeholder words translated (see above)."""
    if old == new:
        return True
    if not prose:
        return False
    (shape_old, names_old), (shape_new, names_new) = _runs(old), _runs(new)
    if shape_old != shape_new:
        return False  # punctuation, digits or spacing differ
    for before, after in zip(names_old, names_new, strict=True):
        if before == after:
            continue
        if before.lower().replace("_", "") == after.lower().replace("_", ""):
            return False  # a change of case only
        old_words, new_words = re.split(r"[_-]+", before), re.split(r"[_-]+", after)
        names = {w.lower() for w in old_words + new_words} | {before.lower(), after.lower()}
        if names & _PYTHON_NAMES:
            return False
        if all(w.lower() in _METASYNTACTIC for w in old_words):
            continue
        if not all(_word_of_language(w, prose) for w in new_words):
            return False
    return True
