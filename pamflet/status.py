"""``pamflet status``: the library at a glance, for its maintainer (issue 26).

For each leaflet and language: the share of the leaflet's words that is translated,
its fuzzy entries, its last change and when its next review is due (its catalog
``locales/<lang>/LC_MESSAGES/<leaflet>.po``, its metadata in ``pamflet_leaflets``).
``--json`` gives the same rows for a clinic's dashboard.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from .about import is_draft, leaflet_metadata
from .project import Project
from .translate.stats import catalog_stats


def leaflet_catalog(project: Project, language: str, docname: str) -> Path | None:
    """The leaflet's catalog in ``language``, as Sphinx finds it (``gettext_compact``)."""
    for locale_dir in project.locale_dirs:
        path = project.srcdir / locale_dir / language / "LC_MESSAGES" / f"{docname}.po"
        if path.is_file():
            return path
    return None


def status_rows(project: Project, today: dt.date | None = None) -> list[dict[str, Any]]:
    today = today or dt.date.today()
    rows = []
    for docname in project.leaflets():
        for language in project.languages():
            config = project.settings(language)
            meta = leaflet_metadata(config, docname)
            last = meta.get("reviewed") or meta.get("published") or meta.get("changed")
            due = meta.get("next_review")
            row: dict[str, Any] = {
                "leaflet": docname,
                "language": language,
                "translated_percent": 100.0,
                "fuzzy": 0,
                "untranslated": 0,
                "last_change": last.isoformat() if last else None,
                "review_due": due.isoformat() if due else None,
                "draft": is_draft(config, docname),
                "review_overdue": bool(due and due < today),
            }
            if language != project.source_language:
                path = leaflet_catalog(project, language, docname)
                if path is None:
                    row.update(translated_percent=0.0, catalog=None)
                else:
                    stats = catalog_stats(path, language)
                    row.update(
                        translated_percent=round(stats.percent_words, 1),
                        fuzzy=stats.fuzzy,
                        untranslated=stats.untranslated,
                        catalog=project.relative(path),
                    )
            rows.append(row)
    return rows


def _review(row: dict[str, Any]) -> str:
    if row["draft"]:
        return "draft, no review"
    if row["review_overdue"]:
        return f"{row['review_due']} OVERDUE"
    return row["review_due"] or "-"


def table(rows: list[dict[str, Any]]) -> str:
    header = ("leaflet", "language", "translated", "fuzzy", "last change", "review due")
    lines = [header] + [
        (
            r["leaflet"],
            r["language"],
            f"{r['translated_percent']:.1f}%"
            + ("" if r.get("catalog", "") is not None else " (no catalog)"),
            str(r["fuzzy"]),
            r["last_change"] or "-",
            _review(r),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for line in lines:
        cells = [
            cell.rjust(width) if i in (2, 3) else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def report_status(project: Project, as_json: bool = False) -> int:
    rows = status_rows(project)
    print(json.dumps(rows, indent=2, ensure_ascii=False) if as_json else table(rows))
    return 0
