"""Two checkouts of pamflet timed side by side on the same content (before/after a change).

    .venv/bin/python benchmarks/compare.py --baseline ../pamflet-old [--project DIR]

Each checkout runs with its own ``.venv``; the cases run interleaved (old, new,
old, new, ...) on one copy of the project (``--project``, default this checkout's),
so machine noise falls on both alike. The cases are what users wait for: the full
build from clean (every language of ``conf.py``), the proof PDF (A5, one language)
on a warm build, and the clinic batch (``pamflet imprint``, every clinic file, run
before the proof: it needs every format of the full build).
Prints the median and min-max wall seconds of each and the new/old ratio of medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795132800"}


def run(pamflet: Path, args: list[str], project: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [str(pamflet), *args], cwd=project, env=ENV, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"{pamflet} {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the other checkout")
    parser.add_argument("--project", type=Path, default=ROOT, help="the content to build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", default="nl", help="of the proof case")
    args = parser.parse_args()
    trees = {"old": args.baseline.resolve(), "new": ROOT}
    for tree in trees.values():
        if not (tree / ".venv" / "bin" / "pamflet").is_file():
            raise SystemExit(f"{tree}: no .venv/bin/pamflet (run make venv there)")
    out = Path(tempfile.mkdtemp(prefix="pamflet-compare-"))
    cases = {
        "full build, clean": lambda o: (
            shutil.rmtree(o, ignore_errors=True),
            ["build", "-o", str(o)],
        ),
        "clinic batch": lambda o: (None, ["imprint", "-o", str(o)]),
        f"proof A5 {args.language}, warm": lambda o: (
            None,
            ["build", "pdf", "--languages", args.language, "--formats", "a5", "-o", str(o)],
        ),
    }
    times: dict[tuple[str, str], list[float]] = {}
    for run_number in range(args.runs):
        for case, prepare in cases.items():
            for name, tree in trees.items():
                build = out / name
                _, cmd = prepare(build)
                seconds = run(tree / ".venv" / "bin" / "pamflet", cmd, args.project)
                times.setdefault((case, name), []).append(seconds)
        print(f"run {run_number + 1}/{args.runs} done", flush=True)
    print(
        f"\n{'case':28} {'old median (min-max)':>24} {'new median (min-max)':>24} {'new/old':>8}"
    )
    for case in cases:
        old, new = times[(case, "old")], times[(case, "new")]
        cell = [f"{statistics.median(t):.2f} ({min(t):.2f}-{max(t):.2f})" for t in (old, new)]
        ratio = statistics.median(new) / statistics.median(old)
        print(f"{case:28} {cell[0]:>24} {cell[1]:>24} {ratio:8.2f}")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
