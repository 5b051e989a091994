"""The ``pamflet`` command line: argument parsing, as Sphinx has ``sphinx/cmd/``.

Each module here declares one group of commands and turns their arguments into a
call of the stage that does the work (``build.py``, ``pdf/imprint.py``,
``translate/``, ``scaffold.py``, ``watch.py``); the stages hold no argparse.
The options every command shares (``-C``, ``-o``, ``-l``, ``-j``) are declared
once, below.

Light on purpose: ``pamflet build`` forks its render process first thing, and
what is imported before the fork delays it; the other commands' modules load
only for their own command or the full help.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import __version__, errors

#: The commands whose modules load at once (the rest load for the full help).
FAST = ("build", "imprint")


# -- the options every command shares ---------------------------------------------------------


def project_options(parser: argparse.ArgumentParser, *, build_dir: bool = True) -> None:
    """``-C`` (the project folder) and, for commands that read or write ``build/``,
    ``-o`` (its build folder)."""
    parser.add_argument("-C", "--project", default=".", help="project folder (default: .)")
    if build_dir:
        parser.add_argument(
            "-o",
            "--build-dir",
            default="build",
            help="output folder, relative to the project (default: build)",
        )


def languages_option(
    parser: argparse.ArgumentParser, help: str = "languages (default: conf.py's)", **kwargs
) -> None:
    """``-l LANG [LANG ...]``; ``-l "en nl"`` and ``-l en,nl`` work too (Makefiles)."""
    parser.add_argument(
        "-l", "--languages", nargs="+", action="extend", metavar="LANG", help=help, **kwargs
    )


def jobs_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help=f"{what} in parallel (default: 2)",
    )


def languages(args: argparse.Namespace) -> list[str]:
    """The ``-l`` languages, split at spaces and commas; [] when none were given."""
    given = getattr(args, "languages", None) or []
    return [lang for part in given for lang in part.replace(",", " ").split()]


def project_of(args: argparse.Namespace):
    from ..project import Project

    return Project.find(Path(args.project), build=getattr(args, "build_dir", "build"))


# -- the parser --------------------------------------------------------------------------------


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; with ``command`` one of :data:`FAST`, only the modules it needs."""
    from . import build

    top = argparse.ArgumentParser(
        prog="pamflet", description="pamflet: build every output of a pamflet project."
    )
    top.add_argument("--version", action="version", version=f"pamflet {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build.add_commands(sub)
    if command not in FAST:
        from . import check, init, proof, status, translators

        for module in (translators, check, init, proof, status):
            module.add_commands(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    from ..workers import collect_less

    collect_less()  # before the imports of Sphinx and WeasyPrint (workers.py)
    argv = sys.argv[1:] if argv is None else argv
    first = argv[0] if argv else None
    args = parser(first).parse_args(argv)
    try:
        return args.func(args)
    except errors.UserError as exc:  # printed when made (path:line: message), unless quiet
        if errors.quiet:
            print(exc.message, file=sys.stderr)
        return errors.EXIT_STATUS
    except Exception as exc:
        from sphinx.errors import SphinxError

        if not isinstance(exc, SphinxError):
            raise
        # conf.py read outside a build (Project.settings()): Sphinx's own message
        print(f"{Path(getattr(args, 'project', '.')) / 'conf.py'}: {exc}", file=sys.stderr)
        return errors.EXIT_STATUS
    except KeyboardInterrupt:
        print(
            f"\npamflet {args.command}: interrupted; files already written are complete, "
            "the others are as they were",
            file=sys.stderr,
        )
        return 130


def run() -> None:
    """The ``pamflet`` command: :func:`main`, then ``exit_now`` (no slow shutdown)."""
    from ..workers import exit_now

    exit_now(main())
