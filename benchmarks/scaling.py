"""A clinic's library: how the build scales with leaflets (part of ``make bench``, issue 26).

A copy of the project is made in a temporary folder for each configuration:
1, 13 (and, with ``--leaflets 1,13,50``, 50) leaflets in en, nl and ar, copies of
the real leaflet and its catalogs under other names, all listed in
``pamflet_leaflets``. Each run of a configuration times, one after the other:

- **full**: ``pamflet build`` from clean (no ``build/``);
- **no change**: the same build again, nothing changed;
- **one catalog**: one msgstr of the *last* leaflet's Dutch catalog changed, then
  the build again.

Runs are interleaved across configurations, so that machine noise falls on all
alike; the table gives medians, CPU time / wall time (cores busy), the peak memory
of the whole process tree (the sum of its processes' PSS, sampled every 0.1 s), and
how many outputs (PDFs, EPUBs, the website's ``downloads/`` copies) each build
rewrote. The issue's targets follow, a missed one marked MISSED.

``--baseline DIR`` also times the full build of each configuration with the
pamflet of another checkout (``PYTHONPATH=DIR``), interleaved: "no slower than
today". ``--quick`` runs one configuration once (the test suite runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEAFLET = "ptsd-psychedelic-therapy"
LANGUAGES = ["en", "nl", "ar"]
ENV = {"SOURCE_DATE_EPOCH": "1795132800"}
#: the msgstr the "one catalog" build changes (in the last leaflet's nl catalog)
SENTENCE = 'msgstr "Belangrijkste punten"'
#: issue 26's figures for main (13 leaflets x en/nl/ar, this 2-core machine)
ISSUE_FULL_13 = 82.0
PHASES = ("full", "no change", "one catalog")


# -- the projects ------------------------------------------------------------------------------


def leaflet_names(count: int) -> list[str]:
    return [LEAFLET] + [f"leaflet-{n:02d}" for n in range(2, count + 1)]


def make_project(
    folder: Path, leaflets: int, languages: list[str], *, baseline: bool = False
) -> Path:
    """A copy of this project with ``leaflets`` leaflets (copies of ours) in ``languages``
    (``baseline``: without what an older pamflet does not know, the front page's table)."""
    project = folder / "project"
    shutil.copytree(ROOT / "source", project / "source")
    shutil.copytree(ROOT / "locales", project / "locales")
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    names = leaflet_names(leaflets)
    for name in names[1:]:
        shutil.copyfile(project / "source" / f"{LEAFLET}.rst", project / "source" / f"{name}.rst")
        for po in (project / "locales").glob(f"*/LC_MESSAGES/{LEAFLET}.po"):
            shutil.copyfile(po, po.with_name(f"{name}.po"))
    index = project / "source" / "index.rst"
    text = index.read_text()
    if baseline:
        text = text.replace(".. leaflet-library::\n\n", "")
    index.write_text(text + "".join(f"   {n}\n" for n in names[1:]))
    # Drafts, as this project's leaflet is (settings.py: `changed`, the last change).
    meta = {"changed": "2026-11-27"}
    conf += "\npamflet_leaflets = {" + ", ".join(f"{n!r}: {meta!r}" for n in names) + "}\n"
    conf += f"pamflet_languages = {languages!r}\n"
    (project / "conf.py").write_text(conf, encoding="utf-8")
    if SENTENCE not in changed_catalog(project, leaflets).read_text(encoding="utf-8"):
        raise SystemExit(f"scaling.py: {SENTENCE!r} is no longer in the nl catalog")
    return project


def changed_catalog(project: Path, leaflets: int) -> Path:
    return project / "locales" / "nl" / "LC_MESSAGES" / f"{leaflet_names(leaflets)[-1]}.po"


def change_catalog(project: Path, leaflets: int, run: int) -> None:
    po = changed_catalog(project, leaflets)
    text = po.read_text(encoding="utf-8")
    marker = 'msgstr "Belangrijkste punten'
    start = text.index(marker)
    end = text.index("\n", start)
    po.write_text(text[:start] + f'{marker} ({run})"' + text[end:], encoding="utf-8")


def expected_rewrite(path: str, leaflets: int) -> bool:
    """Whether a change of the last leaflet's nl catalog may rewrite output ``path``."""
    name = leaflet_names(leaflets)[-1]
    return (
        path.startswith(f"pdf/nl/{name}-")
        or path == f"epub/{name}-nl.epub"
        or path.startswith(f"html/nl/downloads/{name}-")
    )


# -- measuring ---------------------------------------------------------------------------------


#: the published files of a build: PDFs, EPUBs, the website's copies of them
OUTPUTS = {"pdf": "pdf/*/*.pdf", "epub": "epub/*.epub", "downloads": "html/*/downloads/*"}


def outputs(build: Path) -> dict[str, int]:
    """Every published file (:data:`OUTPUTS`) and its mtime (ns)."""
    found = {}
    for pattern in OUTPUTS.values():
        for path in build.glob(pattern):
            found[str(path.relative_to(build))] = path.stat().st_mtime_ns
    return found


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_mb(root: int) -> float:
    """The sum of the PSS of ``root`` and its descendants (shared pages counted once)."""
    tree, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo += tree.get(pid, [])
    return total / 1024


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall and CPU seconds (user+sys, the children included) and peak memory of one build."""
    started = time.perf_counter()
    # stderr into a file: a pipe that nobody reads until the end blocks a build that
    # writes more than the pipe holds (64 KB)
    errors = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        env={**os.environ, **ENV, **(env or {})},
    )
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], tree_pss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    errors.seek(0)
    err = errors.read().decode(errors="replace")
    errors.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{err}")
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        # the sampler can miss a short build; no process is smaller than its largest child
        "peak_mb": max(peak[0], usage.ru_maxrss / 1024),
    }


def build_cmd(project: Path) -> list[str]:
    return [sys.executable, "-m", "pamflet.cli", "build", "-C", str(project)]


def run_once(project: Path, leaflets: int, run: int, baseline: Path | None) -> dict[str, dict]:
    """The three builds of one run (and the baseline's full build, with ``baseline``)."""
    build = project / "build"
    found: dict[str, dict] = {}
    if baseline is not None:
        shutil.rmtree(build, ignore_errors=True)
        found["full, baseline"] = timed(build_cmd(project), project, {"PYTHONPATH": str(baseline)})
    shutil.rmtree(build, ignore_errors=True)
    found["full"] = timed(build_cmd(project), project)
    for phase in PHASES[1:]:
        before = outputs(build)
        if phase == "one catalog":
            change_catalog(project, leaflets, run)
        found[phase] = timed(build_cmd(project), project)
        after = outputs(build)
        found[phase]["rewritten"] = sorted(p for p, t in after.items() if before.get(p) != t)
    found["full"]["outputs"] = {k: len(list(build.glob(p))) for k, p in OUTPUTS.items()}
    return found


# -- the report --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def targets(summary: dict[str, dict], counts: dict[str, int]) -> list[tuple[str, bool]]:
    """Issue 26's targets, for the configurations that ran: (line, met)."""
    lines: list[tuple[str, bool]] = []
    by_leaflets = {counts[name]: name for name in summary}
    if 13 in by_leaflets:
        row = summary[by_leaflets[13]]
        full, same, one = (row[p]["median_s"] for p in PHASES)
        lines.append(
            (
                f"13 leaflets, no-change build: {same:.1f} s = {same / full:.2f}x the full build "
                f"(target <= 0.15x and <= 5 s)",
                same <= 0.15 * full and same <= 5,
            )
        )
        lines.append(
            (
                f"13 leaflets, one nl catalog changed: {one:.1f} s = {one / full:.2f}x the full "
                f"build (target <= 0.15x)",
                one <= 0.15 * full,
            )
        )
        extra = [p for p in row["one catalog"]["rewritten"] if not expected_rewrite(p, 13)]
        lines.append(
            (
                f"13 leaflets, one nl catalog changed: {len(row['one catalog']['rewritten'])} "
                f"outputs rewritten, {len(extra)} of other leaflets or languages (target: only "
                f"that leaflet's nl outputs)",
                not extra,
            )
        )
        cores = row["full"]["cores"]
        lines.append(
            (f"13 leaflets, full build: {cores:.2f} cores busy (target >= 1.5)", cores >= 1.5)
        )
        peak = row["full"]["peak_mb"]
        lines.append(
            (f"13 leaflets, full build: peak {peak:.0f} MB (target <= 600 MB)", peak <= 600)
        )
        per = full / (13 * len(LANGUAGES))
        today = row.get("full, baseline", {}).get("median_s", ISSUE_FULL_13)
        source = "baseline" if "full, baseline" in row else "issue 26's figure for main"
        lines.append(
            (
                f"13 leaflets, full build: {per:.2f} s per leaflet-language, today "
                f"{today / 39:.2f} s ({source}) (target: no slower)",
                full <= today,
            )
        )
        if 50 in by_leaflets:
            per50 = summary[by_leaflets[50]]["full"]["median_s"] / (50 * len(LANGUAGES))
            lines.append(
                (
                    f"50 leaflets, full build: {per50:.2f} s per leaflet-language, at 13: "
                    f"{per:.2f} s (target: no more)",
                    per50 <= per,
                )
            )
    if 1 in by_leaflets and "full, baseline" in summary[by_leaflets[1]]:
        row = summary[by_leaflets[1]]
        ours, today = row["full"]["median_s"], row["full, baseline"]["median_s"]
        lines.append(
            (
                f"1 leaflet (this project), full build: {ours:.1f} s, baseline {today:.1f} s "
                f"(target: no slower)",
                ours <= today * 1.03,  # 3 %: the noise of medians on a shared machine
            )
        )
    return lines


def summarise(results: dict[str, list[dict]]) -> dict[str, dict]:
    summary: dict[str, dict] = {}
    for name, runs in results.items():
        row: dict[str, dict] = {}
        for phase in runs[0]:
            figures = [r[phase] for r in runs]
            secs = [f["seconds"] for f in figures]
            cpu = [f["cpu"] for f in figures]
            row[phase] = {
                "median_s": statistics.median(secs),
                "cpu_s": statistics.median(cpu),
                "cores": statistics.median(c / s for c, s in zip(cpu, secs, strict=True)),
                "peak_mb": max(f["peak_mb"] for f in figures),
                "runs_s": secs,
            }
            if "rewritten" in figures[-1]:
                row[phase]["rewritten"] = figures[-1]["rewritten"]
            if "outputs" in figures[-1]:
                row[phase]["outputs"] = figures[-1]["outputs"]
        summary[name] = row
    return summary


def print_table(summary: dict[str, dict]) -> None:
    print(
        f"\n{'configuration':<30} {'build':<16} {'median s':>9} {'x full':>7} {'cores':>6} "
        f"{'peak MB':>8} {'rewritten':>10}"
    )
    for name, row in summary.items():
        full = row["full"]["median_s"]
        for phase, fig in row.items():
            written = fig.get("rewritten")
            if written is not None:
                written = len(written)
            else:  # a full build: all it made (the baseline's are not counted)
                written = sum(fig["outputs"].values()) if "outputs" in fig else "-"
            print(
                f"{name:<30} {phase:<16} {fig['median_s']:9.2f} {fig['median_s'] / full:7.2f} "
                f"{fig['cores']:6.2f} {fig['peak_mb']:8.0f} {written:>10}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--leaflets", default="1,13", help="leaflet counts, comma-separated (1,13,50: also 50)"
    )
    parser.add_argument("--quick", action="store_true", help="one configuration (1 leaflet), once")
    parser.add_argument("--baseline", type=Path, help="a checkout to time the full build against")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "scaling.json")
    args = parser.parse_args(argv)
    counts = [1] if args.quick else [int(n) for n in args.leaflets.split(",")]
    runs = 1 if args.quick else args.runs
    names = {f"{n} leaflet{'s' * (n > 1)} x {'/'.join(LANGUAGES)}": n for n in counts}
    tmp = Path(tempfile.mkdtemp(prefix="pamflet-scaling-"))
    try:
        projects = {
            name: make_project(tmp / str(i), n, LANGUAGES, baseline=args.baseline is not None)
            for i, (name, n) in enumerate(names.items())
        }
        results: dict[str, list[dict]] = {name: [] for name in names}
        print(f"scaling: {len(names)} configurations x {runs} runs", flush=True)
        for run in range(runs):
            for name, project in projects.items():
                results[name].append(run_once(project, names[name], run, args.baseline))
            print(f"  run {run + 1}/{runs} done", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summary = summarise(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"configurations": summary}, indent=2) + "\n")
    print_table(summary)
    checks = targets(summary, names)
    if checks:
        print()
    for line, ok in checks:
        print(f"target: {line} {verdict(ok)}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"configurations": summary, "targets": [{"target": t, "met": ok} for t, ok in checks]}
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nraw figures: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
