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
import os
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .i18n import LOCALE_DIR, N_, catalogs, format_date, gettext, sphinx_locale_dirs
from .settings import SOURCES_CLASS

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The metadata keys a leaflet may have in ``pamflet_leaflets``. ``reviews`` lists
#: each review: ``[{"role": "psychiatrist", "date": "YYYY-MM-DD"}, ...]``; the
#: last one is printed as "Last reviewed". Without one, the leaflet is a draft, and a
#: draft says what it is: "Draft of <changed>", the day its text last changed; its
#: version and publication date are set when it is released. ``next_review``, unset,
#: is the last review plus :data:`REVIEW_YEARS`.
DATE_KEYS = ("published", "next_review", "changed")
KNOWN_KEYS = {"version", "short_title", "reviews", *DATE_KEYS}
#: Years from a review to the next one (at most, and the default).
REVIEW_YEARS = 3
#: The text of the draft mark (pamflet's catalog translates it).
DRAFT_NOTE = N_("Draft: not yet reviewed by a doctor")
DRAFT_MARK = N_("Draft")
LABELS = {
    "version": N_("Version"),
    "published": N_("Published"),
    "reviewed": N_("Last reviewed"),
    "next_review": N_("Next review"),
}
#: The only date a draft prints.
DRAFT_LABELS = {"changed": N_("Draft of")}


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
    reviews = [
        {"role": str(r["role"]), "date": dt.date.fromisoformat(str(r["date"]))}
        for r in raw.get("reviews") or []
    ]
    meta["reviews"] = sorted(reviews, key=lambda r: r["date"])
    if reviews:
        meta["reviewed"] = last = meta["reviews"][-1]["date"]
        if "next_review" not in meta:
            meta["next_review"] = _years_later(last, REVIEW_YEARS)
    return meta


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def first_paragraph(env: Any, docname: str, css_class: str | None = None) -> str:
    """The text of the document's first paragraph (with ``css_class``: the first of it)."""
    for para in env.get_doctree(docname).findall(nodes.paragraph):
        if css_class is None or css_class in para["classes"]:
            return para.astext()
    return ""


def is_draft(config: Config, docname: str) -> bool:
    """A leaflet with no recorded review is a draft in every output."""
    return not leaflet_metadata(config, docname)["reviews"]


def today() -> dt.date:
    """Today: SOURCE_DATE_EPOCH's date when it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def release_problems(config: Config, docnames: list[str]) -> list[str]:
    """Why each leaflet may not be released: ``key: message`` per problem."""
    from sphinx.errors import ConfigError

    problems = []
    now = today()
    for docname in docnames:
        raw = config.pamflet_leaflets.get(docname, {})
        try:
            check_reviews(docname, raw.get("reviews"))
            meta = leaflet_metadata(config, docname)
        except (ConfigError, ValueError, TypeError, KeyError) as exc:
            problems.append(
                str(exc)
                if isinstance(exc, ConfigError)
                else f"pamflet_leaflets[{docname!r}]: {exc}"
            )
            continue
        if not meta["reviews"]:
            problems.append(
                f"pamflet_leaflets[{docname!r}]: reviews: no review recorded; a leaflet is "
                'released only after a review (reviews: [{"role": ..., "date": "YYYY-MM-DD"}])'
            )
        for key in ("version", "published"):
            if not meta.get(key):
                problems.append(
                    f"pamflet_leaflets[{docname!r}]: {key}: not set; a release sets the "
                    "version and the publication date"
                )
        problems += online_problems(config, docname)
        nxt = meta.get("next_review")
        if nxt is None:
            problems.append(f"pamflet_leaflets[{docname!r}]: next_review: no next review date")
        elif nxt < now:
            problems.append(
                f"pamflet_leaflets[{docname!r}]: next_review: {nxt.isoformat()} has passed; "
                "review the leaflet again and record the review"
            )
    return problems


def online_problems(config: Config, docname: str) -> list[str]:
    """Why a leaflet's printed QR code and address may lead nowhere: a released leaflet
    points at its online version, which the publisher has confirmed is published."""
    from .settings import online_url, setting_value

    if not setting_value(config, "pamflet_online_url"):
        return [
            f"pamflet_leaflets[{docname!r}]: html_baseurl: not set; a released leaflet "
            "prints the address of its online version (set html_baseurl or pamflet_online_url)"
        ]
    if getattr(config, "pamflet_online_confirmed", False) is not True:
        return [
            f"pamflet_leaflets[{docname!r}]: pamflet_online_confirmed: not set; publish the "
            f"website so that {online_url(config, docname)} opens, then set "
            "pamflet_online_confirmed = True in conf.py"
        ]
    return []


def count_sources(doctree: nodes.Node) -> int:
    """Items of the numbered list in the section with class ``sources``."""
    for section in doctree.findall(nodes.section):
        if SOURCES_CLASS in section["classes"]:
            return sum(len(lst.children) for lst in section.findall(nodes.enumerated_list))
    return 0


def about_fields(
    config: Config, docname: str, doctree: nodes.Node, locale_dirs: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """(label, value) pairs for a leaflet, in the build language (the labels from
    pamflet's catalogs, the project's in ``locale_dirs`` first)."""
    language = config.language
    meta = leaflet_metadata(config, docname)
    pairs: list[tuple[str, str]] = []
    # a draft has no version, publication or review date yet: only the day it changed
    labels = LABELS if meta["reviews"] else DRAFT_LABELS
    for key, label in labels.items():
        if key not in meta:
            continue
        value = meta[key]
        if isinstance(value, dt.date):
            value = format_date(value, language, config.pamflet_date_locales)
        pairs.append((gettext(language, label, locale_dirs), str(value)))
    sources = count_sources(doctree)
    if sources:
        pairs.append((gettext(language, "Sources", locale_dirs), str(sources)))
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
            pairs = about_fields(
                self.config, node["docname"], self.document, sphinx_locale_dirs(self.env)
            )
            node.replace_self(field_list(pairs))


class MarkDraft(SphinxPostTransform):
    """A note at the top of an unreviewed leaflet on the website and in the EPUB.

    The PDF builder (``leaflet``) has its own band and mark in the print template.
    """

    default_priority = 110

    def is_supported(self) -> bool:
        builder = self.app.builder
        return builder.format == "html" and builder.name != "leaflet"

    def run(self, **kwargs: Any) -> None:
        from .project import leaflets

        docname = self.env.docname
        if docname not in leaflets(self.config) or not is_draft(self.config, docname):
            return
        text = gettext(self.config.language, DRAFT_NOTE, sphinx_locale_dirs(self.env))
        note = nodes.container(classes=["pamflet-draft"])
        note += nodes.paragraph("", "", nodes.strong(text=text))
        self.document.insert(0, note)


def check_leaflets(app: Sphinx, config: Config) -> None:
    from sphinx.errors import ConfigError

    for docname, meta in config.pamflet_leaflets.items():
        if not isinstance(meta, dict):
            raise ConfigError(f"pamflet_leaflets[{docname!r}] must be a dict")
        if "reviewed" in meta:
            raise ConfigError(
                f"pamflet_leaflets[{docname!r}]: reviewed: replaced by reviews, which says "
                'who reviewed the leaflet and when: reviews: [{"role": "psychiatrist", '
                '"date": "YYYY-MM-DD"}]'
            )
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
        check_reviews(docname, meta.get("reviews"))
        reviews = meta.get("reviews") or []
        published = max((r["date"] for r in reviews), default=None) or meta.get("published")
        nxt = meta.get("next_review")
        if published and nxt:
            start = dt.date.fromisoformat(str(published))
            end = dt.date.fromisoformat(str(nxt))
            if end > _years_later(start, REVIEW_YEARS) or end <= start:
                raise ConfigError(
                    f"pamflet_leaflets[{docname!r}]: next_review must fall after the last "
                    f"review and at most {REVIEW_YEARS} years later"
                )


def check_reviews(docname: str, reviews: Any) -> None:
    """``reviews`` is a list of {"role": text, "date": "YYYY-MM-DD"}, no date in the future."""
    from sphinx.errors import ConfigError

    where = f"pamflet_leaflets[{docname!r}]: reviews"
    if reviews is None:
        return
    if not isinstance(reviews, list | tuple):
        raise ConfigError(f'{where}: must be a list of {{"role": ..., "date": "YYYY-MM-DD"}}')
    now = today()
    for number, review in enumerate(reviews, start=1):
        if not isinstance(review, dict) or set(review) != {"role", "date"}:
            raise ConfigError(
                f'{where}: review {number} must be {{"role": ..., "date": "YYYY-MM-DD"}}, '
                f"not {review!r}"
            )
        role = review["role"]
        if not isinstance(role, str) or not role.strip():
            raise ConfigError(
                f"{where}: review {number}: role must be text, such as 'psychiatrist'"
            )
        try:
            date = dt.date.fromisoformat(str(review["date"]))
        except ValueError:
            raise ConfigError(
                f"{where}: review {number}: date: {review['date']!r} is not a date (write "
                "YYYY-MM-DD)"
            ) from None
        if date > now:
            raise ConfigError(
                f"{where}: review {number}: date: {date.isoformat()} is in the future "
                f"(today is {now.isoformat()}); record a review once it has happened"
            )


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def note_label_catalogs(app: Sphinx, doctree: nodes.document) -> None:
    """A leaflet depends on the project's ``pamflet.po`` of its language: a change
    there (a label) makes Sphinx read and write the leaflet again."""
    from .project import leaflets

    env = app.env
    if env.docname not in leaflets(app.config):
        return
    for path in catalogs(app.config.language, sphinx_locale_dirs(env)):
        if not path.is_relative_to(LOCALE_DIR):
            env.note_dependency(str(path))


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
    app.add_post_transform(MarkDraft)
    app.connect("config-inited", check_leaflets, priority=800)
    app.connect("doctree-read", note_label_catalogs)
