"""Timing of pamflet's builds, side by side in one run (``make bench``).

Every case runs as its own process, ``--runs`` times, interleaved so that
machine noise falls on all cases alike. The table gives the median and min-max
wall time and the peak memory (max RSS) of each case;
``build/bench/results.json`` keeps the raw figures. Cases:

1. floor: plain ``sphinx-build -b html`` per language, from clean;
2. each builder per language from clean: epub, and leaflet for each PDF format;
3. the full build from clean: ``pamflet build`` for every language (what ``make``
   runs; the watcher's ratio is taken against it), and for en + nl (as bench-peers);
4. the proof loop: one msgstr in the nl catalog changed, then what
   ``make proof LANGUAGES=nl`` runs, on a warm build;
5. the clinic batches: 100 clinic variants (nl, a5-print) and 40 (nl, a5),
   each against the way before (``PAMFLET_CLINIC_BATCH=1``: one two-page layout
   per clinic; ``PAMFLET_PATCHES=-weasyprint.paint-once,...``: a reader PDF's pages
   painted for every clinic, every line broken, every stream compressed;
   ``PAMFLET_GC=0``: Python's own garbage collection thresholds), the print
   variants also against ``--whole-layout`` (issue 27: stamped, or the cover and
   back page laid out for each clinic) and, with ``--naive``, a whole layout per clinic;
6. the live proof loop (``pamflet proof --watch``): from saving a catalog to
   the new PDF, after warm-up (``--only "proof watch"``; a long-running process, timed per save).

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


def prepare_clinics(
    folder: Path, count: int = 100, fmt: str = "a5-print"
) -> tuple[Path, list[Path]]:
    """A build with print contexts for nl, and ``count`` clinic files (nl, ``fmt``)."""
    build = folder / "clinic-build"
    if not (build / "pdf").is_dir():
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
            '# formats = ["a4", "a5", "a5-print", "booklet"]', f'formats = ["{fmt}"]'
        )
        assert f'formats = ["{fmt}"]' in text and 'languages = ["nl"]' in text
        path = folder / f"clinic-{fmt}-{number:03d}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return build, paths


#: The way before issue 15: one two-page layout per clinic, every page painted each time.
ONE_BY_ONE = {
    "PAMFLET_CLINIC_BATCH": "1",
    # the patches of issue 15 off (pamflet/patches/): paint-once and the reuse
    "PAMFLET_PATCHES": ",".join(
        f"-{name}"
        for name in (
            "weasyprint.paint-once",
            "weasyprint.line-breaks",
            "pydyf.deflate-once",
            "pydyf.page-references",
            "pydyf.to-bytes",
        )
    ),
    "PAMFLET_GC": "0",
}

#: (case, target in seconds) that ``make bench`` checks.
BIG_BATCH = "clinic batch: 1000 variants, nl a5-print"
SECOND_BATCH = "clinic batch, nothing changed: 100 variants, nl a5-print"

TARGETS = {
    # issue 27: stamped print variants, and tagged reader variants (whole cover and back)
    "clinic batch: 100 variants, nl a5-print": 4.0,
    "clinic batch: 40 variants, nl a5": 3.0,
    BIG_BATCH: 30.0,
    SECOND_BATCH: 1.0,
    "proof watch: save to new PDF, nl": 1.5,
}

WATCH = "proof watch: save to new PDF, nl"
#: what ``make`` builds: every language of conf.py, html, epub and pdf
FULL_MAKE = "full make: pamflet build, every language"


def matches(only: str | None, name: str) -> bool:
    """``--only a,b``: cases whose name contains a or b."""
    return not only or any(part and part in name for part in only.split(","))


def wanted_watch(only: str | None) -> bool:
    return matches(only, WATCH)


def watch_figures(work: Path, runs: int, full: dict | None) -> dict:
    """``pamflet proof --watch`` on a copy of the project: seconds from saving the nl
    catalog (one msgstr changed) to the new PDF, after one warm-up save."""
    import queue
    import signal
    import threading

    project = work / "watch"
    for name in ("source", "locales"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copyfile(ROOT / "conf.py", project / "conf.py")
    po = project / "locales" / "nl" / "LC_MESSAGES" / f"{LEAFLET}.po"
    pdf = project / "build" / "pdf" / "nl" / f"{LEAFLET}-a5.pdf"
    original = po.read_text(encoding="utf-8")
    sentence = 'msgstr "Belangrijkste punten"'
    proc = subprocess.Popen(
        [PY, "-m", "pamflet.cli", "proof", "--watch", "-l", "nl", "-C", str(project)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **ENV},
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()

    def wait_for(text: str) -> str:
        while True:
            line = lines.get(timeout=300)
            if text in line:
                return line

    seconds = []
    try:
        wait_for("watching")
        for run in range(runs + 1):
            before = pdf.stat().st_mtime_ns
            po.write_text(
                original.replace(sentence, f'msgstr "Belangrijkste punten ({run})"'),
                encoding="utf-8",
            )
            saved = time.perf_counter()
            while pdf.stat().st_mtime_ns == before:  # the new PDF (renamed into place)
                time.sleep(0.01)
            if run:  # the first save warms up
                seconds.append(time.perf_counter() - saved)
            wait_for(".pdf in")  # and its line, with the first finding of the change
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    med = statistics.median(seconds)
    print(f"{WATCH:<48} {med:9.2f} {min(seconds):6.2f}-{max(seconds):<6.2f}")
    found = {WATCH: {"median_s": med, "min_s": min(seconds), "max_s": max(seconds)}}
    if full:
        ratio = med / full["median_s"]
        mark = "ok" if ratio <= 0.2 else "MISSED"
        print(f"target: proof watch / full make: {ratio:.2f}x (target <= 0.2) {mark}")
        found["ratio: proof watch / full make"] = ratio
    return found


def cases(
    languages: list[str], work: Path, wanted: Callable[[str], bool], naive: bool = False
) -> dict:
    """name -> (make command from a fresh temporary folder, optional before(run), env)."""
    found: dict[str, tuple] = {}
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
    found[FULL_MAKE] = (
        lambda out: [PY, "-m", "pamflet.cli", "build", "-o", str(out / "make")],
        None,
    )
    found["full build: pamflet build, en+nl"] = (
        lambda out: [PY, "-m", "pamflet.cli", "build", "-l", "en", "nl", "-o", str(out / "full")],
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
    if any(map(wanted, ("clinic batch", BIG_BATCH, SECOND_BATCH))):
        for count, fmt in ((100, "a5-print"), (40, "a5")):
            build, paths = prepare_clinics(work, count, fmt)

            def imprint(out: Path, *extra: str, build=build, paths=paths) -> list[str]:
                cmd = [PY, "-m", "pamflet.cli", "imprint", *extra, "-o", str(build)]
                return [*cmd, *map(str, paths)]

            label = f"{count} variants, nl {fmt}"
            # every variant made again each time: their keys (issue 26) go first
            keys = build / ".work" / "imprint-keys"

            def forget(run: int, keys: Path = keys) -> None:
                shutil.rmtree(keys, ignore_errors=True)

            found[f"clinic batch: {label}"] = (imprint, forget)
            found[f"clinic batch, before: {label}"] = (imprint, forget, ONE_BY_ONE)
            if fmt == "a5-print":  # stamped; the reference lays out cover and back page
                found[f"clinic batch, whole layout: {label}"] = (
                    lambda out, imprint=imprint: imprint(out, "--whole-layout"),
                    forget,
                )
            if naive and fmt == "a5-print":
                found[f"clinic batch, naive: {label}"] = (
                    lambda out, imprint=imprint: imprint(out, "--naive"),
                    forget,
                )
        # issue 27 at a region's scale, and a second batch with nothing changed
        build, paths = prepare_clinics(work, 1000, "a5-print")
        keys = build / ".work" / "imprint-keys"
        big = [PY, "-m", "pamflet.cli", "imprint", "-o", str(build), *map(str, paths)]
        few = [*big[:6], *map(str, paths[:100])]

        def forget_all(run: int, keys: Path = keys) -> None:
            shutil.rmtree(keys, ignore_errors=True)

        def made_once(run: int) -> None:
            env = {**os.environ, **ENV}  # as the timed run: the keys see the same settings
            subprocess.run(few, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

        found[BIG_BATCH] = (lambda out: big, forget_all)
        found[SECOND_BATCH] = (lambda out: few, made_once)
    return {name: case for name, case in found.items() if wanted(name)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--languages", nargs="+", default=["en", "nl"])
    parser.add_argument(
        "--only", help="run only cases whose name contains this text (a,b: either)"
    )
    parser.add_argument(
        "--naive", action="store_true", help="also time clinic batches with a whole layout each"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pamflet-bench-work-"))
    todo = cases(args.languages, work, lambda name: matches(args.only, name), args.naive)
    results = {name: {"seconds": [], "mb": []} for name in todo}
    print(f"pamflet benchmarks: {len(todo)} cases x {args.runs} runs (interleaved)", flush=True)
    for run in range(args.runs):
        for name, (make, before, *env) in todo.items():
            if before:
                before(run)
            with tempfile.TemporaryDirectory(prefix="pamflet-bench-") as tmp:
                seconds, mb = timed(make(Path(tmp)), *env)
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
        verdict = "ok" if ratio <= 0.25 else "MISSED"
        print(
            f"target: proof loop (a new process) / full build: {ratio:.2f}x (target <= 0.25, "
            f"issue 8) {verdict}; the live loop is `pamflet proof --watch` (issue 15, below)"
        )
        summary["ratio: proof loop / full build"] = ratio
    for label in ("100 variants, nl a5-print", "40 variants, nl a5"):
        batch = summary.get(f"clinic batch: {label}")
        before = summary.get(f"clinic batch, before: {label}")
        if batch and before:
            print(
                f"clinic batch, {label}: {batch['median_s']:.1f} s, before "
                f"{before['median_s']:.1f} s: {before['median_s'] / batch['median_s']:.1f}x faster"
            )
        whole = summary.get(f"clinic batch, whole layout: {label}")
        if batch and whole:
            print(
                f"clinic batch, {label}: stamped {batch['median_s']:.2f} s, whole layout "
                f"{whole['median_s']:.2f} s: {whole['median_s'] / batch['median_s']:.2f}x"
            )
    if wanted_watch(args.only):
        summary.update(watch_figures(work, args.runs, summary.get(FULL_MAKE)))
    missed = 0
    if BIG_BATCH in summary:  # the memory of a region's batch (the largest process)
        peak = summary[BIG_BATCH]["peak_mb"]
        mark = "ok" if peak <= 400 else "MISSED"
        missed += mark == "MISSED"
        print(f"target: {BIG_BATCH}: peak {peak:.0f} MB (target <= 400 MB) {mark}")
    for name, target in TARGETS.items():
        if name in summary:
            value = summary[name]["median_s"]
            mark = "ok" if value <= target else "MISSED"
            missed += mark == "MISSED"
            print(f"target: {name}: {value:.2f} s (target <= {target:g} s) {mark}")
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nraw figures: {out / 'results.json'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
