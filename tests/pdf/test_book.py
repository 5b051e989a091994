"""Issue 28: any Sphinx project as a printed book (pamflet/pdf/book.py, booklinks.py).

The fixture (tests/fixtures/book, see its conf.py) has no ``pamflet_leaflets``: its
root document is a book. Built for real with ``sphinx-build -b leaflet``; the checks
read the PDF (pypdf for links and outlines, pdfminer for where each character lies).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
from pypdf import PdfReader

from conftest import FIXTURES, leaflet, normalise, run

FIXTURE = FIXTURES / "book"
EPOCH = "1767225600"  # 1 January 2026
BASEURL = "https://docs.example.org/{language}/latest/"


def build_book(folder: Path, *options: str) -> dict:
    project = folder / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    out = folder / "out"
    result = leaflet(
        project, out, "-W", "--keep-going", *options, env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    return {"pdf": out / "index.pdf", "html": out / "_print" / "index.a4.html", "log": result}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_book(tmp_path_factory.mktemp("book"))


@pytest.fixture(scope="module")
def online(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return build_book(tmp_path_factory.mktemp("online"), "-D", f"html_baseurl={BASEURL}")


def page_chars(pdf: Path) -> list[list[LTChar]]:
    """Every character of every page, as pdfminer lays them out."""
    pages = []
    for layout in extract_pages(pdf):
        chars: list[LTChar] = []
        stack = [layout]
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar):
                chars.append(item)
            elif hasattr(item, "__iter__"):
                stack.extend(item)
        pages.append(chars)
    return pages


def page_lines(pdf: Path) -> list[list[LTTextLine]]:
    pages = []
    for layout in extract_pages(pdf):
        lines, stack = [], [layout]
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                lines.append(item)
            elif hasattr(item, "__iter__") and not isinstance(item, LTChar):
                stack.extend(item)
        pages.append(sorted(lines, key=lambda line: (-round(line.y1), line.x0)))
    return pages


def page_texts(pdf: Path) -> list[str]:
    return [
        " ".join("".join(c.get_text() for c in line).strip() for line in lines)
        for lines in page_lines(pdf)
    ]


def links(pdf: Path) -> list[dict]:
    """Every link annotation: its page, its text (the characters inside its box), and
    its target (a page number, or a URI)."""
    reader = PdfReader(pdf)
    dests = reader.named_destinations
    chars = page_chars(pdf)
    found = []
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            inside = [
                c
                for c in chars[number]
                if x0 - 1 <= (c.x0 + c.x1) / 2 <= x1 + 1 and y0 - 1 <= (c.y0 + c.y1) / 2 <= y1 + 1
            ]
            text = "".join(c.get_text() for c in sorted(inside, key=lambda c: (-c.y0, c.x0)))
            link = {"page": number, "text": text, "rect": (x0, y0, x1, y1)}
            action = annot.get("/A")
            action = action.get_object() if action is not None else {}
            dest = annot.get("/Dest") or (
                action.get("/D") if action.get("/S") == "/GoTo" else None
            )
            if dest is not None:
                name = str(dest)
                assert name in dests, f"link to an unknown destination {name!r}"
                link["dest"] = reader.get_destination_page_number(dests[name])
            else:
                link["uri"] = str(action.get("/URI"))
            found.append(link)
    return found


def test_a_book_has_a_cover_and_no_leaflet_furniture(book: dict) -> None:
    texts = page_texts(book["pdf"])
    cover = texts[0]
    assert "Field Manual" in cover
    assert "Release 2.3.1" in cover
    assert "Ada Example" in cover
    assert "Jan 01, 2026" in cover  # SOURCE_DATE_EPOCH, Sphinx's today_fmt
    whole = " ".join(texts)
    for leaflet_text in ("Draft", "Language:", "reviewed", "leaflet", "QR", "Notes"):
        assert leaflet_text not in whole, leaflet_text
    reader = PdfReader(book["pdf"])
    for page in reader.pages:  # no QR code, no drawn images at all in this fixture
        xobjects = page["/Resources"].get("/XObject", {})
        assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    # no back page, no blank page at the end: the last page is the API chapter's
    assert "count_birds" in texts[-1].replace("\u200b", "")
    assert reader.metadata.author == "Ada Example"


def test_headings_by_depth_at_least_body_size_and_kept_with_their_text(book: dict) -> None:
    html = book["html"].read_text(encoding="utf-8")
    for level in range(1, 9):  # a chapter (1) down to the seventh level below it
        assert f'class="depth-{level}"' in html, level
    assert "aria-level" in html  # deeper than h6: Sphinx's h6 with its real level
    body_size = 14.0  # A4 (formats/a4.css)
    lines = page_lines(book["pdf"])
    seen = 0
    for number, page in enumerate(lines[2:], start=2):  # after the cover and contents
        for line in page:
            if line.y0 > 841.89 - 60:  # the running head (A4), not a heading
                continue
            text = line.get_text().strip()
            match = re.fullmatch(r"Level \d heading (\d+)", text)
            if not match:
                continue
            seen += 1
            sizes = [c.size for c in line if isinstance(c, LTChar)]
            assert min(sizes) >= body_size - 0.01, (text, min(sizes))
            follower = f"Text under heading {match[1]}."
            assert any(follower in other.get_text() for other in page), (
                f"{text!r} on page {number + 1} is not kept with its text"
            )
    assert seen == 42


def test_contents_with_page_numbers_and_running_heads(book: dict) -> None:
    texts = page_texts(book["pdf"])
    assert texts[1].startswith("Contents")
    toc_links = [link for link in links(book["pdf"]) if link["page"] == 1]
    assert len(toc_links) >= 10
    toc_chars = page_chars(book["pdf"])[1]
    for link in toc_links:
        title = link["text"].split("..")[0].strip(". ")
        # the number printed on the entry's row is the page its link leads to, where
        # its title is
        low, high = link["rect"][1], link["rect"][3]
        row = sorted(
            (c for c in toc_chars if low <= (c.y0 + c.y1) / 2 <= high), key=lambda c: c.x0
        )
        printed = re.search(r"(\d+)$", "".join(c.get_text() for c in row).strip())
        assert printed and printed[1] == str(link["dest"] + 1), (title, printed)
        assert title in texts[link["dest"]], (title, link["dest"] + 1)
    # running heads on the chapter's pages after its first: its title on a left-hand
    # (even) page, the current section's on a right-hand one
    reader = PdfReader(book["pdf"])
    top = float(reader.pages[0].mediabox.top)
    first = next(n for n, text in enumerate(texts) if n > 1 and text.startswith("Deep chapter"))
    last = next(n for n, text in enumerate(texts) if n > 1 and "Wide things" in text) - 1
    assert last - first >= 3
    lines = page_lines(book["pdf"])
    for number in range(first + 1, last + 1):
        heads = [line.get_text().strip() for line in lines[number] if line.y0 > top - 60]
        assert len(heads) == 1, (number + 1, heads)
        if (number + 1) % 2 == 0:
            assert heads == ["Deep chapter"], (number + 1, heads)
        else:
            assert re.fullmatch(r"Level 2 heading \d+", heads[0]), (number + 1, heads)
            assert any(heads[0] in texts[n] for n in range(first, number + 1))


def test_nothing_leaves_the_page(book: dict) -> None:
    """No character's box lies outside the page box: the wide table of long identifiers
    and the long inline code wrap inside the text width."""
    reader = PdfReader(book["pdf"])
    for number, chars in enumerate(page_chars(book["pdf"])):
        box = reader.pages[number].mediabox
        left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
        outside = [
            c.get_text()
            for c in chars
            if c.x0 < left - 0.5 or c.x1 > right + 0.5 or c.y0 < bottom - 0.5 or c.y1 > top + 0.5
        ]
        assert not outside, f"page {number + 1}: {''.join(outside)[:80]!r} outside the page"
    # identifiers wrap at . _ / :: (or, with no such place, anywhere), never with a
    # hyphen of their own: each table cell reads as written, lines joined
    cells = set()
    for layout in extract_pages(book["pdf"], laparams=LAParams(line_margin=1.5)):
        for box in layout:
            if isinstance(box, LTTextBox):
                cells.add("".join(line.get_text().strip("\n") for line in box))
    source = (FIXTURE / "wide.rst").read_text(encoding="utf-8")
    table, text = source.split("Inline code")
    literals = re.findall(r"``([^`]+)``", table)
    assert len(literals) == 12
    for code in literals:
        assert code in cells, code
    joined = "".join(cells).replace(" ", "")
    for code in re.findall(r"``([^`]{30,})``", text):
        assert code in joined, code


def test_each_internal_link_lands_where_its_target_is(book: dict) -> None:
    """Ids the documents share (a section "Options" in both, a raw-HTML ``<span
    id="legacy-anchor">`` in both) are unique in the book, and each link "go Tn" lands
    on the page that holds "Tn here"."""
    texts = page_texts(book["pdf"])
    found = links(book["pdf"])
    checked = set()
    for link in found:
        match = re.search(r"go (T\d)", link["text"])
        if not match:
            continue
        assert "dest" in link, link
        checked.add((link["page"], match[1]))
        assert f"{match[1]} here" in texts[link["dest"]], (link, match[1])
    # chapter A links to T1, T2, T4, T5, T6; chapter B to T1, T2, T3, T4 (one in raw
    # HTML); ref/api.rst to T4 (../options-b.html#options)
    assert len(checked) == 10 and {target for _, target in checked} == {
        f"T{n}" for n in range(1, 7)
    }
    assert "Anchor defined twice" not in book["log"].stderr


def test_no_file_links_and_pages_outside_the_book_are_text(book: dict) -> None:
    uris = [link["uri"] for link in links(book["pdf"]) if "uri" in link]
    assert uris and all(uri.startswith("https://example.org/") for uri in uris), uris
    assert b"file:" not in book["pdf"].read_bytes()
    text = normalise(" ".join(page_texts(book["pdf"])))
    assert "The Index, the Module Index and the Search Page are not in the book" in text


def test_pages_outside_the_book_link_to_the_website(online: dict) -> None:
    uris = {link["uri"] for link in links(online["pdf"]) if "uri" in link}
    base = BASEURL.format(language="en")
    for page in ("genindex.html", "py-modindex.html", "search.html", "orphan.html"):
        assert base + page in uris, page
    assert base + "_downloads/kit.zip" in uris
    source = [uri for uri in uris if "_modules" in uri]  # viewcode's [source], in ref/
    assert len(source) == 3 and all(u.startswith(base + "_modules/fieldkit.html#") for u in source)
    assert b"file:" not in online["pdf"].read_bytes()


def warning_project(folder: Path) -> Path:
    """The fixture with one warning of the project's own (a reference to no document)."""
    project = folder / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    with open(project / "links.rst", "a", encoding="utf-8") as rst:
        rst.write("\nA broken reference: :doc:`nowhere`.\n")
    return project


def test_pamflet_build_passes_d_on_and_fails_on_warnings_only_with_w(tmp_path: Path) -> None:
    """As sphinx-build: ``-D`` settings reach conf.py's values; the project's warnings
    are reported, and fail the build (which then writes no PDF) only with ``-W``."""
    project = warning_project(tmp_path)
    command = [sys.executable, "-m", "pamflet.cli", "build", "pdf", "-C", str(project)]
    pdf = project / "build" / "pdf" / "en" / "index.pdf"
    lenient = run([*command, "-D", "release=9.9"], cwd=tmp_path, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert re.search(r"links\.rst:8: WARNING: unknown document: 'nowhere'", lenient.stderr)
    assert "Release 9.9" in page_texts(pdf)[0]
    pdf.unlink()
    strict = run([*command, "-W"], cwd=tmp_path, check=False)
    assert strict.returncode == 1
    assert "build FAILED" in strict.stderr and "unknown document: 'nowhere'" in strict.stderr
    assert not pdf.exists()
    assert not list((project / "build" / "pdf").rglob("*.pdf"))
    # sphinx-build -W --keep-going: the same
    result = leaflet(project, tmp_path / "out", "-W", "--keep-going", check=False)
    assert result.returncode != 0
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_the_cover_takes_title_and_author_from_latex_documents(tmp_path: Path) -> None:
    """Without ``author`` in conf.py, the root document's ``latex_documents`` entry names
    the author (LaTeX's ``\\and`` as a comma) and the title; ``pamflet_book`` wins."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    conf = (
        (project / "conf.py").read_text(encoding="utf-8").replace('author = "Ada Example"\n', "")
    )
    conf += (
        'latex_documents = [("index", "fm.tex", "The Field Manual", '
        '"Ada Example \\\\and Bo Test", "manual")]\n'
        'pamflet_book = {"subtitle": "For walkers", "date": "Spring 2026"}\n'
    )
    (project / "conf.py").write_text(conf, encoding="utf-8")
    leaflet(project, tmp_path / "out", "-W", "--keep-going")
    cover = page_texts(tmp_path / "out" / "index.pdf")[0]
    for text in ("The Field Manual", "For walkers", "Ada Example, Bo Test", "Spring 2026"):
        assert text in cover, (text, cover)


def test_no_blank_page_where_a_root_holds_only_its_toctree(tmp_path: Path) -> None:
    """A root document with nothing but a toctree (Sphinx's test-intl): cover, contents
    and one page per chapter, no page with only a running head, none at the end."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "conf.py").write_text('project = "Two chapters"\nextensions = ["pamflet"]\n')
    (project / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   one\n   two\n")
    for name in ("one", "two"):
        (project / f"{name}.rst").write_text(f"Chapter {name}\n===========\n\nText of {name}.\n")
    leaflet(project, tmp_path / "out", "-W", "--keep-going")
    texts = page_texts(tmp_path / "out" / "index.pdf")
    assert len(texts) == 4, texts
    assert "Text of one." in texts[2] and "Text of two." in texts[3]
