"""One book per leaflet (issue 26): what each EPUB holds, and its own folder to zip.

Sphinx's EPUB builder makes one book of everything under its output folder. pamflet
writes the pages once and then packages one book per leaflet and language: the
leaflet's page and the pages its toctrees name (as the PDF inlines them), the static
files, the images those pages show and a cover of its own, staged in a folder of its
own (``<outdir>/_books/<name>/``) that Sphinx's packaging steps then walk. A link from
a book's page to a page that is not in the book goes to that page on the website
(``html_baseurl``), or is left as text without one: no book links outside itself.

With ``pamflet_epub_collection`` the whole library is one book more, named after the
project (``True``) or by the setting itself (a file name).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..about import first_paragraph
from ..patches.sphinx import written_value
from ..project import epub_basename, leaflets

#: Where each book is staged inside the EPUB builder's output folder.
BOOKS_FOLDER = "_books"
#: The files a book's pages refer to, as Sphinx's HTML writer writes the references.
ASSET_REF = re.compile(r'(?:src|href)="((?:\.\./)*)((?:_images|_downloads)/[^"#?]+)"')
PAGE_LINK = re.compile(r'href="([^":#]+\.xhtml)(#[^"]*)?"')


@dataclass(frozen=True)
class Book:
    docname: str  # its root document: a leaflet, or the root document for the collection
    basename: str  # the file name without "-<lang>.epub" (build/epub/<basename>-<lang>.epub)
    title: str
    description: str
    docnames: tuple[str, ...]  # every document whose page is in the book, in order
    identifier: str


def slug(text: str) -> str:
    """A file name from a project's name: "Patient leaflets" -> "patient-leaflets"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def collection_basename(config: Any) -> str:
    """The whole library's book's name: ``pamflet_epub_collection`` when it is a name,
    else the project's name as conf.py writes it (the same in every language)."""
    setting = config.pamflet_epub_collection
    if isinstance(setting, str):
        return setting
    # conf.py's own value, before pamflet_language_config gives it a name per language
    return slug(written_value(config, "project") or config.project) or "library"


def included(env: Any, docname: str) -> list[str]:
    """``docname`` and the documents its toctrees name, recursively, in toctree order."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order or name not in env.found_docs:
            return
        order.append(name)
        for child in env.toctree_includes.get(name, []):
            visit(child)

    visit(docname)
    return order


def identifier(config: Any, docname: str, basename: str, several: bool) -> str:
    """``epub_identifier`` with ``{language}`` and ``{docname}`` filled in. A pattern
    without ``{docname}`` names one book only: with several, the book's name follows it."""
    pattern = config.epub_identifier
    value = pattern.replace("{language}", config.epub_language).replace("{docname}", docname)
    if several and "{docname}" not in pattern:
        value = f"{value}#{basename}"
    return value


def books(builder: Any) -> list[Book]:
    """The books of this build: one per leaflet, and the collection when it is asked for."""
    config, env = builder.config, builder.env
    names = [d for d in leaflets(config) if d in env.found_docs]
    collection = bool(config.pamflet_epub_collection)
    several = len(names) + collection > 1
    found = []
    for docname in names:
        basename = epub_basename(config, docname)
        title = config.epub_title if len(names) == 1 else env.titles[docname].astext()
        description = (
            config.epub_description
            if len(names) == 1
            else first_paragraph(env, docname, "subtitle") or first_paragraph(env, docname)
        )
        found.append(
            Book(
                docname,
                basename,
                title,
                description,
                tuple(included(env, docname)),
                identifier(config, docname, basename, several),
            )
        )
    if collection:
        root = config.root_doc
        basename = collection_basename(config)
        everything = included(env, root)
        everything += sorted(set(env.found_docs) - set(everything))  # orphans, as Sphinx
        found.append(
            Book(
                root,
                basename,
                config.project,
                first_paragraph(env, root),
                tuple(everything),
                identifier(config, root, basename, several),
            )
        )
    return found


def _page(builder: Any, docname: str) -> str:
    return docname + builder.out_suffix


def stage(builder: Any, book: Book, source: Path, target: Path) -> None:
    """Copy what ``book`` holds from the builder's output folder ``source`` to ``target``."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if (source / "_static").is_dir():
        shutil.copytree(source / "_static", target / "_static")
    pages = {_page(builder, d) for d in book.docnames}
    extra = [
        name for name, _text in (*builder.config.epub_pre_files, *builder.config.epub_post_files)
    ]
    for name in extra:
        if (source / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, target / name)
    for name in sorted(pages):
        text = (source / name).read_text(encoding="utf-8")
        for _up, asset in ASSET_REF.findall(text):
            if (source / asset).is_file() and not (target / asset).is_file():
                (target / asset).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / asset, target / asset)
        text = PAGE_LINK.sub(lambda m, name=name: _link(builder, name, m, pages), text)
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")


def _link(builder: Any, page: str, match: re.Match, pages: set[str]) -> str:
    """A link to another page: kept inside the book, else to the website, else none."""
    href, fragment = match.group(1), match.group(2) or ""
    resolved = str(PurePosixPath(page).parent / href)
    resolved = str(PurePosixPath(*_normalise(resolved.split("/"))))
    if resolved in pages:
        return match.group(0)
    base = (builder.config.html_baseurl or "").rstrip("/")
    if base:
        docname = resolved[: -len(builder.out_suffix)]
        return f'href="{base}/{docname}.html{fragment}"'
    return 'data-pamflet-outside-book=""'  # the text stays, without a link


def _normalise(parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            if out:
                out.pop()
        elif part not in ("", "."):
            out.append(part)
    return out
