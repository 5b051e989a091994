"""``pamflet check`` (the translator checks, ``translate/checks/``) and ``pamflet guard``
(what a build would refuse, ``translate/guard.py``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import project_of, project_options


def cmd_check(args: argparse.Namespace) -> int:
    from ..translate.checks.report import run_check

    return run_check(
        project_of(args),
        [Path(p) for p in args.paths],
        strict=args.strict,
        skip={name for names in args.skip for name in names},
        only={name for names in args.only for name in names} if args.only else None,
        terminology=Path(args.terminology) if args.terminology else None,
    )


def cmd_guard(args: argparse.Namespace) -> int:
    from ..translate.guard import report_guard

    return report_guard([Path(p) for p in args.paths], allow_fuzzy=args.allow_fuzzy)


def _check_list(value: str) -> list[str]:
    from ..translate.checks.runner import CHECK_IDS

    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in CHECK_IDS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown check {', '.join(unknown)}; choose from {', '.join(CHECK_IDS)}"
        )
    return names


def add_commands(sub) -> None:
    from ..translate.checks.runner import CHECK_IDS

    parser = sub.add_parser(
        "check",
        help="check translation catalogs (syntax, reST, numbers, terms, spelling, safety)",
        description="Check .po catalogs; one line per finding: "
        "path:line: error|warning [check-id] message (source: file.rst:NN).",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=".po files or folders (default: every catalog under conf.py's locale_dirs)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="fuzzy and untranslated entries are errors"
    )
    parser.add_argument(
        "--skip",
        action="append",
        type=_check_list,
        default=[],
        metavar="CHECK[,CHECK]",
        help=f"leave out checks: {', '.join(CHECK_IDS)}",
    )
    parser.add_argument(
        "--only", action="append", type=_check_list, metavar="CHECK[,CHECK]", help="run only these"
    )
    parser.add_argument(
        "--terminology",
        metavar="CSV",
        help="glossary (default: <locale_dir>/<lang>/terminology.csv next to each catalog)",
    )
    project_options(parser, build_dir=False)
    parser.set_defaults(func=cmd_check)

    guard = sub.add_parser(
        "guard",
        help="whether a build would refuse these catalogs (before a commit, in CI)",
        description="Run the build's guard on .po catalogs: one line per refusal, "
        "path:line: reason; exit status 1 if a build would refuse any of them.",
    )
    guard.add_argument("paths", nargs="+", metavar="PATH", help=".po files or folders")
    guard.add_argument(
        "--allow-fuzzy",
        action="store_true",
        help="fuzzy entries are published (Sphinx's gettext_allow_fuzzy_translations)",
    )
    guard.set_defaults(func=cmd_guard)
