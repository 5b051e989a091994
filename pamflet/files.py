"""Writing outputs atomically: a failed or killed build never leaves a half-written file.

Every writer of an output (PDF, EPUB, website downloads, clinic variants, the
language chooser) goes through :func:`atomic_output`; the temporaries live in
a work folder of the build, never among the outputs.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def remove_stale_temporaries(folder: Path) -> None:
    """Remove what an interrupted (killed) build left of ``atomic_output``'s temporaries."""
    if folder.is_dir():
        for stale in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


def same_bytes(new: Path, old: Path) -> bool:
    """Whether ``old`` exists with exactly the bytes of ``new`` (``filecmp``: sizes first)."""
    return old.is_file() and filecmp.cmp(new, old, shallow=False)


@contextlib.contextmanager
def atomic_output(path: Path, workdir: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path; rename it over ``path`` on success.

    A failed or interrupted build never leaves a half-written file where a
    reader or clinic would find it: the old file stays until the new one is
    complete. When the new file has the bytes of the old one, the old one stays as it
    is, its mtime too (issue 26: a build that changes nothing rewrites nothing). The
    temporary lives in ``workdir`` (a work folder of the build)
    when that is on the same file system, so that even a build killed with
    SIGKILL leaves nothing among the outputs; else next to ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.parent
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
        if workdir.stat().st_dev == folder.stat().st_dev:
            folder = workdir
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if same_bytes(tmp_path, path):
            return  # unchanged: the file keeps its bytes and its mtime (rsync, web caches)
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
