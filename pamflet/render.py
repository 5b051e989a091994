"""WeasyPrint rendering: a closed URL fetcher, shared caches, atomic output."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

try:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher
except OSError as exc:  # WeasyPrint could not load Pango, HarfBuzz or fontconfig
    from .errors import fail

    raise fail(
        f"WeasyPrint cannot load its system libraries ({exc}): install Pango 1.44 or newer "
        "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
    ) from None

PRINT_DIR = Path(__file__).parent / "print"


class RefusedURL(FatalURLFetchingError):
    """A document asked for something outside the project."""

    def __init__(self, url: str, document: str) -> None:
        super().__init__(
            f"{document}: refused to fetch {url!r}: the PDF renderer only reads files "
            "inside the project (source, theme and build folders)"
        )
        self.url = url
        self.document = document


class ProjectURLFetcher(URLFetcher):
    """Serves ``file:`` URLs inside the allowed folders and ``data:`` URLs; refuses all else.

    WeasyPrint's default fetcher reads http(s), ftp and any ``file:`` URL, so a
    document (or a translation, or a clinic file) could make the renderer
    fetch from the network or embed any readable file.
    """

    def __init__(self, roots: list[Path], document: str = "document") -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [Path(os.path.realpath(r)) for r in roots]
        self.document = document

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(os.path.realpath(unquote(parts.path)))
        return any(path.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers=None):
        if not self.allowed(url):
            raise RefusedURL(url, self.document)
        return super().fetch(url, headers)


def remove_stale_temporaries(folder: Path) -> None:
    """Remove what an interrupted (killed) build left of ``atomic_output``'s temporaries."""
    if folder.is_dir():
        for stale in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


@contextlib.contextmanager
def atomic_output(path: Path, workdir: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path; rename it over ``path`` on success.

    A failed or interrupted build never leaves a half-written file where a
    reader or clinic would find it: the old file stays until the new one is
    complete. The temporary lives in ``workdir`` (a work folder of the build)
    when that is on the same file system, so that even a build killed with
    SIGKILL leaves nothing among the outputs; else next to ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.parent
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
        if workdir.stat().st_dev == folder.stat().st_dev:
            folder = workdir
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


class Renderer:
    """WeasyPrint with pamflet's print stylesheets, parsed once and shared.

    One font configuration, one image cache, one closed URL fetcher and one
    parsed stylesheet per format serve every document of a build (and every
    clinic variant of a batch).
    """

    def __init__(
        self, roots: list[Path], extra_css: list[Path] | None = None, workdir: Path | None = None
    ) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.workdir = workdir  # where atomic_output keeps its temporaries
        self.font_config = FontConfiguration()
        self.fetcher = ProjectURLFetcher([*roots, PRINT_DIR])
        self.cache: dict = {}
        self._css = CSS
        self.base_css = [
            CSS(
                filename=PRINT_DIR / "css" / "leaflet.css",
                font_config=self.font_config,
                url_fetcher=self.fetcher,
            )
        ]
        for extra in extra_css or []:
            self.base_css.append(
                CSS(filename=extra, font_config=self.font_config, url_fetcher=self.fetcher)
            )
        self._format_css: dict[str, object] = {}

    def stylesheets(self, fmt) -> list:
        if fmt.name not in self._format_css:
            self._format_css[fmt.name] = self._css(
                filename=fmt.stylesheet, font_config=self.font_config, url_fetcher=self.fetcher
            )
        return [*self.base_css, self._format_css[fmt.name]]

    def render(self, markup: str, base_url: Path, fmt, document: str):
        """Lay out ``markup`` in format ``fmt``; ``document`` names it in errors."""
        from weasyprint import HTML

        self.fetcher.document = document
        laid_out = HTML(string=markup, base_url=str(base_url), url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets(fmt),
            font_config=self.font_config,
            cache=self.cache,
            **fmt.options,
        )
        # <link rel=attachment> and <a rel=attachment> would embed files in the PDF:
        # a leaflet embeds nothing, even from inside the project.
        laid_out.metadata.attachments = []
        for page in laid_out.pages:
            page.links = [link for link in page.links if link[0] != "attachment"]
        return laid_out

    def write(self, document, target: Path, fmt) -> None:
        """Write a laid-out document atomically."""
        with atomic_output(target, self.workdir) as tmp:
            document.write_pdf(tmp, **fmt.options)
