"""The plain path: with ``PAMFLET_PATCHES=0`` (stock Sphinx, WeasyPrint and pydyf, no
patch of pamflet/patches/ installed) every PDF of every format and language looks,
reads and is tagged like the patched build's: the patches are for speed and for
reproducible bytes, never for what a reader sees. The one difference is the patch
``weasyprint.lang-tags``, which adds the ``/Lang`` that stock WeasyPrint leaves out of
the tags of an English passage in a translation. CI runs this on every change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from conftest import FORMATS, LANGUAGES, ROOT, pdf_path, require_tool, run

pytestmark = pytest.mark.slow

#: at 100 dpi in grey, at most this share of the pixels may differ by more than 32 levels
MAX_DIFFERENT = 0.001


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plain")
    result = run(
        [sys.executable, "-m", "pamflet.cli", "build", "pdf", "-C", str(ROOT), "-o", str(out)],
        env={"SOURCE_DATE_EPOCH": "1795132800", "PAMFLET_PATCHES": "0"},
    )
    assert "not verified" not in result.stderr  # nothing stepped aside: all were off
    return out


def pages_at_100_dpi(path: Path, folder: Path) -> list[Image.Image]:
    tool = require_tool("pdftoppm", "the pages are compared as images (Debian: poppler-utils)")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool, "-r", "100", "-gray", str(path), str(folder / "p")], check=True)
    return [Image.open(p).convert("L") for p in sorted(folder.glob("p-*.pgm"))]


def differing_share(a: Image.Image, b: Image.Image) -> float:
    assert a.size == b.size
    histogram = ImageChops.difference(a, b).histogram()
    return sum(histogram[33:]) / (a.size[0] * a.size[1])


def structure(path: Path) -> list[str]:
    """The structure tree's element types, depth first (empty for an untagged PDF)."""
    root = PdfReader(path).trailer["/Root"]
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if hasattr(node, "get") and "/S" in node:
            lang = node.get("/Lang")
            found.append(str(node["/S"]) + (f"|{lang}" if lang is not None else ""))
        if hasattr(node, "get") and "/K" in node:
            walk(node["/K"])

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    return found


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_plain_path_gives_the_same_pages_text_and_tags(
    build: Path, plain: Path, tmp_path: Path, lang: str, fmt: str
) -> None:
    patched, stock = pdf_path(build, lang, fmt), pdf_path(plain, lang, fmt)
    ours = pages_at_100_dpi(patched, tmp_path / "patched")
    theirs = pages_at_100_dpi(stock, tmp_path / "stock")
    assert len(ours) == len(theirs) > 1
    for number, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        assert differing_share(a, b) <= MAX_DIFFERENT, f"page {number}"
    texts = [[page.extract_text() for page in PdfReader(p).pages] for p in (patched, stock)]
    assert texts[0] == texts[1]
    tags = [structure(p) for p in (patched, stock)]
    assert [tag.split("|")[0] for tag in tags[0]] == tags[1]  # the same elements
    langs = {tag.split("|")[1] for tag in tags[0] if "|" in tag}
    assert langs == (set() if lang == "en" or not tags[1] else {"en"}), langs
    if fmt in ("a4", "a4-large", "a5"):  # the tagged reader formats
        assert len(tags[0]) > 100 and any(tag.startswith("/H1") for tag in tags[0])


def test_the_image_comparison_sees_a_difference(tmp_path: Path) -> None:
    white = Image.new("L", (100, 100), 255)
    speck = white.copy()
    speck.putpixel((5, 5), 0)  # 0.01 %: a difference the threshold allows
    block = white.copy()
    block.paste(0, (0, 0, 10, 10))  # 1 %: one it does not
    assert differing_share(white, speck) <= MAX_DIFFERENT < differing_share(white, block)
