"""The library's front door (issue 26): every leaflet on one page of the website.

``.. leaflet-library::`` on a page (this project's ``index.rst``) becomes a table of
every leaflet in ``pamflet_leaflets``: its title (a link to it), a one-line summary
(its subtitle, else its first paragraph), the formats it can be downloaded in (the
download block's files), its review status (a draft, the last review, or a review
that is overdue) and the languages it is in (links to the leaflet in each). The
labels are pamflet's own (``pamflet/locale``, a project's ``pamflet.po`` overrides
them); the format names are the download block's (the project's ``sphinx.po``).

A page with the table is read again whenever any document changes (its titles and
summaries come from the leaflets). Other builders (EPUB, PDF) leave the table out.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.locale import _
from sphinx.util.osutil import relative_uri

from ..about import first_paragraph, leaflet_metadata, today
from ..i18n import N_, format_date, gettext, language_name, sphinx_locale_dirs
from ..patches.sphinx import written_value
from ..project import leaflets
from ..settings import language_of
from .downloads import DOWNLOAD_TEXTS, DOWNLOADS_FOLDER
from .languages import WEBSITE_BUILDERS, text_direction

if TYPE_CHECKING:
    from sphinx.application import Sphinx

HEADINGS = (N_("Leaflet"), N_("Summary"), N_("Formats"), N_("Review"), N_("Languages"))
DRAFT = N_("Draft: not yet reviewed by a doctor")
REVIEWED = N_("Last reviewed")
OVERDUE = N_("Review overdue since")


class leaflet_library(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Where the table of leaflets goes; filled in for the website."""


class LeafletLibrary(Directive):
    has_content = False

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        docs = getattr(env, "pamflet_library_docs", set())
        docs.add(env.docname)
        env.pamflet_library_docs = docs
        return [leaflet_library()]


def has_catalog(app: Sphinx, language: str, docname: str) -> bool:
    """Whether the leaflet is translated into ``language`` (it has a catalog there)."""
    if language == (written_value(app.config, "language") or "en"):
        return True
    return any(
        (Path(folder) / language / "LC_MESSAGES" / f"{docname}.po").is_file()
        for folder in sphinx_locale_dirs(app.env)
    )


def review_status(app: Sphinx, docname: str, label: Any) -> str:
    config = app.config
    meta = leaflet_metadata(config, docname)
    if not meta["reviews"]:
        return label(DRAFT)
    language = language_of(config)

    def day(value: Any) -> str:
        return format_date(value, language, config.pamflet_date_locales)

    due = meta.get("next_review")
    if due and due < today():
        return f"{label(OVERDUE)} {day(due)}"
    return f"{label(REVIEWED)}: {day(meta['reviewed'])}"


def library_rows(app: Sphinx, pagename: str) -> list[dict[str, Any]]:
    builder, config, env = app.builder, app.config, app.env
    language = language_of(config)
    locale_dirs = sphinx_locale_dirs(env)

    def label(message: str) -> str:
        return gettext(language, message, locale_dirs)

    page = builder.get_target_uri(pagename)
    to_root = relative_uri(page, "").removeprefix("./")
    downloads = getattr(builder, "pamflet_downloads", {})
    rows = []
    for docname in leaflets(config):
        if docname not in env.found_docs:
            continue
        target = builder.get_target_uri(docname)
        formats = [
            {
                "label": _(DOWNLOAD_TEXTS[item.kind][0]),
                "href": relative_uri(page, f"{DOWNLOADS_FOLDER}/{item.name}"),
                "type": item.media_type,
            }
            for item in downloads.get(docname, [])
        ]
        languages = [
            {
                "code": lang,
                "name": language_name(lang),
                "dir": text_direction(config, lang),
                "href": to_root + config.pamflet_language_url.format(language=lang, path=target),
            }
            for lang in list(config.pamflet_languages or [language])
            if has_catalog(app, lang, docname)
        ]
        rows.append(
            {
                "title": env.titles[docname].astext(),
                "href": relative_uri(page, target),
                "summary": first_paragraph(env, docname, "subtitle")
                or first_paragraph(env, docname),
                "formats": formats,
                "review": review_status(app, docname, label),
                "draft": not leaflet_metadata(config, docname)["reviews"],
                "languages": languages,
            }
        )
    return rows


def fill_library(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(leaflet_library)):
        if app.builder.name not in WEBSITE_BUILDERS:
            node.parent.remove(node)
            continue
        language = language_of(app.config)
        locale_dirs = sphinx_locale_dirs(app.env)
        node["headings"] = [gettext(language, h, locale_dirs) for h in HEADINGS]
        node["rows"] = library_rows(app, docname)


def visit_library(self: Any, node: leaflet_library) -> None:
    esc = html.escape
    heads = "".join(f'<th scope="col">{esc(h)}</th>' for h in node["headings"])
    parts = [f'<table class="pamflet-library">\n<thead><tr>{heads}</tr></thead>\n<tbody>']
    for row in node["rows"]:
        formats = "".join(
            f'<li><a href="{esc(f["href"])}" type="{f["type"]}">{esc(f["label"])}</a></li>'
            for f in row["formats"]
        )
        languages = "".join(
            f'<li><a href="{esc(lang["href"])}" hreflang="{lang["code"]}" lang="{lang["code"]}"'
            f' dir="{lang["dir"]}">{esc(lang["name"])}</a></li>'
            for lang in row["languages"]
        )
        review = ' class="pamflet-library-draft"' if row["draft"] else ""
        parts.append(
            f'<tr><th scope="row"><a href="{esc(row["href"])}">{esc(row["title"])}</a></th>'
            f"<td>{esc(row['summary'])}</td><td><ul>{formats}</ul></td>"
            f"<td{review}>{esc(row['review'])}</td><td><ul>{languages}</ul></td></tr>"
        )
    parts.append("</tbody>\n</table>\n")
    self.body.append("\n".join(parts))
    raise nodes.SkipNode


def outdated_with_library(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list:
    """A page with the table is read again when any document changed."""
    if not (added or changed or removed):
        return []
    return sorted(getattr(env, "pamflet_library_docs", set()) & env.found_docs - changed)


def purge(app: Sphinx, env: Any, docname: str) -> None:
    getattr(env, "pamflet_library_docs", set()).discard(docname)


def merge(app: Sphinx, env: Any, docnames: set, other: Any) -> None:
    found = getattr(env, "pamflet_library_docs", set())
    found |= getattr(other, "pamflet_library_docs", set()) & set(docnames)
    env.pamflet_library_docs = found
