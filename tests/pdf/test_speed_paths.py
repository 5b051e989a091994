"""The faster paths of issue 15 give the same PDFs as the slow ones, byte for byte:

- the render process (WeasyPrint loads while Sphinx reads) and rendering in the
  Sphinx process (``pamflet_render_process = False``, as the watcher does);
- the print file without crop marks painted from the print file's layout, and laid
  out on its own;
- a rebuild that starts from the last build's number of "Notes" pages, right or
  wrong, and a build from clean;
- SVG images drawn once and replayed (clinic variants), and drawn each time;
- languages built together (render processes forked by one zygote) and apart;
- line breaks and compressed streams remembered (``patches/lines.py``,
  ``patches/pydyf.py``) and done each time.

Each test also checks that the fast path was taken: a fallback to the slow path that
gave the same bytes would otherwise pass unnoticed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, leaflet, pdf_text, run

SHORT = ROOT / "benchmarks" / "short"
EPOCH = {"SOURCE_DATE_EPOCH": "1795132800"}

pytestmark = pytest.mark.patches  # asserts on the patches themselves


def _short(tmp_path: Path) -> Path:
    copy = tmp_path / "short"
    shutil.copytree(SHORT, copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def _build(project: Path, out: Path, formats: str, *extra: str) -> dict[str, bytes]:
    leaflet(
        project / "source",
        out,
        "-c",
        str(project),
        "-D",
        "language=nl",
        "-D",
        f"pamflet_formats={formats}",
        "-W",
        "--keep-going",
        *extra,
        env=EPOCH,
    )
    return {pdf.name: pdf.read_bytes() for pdf in sorted(out.glob("*.pdf"))}


@pytest.mark.slow
def test_the_render_process_writes_the_same_pdfs_as_one_process(tmp_path: Path) -> None:
    project = _short(tmp_path)
    formats = "a5,a5-print,a5-print-nomarks,booklet"
    out = tmp_path / "forked"
    command = [sys.executable, "-m", "sphinx", "-b", "leaflet", "-c", str(project), "-W"]
    command += ["-D", "language=nl", "-D", f"pamflet_formats={formats}"]
    said = run([*command, str(project / "source"), str(out)], env=EPOCH).stdout
    # the child did the work (a child that died would leave it to this process, silently)
    assert "laid out and written in the render process" in said, said
    assert "forked by the builder" in said
    forked = {pdf.name: pdf.read_bytes() for pdf in sorted(out.glob("*.pdf"))}
    alone = _build(project, tmp_path / "alone", formats, "-D", "pamflet_render_process=0")
    assert sorted(forked) == sorted(f"visit-{f}.pdf" for f in formats.split(","))
    assert forked == alone


@pytest.mark.slow
def test_the_no_marks_file_painted_from_the_print_layout_is_the_same(tmp_path: Path) -> None:
    project = _short(tmp_path)
    both = _build(project, tmp_path / "both", "a5-print,a5-print-nomarks")
    alone = _build(project, tmp_path / "alone", "a5-print-nomarks")
    assert both["visit-a5-print-nomarks.pdf"] == alone["visit-a5-print-nomarks.pdf"]
    assert both["visit-a5-print-nomarks.pdf"] != both["visit-a5-print.pdf"]  # no marks


@pytest.mark.slow
def test_a_rebuild_from_the_last_filler_count_right_or_wrong_is_the_same(tmp_path: Path) -> None:
    project = _short(tmp_path)
    out = tmp_path / "out"
    clean = _build(project, out, "a5")
    context_path = out / "_print" / "visit.json"
    context = json.loads(context_path.read_text(encoding="utf-8"))
    right = context["fillers"]["a5"]
    keys = out / "_print" / "keys"  # forgotten, so that the rebuild lays out again
    shutil.rmtree(keys)
    assert _build(project, out, "a5") == clean  # starts from the right count
    for wrong in {1, 2, 3} - {right}:
        context["fillers"]["a5"] = wrong
        context_path.write_text(json.dumps(context), encoding="utf-8")
        shutil.rmtree(keys)
        assert _build(project, out, "a5") == clean, wrong
        saved = json.loads(context_path.read_text(encoding="utf-8"))
        assert saved["fillers"]["a5"] == right


@pytest.mark.slow
def test_one_padded_layout_is_the_same_as_a_layout_with_the_right_fillers(
    tmp_path: Path,
) -> None:
    """The short leaflet with 0 to 7 extra pages of text: every number of "Notes"
    pages (0 to 3). One layout with 3 fillers, trimmed by WeasyPrint's own re-making of
    pages, against a layout with the right number from the start: the same bytes."""
    from pamflet.pdf import printhtml
    from pamflet.pdf.formats import FORMATS
    from pamflet.pdf.renderer import Renderer

    project = _short(tmp_path)
    out = tmp_path / "out"
    _build(project, out, "a5")
    context = printhtml.load_context(out / "_print" / "visit.json")
    fmt = FORMATS["a5"]
    html_path = out / "_print" / "visit.a5.html"
    renderer = Renderer([project, out])
    paragraph = "<p>" + "Lees de brief met uw afspraak. " * 30 + "</p>"
    kept_counts = set()
    for extra in range(8):
        page = dict(context, body=context["body"] + paragraph * 2 * extra)
        page["fillers"] = {"a5": 0}
        plain = len(renderer.render(printhtml.render(page, "a5"), html_path, fmt, "t").pages)
        right = (-plain) % fmt.pad_to
        page["fillers"] = {"a5": 3}
        padded, kept = renderer.render_padded(printhtml.render(page, "a5"), html_path, fmt, "t")
        assert kept == right, extra
        kept_counts.add(kept)
        page["fillers"] = {"a5": right}
        exact = renderer.render(printhtml.render(page, "a5"), html_path, fmt, "t")
        assert len(padded.pages) == len(exact.pages) == plain + right
        assert len(padded.pages) % 4 == 0
        assert padded.write_pdf(**fmt.options) == exact.write_pdf(**fmt.options), extra
    assert kept_counts == {0, 1, 2, 3}


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" viewBox="0 0 240 80">
  <rect x="0" y="0" width="80" height="80" rx="16" fill="#1f6f50" fill-opacity="0.8"/>
  <path d="M40 14 C58 30 58 50 40 66 C22 50 22 30 40 14 Z" fill="#ffffff"/>
  <text x="92" y="36" font-family="sans-serif" font-size="20" fill="#1f6f50">Kliniek</text>
</svg>"""


@pytest.mark.slow
def test_an_svg_drawn_again_is_replayed_and_the_pdf_is_the_same(tmp_path: Path) -> None:
    """An SVG image (a logo with text, a QR code) drawn at the same size and place
    replays its first drawing; the PDF is the same bytes as drawing it every time,
    also where the colour and opacity in force differ between the two places."""
    from pamflet.patches.paint import PaintCache
    from pamflet.pdf.formats import FORMATS
    from pamflet.pdf.renderer import Renderer

    (tmp_path / "logo.svg").write_text(SVG, encoding="utf-8")
    logo = '<img alt="Logo" src="logo.svg" style="width: {}mm">'
    markup = (
        f'<html lang="nl"><body><p>Een {logo.format(40)}</p>'
        f'<p style="color: #c00; opacity: 0.7">Twee {logo.format(40)} {logo.format(20)}</p>'
        "</body></html>"
    )
    fmt = FORMATS["a5"]
    renderer = Renderer([tmp_path])
    document = renderer.render(markup, tmp_path / "page.html", fmt, "test")
    drawn_each_time = renderer.pdf_bytes(document, fmt)
    cache = PaintCache()
    with cache.images(renderer.cache):
        first = renderer.pdf_bytes(document, fmt)
        assert cache.replayed == 0
        second = renderer.pdf_bytes(document, fmt)
    assert cache.replayed == 3  # three places, each replayed in the second PDF
    assert first == second == drawn_each_time
    out = tmp_path / "second.pdf"
    out.write_bytes(second)
    assert pdf_text(out).count("Kliniek") == 3  # the logo's text, three times


@pytest.mark.slow
def test_languages_built_together_share_a_zygote_and_write_the_same_pdfs(tmp_path: Path) -> None:
    """``pamflet build`` with two languages forks their render processes from one
    zygote (WeasyPrint imported once); the PDFs are the same bytes as building each
    language on its own, with its own render process."""
    project = _short(tmp_path)
    cmd = [sys.executable, "-m", "pamflet.cli", "build", "pdf", "-C", str(project)]
    cmd += ["-f", "a5", "a5-print"]
    run([*cmd, "-l", "en", "nl", "-o", str(tmp_path / "together")], env=EPOCH)
    for language in ("en", "nl"):  # each language's render process came from the zygote
        log = (tmp_path / "together" / "logs" / f"{language}.log").read_text(encoding="utf-8")
        assert "laid out and written in the render process" in log, log
        assert "forked by the zygote" in log
    for language in ("en", "nl"):
        run([*cmd, "-l", language, "-o", str(tmp_path / "apart")], env=EPOCH)

    def pdfs(out: Path) -> dict[str, bytes]:
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}

    together = pdfs(tmp_path / "together" / "pdf")
    assert sorted(together) == sorted(
        f"{lang}/visit-{fmt}.pdf" for lang in ("en", "nl") for fmt in ("a5", "a5-print")
    )
    assert together == pdfs(tmp_path / "apart" / "pdf")


@pytest.mark.slow
def test_the_zygote_forks_a_render_process_per_language() -> None:
    from pamflet.pdf import renderproc

    renderproc.start_zygote()
    try:
        zygote = renderproc._zygote[0]
        handle = renderproc.RenderProcess.start("nl", take=False)
        assert handle is not None and handle.process is None  # not this process's child
        assert handle.alive()
        handle.close()
        assert not handle.alive()
    finally:
        renderproc.stop_zygote()
    assert not renderproc._zygote
    with pytest.raises(ChildProcessError):  # stopped and waited for
        os.waitpid(zygote.pid, os.WNOHANG)


#: Text that takes every way through WeasyPrint's line breaking: automatic and manual
#: hyphenation, justification, letter and word spacing, tabs, an ellipsis, underlines,
#: right-to-left text, a ``calc()`` hyphenation zone.
REUSE_MARKUP = """<html lang="nl"><body>
<p style="hyphens: auto; text-align: justify">Behandelingsovereenkomsten en
geneesmiddelenonderzoek vragen zorgvuldigheid; de posttraumatischestressstoornis
wordt besproken met de behandelaar, die de risico's en de voordelen toelicht.</p>
<p style="letter-spacing: 0.1em; word-spacing: 0.3em">Een zin met extra ruimte tussen de
woorden en de letters, lang genoeg om over twee regels te lopen in een A5-pagina.</p>
<p>Hand&shy;matige af&shy;breking in een heel&shy;lange&shy;woorden&shy;reeks&shy;die&shy;
niet&shy;past&shy;op&shy;een&shy;regel&shy;van&shy;een&shy;kleine&shy;pagina.</p>
<pre>kolom\teen\ttwee</pre>
<div style="white-space: nowrap; overflow: hidden; text-overflow: ellipsis; width: 30mm">
Deze regel is te lang voor zijn vak en krijgt een beletselteken</div>
<p style="text-decoration: underline; font-variant: small-caps">Onderstreept, klein kapitaal</p>
<p lang="ar" dir="rtl">العلاج بمساعدة المخدرات للاضطراب ما بعد الصدمة، مع الطبيب المعالج.</p>
<p style="hyphens: auto; hyphenate-limit-zone: calc(1rem + 2px)">Geneesmiddelen
behandelingsovereenkomst ziekenhuisopname</p>
</body></html>"""

#: The same text, two paragraphs in another style: their lines must be broken anew.
REUSE_OTHER = REUSE_MARKUP.replace("0.1em", "0.25em").replace(
    "text-align: justify", "text-align: justify; font-size: 13px"
)

REUSE_REFERENCE = """
import sys
from pathlib import Path
from pamflet.pdf.formats import FORMATS
from pamflet.pdf.renderer import Renderer, patched
from pamflet.patches import weasyprint, pydyf
folder = Path(sys.argv[1])
fmt = FORMATS["a5"]
with patched():  # every patch off but lang-tags, which adds to the tags (not for speed)
    on = [p.name for p in (*weasyprint.RENDERING, *pydyf.RENDERING) if p.installed]
    assert on == ["weasyprint.lang-tags"], on
for name in ("page", "other"):
    html = folder / f"{name}.html"
    renderer = Renderer([folder])
    document = renderer.render(html.read_text(encoding="utf-8"), html, fmt, "test")
    (folder / f"{name}.pdf").write_bytes(renderer.pdf_bytes(document, fmt))
"""


def test_line_breaks_and_compression_done_once_give_the_same_pdf(tmp_path: Path) -> None:
    """Laying out and writing the same text again in one process answers from the
    patches (line breaks, compressed streams, page references); the PDF is the same
    bytes as WeasyPrint and pydyf alone (those patches off, another process; lang-tags,
    which writes the Arabic paragraph's /Lang, on in both)."""
    from pamflet.patches import pydyf as pydyf_patches
    from pamflet.patches.weasyprint import RENDERING as WEASYPRINT_RENDERING
    from pamflet.patches.weasyprint import line_breaks
    from pamflet.pdf.formats import FORMATS
    from pamflet.pdf.renderer import Renderer, patched

    assert REUSE_OTHER != REUSE_MARKUP
    (tmp_path / "page.html").write_text(REUSE_MARKUP, encoding="utf-8")
    (tmp_path / "other.html").write_text(REUSE_OTHER, encoding="utf-8")
    script = tmp_path / "reference.py"
    script.write_text(REUSE_REFERENCE, encoding="utf-8")
    speed = [p.name for p in (*WEASYPRINT_RENDERING, *pydyf_patches.RENDERING)]
    off = ",".join(f"-{name}" for name in speed if name != "weasyprint.lang-tags")
    run([sys.executable, str(script), str(tmp_path)], env={"PAMFLET_PATCHES": off})
    reference = (tmp_path / "page.pdf").read_bytes()

    fmt = FORMATS["a5"]
    renderer = Renderer([tmp_path])
    first = renderer.render(REUSE_MARKUP, tmp_path / "page.html", fmt, "test")
    pdfs = [renderer.pdf_bytes(first, fmt)]
    lines, deflate = line_breaks(), pydyf_patches.deflate
    import pydyf

    with patched():  # the PDFs below are serialised by pamflet's _to_bytes
        assert pydyf._to_bytes is pydyf_patches.to_bytes
    assert pydyf._to_bytes is not pydyf_patches.to_bytes  # and only meanwhile
    hits, misses, deflated = lines.hits, lines.misses, deflate.hits
    second = renderer.render(REUSE_MARKUP, tmp_path / "page.html", fmt, "test")
    pdfs.append(renderer.pdf_bytes(second, fmt))
    # the second layout and PDF answered from what the first did
    assert lines.hits - hits >= 12 and lines.misses == misses
    assert deflate.hits - deflated >= 3  # the page, a font, its character map
    assert pdfs[0] == pdfs[1] == reference
    # the same text in another style: those lines are broken again, the rest answered
    hits, misses = lines.hits, lines.misses
    other = renderer.render(REUSE_OTHER, tmp_path / "other.html", fmt, "test")
    assert renderer.pdf_bytes(other, fmt) == (tmp_path / "other.pdf").read_bytes()
    assert lines.misses - misses >= 5 and lines.hits - hits >= 8
    out = tmp_path / "second.pdf"
    out.write_bytes(pdfs[1])
    text = pdf_text(out)
    assert "Deze regel is" in text and "Onderstreept" in text
    assert "kolom" in text and "العلاج" in text


def test_a_line_break_that_read_more_than_the_style_is_not_kept() -> None:
    """An answer that read something of the style other than its properties and font
    configuration (the root style, say) cannot be checked against a later style: it is
    worked out again each time."""
    from pamflet.patches.lines import LineBreaks

    class Style(dict):
        font_config = object()
        root_style = {"font_size": 16}

    calls = []

    def split(text, style, context, max_width, spacing, is_line_start=True, minimum=False):
        calls.append(text)
        size = style["font_size"] + (style.root_style["font_size"] if "rem" in text else 0)
        return (Style(), len(text), None, size, 1.0, 0.8)

    lines = LineBreaks(split)
    style = Style(font_size=12)
    for _ in range(3):
        assert lines("plain", style, None, 100, 0)[3] == 12
        assert lines("rem", style, None, 100, 0)[3] == 28
    assert calls == ["plain", "rem", "rem", "rem"]
    assert lines("plain", Style(font_size=13), None, 100, 0)[3] == 13  # a value differs
    assert calls[-1] == "plain"


def test_one_text_keeps_the_line_breaks_of_its_latest_styles_only() -> None:
    from pamflet.patches.lines import STYLES_LIMIT, LineBreaks

    class Style(dict):
        font_config = object()

    calls = []

    def split(text, style, context, max_width, spacing, is_line_start=True, minimum=False):
        calls.append(style["font_size"])
        return (Style(), len(text), None, style["font_size"], 1.0, 0.8)

    lines = LineBreaks(split)
    for size in range(3 * STYLES_LIMIT):
        lines("tekst", Style(font_size=size), None, 100, 0)
    newest = 3 * STYLES_LIMIT - 1
    assert lines("tekst", Style(font_size=newest), None, 100, 0)[3] == newest
    assert lines("tekst", Style(font_size=0), None, 100, 0)[3] == 0  # gone: broken again
    assert calls == [*range(3 * STYLES_LIMIT), 0]


def test_serialising_by_exact_type_gives_what_pydyf_gives() -> None:
    """patches.pydyf.to_bytes tests bytes, str and int by their exact type first; every
    value gives pydyf's own answer (or its error)."""
    import pydyf

    from pamflet.patches import pydyf as patches

    own = patches.original_to_bytes()
    assert own is pydyf._to_bytes and own is not patches.to_bytes

    class Text(str):
        def __str__(self) -> str:
            return "other"

    values = [b"q", b"", "/Name", "", 0, -7, 2**70, True, False, 1.0, -0.25, 1e-7, 3.5]
    values += [Text("x"), pydyf.Array([1, "/A", 2.5]), pydyf.Dictionary({"K": b"1 0 R"})]
    values += [pydyf.String("(a)"), None, Text("\u00ef")]  # a subclass: by its own str()
    for value in values:
        assert patches.to_bytes(value) == own(value), value
    for call in (own, patches.to_bytes):
        with pytest.raises(UnicodeEncodeError):
            call("\u00efndex")


@pytest.mark.slow
def test_crop_marks_are_drawn_once_and_the_print_pdf_is_the_same(tmp_path: Path) -> None:
    """WeasyPrint writes a print page's crop marks as an SVG and draws it on every page;
    within ``PaintCache.images`` one image per distinct SVG is drawn once and replayed:
    the same bytes as drawing it on every page, and WeasyPrint's own name is back after."""
    import weasyprint.draw

    from pamflet.patches.paint import PaintCache
    from pamflet.pdf.formats import FORMATS
    from pamflet.pdf.renderer import Renderer

    made = weasyprint.draw.SVGImage
    fmt = FORMATS["a5-print"]
    markup = '<html lang="nl"><body><p>Een</p><p style="break-before: page">Twee</p></body></html>'
    renderer = Renderer([tmp_path])

    def written() -> bytes:  # a new layout each time: painting adds the marks to it
        document = renderer.render(markup, tmp_path / "page.html", fmt, "test")
        assert len(document.pages) == 2
        return document.write_pdf(**fmt.options)

    drawn_each_time = written()
    cache = PaintCache()
    with cache.images(renderer.cache):
        first = written()
        second = written()
    assert weasyprint.draw.SVGImage is made
    assert len(cache._marks_made) == 1  # the same marks on both pages
    assert cache.replayed == 3  # the second page of the first PDF, both of the second
    assert first == second == drawn_each_time
