"""The live proof loop for translators: ``pamflet proof --watch`` (``make proof-watch``).

One long-running process watches ``locales/<lang>/`` and ``source/`` and, on
every save, rebuilds the A5 reader PDF of that language (``make proof`` writes the
same file: ``build/pdf/<lang>/<leaflet>-a5.pdf`` with this project's file names).
It keeps what a fresh ``pamflet build`` pays for on every run: the imports of Sphinx,
docutils and WeasyPrint, the doctree cache (only the changed document is read
again) and the catalog checker. One line per rebuild gives the time and the
first ``pamflet check`` finding for the entries that changed, if any.

A catalog with a syntax error is not built: the watcher prints its
``file:line`` message and keeps the last good PDF. Ctrl-C ends it.
"""

from __future__ import annotations

import contextlib
import io
import sys
import time
from pathlib import Path

from .project import Project
from .translate.entries import Entry, Finding
from .translate.po import parse_po
from .workers import build_lock, progress

#: Files whose change rebuilds the proof (Sphinx writes .mo files: never these).
WATCHED_SUFFIXES = {".po", ".rst", ".txt", ".md", ".svg", ".png", ".jpg", ".jpeg", ".csv"}


def _key(entry: Entry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _snapshot(entries: list[Entry]) -> dict[tuple[str | None, str], tuple]:
    return {
        _key(e): (tuple(sorted(e.msgstr.items())), tuple(sorted(e.flags)), e.obsolete)
        for e in entries
    }


class _Session:
    """One Sphinx application kept for the watcher's life: each rebuild runs
    ``app.build()`` again (as Sphinx's own tests of incremental builds do) instead of
    making a new application, which loaded the extensions and unpickled the
    environment every time (about 0.3 s). The environment stays in memory; only the
    changed documents are read again. After a failed build the session is dropped and
    the next rebuild starts a new one."""

    def __init__(self, project: Project, language: str, overrides: dict) -> None:
        from sphinx.util.console import nocolor
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        from .build import sphinx_app

        nocolor()
        layout = project.layout
        layout.log(language).parent.mkdir(parents=True, exist_ok=True)
        self._built = False
        self._stack = contextlib.ExitStack()
        try:
            self.log = self._stack.enter_context(open(layout.log(language), "w", encoding="utf-8"))
            self.warnings = io.StringIO()
            # Sphinx registers its directives and roles in docutils for as long as this lasts.
            self._stack.enter_context(patch_docutils(project.confdir))
            self._stack.enter_context(docutils_namespace())
            self.app = sphinx_app(
                project,
                language,
                "leaflet",
                layout.pdf(language),
                overrides,
                self.log,
                self.warnings,
            )
        except BaseException:
            self._stack.close()
            raise

    def build(self) -> tuple[bool, str]:
        """One rebuild: (ok, its warnings). Sphinx counts an application's warnings over
        its life (and its status code with them); warnings are errors here, so a
        rebuild is ok when it wrote no warning of its own."""
        from sphinx.environment import CONFIG_OK

        from .patches.sphinx import forget_doctrees

        app = self.app
        for stream in (self.log, self.warnings):
            stream.seek(0)
            stream.truncate()
        if app.env.config_status != CONFIG_OK and self._built:
            app.env.config_status = CONFIG_OK  # the configuration is the same as last time
        # Sphinx keeps each doctree it loaded from disk for the application's life
        # (BuildEnvironment.get_doctree); a document read again must be loaded again.
        forget_doctrees(app.env)
        app.build()
        self._built = True
        self.log.flush()
        warnings = self.warnings.getvalue()
        return not warnings.strip(), warnings

    def close(self) -> None:
        self._stack.close()


class Proof:
    """One language's proof PDF, rebuilt in this process on every change."""

    def __init__(self, project: Project, language: str) -> None:
        self.project = project
        self.language = language
        self.catalogs: dict[Path, dict] = {}
        for path in project.catalogs(language):
            entries, _ = parse_po(path)
            self.catalogs[path.resolve()] = _snapshot(entries)
        self._checker = None
        self._session: _Session | None = None
        self._interface: dict = {}  # Sphinx's own translators, loaded by the session

    @property
    def outputs(self) -> list[Path]:
        """The PDFs a rebuild writes, named as the leaflet builder names a build of the
        A5 format alone (``pamflet_pdf_filename``; without it ``<leaflet>.pdf``)."""
        from .project import pdf_filename

        folder = self.project.layout.pdf(self.language)
        pattern = self.project.settings(self.language).pamflet_pdf_filename
        return [folder / pdf_filename(pattern, doc, "a5", 1) for doc in self.project.leaflets()]

    def checker(self):
        if self._checker is None:
            from .translate.checks.runner import Checker, Options

            options = Options.from_project(self.project, self.project.root)
            self._checker = Checker(options)
        return self._checker

    def syntax_error(self, changed: list[Path]) -> str:
        """``file:line: message`` of the first changed catalog that does not parse."""
        for path in changed:
            if path.suffix == ".po" and path.is_file():
                _, problems = parse_po(path)
                for finding in problems:
                    if finding.severity == "error" and finding.check == "syntax":
                        return f"{self.project.relative(path)}:{finding.line}: {finding.message}"
        return ""

    def changed_findings(self, changed: list[Path]) -> list[Finding]:
        """``pamflet check`` findings of the entries that changed since the last save."""
        findings: list[Finding] = []
        for path in changed:
            if path.suffix != ".po" or not path.is_file():
                continue
            entries, _ = parse_po(path)
            new = _snapshot(entries)
            old = self.catalogs.get(path.resolve(), {})
            self.catalogs[path.resolve()] = new
            keys = {k for k, v in new.items() if old.get(k) != v}
            spans = [(e.line, max(e.end_line, e.line)) for e in entries if _key(e) in keys]
            if not spans:
                continue
            # only the changed entries: checking all of them took 0.3-0.5 s a save
            for finding in self.checker().check(path, only=lambda e, keys=keys: _key(e) in keys):
                same = Path(finding.path).resolve() == path.resolve()
                if same and any(a <= finding.line <= b for a, b in spans):
                    findings.append(finding)
        return findings

    def build(self, changed: list[Path] | None = None) -> tuple[bool, str]:
        """Run the leaflet builder for the A5 format; (ok, messages). ``changed``: the
        files saved since the last build (None: the first build)."""
        from sphinx.errors import SphinxError

        from . import errors
        from .build import failure_message
        from .patches.sphinx import forget_catalogs, restore_translators, translators

        errors.quiet = True
        if self._session is not None and not self._session_holds(changed or []):
            self.close()
        layout = self.project.layout
        overrides = {
            "pamflet_print_dir": str(layout.print_dir(self.language)),
            "pamflet_formats": ["a5"],
            # WeasyPrint stays loaded in this process, with its renderer (fonts, stylesheets)
            "pamflet_render_process": False,
        }
        with build_lock(self.project.builddir):
            try:
                # The leaflet's catalogs are read again; Sphinx's own strings, loaded
                # when the application was made, stay.
                forget_catalogs()
                if self._session is None:
                    self._session = _Session(self.project, self.language, overrides)
                    self._interface = translators()
                restore_translators(self._interface)
                return self._session.build()
            except SphinxError as exc:
                self.close()  # a new application next time
                return False, failure_message(exc)
            except BaseException:
                self.close()
                raise

    def _session_holds(self, changed: list[Path]) -> bool:
        """Whether the kept application can build these changes: a leaflet's text or
        its catalog, not the configuration or Sphinx's own interface strings."""
        return not any(path.name in ("conf.py", "sphinx.po") for path in changed)

    def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            session.close()

    def rebuild(self, changed: list[Path]) -> str:
        """One line for one change: the time to the new PDF and the first finding of
        the changed entries, or the error."""
        started = time.perf_counter()
        stamp = time.strftime("%H:%M:%S")
        problem = self.syntax_error(changed)
        if problem:
            return f"{stamp} {problem} (kept the last good PDF)"
        ok, messages = self.build(changed)
        seconds = time.perf_counter() - started
        if not ok:
            first = messages.strip().splitlines()[0] if messages.strip() else "build failed"
            return f"{stamp} {first} (kept the last good PDF)"
        names = ", ".join(self.project.relative(p) for p in self.outputs)
        line = f"{stamp} {names} in {seconds:.2f} s"
        findings = self.changed_findings(changed)  # after the PDF: it comes first
        if findings:
            line += f"; {findings[0]}"
        return line


def _watched(project: Project, language: str) -> list[Path]:
    folders = [project.srcdir]
    for locale_dir in project.locale_dirs:
        folder = project.srcdir / locale_dir / language
        if folder.is_dir() and not folder.resolve().is_relative_to(project.srcdir.resolve()):
            folders.append(folder)
    return folders


def _catalog_languages(project: Project) -> set[str]:
    """The languages with a catalog in the project's locale folders
    (``<locale_dir>/<lang>/LC_MESSAGES/**/*.po``)."""
    found = set()
    for locale_dir in project.locale_dirs:
        folder = project.srcdir / locale_dir
        if folder.is_dir():
            found |= {p.relative_to(folder).parts[0] for p in folder.glob("*/LC_MESSAGES/**/*.po")}
    return found


def proof_languages(project: Project) -> list[str]:
    """The languages ``pamflet proof`` takes: those of conf.py, and those with catalogs
    (an ordinary Sphinx project with ``locales/<lang>/`` need not list them in
    ``pamflet_languages``)."""
    known = project.languages()
    return known + sorted(_catalog_languages(project) - set(known))


def run_proof(project: Project, language: str, watch: bool = False) -> int:
    """``pamflet proof``: the A5 reader PDF of ``language``; with ``watch``, again on every
    save until Ctrl-C. The exit status."""
    from .patches.sphinx import PARSED_MESSAGES

    proof = Proof(project, language)
    # Sphinx's parse of each translated message is kept for the watcher's life: after a
    # save only the changed messages are parsed again.
    try:
        with PARSED_MESSAGES.applied():
            return _first_build_then_watch(proof, watch)
    except KeyboardInterrupt:
        progress("pamflet proof: stopped")
        return 130
    finally:
        proof.close()


def _first_build_then_watch(proof: Proof, watch: bool) -> int:
    started = time.perf_counter()
    ok, messages = proof.build()
    if not ok:
        print(messages.strip(), file=sys.stderr)
        if not watch:
            return 1
    else:
        names = ", ".join(proof.project.relative(p) for p in proof.outputs)
        progress(f"{time.strftime('%H:%M:%S')} {names} in {time.perf_counter() - started:.2f} s")
    return _watch(proof) if watch else 0


def _watch(proof: Proof) -> int:
    from watchfiles import watch

    project = proof.project
    builddir = project.builddir.resolve()

    def wanted(_change, path: str) -> bool:
        candidate = Path(path)
        if candidate.name.startswith((".", "#")) or candidate.name.endswith("~"):
            return False
        if candidate.resolve().is_relative_to(builddir):
            return False
        return candidate.suffix.lower() in WATCHED_SUFFIXES

    folders = _watched(project, proof.language)
    announced = False
    # The first (empty) yield after rust_timeout comes once the watcher is running:
    # only then is a save sure to be seen, so only then does it say "watching".
    for changes in watch(
        *folders,
        watch_filter=wanted,
        debounce=400,
        step=30,
        rust_timeout=300,
        yield_on_timeout=True,
    ):
        if not announced:
            announced = True
            progress(
                f"pamflet proof: watching "
                f"{', '.join(project.relative(f) + '/' for f in folders)} (Ctrl-C stops)"
            )
        if changes:
            changed = sorted({Path(path) for _, path in changes})
            progress(proof.rebuild(changed))
    return 0
