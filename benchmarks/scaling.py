"""How the full build scales with leaflets and languages (part of ``make bench``).

A copy of the project is made in a temporary folder for each configuration:

- 1, 5 and 20 leaflets: copies of the real leaflet (and its Dutch catalog)
  under other names, all listed in ``pamflet_leaflets``;
- 2 and 4 languages: en and nl, plus pseudo-translations into de and fr made
  from the English catalog template (accented and 30 % longer, which is also
  a layout stress test), with reST markup left intact.

Each configuration runs ``pamflet build`` from clean, ``--runs`` times
(interleaved); the table gives the median wall time, the cost per added
leaflet and per added language, and peak memory.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run import ROOT, timed

LEAFLET = "ptsd-psychedelic-therapy"
ACCENTS = str.maketrans("aeiouAEIOUcnyCNY", "àéîõüÅÉÎÕÜçñýÇÑÝ")
PROTECTED = re.compile(r"(`[^`]*`_?|\*\*[^*]+\*\*|\[[^\]]*\]_?|https?://\S+|\|[^|]+\||:[a-z]+:)")


def pseudo(text: str) -> str:
    """Accented and about 30 % longer; reST markup and URLs untouched."""
    if not text:
        return text
    parts = PROTECTED.split(text)
    out = [part if PROTECTED.fullmatch(part) else part.translate(ACCENTS) for part in parts]
    words = len(text.split())
    padding = " ".join(["ẋẋẋ"] * max(1, round(words * 0.3)))
    result = "".join(out)
    # Keep the end punctuation at the end, as a translation would.
    match = re.search(r"[.!?:]+$", result)
    if match:
        return result[: match.start()] + " " + padding + match.group()
    return result + " " + padding


def pseudo_catalog(pot: Path, target: Path, language: str) -> None:
    from babel.messages.pofile import read_po, write_po

    with pot.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    for message in catalog:
        if message.id and isinstance(message.id, str):
            message.string = pseudo(message.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as fh:
        write_po(fh, catalog, width=79)


def make_project(folder: Path, leaflets: int, languages: list[str]) -> Path:
    project = folder / "project"
    shutil.copytree(ROOT / "source", project / "source")
    shutil.copytree(ROOT / "locales", project / "locales")
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    names = [LEAFLET] + [f"leaflet-{n:02d}" for n in range(2, leaflets + 1)]
    for name in names[1:]:
        shutil.copyfile(project / "source" / f"{LEAFLET}.rst", project / "source" / f"{name}.rst")
        for po in (project / "locales").glob(f"*/LC_MESSAGES/{LEAFLET}.po"):
            shutil.copyfile(po, po.with_name(f"{name}.po"))
    index = project / "source" / "index.rst"
    index.write_text(index.read_text() + "".join(f"   {n}\n" for n in names[1:]))
    meta = (
        "{'version': '1.0', 'published': '2026-11-27', 'reviewed': '2026-11-27', "
        "'next_review': '2029-11-27'}"
    )
    conf += "\npamflet_leaflets = {" + ", ".join(f"{n!r}: {meta}" for n in names) + "}\n"
    conf += f"pamflet_languages = {languages!r}\n"
    (project / "conf.py").write_text(conf, encoding="utf-8")
    extra = [lang for lang in languages if lang not in ("en", "nl")]
    if extra:
        pots = project / "build" / "gettext"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-q",
                "-b",
                "gettext",
                "-c",
                str(project),
                str(project / "source"),
                str(pots),
            ],
            check=True,
        )
        for lang in extra:
            for pot in pots.glob("*.pot"):
                pseudo_catalog(
                    pot, project / "locales" / lang / "LC_MESSAGES" / f"{pot.stem}.po", lang
                )
        shutil.rmtree(project / "build")
    return project


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    configs = {
        "1 leaflet, en+nl": (1, ["en", "nl"]),
        "5 leaflets, en+nl": (5, ["en", "nl"]),
        "20 leaflets, en+nl": (20, ["en", "nl"]),
        "1 leaflet, en only": (1, ["en"]),
        "1 leaflet, 4 languages (en nl de fr)": (1, ["en", "nl", "de", "fr"]),
    }
    tmp = Path(tempfile.mkdtemp(prefix="pamflet-scaling-"))
    projects = {
        name: make_project(tmp / str(i), *cfg) for i, (name, cfg) in enumerate(configs.items())
    }
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in configs}
    print(f"scaling: {len(configs)} configurations x {args.runs} runs", flush=True)
    for run in range(args.runs):
        for name, project in projects.items():
            shutil.rmtree(project / "build", ignore_errors=True)
            results[name].append(
                timed([sys.executable, "-m", "pamflet.cli", "build", "-C", str(project)])
            )
        print(f"  run {run + 1}/{args.runs} done", flush=True)
    median = {name: statistics.median(r[0] for r in rows) for name, rows in results.items()}
    print(f"\n{'configuration':<40} {'median s':>9} {'peak MB':>8}")
    for name, rows in results.items():
        print(f"{name:<40} {median[name]:9.2f} {max(r[1] for r in rows):8.0f}")
    one, five, twenty = (median[k] for k in list(configs)[:3])
    per_leaflet_5 = (five - one) / 4
    per_leaflet_20 = (twenty - one) / 19
    first = median["1 leaflet, en only"]
    second = one - first
    per_language_4 = (median["1 leaflet, 4 languages (en nl de fr)"] - one) / 2
    print(
        f"\ncost per added leaflet: {per_leaflet_5:.2f} s (1->5), {per_leaflet_20:.2f} s "
        f"(1->20); linear if these agree"
    )
    print(f"second language: {second:.2f} s = {second / first:.2f}x the first ({first:.2f} s)")
    print(f"each language beyond two: {per_language_4:.2f} s")
    summary = {
        "median_s": median,
        "per_leaflet_1_5": per_leaflet_5,
        "per_leaflet_1_20": per_leaflet_20,
        "second_language_ratio": second / first,
        "per_language_2_4": per_language_4,
        "runs": {k: v for k, v in results.items()},
    }
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scaling.json").write_text(json.dumps(summary, indent=2) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
