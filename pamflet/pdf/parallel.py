"""The leaflets of one language side by side (issue 26): several render processes.

The leaflet builder hands each out-of-date leaflet to a render process as a job of
its own. With ``-j N`` (``pamflet build``; ``sphinx-build -j N``), up to N render
processes of a language take the leaflets one after the other from a common queue,
each leaflet in one of the N *render slots* that every language of the build shares
(``workers.render_slot``): at most N leaflets render at once in the whole build, so
memory stays bounded by N renderers however many leaflets and languages there are,
and a language that is left alone at the end of a build still keeps every core busy.
A render process beyond the first starts only once it has a slot. Each leaflet is
rendered by the same press as in one process, so the PDFs have the same bytes.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from ..workers import render_slot, render_slots
from .renderproc import RenderProcess, report


def render_leaflets(
    first: RenderProcess | None, job: dict[str, Any], language: str, workers: int
) -> tuple[set[str], list[tuple]]:
    """Render the leaflets of ``job`` (``press.run_jobs``) on up to ``workers`` render
    processes, ``first`` (started with the builder) among them. Returns the docnames
    rendered without a warning, and the leaflets no render process could take (the
    caller renders those itself). Raises the first error a leaflet gave."""
    count, folder = render_slots()
    count = count or workers
    queue = deque(job["leaflets"])
    lock = threading.Lock()  # the queue, the results, and Sphinx's logging
    clean: set[str] = set()
    leftover: list[tuple] = []
    failed: list[BaseException] = []

    def work(process: RenderProcess | None) -> None:
        try:
            while True:
                with render_slot(count, folder):
                    with lock:
                        if not queue or failed:
                            return
                        item = queue.popleft()
                    if process is None:
                        process = RenderProcess.start(language, take=False)
                    result = None
                    if process is not None:
                        result = process.exchange({**job, "leaflets": [item]})
                    with lock:
                        if result is None:  # no process (any more): the builder renders it
                            leftover.append(item)
                            leftover.extend(queue)
                            queue.clear()
                            return
                        if report(result) == 0:
                            clean.add(item[0]["docname"])
        except BaseException as exc:  # noqa: BLE001 - raised again in the builder
            with lock:
                failed.append(exc)
        finally:
            if process is not None:
                process.close()

    threads = [
        threading.Thread(target=work, args=(first if number == 0 else None,), daemon=True)
        for number in range(max(1, min(workers, len(queue))))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise failed[0]
    return clean, leftover
