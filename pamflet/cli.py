"""The ``pamflet`` command: build every output of a pamflet project.

``pamflet build`` runs Sphinx in-process, once per language and builder (see
``build.py``); ``pamflet imprint`` makes clinic variants (``pdf/imprint.py``);
the translator commands (check, stats, review, update-po, readability) live in
``translate/``. This module parses arguments and runs the commands.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from sphinx.errors import SphinxError

from . import __version__
from .build import BUILDERS
from .project import Project, add_project_options
from .workers import build_lock, collect_less, exit_now, progress

# Light on purpose: ``pamflet build`` forks its render process first thing (see
# cmd_build), and what is imported before the fork delays it; the translator
# commands' modules load only for their own command or the full help.


def cmd_build(args: argparse.Namespace) -> int:
    if "pdf" in (args.builders or ("pdf",)) and args.languages and len(args.languages) == 1:
        from .pdf.renderproc import prestart

        prestart(args.languages[0])  # WeasyPrint loads while pamflet and Sphinx start
    from .build import build

    project = Project.find(Path(args.project), build=args.build_dir)
    if args.release:
        from .about import release_problems

        problems = release_problems(project.settings(), project.leaflets())
        if problems:
            for problem in problems:
                print(f"{project.conf_py}: {problem}", file=sys.stderr)
            print(
                "pamflet build --release: nothing built; a released leaflet needs a recorded "
                "review and a next_review date that has not passed",
                file=sys.stderr,
            )
            return 1
    with build_lock(project.builddir):
        languages = args.languages or project.languages()
        builders = tuple(args.builders or ("html", "epub", "pdf"))
        return build(project, languages, builders, args.formats, args.jobs)


def cmd_imprint(args: argparse.Namespace) -> int:
    """Clinic variants of every leaflet: build/pdf/clinics/<id>/<lang>/<leaflet>-<format>.pdf."""
    project = Project.find(Path(args.project), build=args.build_dir)
    with build_lock(project.builddir):
        return _imprint(project, args)


def _imprint(project: Project, args: argparse.Namespace) -> int:
    from .build import build_language, report
    from .pdf.clinic import ClinicError, load_clinic
    from .pdf.imprint import imprint_batch

    languages = project.languages()
    formats = list(project.settings().pamflet_formats)
    leaflets = project.leaflets()
    layout = project.layout
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
            progress(f"  FAILED {exc}", error=True)
    need = sorted({lang for c in clinics for lang in (c.languages or languages)})
    missing = [
        lang
        for lang in need
        if not all((layout.print_dir(lang) / f"{d}.json").is_file() for d in leaflets)
    ]
    for lang in missing:
        progress(f"  [{lang}] building the leaflets first ...")
        for res in build_language(project, lang, ("pdf",), None):
            report(res)
            if not res.ok:
                print(res.messages, file=sys.stderr)
                return 1
    started = time.perf_counter()
    out_root = layout.clinics()

    def show(outcome) -> None:
        if outcome.ok:
            progress(f"  {outcome.clinic}: {len(outcome.outputs)} PDFs in {outcome.seconds:.2f} s")
        else:
            progress(f"  FAILED {outcome.message}", error=True)

    outcomes = imprint_batch(
        clinics,
        print_root=layout.print_root(),
        staging_root=layout.imprint_staging(),
        roots=[project.root],
        leaflets=leaflets,
        languages=languages,
        formats=formats,
        out_root=out_root,
        jobs=args.jobs,
        progress=show if len(clinics) <= 20 or args.verbose else None,
        naive=args.naive,
    )
    failed += [o.message for o in outcomes if not o.ok]
    done = [o for o in outcomes if o.ok]
    files = sum(len(o.outputs) for o in done)
    print(
        f"\npamflet imprint: {len(done)} clinics done ({files} PDFs in "
        f"{project.relative(out_root)}/), {len(failed)} failed, "
        f"{time.perf_counter() - started:.1f} s"
    )
    for message in failed:
        print(f"  {message}", file=sys.stderr)
    return 1 if failed else 0


def _parser(command: str | None) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The command line, and its build command's; with ``command`` "build" or
    "imprint", that command's only."""
    parser = argparse.ArgumentParser(prog="pamflet", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"pamflet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    build_parser = sub.add_parser("build", help="build the website, EPUBs and PDF leaflets")
    if command in (None, "build"):
        _add_build(build_parser)
    if command in (None, "imprint"):
        _add_imprint(sub)
    if command is None:
        # Translator workflow: pamflet readability / check / stats / review / update-po.
        from . import scaffold, watch
        from .translate import checks, readability, review, stats, update_po

        for module in (readability, checks, stats, review, update_po, scaffold, watch):
            module.add_command(sub)
    return parser, build_parser


def _add_build(build_parser: argparse.ArgumentParser) -> None:
    build_parser.add_argument(
        "builders",
        nargs="*",
        metavar="BUILDER",
        help="what to build: html, epub, pdf (default: all three)",
    )
    build_parser.add_argument(
        "-l",
        "--languages",
        nargs="+",
        metavar="LANG",
        help="languages to build (default: pamflet_languages in conf.py)",
    )
    build_parser.add_argument(
        "-f",
        "--formats",
        nargs="+",
        metavar="FORMAT",
        help="PDF formats (default: pamflet_formats in conf.py)",
    )
    build_parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="languages to build in parallel (default: 2)",
    )
    build_parser.add_argument(
        "--release",
        action="store_true",
        help="refuse to build when a leaflet has no recorded review or its "
        "next_review date has passed",
    )
    add_project_options(build_parser)
    build_parser.set_defaults(func=cmd_build)


def _add_imprint(sub) -> None:
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
    add_project_options(imp)
    imp.set_defaults(func=cmd_imprint)


def main(argv: list[str] | None = None) -> int:
    collect_less()  # before the imports of Sphinx and WeasyPrint (workers.py)
    argv = sys.argv[1:] if argv is None else argv
    first = argv[0] if argv else None
    parser, build_parser = _parser(first if first in ("build", "imprint") else None)
    args = parser.parse_args(argv)
    unknown = [b for b in getattr(args, "builders", []) if b not in BUILDERS]
    if unknown:
        build_parser.error(f"unknown builder(s) {', '.join(unknown)}; choose from html, epub, pdf")
    if getattr(args, "languages", None) and len(args.languages) == 1:
        args.languages = args.languages[0].split()
    try:
        return args.func(args)
    except SphinxError as exc:  # conf.py read outside a build (Project.settings())
        print(f"{Path(getattr(args, 'project', '.')) / 'conf.py'}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            f"\npamflet {args.command}: interrupted; files already written are complete, "
            "the others are as they were",
            file=sys.stderr,
        )
        return 130


def run() -> None:
    """The ``pamflet`` command: :func:`main`, then :func:`exit_now`."""
    exit_now(main())


if __name__ == "__main__":
    run()
