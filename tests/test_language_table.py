"""Issue 16: one table of language settings drives direction, readability, spelling and
dates; conf.py's ``pamflet_language_settings`` changes or adds entries (no code)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run
from pamflet.i18n import format_date
from pamflet.languages import LANGUAGE_DEFAULTS, LanguageSettings
from pamflet.languages import language_settings as settings_of
from pamflet.project import Project
from pamflet.settings import SETTINGS
from pamflet.translate.checks.spelling import Speller, choose_tag, dictionary_tag
from pamflet.translate.readability import measure, sentences

PACKAGE = ROOT / "pamflet"
LEAFLET = "ptsd-psychedelic-therapy"


def pamflet(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "pamflet.cli", *args], cwd=cwd, check=check)


def test_the_setting_is_registered_and_the_table_has_every_field() -> None:
    assert SETTINGS["pamflet_language_settings"].owner == "core"
    for language in ("en", "nl", "ar"):
        assert isinstance(LANGUAGE_DEFAULTS[language], LanguageSettings)


def test_the_repository_languages_come_from_the_table() -> None:
    project = Project.find(ROOT)
    assert project.languages() == ["en", "nl", "ar"]
    ar = settings_of(project.settings("ar"), "ar")
    assert ar.direction == "rtl"
    assert ar.fonts[0] == "Atkinson Hyperlegible"  # Latin runs inside Arabic text
    assert "Arabic" in ar.fonts[1]
    assert ar.body_scale > 1  # Arabic body text larger than the Latin
    assert ar.hyphenation is None and ar.readability is None
    assert ar.spelling == "ar" and ar.date_locale == "ar"
    assert ar.css_fonts == '"Atkinson Hyperlegible", "Noto Naskh Arabic"'
    en, nl = (settings_of(project.settings(lang), lang) for lang in ("en", "nl"))
    assert (en.direction, nl.direction) == ("ltr", "ltr")
    assert (en.readability, nl.readability) == ("flesch", "flesch-douma")
    assert en.spelling == "en_GB"  # conf.py's pamflet_spelling_dictionaries wins


#: Comparisons with a language code that are not language facts, and why.
NOT_LANGUAGE_FACTS = {
    # the project template ships a Dutch translation: its content, not a rule about Dutch
    "pamflet/scaffold.py": 'if lang == "nl":',
    # Sphinx's default language with no locale_dirs: a project that is not translated
    "pamflet/translate/guard.py": 'language == "en" and not config.locale_dirs',
}


def test_no_module_tests_a_language_code() -> None:
    """Adding a language is configuration: no `language == "ar"` (or "nl") in the code."""
    pattern = re.compile(r"""(lang|language)\w*\s*(==|!=|in)\s*[(\[{]?\s*["'][a-z]{2}["']""")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
        and NOT_LANGUAGE_FACTS.get(str(path.relative_to(ROOT)), "\0") not in line
    ]
    assert found == []
    assert not re.search(r"[\"']ar[\"']", (PACKAGE / "translate" / "readability.py").read_text())


def test_a_variant_uses_its_language_row_and_its_own_dates() -> None:
    assert settings_of(None, "nl_BE").readability == "flesch-douma"
    assert settings_of(None, "nl_BE").date_locale is None  # Babel's nl_BE, not nl
    unknown = settings_of(None, "xx")
    assert (unknown.direction, unknown.readability, unknown.spelling) == ("ltr", None, "xx")


# -- readability ------------------------------------------------------------------------------


def test_arabic_sentences_split_at_arabic_punctuation() -> None:
    text = "هل هو آمن؟ لا نعرف بعد. اسأل طبيبك! MDMA مادة قوية. اتصل بالرقم 0800-0113."
    assert sentences([text]) == [
        "هل هو آمن؟",
        "لا نعرف بعد.",
        "اسأل طبيبك!",
        "MDMA مادة قوية.",
        "اتصل بالرقم 0800-0113.",
    ]


def test_arabic_readability_is_sentence_length_only() -> None:
    report = measure(["هل هو آمن؟ لا نعرف بعد. اسأل طبيبك عن هذا العلاج."], "ar")
    assert (report.formula, report.score) == (None, None)
    assert (report.words, report.sentences) == (11, 3)
    assert report.longest[0] == (5, "اسأل طبيبك عن هذا العلاج.")
    # vowel marks stay inside their word
    assert measure(["مستقبِل جديد."], "ar").words == 2


def test_the_formula_comes_from_the_table() -> None:
    text = ["The cat sat on the mat. It was warm."]
    assert measure(text, "en").formula == "Flesch Reading Ease"
    assert measure(text, "nl").formula == "Flesch-Douma"
    douma = measure(
        text, "en", settings=settings_of({"en": {"readability": "flesch-douma"}}, "en")
    )
    assert douma.formula == "Flesch-Douma"
    assert douma.score != measure(text, "en").score


def test_readability_command_for_arabic(tmp_path: Path) -> None:
    """`pamflet readability` on a real Arabic build: no formula, sentence length checked."""
    out = tmp_path / "build"
    pamflet("build", "html", "-l", "ar", "-o", str(out), cwd=ROOT)
    result = pamflet("readability", "-l", "ar", "-o", str(out), cwd=ROOT)
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{LEAFLET} [ar]: no readability formula, sentence length only; ")
    words, sents = map(int, re.search(r"(\d+) words, (\d+) sentences", first).groups())
    assert words > 1500 and sents > 150
    assert "(ok <= 15)" in first
    assert "Flesch" not in result.stdout


# -- spelling ---------------------------------------------------------------------------------


def test_arabic_spelling_uses_hunspell_ar() -> None:
    assert dictionary_tag("ar") == "ar"
    enchant = pytest.importorskip("enchant", reason="pyenchant is a dependency")
    if not enchant.dict_exists("ar"):
        pytest.skip("hunspell-ar is not installed (Debian: apt-get install hunspell-ar)")
    assert choose_tag("ar") == "ar"
    speller = Speller("ar", "ar")
    # a vowel mark (kasra) does not split the word; a misspelling is found
    assert speller.misspelled("العلاج مستقبِل آمن") == []
    assert speller.misspelled("العلاج مستقبل سسسسسس") == ["سسسسسس"]


def test_arabic_catalogs_pass_the_strict_check() -> None:
    result = pamflet("check", "--strict", "locales/ar", cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout + result.stderr


# -- dates ------------------------------------------------------------------------------------


def test_dates_in_the_language_format() -> None:
    assert format_date("2026-11-27", "ar") == "27 نوفمبر 2026"  # Western digits
    assert format_date("2026-11-27", "en") == "27 November 2026"  # en_GB, from the table
    assert format_date("2026-11-27", "nl") == "27 november 2026"
    settings = Project.find(ROOT).settings("ar")
    assert settings.pamflet_date_locales["ar"] == "ar"
    assert format_date("2026-11-27", "ar", settings.pamflet_date_locales) == "27 نوفمبر 2026"


# -- conf.py overrides ------------------------------------------------------------------------

OVERRIDES = """
pamflet_language_settings = {
    "en": {"date_locale": "en_US"},
    "ar": {"body_scale": 1.25, "spelling": "ar_XX"},
    "fa": {"direction": "rtl", "fonts": ["Atkinson Hyperlegible", "Vazirmatn"]},
}
pamflet_date_locales = {"nl": "nl_BE"}
"""


def test_conf_py_overrides_and_adds_entries(tmp_path: Path) -> None:
    copy = copy_project(tmp_path, conf_suffix=OVERRIDES)
    project = Project.find(copy)
    settings = project.settings("ar")
    ar = settings_of(settings, "ar")
    assert (ar.body_scale, ar.spelling, ar.direction) == (1.25, "ar_XX", "rtl")
    fa = settings_of(settings, "fa")
    assert (fa.direction, fa.fonts) == ("rtl", ("Atkinson Hyperlegible", "Vazirmatn"))
    # the older settings follow the table: dates, and the dictionary conf.py chose
    assert settings.pamflet_spelling_dictionaries["ar"] == "ar_XX"
    assert settings.pamflet_date_locales["en"] == "en_US"
    assert settings.pamflet_date_locales["nl"] == "nl_BE"  # the deprecated alias still works
    assert format_date("2026-11-27", "en", settings.pamflet_date_locales) == "November 27, 2026"


def test_an_override_reaches_the_build(tmp_path: Path) -> None:
    """The "about" dates of a real HTML build follow conf.py's date_locale."""
    copy = copy_project(tmp_path, conf_suffix=OVERRIDES)
    out = tmp_path / "build"
    pamflet("build", "html", "-l", "en", "-o", str(out), cwd=copy)
    html = (out / "html" / "en" / f"{LEAFLET}.html").read_text(encoding="utf-8")
    # a draft prints the day of its last change (conf.py's "changed")
    import datetime as dt

    changed = dt.date.fromisoformat(
        Project.find(ROOT).settings().pamflet_leaflets[LEAFLET]["changed"]
    )
    assert changed.strftime("%B %-d, %Y") in html  # en_US: "December 7, 2026"
    assert changed.strftime("%-d %B %Y") not in html  # not en_GB


def test_an_unknown_field_is_a_user_error(tmp_path: Path) -> None:
    copy = copy_project(tmp_path, conf_suffix='pamflet_language_settings = {"ar": {"colour": 1}}')
    result = pamflet("readability", "-l", "ar", cwd=copy, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "conf.py: pamflet_language_settings['ar']: unknown field 'colour'" in result.stderr
