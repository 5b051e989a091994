"""``pamflet check`` on entries of real catalogs (issue 25): the Turkish, French and
Romanian translations of the Python documentation (``tests/fixtures/real/excerpts``,
CC0). Each false-alarm pattern that was fixed is an entry here that must stay silent
for its check, and each real defect of the hand-classified samples one that must
still be found."""

from __future__ import annotations

from pathlib import Path

import pytest

from pamflet.translate.checks.runner import Checker, Options
from pamflet.translate.po import parse_po

EXCERPTS = Path(__file__).parent.parent / "fixtures" / "real" / "excerpts"

#: (catalog, start of the msgid, check id, found?, why)
CASES = [
    # false alarms that were fixed: the check must stay silent
    (
        "tr",
        "`Documentation bugs`_",
        "rst-references",
        False,
        "one link name renamed with its section title: Sphinx links it",
    ),
    (
        "tr",
        "Day of the year as a decimal",
        "numbers",
        False,
        "[001,366] is two numbers, not 1,366",
    ),
    (
        "fr",
        "To remove a directory",
        "rst-inline",
        False,
        "os.makedirs(path) → os.makedirs(chemin): a placeholder translated",
    ),
    ("fr", "Elements are counted", "rst-inline", False, "(key, value) → (clé, valeur)"),
    (
        "fr",
        "See also the `Examples`_",
        "rst-references",
        False,
        "`Examples`_ → `Exemples`_: the section title is translated",
    ),
    (
        "fr",
        "Return the thread stack size",
        "numbers",
        False,
        "32 768 and 4 096, grouped with a space",
    ),
    ("fr", "Di 16 Aug 21:30:00 1988", "numbers", False, "16 Aug … 1988 = 16 août 1988"),
    (
        "fr",
        "Also referred to as integer",
        "rst-references",
        False,
        ":class:`int` written *int*: style",
    ),
    (
        "fr",
        "A method is a function on some",
        "rst-inline",
        False,
        "arguments... → arguments…: the same placeholder",
    ),
    ("fr", "The default limit is 4300", "numbers", False, "4 300 with a no-break space"),
    ("fr", "Math operations:", "end-punctuation", False, "a list item ends with ';' in French"),
    (
        "ro",
        ">>> foo(1, **{'name': 2})",
        "format",
        False,
        "{'name': 2} is no brace format: msgfmt accepts the entry",
    ),
    (
        "ro",
        "This loads the submodule",
        "rst-references",
        False,
        "sound.effects.echo → sunet.efecte.ecou: the tutorial's example package",
    ),
    (
        "ro",
        "import threading, zipfile",
        "rst-syntax",
        False,
        "a literal block (line breaks in the msgid) is code",
    ),
    # real defects of the samples: the check must find them
    ("tr", "The :const:`Ellipsis`", "rst-references", True, "Ellipsis misspelt Elipsis"),
    ("tr", "A compact way to process", "rst-inline", True, "'n in' lost from the code sample"),
    (
        "tr",
        "Also note that, aside from",
        "rst-references",
        True,
        ":func:`super` translated to süper",
    ),
    ("tr", "(Contributed by Antoine Pitrou", "numbers", True, "wrong issue number"),
    ("tr", "Note, the non-operator versions", "safety", True, "a DeepL advertisement pasted"),
    ("tr", "Return the cube root", "rst-inline", True, "x*'in: broken emphasis"),
    ("tr", "When known to the interpreter", "rst-inline", True, "'-c' lost its quotes"),
    (
        "tr",
        "The slice of *s* from",
        "rst-inline",
        True,
        "no space before ``len(s)``: backticks printed",
    ),
    ("fr", "Raises an :ref:`auditing event", "rst-inline", True, "os.forkpty → sys.forkpty"),
    ("fr", "A :pep:`420`", "numbers", True, "PEP 420 → PEP 421"),
    ("fr", "Do not print the list of files", "sentences", True, "compilés.Si"),
    ("fr", "The mathematical constant", "rst-inline", True, "2 \\*π*: broken emphasis"),
    ("fr", "The ``a`` in ``3.4.1a2``", "rst-syntax", True, "a leading space: a block quote"),
    ("fr", "This function is now based on", "rst-inline", True, "__wrapped__ → _wrapped_"),
    ("fr", "Returns one or more subgroups", "rst-references", True, "IndexError → indexError"),
    ("ro", ":ref:`Formatted string literals", "format", True, "msgfmt --check refuses the entry"),
    ("ro", "Another useful data type", "rst-references", True, "the last sentences dropped"),
    (
        "ro",
        "To change the file object's",
        "numbers",
        True,
        "the sentence 'whence defaults to 0' dropped",
    ),
]


@pytest.fixture(scope="module")
def findings() -> dict[str, dict[int, set[str]]]:
    checker = Checker(Options(root=EXCERPTS, skip={"spelling"}))
    found: dict[str, dict[int, set[str]]] = {}
    for language in ("tr", "fr", "ro"):
        path = EXCERPTS / f"{language}.po"
        by_line: dict[int, set[str]] = {}
        entries, _ = parse_po(path)
        lines = {e.line: e for e in entries}
        for finding in checker.check(path):
            entry = max(
                (e for e in lines.values() if e.line <= finding.line), key=lambda e: e.line
            )
            by_line.setdefault(entry.line, set()).add(finding.check)
        found[language] = {
            e.line: by_line.get(e.line, set()) | {"msgid:" + e.msgid} for e in entries
        }
    return found


@pytest.mark.parametrize(("language", "start", "check", "expected", "why"), CASES)
def test_real_entries(
    findings, language: str, start: str, check: str, expected: bool, why: str
) -> None:
    entry = [
        checks
        for checks in findings[language].values()
        if any(c.startswith("msgid:" + start) for c in checks)
    ]
    assert len(entry) == 1, f"no single entry starts with {start!r}"
    assert (check in entry[0]) == expected, why
