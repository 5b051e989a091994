"""``pamflet update-po`` / ``make update-po``: bring the catalogs up to date.

1. Refuse a catalog that ``po.parse_po`` finds malformed: Babel would
   read it without a word and write back a truncated translation.
2. Merge the template into the catalog with sphinx-intl's own functions
   (Babel's ``Catalog.update``): translations are kept, a changed paragraph
   keeps its old translation marked ``#, fuzzy``, the ``#:`` locations are
   taken from the template.
3. Obsolete entries are kept, as ``#~`` entries at the end of the catalog: a
   translation is never lost. A deleted paragraph's translation, or one that
   no changed paragraph is close enough to take over as fuzzy, stays in the
   file with its flags (a fuzzy one stays fuzzy). When the English paragraph
   comes back, its obsolete entry comes back to life, translation and flags
   as they were (as GNU ``msgmerge`` does), so an obsolete entry never repeats
   an active one (``msgfmt`` rejects such a file). An entry that was never
   translated has nothing to keep and is dropped. Delete ``#~`` entries by
   hand (or with ``msgattrib --no-obsolete``) once they are of no use.
4. Wrap at 79 columns with GNU gettext's ``msgcat``, the wrapping Poedit and
   the other gettext tools write (Babel's own wrapping breaks lines at other
   places), so saving in Poedit and running ``update-po`` give the same file.
5. pamflet's own labels (``pamflet/locale/pamflet.pot``) go into the
   project's ``<locale_dir>/<lang>/LC_MESSAGES/pamflet.po``, which adds to
   and overrides pamflet's shipped catalog (:mod:`pamflet.i18n`). It is
   created for a language pamflet ships no catalog for (``tr``), and kept up
   to date where it exists (an empty file is made anew). Its untranslated
   entries are filled in from pamflet's shipped catalog of the language (or
   of its base language) where that has them.
6. Write only when something other than ``POT-Creation-Date`` changed.
   Unlike ``sphinx-intl update``, which rewrites a catalog only when its set
   of msgids changes, this also rewrites it when only ``#:`` locations moved,
   so they stay accurate; and running it twice in a row changes nothing.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..project import Project
from .po import parse_po

WIDTH = 79
_POT_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


class UpdateError(Exception):
    pass


def msgcat() -> str:
    path = shutil.which("msgcat")
    if path is None:
        raise UpdateError(
            "update-po wraps catalogs with GNU gettext's msgcat, as Poedit does, and it is "
            "not installed; on Debian: apt-get install gettext"
        )
    return path


def render(
    pot: Path,
    po: Path | None,
    language: str,
    width: int = WIDTH,
    prefill: dict[str, str] | None = None,
) -> str:
    """The updated catalog's text; its untranslated entries take their translation
    from ``prefill`` where it has one."""
    from babel.messages.pofile import write_po
    from sphinx_intl import catalog as c

    template = c.load_po(str(pot))
    if po is not None and po.is_file():
        merged = c.load_po(str(po))
        revive_obsolete(merged, template)
        c.update_with_fuzzy(merged, template)
    else:
        merged = template
        merged.locale = language
    for message in merged:
        if message.id and not message.string and (prefill or {}).get(message.id):
            message.string = prefill[message.id]
    buffer = io.BytesIO()
    # Babel writes obsolete entries without their flags (a fuzzy translation would
    # come back as a reviewed one): pamflet writes them itself.
    write_po(buffer, merged, width=width, ignore_obsolete=True)
    buffer.write(obsolete_entries(merged, width).encode("utf-8"))
    result = subprocess.run(
        [msgcat(), f"--width={width}", "--to-code=UTF-8", "-"],
        input=buffer.getvalue(),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise UpdateError(f"{po or pot}: msgcat failed: {result.stderr.decode().strip()}")
    return result.stdout.decode("utf-8")


def revive_obsolete(catalog, template) -> None:
    """Make the obsolete entries whose msgid is in the template active again.

    Babel's ``Catalog.update`` leaves them obsolete and adds the msgid again,
    untranslated: the translation would be lost from the build, and the file
    would repeat a msgid, which msgfmt (and ``pamflet check``) reject.
    """
    for key, message in list(catalog.obsolete.items()):
        if not message.id or template.get(message.id, message.context) is None:
            continue
        if catalog.get(message.id, message.context) is None:
            del catalog.obsolete[key]
            catalog[message.id] = message


def obsolete_entries(catalog, width: int = WIDTH) -> str:
    """The catalog's obsolete entries as ``#~`` entries, with their comments and flags."""
    from babel.messages.pofile import normalize

    lines: list[str] = []

    def field(keyword: str, text: str) -> None:
        lines.append(f"#~ {keyword} {normalize(text, prefix='#~ ', width=width)}")

    for message in catalog.obsolete.values():
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not any(strings):
            continue  # never translated: nothing to keep
        lines += [f"# {comment}".rstrip() for comment in message.user_comments]
        if message.flags:
            lines.append("#, " + ", ".join(sorted(message.flags)))
        if message.context is not None:
            field("msgctxt", message.context)
        if isinstance(message.id, (list, tuple)):
            field("msgid", message.id[0])
            field("msgid_plural", message.id[1])
            for index, string in enumerate(strings):
                field(f"msgstr[{index}]", string or "")
        else:
            field("msgid", message.id)
            field("msgstr", message.string or "")
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")


def update_catalog(
    pot: Path, po: Path, language: str, width: int = WIDTH, prefill: dict[str, str] | None = None
) -> str:
    """Update (or create) one catalog; returns 'created', 'updated' or 'unchanged'."""
    if po.is_file() and po.read_text(encoding="utf-8").strip():
        _entries, findings = parse_po(po)
        errors = [str(f) for f in findings if f.severity == "error"]
        if errors:
            raise UpdateError(
                "\n".join(errors) + f"\n{po}: fix these first; update-po leaves the catalog as is"
            )
        old = po.read_text(encoding="utf-8")
    else:
        old = None
    new = render(pot, po if old is not None else None, language, width, prefill)
    if old is not None and _POT_DATE.sub("", new) == _POT_DATE.sub("", old):
        return "unchanged"
    po.parent.mkdir(parents=True, exist_ok=True)
    tmp = po.with_name(f".{po.name}.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, po)
    return "created" if old is None else "updated"


def update(pot_dir: Path, locale_dir: Path, languages: list[str], width: int = WIDTH) -> int:
    """Update every catalog of every language from ``pot_dir``; prints one line each."""
    pots = sorted(pot_dir.rglob("*.pot"))
    if not pots:
        print(f"{pot_dir}: no .pot templates; run `make gettext` first", file=sys.stderr)
        return 2
    failed = 0
    for language in languages:
        for pot in pots:
            name = pot.relative_to(pot_dir).with_suffix(".po")
            po = locale_dir / language / "LC_MESSAGES" / name
            try:
                status = update_catalog(pot, po, language, width)
            except UpdateError as exc:
                print(exc, file=sys.stderr)
                failed += 1
                continue
            print(f"{status:>9}: {po}")
        failed += update_labels(locale_dir, language, width)
    return 1 if failed else 0


def update_labels(locale_dir: Path, language: str, width: int = WIDTH) -> int:
    """The project's ``pamflet.po`` of one language (see the module's notes, 5);
    returns the number of failures."""
    from ..i18n import TEMPLATE, catalog_path, catalogs, shipped

    po = catalog_path(locale_dir, language)
    if not po.is_file() and catalogs(language):
        return 0  # pamflet's own catalog serves; a project file would only override it
    try:
        status = update_catalog(TEMPLATE, po, language, width, shipped(language))
    except UpdateError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{status:>9}: {po}")
    return 0


def update_project(
    project: Project, languages: list[str], pot_dir: str | Path, width: int = WIDTH
) -> int:
    """``pamflet update-po``: the catalogs of ``languages`` (none: every language but the
    source language) from the templates in ``pot_dir`` (relative to the project)."""
    source = project.source_language
    languages = languages or [lang for lang in project.languages() if lang != source]
    locale_dir = (project.srcdir / project.locale_dirs[0]).resolve()
    try:
        return update((project.root / pot_dir).resolve(), locale_dir, languages, width)
    except UpdateError as exc:
        print(exc, file=sys.stderr)
        return 2
