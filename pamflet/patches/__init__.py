"""What pamflet changes in the libraries it builds on (Sphinx, docutils, WeasyPrint,
pydyf), in one place.

Every change to a name inside those libraries, and every private name pamflet
reads, is a :class:`Patch` in this package, one module per library
(``weasyprint.py``, ``pydyf.py``, ``sphinx.py``, ``docutils.py``; the two larger
mechanisms beside them: ``lines.py``, ``paint.py``). Each says what it replaces,
why (with the measured gain), the versions it was verified on, and installs and
uninstalls itself:

- nothing is patched at import time: a build installs the patches it uses for as
  long as it uses them (``with patch.applied():``; nested uses are counted);
- on a library version that a patch was not verified on, it does not install, and
  the build prints one line naming it ("pamflet: WeasyPrint 71.0 not verified for
  the line-break reuse; building without it"); the stock path goes on;
- ``PAMFLET_PATCHES=0`` builds with stock Sphinx, WeasyPrint and pydyf (every
  patch off); ``PAMFLET_PATCHES=-name,-name`` turns off some (by :attr:`Patch.name`);
- a contract test (``tests/test_patches.py``) asserts that every name a patch
  relies on exists with the signature it relies on: a new release breaks that
  test, not a user's PDF.

Two kinds:

``patch``
    replaces a name (a function, a method, a module attribute) for speed or for
    reproducible bytes. Off, the library's own code runs, and the output looks
    and reads the same (tested: ``tests/pdf/test_plain_path.py``).
``internal``
    reads or clears a private name where no public way exists (a cache that a
    rebuild in the same process must forget, a laid-out box). It changes no code,
    so it stays in use with ``PAMFLET_PATCHES=0``; on an unverified version it is
    still tried, and a name that is gone stops with :class:`PatchError` naming the
    name and the versions it was verified on, never a silent skip.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

#: The libraries' names as users know them, for the one line.
DISPLAY = {
    "weasyprint": "WeasyPrint",
    "pydyf": "pydyf",
    "sphinx": "Sphinx",
    "docutils": "docutils",
}


class PatchError(RuntimeError):
    """A name that pamflet relies on is not in the installed library."""


@dataclass(frozen=True)
class Contract:
    """A name a patch relies on: ``target`` (a dotted name), with ``signature`` (its
    ``inspect.signature`` as text) and ``attributes`` (set on its instances: found
    in the class's source as ``self.<name>``)."""

    target: str
    signature: str | None = None
    attributes: tuple[str, ...] = ()


def resolve(target: str) -> Any:
    """The object a dotted name names: the longest importable module, then attributes."""
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(target)


def broken_contract(contract: Contract) -> str | None:
    """What is wrong with a contract in the installed library; None if it holds."""
    try:
        found = resolve(contract.target)
    except (ImportError, AttributeError) as exc:
        return f"{contract.target}: not found ({exc})"
    if contract.signature is not None:
        got = str(inspect.signature(found))
        if got != contract.signature:
            return f"{contract.target}: signature {got}, expected {contract.signature}"
    if contract.attributes:
        source = inspect.getsource(found)
        missing = [
            name
            for name in contract.attributes
            if not re.search(rf"\bself\.{re.escape(name)}\s*(?::[^=\n]*)?=(?!=)", source)
        ]
        if missing:
            return f"{contract.target}: no attribute {', '.join(missing)}"
    return None


@cache
def installed_version(library: str) -> str:
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _switched_off() -> set[str] | None:
    """``PAMFLET_PATCHES``: None (every patch may install), or the names turned off
    (``{"*"}``: all of them)."""
    value = os.environ.get("PAMFLET_PATCHES", "").strip()
    if value in ("", "1", "all"):
        return None
    if value == "0":
        return {"*"}
    return {part.strip().lstrip("-") for part in value.split(",") if part.strip()}


_announced: set[tuple[str, str]] = set()


@dataclass(eq=False)
class Patch:
    """One change to a library, or one private name read (see the module's text)."""

    #: ``library.what``: "weasyprint.line-breaks"; the library is the distribution whose
    #: version is checked ("weasyprint", "pydyf", "sphinx", "docutils")
    name: str
    #: the dotted names it replaces (patch) or reads (internal), as a reader finds them
    replaces: tuple[str, ...]
    #: why, with the measured gain
    why: str
    #: the library versions it was verified on
    verified: tuple[str, ...]
    #: for the one line: "the line-break reuse"
    purpose: str
    #: the names and signatures it relies on (tests/test_patches.py)
    contract: tuple[Contract, ...] = ()
    #: "patch" or "internal"
    kind: str = "patch"
    #: does the change (nothing for a patch that a context of its own scopes, such as
    #: PaintCache's) and returns what undoes it
    do: Callable[[], Callable[[], None]] | None = None
    _depth: int = field(default=0, repr=False)
    _undo: Callable[[], None] | None = field(default=None, repr=False)

    @property
    def library(self) -> str:
        return self.name.split(".")[0]

    @property
    def version(self) -> str:
        return installed_version(self.library)

    @property
    def is_verified(self) -> bool:
        return self.version in self.verified

    def usable(self) -> bool:
        """Whether the patch may be used in this process: not switched off, and
        verified on the installed version (else one line says so, once)."""
        off = _switched_off()
        if self.kind == "patch" and off is not None and ("*" in off or self.name in off):
            return False
        if self.is_verified:
            return True
        if self.kind == "internal":
            return True  # tried anyway: a missing name stops loudly (require)
        key = (self.library, self.purpose)
        if key not in _announced:
            _announced.add(key)
            print(
                f"pamflet: {DISPLAY.get(self.library, self.library)} {self.version} not "
                f"verified for {self.purpose}; building without it",
                file=sys.stderr,
                flush=True,
            )
        return False

    @property
    def installed(self) -> bool:
        return self._depth > 0

    def install(self) -> bool:
        """Install (or count one more use of) the patch; False if it is not usable."""
        if self._depth:
            self._depth += 1
            return True
        if not self.usable():
            return False
        self._undo = self.do() if self.do else None
        self._depth = 1
        return True

    def uninstall(self) -> None:
        """Undo :meth:`install` (the last use restores the library's own names)."""
        if not self._depth:
            return
        self._depth -= 1
        if not self._depth:
            undo, self._undo = self._undo, None
            if undo is not None:
                undo()

    @contextlib.contextmanager
    def applied(self) -> Iterator[bool]:
        """Installed for the ``with`` block; yields whether it is."""
        done = self.install()
        try:
            yield done
        finally:
            if done:
                self.uninstall()

    def require(self, found: Any, what: str) -> Any:
        """``found`` (a private name read), or a :class:`PatchError` if it is gone."""
        if found is None:
            raise PatchError(
                f"pamflet: {DISPLAY.get(self.library, self.library)} {self.version} has no "
                f"{what}, which pamflet reads for {self.purpose} (verified on "
                f"{', '.join(self.verified)}); please report it"
            )
        return found


def replacing(*pairs: tuple[Any, str, Any]) -> Callable[[], None]:
    """Set ``owner.name = value`` for each ``(owner, name, value)``; returns the undo."""
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in pairs]
    for owner, name, value in pairs:
        setattr(owner, name, value)

    def undo() -> None:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)

    return undo


@contextlib.contextmanager
def applied(*patches: Patch) -> Iterator[None]:
    """Every one of ``patches`` installed for the ``with`` block (those that are usable)."""
    with contextlib.ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch.applied())
        yield


def registry() -> list[Patch]:
    """Every patch and internal, from every library module (imports them: the modules
    import nothing of their libraries at the top)."""
    from . import docutils, pydyf, sphinx, weasyprint

    found: list[Patch] = []
    for module in (weasyprint, pydyf, sphinx, docutils):
        found += [value for value in vars(module).values() if isinstance(value, Patch)]
    return found


def announce_unverified(libraries: tuple[str, ...] = ("weasyprint", "pydyf")) -> None:
    """Print the one line of every patch of ``libraries`` that will step aside on this
    machine's versions (``pamflet build`` calls this before its processes fork, so that
    each line comes once per build, not once per process)."""
    for patch in registry():
        if patch.library in libraries:
            patch.usable()
