"""pamflet's own message template, ``pamflet/locale/pamflet.pot``.

It lists every label pamflet prints ("Draft: ...", "Published by", "Page N of
M", ...): the strings passed to :func:`pamflet.i18n.gettext` or marked with
:func:`pamflet.i18n.N_` in pamflet's Python code, and the ``_("...")`` strings
of the print templates, found with Babel's extractors. ``update-po`` makes a
project's ``<locale_dir>/<lang>/LC_MESSAGES/pamflet.po`` from it. After a change
to a label, write it again (a test says when it is out of date)::

    python -m pamflet.translate.template
"""

from __future__ import annotations

import io
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
#: The print templates, whose ``_()`` is pamflet's gettext.
TEMPLATES = PACKAGE / "pdf" / "assets" / "templates"
#: ``gettext(language, message, ...)``: the message is the second argument.
KEYWORDS = {"gettext": (2,), "N_": None}
#: Header lines that change without the labels changing.
_UNSTABLE = re.compile(r'^"(POT-Creation-Date|Generated-By): .*\\n"\n', re.MULTILINE)


def extract() -> dict[str, list[tuple[str, int]]]:
    """Every label, with the places (file relative to the package, line) it comes from."""
    import jinja2.ext
    from babel.messages.extract import extract_from_file

    found: dict[str, list[tuple[str, int]]] = {}
    sources = [("python", p, KEYWORDS) for p in sorted(PACKAGE.rglob("*.py"))]
    sources += [(jinja2.ext.babel_extract, p, {"_": None}) for p in sorted(TEMPLATES.glob("*"))]
    for method, path, keywords in sources:
        for lineno, message, _comments, _context in extract_from_file(
            method, str(path), keywords=keywords
        ):
            if isinstance(message, str) and message:
                where = (path.relative_to(PACKAGE).as_posix(), lineno)
                found.setdefault(message, []).append(where)
    return found


def render() -> str:
    """The template's text: locations without line numbers and no creation date, so
    that it changes only when the labels do."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(
        project="pamflet",
        header_comment="# pamflet's own labels (covers, back pages, footers, website).",
        fuzzy=False,
    )
    for message, locations in extract().items():
        catalog.add(message, locations=locations)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=79, include_lineno=False)
    return _UNSTABLE.sub("", buffer.getvalue().decode("utf-8"))


def main() -> int:
    from ..i18n import TEMPLATE

    text = render()
    if TEMPLATE.is_file() and TEMPLATE.read_text(encoding="utf-8") == text:
        print(f"unchanged: {TEMPLATE}")
        return 0
    TEMPLATE.write_text(text, encoding="utf-8")
    print(f"  written: {TEMPLATE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
