"""Batches of clinic variants: every clinic, spread over the cores (:mod:`imprint`).

A clinic whose variants are all up to date (their keys, :mod:`incremental`) is left
out before any worker starts: a second batch with nothing changed starts no WeasyPrint.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..workers import exit_with_parent
from . import incremental
from .clinic import Clinic
from .imprint import Imprinter, Outcome, imprint_clinic, plan

_worker: dict[str, Any] = {}


def _init_worker(
    print_root: str,
    staging_root: str,
    roots: list[str],
    naive: bool = False,
    whole_layout: bool = False,
    parent: int | None = None,
) -> None:
    if parent is not None:  # a worker ends with the batch, even when that is killed
        exit_with_parent(parent)
    _worker["imprinter"] = Imprinter(
        Path(print_root), Path(staging_root), [Path(r) for r in roots], naive, whole_layout
    )


def _run_one(args: tuple) -> Outcome:
    clinic, leaflets, languages, formats, out_root = args
    return imprint_clinic(
        _worker["imprinter"], clinic, leaflets, languages, formats, Path(out_root)
    )


def _run_many(args: tuple) -> list[Outcome]:
    """A chunk of clinics: their covers and back pages laid out together, then each clinic."""
    clinics, leaflets, languages, formats, out_root = args
    imprinter: Imprinter = _worker["imprinter"]
    try:
        try:
            imprinter.prepare(clinics, leaflets, languages, formats)
        except Exception:  # e.g. no print context: each clinic reports its own error
            imprinter.minis.clear()
            if imprinter.stamper is not None:
                imprinter.stamper.blocks.clear()
        return [
            imprint_clinic(imprinter, c, leaflets, languages, formats, Path(out_root))
            for c in clinics
        ]
    finally:
        imprinter.minis.clear()
        if imprinter.stamper is not None:
            imprinter.stamper.blocks.clear()


#: Clinics laid out in one document at most (memory: about 0.3 MB a clinic and format).
#: ``PAMFLET_CLINIC_BATCH=1`` lays out each clinic on its own (for benchmarks).
BATCH_SIZE = 25


def _batch_size(count: int, jobs: int) -> int:
    wanted = int(os.environ.get("PAMFLET_CLINIC_BATCH", BATCH_SIZE))
    return max(1, min(wanted, math.ceil(count / max(1, jobs))))


def imprint_batch(
    clinics: list[Clinic],
    *,
    print_root: Path,
    staging_root: Path,
    roots: list[Path],
    leaflets: list[str],
    languages: list[str],
    formats: list[str],
    out_root: Path,
    jobs: int = 2,
    progress=None,
    naive: bool = False,
    whole_layout: bool = False,
) -> list[Outcome]:
    """Render every clinic, spread over ``jobs`` processes; failures are reported, not raised."""
    way = incremental.way_of(naive, whole_layout)
    keys_root = incremental.imprint_keys(staging_root)

    up_to_date = {
        clinic.id
        for clinic in clinics
        if incremental.variants_current(
            clinic,
            plan(clinic, languages, formats),
            leaflets,
            print_root,
            out_root,
            keys_root,
            way,
        )
    }
    outcomes = [Outcome(c.id, True) for c in clinics if c.id in up_to_date]
    for outcome in outcomes if progress else ():  # nothing made again
        progress(outcome)
    clinics = [c for c in clinics if c.id not in up_to_date]
    if not clinics:
        return outcomes
    size = _batch_size(len(clinics), jobs)
    chunks = [clinics[i : i + size] for i in range(0, len(clinics), size)]
    tasks = [(chunk, leaflets, languages, formats, str(out_root)) for chunk in chunks]
    setup = (str(print_root), str(staging_root), [str(r) for r in roots], naive, whole_layout)
    if jobs <= 1 or len(clinics) <= 1:
        _init_worker(*setup)
        for task in tasks:
            for outcome in _run_many(task):
                outcomes.append(outcome)
                if progress:
                    progress(outcome)
        return outcomes
    with ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_init_worker,
        initargs=(*setup, os.getpid()),
    ) as pool:
        chunksize = max(1, len(tasks) // (jobs * 4))
        for done in pool.map(_run_many, tasks, chunksize=chunksize):
            for outcome in done:
                outcomes.append(outcome)
                if progress:
                    progress(outcome)
    return outcomes
