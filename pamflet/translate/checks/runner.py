"""Running the checks over catalogs: :class:`Checker` (``pamflet check``, ``pamflet review``,
the watcher) (:func:`~.report.run_check` is the command's report). What each check does is in
this package's ``__init__`` and in its own module."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...project import Project
from ...settings import DEFAULT_LANGUAGE, SOURCES_CLASS, language_of
from ..entries import Entry, Finding
from ..po import parse_po
from . import additions, cosmetic, numbers, safety, sections, sentences, terminology
from .markup import Markup, split_noqa
from .placeholders import prose_words
from .refusals import template_catalog
from .sections import in_literal_block, line_with
from .spelling import choose_tag, words
from .structure import compare

#: Checks that no exemption silences.
NEVER_EXEMPT = {"safety", "syntax"}


#: Every check id, for --skip / --only.
CHECK_IDS = (
    "syntax",
    "header",
    "format",
    "fuzzy",
    "untranslated",
    "safety",
    "rst-syntax",
    "rst-inline",
    "rst-references",
    "emphasis",
    "literals",
    "numbers",
    "numbers-added",
    "terminology",
    "whitespace",
    "double-space",
    "end-punctuation",
    "sentences",
    "spelling",
)

#: Checks that run only when asked for (``--only``): double spaces are invisible in
#: the output (HTML and the PDF collapse them); emphasis left out is a style choice; a
#: number that only the translation has is mostly an explanation (measured on the
#: Python documentation's translations: 1 in 16 was a defect); so is a literal that the
#: translation paraphrases (1 in 3) and an end punctuation that a title or a list
#: item changes (none of 9 in French).
OPT_IN = {"double-space", "emphasis", "numbers-added", "literals", "end-punctuation"}

#: Exemption names besides the check ids: ``ignore-bidi`` accepts bidi controls.
EXEMPTION_NAMES = set(CHECK_IDS) | {"bidi"}


@dataclass
class Options:
    root: Path = field(default_factory=Path.cwd)  # resolves #: locations
    source_language: str = DEFAULT_LANGUAGE
    strict: bool = False
    skip: set[str] = field(default_factory=set)
    terminology: Path | None = None  # else <locale_dir>/<lang>/terminology.csv
    exempt_classes: set[str] = field(default_factory=lambda: {SOURCES_CLASS})
    spelling_dictionaries: dict[str, str] = field(default_factory=dict)
    wordlists: dict[str, list[Path]] = field(default_factory=dict)  # extra, per language

    @classmethod
    def from_project(cls, project: Project | None, root: Path, **kwargs) -> Options:
        """The options of a project's conf.py; the defaults where there is none."""
        if project is None:
            return cls(root=root, **kwargs)
        settings = project.settings()
        return cls(
            root=root,
            source_language=language_of(settings),
            exempt_classes=set(settings.pamflet_check_exempt_classes),
            spelling_dictionaries=dict(settings.pamflet_spelling_dictionaries),
            **kwargs,
        )


def catalog_language(path: Path, entries: list[Entry]) -> str:
    header = next((e for e in entries if e.msgid == "" and not e.obsolete), None)
    if header is not None:
        match = re.search(r"^Language:\s*(\S+)", header.string, re.MULTILINE)
        if match:
            return match.group(1).replace("-", "_")
    if path.parent.name == "LC_MESSAGES":
        return path.parent.parent.name
    return "und"


def language_dir(path: Path) -> Path | None:
    """``<locale_dir>/<lang>`` for ``<locale_dir>/<lang>/LC_MESSAGES/x.po``."""
    for parent in path.parents:
        if parent.name == "LC_MESSAGES":
            return parent.parent
    return None


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Checker:
    """Runs every check; keeps what catalogs share (glossaries, dictionaries)."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self._glossaries: dict[Path, terminology.Glossary | None] = {}
        self._spellers: dict[str, object] = {}
        self._reported_source_words: set[tuple[str, int, str]] = set()
        self._reported_glossary_problems: set[Path] = set()
        self._reported_unavailable: set[str] = set()
        self._literal_cache: dict[tuple[str, int], bool] = {}
        self._prose: frozenset[str] = frozenset()  # the words of a catalog's translations

    # -- source locations ------------------------------------------------------------------

    def source_file(self, location: str) -> tuple[Path | None, str, int]:
        """(file if found, display path, line) for a ``#:`` location."""
        name, _, line = location.rpartition(":")
        if not line.isdigit():
            name, line = location, "0"
        relative = re.sub(r"^(?:\.\.?/)+", "", name)
        candidate = self.options.root / relative
        return (candidate if candidate.is_file() else None), relative, int(line)

    def source_note(self, entry: Entry) -> str:
        if not entry.locations:
            return ""
        _file, shown, line = self.source_file(entry.locations[0])
        more = f" and {len(entry.locations) - 1} more" if len(entry.locations) > 1 else ""
        return f" (source: {shown}:{line}{more})" if line else f" (source: {shown}{more})"

    def section_names(self, entry: Entry) -> set[str]:
        names: set[str] = set()
        for location in entry.locations:
            file, _shown, line = self.source_file(location)
            if file is not None and line:
                names |= sections.names_at(file, line)
        return names

    def literal_block(self, entry: Entry) -> bool:
        """Whether the entry is a literal or code block (``gettext_additional_targets``):
        its ``#:`` location is a code directive, or an indented block after ``::``."""
        for location in entry.locations[:1]:
            file, _shown, line = self.source_file(location)
            if file is None or not line:
                return False
            key = (str(file), line)
            if key not in self._literal_cache:
                lines = file.read_text(encoding="utf-8").split("\n")
                self._literal_cache[key] = in_literal_block(lines, line)
            return self._literal_cache[key]
        return False

    # -- per catalog -----------------------------------------------------------------------

    def glossary(self, path: Path, language: str) -> terminology.Glossary | None:
        csv_path = self.options.terminology
        if csv_path is None:
            folder = language_dir(path)
            csv_path = folder / "terminology.csv" if folder else None
        if csv_path is None or not csv_path.is_file():
            return None
        if csv_path not in self._glossaries:
            self._glossaries[csv_path] = terminology.load(
                csv_path, self.options.source_language, language
            )
        return self._glossaries[csv_path]

    def speller(self, path: Path, language: str):
        from .spelling import Speller, SpellingUnavailable

        base = language.split("_")[0]
        if base not in self._spellers:
            wordlists = list(self.options.wordlists.get(base, []))
            folder = language_dir(path)
            if folder is not None:
                wordlists.append(folder.parent / base / "wordlist.txt")
            try:
                self._spellers[base] = Speller(
                    base, choose_tag(base, self.options.spelling_dictionaries), wordlists
                )
            except SpellingUnavailable as exc:
                self._spellers[base] = exc
        return self._spellers[base]

    def check(self, path: Path, only: Callable[[Entry], bool] | None = None) -> list[Finding]:
        """Every finding for one catalog, sorted by line; ``only``: check only the
        entries it accepts (the catalog's own findings, its syntax and header, stay)."""
        entries, findings = parse_po(path)
        skip = self.options.skip
        findings = [f for f in findings if f.check not in skip]
        if any(f.severity == "error" and f.check == "syntax" for f in findings) and not entries:
            return findings
        language = catalog_language(path, entries)
        folder = language_dir(path)
        mismatch = folder is not None and language.split("_")[0] != folder.name.split("_")[0]
        if mismatch:
            findings.append(
                Finding(
                    path,
                    next((e.line for e in entries if e.is_header), 1),
                    "warning",
                    "header",
                    f"the header says 'Language: {language}' but the catalog is in the "
                    f"folder {folder.name!r}: no spelling check until they agree",
                )
            )
        if not self.options.strict:
            # header fields left at their template value (Last-Translator, ...): msgfmt
            # --check warns, but no reader sees them and teams that keep these in git
            # leave them; reported with --strict
            findings = [f for f in findings if "still has the initial default" not in f.message]
        interface = template_catalog(path, entries)
        glossary = None if "terminology" in skip else self.glossary(path, language)
        if glossary is not None and glossary.path not in self._reported_glossary_problems:
            self._reported_glossary_problems.add(glossary.path)
            findings += [
                Finding(glossary.path, line, "error", "terminology", message)
                for line, message in glossary.problems
            ]
        lines = path.read_text(encoding="utf-8").split("\n")
        target_speller = source_speller = None
        if "spelling" not in skip:
            # a catalog that does not name its language: the header warning says so
            target_speller = (
                self.speller(path, language) if language != "und" and not mismatch else None
            )
            if not interface:
                source_speller = self.speller(path, self.options.source_language)
            for speller in {id(s): s for s in (target_speller, source_speller) if s}.values():
                problem = str(speller) if isinstance(speller, Exception) else ""
                if problem and problem not in self._reported_unavailable:
                    self._reported_unavailable.add(problem)
                    # one warning per language; an error only when --strict and the
                    # project asked for this dictionary in pamflet_spelling_dictionaries
                    configured = any(
                        problem.startswith(f"no Hunspell dictionary for language {lang!r}")
                        for lang in self.options.spelling_dictionaries
                    )
                    findings.append(
                        Finding(
                            path,
                            1,
                            "error" if self.options.strict and configured else "warning",
                            "spelling",
                            f"{speller} (or skip it: pamflet check --skip spelling)",
                        )
                    )
        broken = [f.line for f in findings if f.severity == "error" and f.check == "syntax"]
        self._prose = prose_words(
            e.string for e in entries if e.translated and not e.fuzzy and not e.obsolete
        )
        with Markup() as markup:
            for entry in entries:
                if entry.obsolete or (entry.msgid == "" and entry.msgctxt is None):
                    continue
                if only is not None and not only(entry):
                    continue
                if any(entry.line <= line <= max(entry.end_line, entry.line) for line in broken):
                    continue  # its strings are not what the translator wrote
                findings += self._entry(
                    path,
                    entry,
                    language,
                    interface,
                    markup,
                    glossary,
                    target_speller,
                    source_speller,
                    lines,
                )
        findings = [f for f in findings if f.check not in skip]
        findings.sort(key=lambda f: (str(f.path) != str(path), str(f.path), f.line))
        return findings

    def _entry(
        self,
        path: Path,
        entry: Entry,
        language: str,
        interface: bool,
        markup: Markup,
        glossary,
        target_speller,
        source_speller,
        lines: list[str],
    ) -> list[Finding]:
        found: list[Finding] = []
        note = self.source_note(entry)
        strict = "error" if self.options.strict else "warning"
        exemptions = entry.exemptions()

        def add(check: str, severity: str, message: str, line: int | None = None) -> None:
            if check in exemptions and check not in NEVER_EXEMPT:
                return
            found.append(Finding(path, line or entry.line, severity, check, message + note))

        for name in sorted(exemptions):
            if name in NEVER_EXEMPT:
                add(
                    name,
                    "warning",
                    f"'ignore-{name}' has no effect: {name} findings cannot be silenced",
                )
            elif name not in EXEMPTION_NAMES:
                add(
                    "syntax",
                    "warning",
                    f"'ignore-{name}': no check of that name "
                    f"(choose from {', '.join(sorted(EXEMPTION_NAMES))})",
                )

        pairs = entry.pairs()
        if entry.translated:  # what Sphinx publishes
            for source, translation in pairs:
                for severity, message in additions.check(source, translation, template=interface):
                    add("safety", severity, message)
                if "bidi" not in exemptions:
                    for message in safety.bidi(source, translation):
                        add("safety", "error", message)
        if entry.fuzzy:
            add("fuzzy", strict, "fuzzy: needs review; until then Sphinx prints the English text")
            return found
        if not entry.translated:
            add("untranslated", strict, "not translated: Sphinx prints the English text")
            return found

        exempt = self.section_names(entry) if entry.locations else set()
        exempt_here = bool(exempt & self.options.exempt_classes)
        code = not interface and (
            self.literal_block(entry)
            or _DOCTEST.search(entry.msgid)
            # Sphinx joins a paragraph's lines into one msgid; only a literal block keeps
            # its line breaks (sphinx.util.nodes.extract_messages)
            or "\n" in entry.msgid.strip("\n")
        )
        for source, translation in pairs:
            if code:
                # a literal or code block: the msgstr is code (its output may change with
                # the translation: len('okienko') prints 7); Sphinx keeps its noqa marker
                continue
            text, noqa = split_noqa(translation)
            if source == text:
                continue
            parsed_source = parsed_text = None
            if not interface:
                parsed_source, parsed_text = markup.parse(source), markup.parse(text)
                for check, severity, message in compare(
                    parsed_source, parsed_text, noqa, self._prose
                ):
                    add(check, severity, message)
                for severity, message in sentences.check(
                    # code counts as a word: "``x`` yerine ``y`` kullanılmalıdır."
                    parsed_source.words_text("keep"),
                    parsed_text.words_text("keep"),
                ):
                    add("sentences", severity, message)
            for severity, message in numbers.check(
                source, text, language, self.options.source_language
            ):
                # a number added on its own is mostly an explanation ("bits set to 1",
                # "Example 2"): opt-in; a changed number is the error's
                add("numbers" if severity == "error" else "numbers-added", severity, message)
            if glossary is not None and not exempt_here:
                for message in terminology.check(glossary, source, text, exempt):
                    add("terminology", "warning", message)
            for check, message in cosmetic.check(source, text):
                add(check, "warning", message)
            if exempt_here:
                continue
            if target_speller is not None and not isinstance(target_speller, Exception):
                plain = parsed_text.words_text() if parsed_text else _plain_interface(text)
                for word in target_speller.misspelled(plain, kept=words(source)):
                    add(
                        "spelling",
                        "warning",
                        f"{word!r} is not in the {target_speller.tag} dictionary "
                        "or the word lists",
                        line_with(lines, entry.msgstr_line, entry.end_line, word),
                    )
            if source_speller is not None and not isinstance(source_speller, Exception):
                found += self._spell_source(path, entry, source_speller, parsed_source)
        return found

    def _spell_source(self, path: Path, entry: Entry, speller, parsed) -> list[Finding]:
        """English spelling, reported where it is fixed: in the source file."""
        found: list[Finding] = []
        plain = parsed.words_text() if parsed is not None else entry.msgid
        words = speller.misspelled(plain)
        if not words:
            return found
        file = None
        line = 0
        if entry.locations:
            file, _shown, line = self.source_file(entry.locations[0])
        source_lines = file.read_text(encoding="utf-8").split("\n") if file else None
        for word in words:
            if file is not None and source_lines is not None:
                at = line_with(source_lines, line, line + 60, word)
                key = (str(file.resolve()), at, word)
                if key in self._reported_source_words:
                    continue
                self._reported_source_words.add(key)
                found.append(
                    Finding(
                        Path(display_path(file)),
                        at,
                        "warning",
                        "spelling",
                        f"{word!r} is not in the {speller.tag} dictionary or the word lists",
                    )
                )
        return found


#: A doctest or an interactive session: code, whatever the ``#:`` source says.
_DOCTEST = re.compile(r"^(?:>>>|\.\.\.)(?: |$)", re.MULTILINE)

_TAG = re.compile(r"<[^<>]*>|&#?\w+;|%\([^)]*\)[a-z]|%[a-z]|\{[^{}]*\}")


def _plain_interface(text: str) -> str:
    return _TAG.sub(" ", text)


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; folders searched for ``*.po``."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.rglob("*.po")) if path.is_dir() else [path]
    return found
