"""reStructuredText in translations: it parses, and it has the source's structure.

Sphinx parses every ``msgstr`` as reStructuredText (``sphinx.transforms.i18n``)
and keeps it only when the first node it gets is a paragraph: a translation
that starts with ``1. `` becomes a list and is dropped without a word, and a
broken ``*emphasis`` prints a warning in the middle of the build. This module
parses both strings with docutils the way Sphinx does and compares them.

Checks (modelled on Weblate's ``rst-syntax`` and ``rst-references``):

``rst-syntax``
    the ``msgstr`` parses without docutils warnings or errors, and into one
    paragraph, like its ``msgid``.
``rst-inline``
    the same number of emphasis, strong and inline-literal spans.
``rst-references``
    the same roles (with the same targets for cross-reference roles such as
    ``:ref:`` and ``:doc:``), hyperlink references, footnote and citation
    references, substitutions and URLs. Links or roles that the source does
    not have at all are reported by ``checks.safety`` instead.

Roles are tolerated rather than known: every role name in the strings is
registered, for the time of the parse, as a generic role that records its
name and target. No Sphinx application is needed, and Sphinx's own roles
(and those of any extension) parse the same way.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from docutils import nodes, utils
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser, roles

from .safety import ROLE, ROLE_SUFFIX, normalise_url

#: Roles whose content names a target that the translation must keep.
REFERENCE_ROLES = {
    "ref",
    "doc",
    "numref",
    "term",
    "download",
    "any",
    "keyword",
    "option",
    "envvar",
    "token",
    "confval",
    "eq",
    "cite",
}

_EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<(.*?)>$", re.DOTALL)


class role_node(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils naming)
    """A role of any name, as parsed here: ``role``, ``target``, ``has_title``."""


def _tolerant_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    role = name.lower()
    content_text = utils.unescape(text)
    match = _EXPLICIT_TITLE.match(content_text)
    title, target = (match.group(1), match.group(2)) if match else (content_text, content_text)
    target = target.lstrip("~!")
    node = role_node(rawtext, title, role=role, target=target, has_title=bool(match))
    return [node], []


#: Roles whose content is text for the reader (translated), not a target.
TEXT_ROLES = {
    "abbr",
    "sup",
    "sub",
    "emphasis",
    "strong",
    "literal",
    "guilabel",
    "menuselection",
    "dfn",
    "title-reference",
    "title",
    "t",
    "math",
    "code",
    "samp",
    "kbd",
    "command",
    "program",
    "file",
    "makevar",
    "mimetype",
    "newsgroup",
    "regexp",
    "rfc",
    "pep",
}
#: Roles whose target is a translated word: a glossary term (the glossary is translated too).
TRANSLATED_TARGET_ROLES = {"term"}


def is_reference_role(name: str) -> bool:
    """Whether the role's content names something (a target) that the translation keeps."""
    name = role_name(name)
    return name in REFERENCE_ROLES or name not in TEXT_ROLES


def role_name(name: str) -> str:
    """A role's name without the default domain: ``:py:func:`` is ``:func:``."""
    return name[3:] if name.startswith("py:") else name


def role_target(name: str, target: str) -> str | None:
    """What the translation must keep of a role's content (None: nothing)."""
    name = role_name(name)
    if name in TEXT_ROLES or name in TRANSLATED_TARGET_ROLES:
        return None
    target = target.strip().lstrip("~!")
    if name not in REFERENCE_ROLES:
        target = target.lstrip(".")
        if target.endswith("()"):
            target = target[:-2]
    return " ".join(target.split())


@dataclass
class Parsed:
    text: str
    blocks: list[str] = field(default_factory=list)  # classes of the top-level nodes
    #: system messages (any level, INFO too) that come before the first block:
    #: Sphinx takes the first node of the parsed msgstr, finds no paragraph there
    #: and drops the translation (``sphinx.transforms.i18n.Locale``)
    leading: list[tuple[int, str]] = field(default_factory=list)
    messages: list[tuple[int, str]] = field(default_factory=list)  # (level, message)
    inline: Counter = field(default_factory=Counter)  # emphasis, strong, literal
    references: Counter = field(default_factory=Counter)  # (kind, key...) tuples
    urls: Counter = field(default_factory=Counter)
    literals: Counter = field(default_factory=Counter)  # the text of each ``literal``
    emphasised: Counter = field(default_factory=Counter)  # the text of each *emphasis*
    document: nodes.document | None = None
    _words: dict[str, str] = field(default_factory=dict, repr=False)  # words_text, once

    def words_text(self, code: str = " ") -> str:
        """The text a reader sees, without literals, URLs or reference targets
        (``code``: what stands for each of them; ``"keep"``: each literal as one word)."""
        if self.document is None:
            return self.text
        if code in self._words:
            return self._words[code]
        parts: list[str] = []

        def visit(node: nodes.Node) -> None:
            if isinstance(node, nodes.Text):
                parts.append(str(node))
                return
            if isinstance(
                node,
                nodes.literal
                | nodes.FixedTextElement
                | nodes.system_message
                | nodes.footnote_reference
                | nodes.citation_reference
                | nodes.substitution_reference
                | nodes.target,
            ):
                if code == "keep" and isinstance(node, nodes.literal):
                    parts.append(" " + re.sub(r"\W+", "_", node.astext()) + "x ")
                else:
                    parts.append(" " if code == "keep" else code)
                return
            if isinstance(node, nodes.reference) and node.get("refuri") == node.astext():
                parts.append(" " if code == "keep" else code)
                return
            if (
                isinstance(node, role_node)
                and is_reference_role(node["role"])
                and not node["has_title"]
            ):
                parts.append(" " if code == "keep" else code)
                return
            for child in node.children:
                visit(child)
            if isinstance(node, nodes.Element) and not isinstance(node, nodes.Inline):
                parts.append("\n")

        visit(self.document)
        self._words[code] = "".join(parts)
        return self._words[code]


class Markup:
    """Parses short reStructuredText strings; use as a context manager.

    Inside the ``with`` block docutils' role registry holds generic roles for
    the role names seen; on exit it is restored as it was
    (``patches.docutils.local_roles``).
    """

    def __init__(self) -> None:
        settings = get_default_settings(Parser)
        settings.report_level = 5
        settings.halt_level = 5
        settings.warning_stream = io.StringIO()
        settings.file_insertion_enabled = False
        settings.raw_enabled = False
        settings.input_encoding = "utf-8"
        self.settings = settings
        self.parser = Parser()
        self._namespace: contextlib.AbstractContextManager | None = None
        self._known: set[str] = set()
        self._machine: dict = {}  # the state machine, once made
        self._stock: bool | None = None

    def __enter__(self) -> Markup:
        from ...patches.docutils import local_roles

        self._namespace = local_roles()
        self._namespace.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        namespace, self._namespace = self._namespace, None
        self._known.clear()
        if namespace is not None:
            namespace.__exit__(*exc)

    def _parse(self, source: str, document: nodes.document) -> None:
        """``Parser.parse``, with one state machine for every message
        (``patches.docutils.parse_reusing``); docutils' own parse on a version it is
        not verified on."""
        from ...patches.docutils import STATE_MACHINE, parse_reusing

        if self._stock is None:
            self._stock = not STATE_MACHINE.usable()
        if self._stock:
            self.parser.parse(source, document)
        else:
            parse_reusing(self.parser, source, document, self._machine)

    def _register_roles(self, text: str) -> None:
        for pattern in (ROLE, ROLE_SUFFIX):
            for match in pattern.finditer(text):
                name = match.group(1).lower()
                if name not in self._known:
                    roles.register_local_role(name, _tolerant_role)
                    self._known.add(name)

    def parse(self, text: str) -> Parsed:
        assert self._namespace is not None, "use Markup() as a context manager"
        self._register_roles(text)
        # Sphinx appends a dummy literal block to a message ending in "::".
        source = text + "\n\n   dummy literal" if text.strip().endswith("::") else text
        document = utils.new_document("<translation>", self.settings)
        messages: list[tuple[int, str]] = []
        document.reporter.attach_observer(
            lambda msg: (
                messages.append((msg["level"], msg.children[0].astext())) if msg.children else None
            )
        )
        self._parse(source, document)
        parsed = Parsed(text=text, document=document)
        parsed.messages = [(level, message) for level, message in messages if level >= 2]
        for child in document.children:
            if not isinstance(child, nodes.system_message):
                break
            text = child.children[0].astext() if child.children else child.astext()
            parsed.leading.append((child["level"], text.strip()))
        parsed.blocks = [
            child.tagname
            for child in document.children
            if not isinstance(child, nodes.system_message)
        ]
        if text.strip().endswith("::") and parsed.blocks[-1:] == ["literal_block"]:
            parsed.blocks.pop()
        _collect(document, parsed)
        return parsed


def _collect(document: nodes.document, parsed: Parsed) -> None:
    for node in document.findall(nodes.Element):
        if isinstance(node, nodes.emphasis):
            parsed.inline["emphasis"] += 1
            parsed.emphasised[node.astext()] += 1
        elif isinstance(node, nodes.strong):
            parsed.inline["strong"] += 1
        elif isinstance(node, nodes.literal):
            parsed.inline["literal"] += 1
            parsed.literals[node.astext()] += 1
        elif isinstance(node, role_node):
            name = node["role"]
            parsed.references[("role", role_name(name), role_target(name, node["target"]))] += 1
        elif isinstance(node, nodes.reference):
            if node.get("refuri"):
                parsed.urls[normalise_url(node["refuri"])] += 1
            elif node.get("refname"):
                parsed.references[("reference", node["refname"])] += 1
            elif node.get("anonymous"):
                parsed.references[("anonymous reference",)] += 1
        elif isinstance(node, nodes.footnote_reference):
            label = node.get("refname") or (
                "*" if node.get("auto") == "*" else "#" if node.get("auto") else ""
            )
            if node.get("auto") == 1 and node.get("refname"):
                label = "#" + label
            parsed.references[("footnote", label)] += 1
        elif isinstance(node, nodes.citation_reference):
            parsed.references[("citation", node.get("refname", ""))] += 1
        elif isinstance(node, nodes.substitution_reference):
            parsed.references[("substitution", node.get("refname", ""))] += 1
        elif (
            isinstance(node, nodes.target)
            and not node.get("refuri")
            and not node.get("refname")  # `new text <Target_>`_: an alias, not a new target
            and node.get("names")
        ):
            parsed.references[("inline target",)] += 1


_NOQA = re.compile(r"(.*)(?<!\\)#\s*noqa\s*$", re.DOTALL)


def split_noqa(msgstr: str) -> tuple[str, bool]:
    """Sphinx's ``#noqa`` suffix: the message without it, and whether it was there.

    Sphinx (``sphinx.transforms.i18n.parse_noqa``) then does not warn about
    inconsistent references; the spaces before the marker end the paragraph
    and are not shown, so they are dropped here too. Not for literal blocks:
    there Sphinx keeps ``# noqa`` as code.
    """
    match = _NOQA.match(msgstr)
    return (match.group(1).rstrip(" \t"), True) if match else (msgstr, False)
