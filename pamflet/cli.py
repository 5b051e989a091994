"""The ``pamflet`` command: build every output of a pamflet project.

``pamflet build`` runs Sphinx in-process, once per language and builder,
with one doctree cache per language (``build/doctrees/<lang>``), so the text
of a language is read once and shared by the html, epub and leaflet builders.
Languages build in parallel on separate processes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

BUILDERS = ("html", "epub", "pdf")


@dataclass
class Project:
    root: Path
    srcdir: Path
    confdir: Path
    builddir: Path

    @classmethod
    def find(cls, root: Path, source: str = "source", build: str | Path = "build") -> Project:
        root = root.resolve()
        return cls(root, root / source, root, (root / build).resolve())

    def config(self) -> dict:
        """conf.py's namespace, evaluated the way Sphinx does."""
        from sphinx.config import eval_config_file
        from sphinx.util.tags import Tags

        return eval_config_file(self.confdir / "conf.py", Tags())

    def languages(self) -> list[str]:
        conf = self.config()
        return list(conf.get("pamflet_languages") or [conf.get("language") or "en"])


@dataclass
class StepResult:
    language: str
    builder: str
    seconds: float
    ok: bool
    outputs: list[str] = field(default_factory=list)
    messages: str = ""


def _run_sphinx(
    project: Project,
    language: str,
    builder: str,
    outdir: Path,
    overrides: dict,
    log: io.TextIOBase,
) -> tuple[bool, str]:
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from . import errors
    from .errors import UserError

    nocolor()
    errors.quiet = True

    warnings = io.StringIO()
    confoverrides = {"language": language, **overrides}
    try:
        with patch_docutils(project.confdir), docutils_namespace():
            app = Sphinx(
                project.srcdir,
                project.confdir,
                outdir,
                project.builddir / "doctrees" / language,
                builder,
                confoverrides=confoverrides,
                status=log,
                warning=warnings,
                warningiserror=True,
                keep_going=True,
                verbosity=0,
            )
            app.build()
            ok = app.statuscode == 0
    except UserError as exc:
        # A user error (bad catalog): its message is already path:line: message.
        return False, exc.message
    except SphinxError as exc:
        # A configuration or leaflet error: no traceback.
        return False, f"{exc.category}: {exc}"
    return ok, warnings.getvalue()


def build_language(
    project: Project, language: str, builders: tuple[str, ...], formats: list[str] | None
) -> list[StepResult]:
    """Run the builders of one language, sharing its doctree cache."""
    results: list[StepResult] = []
    logdir = project.builddir / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    work = project.builddir / ".work"
    # The website comes last: its leaflet pages offer the PDFs and the EPUB for download.
    ordered = [b for b in ("epub", "pdf", "html") if b in builders]
    with open(logdir / f"{language}.log", "w", encoding="utf-8") as log:
        for builder in ordered:
            started = time.perf_counter()
            outputs: list[str] = []
            if builder == "html":
                outdir = project.builddir / "html" / language
                ok, messages = _run_sphinx(project, language, "html", outdir, {}, log)
                if ok:
                    outputs.append(str(outdir / "index.html"))
            elif builder == "epub":
                outdir = work / "epub" / language
                ok, messages = _run_sphinx(project, language, "epub", outdir, {}, log)
                if ok:
                    epubs = sorted(outdir.glob("*.epub"))
                    for epub in epubs:
                        target = project.builddir / "epub" / f"{epub.stem}-{language}.epub"
                        target.parent.mkdir(parents=True, exist_ok=True)
                        tmp = _temporary(project, target)
                        shutil.copyfile(epub, tmp)
                        os.replace(tmp, target)
                        outputs.append(str(target))
            else:
                outdir = project.builddir / "pdf" / language
                overrides: dict = {"pamflet_print_dir": str(work / "print" / language)}
                if formats:
                    overrides["pamflet_formats"] = formats
                ok, messages = _run_sphinx(project, language, "leaflet", outdir, overrides, log)
                if ok:
                    outputs += [str(p) for p in sorted(outdir.glob("*.pdf"))]
            results.append(
                StepResult(language, builder, time.perf_counter() - started, ok, outputs, messages)
            )
            if not ok:
                break
    return results


def write_language_chooser(project: Project, languages: list[str]) -> Path:
    """``build/html/index.html``: pick a language; plain links, no JavaScript."""
    from .web import language_chooser

    html_dir = project.builddir / "html"
    built = [lang for lang in languages if (html_dir / lang / "_static" / "fonts").is_dir()]
    fonts = f"{(built or languages)[0]}/_static/fonts"
    target = html_dir / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(project, target)
    tmp.write_text(
        language_chooser(project.config(), project.srcdir, languages, fonts), encoding="utf-8"
    )
    os.replace(tmp, target)
    return target


def _temporary(project: Project, target: Path) -> Path:
    """Where ``target`` is written before it is renamed into place: in build/.work/tmp,
    never among the outputs, so that even a killed build leaves nothing there."""
    folder = project.builddir / ".work" / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f".{target.name}.{os.getpid()}.tmp"


def _exit_with_parent(parent: int) -> None:
    """A worker ends when the build process ends, even when that is killed (SIGKILL):
    else it builds on, holding the build lock it inherited, and the next build waits
    for it forever."""
    import signal

    # Ctrl-C reaches every process of the build: a worker ends at once, quietly (its
    # outputs are written atomically), and the build process reports the interruption.
    # Without this, a worker interrupted while idle or importing printed a traceback.
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build process died before prctl
        os._exit(1)


def _size(path: str) -> str:
    size = Path(path).stat().st_size
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:,.1f} MB"


def missing_catalogs(project: Project, languages: list[str]) -> list[str]:
    """Languages (other than the source language) that have no catalog at all."""
    conf = project.config()
    source_language = conf.get("language") or "en"
    locale_dirs = conf.get("locale_dirs") or ["locales"]
    problems = []
    for lang in languages:
        if lang == source_language:
            continue
        folders = [project.srcdir / d / lang / "LC_MESSAGES" for d in locale_dirs]
        if not any(folder.glob("*.po") for folder in folders if folder.is_dir()):
            problems.append(
                f"{project.confdir / 'conf.py'}: pamflet_languages: {lang!r} has no catalog "
                f"in {os.path.relpath(folders[0], project.root)}/: run "
                f"`make update-po LANGUAGES={lang}` to create it"
            )
    return problems


@contextlib.contextmanager
def build_lock(project: Project):
    """One pamflet build at a time per build folder; a second one waits."""
    import fcntl

    project.builddir.mkdir(parents=True, exist_ok=True)
    with open(project.builddir / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                "pamflet: another build is using this build folder; waiting for it ...", flush=True
            )
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def cmd_build(args: argparse.Namespace) -> int:
    project = Project.find(Path(args.project), build=args.build_dir)
    with build_lock(project):
        return _build(project, args)


def _build(project: Project, args: argparse.Namespace) -> int:
    languages = args.languages or project.languages()
    problems = missing_catalogs(project, languages)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    builders = tuple(args.builders or BUILDERS)
    formats = args.formats
    started = time.perf_counter()
    # Temporaries a killed build left (the lock is ours: no other build is running).
    shutil.rmtree(project.builddir / ".work" / "tmp", ignore_errors=True)
    print(
        f"pamflet {__version__}: building {', '.join(builders)} for {', '.join(languages)}",
        flush=True,
    )
    results: list[StepResult] = []
    jobs = max(1, min(args.jobs, len(languages)))
    if jobs == 1:
        for lang in languages:
            for res in build_language(project, lang, builders, formats):
                _report(res)
                results.append(res)
    else:
        with ProcessPoolExecutor(
            max_workers=jobs, initializer=_exit_with_parent, initargs=(os.getpid(),)
        ) as pool:
            futures = [
                pool.submit(build_language, project, lang, builders, formats) for lang in languages
            ]
            for future in futures:
                for res in future.result():
                    _report(res)
                    results.append(res)
    failed = [r for r in results if not r.ok]
    if "html" in builders and not failed:
        write_language_chooser(project, project.languages())
    elapsed = time.perf_counter() - started
    if failed:
        print(f"\npamflet: build FAILED after {elapsed:.1f} s", file=sys.stderr)
        for res in failed:
            print(f"[{res.language}] {res.builder}:\n{res.messages.strip()}", file=sys.stderr)
        print(f"full logs: {project.builddir / 'logs'}", file=sys.stderr)
        return 1
    print(f"\nBuilt in {elapsed:.1f} s:")
    for res in results:
        for out in res.outputs:
            print(f"  {os.path.relpath(out, project.root):<55} {_size(out):>9}")
    if "html" in builders:
        print(
            f"  {os.path.relpath(project.builddir / 'html' / 'index.html', project.root):<55}"
            "  (language chooser)"
        )
    return 0


def cmd_imprint(args: argparse.Namespace) -> int:
    """Clinic variants of every leaflet: build/pdf/clinics/<id>/<lang>/<leaflet>-<format>.pdf."""
    project = Project.find(Path(args.project), build=args.build_dir)
    with build_lock(project):
        return _imprint(project, args)


def _imprint(project: Project, args: argparse.Namespace) -> int:
    from .imprint import ClinicError, imprint_batch, load_clinic

    conf = project.config()
    languages = project.languages()
    formats = list(conf.get("pamflet_formats") or ["a4"])
    leaflets = list(conf.get("pamflet_leaflets") or [conf.get("root_doc", "index")])
    paths = [Path(p) for p in args.clinics] or sorted((project.root / "clinics").glob("*.toml"))
    if not paths:
        print("pamflet imprint: no clinic files (clinics/*.toml)", file=sys.stderr)
        return 2
    clinics, failed = [], []
    for path in paths:
        try:
            clinics.append(load_clinic(path, languages, formats))
        except ClinicError as exc:
            failed.append(str(exc))
            print(f"  FAILED {exc}", file=sys.stderr)
    print_root = project.builddir / ".work" / "print"
    need = sorted({lang for c in clinics for lang in (c.languages or languages)})
    missing = [
        lang
        for lang in need
        if not all((print_root / lang / f"{d}.json").is_file() for d in leaflets)
    ]
    for lang in missing:
        print(f"  [{lang}] building the leaflets first ...", flush=True)
        for res in build_language(project, lang, ("pdf",), None):
            _report(res)
            if not res.ok:
                print(res.messages, file=sys.stderr)
                return 1
    started = time.perf_counter()
    out_root = project.builddir / "pdf" / "clinics"

    def progress(outcome) -> None:
        if outcome.ok:
            print(
                f"  {outcome.clinic}: {len(outcome.outputs)} PDFs in {outcome.seconds:.2f} s",
                flush=True,
            )
        else:
            print(f"  FAILED {outcome.message}", file=sys.stderr, flush=True)

    outcomes = imprint_batch(
        clinics,
        print_root=print_root,
        roots=[project.root],
        leaflets=leaflets,
        languages=languages,
        formats=formats,
        out_root=out_root,
        jobs=args.jobs,
        progress=progress if len(clinics) <= 20 or args.verbose else None,
        naive=args.naive,
    )
    failed += [o.message for o in outcomes if not o.ok]
    done = [o for o in outcomes if o.ok]
    files = sum(len(o.outputs) for o in done)
    print(
        f"\npamflet imprint: {len(done)} clinics done ({files} PDFs in "
        f"{os.path.relpath(out_root, project.root)}/), {len(failed)} failed, "
        f"{time.perf_counter() - started:.1f} s"
    )
    for message in failed:
        print(f"  {message}", file=sys.stderr)
    return 1 if failed else 0


def cmd_readability(args: argparse.Namespace) -> int:
    """Readability (and originality) of every leaflet, from the built doctrees."""
    from .readability import load_doctree, longest_shared_run, measure, text_blocks

    project = Project.find(Path(args.project), build=args.build_dir)
    conf = project.config()
    languages = args.languages or project.languages()
    limits = {
        "en": 60.0,
        "nl": 60.0,
        "max_sentence_words": 15.0,
        **conf.get("pamflet_readability", {}),
    }
    references = conf.get("pamflet_reference_texts", {})
    leaflets = list(conf.get("pamflet_leaflets") or [conf.get("root_doc", "index")])
    failures = 0
    for docname in leaflets:
        for lang in languages:
            doctree_dir = project.builddir / "doctrees" / lang
            if not (doctree_dir / f"{docname}.doctree").is_file():
                print(
                    f"{doctree_dir}: no doctree for {docname!r}: run `make html` first",
                    file=sys.stderr,
                )
                return 2
            blocks = text_blocks(load_doctree(doctree_dir, docname))
            report = measure(blocks, lang)
            minimum = float(limits.get(lang, 60.0))
            ok_score = report.score >= minimum
            ok_length = report.words_per_sentence <= float(limits["max_sentence_words"])
            failures += (not ok_score) + (not ok_length)
            print(
                f"{docname} [{lang}]: {report.formula} {report.score:.1f} "
                f"({'ok' if ok_score else 'BELOW'} >= {minimum:g}); "
                f"{report.words} words, {report.sentences} sentences, "
                f"{report.words_per_sentence:.1f} words a sentence "
                f"({'ok' if ok_length else 'ABOVE'} <= {limits['max_sentence_words']:g})"
            )
            for words, sentence in report.longest:
                print(f"    {words:3d} words: {sentence}")
            reference = references.get(docname)
            if reference and lang == (conf.get("language") or "en"):
                text = (project.confdir / reference).read_text(encoding="utf-8")
                run = longest_shared_run(" ".join(blocks), text)
                failures += run >= 10
                print(
                    f"    longest run of words shared with {reference}: {run} "
                    f"({'ok' if run < 10 else 'TOO LONG'} < 10)"
                )
    return 1 if failures else 0


def _report(res: StepResult) -> None:
    state = "ok" if res.ok else "FAILED"
    print(f"  [{res.language}] {res.builder:<5} {state} in {res.seconds:5.1f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pamflet", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"pamflet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build the website, EPUBs and PDF leaflets")
    build.add_argument(
        "builders",
        nargs="*",
        metavar="BUILDER",
        help="what to build: html, epub, pdf (default: all three)",
    )
    build.add_argument(
        "-l",
        "--languages",
        nargs="+",
        metavar="LANG",
        help="languages to build (default: pamflet_languages in conf.py)",
    )
    build.add_argument(
        "-f",
        "--formats",
        nargs="+",
        metavar="FORMAT",
        help="PDF formats (default: pamflet_formats in conf.py)",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="languages to build in parallel (default: 2)",
    )
    build.add_argument("-C", "--project", default=".", help="project folder (default: .)")
    build.add_argument(
        "-o",
        "--build-dir",
        default="build",
        help="output folder, relative to the project (default: build)",
    )
    build.set_defaults(func=cmd_build)

    imp = sub.add_parser("imprint", help="clinic variants of the leaflets (clinics/*.toml)")
    imp.add_argument(
        "clinics",
        nargs="*",
        metavar="CLINIC.toml",
        help="clinic files (default: every clinics/*.toml)",
    )
    imp.add_argument("-j", "--jobs", type=int, default=min(2, os.cpu_count() or 1))
    imp.add_argument("-v", "--verbose", action="store_true", help="a line per clinic")
    imp.add_argument(
        "--naive",
        action="store_true",
        help="lay out the whole leaflet for every clinic (benchmark baseline)",
    )
    imp.add_argument("-C", "--project", default=".")
    imp.add_argument("-o", "--build-dir", default="build")
    imp.set_defaults(func=cmd_imprint)

    read = sub.add_parser(
        "readability", help="readability of each leaflet and language (from the build)"
    )
    read.add_argument("-l", "--languages", nargs="+", metavar="LANG")
    read.add_argument("-C", "--project", default=".")
    read.add_argument("-o", "--build-dir", default="build")
    read.set_defaults(func=cmd_readability)

    # Translator workflow: pamflet check / stats / review / update-po.
    from . import checks, review, stats, update

    for module in (checks, stats, review, update):
        module.add_command(sub)

    args = parser.parse_args(argv)
    unknown = [b for b in getattr(args, "builders", []) if b not in BUILDERS]
    if unknown:
        parser.error(f"unknown builder(s) {', '.join(unknown)}; choose from {', '.join(BUILDERS)}")
    if getattr(args, "languages", None) and len(args.languages) == 1:
        args.languages = args.languages[0].split()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(
            f"\npamflet {args.command}: interrupted; files already written are complete, "
            "the others are as they were",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
