"""``pamflet init DIR --languages en nl``: a new publication, as ``sphinx-quickstart`` writes one.

The project it writes (from the templates in ``pamflet/scaffold_templates/``):

- ``conf.py``: the extension, the leaflet's metadata and the per-language settings;
- ``source/``: a one-page sample leaflet (``hand-washing.rst``) and the website's index;
- ``locales/<lang>/LC_MESSAGES/``: a complete Dutch catalog of the sample; for every
  other language a catalog with the entries left to translate;
- ``Makefile``: the targets of pamflet's own Makefile, run with the Python that
  ``pamflet init`` ran with (``make PYTHON=...`` picks another);
- ``clinics/``: the example clinic file and its logo (``make clinics``).

The project is written into a temporary folder beside ``DIR`` and renamed into place,
so a failed ``init`` leaves nothing behind. A folder that is not empty is refused.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from .errors import fail
from .settings import DEFAULT_LANGUAGE

TEMPLATES = Path(__file__).parent / "scaffold_templates"
#: The sample leaflet's language (its .rst files are written in it).
SOURCE_LANGUAGE = DEFAULT_LANGUAGE
#: Per-language settings for the languages the templates have a catalog for.
LANGUAGE_CONFIG = {
    "en": {"epub_title": "How to wash your hands"},
    "nl": {
        "project": "Patiëntenfolders",
        "html_title": "Patiëntenfolders",
        "epub_title": "Zo wast u uw handen",
    },
}
DEFAULT_PROJECT = "Patient leaflets"
DEFAULT_PUBLISHER = "Your clinic"
#: the languages of ``pamflet init`` without ``--languages``
DEFAULT_LANGUAGES = ("en", "nl")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")


def _language_config(languages: list[str], project: str) -> str:
    """``pamflet_language_config`` as Python source, one language a block."""
    lines = ["{"]
    for lang in languages:
        values = dict(LANGUAGE_CONFIG.get(lang, {}))
        if project != DEFAULT_PROJECT:  # the Dutch project name only replaces the default
            values.pop("project", None)
            values.pop("html_title", None)
        lines.append(f"    {lang!r}: {{")
        lines += [f"        {key!r}: {value!r}," for key, value in values.items()]
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines).replace("'", '"')


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    assert not leftover, leftover  # a template and this table disagree
    return text


def _untranslated_catalog(template: Path, language: str) -> str:
    """A catalog of ``template``'s entries with nothing translated, for ``language``: its
    plural forms from Babel's locale data (Polish has three), its own header comment."""
    import io

    from babel import Locale, UnknownLocaleError
    from babel.messages.plurals import get_plural
    from babel.messages.pofile import read_po, write_po

    with open(template, "rb") as f:
        catalog = read_po(f)
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = None  # a code Babel does not know (say "xx"): the template's two forms
    name = locale.english_name if locale else language
    catalog.locale = locale
    catalog.language_team = ""
    catalog.last_translator = ""
    catalog.header_comment = (
        f"# {name} catalog of the sample leaflet that `pamflet init` writes.\n"
        "# Translate each msgstr; an empty msgstr prints the English text."
    )
    for message in catalog:
        if message.id:
            message.string = ""
    out = io.BytesIO()
    write_po(out, catalog, width=79, omit_header=False)
    text = out.getvalue().decode("utf-8")
    # Babel writes the Language field with the locale's own spelling (pt_BR); the
    # project's code is what Sphinx looks for, and gettext tools want one for "xx" too.
    text = re.sub(r'^"Language: [^"]*\\n"\n', "", text, flags=re.M)
    if locale is not None:  # Babel keeps the template's Plural-Forms over the locale's
        line = f'"Plural-Forms: {get_plural(locale).plural_forms}\\n"'
        text = re.sub(r'^"Plural-Forms: [^"]*\\n"', lambda _match: line, text, flags=re.M)
    return text.replace(
        '"MIME-Version: 1.0\\n"', f'"Language: {language}\\n"\n"MIME-Version: 1.0\\n"', 1
    )


def write_project(
    folder: Path,
    languages: list[str],
    *,
    project: str = DEFAULT_PROJECT,
    publisher: str = DEFAULT_PUBLISHER,
    python: str | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write a new project into ``folder`` (new or empty); return its path."""
    folder = Path(folder).absolute()
    bad = [lang for lang in languages if not _LANGUAGE.match(lang)]
    if bad:
        raise fail(f"pamflet init: --languages: not a language code: {', '.join(bad)}")
    if not languages:
        raise fail("pamflet init: --languages: name at least one language, e.g. en nl")
    languages = list(dict.fromkeys(languages))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "a file" if not folder.is_dir() else "not empty"
        raise fail(
            f"{folder}: is {what}: pamflet init writes a new project into a new or empty "
            "folder, and changes no existing files"
        )
    today = today or dt.date.today()
    values = {
        "PROJECT": project,
        "PROJECT_REPR": repr(project).replace("'", '"'),
        "PUBLISHER_REPR": repr(publisher).replace("'", '"'),
        "COPYRIGHT_REPR": repr(f"{today.year}, {publisher}").replace("'", '"'),
        "SOURCE_LANGUAGE": SOURCE_LANGUAGE,
        "SOURCE_LANGUAGE_REPR": f'"{SOURCE_LANGUAGE}"',
        "TODAY": today.isoformat(),
        "NEXT_REVIEW": today.replace(year=today.year + 3, day=min(today.day, 28)).isoformat(),
        "LANGUAGES_REPR": "[" + ", ".join(f'"{lang}"' for lang in languages) + "]",
        "LANGUAGE_CONFIG": _language_config(languages, project),
        "PYTHON": python or sys.executable,
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".init", dir=folder.parent))
    try:
        (tmp / "conf.py").write_text(
            _fill((TEMPLATES / "conf.py.in").read_text(encoding="utf-8"), values),
            encoding="utf-8",
        )
        (tmp / "Makefile").write_text(
            _fill((TEMPLATES / "Makefile.in").read_text(encoding="utf-8"), values),
            encoding="utf-8",
        )
        shutil.copytree(TEMPLATES / "source", tmp / "source")
        shutil.copytree(TEMPLATES / "clinics", tmp / "clinics")
        (tmp / "source" / "_static").mkdir()
        dutch = TEMPLATES / "locales" / "nl" / "LC_MESSAGES"
        for lang in languages:
            if lang == SOURCE_LANGUAGE:
                continue
            target = tmp / "locales" / lang / "LC_MESSAGES"
            target.mkdir(parents=True)
            for po in sorted(dutch.glob("*.po")):
                if lang == "nl":
                    shutil.copyfile(po, target / po.name)
                else:
                    (target / po.name).write_text(
                        _untranslated_catalog(po, lang), encoding="utf-8"
                    )
        os.chmod(tmp, 0o755)
        if folder.exists():
            folder.rmdir()  # empty: checked above
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
