"""How the PDF build scales with the length of a document (``python benchmarks/size.py``).

Generates a leaflet of about 30, 100 and 300 A4 pages (sections, paragraphs,
lists, a table and a note now and then, numbered sources), builds each with
``sphinx-build -b leaflet`` in a process of its own, ``--runs`` times, and
reports per size the median wall time, the peak memory of the build process
(its ``ru_maxrss`` from ``os.wait4``), the pages written and the cost per
page, for the whole build and for WeasyPrint's render alone (from the
builder's log). Time grows linearly when the per-page cost of the render stays
the same from the smallest size to the largest (ratio about 1); the whole
build's per-page cost falls, as the fixed start-up (Python, Sphinx, reading:
a few seconds) spreads over more pages. Raw figures go to
``build/bench/size.json``.

The issue's bar: 300 pages in less than 1 GB of memory, and linear time.
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

#: Generated units (one section each) per A4 page, measured: 143 units give 100 pages.
UNITS_PER_PAGE = 1.43

CONF = """\
project = "Size benchmark"
extensions = ["pamflet"]
root_doc = "index"
pamflet_formats = ["a4"]
pamflet_leaflets = {"index": {"version": "1.0", "published": "2026-11-27"}}
"""

PARAGRAPH = (
    "Section {n} explains one more part of the treatment in plain words. People with PTSD "
    "often feel that the alarm in their body keeps going long after the danger is over, "
    "and this part says what may help, what the research found so far and what it has not "
    "found. It also says what you can ask your doctor, and where to find more help."
)


def leaflet_source(pages: int) -> str:
    """reStructuredText for a leaflet of about ``pages`` A4 pages."""
    units = max(1, round(pages * UNITS_PER_PAGE))
    out = ["Size benchmark", "==============", "", ".. rst-class:: subtitle", "",
           "A generated leaflet.", ""]  # fmt: skip
    for n in range(1, units + 1):
        title = f"Part {n}: what to expect"
        out += [title, "-" * len(title), ""]
        out += [PARAGRAPH.format(n=n), "", f"**Good to know.** {PARAGRAPH.format(n=n)}", ""]
        out += ["- Talk to your doctor first.", "- Bring someone you trust.",
                "- Write down your questions.", "- Take your time.", ""]  # fmt: skip
        if n % 10 == 0:
            out += [".. note::", "", f"   Note {n}: this does not replace medical advice.", ""]
        if n % 25 == 0:
            out += [".. list-table:: Phases", "   :header-rows: 1", "",
                    "   * - Phase", "     - Weeks", "   * - Preparation", "     - 4",
                    "   * - Integration", "     - 8", ""]  # fmt: skip
        out += [f"This is described in the sources [{n % 10 + 1}]_.", ""]
    out += ["Sources", "-------", ""]
    out += [f".. [{i}] Author {i}. A study of treatment {i}. Journal, 2024." for i in range(1, 11)]
    return "\n".join(out) + "\n"


def make_project(folder: Path, pages: int) -> Path:
    """A Sphinx project with one leaflet of about ``pages`` pages."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    (folder / "index.rst").write_text(leaflet_source(pages), encoding="utf-8")
    return folder


def build_command(project: Path, out: Path, quiet: bool = True) -> list[str]:
    return (
        [sys.executable, "-m", "sphinx", "-b", "leaflet", "-E"]
        + (["-q"] if quiet else [])
        + [
            str(project),
            str(out),
        ]
    )


#: The leaflet builder's log line for a PDF: its pages and the time WeasyPrint took.
_WROTE = re.compile(r"pamflet: wrote \S+ \((\d+) pages, ([\d.]+) s\)")


def measure(project: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and render seconds of one build, in its own process."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(build_command(project, out, quiet=False), stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)  # the build process's own peak memory
        seconds = time.perf_counter() - started
        log.seek(0)
        text = log.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {' '.join(build_command(project, out))}\n{text}")
    render = sum(float(m.group(2)) for m in _WROTE.finditer(text))
    return seconds, usage.ru_maxrss / 1024, render  # ru_maxrss is in KB on Linux


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "size.json")
    args = parser.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory(prefix="pamflet-size-") as tmp:
        for size in args.sizes:
            project = make_project(Path(tmp) / f"p{size}", size)
            out = Path(tmp) / f"out{size}"
            runs = [measure(project, out) for _ in range(args.runs)]
            pages = page_count(out / "index.pdf")
            seconds = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[1] for r in runs)
            render = statistics.median(r[2] for r in runs)
            rows.append(
                {
                    "size": size,
                    "pages": pages,
                    "seconds": round(seconds, 2),
                    "seconds_all": [round(r[0], 2) for r in runs],
                    "peak_rss_mb": round(rss, 1),
                    "peak_rss_mb_all": [round(r[1], 1) for r in runs],
                    "render_seconds": round(render, 2),
                    "ms_per_page": round(1000 * seconds / pages, 1),
                    "render_ms_per_page": round(1000 * render / pages, 1),
                }
            )
            print(f"  {size} pages requested: {pages} pages, {seconds:.1f} s, {rss:.0f} MB")
    smallest, largest = rows[0], rows[-1]
    for before, row in zip(rows, rows[1:], strict=False):
        row["marginal_ms_per_page"] = round(
            1000 * (row["seconds"] - before["seconds"]) / max(1, row["pages"] - before["pages"]), 1
        )
    result = {
        "runs": args.runs,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "sizes": rows,
        "per_page_ratio": round(largest["ms_per_page"] / smallest["ms_per_page"], 2),
        "render_per_page_ratio": round(
            largest["render_ms_per_page"] / smallest["render_ms_per_page"], 2
        ),
        "peak_rss_limit_mb": 1024,
        "peak_rss_ok": all(row["peak_rss_mb"] < 1024 for row in rows),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(
        f"\n{'pages':>6} {'median s':>9} {'peak RSS MB':>12} {'ms/page':>8} "
        f"{'ms/extra page':>14} {'render ms/page':>15}"
    )
    for row in rows:
        extra = row.get("marginal_ms_per_page")
        print(
            f"{row['pages']:>6} {row['seconds']:>9.1f} {row['peak_rss_mb']:>12.0f} "
            f"{row['ms_per_page']:>8.0f} {'' if extra is None else f'{extra:.0f}':>14} "
            f"{row['render_ms_per_page']:>15.0f}"
        )
    print(
        f"\nper-page cost, {largest['pages']} pages against {smallest['pages']}: whole build "
        f"{result['per_page_ratio']:.2f} (the fixed start-up spreads over more pages), "
        f"WeasyPrint's render {result['render_per_page_ratio']:.2f} (1.0 is linear)"
    )
    print(f"peak RSS below 1 GB at every size: {result['peak_rss_ok']}")
    print(f"raw figures: {os.path.relpath(args.out, Path.cwd())}")
    return 0 if result["peak_rss_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
