"""Issue 15: the live proof loop, `pamflet proof --watch`, on a copy of the project."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import LEAFLET, copy_project, copy_test_project, normalise, pdf_text, run

#: generous: this is a correctness test, timings are in benchmarks/run.py
LIMIT = 120
ENV = {"SOURCE_DATE_EPOCH": "1795132800"}


class Watcher:
    """``pamflet proof --watch`` in a subprocess, its output lines in a queue."""

    def __init__(self, project: Path, language: str = "nl") -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pamflet.cli",
                "proof",
                "--watch",
                "-l",
                language,
                "-C",
                str(project),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **ENV},
        )
        self.output: list[str] = []
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, *texts: str, limit: float = LIMIT) -> str:
        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(0.1, min(left, 1.0)))
            except queue.Empty:
                if left > 0 and self.proc.poll() is None:
                    continue  # still running: wait on
                raise AssertionError(
                    f"no line with {texts} in {limit} s:\n{''.join(self.output)}"
                ) from None
            if all(text in line for text in texts):
                return line
            if left <= 0:
                raise AssertionError(f"no line with {texts}:\n{''.join(self.output)}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.mark.slow
def test_watch_rebuilds_on_save_keeps_the_pdf_on_a_broken_catalog_and_stops(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path)
    po = project / "locales" / "nl" / "LC_MESSAGES" / f"{LEAFLET}.po"
    pdf = project / "build" / "pdf" / "nl" / f"{LEAFLET}-a5.pdf"
    original = po.read_text(encoding="utf-8")
    sentence = 'msgstr "Belangrijkste punten"'
    assert sentence in original
    watcher = Watcher(project)
    try:
        watcher.wait_for("watching", limit=300)  # the first build, from clean
        assert pdf.is_file()
        assert "Proefdrukregel" not in normalise(pdf_text(pdf))

        # a save: the new text is in the PDF
        po.write_text(
            original.replace(sentence, 'msgstr "Belangrijkste punten Proefdrukregel"'),
            encoding="utf-8",
        )
        line = watcher.wait_for(".pdf in")
        assert f"build/pdf/nl/{LEAFLET}-a5.pdf in " in line
        assert "Proefdrukregel" in normalise(pdf_text(pdf))

        # a finding in the changed entry is reported on the rebuild's line
        po.write_text(
            original.replace(sentence, 'msgstr "Belangrijkste  punten Proefdrukregel"'),
            encoding="utf-8",
        )
        line = watcher.wait_for(".pdf in")
        assert "[double-space]" in line, line
        assert f"{LEAFLET}.po:" in line

        # a malformed save: file:line, and the last good PDF stays
        good = pdf.read_bytes()
        broken = original.replace(sentence, 'msgstr "Belangrijkste punten')
        po.write_text(broken, encoding="utf-8")
        broken_line = broken.split("\n").index('msgstr "Belangrijkste punten') + 1
        line = watcher.wait_for("kept the last good PDF")
        assert f"locales/nl/LC_MESSAGES/{LEAFLET}.po:{broken_line}:" in line, line
        assert pdf.read_bytes() == good

        # the watcher goes on: a good save builds again
        po.write_text(
            original.replace(sentence, 'msgstr "Belangrijkste punten Tweede regel"'),
            encoding="utf-8",
        )
        watcher.wait_for(".pdf in")
        assert "Tweede regel" in normalise(pdf_text(pdf))
        watched = pdf.read_bytes()
    finally:
        status = watcher.stop()
    output = "".join(watcher.output)
    assert status in (0, 130), output
    assert "Traceback" not in output, output

    # what the watcher wrote (parses kept between rebuilds) is what a build from
    # clean writes
    run(
        [sys.executable, "-m", "pamflet.cli", "build", "pdf", "-C", str(project)]
        + ["-l", "nl", "-f", "a5", "-o", "fresh"],
        env=ENV,
    )
    assert (project / "fresh" / "pdf" / "nl" / f"{LEAFLET}-a5.pdf").read_bytes() == watched


def test_watch_names_the_pdf_it_writes_in_an_ordinary_sphinx_project(tmp_path: Path) -> None:
    """A project without ``pamflet_pdf_filename`` names the PDF of a one-format build
    ``<leaflet>.pdf``; the watcher said it wrote ``<leaflet>-a5.pdf``, which was not there.
    Its Dutch catalogs are enough for ``-l nl`` (it has no ``pamflet_languages``)."""
    project = copy_test_project(tmp_path)
    watcher = Watcher(project, "nl")  # not in pamflet_languages: it has catalogs
    try:
        line = watcher.wait_for(".pdf in", limit=300)  # the first build, from clean
        watcher.wait_for("watching")
    finally:
        status = watcher.stop()
    assert status in (0, 130), "".join(watcher.output)
    name = line.split()[1]
    assert name == "build/pdf/nl/index.pdf", line
    assert (project / name).is_file()
