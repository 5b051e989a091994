"""Timing of pamflet's builds, side by side in one run (``make bench``).

Every case runs as its own process, ``--runs`` times, interleaved so that
machine noise falls on all cases alike. The table gives the median and min-max
wall time and the peak memory (max RSS) of each case;
``build/bench/results.json`` keeps the raw figures. Cases:

1. floor: plain ``sphinx-build -b html`` per language, from clean;
2. each builder per language from clean: epub, and leaflet for each PDF format;
3. the full build: ``pamflet build`` (what ``make`` runs) from clean, en + nl;
4. the proof loop: one msgstr in the nl catalog changed, then what
   ``make proof LANGUAGES=nl`` runs, on a warm build;
5. the clinic batch: 100 clinic variants (nl, a5-print), and the naive way
   (a whole layout per clinic) for comparison.

Scaling (leaflets, languages) is in ``scaling.py``; peers in ``peers.py``.
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
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
LEAFLET = "ptsd-psychedelic-therapy"
ENV = {"SOURCE_DATE_EPOCH": "1795132800"}


def timed(cmd: list[str], env: dict[str, str] | None = None, cpu: bool = False) -> tuple:
    """Wall seconds, [CPU seconds (user+sys) with ``cpu``,] and peak RSS (MB) of one child."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **ENV, **(env or {})},
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{err}")
    peak = usage.ru_maxrss / 1024
    return (seconds, usage.ru_utime + usage.ru_stime, peak) if cpu else (seconds, peak)


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
        str(ROOT),
        "-D",
        f"language={lang}",
        "-d",
        str(out / "doctrees"),
        *extra,
        str(ROOT / "source"),
        str(out / builder),
    ]


def prepare_proof(folder: Path) -> tuple[Path, Callable[[int], None]]:
    """A copy of the project with a warm nl build, and a way to change one msgstr."""
    project = folder / "proof"
    for name in ("source", "locales"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copyfile(ROOT / "conf.py", project / "conf.py")
    subprocess.run(
        [PY, "-m", "pamflet.cli", "build", "-C", str(project), "-l", "nl"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    po = project / "locales" / "nl" / "LC_MESSAGES" / f"{LEAFLET}.po"
    original = po.read_text(encoding="utf-8")
    sentence = 'msgstr "Belangrijkste punten"'
    assert sentence in original

    def change(run: int) -> None:
        po.write_text(
            original.replace(sentence, f'msgstr "Belangrijkste punten ({run})"'), encoding="utf-8"
        )

    return project, change


def prepare_clinics(folder: Path, count: int = 100) -> tuple[Path, list[Path]]:
    """A build with print contexts for nl, and ``count`` clinic files (nl, a5-print)."""
    build = folder / "clinic-build"
    subprocess.run(
        [PY, "-m", "pamflet.cli", "build", "pdf", "-l", "nl", "-o", str(build)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    example = (ROOT / "clinics" / "example-clinic.toml").read_text(encoding="utf-8")
    shutil.copyfile(
        ROOT / "clinics" / "example-clinic-logo.svg", folder / "example-clinic-logo.svg"
    )
    paths = []
    for number in range(1, count + 1):
        text = example.replace(
            'name = "Voorbeeldkliniek De Linde (fictional example)"',
            f'name = "Kliniek nummer {number}"',
        )
        text = text.replace('# languages = ["en", "nl"]', 'languages = ["nl"]')
        text = text.replace(
            '# formats = ["a4", "a5", "a5-print", "booklet"]', 'formats = ["a5-print"]'
        )
        assert 'formats = ["a5-print"]' in text and 'languages = ["nl"]' in text
        path = folder / f"clinic-{number:03d}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return build, paths


def cases(languages: list[str], work: Path, wanted: Callable[[str], bool]) -> dict:
    """name -> (make command from a fresh temporary folder, optional before(run))."""
    found: dict[str, tuple[Callable[[Path], list[str]], Callable[[int], None] | None]] = {}
    for lang in languages:
        found[f"floor: sphinx html [{lang}]"] = (
            lambda out, lang=lang: sphinx("html", lang, out),
            None,
        )
        found[f"epub [{lang}]"] = (lambda out, lang=lang: sphinx("epub", lang, out), None)
        for fmt in ("a4", "a5", "a5-print", "booklet"):
            found[f"leaflet {fmt} [{lang}]"] = (
                lambda out, lang=lang, fmt=fmt: sphinx(
                    "leaflet", lang, out, "-D", f"pamflet_formats={fmt}"
                ),
                None,
            )
        found[f"leaflet all 4 formats [{lang}]"] = (
            lambda out, lang=lang: sphinx("leaflet", lang, out),
            None,
        )
    found["full build: pamflet build, en+nl"] = (
        lambda out: [PY, "-m", "pamflet.cli", "build", "-o", str(out / "full")],
        None,
    )
    if wanted("proof loop"):
        project, change = prepare_proof(work)
        found["proof loop: 1 msgstr changed, make proof nl"] = (
            lambda out: [
                PY,
                "-m",
                "pamflet.cli",
                "build",
                "pdf",
                "-C",
                str(project),
                "-l",
                "nl",
                "-f",
                "a5",
            ],
            change,
        )
    if wanted("clinic batch"):
        build, paths = prepare_clinics(work)
        found["clinic batch: 100 variants, nl a5-print"] = (
            lambda out: [PY, "-m", "pamflet.cli", "imprint", "-o", str(build), *map(str, paths)],
            None,
        )
        found["clinic batch, naive: whole layout per clinic"] = (
            lambda out: [
                PY,
                "-m",
                "pamflet.cli",
                "imprint",
                "--naive",
                "-o",
                str(build),
                *map(str, paths),
            ],
            None,
        )
    return {name: case for name, case in found.items() if wanted(name)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--languages", nargs="+", default=["en", "nl"])
    parser.add_argument("--only", help="run only cases whose name contains this text")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pamflet-bench-work-"))
    todo = cases(args.languages, work, lambda name: not args.only or args.only in name)
    results = {name: {"seconds": [], "mb": []} for name in todo}
    print(f"pamflet benchmarks: {len(todo)} cases x {args.runs} runs (interleaved)", flush=True)
    for run in range(args.runs):
        for name, (make, before) in todo.items():
            if before:
                before(run)
            with tempfile.TemporaryDirectory(prefix="pamflet-bench-") as tmp:
                seconds, mb = timed(make(Path(tmp)))
            results[name]["seconds"].append(seconds)
            results[name]["mb"].append(mb)
        print(f"  run {run + 1}/{args.runs} done", flush=True)

    print(f"\n{'case':<48} {'median s':>9} {'min-max s':>13} {'peak MB':>8}")
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
        print(f"{name:<48} {med:9.2f} {min(secs):6.2f}-{max(secs):<6.2f} {max(data['mb']):8.0f}")
    full = summary.get("full build: pamflet build, en+nl")
    proof = summary.get("proof loop: 1 msgstr changed, make proof nl")
    if full and proof:
        ratio = proof["median_s"] / full["median_s"]
        print(f"proof loop / full build: {ratio:.2f}x (target <= 0.25)")
        summary["ratio: proof loop / full build"] = ratio
    batch = summary.get("clinic batch: 100 variants, nl a5-print")
    naive = summary.get("clinic batch, naive: whole layout per clinic")
    if batch and naive:
        print(
            f"clinic batch: {batch['median_s']:.1f} s for 100 (target <= 10 s); naive "
            f"{naive['median_s']:.1f} s: {naive['median_s'] / batch['median_s']:.1f}x slower"
        )
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nraw figures: {out / 'results.json'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
