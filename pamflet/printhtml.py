"""The print HTML of a leaflet: cover, content and back page.

The builder turns a document into a *context* (plain JSON data: title,
subtitle, the body and back-page HTML, the facts, the QR code) and saves it
next to the print HTML, so that a clinic variant can later render just the
cover and the back page again, without Sphinx and without laying out the
whole leaflet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .formats import FORMATS
from .i18n import gettext, language_name
from .render import PRINT_DIR

ALL_PARTS = ("cover", "content", "back")

_jinja = Environment(
    loader=FileSystemLoader(PRINT_DIR / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def css_string(text: str) -> str:
    """Quote ``text`` as a CSS string (for generated content)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def page_of_pages(
    language: str | None, number: int | None = None, total: int | None = None
) -> str:
    """CSS ``content`` for "page N of M": counters, or fixed numbers for a lone page."""
    page, of = gettext(language, "Page"), gettext(language, "of")
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
) -> str:
    """The print HTML of a leaflet in one format.

    ``parts`` leaves out the content for a clinic variant; ``back_page_number``
    (number, total) then prints the back page's real number in its footer.
    """
    language = context["lang"]

    def _(message: str) -> str:
        return gettext(language, message)

    footer = (
        page_of_pages(language, *back_page_number) if back_page_number else page_of_pages(language)
    )
    return _jinja.get_template("leaflet.html").render(
        _=_,
        **context,
        language_name=language_name(language),
        format=FORMATS[fmt_name],
        parts=parts,
        clinic=clinic,
        running_title=css_string(context["short_title"]),
        page_of_pages=footer,
    )


def save_context(context: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(context, ensure_ascii=False, indent=1), encoding="utf-8")


def load_context(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
