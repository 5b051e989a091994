"""furo's interface in the reader's language.

furo writes some interface strings in English only (toggle labels, icon
titles); :func:`localise` passes them through the message catalogs, so
``locales/<lang>/LC_MESSAGES/sphinx.po`` translates them along with Sphinx's
own strings. The search page's JavaScript strings get the same overrides
(``_static/translations.js``).

The footer's copyright line is pamflet's own label ("Copyright © %(copyright)s",
``pamflet.po``), with ``copyright`` from ``conf.py`` isolated in ``<bdi
dir="auto">``: a Latin name inside an Arabic line keeps its own order instead of
taking the line's ("The pamflet project ,2026 ©").
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.locale import _

from ..i18n import N_, gettext, sphinx_locale_dirs
from ..project import catalog_paths
from ..translate.po import parse_po

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Strings furo 2025.12 writes without gettext, as they appear in its HTML. Each is
#: translated through the "sphinx" catalog (so sphinx.po can override it).
FIXED_STRINGS: tuple[tuple[str, str], ...] = (
    ('aria-label="{}"', "Toggle site navigation sidebar"),
    ('aria-label="{}"', "Toggle table of contents sidebar"),
    ('aria-label="{}"', "Toggle Light / Dark / Auto color theme"),
    ("<title>{}</title>", "Contents"),
    ("<title>{}</title>", "Menu"),
    ("<title>{}</title>", "Expand"),
    ("<title>{}</title>", "Light mode"),
    ("<title>{}</title>", "Dark mode"),
    ("<title>{}</title>", "Auto light/dark, in light mode"),
    ("<title>{}</title>", "Auto light/dark, in dark mode"),
)
_NAV_TOGGLE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')


def localise(markup: str) -> str:
    """Translate furo's fixed English interface strings in rendered HTML."""
    for pattern, message in FIXED_STRINGS:
        translated = _(message)
        if translated != message:
            markup = markup.replace(
                pattern.format(message), pattern.format(html.escape(translated, quote=True))
            )
    template = html.escape(_("Toggle navigation of %(title)s"), quote=True)
    markup = _NAV_TOGGLE.sub(
        lambda m: 'aria-label="' + template % {"title": m.group(1)} + '"', markup
    )
    # Name furo's two sidebars, so that screen readers can tell them apart.
    for css_class, message in (("sidebar-drawer", "Navigation"), ("toc-drawer", "On this page")):
        markup = re.sub(
            rf'<aside class="({css_class}[^"]*)">',
            lambda m, msg=message: (
                f'<aside class="{m.group(1)}" aria-label="{html.escape(_(msg), quote=True)}">'
            ),
            markup,
        )
    return markup


#: The footer's copyright line (pamflet's catalogs translate it).
COPYRIGHT = N_("Copyright © %(copyright)s")


def copyright_line(app: Sphinx, copyright: str) -> str:
    """The footer's copyright line as HTML, in the build language, the holder isolated."""
    template = gettext(app.config.language, COPYRIGHT, sphinx_locale_dirs(app.env))
    holder = f'<bdi dir="auto">{html.escape(copyright)}</bdi>'
    return html.escape(template, quote=False) % {"copyright": holder}


_ADD_TRANSLATIONS = re.compile(r"Documentation\.addTranslations\((.*)\);?\s*$", re.S)


def write_translations_js(app: Sphinx) -> Path | None:
    """Rewrite ``_static/translations.js`` with the project's ``sphinx.po`` overrides.

    Sphinx copies its own compiled JavaScript catalog, which leaves some strings
    empty in some languages (Dutch: "Search finished, found N pages"); a
    project's ``sphinx.po`` is only used for the HTML, not for the search page.
    The copy in the output folder is read and rewritten in place (an incremental
    build that finds it rewritten already changes nothing).
    """
    target = Path(app.outdir, "_static", "translations.js")
    if not target.is_file():
        return None  # the source language: Sphinx copies no catalog
    match = _ADD_TRANSLATIONS.search(target.read_text(encoding="utf-8"))
    if not match:
        return None
    data = json.loads(match.group(1))
    messages: dict[str, Any] = data.get("messages", {})
    paths = [
        p
        for p in catalog_paths(Path(app.srcdir), list(app.config.locale_dirs), app.config.language)
        if p.name == "sphinx.po"
    ]
    changed = False
    for path in paths:
        entries, _findings = parse_po(path)
        for entry in entries:
            if not entry.msgid or entry.obsolete or not entry.translated:
                continue
            if entry.msgid not in messages:
                continue
            if entry.msgid_plural is not None:
                value: Any = [entry.msgstr[i] for i in sorted(entry.msgstr)]
            else:
                value = entry.string
            if messages[entry.msgid] != value:
                messages[entry.msgid] = value
                changed = True
    expression = str(data.get("plural_expr", ""))
    if expression and not expression.startswith("+("):
        # Sphinx's doctools.js indexes the plural forms with this expression's value;
        # "(n != 1)" gives true/false, not 1/0, and no plural string is found.
        data["plural_expr"] = f"+({expression})"
        changed = True
    if not changed:
        return None
    text = (
        "Documentation.addTranslations("
        + json.dumps(data, ensure_ascii=False, indent=4, sort_keys=True)
        + ");\n"
    )
    target.write_text(text, encoding="utf-8")
    return target
