"""Numbers in local notation, per-entry exemptions, dictionaries, Arabic QA (issues 13, 16)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import run
from pamflet.translate.checks.cosmetic import check as check_cosmetic
from pamflet.translate.checks.numbers import check as check_numbers
from pamflet.translate.checks.runner import Checker, Options
from pamflet.translate.checks.safety import bidi
from pamflet.translate.guard import guard_findings
from pamflet.translate.po import parse_po

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: t 1.0\\n"\n"Language: {lang}\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: {plural}\\n"\n\n'
)
NL_PLURAL = "nplurals=2; plural=(n != 1);"
AR_PLURAL = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
    ": n%100>=11 ? 4 : 5;"
)


def catalog(tmp_path: Path, body: str, lang: str = "nl", plural: str = NL_PLURAL) -> Path:
    path = tmp_path / "x.po"
    path.write_text(HEADER.format(lang=lang, plural=plural) + body, encoding="utf-8")
    return path


def findings(path: Path, **options) -> list[tuple[int, str, str]]:
    options.setdefault("skip", {"spelling"})
    found = Checker(Options(root=path.parent, **options)).check(path)
    return [(f.line, f.severity, f.check) for f in found]


# -- numbers: each notation, passing and failing ---------------------------------------------

NOTATIONS = [
    # times: 12/24-hour clock
    ("Come at 2 pm.", "Kom om 14.00 uur.", "nl", True),
    ("Come at 2 pm.", "Kom om 14:00.", "nl", True),
    ("Come at 2 pm.", "Kom om 14.00.", "nl", True),
    ("Open 9 am to 5 pm.", "Open van 9.00 tot 17.00 uur.", "nl", True),
    ("Walk at 2:30 pm.", "Wandelen om 14:30.", "nl", True),
    ("Come at 14:00.", "Come at 2 pm.", "en", True),
    ("Come at 2 pm.", "Kom om 15.00 uur.", "nl", False),
    ("Come at 2:30 pm.", "Kom om 14:15.", "nl", False),
    # dates in words and digits
    ("On 3 March 2024.", "Op 3 maart 2024.", "nl", True),
    ("On March 3, 2024.", "Op 3 maart 2024.", "nl", True),
    ("On 3 March 2024.", "Op 03-03-2024.", "nl", True),
    ("Until 15/04/2024.", "Tot 15-04-2024.", "nl", True),
    ("On 3 March 2024.", "Op 13 maart 2024.", "nl", False),
    ("On 3 March 2024.", "Op 3 april 2024.", "nl", False),
    ("Until 15/04/2024.", "Tot 16-04-2024.", "nl", False),
    # ordinals
    ("The 1st and the 2nd dose.", "De 1e en de 2de dosis.", "nl", True),
    ("The 1st and the 2nd dose.", "De 1e en de 3de dosis.", "nl", False),
    # decimal and thousands separators
    ("1,234.5 hours, 2,000 people.", "1.234,5 uur, 2.000 mensen.", "nl", True),
    ("Over 1,000 people.", "Meer dan 1,000 mensen.", "nl", False),
    # percentages with or without a space
    ("About 71% and 7.5%.", "Ongeveer 71 % en 7,5%.", "nl", True),
    ("About 71%.", "Ongeveer 17 %.", "nl", False),
    # ranges
    ("For 10-20 minutes, 6-8 weeks.", "10 tot 20 minuten, 6–8 weken.", "nl", True),
    ("For 10-20 minutes.", "10 tot 25 minuten.", "nl", False),
    # Arabic-Indic digits are the same numbers
    ("Call 0800-0113 or 113.", "اتصل بالرقم ٠٨٠٠-٠١١٣ أو ١١٣.", "ar", True),
    ("About 71% of people.", "حوالي ٧١٪ من الناس.", "ar", True),
    ("About 71% of people.", "حوالي ١٧٪ من الناس.", "ar", False),
    # digits of role targets and file names are no numbers
    (
        "Read :ref:`x <label-18>`, see img.png.",
        "Lees :ref:`x <label-18>`, zie i18n.png.",
        "nl",
        True,
    ),
    # a catalog that does not say its language: the usual notations are accepted
    ("Wait 0.5 minutes, 1,000 people.", "Wacht 0,5 minuut, 1.000 mensen.", "und", True),
]


@pytest.mark.parametrize(("msgid", "msgstr", "lang", "ok"), NOTATIONS)
def test_numbers_know_how_languages_write(msgid: str, msgstr: str, lang: str, ok: bool) -> None:
    errors = [m for severity, m in check_numbers(msgid, msgstr, lang) if severity == "error"]
    assert (not errors) == ok, errors


# -- exemptions ------------------------------------------------------------------------------


def test_an_exemption_silences_only_its_own_check(tmp_path: Path) -> None:
    body = 'msgid "Take 2 tablets?"\nmsgstr "Neem tabletten"\n'
    plain = findings(catalog(tmp_path, body))
    assert {c for _l, _s, c in plain} == {"numbers", "end-punctuation"}
    for exemption in ("#, ignore-numbers\n", "# pamflet: ignore numbers\n"):
        found = findings(catalog(tmp_path, exemption + body))
        assert {c for _l, _s, c in found} == {"end-punctuation"}, (exemption, found)


def test_an_exemption_never_silences_safety(tmp_path: Path) -> None:
    body = (
        "#, ignore-safety, ignore-rst-references\n"
        'msgid "Ask your doctor."\nmsgstr "Vraag `uw arts <javascript:alert(1)>`_."\n'
    )
    path = catalog(tmp_path, body)
    found = findings(path)
    assert (11, "error", "safety") in found
    assert (11, "warning", "safety") in found  # "ignore-safety has no effect"
    entries, _ = parse_po(path)
    assert guard_findings(path, entries)


def test_review_shows_the_exemption(tmp_path: Path) -> None:
    from pamflet.translate.review import review_html

    path = catalog(
        tmp_path, '#, ignore-numbers\nmsgid "Take 2 tablets."\nmsgstr "Neem tabletten."\n'
    )
    html = review_html([path], "nl", Options(root=tmp_path, skip={"spelling"}))
    assert "exempt: <code>ignore-numbers</code>" in html


def test_sphinx_noqa_silences_reference_checks_only(tmp_path: Path) -> None:
    body = (
        'msgid "Ask :term:`your nurse <nurse>` or :term:`your doctor <doctor>` at 2 pm."\n'
        'msgstr "Vraag het om 14.00 uur aan :term:`uw verpleegkundige <nurse>` "\n'
        '"of uw arts. #noqa"\n'
    )
    assert findings(catalog(tmp_path, body)) == []
    without = findings(catalog(tmp_path, body.replace(" #noqa", "")))
    assert without == [(10, "error", "rst-references")]


def test_a_reference_with_new_text_is_no_new_target(tmp_path: Path) -> None:
    body = (
        'msgid "Read `Safety first`_ before your first session."\n'
        'msgstr "Lees `VEILIGHEID VOOROP <Safety first_>`_ voor uw eerste sessie."\n'
    )
    assert findings(catalog(tmp_path, body)) == []


def test_urls_compare_scheme_and_host_without_case(tmp_path: Path) -> None:
    body = (
        'msgid "See https://example.org/path and `the site <https://example.org/PTSD>`_."\n'
        'msgstr "Zie HTTPS://EXAMPLE.ORG/path en `de site <HTTPS://Example.org/PTSD>`_."\n'
    )
    assert findings(catalog(tmp_path, body)) == []
    # another site: the link changed (the same site in another form is the page in the
    # reader's language, issue 25)
    changed = body.replace("HTTPS://Example.org/PTSD", "https://example.net/PTSD")
    assert (10, "error", "rst-references") in findings(catalog(tmp_path, changed))


# -- Arabic (issue 16) -----------------------------------------------------------------------


def test_arabic_plural_forms_are_accepted(tmp_path: Path) -> None:
    forms = "".join(f'msgstr[{i}] "{i} جلسات"\n' for i in range(6))
    path = catalog(
        tmp_path, f'msgid "%d session"\nmsgid_plural "%d sessions"\n{forms}', "ar", AR_PLURAL
    )
    assert [f for f in parse_po(path)[1] if f.severity == "error"] == []
    five = "".join(f'msgstr[{i}] "{i}"\n' for i in range(5))
    path = catalog(tmp_path, f'msgid "a"\nmsgid_plural "b"\n{five}', "ar", AR_PLURAL)
    assert [f.check for f in parse_po(path)[1]] == ["syntax"]  # 5 forms for nplurals = 6


@pytest.mark.parametrize(
    ("msgid", "msgstr", "ok"),
    [
        ("Is the session safe?", "هل الجلسة آمنة؟", True),
        ("First this;", "أولاً هذا؛", True),
        ("First this,", "أولاً هذا،", True),
        ("Is the session safe?", "الجلسة آمنة.", False),
    ],
)
def test_arabic_end_punctuation(msgid: str, msgstr: str, ok: bool) -> None:
    problems = [c for c, _m in check_cosmetic(msgid, msgstr) if c == "end-punctuation"]
    assert (not problems) == ok, problems


def test_bidi_controls_are_safety_errors_unless_ignore_bidi(tmp_path: Path) -> None:
    assert "U+202E" in bidi("Keep away from children.", "Buiten bereik van \u202ekinderen.")[0]
    assert (
        "U+2067" in bidi("a", "b\u2067c\u2069")[0] and "U+2069" in bidi("a", "b\u2067c\u2069")[0]
    )
    assert bidi("a\u200fb", "c\u200fd") == []  # the source has it too
    body = 'msgid "Keep away from children."\nmsgstr "Buiten bereik van \u202ekinderen."\n'
    path = catalog(tmp_path, body)
    assert findings(path) == [(10, "error", "safety")]
    entries, _ = parse_po(path)
    assert guard_findings(path, entries)
    path = catalog(tmp_path, "#, ignore-bidi\n" + body)
    assert findings(path) == []
    entries, _ = parse_po(path)
    assert not guard_findings(path, entries)


# -- dictionaries ----------------------------------------------------------------------------


def test_check_without_a_dictionary_exits_0_with_one_warning(tmp_path: Path) -> None:
    """A language with no Hunspell dictionary installed (real Enchant): one warning."""
    locales = tmp_path / "locales" / "xx" / "LC_MESSAGES"
    locales.mkdir(parents=True)
    body = "".join(
        f'msgid "Sentence number {i}."\nmsgstr "Zzin nummer {i}."\n\n' for i in range(1, 6)
    )
    for name in ("a.po", "b.po"):
        (locales / name).write_text(
            HEADER.format(lang="xx", plural=NL_PLURAL) + body, encoding="utf-8"
        )
    result = run(
        [sys.executable, "-m", "pamflet.cli", "check", str(locales)], cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "[spelling]" in line]
    xx = [line for line in lines if "'xx'" in line]
    assert len(xx) == 1 and "warning" in xx[0] and "apt-get install" in xx[0], lines
    strict = run(
        [sys.executable, "-m", "pamflet.cli", "check", "--strict", str(locales)],
        cwd=tmp_path,
        check=False,
    )
    assert strict.returncode == 0, strict.stdout  # not configured: a warning even so


def test_a_configured_missing_dictionary_is_an_error_only_when_strict(tmp_path: Path) -> None:
    path = catalog(tmp_path, 'msgid "Hello."\nmsgstr "Hallo."\n', "xx")
    found = Checker(
        Options(root=tmp_path, strict=True, spelling_dictionaries={"xx": "xx_XX"})
    ).check(path)
    assert [(f.severity, f.check) for f in found] == [("error", "spelling")]
    found = Checker(Options(root=tmp_path, spelling_dictionaries={"xx": "xx_XX"})).check(path)
    assert [(f.severity, f.check) for f in found] == [("warning", "spelling")]


def test_an_installed_variant_serves_a_missing_default() -> None:
    from pamflet.translate.checks.spelling import choose_tag, installed_dictionaries

    installed = installed_dictionaries()
    english = [t for t in installed if t.split("_")[0] == "en"]
    if not english:
        pytest.skip("no English Hunspell dictionary installed (Debian: hunspell-en-gb)")
    assert choose_tag("en") in english
    assert choose_tag("en", {"en": "en_ZZ"}) in english
