"""``pamflet init``: a new project (``scaffold.py``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..scaffold import DEFAULT_LANGUAGES, DEFAULT_PROJECT, DEFAULT_PUBLISHER
from . import languages, languages_option


def cmd_init(args: argparse.Namespace) -> int:
    from ..scaffold import write_project

    folder = write_project(
        Path(args.folder),
        languages(args) or list(DEFAULT_LANGUAGES),
        project=args.project,
        publisher=args.publisher,
    )
    print(f"pamflet: wrote a new project in {folder}")
    print(f"  cd {folder} && make        # the website, EPUBs and PDFs of every language")
    print("  make help                   # every target")
    return 0


def add_commands(sub) -> None:
    parser = sub.add_parser(
        "init", help="write a new project (conf.py, a sample leaflet, catalogs, Makefile)"
    )
    parser.add_argument("folder", metavar="DIR", help="a new or empty folder")
    languages_option(
        parser,
        help=f"the languages to publish in (default: {' '.join(DEFAULT_LANGUAGES)}; "
        "the sample is written in en)",
    )
    parser.add_argument(
        "--project", default=DEFAULT_PROJECT, help=f"the project's name ({DEFAULT_PROJECT})"
    )
    parser.add_argument(
        "--publisher", default=DEFAULT_PUBLISHER, help=f"who publishes ({DEFAULT_PUBLISHER})"
    )
    parser.set_defaults(func=cmd_init)
