"""Pages and SVG images painted once for many PDFs (``weasyprint.paint-once``).

Clinic variants of a tagged reader PDF share every page but the cover and the back
page, and WeasyPrint paints every page of every PDF it writes (most of the time of
writing one); it draws an SVG image (the QR code, a clinic's logo, a print page's
crop marks) from its parsed tree every time. :class:`PaintCache` records what one
painting or drawing did to a PDF content stream (:class:`_Recorded`) and replays it
where the same is drawn again in the same state: the PDFs are the same bytes
(tests/pdf/test_imprint.py, tests/pdf/test_speed_paths.py).

This relies on the state WeasyPrint's ``Stream`` keeps (``_ctm_stack``,
``_resources``, ``_tags``, ``_images``, the current colour and font): the contract
of ``weasyprint.PAINT_ONCE``.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any

_ALPHA = re.compile(r"[aA][0-9.]+")

#: The graphics state WeasyPrint's stream keeps to leave out an operator that would
#: set what is already set (a colour, an opacity, a font).
_STATE = (
    "_current_color",
    "_current_color_stroke",
    "_current_alpha",
    "_current_alpha_stroke",
    "_current_font",
    "_current_font_size",
    "_old_font",
    "_old_font_size",
)


def _entry(stream: Any) -> tuple:
    """What the operators a drawing adds to ``stream`` depend on, besides the drawing:
    the graphics state as the stream keeps it, its last operator when the stream would
    merge with it ('q' then 'Q' cancel out, 'ET' then 'BT' join), and the
    transformation matrix with the depth of its stack."""
    last = stream.stream[-1] if stream.stream else None
    return (
        tuple(getattr(stream, name) for name in _STATE),
        last if isinstance(last, bytes) and last in (b"q", b"ET") else None,
        tuple(map(tuple, stream.ctm)),
        len(stream._ctm_stack),
    )


class _Recorded:
    """What drawing something did to a PDF content stream, to do it again.

    The drawing is done on a scratch stream that starts in the same state (see
    :func:`_entry`) with no fonts and no resources, so the record holds everything the
    drawing uses: the operators, the fonts with every glyph drawn (widths, text), the
    opacity states (named by their value), the marked-content tags and the state it
    leaves. A drawing that adds anything named by a count (a group, an image, a
    pattern, a state) or draws a glyph its font lacks is not recorded (``ok`` is
    False): it is drawn each time.

    ``tags``: "replay" records the marked-content tags the drawing adds (a page of a
    tagged PDF), "none" refuses a drawing that adds any (an image).
    """

    def __init__(self, draw: Any, stream: Any, tags: str = "replay") -> None:
        import pydyf

        self.entry = _entry(stream)
        fonts: list[tuple[Any, Any]] = []
        resources = pydyf.Dictionary(
            {
                "ExtGState": pydyf.Dictionary(),
                "XObject": pydyf.Dictionary(),
                "Pattern": pydyf.Dictionary(),
                "Shading": pydyf.Dictionary(),
                "ColorSpace": stream._resources["ColorSpace"],
            }
        )
        before = None if stream._tags is None else dict(stream._tags)
        scratch = stream.clone(fonts={}, resources=resources, images={}, tags=before)
        scratch._ctm_stack = list(stream._ctm_stack)
        for name in _STATE:
            setattr(scratch, name, getattr(stream, name))
        merged = self.entry[1]  # the operator a 'Q' or a 'BT' would merge with
        if merged is not None:
            scratch.stream.append(merged)
        add_font = scratch.add_font

        def recording_add_font(pango_font):
            font, size = add_font(pango_font)
            if all(font is not known for _, known in fonts):
                fonts.append((pango_font, font))
            return font, size

        scratch.add_font = recording_add_font
        draw(scratch)
        kept = merged is None or (scratch.stream[:1] == [merged])
        self.ok = (
            kept
            and len(scratch._ctm_stack) == len(stream._ctm_stack)
            and not scratch._images
            and not any(resources[name] for name in ("XObject", "Pattern", "Shading"))
            and all(_ALPHA.fullmatch(key) for key in resources["ExtGState"])
            and not any(font.missing for _, font in fonts)
            and (tags == "replay" or scratch._tags == before)
        )
        self.operators = list(scratch.stream[0 if merged is None else 1 :])
        self.exit = {name: getattr(scratch, name) for name in _STATE}
        self.ctm = scratch._ctm_stack[-1]
        self.fonts = [
            (pango_font, font.hash, dict(font.widths), dict(font.to_unicode))
            for pango_font, font in fonts
        ]
        self.states = [(key, dict(value)) for key, value in resources["ExtGState"].items()]
        self.tags_before = None
        self.tags_after = None
        if tags == "replay" and stream._tags is not None:
            self.tags_before = list(stream._tags.items())
            self.tags_after = [(k, dict(v)) for k, v in scratch._tags.items()]

    def replay(self, stream: Any) -> bool:
        """Do to ``stream`` what the drawing did; False if it cannot be done."""
        import pydyf

        if not self.ok or _entry(stream) != self.entry:
            return False
        before = None if stream._tags is None else list(stream._tags.items())
        if self.tags_before is not None and before != self.tags_before:
            return False
        for pango_font, name, widths, to_unicode in self.fonts:
            font, _ = stream.add_font(pango_font)
            if font.hash != name:
                raise AssertionError("a recorded font came back under another name")
            for glyph, width in widths.items():
                font.widths.setdefault(glyph, width)
            for glyph, text in to_unicode.items():
                font.to_unicode.setdefault(glyph, text)
        states = stream._resources["ExtGState"]
        for key, value in self.states:
            if key not in states:
                states[key] = pydyf.Dictionary(value)
        stream.stream.extend(self.operators)
        for name, value in self.exit.items():
            setattr(stream, name, value)
        stream._ctm_stack[-1] = self.ctm
        if self.tags_after is not None:
            for box, tag in self.tags_after[len(before) :]:
                stream._tags[box] = dict(tag)
        return True


class PaintCache:
    """Paints each page of a laid-out document, and each SVG image, once for many PDFs.

    Clinic variants of a tagged reader PDF share every page but the cover and the
    back page, and WeasyPrint paints every page of every PDF it writes (most of the
    time of writing one). Within :meth:`applied`, the given pages replay what their
    first painting did. Within :meth:`images`, an SVG image (the leaflet's QR code,
    a clinic's logo) drawn again at the same size and place replays its first drawing:
    WeasyPrint draws an SVG from its parsed tree every time, a third of writing a
    clinic's cover and back page. The PDFs are the same bytes
    (tests/pdf/test_imprint.py).
    """

    def __init__(self) -> None:
        self._records: dict[tuple, tuple[Any, _Recorded]] = {}
        self._marks_made: dict[tuple, Any] = {}  # crop marks SVG -> its image
        #: drawings done again from a record (not counting the recording itself)
        self.replayed = 0

    @contextlib.contextmanager
    def applied(self, pages: list[Any]):
        for page in pages:
            page.paint = functools.partial(self._paint, page)
        try:
            yield
        finally:
            for page in pages:
                page.__dict__.pop("paint", None)

    def _paint(self, page: Any, stream: Any, scale: float = 1) -> None:
        self._replay_or_draw(
            (id(page), scale), page, stream, lambda on: type(page).paint(page, on, scale)
        )

    @contextlib.contextmanager
    def images(self, cache: dict):
        """SVG images of WeasyPrint's image ``cache`` replay their drawing meanwhile, and
        so do the crop marks of a print file (see :meth:`_marks`)."""
        import weasyprint.draw
        from weasyprint.images import SVGImage

        found = [image for image in cache.values() if isinstance(image, SVGImage)]
        for image in found:
            image.draw = functools.partial(self._draw, image)
        made = weasyprint.draw.SVGImage
        weasyprint.draw.SVGImage = self._marks
        try:
            yield
        finally:
            weasyprint.draw.SVGImage = made
            for image in found:
                image.__dict__.pop("draw", None)

    def _marks(self, tree: Any, base_url: Any, url_fetcher: Any, context: Any) -> Any:
        """``weasyprint.draw``'s ``SVGImage``, which it calls only for the crop marks: it
        writes them as an SVG, parses it and draws it on every page of a print file
        (a tenth of writing a clinic's two print pages). One image per distinct SVG,
        whose drawing is replayed like any other SVG image's."""
        from xml.etree import ElementTree

        from weasyprint.images import SVGImage

        key = (ElementTree.tostring(tree), base_url, url_fetcher, context)
        if key not in self._marks_made:
            image = SVGImage(tree, base_url, url_fetcher, context)
            image.draw = functools.partial(self._draw, image)
            self._marks_made[key] = image
        return self._marks_made[key]

    def _draw(self, image: Any, stream: Any, width: float, height: float, style: Any) -> None:
        self._replay_or_draw(
            (id(image), width, height, _entry(stream)),
            image,
            stream,
            lambda on: type(image).draw(image, on, width, height, style),
            tags="none",
        )

    def _replay_or_draw(
        self, key: tuple, owner: Any, stream: Any, draw: Any, tags: str = "replay"
    ) -> None:
        """Replay the record under ``key`` on ``stream`` (made by drawing once on a
        scratch stream), or draw on ``stream`` when it cannot be replayed. ``owner``
        (the page or image) is kept alive with its record: ``key`` holds its id."""
        fresh = key not in self._records
        if fresh:
            self._records[key] = (owner, _Recorded(draw, stream, tags))
        if self._records[key][1].replay(stream):
            self.replayed += not fresh
        else:
            draw(stream)
