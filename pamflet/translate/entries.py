"""The entries of a gettext catalog and the findings about them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Finding:
    path: Path
    line: int
    severity: str  # "error" or "warning"
    check: str
    message: str
    #: whether the build guard refuses the catalog for it; by default the errors
    #: of the ``syntax`` and ``safety`` checks do (see ``stops_build``)
    blocks: bool | None = None

    @property
    def stops_build(self) -> bool:
        """What would publish wrong or unsafe text: Babel misreads the file, a msgid
        is defined twice, or a translation adds links, markup or bidi controls."""
        if self.blocks is not None:
            return self.blocks
        return self.severity == "error" and self.check in ("syntax", "safety")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}"


@dataclass
class Entry:
    line: int  # line of the msgid keyword (or first line of the entry)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)
    obsolete: bool = False
    msgstr_line: int = 0
    end_line: int = 0  # last line of the entry
    comments: list[str] = field(default_factory=list)  # translator comments ("# ...")

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return (
            not self.fuzzy
            and bool(self.msgstr)
            and all(value != "" for value in self.msgstr.values())
        )

    def exemptions(self) -> set[str]:
        """The checks a translator switched off for this entry.

        ``#, ignore-numbers`` (a flag, as in Weblate) or a translator comment
        ``# pamflet: ignore numbers, end-punctuation``. Which of them may be
        silenced is for ``checks.Checker`` to decide (never safety or syntax).
        """
        names = {flag[len("ignore-") :] for flag in self.flags if flag.startswith("ignore-")}
        for comment in self.comments:
            match = re.match(r"\s*pamflet:\s*ignore\s+(.+)$", comment)
            if match:
                names |= {n.strip() for n in re.split(r"[,\s]+", match.group(1)) if n.strip()}
        return names

    @property
    def string(self) -> str:
        return self.msgstr.get(0, "")

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    def pairs(self) -> list[tuple[str, str]]:
        """(source, translation) for each form: one, or one per plural slot."""
        if self.msgid_plural is None:
            return [(self.msgid, self.msgstr.get(0, ""))]
        return [
            (self.msgid if slot == 0 else self.msgid_plural, value)
            for slot, value in sorted(self.msgstr.items())
        ]
