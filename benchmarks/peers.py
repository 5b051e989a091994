"""pamflet against the stock toolchain, side by side in one run (``make bench-peers``).

The peer is sphinx-simplepdf, installed with the same Sphinx and WeasyPrint
versions as ours in a separate virtual environment (``.venv-peers``, made by
``make bench-peers``). Cases, each from a clean output folder, interleaved:

- one A5 reader PDF of the leaflet in Dutch, from clean: ``pamflet build pdf -l nl
  -f a5`` (what ``make proof LANGUAGES=nl`` runs; a full leaflet with cover, back
  page and QR code) against ``sphinx-build -E -b simplepdf`` (theirs) on the same
  content;
- the same for a short leaflet (``benchmarks/short``: 4 A5 pages with a note,
  a list-table, a footnote, a warning and a link), where fixed costs dominate;
- everything for en and nl: ``pamflet build`` (website, EPUBs, five PDF formats
  per language) against the stock chain (``sphinx-build`` html + epub +
  simplepdf for en and nl, one after the other).

Wall time, CPU time (user + system of the child processes) and peak memory;
medians and min-max of ``--runs`` runs; ratios ours/theirs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from run import timed as run_timed

ROOT = Path(__file__).resolve().parents[1]
SHORT = ROOT / "benchmarks" / "short"
OURS = sys.executable
PEERS = ROOT / ".venv-peers" / "bin" / "python"

PEER_CONF = """
# sphinx-simplepdf on pamflet's content: the same source and catalogs.
project = "Patient leaflets"
extensions = ["sphinx_simplepdf"]
locale_dirs = ["{root}/locales/"]
root_doc = "{root_doc}"
exclude_patterns = ["_reference", "index.rst"]
html_theme = "alabaster"
simplepdf_use_weasyprint_api = True


def setup(app):
    # pamflet's leaflet-about directive, as a no-op: the peer does not know it.
    from docutils.parsers.rst import Directive

    class Nothing(Directive):
        def run(self):
            return []

    app.add_directive("leaflet-about", Nothing)
"""


#: (wall, cpu) targets of the pairs of cases, in order (None: no target).
TARGETS = [(0.85, None), (0.60, None), (0.55, 1.0)]


def timed(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user+sys) and peak RSS (MB) of one child process."""
    return run_timed(cmd, cpu=True)


def sphinx(
    python: Path | str,
    conf: Path,
    builder: str,
    lang: str,
    out: Path,
    *extra: str,
    project: Path = ROOT,
) -> list[str]:
    return [
        str(python),
        "-m",
        "sphinx",
        "-E",
        "-q",
        "-b",
        builder,
        "-c",
        str(conf),
        "-D",
        f"language={lang}",
        "-d",
        str(out / "doctrees" / lang),
        *extra,
        str(project / "source"),
        str(out / builder / lang),
    ]


def run_all(commands: list[list[str]]) -> tuple[float, float, float]:
    wall = cpu = peak = 0.0
    for cmd in commands:
        w, c, m = timed(cmd)
        wall, cpu, peak = wall + w, cpu + c, max(peak, m)
    return wall, cpu, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not PEERS.exists():
        raise SystemExit(f"{PEERS} is missing: run `make bench-peers`")
    conf_dir = Path(tempfile.mkdtemp(prefix="pamflet-peers-conf-"))
    (conf_dir / "conf.py").write_text(
        PEER_CONF.format(root=ROOT, root_doc="ptsd-psychedelic-therapy"), encoding="utf-8"
    )
    short_conf = conf_dir / "short"
    short_conf.mkdir()
    (short_conf / "conf.py").write_text(
        PEER_CONF.format(root=SHORT, root_doc="visit"), encoding="utf-8"
    )

    def short_ours(out: Path) -> list[list[str]]:
        return [proof(SHORT, out)]

    def short_peer(out: Path) -> list[list[str]]:
        return [sphinx(PEERS, short_conf, "simplepdf", "nl", out, project=SHORT)]

    def proof(project: Path, out: Path) -> list[str]:
        """What ``make proof LANGUAGES=nl`` runs: the A5 PDF of one language, from clean."""
        cli = [OURS, "-m", "pamflet.cli", "build", "pdf", "-l", "nl", "-f", "a5"]
        return [*cli, "-C", str(project), "-o", str(out / "proof")]

    def one_a5_ours(out: Path) -> list[list[str]]:
        return [proof(ROOT, out)]

    def one_a5_peer(out: Path) -> list[list[str]]:
        return [sphinx(PEERS, conf_dir, "simplepdf", "nl", out)]

    def everything_ours(out: Path) -> list[list[str]]:
        # en and nl only, as the stock chain (conf.py has more languages)
        full = [OURS, "-m", "pamflet.cli", "build", "-l", "en", "nl", "-o", str(out / "full")]
        return [full]

    def everything_peer(out: Path) -> list[list[str]]:
        return [
            sphinx(PEERS, conf_dir, b, lang, out)
            for lang in ("en", "nl")
            for b in ("html", "epub", "simplepdf")
        ]

    cases = {
        "one A5 PDF, nl: pamflet leaflet": one_a5_ours,
        "one A5 PDF, nl: sphinx-simplepdf": one_a5_peer,
        "short leaflet, A5, nl: pamflet leaflet": short_ours,
        "short leaflet, A5, nl: sphinx-simplepdf": short_peer,
        "en+nl everything: pamflet build (html, epub, 5 PDF formats)": everything_ours,
        "en+nl stock chain (html, epub, simplepdf)": everything_peer,
    }
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cases}
    print(f"pamflet vs sphinx-simplepdf: {len(cases)} cases x {args.runs} runs", flush=True)
    for run in range(args.runs):
        for name, make in cases.items():
            with tempfile.TemporaryDirectory(prefix="pamflet-peers-") as tmp:
                results[name].append(run_all(make(Path(tmp))))
        print(f"  run {run + 1}/{args.runs} done", flush=True)

    summary = {}
    print(f"\n{'case':<55} {'wall s':>7} {'min-max':>13} {'cpu s':>7} {'peak MB':>8}")
    for name, rows in results.items():
        walls = [r[0] for r in rows]
        cpus = [r[1] for r in rows]
        summary[name] = {
            "median_wall_s": statistics.median(walls),
            "min_wall_s": min(walls),
            "max_wall_s": max(walls),
            "median_cpu_s": statistics.median(cpus),
            "peak_mb": max(r[2] for r in rows),
            "runs": rows,
        }
        print(
            f"{name:<55} {statistics.median(walls):7.2f} {min(walls):6.2f}-{max(walls):<6.2f}"
            f" {statistics.median(cpus):7.2f} {max(r[2] for r in rows):8.0f}"
        )
    names = list(cases)
    for index, (wall_target, cpu_target) in enumerate(TARGETS):
        ours, theirs = names[2 * index], names[2 * index + 1]
        wall = summary[ours]["median_wall_s"] / summary[theirs]["median_wall_s"]
        cpu = summary[ours]["median_cpu_s"] / summary[theirs]["median_cpu_s"]
        marks = [
            f"{what} {value:.2f}x (target <= {target:g}x) {'ok' if value <= target else 'MISSED'}"
            for what, value, target in (("wall", wall, wall_target), ("cpu", cpu, cpu_target))
            if target
        ]
        print(f"target: {ours.split(':')[0]}, ours / theirs: {'; '.join(marks)}")
        summary[f"ratio: {ours}"] = {"wall": wall, "cpu": cpu}
    peak = summary[names[4]]["peak_mb"]
    mark = "ok" if peak <= 300 else "MISSED"
    print(f"target: {names[4]}: peak {peak:.0f} MB (target <= 300 MB) {mark}")
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "peers.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nraw figures: {out / 'peers.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
