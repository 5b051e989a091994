"""Issue 7: clinic imprints, validated, escaped, isolated, and assembled from two new pages."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import LEAFLET, ROOT, normalise, run
from pamflet.pdf.clinic import ClinicError, load_clinic
from pamflet.pdf.formats import FORMATS

LANGS = ["en", "nl"]
FORMAT_NAMES = list(FORMATS)
LOGO = (ROOT / "clinics" / "example-clinic-logo.svg").read_text()


def clinic_file(folder: Path, name: str, body: str, logo: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if logo:
        (folder / "logo.svg").write_text(LOGO)
    path = folder / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


def imprint(build: Path, *paths: Path, jobs: int = 2) -> object:
    return run(
        [
            sys.executable,
            "-m",
            "pamflet.cli",
            "imprint",
            "-o",
            str(build),
            "-j",
            str(jobs),
            *map(str, paths),
        ],
        check=False,
    )


def page_texts(path: Path) -> list[str]:
    return [normalise(p.extract_text() or "") for p in PdfReader(path).pages]


@pytest.fixture(scope="module")
def imprinted(build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clinics")
    good = clinic_file(
        folder,
        "goodclinic",
        """
name = "Kliniek <Zon> & \\"Maan\\" </style><script>"
department = "Trauma <b>care</b>"
address = "Laan 1\\n1000 AA Stad"
phone = "+31 20 555 0101"
email = "balie@example.org"
website = "https://zon.example.org/"
logo = "logo.svg"
[note]
en = "Open weekdays"
nl = "Open op werkdagen"
""",
        logo=True,
    )
    bad = clinic_file(folder, "badclinic", 'name = "Bad"\nphone = "call us"\n')
    result = imprint(build, good, bad)
    assert result.returncode == 1, result.stdout + result.stderr  # one clinic failed
    assert "badclinic.toml: phone:" in result.stderr
    assert "1 clinics done" in result.stdout and "1 failed" in result.stdout
    return build / "pdf" / "clinics"


@pytest.mark.parametrize("lang", LANGS)
def test_every_format_is_written_for_the_good_clinic(imprinted: Path, lang: str) -> None:
    for fmt in FORMAT_NAMES:
        assert (imprinted / "goodclinic" / lang / f"{LEAFLET}-{fmt}.pdf").is_file()
    assert not (imprinted / "badclinic").exists()
    assert not list(imprinted.rglob("*.tmp")) and not list(imprinted.rglob(".staging"))


@pytest.mark.parametrize(
    ("lang", "phone_label", "given_by"),
    [("en", "Phone", "Given to you by"), ("nl", "Telefoon", "U kreeg deze folder van")],
)
def test_imprint_on_the_back_page_with_translated_labels(
    imprinted: Path, build: Path, lang: str, phone_label: str, given_by: str
) -> None:
    for fmt in ("a4", "a5", "a5-print"):
        texts = page_texts(imprinted / "goodclinic" / lang / f"{LEAFLET}-{fmt}.pdf")
        plain = page_texts(build / "pdf" / lang / f"{LEAFLET}-{fmt}.pdf")
        assert len(texts) == len(plain)  # the same leaflet, two pages changed
        back = texts[-1]
        assert given_by in back and f"{phone_label}: +31 20 555 0101" in back
        assert "balie@example.org" in back
        assert ("Open weekdays" if lang == "en" else "Open op werkdagen") in back
        assert "Kliniek" in texts[0]  # the clinic's name on the cover
        assert texts[1:-1] == plain[1:-1]  # the content pages are the plain leaflet's
        assert all("balie@example.org" not in t for t in texts[:-1])


def test_text_is_escaped_not_interpreted(imprinted: Path) -> None:
    back = page_texts(imprinted / "goodclinic" / "en" / f"{LEAFLET}-a4.pdf")[-1]
    assert 'Kliniek <Zon> & "Maan" </style><script>' in back
    assert "Trauma <b>care</b>" in back


def test_a_back_page_that_overflows_still_gives_a_whole_leaflet(
    build: Path, tmp_path: Path
) -> None:
    """A long note does not fit the back page: the whole leaflet is laid out instead."""
    note = " ".join(["Bel ons op werkdagen tussen negen en vijf uur."] * 4)
    # six address lines near the 200-character limit: more than the back page holds
    lines = ", ".join(
        f'"Gebouw {n}, {"vleugel, gang en verdieping, " * 6}kamer {n}00"' for n in range(1, 7)
    )
    path = clinic_file(
        tmp_path / "c",
        "longnote",
        f'name = "Lange Kliniek voor {"zeer " * 20}lange namen"\n'
        f'department = "Afdeling {"heel " * 25}lang"\n'
        f'address = [{lines}]\nlanguages = ["nl"]\nformats = ["a5"]\n'
        f'note = "{note}"\n',
    )
    result = imprint(build, path, jobs=1)
    assert result.returncode == 0, result.stderr
    pdf = build / "pdf" / "clinics" / "longnote" / "nl" / f"{LEAFLET}-a5.pdf"
    texts = page_texts(pdf)
    plain = page_texts(build / "pdf" / "nl" / f"{LEAFLET}-a5.pdf")
    assert len(texts) > len(plain)
    assert "Lange Kliniek" in " ".join(texts[-2:])
    # the back cover, two pages now, carries no page number; the page before it does
    assert f"van {len(texts)}" not in texts[-1]
    assert f"Pagina {len(texts) - 2} van {len(texts)}" in texts[-3]


def test_reader_formats_keep_tags_language_and_links(imprinted: Path) -> None:
    for lang in LANGS:
        for fmt in ("a4", "a5"):
            reader = PdfReader(imprinted / "goodclinic" / lang / f"{LEAFLET}-{fmt}.pdf")
            root = reader.trailer["/Root"]
            assert root["/Lang"] == lang
            assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
            uris = {
                a.get_object()["/A"].get("/URI")
                for page in reader.pages
                for a in page.get("/Annots", [])
                if "/A" in a.get_object()
            }
            assert {
                "tel:+31205550101",
                "mailto:balie@example.org",
                "https://zon.example.org/",
            } <= uris
            # The imprint adds no link to the online leaflet, whose publication our draft
            # has not confirmed (pamflet_online_confirmed): no QR code leads to a 404.
            assert not any(u and u.endswith(f"/{lang}/latest/{LEAFLET}.html") for u in uris)


def test_booklet_and_print_file_of_a_clinic(imprinted: Path) -> None:
    reader = PdfReader(imprinted / "goodclinic" / "nl" / f"{LEAFLET}-a5-print.pdf")
    assert round(float(reader.pages[0].trimbox.width) * 25.4 / 72) == 148
    booklet = PdfReader(imprinted / "goodclinic" / "nl" / f"{LEAFLET}-booklet.pdf")
    assert round(float(booklet.pages[0].mediabox.width) * 25.4 / 72) == 297


# -- validation: each refused input gives `path: key: message` and writes nothing ----------


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ('department = "x"\n', "name", "is required"),
        ('name = ""\n', "name", "may not be empty"),
        ('name = "A"\ncolour = "red"\n', "colour", "unknown key"),
        ('name = "A"\nemail = "not-an-address"\n', "email", "not an email address"),
        ('name = "A"\nemail = "a@b"\n', "email", "not an email address"),
        ('name = "A"\nwebsite = "javascript:alert(1)"\n', "website", "not an http(s) URL"),
        ('name = "A"\nwebsite = "www.example.org"\n', "website", "not an http(s) URL"),
        ('name = "A"\nphone = "12"\n', "phone", "not a phone number"),
        ('name = "A"\nphone = "+31 20 <b>1</b>"\n', "phone", "not a phone number"),
        ('name = "A"\nlogo = "missing.svg"\n', "logo", "does not exist"),
        ('name = "A"\nlogo = "../../etc/passwd"\n', "logo", "outside the clinic's folder"),
        ('name = "A"\nlanguages = ["fr"]\n', "languages", "unknown: fr"),
        ('name = "A"\nformats = ["a3"]\n', "formats", "unknown: a3"),
        ('name = "A"\n[note]\nde = "x"\n', "note.de", "unknown language"),
    ],
)
def test_validation_errors(tmp_path: Path, body: str, key: str, words: str) -> None:
    path = clinic_file(tmp_path / "c", "x", body)
    with pytest.raises(ClinicError) as err:
        load_clinic(path, LANGS, FORMAT_NAMES)
    assert str(err.value).startswith(f"{path}: {key}: ")
    assert words in str(err.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = clinic_file(tmp_path / "c", "x", 'name = "A"\nphone = "+31\n')
    with pytest.raises(ClinicError) as err:
        load_clinic(path, LANGS, FORMAT_NAMES)
    assert str(err.value).startswith(f"{path}:2: TOML syntax error")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("logo.gif", b"GIF89a....", "must be an SVG or PNG"),
        ("logo.png", b"not really a png", "not a PNG image"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "<script> is refused",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" '
            b'xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://x.org/a.png"/>'
            b"</svg>",
            "reference 'https://x.org/a.png' is refused",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
            "is refused",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "event handler",
        ),
        (
            "logo.svg",
            b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
            "DOCTYPE",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://x)</style></svg>',
            "url() or @import",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://x/#a)"/></svg>',
            "url()",
        ),
    ],
)
def test_unsafe_or_wrong_logos_are_refused(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / name).write_bytes(content)
    path = clinic_file(folder, "x", f'name = "A"\nlogo = "{name}"\n')
    with pytest.raises(ClinicError) as err:
        load_clinic(path, LANGS, FORMAT_NAMES)
    assert str(err.value).startswith(f"{path}: logo: ")
    assert words in str(err.value)


def test_a_large_logo_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024 + 1))
    path = clinic_file(folder, "x", 'name = "A"\nlogo = "big.png"\n')
    with pytest.raises(ClinicError, match="the limit is 2 MB"):
        load_clinic(path, LANGS, FORMAT_NAMES)


def test_a_symlinked_logo_leading_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.svg"
    outside.write_text(LOGO)
    folder = tmp_path / "c"
    folder.mkdir()
    os.symlink(outside, folder / "logo.svg")
    path = clinic_file(folder, "x", 'name = "A"\nlogo = "logo.svg"\n')
    with pytest.raises(ClinicError, match="outside the clinic's folder"):
        load_clinic(path, LANGS, FORMAT_NAMES)


def test_the_example_clinic_is_valid_and_marked_as_an_example() -> None:
    path = ROOT / "clinics" / "example-clinic.toml"
    clinic = load_clinic(path, LANGS, FORMAT_NAMES)
    assert "example" in clinic.name.lower()
    assert "EXAMPLE" in path.read_text().splitlines()[0]
    assert shutil.which  # the file itself is the documentation of the format


def test_a_clinic_in_a_batch_is_the_same_bytes_as_on_its_own(build: Path, tmp_path: Path) -> None:
    """Issue 15: many clinics' covers and back pages are laid out in one document per
    worker; each clinic's PDFs are the same bytes as from its own two-page layout,
    also after a clinic whose back page overflows (laid out whole) and with a logo;
    and the same bytes whether the pages in between are painted once or each time."""
    folder = tmp_path / "batch"
    note = " ".join(["Bel ons op werkdagen tussen negen en vijf uur."] * 4)
    # six address lines near the 200-character limit: more than the back page holds
    lines = ", ".join(
        f'"Gebouw {n}, {"vleugel, gang en verdieping, " * 6}kamer {n}00"' for n in range(1, 7)
    )
    common = 'languages = ["nl", "ar"]\nformats = ["a5", "a5-print", "booklet"]\n'
    bodies = [
        f'name = "Kliniek Een"\nphone = "+31 20 555 0101"\n{common}',
        f'name = "Kliniek Twee"\nlogo = "logo.svg"\nemail = "balie@example.org"\n{common}',
        f'name = "Lange Kliniek voor {"zeer " * 20}lange namen"\n'
        f'department = "Afdeling {"heel " * 25}lang"\n'
        f'address = [{lines}]\nnote = "{note}"\n{common}',
        f'name = "Kliniek Vier"\nwebsite = "https://vier.example.org/"\n{common}',
    ]
    paths = [clinic_file(folder, f"batched{n}", body, logo=True) for n, body in enumerate(bodies)]

    def outputs() -> dict[str, bytes]:
        root = build / "pdf" / "clinics"
        return {
            str(p.relative_to(root)): p.read_bytes()
            for path in paths
            for p in sorted((root / path.stem).rglob("*.pdf"))
        }

    env = {"SOURCE_DATE_EPOCH": "1795132800"}
    cmd = [sys.executable, "-m", "pamflet.cli", "imprint", "-o", str(build), "-j", "1"]
    run([*cmd, *map(str, paths)], env=env)  # one worker: one batch of four
    batched = outputs()
    assert len(batched) == 4 * 2 * 3
    run([*cmd, *map(str, paths)], env={**env, "PAMFLET_CLINIC_BATCH": "1"})  # one by one
    assert outputs() == batched
    # The reader PDFs' middle pages are painted once and replayed: the same bytes as
    # painting them for every clinic.
    run([*cmd, *map(str, paths)], env={**env, "PAMFLET_PATCHES": "-weasyprint.paint-once"})
    assert outputs() == batched
    long_pdf = build / "pdf" / "clinics" / "batched2" / "nl" / f"{LEAFLET}-a5.pdf"
    plain = page_texts(build / "pdf" / "nl" / f"{LEAFLET}-a5.pdf")
    assert len(page_texts(long_pdf)) > len(plain)  # laid out whole
    second = page_texts(build / "pdf" / "clinics" / "batched1" / "nl" / f"{LEAFLET}-a5.pdf")
    assert "Kliniek Twee" in second[0] and "Kliniek Twee" in second[-1]
    assert "Kliniek Een" not in " ".join(second)
    assert len(second) == len(plain)


@pytest.mark.slow
def test_a_format_the_last_build_did_not_make_is_one_clear_line(tmp_path: Path) -> None:
    """After ``make proof`` (A5 only), imprinting the A4 says which build is missing."""
    from conftest import copy_project

    project = copy_project(tmp_path, extra=("clinics",))
    build = tmp_path / "out"
    run(
        [sys.executable, "-m", "pamflet.cli", "build", "pdf", "--languages", "nl"]
        + ["--formats", "a5", "-o", str(build)],
        cwd=project,
    )
    clinic = clinic_file(tmp_path / "c", "solo", 'name = "Solo"\nformats = ["a4"]\n')
    result = run(
        [sys.executable, "-m", "pamflet.cli", "imprint", "-o", str(build), str(clinic)],
        cwd=project,
        check=False,
    )
    assert result.returncode == 1
    assert "the last PDF build of 'nl' made no a4 (only a5): run `make pdf` first" in (
        result.stdout + result.stderr
    )
    assert not (build / "pdf" / "clinics" / "solo").exists()


def visual_lines(path: Path, page: int) -> list[str]:
    """The lines of a page as drawn, left to right (text runs sorted by x): a mirrored
    neutral of a badly isolated name shows as what a reader sees (">" for "<")."""
    chunks: dict[int, list[tuple[float, str]]] = {}

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            y = round(tm[5] * cm[3] + cm[5])
            chunks.setdefault(y, []).append((tm[4] * cm[0] + cm[4], text))

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return ["".join(t for _, t in sorted(v)) for _, v in sorted(chunks.items(), reverse=True)]


def test_a_clinic_name_ending_in_a_neutral_keeps_its_order_on_an_arabic_leaflet(
    build: Path, tmp_path: Path
) -> None:
    """Issue 27: 'Kliniek <b>De Haven</b> & "Zon" </style>' printed on the Arabic cover as
    '<Kliniek ... </style' (the last '>' moved to the front, mirrored); the cover now
    isolates the name in its own direction, as the back page did."""
    name = 'Kliniek <b>De Haven</b> & "Zon" </style>'
    path = clinic_file(
        tmp_path / "c",
        "haven",
        'name = "Kliniek <b>De Haven</b> & \\"Zon\\" </style>"\n'
        'languages = ["ar"]\nformats = ["a5"]\n',
    )
    result = imprint(build, path, jobs=1)
    assert result.returncode == 0, result.stderr
    pdf = build / "pdf" / "clinics" / "haven" / "ar" / f"{LEAFLET}-a5.pdf"
    cover = visual_lines(pdf, 0)
    assert name in cover, cover
    back = visual_lines(pdf, len(PdfReader(pdf).pages) - 1)
    assert any(line.startswith(name) for line in back), back
