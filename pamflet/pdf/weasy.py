"""Importing WeasyPrint without a third of its import time.

WeasyPrint loads Pango, HarfBuzz and fontconfig with cffi, trying several names per
library, for Windows, macOS and Linux in turn (``weasyprint/text/ffi.py``). For each
name that does not load as it is, cffi asks ``ctypes.util.find_library``, which on
Linux runs ``ldconfig -p``, ``gcc`` and ``ld`` as subprocesses: about 20 lookups,
0.3 to 0.4 s of every import of WeasyPrint on this project's machine (0.9 s ->
0.55 s), paid by every render process, clinic batch and watcher.

:func:`load` imports WeasyPrint with a lookup that answers "not found" at once, so
WeasyPrint goes on to the names that load as they are (``libpango-1.0.so.0``): the
same libraries that the lookup would have found. If that fails (a system where only
the lookup finds them), WeasyPrint is imported again the normal way, with its own
error message if it still fails.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys


def load() -> None:
    """Import WeasyPrint's library bindings (``weasyprint.text.ffi``) once, quickly."""
    if "weasyprint.text.ffi" in sys.modules:
        return
    lookup = ctypes.util.find_library
    ctypes.util.find_library = _not_found
    try:
        # WeasyPrint prints an installation hint to stdout before it fails: not yet.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint.text.ffi  # noqa: F401
    except OSError:  # again below, with the lookup, from a clean start
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = lookup
    import weasyprint.text.ffi  # noqa: F401, F811


def _not_found(name: str) -> None:
    return None
