"""User errors: ``path:line: message`` (or ``path: key: message``), exit status 2, no traceback.

A user error (a bad catalog, a bad clinic file, a refused URL, a missing font) is
not a crash. :class:`UserError` is a ``SphinxError``, so that Sphinx handles it as
its own: inside a build, Sphinx removes its saved environment and fires
``build-finished`` with the error, so every extension (pamflet's render process
too) cleans up.

How it ends depends on who runs the build:

- ``pamflet``'s own commands (``pamflet build``, ``pamflet proof``) set
  :data:`quiet`, catch the error and print its message in their summary;
- under ``sphinx-build`` the message is printed when the error is made
  (:func:`fail`), and :func:`exit_after_build` (the last ``build-finished``
  listener) ends ``sphinx-build`` with exit status 2, without the crash report
  (versions, traceback) that Sphinx 9 prints for every exception it catches;
- an error before the build starts (``config-inited``, a builder's ``init``) is
  raised through :func:`before_build`, which does the same there.

Internal errors keep their traceback. This module imports nothing from pamflet:
every other module may use it.
"""

from __future__ import annotations

import sys
from typing import Any

from sphinx.errors import SphinxError

__all__ = ["UserError", "before_build", "exit_after_build", "fail"]

#: Set by ``pamflet``'s own commands, which report the message themselves.
quiet = False

#: The exit status of a user error, as ``sphinx-build`` gives for a failed build.
EXIT_STATUS = 2


class UserError(SphinxError):
    """A user error: the message is printed as ``path:line: message``, without a traceback."""

    category = "pamflet error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def fail(message: str) -> UserError:
    """Print ``message`` to stderr (unless :data:`quiet`) and return the error to raise."""
    if not quiet:
        print(message, file=sys.stderr, flush=True)
    return UserError(message)


def before_build(error: UserError) -> BaseException:
    """What to raise for ``error`` before Sphinx's build starts: the error itself for
    pamflet's commands; for ``sphinx-build`` (which would print a crash report) the
    end of the process with :data:`EXIT_STATUS`, the message already printed."""
    return error if quiet else SystemExit(EXIT_STATUS)


def exit_after_build(_app: Any, exc: BaseException | None) -> None:
    """``build-finished`` listener, run after all others: a build that a user error
    stopped ends ``sphinx-build`` with :data:`EXIT_STATUS` instead of its crash report."""
    if isinstance(exc, UserError) and not quiet:
        raise SystemExit(EXIT_STATUS) from exc
