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
import difflib
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
    parts = _PARTS.findall(word) or [word]
    return all(len(part) == 1 or part.lower() in prose for part in parts)


def translated_placeholder(old: str, new: str, prose: frozenset[str]) -> bool:
    """Whether ``new`` is the code ``old`` with placeholder words translated (see above)."""
    a, b = _tokens(old), _tokens(new)
    if a == b:
        return True
    if not prose:
        return False
    changed = False
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op != "replace":
            return False
        before, after = a[i1:i2], b[j1:j2]
        if not all(_is_word(t) or t in _JOINERS for t in before + after):
            return False
        old_words = [t for t in before if _is_word(t)]
        new_words = [t for t in after if _is_word(t)]
        if not old_words or not new_words:
            return False
        if "".join(old_words).lower() == "".join(new_words).lower():
            return False  # a change of case only
        names = {w.lower() for w in old_words + new_words}
        names |= {"".join(before).lower(), "".join(after).lower()}
        if names & _PYTHON_NAMES:
            return False
        metasyntactic = all(w.lower() in _METASYNTACTIC for w in old_words)
        if not metasyntactic and not all(_word_of_language(w, prose) for w in new_words):
            return False
        changed = True
    return changed
