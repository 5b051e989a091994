"""``pamflet check``: the command's report over catalogs, with :class:`~.runner.Checker`."""

from __future__ import annotations

import sys
from pathlib import Path

from ...project import Project, project_catalogs
from .runner import CHECK_IDS, OPT_IN, Options, check_paths, display_path, expand


def run_check(
    project: Project,
    paths: list[Path],
    *,
    strict: bool = False,
    skip: set[str] | None = None,
    only: set[str] | None = None,
    terminology: Path | None = None,
) -> int:
    """``pamflet check``: one line per finding, a summary on stderr; the exit status.
    ``paths``: catalogs or folders (none: every catalog of the project's conf.py, or of
    ``locales/`` without one)."""
    has_conf = project.conf_py.is_file()
    try:
        options = Options.from_project(
            project if has_conf else None,
            project.root,
            strict=strict,
            skip=set(skip or ()),
            terminology=terminology,
        )
    except Exception as exc:  # conf.py runs the project's code: anything may fail
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        print(
            f"{display_path(project.conf_py)}: cannot be read ({reason}); "
            "checking the catalogs with the default settings",
            file=sys.stderr,
        )
        has_conf = False
        options = Options(
            root=project.root, strict=strict, skip=set(skip or ()), terminology=terminology
        )
    if only:
        options.skip |= set(CHECK_IDS) - set(only)
    else:
        options.skip |= OPT_IN
    if paths:
        paths = expand(paths)
    elif has_conf:
        paths = project.catalogs()
    else:
        paths = project_catalogs(project.srcdir, ["locales"])
    paths = [Path(display_path(p)) for p in paths]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        for path in missing:
            print(f"{path}: no such catalog", file=sys.stderr)
        return 2
    findings = check_paths(paths, options)
    for finding in findings:
        print(finding)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    print(
        f"pamflet check: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)} in {len(paths)} catalog"
        f"{'s' * (len(paths) != 1)}{' (strict)' if options.strict else ''}",
        file=sys.stderr,
    )
    return 1 if errors else 0
