"""The build guard: no catalog that would publish broken or dangerous text reaches Sphinx.

Sphinx skips a catalog it cannot read with only a warning, and Babel reads some
broken files silently, so a broken catalog can quietly give an English or a
garbled "Dutch" leaflet. At ``config-inited``, before Sphinx compiles (or
skips) any catalog, the guard reads every catalog of the build language with
the strict parser (``po.py``) and refuses to build only from what would
publish broken or dangerous text (``Finding.stops_build``): what msgfmt
refuses or Babel misreads (syntax, a msgid defined twice, a header Babel
cannot use), and, in the entries that Sphinx publishes (translated, not
obsolete, not fuzzy unless ``gettext_allow_fuzzy_translations``), what
``checks/refusals.py`` lists: bidi embeddings, overrides and isolates
(``#, ignore-bidi`` accepts them), a directive or role that injects raw output or a file, a link
that runs code, and active HTML in a template catalog. Everything else is for
``pamflet check``. ``pamflet guard PATH...`` runs the same code
(:func:`refused`). The message is ``path:line: message``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import before_build, fail
from ..project import catalog_paths
from ..settings import DEFAULT_LANGUAGE
from .checks import safety
from .checks.refusals import refusals, template_catalog
from .entries import Entry, Finding
from .po import parse_po

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def published(entry: Entry, allow_fuzzy: bool = False) -> bool:
    """Whether Sphinx puts the entry's translation into a page."""
    if entry.obsolete or entry.is_header or not entry.msgstr:
        return False
    if entry.fuzzy and not allow_fuzzy:
        return False
    return all(value != "" for value in entry.msgstr.values())


def guard_findings(
    path: Path, entries: list[Entry], *, allow_fuzzy: bool = False
) -> list[Finding]:
    """What the build refuses in the published entries of a parsed catalog."""
    found: list[Finding] = []
    template = template_catalog(path, entries)
    for entry in entries:
        if not published(entry, allow_fuzzy):
            continue
        for source, translation in entry.pairs():
            messages = refusals(source, translation, template=template)
            if "ignore-bidi" not in entry.flags:
                messages += safety.bidi(source, translation, safety.REORDERING)
            found += [Finding(path, entry.line, "error", "safety", m) for m in messages]
    return found


def refused(path: Path, *, allow_fuzzy: bool = False) -> list[Finding]:
    """Every reason why a build would refuse this catalog (none: it would build)."""
    entries, findings = parse_po(path)
    findings = [f for f in findings if f.stops_build]
    return findings + guard_findings(path, entries, allow_fuzzy=allow_fuzzy)


def guard_catalogs(app: Sphinx, config: Config) -> None:
    """Refuse to build from a catalog that Babel would misread, or whose published
    translations would be dangerous (:func:`refused`)."""
    language = config.language
    if not language or language == DEFAULT_LANGUAGE and not config.locale_dirs:
        return
    errors: list[str] = []
    for path in catalog_paths(app.srcdir, list(config.locale_dirs), language):
        allow_fuzzy = bool(config.gettext_allow_fuzzy_translations)
        errors += [str(f) for f in refused(path, allow_fuzzy=allow_fuzzy)]
    if errors:
        message = (
            "\n".join(errors) + "\nmalformed or unsafe translation catalog: nothing was built"
        )
        raise before_build(fail(message))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", guard_catalogs, priority=900)


def report_guard(paths: list[Path], *, allow_fuzzy: bool = False) -> int:
    """``pamflet guard``: ``path:line: reason`` for each refusal; the exit status."""
    from .checks.runner import display_path, expand

    catalogs = [Path(display_path(p)) for p in expand(paths)]
    missing = [p for p in catalogs if not p.is_file()]
    for path in missing:
        print(f"{path}: no such catalog", file=sys.stderr)
    if missing:
        return 2
    refusing = 0
    for path in catalogs:
        findings = refused(path, allow_fuzzy=allow_fuzzy)
        refusing += bool(findings)
        for finding in findings:
            print(f"{finding.path}:{finding.line}: {finding.message}")
    print(
        f"pamflet guard: {refusing} of {len(catalogs)} catalog{'s' * (len(catalogs) != 1)} "
        "would stop a build"
        if refusing
        else f"pamflet guard: {len(catalogs)} catalog{'s' * (len(catalogs) != 1)}, none would "
        "stop a build",
        file=sys.stderr,
    )
    return 1 if refusing else 0
