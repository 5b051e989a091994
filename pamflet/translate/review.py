"""A review copy for medical reviewers: ``pamflet review`` / ``make review``.

``build/review/<lang>.html`` shows each source paragraph beside its
translation, in the catalogs' order (the order of the source), with its
status (translated, fuzzy, untranslated) and the QA findings of
``pamflet check`` inline, so a doctor can check a translation without
reading ``.po`` syntax.

The page is self-contained (inline CSS, no scripts, no external resources)
and every text is escaped. reStructuredText is shown as a reader sees it
(emphasis, strong, literals); links are shown as text with their address in
brackets, never as live links, so a hostile translation cannot make the
review copy itself unsafe.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from html import escape
from pathlib import Path

from docutils import nodes

from ..files import atomic_output
from ..project import Project
from .checks.markup import Markup, role_node
from .checks.refusals import INTERFACE_DOMAINS
from .checks.runner import (
    Checker,
    Options,
    catalog_language,
    language_dir,
)
from .entries import Entry, Finding
from .po import parse_po
from .stats import state

STYLE = """
body { font-family: system-ui, sans-serif; font-size: 1rem; line-height: 1.5; color: #111;
  margin: 2rem auto; max-width: 78rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 0.5rem 0.6rem; vertical-align: top; text-align: left; }
th { background: #eee; }
td.n { width: 5rem; font-size: 0.85rem; color: #444; }
td.src, td.tgt { width: 44%; }
.status { display: inline-block; font-size: 0.8rem; font-weight: bold; padding: 0 0.4rem;
  border-radius: 0.3rem; }
.translated { background: #d9f0dd; color: #14501e; }
.fuzzy { background: #fff0c2; color: #6b4e00; }
.exempt { font-size: 0.85em; color: #444; margin: 0.3em 0 0; }
.untranslated { background: #fbd9d9; color: #7a1010; }
tr.fuzzy td.tgt { background: #fffaf0; } tr.untranslated td.tgt { background: #fff5f5; }
ul.findings { margin: 0.4rem 0 0; padding-left: 1.2rem; font-size: 0.85rem; }
li.error { color: #8a0000; } li.warning { color: #6b4e00; }
.url { color: #555; font-size: 0.85rem; } code { background: #f2f2f2; padding: 0 0.2rem; }
.missing { color: #777; font-style: italic; }
.summary td, .summary th { padding: 0.2rem 0.6rem; }
@media print { body { margin: 0; max-width: none; } tr { break-inside: avoid; } }
"""


def render_inline(node: nodes.Node) -> str:
    """Safe HTML for parsed reST: a few inline elements, everything else as text."""
    if isinstance(node, nodes.Text):
        return escape(str(node))
    if isinstance(node, nodes.system_message):
        return ""
    inner = "".join(render_inline(child) for child in node.children)
    if isinstance(node, nodes.emphasis):
        return f"<em>{inner}</em>"
    if isinstance(node, nodes.strong):
        return f"<strong>{inner}</strong>"
    if isinstance(node, nodes.literal):
        return f"<code>{inner}</code>"
    if isinstance(node, nodes.reference):
        uri = node.get("refuri")
        if uri and uri != node.astext():
            return f'{inner} <span class="url">[{escape(uri)}]</span>'
        return inner
    if isinstance(node, nodes.footnote_reference | nodes.citation_reference):
        return f"<sup>[{inner}]</sup>"
    if isinstance(node, nodes.substitution_reference):
        return f"|{inner}|"
    if isinstance(node, role_node):
        return inner
    if isinstance(node, nodes.paragraph):
        return f"<p>{inner}</p>"
    if isinstance(node, nodes.document):
        return inner
    if isinstance(node, nodes.Element) and not isinstance(node, nodes.Inline):
        return f"<div>{inner}</div>"
    return inner


def render_text(text: str, markup: Markup | None) -> str:
    if markup is None:
        return f"<p>{escape(text)}</p>"
    parsed = markup.parse(text)
    if parsed.messages or parsed.document is None:
        return f"<p>{escape(text)}</p>"  # show what is there, as written
    return render_inline(parsed.document)


def _row(
    number: int,
    entry: Entry,
    findings: list[Finding],
    source_language: str,
    language: str,
    markup: Markup | None,
    checker: Checker,
    anchor: str = "e",
) -> str:
    status = state(entry)
    source_html = render_text(entry.msgid, markup)
    translation = entry.msgstr.get(0, "")
    if translation:
        target_html = render_text(translation, markup)
    else:
        target_html = '<p class="missing">(not translated: readers get the English text)</p>'
    location = ""
    if entry.locations:
        _file, shown, line = checker.source_file(entry.locations[0])
        location = f"<br>{escape(Path(shown).name)}:{line}" if line else ""
    items = "".join(
        f'<li class="{f.severity}">{f.severity} [{escape(f.check)}] {escape(f.message)}</li>'
        for f in findings
    )
    findings_html = f'<ul class="findings">{items}</ul>' if items else ""
    exemptions = sorted(entry.exemptions())
    if exemptions:
        findings_html += (
            '<p class="exempt">exempt: '
            + ", ".join(f"<code>ignore-{escape(name)}</code>" for name in exemptions)
            + " (the translator accepted this difference; safety and syntax are "
            "always checked)</p>"
        )
    label = {"translated": "translated", "fuzzy": "fuzzy: check", "untranslated": "missing"}[
        status
    ]
    return (
        f'<tr class="{status}" id="{escape(anchor)}-{entry.line}">'
        f'<td class="n">{number}{location}<br><span class="status {status}">{label}</span></td>'
        f'<td class="src" lang="{escape(source_language)}">{source_html}</td>'
        f'<td class="tgt" lang="{escape(language)}">{target_html}{findings_html}</td>'
        "</tr>"
    )


def review_html(paths: list[Path], language: str, options: Options, title: str = "") -> str:
    checker = Checker(options)
    source_language = options.source_language
    sections: list[str] = []
    totals: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    for path in paths:
        findings = checker.check(path)
        entries, _ = parse_po(path)
        by_line: dict[int, list[Finding]] = {}
        file_level: list[Finding] = []
        for finding in findings:
            if Path(finding.path) == path and any(
                e.line <= finding.line <= max(e.end_line, e.line) for e in entries
            ):
                entry = next(
                    e for e in entries if e.line <= finding.line <= max(e.end_line, e.line)
                )
                by_line.setdefault(entry.line, []).append(finding)
            else:
                file_level.append(finding)
            severities[finding.severity] += 1
        interface = path.stem in INTERFACE_DOMAINS
        rows: list[str] = []
        with Markup() as markup:
            number = 0
            for entry in entries:
                if entry.obsolete or (entry.msgid == "" and entry.msgctxt is None):
                    continue
                number += 1
                totals[state(entry)] += 1
                rows.append(
                    _row(
                        number,
                        entry,
                        by_line.get(entry.line, []),
                        source_language,
                        language,
                        None if interface else markup,
                        checker,
                        path.stem,
                    )
                )
        other = "".join(f'<li class="{f.severity}">{escape(str(f))}</li>' for f in file_level)
        sections.append(
            f"<section><h2>{escape(path.name)}</h2>"
            + (f'<ul class="findings">{other}</ul>' if other else "")
            + '<table><thead><tr><th scope="col">#</th>'
            f'<th scope="col">Source ({escape(source_language)})</th>'
            f'<th scope="col">Translation ({escape(language)})</th></tr></thead><tbody>'
            + "".join(rows)
            + "</tbody></table></section>"
        )
    heading = f"Review copy: {title or 'translation'} ({language})"
    summary = (
        '<table class="summary"><tr>'
        f"<th>translated</th><td>{totals['translated']}</td>"
        f"<th>fuzzy</th><td>{totals['fuzzy']}</td>"
        f"<th>untranslated</th><td>{totals['untranslated']}</td>"
        f"<th>errors</th><td>{severities['error']}</td>"
        f"<th>warnings</th><td>{severities['warning']}</td></tr></table>"
    )
    when = dt.datetime.fromtimestamp(
        int(os.environ.get("SOURCE_DATE_EPOCH", dt.datetime.now().timestamp())), dt.UTC
    ).strftime("%Y-%m-%d")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(heading)}</h1>\n"
        f"<p>Each paragraph of the source beside its translation, made on {when} from "
        f"{len(paths)} catalog{'s' * (len(paths) != 1)}. <strong>fuzzy</strong>: the "
        "translation is of an older source text and must be checked; "
        "<strong>missing</strong>: readers get the English text. Findings of "
        "<code>pamflet check</code> are listed under the translation.</p>\n"
        f"{summary}\n" + "\n".join(sections) + "\n</main>\n</body>\n</html>\n"
    )


def write_review(
    paths: list[Path], language: str, options: Options, out: Path, title: str
) -> Path:
    with atomic_output(out) as tmp:
        tmp.write_text(review_html(paths, language, options, title), encoding="utf-8")
    return out


def write_reviews(project: Project, languages: list[str]) -> int:
    """``pamflet review``: ``build/review/<lang>.html`` for ``languages`` (none: every
    language but the source language); the exit status."""
    options = Options.from_project(project, project.root)
    source = options.source_language
    languages = languages or [lang for lang in project.languages() if lang != source]
    catalogs = project.catalogs()
    status = 0
    for language in languages:
        paths = []
        for path in catalogs:
            folder = language_dir(path)
            entries, _ = parse_po(path)
            if (folder and folder.name == language) or catalog_language(path, entries) == language:
                paths.append(path)
        if not paths:
            print(f"{language}: no catalogs", file=sys.stderr)
            status = 1
            continue
        out = project.builddir / "review" / f"{language}.html"
        write_review(paths, language, options, out, project.settings().project)
        print(f"Review copy: {os.path.relpath(out, Path.cwd())}")
    return status
