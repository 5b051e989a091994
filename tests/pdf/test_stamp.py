"""Issue 27: clinic variants of the print formats by stamping, against the whole layout.

The clinic's logo, name and imprint are laid out alone and drawn onto a cover and a
back page laid out once (pamflet/pdf/stamp.py). ``pamflet imprint --whole-layout``
lays out each clinic's cover and back page whole: the reference. Measured on the real
PDFs of both, for clinics with a long name, a logo, no logo, an Arabic name and a name
that ends in a neutral character, in nl and ar:

- look: rendered at 100 dpi in grey, no more than 0.1 % of a page's pixels differ by
  more than 32 levels;
- text: the same text in the same order on every page (pypdf). White space is left
  out of the comparison, and in Arabic the two parentheses are one: a glyph that
  stands for "(" and ")" (mirrored in right-to-left text) is mapped to the first of
  the two that the document drew, which differs between a document of two pages and
  one of the whole cover and back page;
- the links of the imprint are kept, moved with it;
- reproducible: a second batch writes the same bytes; with nothing changed, it makes
  nothing and rewrites nothing;
- a clinic whose imprint does not fit the room the back page keeps gets the whole
  layout, with one line that says so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from conftest import LEAFLET, ROOT, require_tool, run

LOGO = (ROOT / "clinics" / "example-clinic-logo.svg").read_text()
COMMON = 'languages = ["nl", "ar"]\nformats = ["a5-print", "a5-print-nomarks"]\n'
CLINICS = {
    "longname": f'name = "Regionaal Centrum voor {"zeer " * 8}lange namen en Traumazorg"\n'
    'department = "Polikliniek"\naddress = "Laan 1\\n1000 AA Stad"\n'
    'phone = "+31 20 555 0101"\nemail = "balie@example.org"\n'
    'website = "https://lang.example.org/"\n',
    "withlogo": 'name = "Kliniek De Linde"\nlogo = "logo.svg"\nphone = "+31 20 555 0102"\n',
    "nologo": 'name = "Praktijk (Noord)"\nemail = "noord@example.org"\n',
    "arabic": 'name = "عيادة النور"\ndepartment = "قسم الصدمات"\nphone = "+31 20 555 0103"\n',
    "neutral": 'name = "Kliniek <b>De Haven</b> & \\"Zon\\" </style>"\n',
}
NOTE = " ".join(["Bel ons op werkdagen tussen negen en vijf uur."] * 4)
#: six address lines near the 200-character limit: more than the back page keeps room for
LINES = ", ".join(
    f'"Gebouw {n}, {"vleugel, gang en verdieping, " * 6}kamer {n}00"' for n in range(1, 7)
)
TOO_LARGE = f'name = "Kliniek Groot"\nnote = "{NOTE}"\naddress = [{LINES}]\n'


def clinic_files(folder: Path, bodies: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.svg").write_text(LOGO, encoding="utf-8")
    paths = []
    for name, body in bodies.items():
        path = folder / f"{name}.toml"
        path.write_text(body + COMMON, encoding="utf-8")
        paths.append(path)
    return paths


def imprint(build: Path, paths: list[Path], *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pamflet.cli", "imprint", "-o", str(build), *extra]
    return run([*cmd, *map(str, paths)], env={"SOURCE_DATE_EPOCH": "1795132800"})


@pytest.fixture(scope="module")
def variants(build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The clinics' PDFs, stamped, stamped again, and laid out whole."""
    folder = tmp_path_factory.mktemp("stamp")
    paths = clinic_files(folder / "clinics", CLINICS)
    found = {}
    for label, extra in (("stamped", ()), ("again", ()), ("whole", ("--whole-layout",))):
        # made again, not found up to date (the keys of the variants made so far go)
        shutil.rmtree(build / ".work" / "imprint-keys", ignore_errors=True)
        imprint(build, paths, *extra)
        found[label] = folder / label
        for path in paths:
            shutil.copytree(build / "pdf" / "clinics" / path.stem, found[label] / path.stem)
    return found


def cases() -> list[tuple[str, str, str]]:
    return [
        (clinic, lang, fmt)
        for clinic in CLINICS
        for lang in ("nl", "ar")
        for fmt in ("a5-print", "a5-print-nomarks")
    ]


def pdf(root: Path, clinic: str, lang: str, fmt: str) -> Path:
    return root / clinic / lang / f"{LEAFLET}-{fmt}.pdf"


def grey_pages(path: Path, folder: Path) -> list[Image.Image]:
    require_tool("pdftoppm", "the pages are compared as images (Debian: poppler-utils)")
    folder.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", str(path), str(folder / "p")])
    return [Image.open(p).convert("L") for p in sorted(folder.glob("p-*.png"))]


@pytest.mark.parametrize(("clinic", "lang", "fmt"), cases()[::3] + cases()[1::7])
def test_a_stamped_variant_looks_like_the_whole_layout(
    variants: dict[str, Path], tmp_path: Path, clinic: str, lang: str, fmt: str
) -> None:
    stamped = grey_pages(pdf(variants["stamped"], clinic, lang, fmt), tmp_path / "s")
    whole = grey_pages(pdf(variants["whole"], clinic, lang, fmt), tmp_path / "w")
    assert len(stamped) == len(whole) > 4
    for number, (a, b) in enumerate(zip(stamped, whole, strict=True), start=1):
        differing = ImageChops.difference(a, b).point(lambda v: 255 if v > 32 else 0)
        share = sum(1 for v in differing.get_flattened_data() if v) / (a.width * a.height)
        assert share <= 0.001, (number, share)


def test_the_comparison_sees_a_clinic_that_differs(variants: dict[str, Path], tmp_path: Path):
    one = grey_pages(pdf(variants["stamped"], "withlogo", "nl", "a5-print"), tmp_path / "a")
    other = grey_pages(pdf(variants["whole"], "nologo", "nl", "a5-print"), tmp_path / "b")
    differing = ImageChops.difference(one[0], other[0]).point(lambda v: 255 if v > 32 else 0)
    assert sum(1 for v in differing.get_flattened_data() if v) / differing.width**2 > 0.001


def text(path: Path, lang: str) -> list[str]:
    pages = ["".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]
    return [p.replace(")", "(") for p in pages] if lang == "ar" else pages


@pytest.mark.parametrize(("clinic", "lang", "fmt"), cases())
def test_the_same_text_in_the_same_order(
    variants: dict[str, Path], clinic: str, lang: str, fmt: str
) -> None:
    stamped = pdf(variants["stamped"], clinic, lang, fmt)
    assert text(stamped, lang) == text(pdf(variants["whole"], clinic, lang, fmt), lang)
    # and the clinic's parts were stamped, not laid out whole
    with pikepdf.open(stamped) as document:
        names = set(document.pages[0].Resources.XObject) | set(
            document.pages[-1].Resources.XObject
        )
    assert {"/Stampcoverpublisher", "/Stampbackbottom"} <= names
    assert ("/Stampcoverlogo" in names) == (clinic == "withlogo")


def test_the_imprint_keeps_its_links(variants: dict[str, Path]) -> None:
    def links(root: Path) -> list[str]:
        with pikepdf.open(pdf(root, "longname", "nl", "a5-print")) as document:
            annots = document.pages[-1].obj.get("/Annots", [])
            return sorted(str(a.A.URI) for a in annots if "/A" in a and "/URI" in a.A)

    assert links(variants["stamped"]) == links(variants["whole"])
    assert "mailto:balie@example.org" in links(variants["stamped"])


def test_a_second_batch_writes_the_same_bytes(variants: dict[str, Path]) -> None:
    for clinic, lang, fmt in cases():
        first = pdf(variants["stamped"], clinic, lang, fmt).read_bytes()
        assert first == pdf(variants["again"], clinic, lang, fmt).read_bytes(), clinic


def test_an_imprint_too_large_to_stamp_is_laid_out_whole(build: Path, tmp_path: Path) -> None:
    paths = clinic_files(tmp_path, {"groot": TOO_LARGE, "nologo": CLINICS["nologo"]})
    result = imprint(build, paths)
    assert "groot.toml: nl a5-print: the clinic's block is larger than the room" in result.stdout
    assert "nologo.toml" not in result.stdout + result.stderr
    out = build / "pdf" / "clinics" / "groot" / "nl" / f"{LEAFLET}-a5-print.pdf"
    base = build / "pdf" / "nl" / f"{LEAFLET}-a5-print.pdf"
    texts = [page.extract_text() or "" for page in PdfReader(out).pages]
    assert len(texts) >= len(PdfReader(base).pages)
    assert "kamer 600" in " ".join(texts[-2:])


def test_a_batch_with_nothing_changed_makes_and_rewrites_nothing(build: Path, tmp_path: Path):
    paths = clinic_files(tmp_path, {"nologo": CLINICS["nologo"], "arabic": CLINICS["arabic"]})
    first = imprint(build, paths)
    assert "2 clinics done (8 PDFs" in first.stdout
    made = sorted((build / "pdf" / "clinics" / "arabic").rglob("*.pdf"))
    stamps = [(p.stat().st_mtime_ns, p.read_bytes()) for p in made]
    second = imprint(build, paths)
    assert "2 clinics done (0 PDFs" in second.stdout
    assert "; 2 clinics up to date)" in second.stdout and "arabic: up to date" in second.stdout
    assert [(p.stat().st_mtime_ns, p.read_bytes()) for p in made] == stamps
    # the way a variant is made is part of its key: the whole layout makes them again
    assert "(8 PDFs" in imprint(build, paths, "--whole-layout").stdout
