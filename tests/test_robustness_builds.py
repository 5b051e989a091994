"""Robustness (issue 9, points 2 and 3): concurrent and interrupted builds.

On a copy of the real project, ``pamflet build pdf`` (what ``make pdf`` runs)
is started twice at once, and then killed with SIGINT and SIGKILL at several
points of the render. Each run stamps its own publication date into the leaflets
(``PAMFLET_TEST_RUN``; it becomes the PDF's ``/ModDate``), so every PDF tells
which run wrote it.

What must hold:

- two builds at once both succeed, the second waiting on the build lock;
  every PDF seen at any moment is complete and comes from one run only;
- after a kill, every PDF published before is byte-identical (or replaced by
  a complete PDF of the killed run), opens, and has its page count;
- no temporary file is left in ``build/pdf``, ``build/html`` or ``build/epub``
  (temporaries live in ``build/.work``; the next build removes them);
- no process of a killed build lives on (a worker that outlived a SIGKILLed
  build held the build lock, and the next build waited for it forever);
- the next build succeeds.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import copy_project
from pamflet.project import Project

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="process groups and /proc: Linux"
)

STAMP = """
# robustness tests: each run stamps its own date (of the last change) into the leaflets
import os as _os

for _meta in pamflet_leaflets.values():
    _meta["changed"] = _os.environ.get("PAMFLET_TEST_RUN", _meta["changed"])
"""
USER_FOLDERS = ("pdf", "html", "epub")
TIMEOUT = 120


class Build:
    """``pamflet build pdf`` in its own process group, its output in files (a pipe
    would keep a test waiting on any process that outlives the build)."""

    def __init__(self, project: Path, stamp: str, logs: Path) -> None:
        self.out = logs / f"{stamp}.out"
        self.err = logs / f"{stamp}.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pamflet.cli", "build", "pdf", "-C", str(project)],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PAMFLET_TEST_RUN": stamp},
                start_new_session=True,
            )
        self.pgid = self.proc.pid

    def wait(self, timeout: float = TIMEOUT) -> int:
        return self.proc.wait(timeout)

    @property
    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.err.read_text(errors="replace")


def live_processes(pgid: int) -> list[int]:
    """Processes of a process group that are not zombies."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def pdfs(project: Path) -> dict[str, Path]:
    root = project / "build" / "pdf"
    return {str(p.relative_to(root)): p for p in sorted(root.glob("*/*.pdf"))}


def stamp_of(path: Path | bytes) -> str:
    """The run that wrote a PDF (its stamped date, as YYYY-MM-DD); the PDF must open."""
    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    assert len(reader.pages) > 2
    stamp = str(reader.metadata["/ModDate"])
    return f"{stamp[2:6]}-{stamp[6:8]}-{stamp[8:10]}"


def leftovers(project: Path) -> list[str]:
    """Temporary or hidden files where a user would look."""
    build = project / "build"
    return [
        str(p.relative_to(build))
        for folder in USER_FOLDERS
        for p in (build / folder).rglob("*")
        if p.name.startswith(".") or p.name.endswith(".tmp")
    ]


def poll(condition, timeout: float = 60, every: float = 0.005):
    """Wait for condition() to return something true; returns it (or None at timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    return None


@pytest.fixture(scope="module")
def concurrent(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two builds started at once on one copy; returns what they did and what was seen."""
    folder = tmp_path_factory.mktemp("builds")
    project = copy_project(folder, extra=("clinics",), conf_suffix=STAMP)
    seen: dict[str, set[str]] = {}
    versions: set[tuple] = set()
    problems: list[str] = []
    done = threading.Event()

    def watch() -> None:
        # Every PDF that exists at any moment is complete, and from one run.
        while not done.is_set():
            for name, path in pdfs(project).items():
                try:
                    data = path.read_bytes()
                except FileNotFoundError:
                    continue  # replaced while being read: the next round reads the new one
                if (name, len(data), hash(data)) in versions:
                    continue
                versions.add((name, len(data), hash(data)))
                try:
                    seen.setdefault(name, set()).add(stamp_of(data))
                except Exception as exc:  # noqa: BLE001 - any damage is a finding
                    problems.append(f"{name}: {exc!r}")
            time.sleep(0.05)

    first = Build(project, "2027-01-11", folder)
    assert poll(lambda: "building" in first.stdout, timeout=30)  # it holds the lock
    second = Build(project, "2027-01-12", folder)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        codes = (first.wait(), second.wait())
    finally:
        done.set()
        watcher.join()
    return {
        "project": project,
        "folder": folder,
        "codes": codes,
        "runs": (first, second),
        "seen": seen,
        "problems": problems,
    }


@pytest.mark.slow
def test_two_builds_at_once_both_succeed_and_never_mix(concurrent: dict) -> None:
    first, second = concurrent["runs"]
    assert concurrent["codes"] == (0, 0), first.stderr + second.stderr
    assert "another build is using this build folder; waiting" in second.stdout
    assert not concurrent["problems"]
    project = concurrent["project"]
    final = pdfs(project)
    formats = len(Project.find(project).settings().pamflet_formats)
    assert len(final) == len(Project.find(project).languages()) * formats  # every format, language
    for name, path in final.items():
        assert stamp_of(path) == "2027-01-12", name  # the second build, which ran last
        assert concurrent["seen"][name] <= {"2027-01-11", "2027-01-12"}
    assert not leftovers(project)


def snapshot(project: Path) -> dict[str, tuple[bytes, int]]:
    return {name: (p.read_bytes(), len(PdfReader(p).pages)) for name, p in pdfs(project).items()}


def assert_published_intact(project: Path, before: dict, stamp: str) -> int:
    """Each PDF is the one published before, byte for byte, or a complete one of the
    killed run; returns how many the killed run had replaced."""
    now = pdfs(project)
    assert set(now) == set(before)
    replaced = 0
    for name, path in now.items():
        data, pages = before[name]
        if path.read_bytes() != data:
            assert stamp_of(path) == stamp, name
            replaced += 1
        assert len(PdfReader(path).pages) == pages, name
    return replaced


def temporaries_in_work(project: Path) -> list[Path]:
    return [p for p in (project / "build" / ".work").rglob("*.tmp") if p.is_file()]


@pytest.mark.slow
def test_killed_builds_leave_the_published_pdfs_intact(concurrent: dict) -> None:
    project, folder = concurrent["project"], concurrent["folder"]
    assert concurrent["codes"] == (0, 0)
    before = snapshot(project)

    def first_temporary():
        return temporaries_in_work(project)

    def first_new_pdf():
        return any(p.read_bytes() != before[n][0] for n, p in pdfs(project).items())

    def kill(stamp: str, sig: signal.Signals, group: bool, when) -> bool:
        """Start a build, kill it at ``when``, check; True if it left temporaries."""
        nonlocal before
        run = Build(project, stamp, folder)
        assert poll(when), f"{stamp}: the build never got there: {run.stderr}"
        if group:
            os.killpg(run.pgid, sig)  # as Ctrl-C in a terminal, or a CI time-out
        else:
            os.kill(run.pgid, sig)
        assert run.wait() != 0, stamp
        # Every process of the build ends with it (workers too, when only the
        # main process was killed): none may go on holding the build lock.
        assert poll(lambda: not live_processes(run.pgid), timeout=10), stamp
        if sig == signal.SIGINT:
            assert "Traceback" not in run.stderr, run.stderr
            assert "interrupted" in run.stderr
        assert not leftovers(project), (stamp, leftovers(project))
        replaced = assert_published_intact(project, before, stamp)
        if when is first_new_pdf:
            assert 1 <= replaced < len(before), replaced
        left = bool(temporaries_in_work(project))
        before = snapshot(project)
        return left

    kill("2027-02-01", signal.SIGINT, True, first_temporary)  # Ctrl-C while a PDF is written
    kill("2027-02-02", signal.SIGKILL, True, first_new_pdf)  # killed after one PDF is published
    kill("2027-02-03", signal.SIGINT, True, lambda: time.sleep(1.0) or True)  # while reading
    # Only the main process killed while a PDF is written: the workers die with it.
    # SIGKILL cannot clean up: what it leaves must be in build/.work, out of the user's
    # way. (Again in the rare case that the PDF was complete before the kill landed.)
    assert any(
        kill(f"2027-02-1{attempt}", signal.SIGKILL, False, first_temporary) for attempt in range(5)
    )

    final = Build(project, "2027-03-01", folder)
    assert final.wait() == 0, final.stderr
    assert not temporaries_in_work(project)
    assert not leftovers(project)
    assert {stamp_of(p) for p in pdfs(project).values()} == {"2027-03-01"}
