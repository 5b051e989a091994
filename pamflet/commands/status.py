"""``pamflet status``: each leaflet and language, translated, fuzzy, last change, review due."""

from __future__ import annotations

import argparse

from . import project_of, project_options


def cmd_status(args: argparse.Namespace) -> int:
    from ..status import report_status

    return report_status(project_of(args), args.json)


def add_commands(sub) -> None:
    status = sub.add_parser(
        "status",
        help="each leaflet and language: % translated, fuzzy, last change, review due",
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")
    project_options(status, build_dir=False)
    status.set_defaults(func=cmd_status)
