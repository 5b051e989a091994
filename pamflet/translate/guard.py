"""The build guard: no catalog that would publish wrong or unsafe text reaches Sphinx.

Sphinx skips a catalog it cannot read with only a warning, and Babel reads some
broken files silently, so a broken catalog can quietly give an English or a
garbled "Dutch" leaflet. At ``config-inited``, before Sphinx compiles (or
skips) any catalog, the guard reads every catalog of the build language with
the strict parser (``po.py``) and refuses to build only from what would
publish wrong or unsafe text (``Finding.stops_build``): syntax that Babel
misreads, a msgid defined twice, a header Babel cannot use (a charset other
than UTF-8, a broken Plural-Forms), or a translation that adds a link,
directive, role, raw HTML or bidi control characters that the English lacks
(``checks/safety.py``; ``#, ignore-bidi`` on the entry accepts bidi controls).
Header fields that GNU ``msgfmt --check`` only warns about (a missing
``Language`` or ``Plural-Forms``, a fuzzy header, template values) never stop
a build: they are warnings in ``pamflet check``. The message is
``path:line: message``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import before_build, fail
from ..project import catalog_paths
from ..settings import DEFAULT_LANGUAGE
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
                if "ignore-bidi" not in entry.flags:
                    for message in safety.bidi(source, translation):
                        found.append(Finding(path, entry.line, "error", "safety", message))
    return found


def guard_catalogs(app: Sphinx, config: Config) -> None:
    """Refuse to build from a catalog that Babel would misread, or whose
    translations add links, directives, roles, raw HTML or bidi controls."""
    language = config.language
    if not language or language == DEFAULT_LANGUAGE and not config.locale_dirs:
        return
    errors: list[str] = []
    for path in catalog_paths(app.srcdir, list(config.locale_dirs), language):
        entries, findings = parse_po(path)
        findings += guard_findings(path, entries)
        errors += [str(f) for f in findings if f.stops_build]
    if errors:
        message = (
            "\n".join(errors) + "\nmalformed or unsafe translation catalog: nothing was built"
        )
        raise before_build(fail(message))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", guard_catalogs, priority=900)
