"""Text left in the source language inside a translation, marked as such (``lang``).

A catalog entry whose msgstr is empty or the msgid itself stays English in a Dutch
leaflet: the titles of the sources, say. Without a language of its own, that text
is hyphenated with Dutch rules ("mode-rate", "Admi-nistration") and read aloud with a Dutch voice.
:class:`MarkUntranslated` wraps the content of each such paragraph, title and term in
a :class:`source_language` node, which the HTML writers (website, EPUB, the leaflet's
print HTML) render as ``<span lang="en">``; WeasyPrint then hyphenates it as English
and tags it so in the PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .project import Project
from .settings import language_of

#: The nodes whose text a catalog entry holds (Sphinx's translatable text elements).
_TEXT_ELEMENTS = (nodes.paragraph, nodes.title, nodes.term, nodes.rubric, nodes.caption)


class source_language(nodes.inline):  # noqa: N801 (docutils naming)
    """Text in the project's source language inside a translated document."""


def visit_source_language(self: Any, node: source_language) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"]))


def depart_source_language(self: Any, node: source_language) -> None:
    self.body.append("</span>")


def _untranslated(element: nodes.Element) -> bool:
    """Sphinx says ``translated = False`` for an empty msgstr; a msgstr equal to its msgid
    is ``translated = True`` (Sphinx 9) but leaves the text as the source has it (its
    ``rawsource``, which a translation does not change). Text with inline markup never
    equals its rawsource: it is left unmarked, a miss rather than a false mark."""
    if element.get("translated") is False:
        return True
    return " ".join(element.astext().split()) == " ".join(element.rawsource.split())


def mark_untranslated(tree: nodes.Node, source: str) -> int:
    """Wrap the content of every untranslated text element; returns how many."""
    count = 0
    for element in list(tree.findall(nodes.TextElement)):
        if not isinstance(element, _TEXT_ELEMENTS) or not _untranslated(element):
            continue
        if not any(c.isalpha() for c in element.astext()):
            continue  # numbers and symbols have no language
        if len(element.children) == 1 and isinstance(element[0], source_language):
            continue
        element[:] = [source_language("", "", *list(element.children), lang=source)]
        count += 1
    return count


class MarkUntranslated(SphinxPostTransform):
    """For every builder that writes HTML; before the right-to-left isolation (880)."""

    builders = ("leaflet", "html", "dirhtml", "epub")
    default_priority = 870

    def run(self, **kwargs: Any) -> None:
        source = Project.find(Path(self.app.confdir)).source_language
        if language_of(self.config) != source:
            mark_untranslated(self.document, source)


def setup(app: Any) -> None:
    app.add_node(source_language, html=(visit_source_language, depart_source_language))
    app.add_post_transform(MarkUntranslated)
