"""Issue 14, part 2: a review gate.

A leaflet with no recorded review is a draft in every output, in the reader's
language, and prints no "last reviewed" date; ``pamflet build --release``
refuses it. With a review recorded, the draft marks go and the date is printed
in each language's format.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import (
    LANGUAGES,
    LEAFLET,
    ROOT,
    copy_project,
    epub_path,
    normalise,
    pdf_path,
    pdf_text,
    run,
    says,
    translated,
)
from pamflet.i18n import format_date
from pamflet.pdf.formats import FORMATS

DRAFT_NOTE = {lang: translated(lang, "Draft: not yet reviewed by a doctor") for lang in LANGUAGES}
DRAFT_MARK = {lang: translated(lang, "Draft") for lang in LANGUAGES}
LAST_REVIEWED = {lang: translated(lang, "Last reviewed") for lang in LANGUAGES}
#: the review date of the test copy (2026-11-27) in each language's format
REVIEW_DATE = {lang: format_date("2026-11-27", lang) for lang in LANGUAGES}
#: 2026-11-27, the day of the recorded review in the test copy
REVIEW_EPOCH = "1795737600"
PROJECT_FORMATS = ["a4", "a5", "a5-print", "a5-print-nomarks", "booklet"]


def reviewed(review: str = '{"role": "psychiatrist", "date": "2026-11-27"}', **extra: str) -> str:
    """A conf.py suffix that records a review of the leaflet."""
    meta = {"version": '"1.0"', "published": '"2026-11-27"', "next_review": '"2029-11-27"'}
    meta.update(extra)
    fields = ", ".join(f'"{k}": {v}' for k, v in meta.items())
    # A release also needs the online version confirmed (the QR code's target).
    return (
        f'\npamflet_leaflets = {{"{LEAFLET}": {{{fields}, "reviews": [{review}]}}}}\n'
        "pamflet_online_confirmed = True\n"
    )


def pamflet(*args: str, cwd: Path = ROOT, check: bool = True, epoch: str | None = None):
    env = {"SOURCE_DATE_EPOCH": epoch} if epoch else None
    return run([sys.executable, "-m", "pamflet.cli", *args], cwd=cwd, check=check, env=env)


def html_page(build: Path, lang: str) -> str:
    return (build / "html" / lang / f"{LEAFLET}.html").read_text(encoding="utf-8")


def epub_leaflet(build: Path, lang: str) -> str:
    with zipfile.ZipFile(epub_path(build, lang)) as zf:
        name = next(n for n in zf.namelist() if n.endswith(f"{LEAFLET}.xhtml"))
        return zf.read(name).decode("utf-8")


def body_text(markup: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.inside = False

        def handle_starttag(self, tag, attrs) -> None:
            self.inside = self.inside or tag == "body"

        def handle_data(self, data: str) -> None:
            if self.inside:
                self.parts.append(data)

    parser = Text()
    parser.feed(markup)
    return normalise(" ".join(parser.parts))


# -- without a recorded review (this project) ---------------------------------------------------


@pytest.mark.slow
def test_the_project_records_no_review() -> None:
    from pamflet.project import Project

    meta = Project.find(ROOT).settings().pamflet_leaflets[LEAFLET]
    assert "reviews" not in meta and "reviewed" not in meta


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fmt", PROJECT_FORMATS)
@pytest.mark.slow
def test_every_pdf_is_marked_as_a_draft_on_every_page(build: Path, lang: str, fmt: str) -> None:
    assert fmt in FORMATS
    path = pdf_path(build, lang, fmt)
    pages = [normalise(page.extract_text() or "") for page in PdfReader(path).pages]
    # the band on the cover (the booklet's outer sheet carries the cover)
    assert says(pages[0] if fmt != "booklet" else " ".join(pages), DRAFT_NOTE[lang])
    for number, text in enumerate(pages, start=1):
        assert DRAFT_MARK[lang] in text.split(), (fmt, number)
    assert LAST_REVIEWED[lang] not in " ".join(pages)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.slow
def test_the_web_page_has_a_draft_banner(build: Path, lang: str) -> None:
    page = html_page(build, lang)
    assert 'class="pamflet-draft' in page
    text = body_text(page)
    assert DRAFT_NOTE[lang] in text
    assert LAST_REVIEWED[lang] not in text
    # at the top: before the leaflet's title
    article = text.split(DRAFT_NOTE[lang], 1)
    assert translated(lang, "Psychedelic-assisted therapy for PTSD").split()[0] in article[1][:80]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.slow
def test_the_epub_has_a_draft_note_at_the_top(build: Path, lang: str) -> None:
    text = body_text(epub_leaflet(build, lang))
    assert text.startswith(DRAFT_NOTE[lang]), text[:120]
    assert LAST_REVIEWED[lang] not in text


@pytest.mark.slow
def test_release_refuses_an_unreviewed_leaflet(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = pamflet("build", "--release", "-C", str(ROOT), "-o", str(out), check=False)
    assert result.returncode != 0
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{ROOT / 'conf.py'}: pamflet_leaflets['{LEAFLET}']: reviews: ")
    assert "no review recorded" in first
    assert "Traceback" not in result.stderr
    assert not out.exists()  # nothing built


@pytest.mark.slow
def test_release_refuses_a_leaflet_whose_next_review_has_passed(tmp_path: Path) -> None:
    suffix = reviewed(
        '{"role": "psychiatrist", "date": "2023-01-10"}',
        published='"2023-01-10"',
        next_review='"2024-01-10"',
    )
    copy = copy_project(tmp_path, conf_suffix=suffix)
    result = pamflet("build", "--release", "-C", str(copy), "-o", "out", check=False)
    assert result.returncode != 0
    assert f"pamflet_leaflets['{LEAFLET}']: next_review: 2024-01-10 has passed" in result.stderr
    assert not (copy / "out").exists()


@pytest.mark.slow
def test_release_refuses_a_leaflet_whose_online_version_is_not_confirmed(
    tmp_path: Path,
) -> None:
    """The QR code and printed address must lead somewhere: a release needs
    html_baseurl (or pamflet_online_url) and pamflet_online_confirmed."""
    unconfirmed = reviewed().replace("pamflet_online_confirmed = True", "")
    copy = copy_project(tmp_path, conf_suffix=unconfirmed)
    result = pamflet("build", "--release", "-C", str(copy), "-o", "out", check=False)
    assert result.returncode != 0
    line = next(x for x in result.stderr.splitlines() if "pamflet_online_confirmed" in x)
    assert line.startswith(f"{copy / 'conf.py'}: pamflet_leaflets['{LEAFLET}']: ")
    assert f"pamflet.readthedocs.io/en/latest/{LEAFLET}.html" in line
    assert not (copy / "out").exists()
    (copy / "conf.py").write_text(
        (copy / "conf.py").read_text(encoding="utf-8") + "\nhtml_baseurl = ''\n",
        encoding="utf-8",
    )
    result = pamflet("build", "--release", "-C", str(copy), "-o", "out", check=False)
    assert result.returncode != 0 and "html_baseurl: not set" in result.stderr


@pytest.mark.parametrize(
    ("review", "words"),
    [
        ('{"role": "psychiatrist", "date": "2999-01-01"}', "is in the future"),
        ('{"role": "psychiatrist", "date": "27-11-2026"}', "is not a date"),
        ('{"role": "", "date": "2026-11-27"}', "role must be text"),
        ('{"date": "2026-11-27"}', 'must be {"role": ..., "date": "YYYY-MM-DD"}'),
    ],
)
@pytest.mark.slow
def test_a_bad_review_is_one_clear_message(tmp_path: Path, review: str, words: str) -> None:
    copy = copy_project(tmp_path, conf_suffix=reviewed(review))
    result = pamflet("build", "pdf", "-l", "en", "-C", str(copy), "-o", "out", check=False)
    assert result.returncode != 0
    assert f"pamflet_leaflets['{LEAFLET}']: reviews: review 1" in result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_old_reviewed_key_is_refused(tmp_path: Path) -> None:
    suffix = f'\npamflet_leaflets["{LEAFLET}"]["reviewed"] = "2026-11-27"\n'
    copy = copy_project(tmp_path, conf_suffix=suffix)
    result = pamflet("build", "pdf", "-l", "en", "-C", str(copy), "-o", "out", check=False)
    assert result.returncode != 0
    assert f"pamflet_leaflets['{LEAFLET}']: reviewed: replaced by reviews" in result.stderr


# -- with a review recorded (a test copy) -------------------------------------------------------


@pytest.fixture(scope="module")
def reviewed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = copy_project(tmp_path_factory.mktemp("reviewed"), conf_suffix=reviewed())
    # --release builds it: the review is recorded and the next review is ahead.
    pamflet(
        "build",
        "--release",
        "-C",
        str(copy),
        "-o",
        "out",
        "-f",
        "a4",
        "a5-print",
        "booklet",
        cwd=copy,
        epoch=REVIEW_EPOCH,
    )
    return copy / "out"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.slow
def test_a_reviewed_leaflet_has_no_draft_mark_and_prints_the_review_date(
    reviewed_build: Path, lang: str
) -> None:
    for fmt in ("a4", "a5-print", "booklet"):
        text = normalise(pdf_text(pdf_path(reviewed_build, lang, fmt)))
        assert DRAFT_MARK[lang] not in text.split(), fmt
        assert DRAFT_NOTE[lang] not in text, fmt
        assert says(text, f"{LAST_REVIEWED[lang]}: {REVIEW_DATE[lang]}"), fmt
    page = body_text(html_page(reviewed_build, lang))
    assert DRAFT_NOTE[lang] not in page
    assert LAST_REVIEWED[lang] in page and REVIEW_DATE[lang] in page
    book = body_text(epub_leaflet(reviewed_build, lang))
    assert DRAFT_NOTE[lang] not in book
    assert LAST_REVIEWED[lang] in book and REVIEW_DATE[lang] in book


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.slow
def test_a_confirmed_online_version_prints_its_qr_code_and_an_unbroken_address(
    reviewed_build: Path, lang: str
) -> None:
    url = f"https://pamflet.readthedocs.io/{lang}/latest/{LEAFLET}.html"
    for fmt in ("a4", "a5-print", "booklet"):
        reader = PdfReader(pdf_path(reviewed_build, lang, fmt))
        back = reader.pages[0 if fmt == "booklet" else -1]
        uris = {a.get_object()["/A"].get("/URI") for a in back.get("/Annots", [])}
        if fmt == "a4":  # the print file has no links; the booklet places pages as forms
            assert url in uris, fmt
        text = back.extract_text()
        assert "".join(text.split()).count(url.removeprefix("https://")) == 1, fmt
        # The address breaks only after a "/": no line of it ends with a hyphen.
        for line in text.splitlines():
            if "readthedocs" in line or "psychedelic" in line:
                assert not line.rstrip().endswith(("-", "\u2010")), (fmt, line)
        if fmt == "booklet":
            continue
        with pikepdf.open(pdf_path(reviewed_build, lang, fmt)) as pdf:
            page = pdf.pages[-1]
            ops = [str(op) for _, op in pikepdf.parse_content_stream(page)]
            for form in page.Resources.get("/XObject", {}).values():  # an SVG drawn once
                if form.get("/Subtype") == "/Form":
                    ops += [str(op) for _, op in pikepdf.parse_content_stream(form)]
            # the QR code, an SVG drawn as paths: hundreds of moves (the draft has a few)
            assert ops.count("m") > 100, (fmt, ops.count("m"))
