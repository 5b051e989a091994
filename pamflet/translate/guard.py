"""The build guard: no catalog that would publish wrong or unsafe text reaches Sphinx.

Sphinx skips a catalog it cannot read with only a warning, and Babel reads some
broken files silently, so a broken catalog can quietly give an English or a
garbled "Dutch" leaflet. At ``config-inited``, before Sphinx compiles (or
skips) any catalog, the guard reads every catalog of the build language with
the strict parser (``po.py``) and refuses to build when one has an error, or
when a translation adds a link, directive, role or raw HTML that the English
lacks (``checks/safety.py``). The message is ``path:line: message``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError
from ..project import catalog_paths
from .checks import safety
from .entries import Entry, Finding
from .po import parse_po

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def guard_findings(path: Path, entries: list[Entry]) -> list[Finding]:
    """The safety errors of a parsed catalog."""
    found: list[Finding] = []
    for entry in entries:
        if entry.obsolete or entry.msgid == "" and entry.msgctxt is None:
            continue
        for source, translation in entry.pairs():
            if translation:
                for message in safety.check(source, translation):
                    found.append(Finding(path, entry.line, "error", "safety", message))
    return found


def guard_catalogs(app: Sphinx, config: Config) -> None:
    """Refuse to build from a catalog that msgfmt would reject, or whose
    translations add links, directives, roles or raw HTML."""
    language = config.language
    if not language or language == "en" and not config.locale_dirs:
        return
    errors: list[str] = []
    for path in catalog_paths(app.srcdir, list(config.locale_dirs), language):
        entries, findings = parse_po(path)
        findings += guard_findings(path, entries)
        errors += [str(f) for f in findings if f.severity == "error"]
    if errors:
        message = (
            "\n".join(errors) + "\nmalformed or unsafe translation catalog: nothing was built"
        )
        print(message, file=sys.stderr)
        raise UserError(message)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", guard_catalogs, priority=900)
