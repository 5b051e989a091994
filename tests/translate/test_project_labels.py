"""Issue 29: pamflet's own labels in a language pamflet does not ship.

A project's ``locales/<lang>/LC_MESSAGES/pamflet.po`` adds to and overrides
pamflet's shipped ``pamflet/locale/<lang>/LC_MESSAGES/pamflet.po``, as a
project's ``sphinx.po`` does Sphinx's; ``update-po`` makes it from pamflet's
template (``pamflet/locale/pamflet.pot``), prefilled from the shipped catalog;
``pamflet check`` checks it. Built for real: the small test project, in Turkish
(``tr``, which pamflet does not ship) and in Dutch with one label overridden.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_test_project, leaflet, normalise, pdf_text, run, update_po
from pamflet.i18n import LOCALE_DIR, TEMPLATE, catalogs, gettext, shipped
from pamflet.translate.po import parse_po
from pamflet.translate.template import extract, render

#: Turkish labels, as a clinic's translator writes them (pamflet ships no Turkish).
TURKISH = {
    "Draft: not yet reviewed by a doctor": "Taslak: henüz bir doktor tarafından incelenmedi",
    "Draft": "Taslak",
    "Language": "Dil",
    "Read this leaflet online": "Bu broşürü çevrimiçi okuyun",
    "Page": "Sayfa",
    "of": "/",
    "Copyright © %(copyright)s": "Telif hakkı © %(copyright)s",
}
#: The Dutch label the project overrides, and its own wording.
OVERRIDDEN = ("Read this leaflet online", "Lees deze folder op internet")

needs_msgcat = pytest.mark.skipif(
    shutil.which("msgcat") is None, reason="update-po wraps with GNU msgcat (Debian: gettext)"
)


def active(po: Path) -> dict[str, str]:
    entries, findings = parse_po(po)
    assert not [f for f in findings if f.severity == "error"], findings
    return {e.msgid: e.string for e in entries if e.msgid and not e.obsolete}


def write_po(path: Path, language: str, messages: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(
        ("#, python-format\n" if "%(" in k else "") + f'msgid "{k}"\nmsgstr "{v}"\n\n'
        for k, v in messages.items()
    )
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {language}\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n' + body,
        encoding="utf-8",
    )
    return path


# -- the template ------------------------------------------------------------------------------


def test_the_template_lists_every_label_and_is_up_to_date() -> None:
    labels = extract()
    # the labels that reach gettext through a constant are marked with N_ and found too
    for message in ("Draft: not yet reviewed by a doctor", "Next review", "Draft of"):
        assert message in labels, message
    assert TEMPLATE.read_text(encoding="utf-8") == render(), (
        "pamflet/locale/pamflet.pot is out of date: python -m pamflet.translate.template"
    )


@pytest.mark.parametrize("language", sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir()))
def test_each_shipped_catalog_translates_exactly_the_template(language: str) -> None:
    template = set(active(TEMPLATE))
    shipped_entries = active(LOCALE_DIR / language / "LC_MESSAGES" / "pamflet.po")
    assert set(shipped_entries) == template
    assert all(shipped_entries.values()), [k for k, v in shipped_entries.items() if not v]


# -- lookup ------------------------------------------------------------------------------------


def test_a_project_catalog_adds_a_language_and_overrides_a_label(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    write_po(locales / "tr" / "LC_MESSAGES" / "pamflet.po", "tr", {**TURKISH, "Notes": ""})
    write_po(locales / "nl" / "LC_MESSAGES" / "pamflet.po", "nl", dict([OVERRIDDEN]))
    dirs = (str(locales),)
    assert gettext("tr", "Draft", dirs) == "Taslak"
    assert gettext("tr", "Notes", dirs) == "Notes"  # untranslated: English, as gettext does
    assert gettext("tr", "Draft") == "Draft"  # without the project: pamflet has no Turkish
    assert gettext("nl", OVERRIDDEN[0], dirs) == OVERRIDDEN[1]
    assert gettext("nl", OVERRIDDEN[0]) == shipped("nl")[OVERRIDDEN[0]] != OVERRIDDEN[1]
    # what the project leaves out comes from pamflet's own catalog
    assert gettext("nl", "Published by", dirs) == shipped("nl")["Published by"] != "Published by"
    # a regional variant falls back to its language, the project's first
    assert gettext("nl_BE", OVERRIDDEN[0], dirs) == OVERRIDDEN[1]
    assert [p.parent.parent.name for p in catalogs("nl_BE", dirs)] == ["nl", "nl"]


def test_a_malformed_project_catalog_is_an_error_with_its_line(tmp_path: Path) -> None:
    from pamflet.errors import UserError

    po = tmp_path / "tr" / "LC_MESSAGES" / "pamflet.po"
    write_po(po, "tr", {"Draft": "Taslak"})
    po.write_text(po.read_text(encoding="utf-8") + 'msgid "Page"\nmsgstr "Sayfa\n', "utf-8")
    with pytest.raises(UserError, match=rf"{po}:\d+:"):
        gettext("tr", "Page", (str(tmp_path),))


# -- update-po and check -----------------------------------------------------------------------


@needs_msgcat
def test_update_po_creates_and_updates_the_project_catalog(tmp_path: Path) -> None:
    copy = copy_test_project(tmp_path)
    run([sys.executable, "-m", "sphinx", "-b", "gettext", "-q", ".", "build/gettext"], cwd=copy)
    out = update_po(copy, "tr", "nl", templates=False)
    tr = copy / "locales" / "tr" / "LC_MESSAGES" / "pamflet.po"
    nl = copy / "locales" / "nl" / "LC_MESSAGES" / "pamflet.po"
    assert f"created: {tr}" in out
    # pamflet ships Dutch: no copy is made that would hide pamflet's own updates
    assert not nl.exists()
    entries = active(tr)
    assert set(entries) == set(active(TEMPLATE)) and not any(entries.values())
    assert "Language: tr" in tr.read_text(encoding="utf-8")

    # The translator translates one label, and the project overrides one Dutch label
    # (an empty file is made anew, prefilled from pamflet's Dutch).
    tr.write_text(
        tr.read_text(encoding="utf-8").replace(
            'msgid "Draft"\nmsgstr ""', 'msgid "Draft"\nmsgstr "Taslak"'
        ),
        encoding="utf-8",
    )
    nl.write_text("", encoding="utf-8")
    out = update_po(copy, "tr", "nl", templates=False)
    assert f"unchanged: {tr}" in out and f"created: {nl}" in out
    assert active(tr)["Draft"] == "Taslak"
    assert active(nl) == shipped("nl")
    assert "unchanged" in update_po(copy, "nl", templates=False).split(str(nl))[0].splitlines()[-1]


def test_pamflet_check_checks_the_project_catalog(tmp_path: Path) -> None:
    copy = copy_test_project(tmp_path)
    po = write_po(
        copy / "locales" / "tr" / "LC_MESSAGES" / "pamflet.po",
        "tr",
        {**TURKISH, "Copyright © %(copyright)s": "Telif hakkı © %(telif)s"},
    )
    result = run(
        [sys.executable, "-m", "pamflet.cli", "check", "-C", str(copy)], cwd=copy, check=False
    )
    assert result.returncode != 0
    where = po.relative_to(copy).as_posix()
    assert re.search(rf"^{where}:\d+: error \[format\].*'copyright'", result.stdout, re.M), (
        result.stdout
    )


# -- built for real ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test project with pamflet's theme, a Turkish pamflet.po and one Dutch label
    overridden."""
    copy = copy_test_project(tmp_path_factory.mktemp("labels"))
    with (copy / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('html_theme = "pamflet"\ncopyright = "2026, Klinik Örnek"\n')
        conf.write("pamflet_online_confirmed = True\n")  # the QR code and its label print
        # a leaflet (a document in no pamflet_leaflets is a book, without these labels)
        conf.write('pamflet_leaflets = {"index": {"changed": "2026-11-30"}}\n')
    write_po(copy / "locales" / "tr" / "LC_MESSAGES" / "pamflet.po", "tr", TURKISH)
    write_po(copy / "locales" / "nl" / "LC_MESSAGES" / "pamflet.po", "nl", dict([OVERRIDDEN]))
    return copy


@pytest.mark.parametrize("language", ["tr", "nl"])
def test_the_project_labels_are_in_the_pdf_and_on_the_website(
    labelled_project: Path, tmp_path: Path, language: str
) -> None:
    pdf_dir, html_dir = tmp_path / "pdf", tmp_path / "html"
    leaflet(labelled_project, pdf_dir, "-D", f"language={language}")
    text = normalise(pdf_text(pdf_dir / "index.pdf"))
    run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-D", f"language={language}"]
        + [str(labelled_project), str(html_dir)]
    )
    page = BeautifulSoup((html_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    if language == "tr":
        for message in (
            "Draft: not yet reviewed by a doctor",
            "Language",
            "Read this leaflet online",
        ):
            assert TURKISH[message] in text, (message, text[:300])
        assert re.search(r"Sayfa \d+ / \d+", text), text  # the running footer
        assert (
            page.select_one(".pamflet-draft").get_text(strip=True)
            == TURKISH["Draft: not yet reviewed by a doctor"]
        )
        footer = page.select_one(".copyright")
        assert " ".join(footer.get_text().split()) == "Telif hakkı © 2026, Klinik Örnek"
        assert footer.bdi is not None and footer.bdi.get_text() == "2026, Klinik Örnek"
    else:
        assert OVERRIDDEN[1] in text and shipped("nl")[OVERRIDDEN[0]] not in text
        # the labels the project leaves alone are pamflet's Dutch
        assert shipped("nl")["Draft: not yet reviewed by a doctor"] in text
        assert shipped("nl")["Draft: not yet reviewed by a doctor"] in page.get_text()
