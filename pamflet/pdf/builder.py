"""The ``leaflet`` builder: print HTML with pamflet's own stylesheet, then WeasyPrint.

A small subclass of Sphinx's HTML builder, the way ``dirhtml`` and
``singlehtml`` are: it writes only the leaflet documents, with the ``basic``
theme's machinery but none of the website theme's CSS (a large screen theme
makes WeasyPrint about ten times slower). The doctree is prepared for print by
a post-transform (``transforms.py``), the print HTML by a template
(``printhtml.py``), and the PDFs by the press (``press.py``: render, impose,
save). Output: ``OUT/<docname>.pdf`` (one format) or ``OUT/<docname>-<format>.pdf``
(several).

WeasyPrint is imported when the PDFs are rendered (``finish``), never when
the extension loads: html and epub builds do not pay for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import __
from sphinx.util.osutil import relative_uri

from ..errors import fail
from ..files import remove_stale_temporaries
from ..project import leaflets, pdf_filename
from . import printhtml
from .formats import Format, resolve_formats


class LeafletBuilder(StandaloneHTMLBuilder):
    """Builds one PDF per leaflet document and format."""

    name = "leaflet"
    format = "html"
    epilog = __("The PDF leaflets are in %(outdir)s.")

    copysource = False
    allow_parallel = False
    add_permalinks = False
    search = False
    use_index = False
    # Remote images stay URLs, so that the closed fetcher refuses them: Sphinx would
    # otherwise download them during the build.
    supported_remote_images = True

    def init(self) -> None:
        super().init()
        self.formats: list[Format] = resolve_formats(list(self.config.pamflet_formats))
        print_dir = self.config.pamflet_print_dir
        self.print_dir = Path(print_dir) if print_dir else Path(self.outdir, "_print")
        # Images go beside the print HTML (Sphinx's HTML builder reads this attribute).
        self._images_dir = self.print_dir / "_images"
        # Temporaries live in the print folder (build/.work/...), never beside the PDFs:
        # a killed build leaves them there, and the next build removes them.
        self.tmp_dir = self.print_dir / ".tmp"
        remove_stale_temporaries(self.tmp_dir)
        remove_stale_temporaries(Path(self.outdir))  # left there by older versions
        self.pages: dict[str, dict[str, Any]] = {}

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        return "basic", {}

    def leaflet_docnames(self) -> list[str]:
        names = leaflets(self.config)
        missing = [d for d in names if d not in self.env.found_docs]
        if missing:
            raise fail(
                f"{self.confdir / 'conf.py'}: pamflet_leaflets: no such document: "
                + ", ".join(f"{d!r} (expected {self.srcdir / d}.rst)" for d in missing)
            )
        return names

    def get_outdated_docs(self) -> list[str]:
        # A PDF depends on the whole document, the print CSS and the format list:
        # rendering is cheap next to finding out exactly what changed.
        return self.leaflet_docnames()

    def copy_assets(self) -> None:
        # The print HTML uses pamflet's stylesheets in place; there are no
        # website assets (theme CSS, JavaScript, search) to copy.
        pass

    def write_documents(self, docnames: Any) -> None:
        self._write_serial(self.leaflet_docnames())

    def pdf_path(self, docname: str, fmt: Format) -> Path:
        name = pdf_filename(self.config.pamflet_pdf_filename, docname, fmt.name, len(self.formats))
        return Path(self.outdir, name)

    def _render_nodes(self, doctree: nodes.document, children: list[nodes.Node]) -> str:
        part = doctree.copy()
        part.extend(children)
        visitor = self.create_translator(part, self)
        part.walkabout(visitor)
        return "".join(visitor.fragment)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        doctree.settings = self.docsettings
        self.secnumbers = self.env.toc_secnumbers.get(docname, {})
        self.fignumbers = self.env.toc_fignumbers.get(docname, {})
        self.imgpath = relative_uri(self.get_target_uri(docname), "_images")
        self.dlpath = relative_uri(self.get_target_uri(docname), "_downloads")
        self.current_docname = docname
        parts = doctree.attributes.pop("pamflet_print")  # transforms.SplitPrintParts
        title = parts.title
        if not title:
            title = self.env.titles[docname].astext() if docname in self.env.titles else docname
        back = parts.back_sections
        self.pages[docname] = {
            "title": title,
            "subtitle": parts.subtitle,
            "body": self._render_nodes(doctree, list(doctree.children)),
            "back": self._render_nodes(doctree, [nodes.section("", *back)]) if back else "",
            "about": parts.about,
            "facts_title": parts.facts_title,
        }

    def finish(self) -> None:
        self.copy_image_files()
        from .environment import check_environment, weasyprint_logging
        from .press import Press
        from .renderer import Renderer

        with weasyprint_logging(str(self.srcdir)):
            check_environment()
            roots = [self.srcdir, self.confdir, self.print_dir, Path(self.outdir)]
            extra = [Path(self.confdir, css) for css in self.config.pamflet_print_css]
            press = Press(
                Renderer(roots, extra, workdir=self.tmp_dir), self.print_dir, self.tmp_dir
            )
            self.print_dir.mkdir(parents=True, exist_ok=True)
            for docname in self.leaflet_docnames():
                context = printhtml.print_context(self.config, docname, self.pages[docname])
                press.run(
                    context,
                    self.formats,
                    lambda fmt, docname=docname: self.pdf_path(docname, fmt),
                    str(self.env.doc2path(docname)),
                )
