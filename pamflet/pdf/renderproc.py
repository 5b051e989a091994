"""A render process: WeasyPrint loads while Sphinx reads.

When the leaflet builder starts, it forks this process. The child imports
WeasyPrint (about a second: cffi parses Pango's and HarfBuzz's declarations),
creates the renderer and parses the print stylesheets of the build's formats,
while the parent reads the documents and writes the print HTML. At the end of
the build the parent hands the print contexts over; the child lays out and
writes the PDFs (the same :class:`~.press.Press` as in one process, so the same
bytes) and sends back its log records, which the parent logs through Sphinx's
own logging, so that ``-W``, ``--keep-going`` and ``suppress_warnings`` apply
as usual. A user error in the child (a refused URL, a missing font) is raised
again in the parent with its message.

On 2 cores this hides the import behind Sphinx's reading. Where ``fork`` is not
available, or the child dies, the parent renders itself.

With several languages (``pamflet build`` runs them in parallel processes), one
*zygote* (:func:`start_zygote`) imports WeasyPrint, parses the stylesheets and
loads the press once, and forks each language's render process on request: the
languages share one import (about 0.8 s of CPU per extra language) instead of
paying it each.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
import traceback
from typing import Any

from ..errors import UserError, fail

#: Log record attributes that Sphinx's logging reads.
_EXTRA = ("type", "subtype", "location", "nonl", "once")


class _Capture(logging.Handler):
    """Keeps the child's log records (as plain data) for the parent."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        extra = {}
        for name in _EXTRA:
            value = getattr(record, name, None)
            if value is not None:
                extra[name] = value if isinstance(value, (str, bool, int)) else str(value)
        self.records.append(
            {"level": record.levelno, "message": record.getMessage(), "extra": extra}
        )


def _load() -> Any:
    """The renderer with every format's stylesheet parsed, and the press imported."""
    from . import press  # noqa: F401 - the job needs it
    from .environment import announce_harfbuzz_subset
    from .formats import FORMATS
    from .renderer import shared_renderer

    announce_harfbuzz_subset()
    renderer = shared_renderer([])
    for fmt in FORMATS.values():
        if fmt.stylesheet:
            renderer.stylesheets(fmt)
    return renderer


def _serve(conn, language: str, parent: int, zygote: bool = False) -> None:
    """The child: load the renderer and warm it up, then run the jobs the parent sends.
    ``zygote``: forked by the zygote (it says so with its work, see :meth:`RenderProcess.run`)."""
    from .. import errors
    from ..workers import collect_less, exit_with_parent

    exit_with_parent(parent)
    collect_less()  # also under sphinx-build, which keeps Python's defaults itself
    errors.quiet = True  # the parent prints the message
    ready: str | None = None
    try:
        from .renderer import warm_up

        renderer = _load()
        try:
            warm_up(renderer, language, waiting=conn.poll)
        except Exception:  # only a head start: the leaflet itself says what is wrong
            pass
    except UserError as exc:  # e.g. WeasyPrint cannot load Pango
        ready = exc.message
    while True:  # jobs until the parent sends None (or is gone)
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        conn.send(_run_job(job, ready, zygote))


def _run_job(job: dict[str, Any], ready: str | None, zygote: bool) -> tuple:
    """One job in the render process: (status, message, log records, who did it)."""
    done_by = {"pid": os.getpid(), "zygote": zygote}
    if ready is not None:
        return ("user-error", ready, [], done_by)
    capture = _Capture()
    sphinx_logger = logging.getLogger("sphinx")
    sphinx_logger.handlers[:] = [capture]  # the parent logs them
    # All of them, "wrote ..." too: a process the zygote forked never ran Sphinx's
    # logging set-up, which lets everything through to its handlers.
    sphinx_logger.setLevel(logging.DEBUG)
    try:
        from .press import run_jobs

        run_jobs(**job)
        return ("ok", "", capture.records, done_by)
    except UserError as exc:
        return ("user-error", exc.message, capture.records, done_by)
    except BaseException:  # a crash: the parent shows the traceback
        return ("crash", traceback.format_exc(), capture.records, done_by)


#: A render process started before Sphinx (``pamflet build``), for the next leaflet builder.
_prestarted: list[RenderProcess] = []


def prestart(language: str) -> None:
    """Start a render process now, for the leaflet builder of ``language`` to take
    (``pamflet build`` calls this before it loads Sphinx: WeasyPrint then loads and
    warms up while Sphinx starts, reads and writes)."""
    if not _prestarted:
        process = RenderProcess.start(language, take=False)
        if process is not None:
            _prestarted.append(process)


def close_prestarted() -> None:
    """End a prestarted render process nobody will take."""
    while _prestarted:
        _prestarted.pop().close()


class RenderProcess:
    """The parent's handle on the render process (``process`` is None for one that
    the zygote forked: it is not this process's child; the connection tells)."""

    def __init__(self, language: str, conn: Any = None) -> None:
        self.language = language
        self.process = None
        if conn is not None:
            self.conn = conn
            return
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve,
            args=(child, language, os.getpid()),
            daemon=True,
            name="pamflet-render",
        )
        self.process.start()
        child.close()

    def alive(self) -> bool:
        return not self.conn.closed and (self.process is None or self.process.is_alive())

    @classmethod
    def start(cls, language: str, take: bool = True) -> RenderProcess | None:
        """A render process for ``language``: the prestarted one (``take``), or a new one."""
        while take and _prestarted:
            process = _prestarted.pop()
            if process.language == language and process.alive():
                return process
            process.close()
        if "fork" not in multiprocessing.get_all_start_methods():
            return None
        if _zygote:
            forked = _zygote[0].fork(language)
            if forked is not None:
                return forked
        try:
            return cls(language)
        except OSError:  # no process to spare: render in this one
            return None

    def run(self, job: dict[str, Any]) -> bool:
        """Run ``job`` (see :func:`press.run_jobs`) in the child, log what it logged and
        end the child. False when the child is gone (the caller renders itself)."""
        try:
            result = self.exchange(job)
        finally:
            self.close()
        if result is None:
            return False
        report(result)
        return True

    def exchange(self, job: dict[str, Any]) -> tuple | None:
        """Send ``job``, wait for its result (for :func:`report`); the child stays for
        the next job. None when the child is gone (it is closed then)."""
        try:
            self.conn.send(job)
            return self.conn.recv()
        except (EOFError, OSError):
            self.close()
            return None

    def close(self) -> None:
        if self.conn.closed:
            return
        try:
            if self.process is None:  # the zygote's child: it ends on None, or has ended
                try:
                    self.conn.send(None)
                except OSError:
                    pass
                return
            if self.process.is_alive():
                try:
                    self.conn.send(None)
                except OSError:  # the child has ended already
                    pass
                self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        finally:
            self.conn.close()


def report(result: tuple) -> int:
    """Log what a render process logged for a job, and raise its error; returns the
    number of warnings among them."""
    from sphinx.util import logging as sphinx_logging

    status, message, records, done_by = result
    logger = sphinx_logging.getLogger("pamflet.render")
    for record in records:
        logger.log(record["level"], "%s", record["message"], **record["extra"])
    logger.info(
        "pamflet: laid out and written in the render process (pid %d, forked by %s)",
        done_by["pid"],
        "the zygote" if done_by["zygote"] else "the builder",
    )
    if status == "user-error":
        raise fail(message)
    if status == "crash":
        raise RuntimeError(f"the render process failed:\n{message}")
    return sum(record["level"] >= logging.WARNING for record in records)


# -- one import for many languages --------------------------------------------------------------

#: The zygote of this build (inherited by the language processes), if any.
_zygote: list[Zygote] = []


def start_zygote() -> None:
    """Start the zygote for the render processes of a build of several languages; the
    language processes forked after this ask it for theirs (see the module's text)."""
    if not _zygote and "fork" in multiprocessing.get_all_start_methods():
        try:
            _zygote.append(Zygote())
        except OSError:  # no process to spare: each language forks its own
            pass


def stop_zygote() -> None:
    while _zygote:
        _zygote.pop().stop()


class Zygote:
    """A process that has loaded the renderer and forks render processes from itself.

    Requests come over a Unix socket, one datagram each: the language, and one end of
    a socket pair (passed as a file descriptor) that becomes the render process's
    connection to the language process that asked."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the zygote
            ours.close()
            code = 0
            try:
                _zygote_main(theirs, parent)
            except BaseException:  # noqa: BLE001 - it must never return into the caller
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.pid = pid
        self.sock = ours

    def fork(self, language: str) -> RenderProcess | None:
        """A render process for ``language``, forked by the zygote; None if it is gone."""
        from multiprocessing.connection import Connection

        mine, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            socket.send_fds(self.sock, [language.encode()], [child.fileno()])
        except OSError:
            mine.close()
            return None
        finally:
            child.close()
        return RenderProcess(language, Connection(mine.detach()))

    def stop(self) -> None:
        self.sock.close()  # the zygote reads the end and exits
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _zygote_main(sock: socket.socket, parent: int) -> None:
    from multiprocessing.connection import Connection

    from .. import errors
    from ..workers import collect_less, exit_with_parent

    exit_with_parent(parent)
    collect_less()  # before WeasyPrint loads (and for the render processes it forks)
    errors.quiet = True  # a render process reports what went wrong
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # it ends with the build
    try:
        _load()
    except UserError:  # each render process reports it (_serve loads again)
        pass
    me = os.getpid()
    children: set[int] = set()
    try:
        while True:
            try:
                message, fds, _, _ = socket.recv_fds(sock, 64, 1)
            except OSError:
                return
            if not message:
                return  # the build closed its end
            pid = os.fork()
            if pid == 0:  # a render process
                sock.close()
                code = 0
                try:
                    _serve(Connection(fds[0]), message.decode(), me, zygote=True)
                except BaseException:  # noqa: BLE001
                    code = 1
                finally:
                    os._exit(code)
            children.add(pid)
            for fd in fds:
                os.close(fd)
            _reap(children, block=False)
    finally:
        # Waited for, so that their CPU time counts in the build's (benchmarks); a
        # render process ends when its job is done or its language process is gone.
        _reap(children, block=True)


def _reap(children: set[int], block: bool) -> None:
    deadline = time.monotonic() + 30
    while children:
        for pid in list(children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                children.discard(pid)
        if not block or not children:
            return
        if time.monotonic() > deadline:
            for pid in children:
                os.kill(pid, signal.SIGKILL)
            deadline = float("inf")
        time.sleep(0.01)
