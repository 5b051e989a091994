"""The print HTML of a leaflet: cover, content and back page.

The builder turns a document into a *context* (:func:`print_context`: plain
JSON data: title, subtitle, the body and back-page HTML, the facts, the QR
code) and saves it next to the print HTML, so that a clinic variant can later
render just the cover and the back page again, without Sphinx and without
laying out the whole leaflet.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..i18n import gettext, language_name
from ..languages import LanguageSettings, language_settings
from ..settings import language_of, online_url
from .formats import ASSETS_DIR, FORMATS

ALL_PARTS = ("cover", "content", "back")
#: Ruled lines on a "Notes" page (A5: 9 mm apart)
NOTES_LINES = 16

_jinja = Environment(
    loader=FileSystemLoader(ASSETS_DIR / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def first_strong_direction(text: str, default: str = "ltr") -> str:
    """The direction of ``text``'s first strong letter (Unicode's P2 rule): ``rtl`` for
    Arabic or Hebrew, ``ltr`` for Latin; ``default`` when it has none."""
    for char in str(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default


_jinja.filters["first_strong_direction"] = first_strong_direction


def css_string(text: str) -> str:
    """Quote ``text`` as a CSS string (for generated content)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def page_of_pages(
    language: str | None,
    number: int | None = None,
    total: int | None = None,
    locale_dirs: tuple[str, ...] = (),
) -> str:
    """CSS ``content`` for "page N of M": counters, or fixed numbers for a lone page."""
    page, of = gettext(language, "Page", locale_dirs), gettext(language, "of", locale_dirs)
    if number is not None and total is not None:
        return css_string(f"{page} {number} {of} {total}")
    return f"{css_string(page + ' ')} counter(page) {css_string(' ' + of + ' ')} counter(pages)"


def render(
    context: dict[str, Any],
    fmt_name: str,
    *,
    parts: tuple[str, ...] = ALL_PARTS,
    clinic: dict[str, Any] | None = None,
    back_page_number: tuple[int, int] | None = None,
    stamp: str = "",
    marks: dict[str, str] | None = None,
) -> str:
    """The print HTML of a leaflet in one format.

    ``parts`` leaves out the content for a clinic variant; ``back_page_number``
    (number, total) then prints the back page's real number in its footer.
    ``stamp``: "holes", the pages with a mark (an image, from ``marks``) in place of
    each of the clinic's parts; "blocks", the clinic's parts alone (stamp.py).
    """
    if context.get("kind") == "book":  # pdf/book.py: a template of its own, no leaflet parts
        return _jinja.get_template("book.html").render(**context, format=FORMATS[fmt_name])
    language = context["lang"]
    locale_dirs = tuple(context.get("locale_dirs", ()))

    def _(message: str) -> str:
        return gettext(language, message, locale_dirs)

    number, total = back_page_number or (None, None)
    footer = page_of_pages(language, number, total, locale_dirs)
    return load_template().render(
        _=_,
        **context,
        language_name=language_name(language),
        format=FORMATS[fmt_name],
        parts=parts,
        clinic=clinic,
        stamp=stamp,
        marks=marks or {},
        running_title=css_string(context["short_title"]),
        filler_pages=context.get("fillers", {}).get(fmt_name, 0),
        notes_lines=NOTES_LINES,
        page_of_pages=footer,
    )


def load_template() -> Any:
    """The print template, compiled (Jinja keeps it)."""
    return _jinja.get_template("leaflet.html")


def save_context(context: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(context, ensure_ascii=False, indent=1), encoding="utf-8")


def load_context(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# -- the context -------------------------------------------------------------------------------


def printed_url(config: Any, docname: str, url: str) -> list[str]:
    """The address printed under the QR code, in pieces that end at a ``/``: the
    template lets a line break only between pieces, never at a hyphen inside one
    ("ptsd-psychedelic-" / "therapy.html" reads as if the hyphen were a line-end
    hyphen). ``pamflet_online_short_url``, when set, is printed instead of ``url``."""
    short = config.pamflet_online_short_url
    shown = short.format(docname=docname, language=language_of(config)) if short else url
    shown = re.sub(r"^https?://", "", shown)
    return re.findall(r"[^/]+/?|/", shown)


def pdf_dates(config: Any, docname: str) -> tuple[str | None, str | None]:
    """ISO creation and modification dates: leaflet metadata, else SOURCE_DATE_EPOCH."""
    from ..about import leaflet_metadata  # Sphinx's transforms: not in the render process

    meta = leaflet_metadata(config, docname)
    created = meta.get("published") or meta.get("changed")
    modified = meta.get("reviewed") or created  # the last recorded review
    if created:
        return f"{created.isoformat()}T00:00:00Z", f"{modified.isoformat()}T00:00:00Z"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return stamp, stamp
    return None, None


def script_context(settings: LanguageSettings, language: str) -> dict[str, Any]:
    """The print template's values from a language's row of the language table:
    direction, fonts, body size and hyphenation. Left-to-right languages in the Latin
    face give the stylesheet's defaults (None: nothing to add). Text is hyphenated
    when the row names a dictionary or pyphen (WeasyPrint's hyphenator) has one."""
    import pyphen

    default = LanguageSettings()
    return {
        "dir": settings.direction,
        "fonts": settings.css_fonts if settings.fonts != default.fonts else None,
        "body_scale": settings.body_scale if settings.body_scale != 1 else None,
        "hyphenate": bool(settings.hyphenation or pyphen.language_fallback(language)),
    }


def print_context(
    config: Any, docname: str, page: dict[str, Any], locale_dirs: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Everything the print template needs, as plain (JSON) data.

    ``page`` has the leaflet's ``title``, ``subtitle``, ``body`` and ``back`` HTML,
    ``about`` (the facts) and ``facts_title``, as the builder rendered them.
    """
    from ..about import leaflet_metadata

    meta = leaflet_metadata(config, docname)
    url = online_url(config, docname)
    confirmed = bool(url) and config.pamflet_online_confirmed is True
    created, modified = pdf_dates(config, docname)
    language = language_of(config)
    return {
        "docname": docname,
        "lang": language,
        # the project's catalogs of pamflet's labels (clinic imprints reuse the context)
        "locale_dirs": list(locale_dirs),
        **script_context(language_settings(config, language), language),
        "title": page["title"],
        "short_title": meta.get("short_title") or page["title"],
        "subtitle": page["subtitle"],
        "body": page["body"],
        "back": page["back"],
        "about": page["about"],
        "facts_title": page["facts_title"],
        "publisher": config.pamflet_publisher,
        "publisher_url": config.pamflet_publisher_url,
        "online_url": url,
        "online_parts": printed_url(config, docname, url) if url else [],
        # The QR code and the address only once the publisher has confirmed that the
        # website is there (pamflet_online_confirmed): else a scan would meet a 404.
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=0) if confirmed else "",
        "online_pending": bool(url) and not confirmed,
        "created": created,
        "modified": modified,
        "pages": {},
        # No recorded review: a draft mark on every page and a band on the cover.
        "draft": not meta["reviews"],
        # "Notes" pages before the back page, per format (set by the press).
        "fillers": {},
    }
