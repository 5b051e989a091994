"""Timing of pamflet's builds, side by side in one run (``make bench``).

Every case runs as its own process, from a clean output folder, ``--runs``
times (interleaved, so that machine noise falls on all cases alike). The table
gives the median and min-max wall time and the peak memory (max RSS) of each
case; ``build/bench/results.json`` keeps the raw figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{err}")
    return seconds, usage.ru_maxrss / 1024


def sphinx(builder: str, lang: str, out: Path, *extra: str) -> list[str]:
    return [
        PY,
        "-m",
        "sphinx",
        "-E",
        "-q",
        "-b",
        builder,
        "-c",
        ".",
        "-D",
        f"language={lang}",
        "-d",
        str(out / "doctrees"),
        *extra,
        "source",
        str(out / builder),
    ]


def prepare_clinics(folder: Path, count: int = 100) -> tuple[Path, list[Path]]:
    """A build with print contexts for nl, and ``count`` clinic files (nl, a5-print only)."""
    build = folder / "build"
    subprocess.run(
        [PY, "-m", "pamflet.cli", "build", "pdf", "-l", "nl", "-o", str(build)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    example = (ROOT / "clinics" / "example-clinic.toml").read_text(encoding="utf-8")
    (folder / "example-clinic-logo.svg").write_bytes(
        (ROOT / "clinics" / "example-clinic-logo.svg").read_bytes()
    )
    paths = []
    for number in range(1, count + 1):
        text = example.replace(
            'name = "Voorbeeldkliniek De Linde (fictional example)"',
            f'name = "Kliniek nummer {number}"',
        )
        text = text.replace("# languages = ", "languages = ").replace(
            '# formats = ["a4", "a5", "a5-print", "booklet"]', 'formats = ["a5-print"]'
        )
        path = folder / f"clinic-{number:03d}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return build, paths


def cases(languages: list[str], clinics: tuple[Path, list[Path]] | None) -> dict[str, object]:
    found: dict[str, object] = {}
    for lang in languages:
        found[f"floor: sphinx html [{lang}]"] = lambda out, lang=lang: sphinx("html", lang, out)
        found[f"epub [{lang}]"] = lambda out, lang=lang: sphinx("epub", lang, out)
        for fmt in ("a4", "a5", "a5-print", "booklet"):
            found[f"leaflet {fmt} [{lang}]"] = lambda out, lang=lang, fmt=fmt: sphinx(
                "leaflet", lang, out, "-D", f"pamflet_formats={fmt}"
            )
        found[f"leaflet all formats [{lang}]"] = lambda out, lang=lang: sphinx(
            "leaflet", lang, out
        )
    found["full build (pamflet build, all languages)"] = lambda out: [
        PY,
        "-m",
        "pamflet.cli",
        "build",
        "-o",
        str(out / "full"),
    ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--languages", nargs="+", default=["en", "nl"])
    parser.add_argument("--only", help="run only cases whose name contains this text")
    args = parser.parse_args()

    todo = {
        name: make
        for name, make in cases(args.languages).items()
        if not args.only or args.only in name
    }
    results: dict[str, dict[str, list[float]]] = {name: {"seconds": [], "mb": []} for name in todo}
    env = {"SOURCE_DATE_EPOCH": "1795132800"}
    print(f"pamflet benchmarks: {len(todo)} cases x {args.runs} runs (interleaved)", flush=True)
    for run in range(args.runs):
        for name, make in todo.items():
            with tempfile.TemporaryDirectory(prefix="pamflet-bench-") as tmp:
                seconds, mb = timed(make(Path(tmp)), env)
            results[name]["seconds"].append(seconds)
            results[name]["mb"].append(mb)
        print(f"  run {run + 1}/{args.runs} done", flush=True)

    print(f"\n{'case':<45} {'median s':>9} {'min-max s':>13} {'peak MB':>8}")
    summary = {}
    for name, data in results.items():
        secs = data["seconds"]
        med = statistics.median(secs)
        summary[name] = {
            "median_s": med,
            "min_s": min(secs),
            "max_s": max(secs),
            "peak_mb": max(data["mb"]),
            "runs": secs,
        }
        print(f"{name:<45} {med:9.2f} {min(secs):6.2f}-{max(secs):<6.2f} {max(data['mb']):8.0f}")
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nraw figures: {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
