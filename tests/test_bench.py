"""``make bench`` cannot rot: the scaling benchmark runs (issue 26).

``benchmarks/scaling.py --quick`` makes its library project (one leaflet in en, nl
and ar), runs the full, no-change and one-catalog builds for real and writes its
figures; its target lines mark a missed target MISSED.
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import FORMATS, ROOT, benchmark_module, run


@pytest.mark.slow
def test_the_quick_scaling_benchmark_runs(tmp_path) -> None:
    out = tmp_path / "scaling.json"
    result = run([sys.executable, "benchmarks/scaling.py", "--quick", "--out", str(out)], cwd=ROOT)
    report = json.loads(out.read_text(encoding="utf-8"))
    (name,) = report["configurations"]
    assert name == "1 leaflet x en/nl/ar"
    row = report["configurations"][name]
    assert list(row) == ["full", "no change", "one catalog"]
    # every PDF format and the EPUB of each language, and the website's copies of them
    made = row["full"]["outputs"]
    assert (made["pdf"], made["epub"]) == (3 * len(FORMATS), 3)
    assert made["downloads"] >= 3 * 2  # the A4 PDF and the EPUB at least
    for phase in row.values():
        assert phase["median_s"] > 0 and phase["cpu_s"] > 0 and phase["peak_mb"] > 50
    # the changed catalog is the Dutch one: its outputs are rewritten
    assert any(p.startswith("pdf/nl/") for p in row["one catalog"]["rewritten"])
    assert "one catalog" in result.stdout and "raw figures" in result.stdout


def test_a_missed_target_is_marked(tmp_path) -> None:
    scaling = benchmark_module("scaling")
    phase = {"median_s": 100.0, "cores": 1.2, "peak_mb": 700, "rewritten": ["pdf/en/x-a4.pdf"]}
    summary = {"13": {"full": dict(phase), "no change": dict(phase), "one catalog": dict(phase)}}
    lines = dict(scaling.targets(summary, {"13": 13}))
    assert lines and not any(lines.values())  # every target missed here
    assert scaling.verdict(False) == "MISSED"
    summary["13"]["no change"] = {**phase, "median_s": 1.0}
    summary["13"]["one catalog"] = {
        **phase,
        "median_s": 1.0,
        "rewritten": ["pdf/nl/leaflet-13-a4.pdf"],
    }
    met = [line for line, ok in scaling.targets(summary, {"13": 13}) if ok]
    assert len(met) == 3, met


def test_the_check_benchmark_makes_real_catalogs_and_times_them(tmp_path) -> None:
    """``benchmarks/check.py`` (issue 25): its catalogs are made of the real excerpts,
    msgfmt reads them (their format-string defects are the corpus's own, kept), and a
    short run is timed."""
    check = benchmark_module("check")
    entries = check.make_corpus(tmp_path, catalogs=6, entries=60)
    catalogs = sorted(tmp_path.rglob("*.po"))
    assert len(catalogs) == 6 and entries >= 6 * 60
    for path in catalogs:
        run(["msgfmt", "-o", "/dev/null", str(path)], cwd=tmp_path)
    wall, cpu = check.time_check(tmp_path)
    assert wall > 0 and cpu > 0


def test_the_table_has_the_baseline_row(capsys) -> None:
    """With ``--baseline``, the table has the baseline's full build too (it counts no
    outputs), and the per-leaflet target compares with it."""
    scaling = benchmark_module("scaling")
    phase = {"median_s": 40.0, "cores": 1.6, "peak_mb": 400, "cpu_s": 64.0, "runs_s": [40.0]}
    row = {
        "full, baseline": {**phase, "median_s": 50.0},
        "full": {**phase, "outputs": {"pdf": 195, "epub": 39, "downloads": 195}},
        "no change": {**phase, "median_s": 4.0, "rewritten": []},
        "one catalog": {**phase, "median_s": 5.0, "rewritten": ["pdf/nl/leaflet-13-a4.pdf"]},
    }
    scaling.print_table({"13": row})
    table = capsys.readouterr().out
    assert "full, baseline" in table and " 429" in table
    lines = dict(scaling.targets({"13": row}, {"13": 13}))
    per_leaflet = next(line for line in lines if "per leaflet-language" in line)
    assert "(baseline)" in per_leaflet and lines[per_leaflet]
