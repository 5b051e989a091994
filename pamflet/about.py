"""The ``leaflet-about`` directive: a leaflet's version and dates.

The values come from ``pamflet_leaflets[docname]`` in ``conf.py`` (the one
place where a leaflet's metadata lives) and are formatted for the language
being built, so a Dutch build says "27 november 2026". The labels come from
pamflet's own catalog. The directive leaves a placeholder that a
post-transform fills in, so the number of sources can be counted from the
finished document.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .i18n import format_date, gettext

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The metadata keys a leaflet may have in ``pamflet_leaflets``.
DATE_KEYS = ("published", "reviewed", "next_review")
KNOWN_KEYS = {"version", "short_title", *DATE_KEYS}
LABELS = {
    "version": "Version",
    "published": "Published",
    "reviewed": "Last reviewed",
    "next_review": "Next review",
}


class leaflet_about(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Placeholder replaced by a field list at resolve time."""


class LeafletAbout(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        node = leaflet_about()
        node["docname"] = self.env.docname
        self.set_source_info(node)
        return [node]


def leaflet_metadata(config: Config, docname: str) -> dict[str, Any]:
    """The metadata of one leaflet, with dates as ``datetime.date``."""
    raw = dict(config.pamflet_leaflets.get(docname, {}))
    meta: dict[str, Any] = {}
    for key, value in raw.items():
        if key in DATE_KEYS and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        meta[key] = value
    return meta


def count_sources(doctree: nodes.Node) -> int:
    """Items of the numbered list in the section with class ``sources``."""
    for section in doctree.findall(nodes.section):
        if "sources" in section["classes"]:
            return sum(len(lst.children) for lst in section.findall(nodes.enumerated_list))
    return 0


def about_fields(config: Config, docname: str, doctree: nodes.Node) -> list[tuple[str, str]]:
    """(label, value) pairs for a leaflet, in the build language."""
    language = config.language
    meta = leaflet_metadata(config, docname)
    pairs: list[tuple[str, str]] = []
    for key, label in LABELS.items():
        if key not in meta:
            continue
        value = meta[key]
        if isinstance(value, dt.date):
            value = format_date(value, language, config.pamflet_date_locales)
        pairs.append((gettext(language, label), str(value)))
    sources = count_sources(doctree)
    if sources:
        pairs.append((gettext(language, "Sources"), str(sources)))
    return pairs


def field_list(pairs: list[tuple[str, str]]) -> nodes.field_list:
    flist = nodes.field_list(classes=["leaflet-about"])
    for label, value in pairs:
        flist += nodes.field(
            "", nodes.field_name(text=label), nodes.field_body("", nodes.paragraph(text=value))
        )
    return flist


class FillLeafletAbout(SphinxPostTransform):
    default_priority = 100

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(leaflet_about)):
            pairs = about_fields(self.config, node["docname"], self.document)
            node.replace_self(field_list(pairs))


def check_leaflets(app: Sphinx, config: Config) -> None:
    from sphinx.errors import ConfigError

    for docname, meta in config.pamflet_leaflets.items():
        if not isinstance(meta, dict):
            raise ConfigError(f"pamflet_leaflets[{docname!r}] must be a dict")
        unknown = set(meta) - KNOWN_KEYS
        if unknown:
            raise ConfigError(
                f"pamflet_leaflets[{docname!r}]: unknown key(s) {', '.join(sorted(unknown))}; "
                f"known keys: {', '.join(sorted(KNOWN_KEYS))}"
            )
        for key in DATE_KEYS:
            value = meta.get(key)
            if isinstance(value, str):
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise ConfigError(
                        f"pamflet_leaflets[{docname!r}]: {key}: {value!r} is not a date "
                        "(write YYYY-MM-DD)"
                    ) from None
        published = meta.get("reviewed") or meta.get("published")
        nxt = meta.get("next_review")
        if published and nxt:
            start = dt.date.fromisoformat(str(published))
            end = dt.date.fromisoformat(str(nxt))
            if end > start.replace(year=start.year + 3) or end <= start:
                raise ConfigError(
                    f"pamflet_leaflets[{docname!r}]: next_review must fall after the last "
                    "review and at most 3 years later"
                )


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(
        leaflet_about,
        html=(_skip, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_directive("leaflet-about", LeafletAbout)
    app.add_post_transform(FillLeafletAbout)
    app.connect("config-inited", check_leaflets, priority=800)
