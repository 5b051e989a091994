"""Doctree post-transforms for print: the parts of a leaflet that leave the flow.

The cover takes the leaflet's title and subtitle; the back page takes the
sections with a class in :data:`BACK_PAGE_CLASSES` (in that order) and the
leaflet's facts (version, dates, number of sources), which come out of the
"about" field list while its section stays in the flow. The transform runs for
the ``leaflet`` builder only, as Sphinx's LaTeX transforms run for ``latex``,
and leaves what it took in ``document["pamflet_print"]`` for the builder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..about import about_fields
from ..i18n import gettext, sphinx_locale_dirs

#: Sections with these classes leave the flow and go on the back page, in this order.
BACK_PAGE_CLASSES = ("help",)


@dataclass
class PrintParts:
    """What the cover and the back page show, taken out of a leaflet's doctree."""

    title: str = ""
    subtitle: str = ""
    facts_title: str = ""
    about: list[tuple[str, str]] = field(default_factory=list)
    back_sections: list[nodes.section] = field(default_factory=list)


def take_print_parts(
    doctree: nodes.document, docname: str, config: Any, locale_dirs: tuple[str, ...] = ()
) -> PrintParts:
    """Remove the cover's and back page's parts from ``doctree`` and return them
    (the labels from pamflet's catalogs, the project's in ``locale_dirs`` first)."""
    parts = PrintParts(about=about_fields(config, docname, doctree, locale_dirs))
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is not None and isinstance(top[0], nodes.title):
        parts.title = top[0].astext()
        top.remove(top[0])
    for para in list(doctree.findall(nodes.paragraph)):
        if "subtitle" in para["classes"]:
            parts.subtitle = para.astext()
            para.parent.remove(para)
            break
    for flist in list(doctree.findall(nodes.field_list)):
        if "leaflet-about" in flist["classes"]:
            section = flist.parent
            section.remove(flist)
            titled = isinstance(section, nodes.section) and isinstance(section[0], nodes.title)
            if titled and len(section) == 1:
                # Nothing else in its section: the heading goes with the facts.
                parts.facts_title = section[0].astext()
                section.parent.remove(section)
            elif titled:
                # The section stays in the flow under its heading ("About this
                # leaflet"): the back page's facts get a title of their own, so that
                # the leaflet does not show the same heading twice.
                parts.facts_title = gettext(config.language, "Leaflet details", locale_dirs)
    for cls in BACK_PAGE_CLASSES:
        for section in list(doctree.findall(nodes.section)):
            if cls in section["classes"]:
                section.parent.remove(section)
                parts.back_sections.append(section)
    parts.facts_title = parts.facts_title or gettext(
        config.language, "About this leaflet", locale_dirs
    )
    return parts


class SplitPrintParts(SphinxPostTransform):
    """Take the cover's and back page's parts out of a leaflet before it is written."""

    builders = ("leaflet",)
    # After the leaflet-about field list is filled in (priority 100).
    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname
        # a book (not in pamflet_leaflets) has none of this: book.BookParts
        if docname in self.config.pamflet_leaflets:
            self.document["pamflet_print"] = take_print_parts(
                self.document, docname, self.config, sphinx_locale_dirs(self.env)
            )
