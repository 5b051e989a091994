"""The ``lang-tags`` patch of WeasyPrint: a structure element of the tagged PDF says
its language when its HTML element does.

WeasyPrint 70 writes the document's language (``/Lang`` of the catalog, from
``<html lang>``) and nothing for the elements inside: a passage left in English in
a Dutch leaflet (``<span lang="en">``, see ``pamflet/untranslated.py``) is read by
a screen reader with Dutch rules. PDF/UA (ISO 14289-1, 7.2) asks for the language
of every passage that differs from the document's; the structure element's
``/Lang`` entry (ISO 32000-1, 14.9.2) carries it, and children inherit it.

WeasyPrint's tag tree is built by the recursive generator
``weasyprint.pdf.tags._build_box_tree``, one call per box, which yields the box's
own structure element (or, for ``html``, ``body``, page and margin boxes, the
elements of their children). The patch wraps that generator: where the box's
element has a ``lang`` attribute, the element it yields for that box gets the
``/Lang``. The recursion goes through the module's global name, so every level
passes through the wrapper. Nothing else changes: the pages and their content
streams are the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import Contract, Patch, replacing

#: WeasyPrint elements that yield their children's structure elements, not their own.
_PASS_THROUGH = frozenset({"html", "body"})


def _install_lang_tags() -> Any:
    import pydyf
    import weasyprint.pdf.tags as tags
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    original = tags._build_box_tree

    def build_box_tree(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        own = box._box if isinstance(box, AbsolutePlaceholder) else box
        element = own.element
        lang = None
        if (
            element is not None
            and not isinstance(own, boxes.PageBox | boxes.MarginBox)
            and own.element_tag not in _PASS_THROUGH
        ):
            lang = element.get("lang")
            # The root's language is the catalog's /Lang; its anonymous boxes carry the
            # root element (ElementTree: no parent links), which adds nothing.
            if element.tag == "html":
                lang = None
        for structure in original(box, parent, *args):
            if lang and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    return replacing((tags, "_build_box_tree", build_box_tree))


LANG_TAGS = Patch(
    name="weasyprint.lang-tags",
    replaces=("weasyprint.pdf.tags._build_box_tree",),
    why=(
        "WeasyPrint 70 tags no element with its language: text left in English inside a "
        "Dutch or Arabic leaflet (lang='en') is read aloud with the leaflet's rules. "
        "PDF/UA asks for /Lang on every passage in another language; the patch adds it "
        "to the structure element of every HTML element with a lang attribute."
    ),
    verified=("70.0",),
    purpose="language tags of passages in another language",
    contract=(
        Contract(
            "weasyprint.pdf.tags._build_box_tree",
            "(box, parent, pdf, page_number, nums, annotations, tags)",
        ),
    ),
    do=_install_lang_tags,
)
