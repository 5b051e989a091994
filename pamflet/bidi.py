"""Left-to-right runs inside right-to-left text (bidi isolation).

In an Arabic sentence the Unicode bidi algorithm reorders the neutral characters
around numbers and Latin words: ``113.nl`` shows as ``nl.113`` and a phone number
can show its parts swapped, and ``5-HT2A`` as ``HT2A-5``. :func:`isolate_ltr_runs`
wraps each such run (phone numbers, URLs, e-mail addresses, Latin words and
abbreviations, terms that start with a digit, percentages, dates) in an
:class:`ltr_run` node, which HTML writers render as
``<span class="ltr" dir="ltr">`` (the HTML default style makes ``[dir]``
``unicode-bidi: isolate``; the stylesheets say so as well). Other writers render
it as a plain inline.

The transform runs only for languages whose ``direction`` is ``rtl`` in the
language table (:func:`pamflet.languages.language_settings`). One post-transform,
:class:`IsolateLTRRuns`, serves every builder that writes HTML (the leaflet's print
HTML, the website, the EPUB); :func:`setup` registers it and the node.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .languages import language_settings
from .settings import language_of

#: One left-to-right run: the longest first (a URL before a word, a date before a number).
LTR_RUN = re.compile(
    r"""
    (?:https?://|www\.)[^\s<>()\u0600-\u06ff]*[^\s<>().,;:!?\u0600-\u06ff]  # URL
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                                         # e-mail
    | \b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:nl|com|org|net|eu|be|de|uk|gov|info|io)\b
                                                                           # bare domain
    | \d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}                                      # date
    | (?:\d+(?:,\d+)*[-\u2010\u2011\ ])?[A-Za-z][A-Za-z0-9]*(?:[-'\u2019&./ ][A-Za-z0-9]+)*
                                                                           # Latin words, 5-HT2A
    | [+]?\d+(?:[-\u2010-\u2013 ./]\d+)*(?:[.,]\d+)?\s?%?                   # number, phone, %
    """,
    re.VERBOSE,
)

#: Nodes whose text is left alone (code, raw markup, runs already isolated).
_SKIP = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment, nodes.math)


class ltr_run(nodes.inline):
    """A left-to-right run inside right-to-left text."""


def visit_ltr_run(self: Any, node: ltr_run) -> None:
    self.body.append(self.starttag(node, "span", "", dir="ltr"))


def depart_ltr_run(self: Any, node: ltr_run) -> None:
    self.body.append("</span>")


def is_rtl(config: Any, language: str | None = None) -> bool:
    """Whether ``language`` (default: the config's) is written right to left."""
    language = language or language_of(config)
    return language_settings(config, language).direction == "rtl"


def _split(text: str) -> list[nodes.Node] | None:
    """``text`` as Text and :class:`ltr_run` nodes, or None when it has no LTR run."""
    parts: list[nodes.Node] = []
    position = 0
    for match in LTR_RUN.finditer(text):
        run = match.group().rstrip()
        if not run or not any(c.isalnum() for c in run):
            continue
        start, end = match.start(), match.start() + len(run)
        if start > position:
            parts.append(nodes.Text(text[position:start]))
        parts.append(ltr_run(run, nodes.Text(run), classes=["ltr"]))
        position = end
    if not parts:
        return None
    if position < len(text):
        parts.append(nodes.Text(text[position:]))
    return parts


def isolate_ltr_runs(tree: nodes.Node) -> int:
    """Wrap the left-to-right runs of every text node of ``tree``; returns how many."""
    count = 0
    for text in list(tree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, ltr_run):
            continue
        ancestor, skip = parent, False
        while ancestor is not None:
            if isinstance(ancestor, (*_SKIP, ltr_run)):
                skip = True
                break
            ancestor = ancestor.parent
        if skip:
            continue
        parts = _split(str(text))
        if parts is None:
            continue
        index = parent.index(text)
        parent[index : index + 1] = parts
        count += sum(isinstance(p, ltr_run) for p in parts)
    return count


def _left_to_right(text: str) -> bool:
    """Text with letters, none of them right to left (an entry left in English)."""
    classes = {unicodedata.bidirectional(c) for c in text}
    return "L" in classes and not classes & {"R", "AL"}


def isolate_ltr_paragraphs(tree: nodes.Node) -> int:
    """Run each paragraph that has no right-to-left letter left to right as a whole:
    the Sources list stays in English, and its punctuation must not be reordered.
    Returns how many."""
    count = 0
    for para in list(tree.findall(nodes.paragraph)):
        if not _left_to_right(para.astext()) or any(para.findall(ltr_run)):
            continue
        para[:] = [ltr_run("", "", *list(para.children), classes=["ltr"])]
        count += 1
    return count


class IsolateLTRRuns(SphinxPostTransform):
    """Isolate the left-to-right paragraphs and runs of a right-to-left document, for
    every builder that writes HTML: the leaflet's print HTML, the website, the EPUB."""

    builders = ("leaflet", "html", "dirhtml", "epub")
    # Before the print parts are taken out (900): the back page's text is isolated too.
    default_priority = 880

    def run(self, **kwargs: Any) -> None:
        if is_rtl(self.config):
            isolate_ltr_paragraphs(self.document)
            isolate_ltr_runs(self.document)


def setup(app: Any) -> None:
    """Register :class:`ltr_run` for the HTML writers and the transform (once, from
    ``pamflet.setup``)."""
    app.add_node(ltr_run, html=(visit_ltr_run, depart_ltr_run))
    app.add_post_transform(IsolateLTRRuns)
