"""The ``pamflet`` command (``pamflet.cli:run``; ``python -m pamflet.cli``).

The commands and their arguments are in ``commands/``; this module only starts them.
"""

from __future__ import annotations

from .commands import main, run

__all__ = ["main", "run"]

if __name__ == "__main__":
    run()
