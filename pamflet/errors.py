"""User errors: ``path:line: message`` (or ``path: key: message``), exit status 2, no traceback.

Sphinx 9 prints a crash report (versions, traceback) for every exception it
catches, its own ``SphinxError`` included. A user error (a bad catalog, a bad
clinic file, a refused URL, a missing font) is not a crash: pamflet prints the
message and raises ``UserError``, a ``SystemExit`` that passes through
``sphinx-build`` and ends it with exit status 2. Internal errors keep their
traceback.

This module imports nothing from pamflet: every other module may use it.
"""

from __future__ import annotations

import sys

__all__ = ["UserError", "fail"]

#: Set by ``pamflet build``, which reports the message itself.
quiet = False


class UserError(SystemExit):
    """A user error: the message is printed as ``path:line: message``, without a traceback.

    Sphinx 9 prints a crash report (versions, traceback) for every exception it
    catches, including its own ``SphinxError``; a ``SystemExit`` passes through
    ``sphinx-build`` and ends it with exit status 2 after the message is printed.
    """

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message

    def __str__(self) -> str:
        return self.message


def fail(message: str) -> UserError:
    """Print ``message`` to stderr and return the exception to raise."""
    if not quiet:
        print(message, file=sys.stderr, flush=True)
    return UserError(message)
