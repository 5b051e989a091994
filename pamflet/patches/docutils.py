"""The private name of docutils that pamflet reads: its registry of local roles.

``pamflet check`` parses every msgstr as reStructuredText. A role it does not know
(a project's own, or one of Sphinx's domains) would be an error in docutils, so it
registers a tolerant role under each name it meets (``register_local_role``, public)
and must take them out again afterwards, or they would stay for the rest of the
process (the watcher runs the checks beside a live Sphinx application). docutils
has no public way to unregister a role. Sphinx's ``docutils_namespace`` saves and
restores the same registry, but it also unregisters every node class that Sphinx
added, which would break the watcher's application. Verified on docutils 0.22.4.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from . import Contract, Patch

LOCAL_ROLES = Patch(
    name="docutils.local-roles",
    replaces=("docutils.parsers.rst.roles._roles (saved and restored)",),
    why=(
        "The roles registered for parsing a catalog's messages are removed afterwards; "
        "docutils has no public unregister."
    ),
    verified=("0.22.4",),
    purpose="the checks' role registry",
    contract=(
        Contract("docutils.parsers.rst.roles._roles"),
        Contract("docutils.parsers.rst.roles.register_local_role", "(name, role_fn) -> 'None'"),
    ),
    kind="internal",
)


STATE_MACHINE = Patch(
    name="docutils.state-machine",
    replaces=("docutils.parsers.rst.Parser.parse (its steps, with one state machine)",),
    why=(
        "pamflet check parses two short messages per catalog entry; building the state "
        "machine was half of each parse (fr catalogs of the Python documentation: 55 -> "
        "32 s, the same findings)."
    ),
    verified=("0.22.4",),
    purpose="the checks' reStructuredText parses",
    contract=(
        Contract(
            "docutils.parsers.rst.states.RSTStateMachine.run",
            attributes=(),
        ),
        Contract("docutils.statemachine.StateMachine", attributes=("observers",)),
        Contract("docutils.parsers.rst.Parser.setup_parse"),
        Contract("docutils.parsers.rst.Parser.finish_parse"),
    ),
    kind="internal",
)


@contextlib.contextmanager
def local_roles() -> Iterator[None]:
    """docutils' local roles as they are now, restored after the block."""
    from docutils.parsers.rst import roles

    registry = LOCAL_ROLES.require(getattr(roles, "_roles", None), "roles._roles")
    saved = dict(registry)
    try:
        yield
    finally:
        registry.clear()
        registry.update(saved)


def parse_reusing(parser, source: str, document, cache: dict) -> None:
    """``Parser.parse(source, document)`` with the state machine kept in ``cache`` and
    used again: ``RSTStateMachine.run`` sets up what it needs per document, but it adds
    the document's ``note_source`` to the machine's observers, which are emptied first."""
    from docutils.parsers.rst import roles, states
    from docutils.statemachine import string2lines

    parser.setup_parse(source, document)
    machine = cache.get("machine")
    if machine is None:
        machine = cache["machine"] = states.RSTStateMachine(
            state_classes=parser.state_classes, initial_state=parser.initial_state
        )
    machine.observers = []  # the last document's note_source
    lines = string2lines(source, tab_width=document.settings.tab_width, convert_whitespace=True)
    machine.run(lines, document, inliner=parser.inliner)
    registry = STATE_MACHINE.require(getattr(roles, "_roles", None), "roles._roles")
    registry.pop("", None)  # the "default" default role, as Parser.parse restores it
    parser.finish_parse()
