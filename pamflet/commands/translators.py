"""The translators' commands: ``pamflet stats``, ``review``, ``update-po``, ``readability``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..translate.update_po import WIDTH
from . import languages, languages_option, project_of, project_options


def cmd_stats(args: argparse.Namespace) -> int:
    from ..translate.stats import report_stats

    return report_stats(project_of(args), [Path(p) for p in args.paths], args.json)


def cmd_review(args: argparse.Namespace) -> int:
    from ..translate.review import write_reviews

    return write_reviews(project_of(args), languages(args))


def cmd_update(args: argparse.Namespace) -> int:
    from ..translate.update_po import update_project

    return update_project(project_of(args), languages(args), args.pot_dir, args.width)


def cmd_readability(args: argparse.Namespace) -> int:
    from ..translate.readability import report_readability

    return report_readability(project_of(args), languages(args))


def add_commands(sub) -> None:
    stats = sub.add_parser(
        "stats", help="translated, fuzzy, untranslated and obsolete entries per catalog"
    )
    stats.add_argument("paths", nargs="*", metavar="PATH", help=".po files or folders")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    project_options(stats, build_dir=False)
    stats.set_defaults(func=cmd_stats)

    review = sub.add_parser(
        "review", help="side-by-side review copy per language: build/review/<lang>.html"
    )
    languages_option(review, help="languages (default: all but the source language)")
    project_options(review)
    review.set_defaults(func=cmd_review)

    update = sub.add_parser(
        "update-po", help="update the catalogs from build/gettext/*.pot (keeps translations)"
    )
    languages_option(update, help="languages (default: all but the source language)")
    update.add_argument("--pot-dir", default="build/gettext", help="default: build/gettext")
    update.add_argument("-w", "--width", type=int, default=WIDTH, help=f"default: {WIDTH}")
    project_options(update, build_dir=False)
    update.set_defaults(func=cmd_update)

    readability = sub.add_parser(
        "readability", help="readability of each leaflet and language (from the build)"
    )
    languages_option(readability)
    project_options(readability)
    readability.set_defaults(func=cmd_readability)
