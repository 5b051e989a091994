"""Comparing a parsed translation with its parsed source (``checks.markup`` parses).

What a team's style guide may allow is not reported: italics added for a
loanword, literal markup or a role added around a code name, a link to the
same resource in the reader's language (the same site: ``en.wikipedia.org`` and
``fr.wikipedia.org``, ``/en/`` and ``/fr/``). What breaks the meaning is an error:

- a role's target changed or lost, with or without a domain (``:exc:`ValueError``` →
  ``:exc:`TypeError```, ``:func:`` → ``:meth:``); ``:py:func:`` is ``:func:``, a
  leading ``~``, ``!`` or ``.`` and a trailing ``()`` do not count; the content of
  text roles (``:abbr:``, ``:guilabel:``, ``:file:`` ...) and glossary terms
  (``:term:``, whose glossary is translated too) is text;
- the content of an inline literal changed or lost (``-o`` → ``-``): each literal
  of the source must be in the translation, as a literal or a role's content;
- references, footnote and citation labels, substitutions, URLs of the source lost
  or doubled (``rst-references``);
- emphasis of the source broken (its ``*`` printed as text) or a stray backtick
  printed as text is a warning (``rst-inline``); emphasis left out is style, an opt-in
  warning (``emphasis``, ``--only emphasis``);
- a quoted example string or example words translated inside a literal
  (``'allows embedded "double" quotes'``, ``rabbit``) are style.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

from .markup import Parsed
from .placeholders import translated_placeholder
from .safety import site

_INLINE_NAMES = {
    "emphasis": "emphasis (*...*)",
    "strong": "strong emphasis (**...**)",
}


def describe(key: tuple) -> str:
    kind = key[0]
    if kind == "role":
        return f":{key[1]}:`{key[2]}`" if key[2] is not None else f":{key[1]}:"
    if kind == "reference":
        return f"`{key[1]}`_"
    if kind in ("footnote", "citation"):
        return f"[{key[1]}]_"
    if kind == "substitution":
        return f"|{key[1]}|"
    if kind == "anonymous reference":
        return "`...`__"
    if kind == "inline target":
        return "_`...`"
    if kind == "url":
        return f"<{key[1]}>"
    return str(key)


def localised(missing: str, added: Counter[str]) -> str | None:
    """An added URL on the same site as a missing one: the resource in the reader's
    language (a localisation, not a change)."""
    where = site(missing)
    if where is None:
        return None
    return next((url for url in added if added[url] > 0 and site(url) == where), None)


def _lost_literals(
    source: Parsed, translation: Parsed, prose: frozenset[str] = frozenset()
) -> list[tuple[str, str, str]]:
    """A literal of the source changed into a near copy (``-o`` → ``-``, ``LC_CTYPE`` →
    ``LC_TYPE``) is an error; one that is gone, or replaced by another name, a warning;
    one with its placeholders translated (``os.makedirs(path)`` →
    ``os.makedirs(chemin)``, ``checks.placeholders``) is fine."""
    # kept as a role's target, or in italics (``value`` → *value*: the team's style)
    kept = (
        translation.literals
        + translation.emphasised
        + Counter(key[2] for key in translation.references if key[0] == "role" and key[2])
    )
    squeezed = {"".join(text.split()) for text in kept}
    squeezed |= {_same_code(text) for text in kept}
    lost = [
        text
        for text in (source.literals - translation.literals)
        # spaces, ' for ", and an English possessive ("``sendmail``'s") are the same code
        if text not in kept and _same_code(text) not in squeezed
    ]
    if not lost:
        return []
    spare = list((translation.literals - source.literals).elements())
    changed, gone = [], []
    for text in sorted(lost):
        placeholder = next(
            (s for s in spare if translated_placeholder(text, s, prose) or _example(text, s)),
            None,
        )
        if placeholder is not None:
            spare.remove(placeholder)
            continue
        close = difflib.get_close_matches(text, spare, n=1, cutoff=0.6)
        # a literal that lost its end swallows the text up to the next one: ``0` ... ``-1
        close = close or [t for t in spare if "`" in t and "`" not in text][:1]
        if not close and _written_out(text, translation):
            continue
        if close:
            spare.remove(close[0])
            changed.append(f"``{text}`` → ``{close[0]}``")
        else:
            gone.append(f"``{text}``")
    problems = []
    if changed:
        problems.append(
            (
                "rst-inline",
                "error",
                "inline literal(s) of the source changed: " + ", ".join(changed),
            )
        )
    if gone:
        problems.append(
            (
                # mostly a paraphrase (measured: 1 in 3 was a defect): opt-in
                "literals",
                "warning",
                "inline literal(s) of the source not in the translation: " + ", ".join(gone),
            )
        )
    return problems


def _renamed(
    source: Parsed, translation: Parsed, prose: frozenset[str]
) -> tuple[Counter, Counter]:
    """The references of the source and of the translation without those that Sphinx
    publishes as the source's: a role whose target's placeholders are translated
    (``checks.placeholders``), and one renamed hyperlink reference (`Examples`_ →
    `Exemples`_, the section title translated: Sphinx's ``Locale`` transform links a
    name that the document lacks to the one name of the source that the translation
    lost; with two or more, in no fixed order)."""
    want, have = Counter(source.references), Counter(translation.references)
    lost = list((want - have).elements())
    added = list((have - want).elements())
    for key in lost:
        if key[0] != "role" or key[2] is None:
            continue
        same = next(
            (
                k
                for k in added
                if k[0] == "role"
                and k[1] == key[1]
                and k[2] is not None
                and translated_placeholder(key[2], k[2], prose)
            ),
            None,
        )
        if same is not None:
            added.remove(same)
            want[key] -= 1
            have[same] -= 1
    # a role written in italics or as a literal (:class:`int` → *int*,
    # :mailheader:`Set-Cookie` → ``Set-Cookie``): the team's style, the name is there
    shown = " ".join(list(translation.emphasised) + list(translation.literals))
    for key in list((want - have).elements()):
        if (
            key[0] == "role"
            and key[2]
            and not any(k[0] == "role" and k[1] == key[1] for k in (have - want))
        ):
            name = key[2].split(".")[-1]
            if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", shown):
                want[key] -= 1
    lost_names = [k for k in (want - have).elements() if k[0] == "reference"]
    added_names = [k for k in (have - want).elements() if k[0] == "reference"]
    if len(lost_names) == 1 and len(added_names) == 1:
        want[lost_names[0]] -= 1
        have[added_names[0]] -= 1
    return +want, +have


_PROSE_LIKE = re.compile(r"[^\W\d_][\w\s'’\".,!?;:«»“”-]*")
#: A string of example text in code: words with a space, or ending a sentence.
_EXAMPLE_STRING = re.compile(r"""(['"])(?=[^'"]*(?:\s|[!?.]\1))[^'"]*\1""")


def _same_code(text: str) -> str:
    text = "".join(text.split()).replace('"', "'")
    return text[:-2] if text.endswith("'s") and text[:1] != "'" else text


def _written_out(text: str, translation: Parsed) -> bool:
    """A literal of the source that the translation writes as text: its content is in
    the translation's words (``0`` → 0, ``Misc/HISTORY`` → « Misc/HISTORY »), or it is
    a plain lower-case word that a team translates (``guard`` → garde, ``root`` →
    racine). Markup, not content."""
    if re.fullmatch(r"[a-z]+", text):
        return True
    # a quoted string must keep its quotes ('a' is a value, a is a letter)
    plain = translation.words_text()
    return re.search(rf"(?<![\w]){re.escape(text)}(?![\w])", plain) is not None


def _example(old: str, new: str) -> bool:
    """Example text translated in code: a sentence in a string (``ask_ok('Do you really
    want to quit?')``, ``'hello!'``) or example words (``rabbit``, ``Got your back.``).
    One quoted word (``'replace'``, ``'r'``) is a value, not example text."""
    if _EXAMPLE_STRING.search(old) and _EXAMPLE_STRING.sub('""', old) == _EXAMPLE_STRING.sub(
        '""', new
    ):
        return True
    if old[:1] in "'\"" and old[:1] == old[-1:] == new[:1] == new[-1:] and len(new) > 1:
        old, new = old[1:-1], new[1:-1]  # a quoted sentence: 'allows embedded "double" quotes'
    plain = bool(_PROSE_LIKE.fullmatch(old) and _PROSE_LIKE.fullmatch(new))
    return plain and (" " in old.strip() or " " in new.strip())


def compare(
    source: Parsed, translation: Parsed, noqa: bool = False, prose: frozenset[str] = frozenset()
) -> list[tuple[str, str, str]]:
    """(check id, severity, message) for each difference in syntax, inline markup and
    references; ``prose``: the words of the catalog's translations (placeholders)."""
    problems: list[tuple[str, str, str]] = []
    seen_messages = {message for _level, message in source.messages}
    if translation.leading and not source.leading:
        for level, message in translation.leading:
            if level < 2:  # level 2+ is reported below
                problems.append(
                    (
                        "rst-syntax",
                        "error",
                        f"reStructuredText info: {message} Sphinx drops the translation "
                        "and prints the English text",
                    )
                )
    for level, message in translation.messages:
        if message not in seen_messages:
            kind = "error" if level >= 3 else "warning"
            problems.append(("rst-syntax", "error", f"reStructuredText {kind}: {message}"))
    if source.blocks == ["paragraph"] and translation.blocks != ["paragraph"]:
        if not translation.blocks:
            problems.append(
                (
                    "rst-syntax",
                    "error",
                    "the translation parses as no paragraph at all: Sphinx drops it and prints "
                    "the English text",
                )
            )
        elif translation.blocks[0] != "paragraph":
            name = translation.blocks[0].replace("_", " ")
            problems.append(
                (
                    "rst-syntax",
                    "error",
                    f"the translation parses as markup ({name}), not as a paragraph: "
                    "Sphinx drops it and prints the English text",
                )
            )
        else:
            problems.append(
                (
                    "rst-syntax",
                    "error",
                    f"the translation parses as {len(translation.blocks)} blocks: "
                    "Sphinx keeps only the first paragraph",
                )
            )
    # emphasis that a translation breaks prints its '*' as text
    stray = translation.words_text().count("*") > source.words_text().count("*")
    for kind in ("emphasis", "strong"):
        if translation.inline[kind] < source.inline[kind]:
            problems.append(
                (
                    # broken emphasis prints its '*': rst-inline; emphasis left out is
                    # style, reported only when asked for (--only emphasis)
                    "rst-inline" if stray else "emphasis",
                    "warning",
                    f"{_INLINE_NAMES[kind]}: {source.inline[kind]} in the source, "
                    f"{translation.inline[kind]} in the translation"
                    + (" (a '*' is printed as text)" if stray else ""),
                )
            )
    syntax = any(check == "rst-syntax" for check, _severity, _message in problems)
    if not syntax and translation.words_text().count("`") > source.words_text().count("`"):
        problems.append(("rst-inline", "warning", "a backtick (`) is printed as text: stray?"))
    problems += _lost_literals(source, translation, prose)
    if noqa:
        return problems
    missing: list[str] = []
    extra: list[str] = []
    wanted, got = _renamed(source, translation, prose)
    keys = set(wanted) | set(got)
    lost_roles = any(key[0] == "role" and got[key] < wanted[key] for key in wanted)
    for key in sorted(keys, key=str):
        have, want = got[key], wanted[key]
        if key[0] == "role" and have > want and not lost_roles:
            continue  # a role added around a name, or to a heading: style
        if have < want:
            missing += [describe(key)] * (want - have)
        elif have > want:
            extra += [describe(key)] * (have - want)
    added = translation.urls - source.urls
    for url in sorted(set(source.urls)):
        have, want = translation.urls[url], source.urls[url]
        for _ in range(want - have):
            replacement = localised(url, added)
            if replacement is not None:
                added[replacement] -= 1
            else:
                missing.append(describe(("url", url)))
        if have > want:
            extra += [describe(("url", url))] * (have - want)
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing in the translation: " + ", ".join(missing))
        if extra:
            parts.append("not in the source: " + ", ".join(extra))
        problems.append(("rst-references", "error", "; ".join(parts)))
    return problems
