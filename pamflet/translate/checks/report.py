"""``pamflet check``: the command's report over catalogs, with :class:`~.runner.Checker`."""

from __future__ import annotations

import sys
from pathlib import Path

from ...project import Project, project_catalogs
from .batch import check_paths
from .runner import CHECK_IDS, OPT_IN, Options, display_path, expand


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _failing_line(exc: BaseException, conf_py: Path) -> int:
    """The line of conf.py where running it failed (1 when it cannot be told): from the
    traceback of the exception or of its cause (Sphinx wraps it in a ConfigError whose
    message holds the traceback as text)."""
    import re
    import traceback

    name = conf_py.resolve()
    seen: BaseException | None = exc
    while seen is not None:
        if (
            isinstance(seen, SyntaxError)
            and seen.filename
            and Path(seen.filename).resolve() == name
        ):
            return seen.lineno or 1
        frames = [
            f
            for f in traceback.extract_tb(seen.__traceback__)
            if Path(f.filename).resolve() == name
        ]
        if frames:
            return frames[-1].lineno or 1
        seen = seen.__cause__ or seen.__context__
    lines = re.findall(rf'File "{re.escape(str(name))}", line (\d+)', str(exc))
    lines += re.findall(rf'File "[^"]*{re.escape(conf_py.name)}", line (\d+)', str(exc))
    return int(lines[-1]) if lines else 1


def run_check(
    project: Project,
    paths: list[Path],
    *,
    strict: bool = False,
    skip: set[str] | None = None,
    only: set[str] | None = None,
    terminology: Path | None = None,
    jobs: int | None = None,
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
        # a translation repository's conf.py often imports the documentation's own from
        # a submodule that is not checked out: one line, then the catalogs
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        print(
            f"{display_path(project.conf_py)}:{_failing_line(exc, project.conf_py)}: "
            f"conf.py could not be run ({reason}); checking the catalogs with defaults",
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
    findings = check_paths(paths, options, jobs or _cores())
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
