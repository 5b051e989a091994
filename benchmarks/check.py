"""How fast ``pamflet check`` reads many catalogs (``python benchmarks/check.py``).

Issue 25's bar: 500 real catalogs, about 30,000 entries, in at most 30 s on 2 cores,
without spelling. By default the catalogs are made from the real entries of
``tests/fixtures/real/excerpts`` (the Turkish, French and Romanian Python
documentation): each of the 500 holds the entries of one language's excerpt,
repeated under different contexts to about 60 entries. ``--corpus DIR`` times a
real translation repository instead (a checkout of python/python-docs-fr, say).

Each run is ``pamflet check --skip spelling`` in a process of its own, ``--runs``
times; the median wall time is reported with the CPU time of the process tree (so
that a loaded machine shows as wall time above CPU time / cores). Raw figures go to
``build/bench/check.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXCERPTS = ROOT / "tests" / "fixtures" / "real" / "excerpts"
TARGET_SECONDS = 30.0


def make_corpus(folder: Path, catalogs: int = 500, entries: int = 60) -> int:
    """``catalogs`` catalogs of real entries; returns how many entries they hold."""
    sources = []
    for path in sorted(EXCERPTS.glob("*.po")):
        text = path.read_text(encoding="utf-8")
        header, _, body = text.partition("\n\n#")
        blocks = ["#" + b for b in body.split("\n\n#")]
        sources.append((path.stem, header, [b.strip() for b in blocks if "msgid" in b]))
    total = 0
    for n in range(catalogs):
        language, header, blocks = sources[n % len(sources)]
        out = [header]
        count = 0
        copy = 0
        while count < entries:
            for block in blocks:
                # a context per copy: the same msgid twice would be a duplicate entry
                out.append(
                    re.sub(
                        r"^msgid ", f'msgctxt "copy {copy}"\nmsgid ', block, count=1, flags=re.M
                    )
                )
                count += 1
            copy += 1
        target = folder / language / f"catalog{n:03}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n\n".join(out) + "\n", encoding="utf-8")
        total += count
    return total


def time_check(folder: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree) for one ``pamflet check``."""
    start = time.perf_counter()
    before = os.times()
    subprocess.run(
        [sys.executable, "-m", "pamflet.cli", "check", "--skip", "spelling", "."],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    after = os.times()
    wall = time.perf_counter() - start
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="a translation repository to time")
    parser.add_argument("--catalogs", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pamflet-check-bench-") as tmp:
        if args.corpus:
            folder = args.corpus.resolve()
            catalogs = len(list(folder.rglob("*.po")))
            entries = sum(
                p.read_text(encoding="utf-8").count("\nmsgid ") for p in folder.rglob("*.po")
            )
        else:
            folder = Path(tmp)
            entries = make_corpus(folder, args.catalogs)
            catalogs = args.catalogs
        times = [time_check(folder) for _ in range(args.runs)]
    walls = [w for w, _c in times]
    cpus = [c for _w, c in times]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    median = statistics.median(walls)
    per_500 = median * 500 / max(catalogs, 1)
    verdict = "ok" if per_500 <= TARGET_SECONDS else "MISSED"
    print(
        f"pamflet check: {catalogs} catalogs, {entries} entries, {cores} cores: median "
        f"{median:.1f} s wall (runs {', '.join(f'{w:.1f}' for w in walls)}), CPU "
        f"{statistics.median(cpus):.1f} s; per 500 catalogs {per_500:.1f} s "
        f"(target <= {TARGET_SECONDS:.0f} s: {verdict}); load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "check.json").write_text(
        json.dumps(
            {
                "catalogs": catalogs,
                "entries": entries,
                "cores": cores,
                "wall_seconds": walls,
                "cpu_seconds": cpus,
                "median_wall_seconds": median,
                "target_seconds_per_500": TARGET_SECONDS,
                "corpus": str(args.corpus) if args.corpus else "tests/fixtures/real/excerpts",
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
