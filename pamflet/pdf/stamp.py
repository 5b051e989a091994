"""Clinic variants by stamping: the clinic's parts laid out alone, drawn onto pages
laid out once (issue 27).

A clinic changes three parts of a leaflet (the template's ``logo``,
``publisher_line`` and ``imprint_and_after``): its logo, in a box of fixed size on
the cover; its name, last on the cover; its imprint and what follows it, last on the
back page. Nothing else on those pages moves with the clinic. So, for each leaflet,
language and format, the cover and back page are laid out once with a mark in each
part's place (``stamp="holes"``: :class:`Holes`), and for each clinic only its parts
are laid out,
on one page with the page's size, margins and fonts (``stamp="blocks"``), and written
as a page each (``patches.weasyprint.page_showing``). Each part is moved to where the
holes' layout keeps it (the boxes' positions, from WeasyPrint's laid-out pages) and
drawn in its mark's place as a form XObject, its links with it (pikepdf).

A part that would end below its page's text area (a long name, a long note) cannot
be stamped: :meth:`Stamper.variant` returns False and the clinic gets the whole
layout (:mod:`imprint`), which is also what ``pamflet imprint --whole-layout`` does
for every clinic, and what the stamped pages are tested against
(tests/pdf/test_stamp.py: the same look at 100 dpi, the same text in the same order).

Stamping is for the untagged print formats: a tagged reader PDF's structure tree is
written from the whole document's boxes, so those keep the whole layout of the
cover and the back page (with the other pages painted once, ``patches/paint.py``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import atomic_output
from .formats import Format
from .press import print_boxes
from .printhtml import render

#: WeasyPrint lays out in CSS pixels and writes PDF points: 1 px = 0.75 pt.
PT_PER_PX = 0.75

#: The boxes that place the clinic's parts, by class: on the cover, on the back page.
LOGO, NAME, IMPRINT = "cover-logo", "cover-publisher", "back-bottom"
#: The parts of a clinic (``stamp="blocks"``), in order, and the sections that hold them.
PARTS = (LOGO, NAME, IMPRINT)
SECTIONS = ("stamp-logo", "stamp-publisher", "stamp-imprint")
#: A document of a clinic's parts: what every clinic's has the same, and its parts.
_BLOCKS = re.compile(r"(?P<head>.*?<body[^>]*>)(?P<sections>.*)(?P<tail></body>.*)", re.S)


def _box(page: Any, cls: str) -> Any:
    """The first block box on ``page`` whose element has class ``cls``."""
    from weasyprint.formatting_structure import boxes

    from ..patches.weasyprint import page_box

    for box in page_box(page).descendants():
        element = getattr(box, "element", None)
        if (
            isinstance(box, boxes.BlockBox)
            and element is not None
            and cls in (element.get("class") or "").split()
        ):
            return box
    return None


def _text_bottom(page: Any) -> float:
    """The foot of a page's text area, in CSS px from the page box's top."""
    from ..patches.weasyprint import page_box

    box = page_box(page)
    return box.content_box_y() + box.height


#: The mark of each part in the holes' layout, drawn where the part would be drawn, in
#: the order WeasyPrint paints: text first, list markers, then images. So the name and
#: the imprint (text) are marked by a dot of a colour of their own (sRGB, 0 to 255),
#: and the logo (an image) by an image of its own size (pixels). Each part is drawn in
#: its mark's place, so the text of a variant comes in the same order as from the
#: whole layout.
MARK_COLOURS = {NAME: (1, 2, 4), IMPRINT: (1, 2, 5)}
LOGO_MARK_SIZE = (7, 3)


def _png(width: int, height: int) -> str:
    """A white PNG image of ``width`` x ``height`` pixels, as a data: URL."""
    import base64
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
    return "data:image/png;base64," + base64.b64encode(png + chunk(b"IEND", b"")).decode()


#: What the print template puts in each part's place (``stamp="holes"``).
MARKS = {
    "logo": _png(*LOGO_MARK_SIZE),
    "name": "rgb({}, {}, {})".format(*MARK_COLOURS[NAME]),
    "imprint": "rgb({}, {}, {})".format(*MARK_COLOURS[IMPRINT]),
}


def _is_logo_mark(obj: Any) -> bool:
    size = (int(obj.get("/Width", 0)), int(obj.get("/Height", 0)))
    return obj.get("/Subtype") == "/Image" and size == LOGO_MARK_SIZE


@dataclass
class Holes:
    """A leaflet's PDF in one format with its cover and back page laid out with marks
    in place of a clinic's parts, and where those parts go (border-box corners, CSS px)."""

    pdf: bytes
    places: dict[str, tuple[float, float]]
    #: the foot of the text area of the cover and of the back page
    bottoms: tuple[float, float]
    #: for the cover and the back page: their content, cut at each mark (bytes), with
    #: the part that goes there and the transformation there (to undo it)
    pieces: tuple[list, list]


#: What the block that draws a mark may hold.
_MARK_OPERATORS = {"q", "Q", "cm", "re", "W", "W*", "n", "gs", "rg", "f", "f*", "Do"}


def _cut_at_marks(page: Any, expected: set[str]) -> list | None:
    """``page``'s content cut where the marks of the ``expected`` parts are drawn:
    [bytes, (part, matrix), bytes, ...]. None: a mark is missing, or drawn twice."""
    import pikepdf

    colours = {
        tuple(round(v / 255, 4) for v in colour): part for part, colour in MARK_COLOURS.items()
    }
    xobjects = page.obj.Resources.get("/XObject", {})
    images = {str(name) for name, obj in xobjects.items() if _is_logo_mark(obj)}
    ops = pikepdf.parse_content_stream(page)
    ctm = pikepdf.Matrix()
    opened, found = [], []  # the q's still open (their indexes); the marks' operators
    before: dict[int, Any] = {}  # a q's index -> the transformation it saves
    closes: dict[int, int] = {}  # a q's index -> its Q's
    for index, (operands, operator) in enumerate(ops):
        op = str(operator)
        if op == "q":
            before[index] = ctm
            opened.append(index)
        elif op == "Q" and opened:
            begin = opened.pop()
            ctm = before[begin]
            closes[begin] = index
        elif op == "cm":
            ctm = pikepdf.Matrix(*(float(v) for v in operands)) @ ctm
        elif op == "rg" and (colour := tuple(round(float(v), 4) for v in operands)) in colours:
            found.append((colours[colour], index, list(opened)))
        elif op == "Do" and str(operands[0]) in images:
            found.append((LOGO, index, list(opened)))
    # Each mark's block: the outermost q ... Q around its colour that draws nothing else
    # (WeasyPrint may clip and move there, then fills the dot).
    marks = []
    for part, at, around in found:
        for begin in around:
            end = closes.get(begin)
            inside = ops[begin + 1 : end] if end is not None else []
            if end is not None and all(
                str(o.operator) in _MARK_OPERATORS
                and (str(o.operator) not in ("rg", "Do") or i == at)
                for i, o in enumerate(inside, start=begin + 1)
            ):
                marks.append((begin, end, part, before[begin]))
                break
    marks.sort()
    if sorted(part for _, _, part, _ in marks) != sorted(expected):
        return None
    pieces: list = []
    start = 0
    for begin, end, part, matrix in marks:
        pieces += [pikepdf.unparse_content_stream(ops[start:begin]), (part, matrix)]
        start = end + 1
    pieces.append(pikepdf.unparse_content_stream(ops[start:]))
    return pieces


def with_cover_and_back(leaflet: bytes, two_pages: bytes) -> Any:
    """The PDF ``leaflet`` with the cover and the back page of ``two_pages`` in place
    of its first and last page (pikepdf, about 8 ms; pypdf took about 50 ms)."""
    import pikepdf

    pages = pikepdf.open(io.BytesIO(two_pages))
    pdf = pikepdf.open(io.BytesIO(leaflet))
    last = len(pdf.pages) - 1
    pdf.pages.append(pages.pages[1])
    del pdf.pages[last]
    pdf.pages.insert(0, pages.pages[0])
    del pdf.pages[1]
    return pdf


class Stamper:
    """Clinic variants of untagged print formats by stamping, for one worker."""

    def __init__(self, imprinter: Any) -> None:
        self.imprinter = imprinter
        self.holes: dict[tuple[str, str, str], Holes | None] = {}
        #: (clinic id, lang, docname, format) -> its parts from a batch (:meth:`prepare`)
        self.blocks: dict[tuple[str, str, str, str], tuple] = {}

    def _holes(self, base: Any, clinic: Any, lang: str, docname: str) -> Holes | None:
        key = (lang, docname, base.fmt.name)
        if key not in self.holes:
            self.holes[key] = self._lay_out_holes(base, clinic, lang)
        return self.holes[key]

    def _lay_out_holes(self, base: Any, clinic: Any, lang: str) -> Holes | None:
        fmt: Format = base.fmt
        total = base.context["pages"][fmt.name]
        markup = render(
            base.context,
            fmt.name,
            parts=("cover", "back"),
            clinic=clinic.template_data(lang),
            back_page_number=(total, total),
            stamp="holes",
            marks=MARKS,
        )
        renderer = self.imprinter.renderer
        document = renderer.render(markup, base.html_path, fmt, str(base.html_path))
        if len(document.pages) != 2:
            return None
        cover, back = document.pages
        found = {cls: _box(page, cls) for page, cls in ((cover, LOGO), (cover, NAME))}
        found[IMPRINT] = _box(back, IMPRINT)
        if any(box is None for box in found.values()):
            return None
        pdf = with_cover_and_back(base.pdf_bytes, renderer.pdf_bytes(document, fmt))
        cut = [_cut_at_marks(pdf.pages[0], {LOGO, NAME}), _cut_at_marks(pdf.pages[-1], {IMPRINT})]
        if None in cut:
            return None
        xobjects = pdf.pages[0].obj.Resources.get("/XObject", {})
        for name in [name for name, obj in xobjects.items() if _is_logo_mark(obj)]:
            del xobjects[name]  # the logo's mark, drawn no more
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return Holes(
            out.getvalue(),
            {cls: (box.border_box_x(), box.border_box_y()) for cls, box in found.items()},
            (_text_bottom(cover), _text_bottom(back)),
            (cut[0], cut[1]),
        )

    def _markup(self, base: Any, clinic: Any, lang: str) -> str:
        fmt = base.fmt
        data = clinic.template_data(lang)
        return render(base.context, fmt.name, parts=("cover", "back"), clinic=data, stamp="blocks")

    def prepare(self, base: Any, clinics: list[Any], lang: str, docname: str) -> None:
        """Lay out the parts of many ``clinics`` in one document, and write it as one PDF,
        for :meth:`variant`: a layout and a PDF have a fixed cost that a clinic's few
        lines would pay alone. Each clinic's parts start a page and the page rules are
        the same for every page, so each clinic's page is that of its own document. When
        the pages do not come out as one a clinic, each clinic is done on its own."""
        if len(clinics) < 2:
            return
        split = [_BLOCKS.fullmatch(self._markup(base, c, lang)) for c in clinics]
        if not all(split) or len({(m["head"], m["tail"]) for m in split}) != 1:
            return
        first = split[0]
        markup = first["head"] + "".join(m["sections"] for m in split) + first["tail"]
        roots = self.imprinter.renderer.fetcher.roots
        added = sorted({c.path.parent.resolve() for c in clinics})
        roots.extend(added)
        names = ", ".join(str(c.path) for c in clinics)
        try:
            document = self.imprinter.renderer.render(markup, base.html_path, base.fmt, names)
        except Exception:  # e.g. a refused logo: each clinic reports its own error
            return
        finally:
            del roots[len(roots) - len(added) :]
        if len(document.pages) != len(clinics):
            return
        for clinic, page in zip(clinics, document.pages, strict=True):
            key = (clinic.id, lang, docname, base.fmt.name)
            pdf = self._parts_pdf(document, page, base.fmt)
            self.blocks[key] = (pdf, [_box(page, cls) for cls in PARTS])

    def _parts_pdf(self, document: Any, page: Any, fmt: Format) -> Any:
        """The parts on ``page`` of ``document`` as a PDF of a page each (pikepdf): a
        PDF of one clinic's parts alone, so that its bytes (its fonts) are the same in
        any batch."""
        import pikepdf

        from ..patches.weasyprint import page_showing

        pages = [
            page_showing(page, [box] if (box := _box(page, cls)) is not None else [])
            for cls in SECTIONS
        ]
        # a new document (Document.copy): its fonts hold only the glyphs it draws
        data = self.imprinter.renderer.pdf_bytes(document.copy(pages), fmt)
        return pikepdf.open(io.BytesIO(data))

    def _blocks(self, base: Any, clinic: Any, lang: str, docname: str) -> tuple | None:
        """The clinic's parts: (a PDF of a page each, their boxes)."""
        found = self.blocks.pop((clinic.id, lang, docname, base.fmt.name), None)
        if found is not None:
            return found
        blocks = self.imprinter._layout(self._markup(base, clinic, lang), base, base.fmt, clinic)
        if len(blocks.pages) != 1:
            return None  # they do not fit on one page: too large to stamp
        page = blocks.pages[0]
        return self._parts_pdf(blocks, page, base.fmt), [_box(page, cls) for cls in PARTS]

    def variant(self, base: Any, clinic: Any, lang: str, docname: str, target: Path) -> bool:
        """Write ``clinic``'s variant of ``base`` to ``target`` by stamping; False
        (nothing written) when a part does not fit where the leaflet keeps it."""
        import pikepdf

        holes = self._holes(base, clinic, lang, docname)
        found = self._blocks(base, clinic, lang, docname) if holes is not None else None
        if found is None:
            return False
        stamps, boxes = found
        moves = []
        for cls, box in zip(PARTS, boxes, strict=True):
            if box is None:
                return False
            x, y = holes.places[cls]
            area = (
                box.border_box_x(),
                box.border_box_y(),
                box.border_width(),
                box.border_height(),
            )
            dx, dy = x - area[0], y - area[1]
            if area[1] + area[3] + dy > holes.bottoms[cls == IMPRINT] + 0.01:
                return False  # it would end below the page's text area
            if cls != LOGO or clinic.logo:  # no logo: nothing to draw
                moves.append((stamps.pages[PARTS.index(cls)], cls, dx, dy))
        pdf = pikepdf.open(io.BytesIO(holes.pdf))
        parts = {cls: (part, dx, dy) for part, cls, dx, dy in moves}
        for page, pieces in zip((pdf.pages[0], pdf.pages[-1]), holes.pieces, strict=True):
            _draw(pdf, page, stamps, pieces, parts)
        if base.fmt.bleed_mm:
            print_boxes(pdf, base.fmt)
        with atomic_output(target) as tmp:
            pdf.save(tmp, deterministic_id=True)
        return True


def _draw(pdf: Any, page: Any, source: Any, pieces: list, parts: dict[str, tuple]) -> None:
    """Give ``page`` its content again (``pieces``: :func:`_cut_at_marks`) with each of
    ``parts`` (class -> a page of the PDF ``source``, dx, dy in CSS px) drawn in its
    mark's place, moved, with its links."""
    import pikepdf

    content = []
    for piece in pieces:
        if isinstance(piece, bytes):
            content.append(piece)
            continue
        cls, matrix = piece
        if cls not in parts:
            continue  # nothing to draw there (no logo)
        part, dx, dy = parts[cls]
        form = part.as_form_xobject()
        form.BBox = pikepdf.Array(part.mediabox)  # the whole page, not clipped to the trim
        # a name of its own, the same every time (pikepdf's prefix= adds a random part)
        name = pikepdf.Name(f"/Stamp{cls.replace('-', '')}")
        page.add_resource(
            pdf.copy_foreign(form), pikepdf.Name.XObject, name, replace_existing=True
        )
        x, y = dx * PT_PER_PX, -dy * PT_PER_PX
        # back to the page's own coordinates (from the transformation at the mark), moved
        undo = " ".join(f"{v:.6f}" for v in matrix.inverse().shorthand)
        content.append(f"\nq {undo} cm 1 0 0 1 {x:.3f} {y:.3f} cm {name} Do Q\n".encode())
        for annot in part.obj.get("/Annots", []):
            # without /P, its page: that would copy the part's page along
            own = pikepdf.Dictionary({k: v for k, v in annot.items() if k != "/P"})
            moved = pdf.copy_foreign(source.make_indirect(own))
            left, bottom, right, top = (float(v) for v in moved.Rect)
            moved.Rect = pikepdf.Array([left + x, bottom + y, right + x, top + y])
            if "/Annots" not in page.obj:
                page.obj.Annots = pdf.make_indirect(pikepdf.Array())
            page.obj.Annots.append(moved)
    page.obj.Contents = pdf.make_stream(b"".join(content))
