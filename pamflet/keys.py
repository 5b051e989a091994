"""Content keys of outputs: an output is made again only when what goes into it changed.

Each PDF, EPUB and clinic variant is keyed on a SHA-256 of its inputs (the print
context or the staged book, the stylesheets and fonts, the settings that reach it,
the clinic file, pamflet's own files and its libraries' versions). The key of what an
output was made from is recorded beside the build's intermediate files (a *record*,
``<name>.json``: the key, and the size and mtime of each file it made). A build
makes an output again when the key differs, when the record is missing, or when a
file it made is gone or was changed since (another size or mtime): a stale output
never survives, and deleting ``build/`` rebuilds everything.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from .files import atomic_output

#: Environment variables that change what the renderers write.
OUTPUT_ENVIRONMENT = ("SOURCE_DATE_EPOCH", "PAMFLET_PATCHES")
#: References to files in HTML and CSS: ``src="..."``, ``href="..."``, ``url(...)``.
_REFERENCE = re.compile(r'(?:src|href)="([^"]+)"|url\(\s*[\'"]?([^\'")]+)[\'"]?\s*\)')


class Key:
    """A SHA-256 fed with labelled parts (a label keeps ``ab`` + ``c`` from ``a`` + ``bc``)."""

    def __init__(self, kind: str) -> None:
        self._hash = hashlib.sha256(kind.encode())

    def add(self, label: str, value: Any) -> Key:
        data = value if isinstance(value, bytes) else canonical(value).encode()
        self._hash.update(f"\0{label}\0{len(data)}\0".encode())
        self._hash.update(data)
        return self

    def add_file(self, label: str, path: Path) -> Key:
        """A file's bytes (its absence is a value too)."""
        return self.add(label, file_digest(path))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def canonical(value: Any) -> str:
    """JSON of ``value`` with sorted keys; what JSON cannot hold by its type's name only
    (never a ``repr`` with a memory address, which would change every build)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "_asdict"):
        return value._asdict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return f"<{type(value).__name__}>"


def file_digest(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return "missing"


@functools.cache
def package_digest() -> str:
    """pamflet's own files (code, stylesheets, templates, fonts, catalogs) and version:
    any change to pamflet (an upgrade, or an edit in a checkout) makes every output again."""
    from . import __version__

    root = Path(__file__).parent
    key = Key("pamflet").add("version", __version__)
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            key.add_file(str(path.relative_to(root)), path)
    return key.hexdigest()


@functools.cache
def versions(*distributions: str) -> dict[str, str]:
    """The installed versions of ``distributions`` (libraries whose output we publish)."""
    found = {}
    for name in distributions:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def base_key(kind: str, *distributions: str) -> Key:
    """A key that starts from pamflet itself, the libraries' versions and the
    environment that reaches the output (``SOURCE_DATE_EPOCH``, ``PAMFLET_PATCHES``)."""
    from . import __version__  # read now, not once: an upgrade in place must count

    key = Key(kind).add("pamflet", [__version__, package_digest()])
    key.add("versions", versions(*distributions))
    return key.add("environment", {name: os.environ.get(name) for name in OUTPUT_ENVIRONMENT})


def referenced_files(text: str, base: Path) -> list[Path]:
    """The local files that HTML or CSS ``text`` refers to, relative to folder ``base``
    (``data:``, ``http:`` and other URLs with a scheme, and fragments, are not files)."""
    found = []
    for match in _REFERENCE.finditer(text):
        ref = (match.group(1) or match.group(2) or "").split("#", 1)[0].split("?", 1)[0]
        if not ref or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", ref) and not ref.startswith("file:"):
            continue
        ref = ref.removeprefix("file://")
        path = Path(ref) if os.path.isabs(ref) else base / ref
        if path.is_file():
            found.append(path.resolve())
    return sorted(set(found))


def add_referenced(key: Key, label: str, texts: Iterable[str], base: Path) -> None:
    """Every local file the texts refer to (images, fonts), by content."""
    for path in referenced_files("\n".join(texts), base):
        key.add_file(f"{label}:{path.name}", path)


def strings(value: Any) -> list[str]:
    """Every string inside a JSON-like value (to find the files it refers to)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    return []


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def is_current(record: Path, name: str, key: str, files: Iterable[Path]) -> bool:
    """Whether output ``name`` of ``record`` was made from ``key``, and every file it made
    is still there as it was written."""
    try:
        entry = json.loads(record.read_text(encoding="utf-8")).get(name)
    except (OSError, ValueError, AttributeError):
        return False
    if not isinstance(entry, dict) or entry.get("key") != key:
        return False
    made = entry.get("files", {})
    files = list(files)
    return bool(files) and all(
        made.get(str(path)) is not None and made[str(path)] == _stamp(path) for path in files
    )


def remember(record: Path, made: dict[str, tuple[str, list[Path]]], workdir: Path) -> None:
    """Record, for each output ``name`` in ``made``, its key and the files it made
    (the other outputs of the record stay as they were)."""
    try:
        entries = json.loads(record.read_text(encoding="utf-8"))
        if not isinstance(entries, dict):
            entries = {}
    except (OSError, ValueError):
        entries = {}
    for name, (key, files) in made.items():
        entries[name] = {"key": key, "files": {str(p): _stamp(p) for p in files}}
    with atomic_output(record, workdir) as tmp:
        tmp.write_text(canonical(entries), encoding="utf-8")
