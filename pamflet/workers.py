"""Processes of a build: the build lock, workers that die with their parent, progress lines."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

#: Python's collector runs after every 700 new container objects (its default), and
#: every tenth and hundredth run goes through everything older too. A build makes
#: millions of objects that live until it ends (doctrees, box trees, PDF objects) and
#: leaves few cycles: in a clinic batch worker the collector took 1.1-1.6 s of 7-9 s
#: and freed almost nothing (peak memory the same, 137-139 MB, at 50,000). A 300-page
#: document: 34.6 -> 28.5 s, peak 368 -> 405 MB (README, "Speed").
GC_THRESHOLDS = (50_000, 20, 100)


def collect_less() -> None:
    """Garbage collection for a build process and the workers it forks (they inherit it):
    :data:`GC_THRESHOLDS`; ``PAMFLET_GC=0`` keeps Python's defaults (for benchmarks)."""
    import gc

    if os.environ.get("PAMFLET_GC", "1") != "0":
        gc.set_threshold(*GC_THRESHOLDS)


@contextlib.contextmanager
def build_lock(builddir: Path) -> Iterator[None]:
    """One pamflet build at a time per build folder; a second one waits."""
    import fcntl

    builddir.mkdir(parents=True, exist_ok=True)
    with open(builddir / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                "pamflet: another build is using this build folder; waiting for it ...", flush=True
            )
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def exit_with_parent(parent: int) -> None:
    """A worker ends when the build process ends, even when that is killed (SIGKILL):
    else it builds on, holding the build lock it inherited, and the next build waits
    for it forever. Used as a ``ProcessPoolExecutor`` initializer."""
    # Ctrl-C reaches every process of the build: a worker ends at once, quietly (its
    # outputs are written atomically), and the build process reports the interruption.
    # Without this, a worker interrupted while idle or importing printed a traceback.
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build process died before prctl
        os._exit(1)


def file_size(path: str | Path) -> str:
    """A file's size for a progress line: "54 KB", "1.2 MB"."""
    size = Path(path).stat().st_size
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1048576:,.1f} MB"


def progress(line: str, *, error: bool = False) -> None:
    """One progress line, flushed at once (builds run for seconds to minutes)."""
    print(line, file=sys.stderr if error else sys.stdout, flush=True)


def exit_now(code: int) -> None:
    """End the process with ``code`` once the streams are flushed, without Python's own
    shutdown: freeing Sphinx's and WeasyPrint's objects one by one took about 0.4 s
    after every build, and a renderer kept for the process's life (fonts, Pango) is
    better not finalised while the interpreter is half torn down. Every file is written
    and closed by then, and nothing of pamflet's runs at exit."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


#: ``pamflet build`` tells the processes of a build how many leaflets may render at once
#: (``-j``), and where the slots are (one lock file each).
RENDER_SLOTS_ENV = "PAMFLET_RENDER_SLOTS"
RENDER_SLOTS_DIR_ENV = "PAMFLET_RENDER_SLOTS_DIR"


def render_slots() -> tuple[int, Path | None]:
    """How many leaflets of the whole build may render at once, and the slots' folder
    (None outside ``pamflet build``: the builder bounds itself)."""
    try:
        count = int(os.environ.get(RENDER_SLOTS_ENV, "0"))
    except ValueError:
        count = 0
    folder = os.environ.get(RENDER_SLOTS_DIR_ENV)
    return count, Path(folder) if folder else None


def share_render_slots(count: int, folder: Path) -> None:
    """For the processes this one starts: ``count`` render slots in ``folder``."""
    os.environ[RENDER_SLOTS_ENV] = str(count)
    os.environ[RENDER_SLOTS_DIR_ENV] = str(folder)


#: The slot files this process holds open (their locks), closed in a child it forks.
_held_slots: set[int] = set()


def _forget_inherited_slots() -> None:
    """In a forked child (a render process): close the slot files it inherited. A lock
    (``flock``) lasts while any copy of its file stays open, so a render process that
    kept one would hold its parent's slot for its whole life."""
    for fd in list(_held_slots):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_slots.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited_slots)


@contextlib.contextmanager
def render_slot(count: int, folder: Path | None) -> Iterator[None]:
    """Hold one of ``count`` render slots shared by every process of a build (an
    exclusive lock on one of ``count`` files in ``folder``; the lock goes with the
    process, also when it is killed); waits for one to be free. Without ``folder``,
    no waiting: the caller runs no more than ``count`` at once itself."""
    if folder is None:
        yield
        return
    import fcntl
    import time

    folder.mkdir(parents=True, exist_ok=True)
    while True:
        for number in range(count):
            handle = open(folder / f"slot-{number}", "w")  # noqa: SIM115 - held while rendering
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            _held_slots.add(handle.fileno())
            try:
                yield
            finally:
                _held_slots.discard(handle.fileno())
                handle.close()
            return
        time.sleep(0.02)
