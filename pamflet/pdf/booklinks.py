"""The links of a book: inside the book to their target, outside it to the website.

A reference is a URL relative to a page: a URL written in the text
(``../reference/config.html#x``) to its own document's, one that Sphinx made
(``genindex.html``, viewcode's ``_modules/pkg/mod.html#pkg.f``) to the book's
root. In one PDF those would be ``file:`` links to the build machine.
:func:`fix_links` gives each one its place: a page of the book becomes the fragment
of its target in the book (with the id :func:`~pamflet.pdf.builder.unique_ids` or
:func:`raw_ids` gave it), a page outside the book (indexes, search, source
listings, downloads, documents in no toctree) becomes ``html_baseurl`` + its path, or,
without ``html_baseurl``, plain text. Never a ``file:`` link.

Ids in raw HTML (``.. raw:: html`` with ``<span id="old-name">``, a project's way of
keeping old anchors) are made unique too, per document, as the doctree's are.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from docutils import nodes
from sphinx import addnodes

from ..settings import language_of

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_RAW_ID = re.compile(r"""(\bid\s*=\s*)(["'])(.*?)\2""")
_RAW_HREF = re.compile(r"""\s*\bhref\s*=\s*(["'])(.*?)\1""")


def owned(tree: nodes.Node, root: str) -> Iterator[tuple[nodes.Element, str]]:
    """Every element of an assembled doctree with the document it comes from."""
    stack: list[tuple[nodes.Node, str]] = [(tree, root)]
    while stack:
        node, owner = stack.pop()
        if isinstance(node, addnodes.start_of_file):
            owner = node["docname"]
        if isinstance(node, nodes.Element):
            yield node, owner
            stack.extend((child, owner) for child in reversed(node.children))


def renamed(node_id: str, owner: str, seen: set[str], renames: dict[str, dict[str, str]]) -> str:
    """``node_id`` if no element before had it, else a new id with the document's name
    in front (``renames[owner]`` records it)."""
    if node_id not in seen:
        return node_id
    base = new = nodes.make_id(f"{owner}-{node_id}")
    count = 1
    while new in seen:
        count += 1
        new = f"{base}-{count}"
    renames.setdefault(owner, {})[node_id] = new
    return new


class Links:
    """Where the URLs of one assembled book lead."""

    def __init__(self, tree: nodes.document, root: str, builder: Any) -> None:
        self.root = root
        self.suffix = builder.link_suffix
        self.renames: dict[str, dict[str, str]] = tree.get("pamflet_id_renames") or {}
        tree["pamflet_id_renames"] = self.renames  # the builder's fix_refuris reads it
        self.pages: dict[str, str] = {self.page(root): root}
        self.first_ids: dict[str, str] = {}
        top = next(iter(tree.findall(nodes.section)), None)
        if top is not None and top["ids"]:
            self.first_ids[root] = top["ids"][0]
        for part in tree.findall(addnodes.start_of_file):
            self.pages[self.page(part["docname"])] = part["docname"]
            section = next(iter(part.findall(nodes.section)), None)
            if section is not None and section["ids"]:
                self.first_ids[part["docname"]] = section["ids"][0]
        base = (builder.config.html_baseurl or "").strip()
        self.base = base.replace("{language}", language_of(builder.config)).rstrip("/")

    def page(self, docname: str) -> str:
        return docname + self.suffix

    def fragment(self, docname: str, label: str) -> str:
        if not label:
            return "#" + self.first_ids.get(docname, "document-" + docname)
        return "#" + self.renames.get(docname, {}).get(label, label)

    def resolve(self, uri: str, owner: str) -> str | None:
        """The URL ``uri`` (written in document ``owner``) in the book; None: plain text."""
        if uri.startswith("#document-"):
            if uri.count("#") == 1:  # a whole document: its first section
                return self.fragment(uri[len("#document-") :], "")
            return uri  # a label in it: the builder's fix_refuris
        if uri.startswith("#"):
            return self.fragment(owner, uri[1:])
        if _SCHEME.match(uri):
            return None if uri.lower().startswith("file:") else uri
        path, _, label = uri.partition("#")
        path = path.split("?", 1)[0]
        here = posixpath.dirname(self.page(owner))
        page = posixpath.normpath(posixpath.join(here, path)) if path else self.page(owner)
        if page in self.pages:
            return self.fragment(self.pages[page], label)
        if not self.base or page.startswith("../"):
            return None
        return urljoin(f"{self.base}/", page) + (f"#{label}" if label else "")


def raw_ids(tree: nodes.document, root: str, links: Links) -> None:
    """Make the ids in raw HTML unique, beside the doctree's (the first keeps its id,
    later ones get their document's name in front); their links follow."""
    seen = {node_id for node in tree.findall(nodes.Element) for node_id in node["ids"]}
    for node, owner in owned(tree, root):
        if not isinstance(node, nodes.raw) or "html" not in node.get("format", "").split():
            continue
        text = node.astext()

        def rename(match: re.Match, owner: str = owner) -> str:
            new = renamed(match[3], owner, seen, links.renames)
            seen.add(new)
            return f"{match[1]}{match[2]}{new}{match[2]}"

        changed = _RAW_ID.sub(rename, text)
        if changed != text:
            node.children = []
            node += nodes.Text(changed)


def raw_links(node: nodes.raw, owner: str, links: Links) -> None:
    """The ``href``s of raw HTML, as :meth:`Links.resolve` says (dropped: plain text)."""
    text = node.astext()

    def fix(match: re.Match) -> str:
        new = links.resolve(match[2], owner)
        return "" if new is None else f' href="{new}"'

    changed = _RAW_HREF.sub(fix, text)
    if changed != text:
        node.children = []
        node += nodes.Text(changed)


def fix_links(tree: nodes.document, root: str, builder: Any) -> None:
    """Every link of an assembled book (see the module's docstring)."""
    links = Links(tree, root, builder)
    raw_ids(tree, root, links)
    for node, owner in list(owned(tree, root)):
        if isinstance(node, nodes.raw):
            if "html" in node.get("format", "").split():
                raw_links(node, owner, links)
        elif isinstance(node, addnodes.download_reference):
            target = None
            if node.get("refuri"):
                target = links.resolve(node["refuri"], owner)
            elif node.get("filename") and links.base:
                target = f"{links.base}/_downloads/{node['filename']}"
            plain_or_link(node, target)
        elif isinstance(node, nodes.reference) and "refuri" in node:
            # Sphinx's own references (make_refnode: internal=True) are relative to the
            # root's page (the builder's get_target_uri of an inlined document is a
            # fragment), a URL written in the text to its own document's
            new = links.resolve(node["refuri"], root if node.get("internal") else owner)
            if new is None:
                plain_or_link(node, None)
            else:
                node["refuri"] = new


def plain_or_link(node: nodes.Element, target: str | None) -> None:
    """``node`` as a link to ``target``, or its text alone when there is none."""
    if target is not None:
        link = nodes.reference("", "", *node.children, refuri=target, classes=node["classes"])
    else:
        link = nodes.inline("", "", *node.children, classes=["link-offline"])
    link["ids"] = node["ids"]
    node.replace_self(link)
