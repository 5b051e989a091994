"""What a translation adds: URLs, directives, roles, raw HTML, bidi controls.

A ``msgstr`` is parsed as reStructuredText by Sphinx, so a translation can do
anything the English source can: link to ``javascript:alert(1)``, pull in a
file with ``.. include::``, or emit raw HTML with ``.. raw::`` or a
``:raw-html:`` role. A patient leaflet must carry only what the English
source carries: what is dangerous whatever the translator meant the build
refuses (``checks.refusals``); the rest :func:`check` reports for ``pamflet check``.

These checks are plain regular expressions on the text: they run inside
Sphinx's process at ``config-inited`` (the build guard), where parsing with
docutils would touch docutils' global role registry, and they must err on the
side of reporting. ``checks.markup`` does the docutils-based comparison.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from docutils.statemachine import string2lines
from docutils.utils.urischemes import schemes as _DOCUTILS_SCHEMES

CHECK = "safety"

#: Schemes recognised in running text, as docutils recognises them for
#: standalone hyperlinks, plus a few it lacks.
SCHEMES = frozenset(_DOCUTILS_SCHEMES) | {"javascript", "data", "vbscript", "blob", "tel"}

_SCHEME_URL = re.compile(r"(?<![\w.+-])([A-Za-z][A-Za-z0-9+.-]*):(//)?(?=[^\s<>`'\":])([^\s<>`]*)")
_WWW_URL = re.compile(r"(?<![\w./:@-])(www\.[^\s<>`]+)", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: The target of an embedded reference: `text <target>`_ (or __).
_EMBEDDED = re.compile(r"`[^`]*?<([^<>`]+)>`__?(?![\w])")
_TRAILING = ".,;:!?)]}'\"”’»"

#: Explicit markup: a line starting with ".. " (directive, target, footnote,
#: substitution definition, comment) or "__ " (anonymous target).
_EXPLICIT = re.compile(r"^[ \t]*(?:\.\.(?=[ \t]|$)(?P<body>.*)|__[ \t]+\S.*)$", re.MULTILINE)
_DIRECTIVE = re.compile(r"^[ \t]*(?:\|[^|]+\|[ \t]+)?([\w.:+-]+)[ \t]*::")

#: :role:`text` and `text`:role: (a role name may have a domain: :py:func:).
ROLE = re.compile(r"(?<![\w\\`]):((?:[A-Za-z0-9_.+-]+:)*[A-Za-z0-9_.+-]+):(?=`)")
ROLE_SUFFIX = re.compile(r"(?<=`):((?:[A-Za-z0-9_.+-]+:)*[A-Za-z0-9_.+-]+):(?![\w`])")

_HTML = re.compile(r"<(?:(/?[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>|!--|![A-Za-z]|\?)")
_BACKTICKS = re.compile(r"``.+?``|`[^`]*`")

RAW_ROLES = {"raw"}


_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)(//[^/?#]*)?")


def normalise_url(url: str) -> str:
    """A URL with its scheme and host in lower case, as RFC 3986 compares them:
    ``HTTPS://Example.org/path`` is ``https://example.org/path`` (the path keeps
    its case: servers may tell ``/PTSD`` from ``/ptsd``)."""
    match = _AUTHORITY.match(url)
    if match:
        scheme, authority = match.group(1), match.group(2) or ""
        if scheme.lower() == "mailto:":
            local, at, host = url[len(scheme) :].rpartition("@")
            return "mailto:" + (local + at + host.lower() if at else host)
        return scheme.lower() + authority.lower() + url[match.end() :]
    if url[:4].lower() == "www.":
        host, slash, rest = url.partition("/")
        return host.lower() + slash + rest
    return url


def urls(text: str) -> Counter[str]:
    """Every URL-like thing in a text: scheme URLs, www. hosts, e-mail addresses,
    and the targets of embedded references (which may be relative)."""
    found: Counter[str] = Counter()
    for match in _EMBEDDED.finditer(text):
        target = " ".join(match.group(1).split())
        if target.endswith("_") and not target.endswith("\\_"):
            continue  # `text <name_>`_ is a reference to a named target
        found[normalise_url(target)] += 1
    rest = _EMBEDDED.sub(" ", text)
    for match in _SCHEME_URL.finditer(rest):
        scheme = match.group(1).lower()
        if scheme in SCHEMES or match.group(2):
            found[normalise_url(match.group(0).rstrip(_TRAILING))] += 1
    for match in _WWW_URL.finditer(rest):
        found[normalise_url(match.group(1).rstrip(_TRAILING))] += 1
    for match in _EMAIL.finditer(_SCHEME_URL.sub(" ", rest)):
        found[normalise_url("mailto:" + match.group(0).rstrip(_TRAILING))] += 1
    return found


#: Unicode bidi controls that change the order in which text is displayed
#: ("Trojan Source", CVE-2021-42574): embeddings and overrides (U+202A..U+202E),
#: isolates (U+2066..U+2069) and the marks U+200E, U+200F.
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
) | {"\u200e", "\u200f"}


#: The marks (U+200E, U+200F) order nothing but the character next to them; Persian
#: and Arabic text uses them. The build refuses only the embeddings, overrides and
#: isolates ("Trojan Source"); ``pamflet check`` reports the marks too.
REORDERING = BIDI_CONTROLS - {"\u200e", "\u200f"}


def bidi(msgid: str, msgstr: str, controls: frozenset[str] = BIDI_CONTROLS) -> list[str]:
    """Bidi control characters in the translation that the source lacks, by code point.

    An error (and the build guard refuses it) unless the entry carries the flag
    ``#, ignore-bidi``: a translator who needs a mark (U+200F after a Latin
    word in Arabic, say) states it on the entry.
    """
    source = Counter(ch for ch in msgid if ch in controls)
    extra = Counter(ch for ch in msgstr if ch in controls) - source
    if not extra:
        return []
    shown = ", ".join(
        f"U+{ord(ch):04X}" + (f" (x{n})" if n > 1 else "") for ch, n in sorted(extra.items())
    )
    return [
        f"the translation has bidi control characters the source lacks: {shown}; they can "
        "change the order in which the text is displayed (add '#, ignore-bidi' to the "
        "entry if they are meant)"
    ]


def docutils_lines(text: str) -> str:
    """The text split into lines as docutils splits it before parsing.

    docutils breaks lines at every Unicode line boundary (U+2028, U+2029, NEL,
    a lone CR, the file and group separators), not only at "\\n": a translation
    with "\\u2028.. include:: file" runs the directive. The line-anchored
    patterns must see the same lines.
    """
    return "\n".join(string2lines(text, convert_whitespace=True))


def explicit_markup(text: str) -> Counter[str]:
    """Explicit markup blocks: 'directive NAME', 'target', 'footnote', 'comment' ..."""
    found: Counter[str] = Counter()
    for match in _EXPLICIT.finditer(docutils_lines(text)):
        body = match.group("body")
        if body is None:
            found["anonymous hyperlink target (__)"] += 1
            continue
        body = body.strip()
        directive = _DIRECTIVE.match(body)
        if directive:
            found[f"directive '{directive.group(1)}'"] += 1
        elif body.startswith("_"):
            found["hyperlink target (.. _name:)"] += 1
        elif body.startswith("["):
            found["footnote or citation (.. [x])"] += 1
        elif body.startswith("|"):
            found["substitution definition (.. |x|)"] += 1
        else:
            found["comment or directive (..)"] += 1
    return found


def role_names(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for pattern in (ROLE, ROLE_SUFFIX):
        for match in pattern.finditer(text):
            found[match.group(1).lower()] += 1
    return found


def html_tags(text: str) -> Counter[str]:
    """HTML tags, comments and processing instructions outside backquotes."""
    found: Counter[str] = Counter()
    for match in _HTML.finditer(_BACKTICKS.sub(" ", text)):
        name = match.group(1)
        found[f"<{name.lstrip('/').lower()}>" if name else match.group(0)] += 1
    return found


_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#]+)", re.IGNORECASE)


@functools.cache
def _suffixes() -> Any:
    from publicsuffixlist import PublicSuffixList  # the list ships with it: no download

    return PublicSuffixList()


def site(url: str) -> str | None:
    """The site of a URL: its registrable domain by the Public Suffix List
    (``en.wikipedia.org`` and ``fr.wikipedia.org`` are ``wikipedia.org``; ``a.co.uk``
    and ``b.co.uk`` are two sites, which the last two labels would have made one)."""
    match = _HOST.match(url)
    if not match:
        return None
    host = match.group(1).lower().rsplit("@", 1)[-1].split(":")[0]
    return _suffixes().privatesuffix(host) or host
