"""A book: what the leaflet builder makes of any document not in ``pamflet_leaflets``.

A leaflet (a document listed in ``pamflet_leaflets``) is patient information, with
its cover, draft marks, review facts, back page and QR code (``printhtml.py``,
``transforms.py``). Everything else the builder writes, the root document of a
Sphinx project without ``pamflet_leaflets`` with every document of its toctrees, is
a *book*: a cover with the title, release, author and date from the project's
settings (``pamflet_book`` overrides them), a printed table of contents with page
numbers, running heads with the chapter title, headings by their depth in the book,
and nothing of the leaflet's medical furniture. Its own template and stylesheet
(``assets/templates/book.html``, ``assets/css/book.css``, after ``leaflet.css``).

The doctree side is :class:`BookParts` (a post-transform, after the references are
resolved): the title leaves the flow for the cover, each section title gets its
depth (``depth-1`` for a chapter), wide tables a class; the links are
``booklinks.py``'s.
"""

from __future__ import annotations

import html
import os
import re
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..settings import language_of
from . import booklinks
from .formats import ASSETS_DIR
from .transforms import PrintParts

#: Tables with this many columns or more get the class ``wide`` (a smaller font).
WIDE_TABLE_COLUMNS = 4
#: How deep the printed table of contents goes (``pamflet_book["toc_depth"]``): two
#: levels, three when that makes no more than TOC_ENTRIES entries (a book of a few
#: parts, as Sphinx's own documentation).
TOC_DEPTH = 2
TOC_ENTRIES = 100
BOOK_CSS = ASSETS_DIR / "css" / "book.css"


def is_book(config: Any, docname: str) -> bool:
    """Anything the leaflet builder writes that ``pamflet_leaflets`` does not list."""
    return docname not in config.pamflet_leaflets


def book_settings(config: Any) -> dict[str, Any]:
    value = getattr(config, "pamflet_book", None) or {}
    return dict(value) if isinstance(value, dict) else {}


# -- the doctree -------------------------------------------------------------------------------


def sections_by_depth(tree: nodes.Node) -> list[tuple[nodes.section, int]]:
    """Every section with its depth: 0 for the book's own (root) section, 1 for a
    chapter, 2 for its sections, ... Walked from the top: ``inline_all_toctrees``
    leaves the parent of an inlined document's nodes pointing at its own document."""
    found: list[tuple[nodes.section, int]] = []
    stack: list[tuple[nodes.Node, int]] = [(tree, -1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, nodes.section):
            depth += 1
            found.append((node, depth))
        if isinstance(node, nodes.Element):
            stack.extend((child, depth) for child in reversed(node.children))
    return found


def mark_depths(doctree: nodes.document) -> None:
    """``depth-N`` on every section title (the HTML heading's class; HTML has six
    heading levels, a book may have more), ``chapter`` on chapter sections."""
    for section, depth in sections_by_depth(doctree):
        if depth and section.children and isinstance(section[0], nodes.title):
            section[0]["classes"].append(f"depth-{min(depth, 9)}")
            if depth == 1:
                section["classes"].append("chapter")


def mark_wide_tables(doctree: nodes.document) -> None:
    for table in doctree.findall(nodes.table):
        tgroup = next(iter(table.findall(nodes.tgroup)), None)
        if tgroup is not None and int(tgroup.get("cols", 0)) >= WIDE_TABLE_COLUMNS:
            table["classes"].append("wide")


#: What a root document holds besides text of its own: its toctrees (inlined), sections,
#: targets and comments.
_NOT_TEXT = (
    nodes.title,
    nodes.section,
    nodes.target,
    nodes.comment,
    nodes.substitution_definition,
)


def take_title(doctree: nodes.document) -> str:
    """The root document's title. It stays in the flow as the heading of the root's own
    text (``depth-0``, before the first chapter: a translated book keeps its translated
    title), and leaves it when the root holds nothing but its toctrees."""
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None or not top.children or not isinstance(top[0], nodes.title):
        return ""
    title = top[0]
    own_text = [
        child
        for child in top.children[1:]
        if not isinstance(child, _NOT_TEXT)
        and not (isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"])
    ]
    if own_text:
        title["classes"].append("depth-0")
    else:
        top.remove(title)
    return title.astext()


class BookParts(SphinxPostTransform):
    """The book's doctree for print: title to the cover, depths, links (after
    :class:`~pamflet.pdf.transforms.SplitPrintParts`, which leaves books alone)."""

    builders = ("leaflet",)
    default_priority = 905

    def run(self, **kwargs: Any) -> None:
        builder = self.app.builder
        docname = self.env.docname
        if docname not in builder.leaflet_docnames() or not is_book(self.config, docname):
            return
        self.document["pamflet_print"] = PrintParts(title=take_title(self.document))
        mark_depths(self.document)
        mark_wide_tables(self.document)
        booklinks.fix_links(self.document, docname, builder)


# -- the print HTML ----------------------------------------------------------------------------

_HEADING = re.compile(
    r'<section\b[^>]*?\bid="(?P<id>[^"]+)"[^>]*>\s*(?:<span id="[^"]*"></span>\s*)*'
    r'<h[1-6] class="(?:[^"]* )?depth-(?P<depth>\d)[^"]*"[^>]*>(?P<title>.*?)</h[1-6]>',
    re.S,
)
_TAG = re.compile(r"<[^>]+>")


def toc_entries(body: str, max_depth: int | None = None) -> list[dict[str, Any]]:
    """(id, depth, title text) of the headings of the body HTML, down to ``max_depth``
    (None: :data:`TOC_DEPTH`, or one more if that stays within :data:`TOC_ENTRIES`)."""
    entries = []
    for match in _HEADING.finditer(body):
        depth = int(match["depth"])
        if depth <= (max_depth or TOC_DEPTH + 1):
            title = html.unescape(_TAG.sub("", match["title"])).strip()
            entries.append({"id": match["id"], "depth": depth, "title": title})
    if max_depth is None and len(entries) > TOC_ENTRIES:
        entries = [entry for entry in entries if entry["depth"] <= TOC_DEPTH]
    return entries


_PRE = re.compile(r'(<span class="pre">)([^<]*)(</span>)')
# after "." "_" "/" "::" (not at the end), before a "(" or a "=": where code may wrap
_CODE_BREAK = re.compile(r"(?<=[._/])(?=[^\s._/])|(?<=::)(?=\w)|(?=[(=])(?<=\w)")


_DOCUMENT_START = re.compile(r'(<span id="document-[^"]*"></span>)(<section\b[^>]*>)')


def document_starts_inside(body: str) -> str:
    """Sphinx's ``<span id="document-x">`` (where an inlined document starts) into the
    document's first section: a chapter's page break comes before it, and it is kept
    with the heading (book.css), not left alone at the foot of the page before."""
    return _DOCUMENT_START.sub(r"\2\1", body)


def code_breaks(body: str) -> str:
    """Inline code (``<span class="pre">``, as Sphinx writes it) may break after ``.``,
    ``_``, ``/`` and ``::``, never with a hyphen (book.css). A zero-width space, not
    ``<wbr>``: WeasyPrint breaks a word between ``<wbr>`` elements at any letter when it
    may (``overflow-wrap: anywhere``); in one run of text, Pango takes these first."""

    def add(match: re.Match) -> str:
        return match[1] + _CODE_BREAK.sub("\u200b", match[2]) + match[3]

    return _PRE.sub(add, body)


def _latex_entry(config: Any, docname: str, field: int) -> str:
    """A field of the root document's ``latex_documents`` entry, when conf.py sets it
    (3: the author, 2: the title), without LaTeX's ``\\and``."""
    if "latex_documents" in getattr(config, "_raw_config", {}):
        for entry in config.latex_documents or []:
            if len(entry) > field and entry[0] == docname and entry[field]:
                return re.sub(r"\s*\\and\s*", ", ", str(entry[field])).replace("\\", "")
    return ""


def _author(config: Any, docname: str) -> str:
    if "author" in getattr(config, "_raw_config", {}) and config.author:
        return str(config.author)
    return _latex_entry(config, docname, 3)


def cover_date(config: Any) -> str:
    """The book's date as Sphinx's LaTeX cover prints it: ``today``, else ``today_fmt``
    (SOURCE_DATE_EPOCH when set, else the clock), in the book's language."""
    from sphinx.locale import _
    from sphinx.util.i18n import format_date

    if config.today:
        return str(config.today)
    return format_date(str(config.today_fmt or _("%b %d, %Y")), language=language_of(config))


def pdf_date() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    import datetime as dt

    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def book_context(config: Any, docname: str, page: dict[str, Any]) -> dict[str, Any]:
    """The print context of a book (plain JSON data, as ``printhtml.print_context``)."""
    from sphinx.locale import _

    from ..languages import language_settings
    from .printhtml import script_context

    settings = book_settings(config)
    language = language_of(config)
    body = code_breaks(document_starts_inside(page["body"]))
    release = settings.get("version", config.release or config.version or "")
    date = settings.get("date", cover_date(config))
    stamp = pdf_date()
    return {
        "kind": "book",
        "docname": docname,
        "lang": language,
        **script_context(language_settings(config, language), language),
        # the project's name, as Sphinx's LaTeX builder titles it (the root document's
        # title is often "Welcome to ..."); the root's title without a project name
        "title": settings.get("title")
        or _latex_entry(config, docname, 2)
        or config.project
        or page["title"],
        "subtitle": settings.get("subtitle", ""),
        "author": settings.get("author") or _author(config, docname),
        "release": str(release),
        "release_label": str(_("Release")),
        "date": str(date),
        "publisher": config.pamflet_publisher,
        "contents_label": str(_("Contents")),
        "toc": toc_entries(body, settings.get("toc_depth")) if settings.get("toc", True) else [],
        "body": body,
        "book_css": BOOK_CSS.as_uri(),
        "created": stamp,
        "modified": stamp,
        "pages": {},
        "fillers": {},
    }
