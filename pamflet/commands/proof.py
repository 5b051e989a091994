"""``pamflet proof [--watch]``: the translators' proof PDF (``watch.py``)."""

from __future__ import annotations

import argparse
import sys

from . import languages, languages_option, project_of, project_options


def cmd_proof(args: argparse.Namespace) -> int:
    from ..watch import proof_languages, run_proof

    project = project_of(args)
    wanted = languages(args)
    known = proof_languages(project)
    if len(wanted) != 1 or wanted[0] not in known:
        print(f"pamflet proof: give one language with -l ({', '.join(known)})", file=sys.stderr)
        return 2
    return run_proof(project, wanted[0], watch=args.watch)


def add_commands(sub) -> None:
    parser = sub.add_parser(
        "proof", help="the A5 reader PDF of one language; with --watch, on every save"
    )
    parser.add_argument("--watch", action="store_true", help="rebuild on every save until Ctrl-C")
    languages_option(parser, help="the language (one)", required=True)
    project_options(parser)
    parser.set_defaults(func=cmd_proof)
