"""What the build refuses: a translation whose published output would be dangerous.

The build guard (``translate/guard.py``) and ``pamflet guard`` refuse a catalog
only for what msgfmt refuses (``po.py``) and for what would make the published
page dangerous whatever the translator meant. Everything else a translation adds
(a link, a role, an image, italics) is for ``pamflet check`` (``checks.safety``
and ``checks.markup``): a team may localise a link or add a role to a heading.

Refused, when the source lacks it:

- bidi control characters (``safety.bidi``), unless ``#, ignore-bidi``;
- a directive that injects raw output or the contents of a file (``raw``,
  ``include``, ``literalinclude``, or any directive with a ``:file:`` or
  ``:url:`` option, such as ``csv-table``), a ``raw`` role, and a ``download``
  role (it publishes a file of the project);
- a link whose scheme runs code (``javascript:``, ``vbscript:``, ``data:``);
- in a template catalog (``sphinx.po``-like: interface strings that Sphinx
  puts into HTML as they are), HTML that runs code or loads something:
  ``<script>``, ``<iframe>``, ``<object>``, ``<embed>``, ``<style>``,
  ``<link>``, ``<meta>``, ``<base>``, ``<form>``, an ``on...=`` event
  handler, or a ``javascript:`` URL in an attribute.

Angle brackets in reStructuredText are text: ``<em>`` in a paragraph or in a
literal block is printed as ``<em>``, so only template catalogs are read as HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..entries import Entry
from .safety import docutils_lines, explicit_markup, role_names, urls

#: Directives that put raw output or a file's contents into the page.
RAW_DIRECTIVES = {"raw", "include", "literalinclude"}
#: Link schemes that run code where a reader clicks.
CODE_SCHEMES = ("javascript:", "vbscript:", "data:")

_FILE_OPTION = re.compile(r"^[ \t]+:(file|url):", re.MULTILINE)
_HTML_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_ACTIVE_TAGS = {"script", "iframe", "object", "embed", "style", "link", "meta", "base", "form"}
_HANDLER = re.compile(r"(?:^|[\s\"'/])on[a-z]+\s*=", re.IGNORECASE)
_CODE_URL = re.compile(
    r"\b(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*"
    r"(?:javascript|vbscript|data):",
    re.IGNORECASE,
)


#: Catalogs of interface strings (HTML templates), not reStructuredText.
INTERFACE_DOMAINS = {"sphinx", "pamflet"}
_DOCUMENT = re.compile(r"\.(?:rst|md|txt)(?::\d+)?$")


def template_catalog(path: Path, entries: list[Entry]) -> bool:
    """Whether a catalog holds template strings, which Sphinx puts into HTML as they
    are: a ``sphinx.po``-like domain, or msgids with HTML markup that come from no
    document (their ``#:`` locations are templates or code, not ``.rst`` or ``.md``)."""
    if path.stem in INTERFACE_DOMAINS:
        return True
    marked = [e for e in entries if e.msgid and has_html(e.msgid) and e.locations]
    return bool(marked) and not any(
        _DOCUMENT.search(location) for e in marked for location in e.locations
    )


def has_html(text: str) -> bool:
    """Whether a (template) string holds an HTML tag."""
    return _HTML_TAG.search(text) is not None


def active_html(text: str) -> Counter[str]:
    """HTML that runs code or loads something: tag names, event handlers, code URLs."""
    found: Counter[str] = Counter()
    for match in _HTML_TAG.finditer(text):
        name, attributes = match.group(2).lower(), match.group(3)
        if match.group(1):
            continue
        if name in _ACTIVE_TAGS:
            found[f"<{name}>"] += 1
        if _HANDLER.search(attributes):
            found[f"an event handler in <{name}>"] += 1
        if _CODE_URL.search(attributes):
            found[f"a script URL in <{name}>"] += 1
    return found


def _file_directives(text: str) -> int:
    return len(_FILE_OPTION.findall(docutils_lines(text)))


def refusals(msgid: str, msgstr: str, *, template: bool = False) -> list[str]:
    """Why the build refuses this translation (bidi controls aside: ``safety.bidi``)."""
    problems: list[str] = []
    source_markup = explicit_markup(msgid)
    for kind in explicit_markup(msgstr):
        name = kind.removeprefix("directive '").rstrip("'")
        if kind.startswith("directive '") and name in RAW_DIRECTIVES and kind not in source_markup:
            what = "raw output" if name == "raw" else "the contents of a file"
            problems.append(f"the translation adds a directive that injects {what}: {name}")
    if _file_directives(msgstr) > _file_directives(msgid):
        problems.append("the translation adds a directive option that reads a file or URL")
    source_roles = role_names(msgid)
    for name in role_names(msgstr):
        if name.startswith("raw") and name not in source_roles:
            problems.append(f"the translation adds raw output the source does not have: :{name}:")
        elif name == "download" and name not in source_roles:
            problems.append("the translation adds a role that publishes a file: :download:")
    source_urls = urls(msgid)
    for url in urls(msgstr):
        if url.lower().startswith(CODE_SCHEMES) and url not in source_urls:
            problems.append(f"the translation adds a link that runs code: {url}")
    if template:
        source_html = active_html(msgid)
        for what in active_html(msgstr):
            if what not in source_html:
                problems.append(f"the translation adds active HTML the source lacks: {what}")
    return problems
