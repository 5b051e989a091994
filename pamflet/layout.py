"""Where every output of a build goes, under ``build/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    """Where every output of a build goes, under ``build/``."""

    root: Path

    def html(self, language: str) -> Path:
        return self.root / "html" / language

    @property
    def chooser(self) -> Path:
        return self.root / "html" / "index.html"

    def epub(self, basename: str, language: str) -> Path:
        return self.root / "epub" / f"{basename}-{language}.epub"

    def pdf(self, language: str) -> Path:
        return self.root / "pdf" / language

    def clinics(self) -> Path:
        return self.root / "pdf" / "clinics"

    @property
    def doctrees_root(self) -> Path:
        return self.root / "doctrees"

    def doctrees(self, language: str) -> Path:
        return self.doctrees_root / language

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def log(self, language: str) -> Path:
        return self.logs / f"{language}.log"

    @property
    def work(self) -> Path:
        """Intermediate files, and the keys of the outputs (``keys.py``): never among
        the outputs."""
        return self.root / ".work"

    @property
    def tmp(self) -> Path:
        """Temporaries of atomic writes (a killed build leaves them here only)."""
        return self.work / "tmp"

    def epub_work(self, language: str) -> Path:
        return self.work / "epub" / language

    def print_root(self) -> Path:
        return self.work / "print"

    def print_dir(self, language: str) -> Path:
        """The print HTML and print context of a language (reused by clinic imprints)."""
        return self.print_root() / language

    def imprint_staging(self) -> Path:
        return self.work / "imprint"

    @classmethod
    def from_html_outdir(cls, outdir: Path) -> Layout | None:
        """The layout a website output folder belongs to, when it is ``<build>/html/<lang>``
        (as ``pamflet build`` writes it); ``None`` for any other folder."""
        outdir = Path(outdir)
        return cls(outdir.parent.parent) if outdir.parent.name == "html" else None
