"""User errors: ``path:line: message`` (or ``path: key: message``), exit status 2, no traceback.

Sphinx 9 prints a crash report (versions, traceback) for every exception it
catches, its own ``SphinxError`` included. A user error (a bad catalog, a bad
clinic file, a refused URL, a missing font) is not a crash: pamflet prints the
message and raises ``UserError``, a ``SystemExit`` that passes through
``sphinx-build`` and ends it with exit status 2. Internal errors keep their
traceback.
"""

from __future__ import annotations

import sys

from .catalogs import UserError

__all__ = ["UserError", "fail"]

#: Set by ``pamflet build``, which reports the message itself.
quiet = False


def fail(message: str) -> UserError:
    """Print ``message`` to stderr and return the exception to raise."""
    if not quiet:
        print(message, file=sys.stderr, flush=True)
    return UserError(message)
