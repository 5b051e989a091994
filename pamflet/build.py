"""Running Sphinx: once per language and builder, in-process, sharing the doctree cache.

``pamflet build`` runs the builders of a language one after the other with one
doctree cache per language (``build/doctrees/<lang>``), so the text of a
language is read once and shared by the epub, leaflet and html builders.
Languages build in parallel on separate processes. The website comes last:
its leaflet pages offer the PDFs and the EPUB for download.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import errors
from .errors import UserError
from .files import atomic_output
from .project import Project
from .workers import exit_with_parent, file_size, progress, share_render_slots

#: What ``pamflet build`` can build, in the order it builds them.
BUILDERS = ("epub", "pdf", "html")
#: The Sphinx builder behind each.
SPHINX_BUILDERS = {"html": "html", "epub": "epub", "pdf": "leaflet"}


@dataclass
class StepResult:
    language: str
    builder: str
    seconds: float
    ok: bool
    outputs: list[str] = field(default_factory=list)
    messages: str = ""


def sphinx_app(
    project: Project,
    language: str,
    builder: str,
    outdir: Path,
    overrides: dict,
    status: io.TextIOBase,
    warnings: io.TextIOBase,
    warningiserror: bool = True,
):
    """A Sphinx application for one language and builder, as every pamflet build makes
    it (warnings are errors unless ``warningiserror`` is False: ``pamflet build``
    without -W; the build goes on to report them all). Call inside
    ``patch_docutils(project.confdir)`` and ``docutils_namespace()``."""
    from sphinx.application import Sphinx

    return Sphinx(
        project.srcdir,
        project.confdir,
        outdir,
        project.layout.doctrees(language),
        builder,
        confoverrides={"language": language, **overrides},
        status=status,
        warning=warnings,
        warningiserror=warningiserror,
        keep_going=True,
        verbosity=0,
    )


def failure_message(exc: Exception) -> str:
    """The one line a failed build reports for a user error or a Sphinx error."""
    if isinstance(exc, UserError):
        return exc.message  # a bad catalog: already path:line: message
    return f"{exc.category}: {exc}"  # a configuration or leaflet error: no traceback


def run_sphinx(
    project: Project,
    language: str,
    builder: str,
    outdir: Path,
    overrides: dict,
    log: io.TextIOBase,
    strict: bool = True,
) -> tuple[bool, str]:
    """One Sphinx build; returns (ok, warnings or the error message)."""
    from sphinx.errors import SphinxError
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from .patches.sphinx import forget_translators

    nocolor()
    errors.quiet = True
    # Sphinx caches its translators for the whole process: a worker that builds a
    # second language would otherwise print the first one's interface strings.
    forget_translators()
    import_untranslated()

    warnings = io.StringIO()
    try:
        with patch_docutils(project.confdir), docutils_namespace():
            app = sphinx_app(project, language, builder, outdir, overrides, log, warnings, strict)
            app.build()
            ok = app.statuscode == 0
    except SphinxError as exc:  # a user error (UserError) is one too
        return False, failure_message(exc)
    return ok, warnings.getvalue()


def import_untranslated() -> None:
    """Import Sphinx's own modules while no language is set (after clearing its
    translators, before the first build of the process).

    Sphinx's ``_()`` gives a lazy string only while no translator is registered;
    once one is, it translates at once. Strings that modules make when they are
    imported (``PythonModuleIndex.localname``, "Python Module Index") would keep the
    language of the build during which Sphinx first imported them, and a worker
    that builds Dutch and then Arabic wrote the Dutch label into the Arabic
    ``objects.inv``. Sphinx imports these modules at every build anyway.
    """
    import importlib

    from sphinx.application import builtin_extensions

    from .patches.sphinx import translators_registered

    if translators_registered():
        return  # too late here: only where no translator is registered
    for name in builtin_extensions:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional first-party extension that is absent
            pass


def build_language(
    project: Project,
    language: str,
    builders: tuple[str, ...],
    formats: list[str] | None,
    defines: dict | None = None,
    strict: bool = True,
) -> list[StepResult]:
    """Run the builders of one language, sharing its doctree cache; ``defines`` are
    ``-D`` settings, ``strict`` makes warnings errors (``-W``)."""
    if "pdf" in builders:
        from .pdf.renderproc import prestart

        prestart(language)  # WeasyPrint loads while Sphinx reads (pdf/renderproc.py)
    layout = project.layout
    results: list[StepResult] = []
    layout.log(language).parent.mkdir(parents=True, exist_ok=True)
    with open(layout.log(language), "w", encoding="utf-8") as log:
        for builder in (b for b in BUILDERS if b in builders):
            started = time.perf_counter()
            outputs: list[str] = []
            sphinx_builder = SPHINX_BUILDERS[builder]
            overrides: dict = dict(defines or {})
            if builder == "html":
                outdir = layout.html(language)
            elif builder == "epub":
                outdir = layout.epub_work(language)
            else:
                outdir = layout.pdf(language)
                overrides["pamflet_print_dir"] = str(layout.print_dir(language))
                if formats:
                    overrides["pamflet_formats"] = formats
            ok, messages = run_sphinx(
                project, language, sphinx_builder, outdir, overrides, log, strict
            )
            if ok:
                if builder == "html":
                    outputs.append(str(outdir / "index.html"))
                elif builder == "epub":
                    outputs += publish_epubs(project, outdir, language)
                else:
                    outputs += [str(p) for p in sorted(outdir.glob("*.pdf"))]
            results.append(
                StepResult(language, builder, time.perf_counter() - started, ok, outputs, messages)
            )
            if not ok:
                break
    return results


def publish_epubs(project: Project, outdir: Path, language: str) -> list[str]:
    """Copy the EPUBs of a language from the work folder to ``build/epub/<name>-<lang>.epub``;
    those of the language that the build no longer makes (a leaflet taken out) go."""
    published = []
    for epub in sorted(outdir.glob("*.epub")):
        target = project.layout.epub(epub.stem, language)
        with atomic_output(target, project.layout.tmp) as tmp:
            shutil.copyfile(epub, tmp)
        published.append(str(target))
    for stale in project.layout.epub("*", language).parent.glob(f"*-{language}.epub"):
        if str(stale) not in published:
            stale.unlink()
    return published


def write_language_chooser(project: Project, languages: list[str]) -> Path:
    """``build/html/index.html``: pick a language; plain links, no JavaScript."""
    from .web.chooser import language_chooser

    layout = project.layout
    built = [lang for lang in languages if (layout.html(lang) / "_static" / "fonts").is_dir()]
    fonts = f"{(built or languages)[0]}/_static/fonts"
    target = layout.chooser
    with atomic_output(target, layout.tmp) as tmp:
        tmp.write_text(language_chooser(project, languages, fonts), encoding="utf-8")
    return target


def missing_catalogs(project: Project, languages: list[str]) -> list[str]:
    """Languages (other than the source language) that have no catalog at all."""
    problems = []
    for lang in languages:
        if lang == project.source_language or project.catalogs(lang):
            continue
        folder = project.srcdir / project.locale_dirs[0] / lang / "LC_MESSAGES"
        problems.append(
            f"{project.conf_py}: pamflet_languages: {lang!r} has no catalog "
            f"in {project.relative(folder)}/: run "
            f"`make update-po LANGUAGES={lang}` to create it"
        )
    return problems


def report(res: StepResult) -> None:
    state = "ok" if res.ok else "FAILED"
    progress(f"  [{res.language}] {res.builder:<5} {state} in {res.seconds:5.1f} s")


def preload() -> None:
    """Import what every language's build imports (Sphinx, its builders, pamflet's
    extension) in this process, before the language processes are forked: they share
    the imports instead of doing them each (about 0.5 s of CPU per extra language).
    WeasyPrint is left to each language's render process, which imports it while
    Sphinx reads."""
    import sphinx.application  # noqa: F401
    import sphinx.builders.epub3  # noqa: F401
    import sphinx.builders.html  # noqa: F401

    from . import about, bidi, web  # noqa: F401
    from .epub import builder as epub_builder  # noqa: F401
    from .pdf import builder as pdf_builder  # noqa: F401
    from .pdf import transforms  # noqa: F401
    from .translate import guard  # noqa: F401


def build(
    project: Project,
    languages: list[str],
    builders: tuple[str, ...],
    formats: list[str] | None,
    jobs: int,
    defines: dict | None = None,
    strict: bool = True,
    fresh: bool = False,
) -> int:
    """Build ``builders`` for ``languages``; prints progress and a summary; exit status.
    ``defines``: ``-D`` settings; ``strict``: warnings are errors (``-W``); ``fresh``:
    forget what earlier builds read and made (the doctree caches, the keys of the
    outputs, the intermediate files), so that every output is made again."""
    from . import __version__

    problems = missing_catalogs(project, languages)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    started = time.perf_counter()
    # Temporaries a killed build left (the lock is ours: no other build is running).
    shutil.rmtree(project.layout.tmp, ignore_errors=True)
    if fresh:
        for folder in (project.layout.work, project.layout.doctrees_root):
            shutil.rmtree(folder, ignore_errors=True)
    progress(f"pamflet {__version__}: building {', '.join(builders)} for {', '.join(languages)}")
    if "pdf" in builders:
        from .patches import announce_unverified

        announce_unverified()  # before the processes fork: each line once
    results: list[StepResult] = []
    # At most ``jobs`` leaflets render at once, over every language (pdf/parallel.py).
    share_render_slots(max(1, jobs), project.layout.work / "slots")
    jobs = max(1, min(jobs, len(languages)))
    if jobs == 1:
        for lang in languages:
            for res in build_language(project, lang, builders, formats, defines, strict):
                report(res)
                results.append(res)
    else:
        from .pdf import renderproc

        if "pdf" in builders:
            renderproc.start_zygote()  # one WeasyPrint for every language's render process
        try:
            preload()
            with ProcessPoolExecutor(
                max_workers=jobs, initializer=exit_with_parent, initargs=(os.getpid(),)
            ) as pool:
                futures = [
                    pool.submit(build_language, project, lang, builders, formats, defines, strict)
                    for lang in languages
                ]
                for future in futures:
                    for res in future.result():
                        report(res)
                        results.append(res)
        finally:
            renderproc.stop_zygote()
    failed = [r for r in results if not r.ok]
    if "html" in builders and not failed:
        write_language_chooser(project, project.languages())
    elapsed = time.perf_counter() - started
    if failed:
        print(f"\npamflet: build FAILED after {elapsed:.1f} s", file=sys.stderr)
        for res in failed:
            print(f"[{res.language}] {res.builder}:\n{res.messages.strip()}", file=sys.stderr)
        print(f"full logs: {project.layout.logs}", file=sys.stderr)
        return 1
    for res in results:  # the project's warnings, when they are not errors (no -W)
        if res.messages.strip():
            print(f"[{res.language}] {res.builder}:\n{res.messages.strip()}", file=sys.stderr)
    print(f"\nBuilt in {elapsed:.1f} s:")
    for res in results:
        for out in res.outputs:
            print(f"  {project.relative(out):<55} {file_size(out):>9}")
    if "html" in builders:
        print(f"  {project.relative(project.layout.chooser):<55}  (language chooser)")
    return 0
