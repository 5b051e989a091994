"""``pamflet check`` over many catalogs: one :class:`~.runner.Checker`, or several
processes for many catalogs (each with its own checker; the findings are the same)."""

from __future__ import annotations

from pathlib import Path

from ..entries import Finding
from .runner import Checker, Options


def check_paths(paths: list[Path], options: Options, jobs: int = 1) -> list[Finding]:
    """Every finding of the catalogs, in their order; ``jobs`` > 1 spreads many catalogs
    over that many processes (the findings are the same)."""
    if jobs > 1 and len(paths) >= 4 * jobs:
        return _check_in_parallel(paths, options, jobs)
    checker = Checker(options)
    findings: list[Finding] = []
    for path in paths:
        findings += checker.check(path)
    return findings


def _check_some(paths: list[Path], options: Options) -> dict[Path, list[Finding]]:
    checker = Checker(options)
    return {path: checker.check(path) for path in paths}


def _check_in_parallel(paths: list[Path], options: Options, jobs: int) -> list[Finding]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # the largest catalogs first, dealt round: the processes end at about the same time
    by_size = sorted(paths, key=lambda p: p.stat().st_size, reverse=True)
    shares = [by_size[n::jobs] for n in range(jobs)]
    context = multiprocessing.get_context("fork")
    results: dict[Path, list[Finding]] = {}
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        for part in pool.map(_check_some, shares, [options] * jobs):
            results.update(part)
    findings: list[Finding] = []
    seen: set[tuple] = set()  # what a checker says once (a missing dictionary, a glossary)
    for path in paths:
        for finding in results[path]:
            key = (str(finding.path), finding.line, finding.check, finding.message)
            if str(finding.path) != str(path) or finding.line == 1:
                if key in seen:
                    continue
                seen.add(key)
            findings.append(finding)
    return findings
