"""``pamflet build`` (the website, EPUBs and PDFs) and ``pamflet imprint`` (clinic variants).

``pamflet build`` runs Sphinx in-process, once per language and builder
(``build.py``); ``pamflet imprint`` makes clinic variants (``pdf/imprint.py``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import jobs_option, languages, languages_option, project_of, project_options

#: What ``pamflet build`` can build (``build.BUILDERS``, without importing it first).
BUILDER_NAMES = ("html", "epub", "pdf")


def cmd_build(args: argparse.Namespace) -> int:
    langs = languages(args)
    if "pdf" in (args.builders or ("pdf",)):
        from ..patches import announce_unverified

        announce_unverified()  # before any process forks: each line once
        if len(langs) == 1:
            from ..pdf.renderproc import prestart

            prestart(langs[0])  # WeasyPrint loads while pamflet and Sphinx start
    from ..build import build
    from ..workers import build_lock

    project = project_of(args)
    if args.release:
        from ..about import release_problems

        problems = release_problems(project.settings(), project.leaflets())
        if problems:
            for problem in problems:
                print(f"{project.conf_py}: {problem}", file=sys.stderr)
            print(
                "pamflet build --release: nothing built; a released leaflet needs a recorded "
                "review, a next_review date that has not passed and a confirmed online version",
                file=sys.stderr,
            )
            return 1
    with build_lock(project.builddir):
        builders = tuple(args.builders or BUILDER_NAMES)
        return build(
            project,
            langs or project.languages(),
            builders,
            args.formats,
            args.jobs,
            defines=dict(args.define),
            strict=args.warnings_are_errors,
            fresh=args.fresh,
        )


def cmd_imprint(args: argparse.Namespace) -> int:
    """Clinic variants of every leaflet: build/pdf/clinics/<id>/<lang>/<leaflet>-<format>.pdf."""
    from ..workers import build_lock

    project = project_of(args)
    with build_lock(project.builddir):
        return _imprint(project, args)


def _imprint(project, args: argparse.Namespace) -> int:
    from ..build import build_language, report
    from ..pdf.batch import imprint_batch
    from ..pdf.clinic import ClinicError, load_clinic
    from ..workers import progress

    langs = project.languages()
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
            clinics.append(load_clinic(path, langs, formats))
        except ClinicError as exc:
            failed.append(str(exc))
            progress(f"  FAILED {exc}", error=True)
    need = sorted({lang for c in clinics for lang in (c.languages or langs)})
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
        for note in outcome.notes:
            progress(f"  {note}")
        if outcome.ok and not outcome.outputs:
            progress(f"  {outcome.clinic}: up to date")
        elif outcome.ok:
            progress(f"  {outcome.clinic}: {len(outcome.outputs)} PDFs in {outcome.seconds:.2f} s")
        else:
            progress(f"  FAILED {outcome.message}", error=True)

    outcomes = imprint_batch(
        clinics,
        print_root=layout.print_root(),
        staging_root=layout.imprint_staging(),
        roots=[project.root],
        leaflets=leaflets,
        languages=langs,
        formats=formats,
        out_root=out_root,
        jobs=args.jobs,
        progress=show if len(clinics) <= 20 or args.verbose else _notes(show),
        naive=args.naive,
        whole_layout=args.whole_layout,
    )
    failed += [o.message for o in outcomes if not o.ok]
    done = [o for o in outcomes if o.ok]
    files = sum(len(o.outputs) for o in done)
    current = sum(not o.outputs for o in done)  # nothing of theirs changed: nothing made
    print(
        f"\npamflet imprint: {len(done)} clinics done ({files} PDFs in "
        f"{project.relative(out_root)}/"
        + (f"; {current} clinics up to date" if current else "")
        + f"), {len(failed)} failed, {time.perf_counter() - started:.1f} s"
    )
    for message in failed:
        print(f"  {message}", file=sys.stderr)
    return 1 if failed else 0


def _define(value: str) -> tuple[str, str]:
    name, equals, setting = value.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"-D {value!r}: expected setting=value")
    if name.strip() == "language":
        raise argparse.ArgumentTypeError("-D language=...: choose languages with --languages")
    return name.strip(), setting


def _notes(show):
    """A progress function that shows only failures and notes (for large batches)."""

    def shown(outcome) -> None:
        if outcome.notes or not outcome.ok:
            show(outcome)

    return shown


def _builders(value: str) -> str:
    if value not in BUILDER_NAMES:
        raise argparse.ArgumentTypeError(
            f"unknown builder {value!r}; choose from {', '.join(BUILDER_NAMES)}"
        )
    return value


def add_commands(sub) -> None:
    build = sub.add_parser("build", help="build the website, EPUBs and PDF leaflets")
    build.add_argument(
        "builders",
        nargs="*",
        type=_builders,
        metavar="BUILDER",
        help="what to build: html, epub, pdf (default: all three)",
    )
    languages_option(build, help="languages to build (default: pamflet_languages in conf.py)")
    build.add_argument(
        "-f",
        "--formats",
        nargs="+",
        metavar="FORMAT",
        help="PDF formats (default: pamflet_formats in conf.py)",
    )
    jobs_option(build, "languages and leaflets to build")
    build.add_argument(
        "--fresh",
        action="store_true",
        help="make every output again: forget the doctree caches and the outputs' keys",
    )
    build.add_argument(
        "-D",
        dest="define",
        action="append",
        type=_define,
        default=[],
        metavar="setting=value",
        help="override a setting in conf.py, as sphinx-build -D does",
    )
    build.add_argument(
        "-W",
        dest="warnings_are_errors",
        action="store_true",
        help="turn warnings into errors, as sphinx-build -W does (make passes it)",
    )
    build.add_argument(
        "--release",
        action="store_true",
        help="refuse to build when a leaflet has no recorded review or its "
        "next_review date has passed",
    )
    project_options(build)
    build.set_defaults(func=cmd_build)

    imprint = sub.add_parser("imprint", help="clinic variants of the leaflets (clinics/*.toml)")
    imprint.add_argument(
        "clinics",
        nargs="*",
        metavar="CLINIC.toml",
        help="clinic files (default: every clinics/*.toml)",
    )
    jobs_option(imprint, "clinics to lay out")
    imprint.add_argument("-v", "--verbose", action="store_true", help="a line per clinic")
    imprint.add_argument(
        "--naive",
        action="store_true",
        help="lay out the whole leaflet for every clinic (benchmark baseline)",
    )
    imprint.add_argument(
        "--whole-layout",
        action="store_true",
        help="lay out each clinic's cover and back page whole instead of stamping its "
        "logo, name and imprint onto pages laid out once (the reference for stamping)",
    )
    project_options(imprint)
    imprint.set_defaults(func=cmd_imprint)
