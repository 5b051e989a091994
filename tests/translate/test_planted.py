"""Recall of ``pamflet check`` (issue 25): real defects planted in copies of real entries.

The base entries are translated paragraphs of the French and Turkish Python
documentation (python/python-docs-fr 3.13 b279d876e2a3, python/python-docs-tr 3.12
be1c5a492f43; CC0, see tests/fixtures/real/README.md) on which the check finds
nothing. Each kind of defect is planted into a copy, and the check must find it with
one of the named checks; the recall over all kinds must be at least 95 %.
"""

from __future__ import annotations

from pathlib import Path

from pamflet.translate.checks.runner import OPT_IN, Checker, Options
from pamflet.translate.po import parse_po

BASES = {
    "refs": (
        "These documents are generated from `reStructuredText`_ sources by `Sphinx`_, a "
        "document processor specifically written for the Python documentation.",
        "Ces documents sont générés à partir de sources en `reStructuredText`_ par "
        "`Sphinx`_, un analyseur de documents spécialement conçu pour la documentation "
        "Python.",
        "fr",
    ),
    "url": (
        "the `Docutils <https://docutils.sourceforge.io/>`_ project for creating "
        "reStructuredText and the Docutils suite;",
        "le projet `Docutils <https://docutils.sourceforge.io/>`_ pour avoir créé "
        "*reStructuredText* et la suite d'outils *Docutils* ;",
        "fr",
    ),
    "ref": (
        "It can be sometimes faster to fix bugs yourself and contribute patches to Python "
        "as it streamlines the process and involves less people. Learn how to "
        ":ref:`contribute <contributing-to-python>`.",
        "Il est parfois plus rapide de réparer les bogues soi-même et d'en proposer les "
        "correctifs, ça simplifie le processus et implique moins de monde. Apprenez à "
        ":ref:`contribuer <contributing-to-python>`.",
        "fr",
    ),
    "cfunc": (
        "It is not possible to use these functions on objects that are not properly "
        "initialized, such as a list object that has been created by :c:func:`PyList_New`, "
        "but whose items have not been set to some non-\\ ``NULL`` value yet.",
        "Il n'est pas possible d'utiliser ces fonctions sur des objets qui n'ont pas été "
        "correctement initialisés, comme un objet liste qui a été créé avec "
        ":c:func:`PyList_New` mais dont les éléments n'ont pas encore été mis à une valeur "
        "non-\\ ``NULL``.",
        "fr",
    ),
    "sentences": (
        "This format accepts Unicode objects as well as bytes-like objects. It fills a "
        ":c:type:`Py_buffer` structure provided by the caller. In this case the resulting C "
        "string may contain embedded NUL bytes. Unicode objects are converted to C strings "
        "using ``'utf-8'`` encoding.",
        "Ce format accepte les objets Unicode et les *bytes-like object*. Cela remplit une "
        "structure :c:type:`Py_buffer` qui est fournie par l'appelant. Dans ce cas, la "
        "chaîne de caractères C qui en résulte peut contenir des octets NULL. Les objets "
        "Unicode sont convertis en chaînes de caractères C en utilisant l'encodage "
        "``'utf-8'``.",
        "fr",
    ),
    "literals": (
        "Write string *s* to file object *p*.  Return ``0`` on success or ``-1`` on "
        "failure; the appropriate exception will be set.",
        "Écrit la chaîne de caractères *s* dans l'objet fichier *p*. Retourne ``0`` en cas "
        "de succès ou ``-1`` en cas d'échec ; l'exception appropriée sera mise en place.",
        "fr",
    ),
    "strong": (
        "CPython exposes its version number in the following macros. Note that these "
        "correspond to the version code is **built** with, not necessarily the version "
        "used at **run time**.",
        "CPython révèle son numéro de version dans les macros suivantes. À noter qu'ils "
        "correspondent au code de la version **compilée** avec, pas nécessairement la "
        "version utilisée à l'**exécution**.",
        "fr",
    ),
    "func": (
        "Many people use the interactive mode as a convenient yet highly programmable "
        "calculator.  When you want to end your interactive Python session, call the "
        ":func:`exit` function or hold the :kbd:`Ctrl` key down while you enter a "
        ':kbd:`Z`, then hit the ":kbd:`Enter`" key to get back to your Windows command '
        "prompt.",
        "Beaucoup de gens utilisent le mode interactif comme une calculatrice pratique mais "
        "néanmoins hautement programmable. Lorsque vous souhaitez mettre fin à votre "
        "session Python interactive, appelez la fonction :func:`exit` ou maintenez la "
        "touche :kbd:`Ctrl` enfoncée pendant que vous entrez un :kbd:`Z`, puis appuyez sur "
        'la touche ":kbd:`Enter`" pour revenir à votre invite de commande Windows.',
        "fr",
    ),
    "numbers": (
        "Return the thread stack size used when creating new threads.  The optional *size* "
        "argument must be 0 or a positive integer value of at least 32,768 (32 KiB).",
        "Renvoie la taille de la pile d'exécution utilisée lors de la création de nouveaux "
        "fils d'exécution. L'argument optionnel *size* doit être à 0 ou un entier positif "
        "supérieur ou égal à 32 768 (32 Kio).",
        "fr",
    ),
    "date": (
        "Di 16 Aug 21:30:00 1988 (de_DE)",
        "mar. 16 août 1988 21:30:00 (*fr_FR*)",
        "fr",
    ),
    "range": (
        "Day of the year as a decimal number [001,366].",
        "Yılın günü ondalık sayı olarak [001,366].",
        "tr",
    ),
}


def sub(old: str, new: str, count: int = 1):
    def change(text: str) -> str:
        assert old in text, (old, text)
        return text.replace(old, new, count)

    return change


#: (kind, base, change of the msgid or None, change of the msgstr, checks that find it)
PLANTED = [
    ("number dropped", "numbers", None, sub("32 768 ", ""), {"numbers"}),
    ("number changed", "numbers", None, sub("32 768", "23 768"), {"numbers"}),
    ("zero changed", "numbers", None, sub("à 0 ou", "à 1 ou"), {"numbers"}),
    ("range changed", "range", None, sub("[001,366]", "[001,365]"), {"numbers"}),
    ("date changed", "date", None, sub("16 août", "17 août"), {"numbers"}),
    ("time changed", "date", None, sub("21:30:00", "21:03:00"), {"numbers"}),
    ("role target changed", "func", None, sub(":func:`exit`", ":func:`quit`"), {"rst-references"}),
    ("role name changed", "func", None, sub(":func:`exit`", ":meth:`exit`"), {"rst-references"}),
    ("role dropped", "func", None, sub(":func:`exit`", "`exit`"), {"rst-references"}),
    (
        "role broken by a quote",
        "func",
        None,
        sub(":func:`exit`", ":func:`exit'"),
        {"rst-references", "rst-syntax"},
    ),
    (
        "domain role target changed",
        "cfunc",
        None,
        sub("PyList_New`", "PyList_Append`"),
        {"rst-references"},
    ),
    (
        "space inside a role target",
        "sentences",
        None,
        sub("Py_buffer", "Py_ buffer"),
        {"rst-references"},
    ),
    (
        "ref target changed",
        "ref",
        None,
        sub("<contributing-to-python>", "<contributing>"),
        {"rst-references"},
    ),
    (
        "ref dropped",
        "ref",
        None,
        sub(":ref:`contribuer <contributing-to-python>`", "contribuer"),
        {"rst-references"},
    ),
    (
        "link target changed",
        "url",
        None,
        sub("docutils.sourceforge.io", "docutils.example.org"),
        {"rst-references", "safety"},
    ),
    (
        "link broken (no underscore)",
        "url",
        None,
        sub("/>`_", "/>`"),
        {"rst-references", "rst-syntax"},
    ),
    ("named reference dropped", "refs", None, sub("`Sphinx`_", "Sphinx"), {"rst-references"}),
    (
        "two link names renamed",
        "refs",
        None,
        lambda t: t.replace("`reStructuredText`_", "`reST`_").replace(
            "`Sphinx`_", "`Sphinx doc`_"
        ),
        {"rst-references"},
    ),
    ("literal changed -1 → 1", "literals", None, sub("``-1``", "``1``"), {"rst-inline"}),
    (
        "literal content changed",
        "sentences",
        None,
        sub("``'utf-8'``", "``'utf8'``"),
        {"rst-inline"},
    ),
    (
        "curly quotes in a literal",
        "sentences",
        None,
        sub("``'utf-8'``", "``‘utf-8’``"),
        {"rst-inline"},
    ),
    ("literal unterminated", "literals", None, sub("``0``", "``0`"), {"rst-syntax", "rst-inline"}),
    (
        "stray backtick",
        "func",
        None,
        sub("pour revenir", "pour` revenir"),
        {"rst-inline", "rst-syntax"},
    ),
    ("emphasis broken", "literals", None, sub("*s*", "*s"), {"rst-syntax", "rst-inline"}),
    ("emphasis glued (x*'in)", "literals", None, sub("*p*", "p*"), {"rst-inline", "rst-syntax"}),
    (
        "strong broken",
        "strong",
        None,
        sub("**compilée**", "**compilée*"),
        {"rst-syntax", "rst-inline"},
    ),
    (
        "no space after a full stop",
        "func",
        None,
        sub("programmable. Lorsque", "programmable.Lorsque"),
        {"sentences"},
    ),
    (
        "sentence duplicated",
        "sentences",
        None,
        lambda t: t.replace(
            "Cela remplit",
            "Ce format accepte les objets Unicode et les *bytes-like object*. Cela remplit",
        ),
        {"sentences"},
    ),
    (
        "sentences dropped",
        "sentences",
        None,
        lambda t: t.split(". ")[0] + ".",
        {"sentences", "rst-references", "rst-inline"},
    ),
    (
        "footnote label dropped",
        "refs",
        lambda t: t + " [#]_",
        sub(" [#]_", ""),
        {"rst-references"},
    ),
    (
        "footnote label changed",
        "refs",
        lambda t: t + " [1]_",
        lambda t: t + " [2]_",
        {"rst-references", "rst-syntax"},
    ),
    (
        "citation label changed",
        "refs",
        lambda t: t + " [Knuth]_",
        lambda t: t + " [Knut]_",
        {"rst-references", "rst-syntax"},
    ),
    (
        "substitution dropped",
        "strong",
        lambda t: t + " |version|",
        sub(" |version|", ""),
        {"rst-references"},
    ),
    (
        "substitution renamed",
        "strong",
        lambda t: t + " |version|",
        lambda t: t + " |release|",
        {"rst-references"},
    ),
    ("bidi override", "strong", None, sub("CPython", "CPython\u202e"), {"safety"}),
    (
        "raw directive added",
        "strong",
        None,
        lambda t: t + "\n\n.. raw:: html\n\n   <script>x()</script>",
        {"safety"},
    ),
    (
        "javascript link added",
        "strong",
        None,
        lambda t: t + " `ici <javascript:alert(1)>`_",
        {"safety"},
    ),
    ("parses as a list", "literals", None, lambda t: "1. " + t, {"rst-syntax"}),
    (
        "leading space: a block quote",
        "literals",
        None,
        lambda t: " " + t,
        {"rst-syntax", "whitespace"},
    ),
]


def _po(entries: list[tuple[str, str, str]], language: str) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = [
        'msgid ""',
        'msgstr ""',
        f'"Language: {language}\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        "",
    ]
    for context, msgid, msgstr in entries:
        lines += [
            f"msgctxt {quote(context)}",
            f"msgid {quote(msgid)}",
            f"msgstr {quote(msgstr)}",
            "",
        ]
    return "\n".join(lines)


def _found(tmp_path: Path, entries, language: str) -> dict[str, set[str]]:
    path = tmp_path / f"planted-{language}.po"
    path.write_text(_po(entries, language), encoding="utf-8")
    parsed, _ = parse_po(path)
    by_context = {e.line: e.msgctxt for e in parsed if e.msgctxt}
    found: dict[str, set[str]] = {context: set() for context in by_context.values()}
    # as the command runs: without spelling and the opt-in checks
    options = Options(root=tmp_path, skip={"spelling"} | OPT_IN)
    for finding in Checker(options).check(path):
        line = max((n for n in by_context if n <= finding.line), default=None)
        if line is not None:
            found[by_context[line]].add(finding.check)
    return found


def test_the_bases_are_clean(tmp_path: Path) -> None:
    for language in ("fr", "tr"):
        entries = [(k, s, t) for k, (s, t, lang) in BASES.items() if lang == language]
        assert _found(tmp_path, entries, language) == {k: set() for k, *_ in entries}


def test_planted_defects_are_found(tmp_path: Path) -> None:
    assert len(PLANTED) >= 30
    missed = []
    for language in ("fr", "tr"):
        entries = []
        for n, (_kind, base, change_id, change_str, _checks) in enumerate(PLANTED):
            msgid, msgstr, lang = BASES[base]
            if lang != language:
                continue
            if change_id is not None:  # plant the construct into both, then break it
                msgid, msgstr = change_id(msgid), change_id(msgstr)
            entries.append((f"{n}", msgid, change_str(msgstr)))
        found = _found(tmp_path, entries, language)
        for context, checks in found.items():
            kind, _base, _i, _s, wanted = PLANTED[int(context)]
            if not checks & wanted:
                missed.append(f"{kind}: found {sorted(checks)}, wanted one of {sorted(wanted)}")
    recall = 1 - len(missed) / len(PLANTED)
    assert recall >= 0.95, "\n".join(missed)
