"""The ``leaflet`` builder: print HTML with pamflet's own stylesheet, then WeasyPrint.

A small subclass of Sphinx's HTML builder, the way ``dirhtml`` and
``singlehtml`` are: it writes only the leaflet documents, with the ``basic``
theme's machinery but none of the website theme's CSS (a large screen theme
makes WeasyPrint about ten times slower). The doctree is prepared for print by
a post-transform (``transforms.py``), the print HTML by a template
(``printhtml.py``), and the PDFs by the press (``press.py``: render, impose,
save). Output: ``OUT/<docname>.pdf`` (one format) or ``OUT/<docname>-<format>.pdf``
(several).

The whole book: a leaflet document's toctrees are replaced by the documents
they name, in order, as ``singlehtml`` does (``inline_all_toctrees``).
References to an inlined document become ``#fragment`` links inside the PDF,
and each inlined document keeps its own section and figure numbers
(:class:`LeafletTranslator`).

WeasyPrint is loaded when the builder starts (``init``), in a render process
that imports it while Sphinx reads (``renderproc.py``) or in this process, never
when the extension loads: html and epub builds do not pay for it.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.locale import __
from sphinx.util import logging as sphinx_logging
from sphinx.util.build_phase import BuildPhase
from sphinx.util.console import darkgreen
from sphinx.util.display import status_iterator
from sphinx.util.nodes import inline_all_toctrees
from sphinx.util.osutil import relative_uri
from sphinx.writers.html5 import HTML5Translator

from ..errors import UserError, before_build, fail
from ..files import remove_stale_temporaries
from ..i18n import sphinx_locale_dirs
from ..project import leaflets, pdf_filename
from ..settings import language_of, setting_value
from ..workers import render_slots
from . import book, incremental, printhtml
from .booklinks import owned, renamed
from .formats import Format, resolve_formats

logger = sphinx_logging.getLogger(__name__)


class LeafletTranslator(HTML5Translator):
    """Sphinx's HTML translator, with each inlined document's own section and figure
    numbers (``singlehtml`` does this by builder name, see ``HTML5Translator``)."""

    @contextmanager
    def _numbers(self, attr: str, element: nodes.Node):
        """The builder's numbers of the current document, looked up by the
        element's id as Sphinx gave it (:func:`unique_ids` may have renamed it)."""
        saved = getattr(self.builder, attr)
        setattr(
            self.builder, attr, getattr(self.builder.env, "toc_" + attr).get(self.docnames[-1], {})
        )
        ids = element.get("ids") if isinstance(element, nodes.Element) else None
        if ids and element.get("pamflet_id"):
            element["ids"] = [element["pamflet_id"], *ids[1:]]
        try:
            yield
        finally:
            setattr(self.builder, attr, saved)
            if ids and element.get("pamflet_id"):
                element["ids"] = ids

    def get_secnumber(self, node: nodes.Element) -> tuple[int, ...] | None:
        with self._numbers("secnumbers", node.parent):
            return super().get_secnumber(node)

    def add_fignumber(self, node: nodes.Element) -> None:
        with self._numbers("fignumbers", node):
            super().add_fignumber(node)


def unique_ids(tree: nodes.document, root: str) -> dict[str, dict[str, str]]:
    """Make the ids of an assembled doctree unique (``id1`` in two documents):
    the first keeps its id, later ones get the document's name in front. Returns
    ``{docname: {old id: new id}}``; references inside a document follow."""
    seen: set[str] = set()
    renames: dict[str, dict[str, str]] = {}
    elements = list(owned(tree, root))  # not node.parent: see booklinks.owned
    for node, owner in elements:
        new_ids = []
        for i, node_id in enumerate(node["ids"]):
            new = renamed(node_id, owner, seen, renames)
            if new != node_id:
                if i == 0:
                    node["pamflet_id"] = node_id
                node_id = new
            seen.add(node_id)
            new_ids.append(node_id)
        node["ids"] = new_ids
    if renames:
        for node, owner in elements:
            if not (node.get("refid") or node.get("backrefs")):
                continue
            table = renames.get(owner)
            if not table:
                continue
            if node.get("refid") in table:
                node["refid"] = table[node["refid"]]
            if node.get("backrefs"):
                node["backrefs"] = [table.get(b, b) for b in node["backrefs"]]
    return renames


def fix_refuris(tree: nodes.Node, renames: dict[str, dict[str, str]]) -> None:
    """``#document-guide/usage#label`` (a label in an inlined document) -> ``#label``,
    with the label's new name if :func:`unique_ids` renamed it."""
    for ref in tree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if uri.startswith("#document-") and uri.count("#") > 1:
            docname, label = uri[len("#document-") :].split("#", 1)
            ref["refuri"] = "#" + renames.get(docname, {}).get(label, label)


class LeafletBuilder(StandaloneHTMLBuilder):
    """Builds one PDF per leaflet document and format."""

    name = "leaflet"
    format = "html"
    epilog = __("The PDF leaflets are in %(outdir)s.")
    default_translator_class = LeafletTranslator

    copysource = False
    allow_parallel = False
    add_permalinks = False
    search = False
    use_index = False
    # Remote images stay URLs, so that the closed fetcher refuses them: Sphinx would
    # otherwise download them during the build.
    supported_remote_images = True
    # A scaled image is not a link to its file (a file:// link in a PDF), as in EPUB.
    html_scaled_image_link = False

    def init(self) -> None:
        super().init()
        # Sphinx tags a builder by its format, and ours is "html" only as a step on the
        # way to PDF: ``.. only:: html`` is for the website, ``.. only:: pdf`` (or
        # ``leaflet``, ``format_pdf``) for print, as with Sphinx's own PDF builders.
        for tag in ("html", "format_html"):
            if self.tags.has(tag):
                self.tags.remove(tag)
        for tag in ("pdf", "format_pdf"):
            self.tags.add(tag)
        self.formats: list[Format] = resolve_formats(list(self.config.pamflet_formats))
        self.print_dir = Path(setting_value(self.config, "pamflet_print_dir", outdir=self.outdir))
        # Images go beside the print HTML (Sphinx's HTML builder reads this attribute).
        self._images_dir = self.print_dir / "_images"
        # Temporaries live in the print folder (build/.work/...), never beside the PDFs:
        # a killed build leaves them there, and the next build removes them.
        self.tmp_dir = self.print_dir / ".tmp"
        remove_stale_temporaries(self.tmp_dir)
        remove_stale_temporaries(Path(self.outdir))  # left there by older versions
        self.pages: dict[str, dict[str, Any]] = {}
        # WeasyPrint is loaded now, by the leaflet builder only: in a render process that
        # loads it while Sphinx reads (renderproc.py), or here. Missing system libraries
        # give their one clear line (renderer.py).
        self.render_process = None
        if self.config.pamflet_render_process:
            from .renderproc import RenderProcess

            self.render_process = RenderProcess.start(language_of(self.config))
            self._app.connect("build-finished", self._close_render_process)
        else:
            from .renderproc import close_prestarted

            close_prestarted()
        if self.render_process is None:
            try:
                from . import renderer  # noqa: F401
            except UserError as exc:  # no Pango: before the build, one line
                raise before_build(exc) from None
            from .environment import announce_harfbuzz_subset

            announce_harfbuzz_subset()  # before the build starts: it goes on, more slowly
        # The documents inlined into the leaflet being written (not the leaflet itself).
        self.inlined: set[str] = set()

    def _render_setup(self) -> tuple[list[Path], list[Path]]:
        """The folders the renderer may read, and the project's extra print stylesheets."""
        roots = [Path(self.srcdir), Path(self.confdir), self.print_dir, Path(self.outdir)]
        extra = [Path(self.confdir, css) for css in self.config.pamflet_print_css]
        return roots, extra

    def _close_render_process(self, _app: Any = None, _exc: Any = None) -> None:
        process, self.render_process = self.render_process, None
        if process is not None:
            process.close()

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
        # Every leaflet is written as print HTML (cheap); whether its PDFs are made
        # again is for their keys to say (incremental.py, in finish()): a PDF depends on
        # more than the documents Sphinx tracks (stylesheets, fonts, versions).
        return self.leaflet_docnames()

    def copy_assets(self) -> None:
        # The print HTML uses pamflet's stylesheets in place; there are no
        # website assets (theme CSS, JavaScript, search) to copy.
        pass

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        if docname in self.inlined:
            return "#document-" + docname  # as singlehtml: the same page
        return super().get_target_uri(docname, typ)

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        if to in self.inlined:
            return self.get_target_uri(to, typ)
        return super().get_relative_uri(from_, to, typ)

    def assemble_doctree(self, docname: str) -> nodes.document:
        """The leaflet's doctree with the documents of its toctrees inlined, in order,
        and its references resolved (singlehtml's ``assemble_doctree``)."""
        traversed = [docname]
        tree = inline_all_toctrees(
            self, set(), docname, self.env.get_doctree(docname), darkgreen, traversed
        )
        self.inlined = set(traversed) - {docname}
        tree["docname"] = docname
        tree["pamflet_id_renames"] = unique_ids(tree, docname) if self.inlined else {}
        self.env.resolve_references(tree, docname, self)  # book.BookParts adds its own
        fix_refuris(tree, tree.attributes.pop("pamflet_id_renames"))
        return tree

    def write_documents(self, docnames: Any) -> None:
        """Each leaflet with the documents it inlines (Sphinx's hook for a builder that
        does not write one output per document, as ``singlehtml`` uses it)."""
        names = self.leaflet_docnames()
        for docname in status_iterator(
            names, __("writing output... "), "darkgreen", len(names), self.config.verbosity
        ):
            self.phase = BuildPhase.RESOLVING
            doctree = self.assemble_doctree(docname)
            self.phase = BuildPhase.WRITING
            self.write_doc_serialized(docname, doctree)
            self.write_doc(docname, doctree)
            self.inlined = set()

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
        page = super().get_target_uri(docname)
        self.imgpath = relative_uri(page, "_images")
        self.dlpath = relative_uri(page, "_downloads")
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
        app = self._app
        if getattr(app, "_fail_on_warnings", False) and getattr(app, "_warncount", 0):
            # -W with warnings: the build fails, and a failed build writes no PDF
            logger.info("pamflet: no PDF written: the build has warnings and -W")
            self._close_render_process()
            return
        self.copy_image_files()
        roots, extra = self._render_setup()
        locale_dirs = sphinx_locale_dirs(self.env)
        common = incremental.common_key(extra, locale_dirs).hexdigest()
        leaflets, made = [], {}
        for docname in self.leaflet_docnames():
            if book.is_book(self.config, docname):
                context = book.book_context(self.config, docname, self.pages[docname])
            else:
                context = printhtml.print_context(
                    self.config, docname, self.pages[docname], locale_dirs
                )
            targets = {fmt.name: str(self.pdf_path(docname, fmt)) for fmt in self.formats}
            keys = incremental.format_keys(common, context, self.formats, self.print_dir)
            files = incremental.outputs(targets, keys, self.print_dir, docname)
            stale = incremental.stale_formats(keys, files, self.print_dir, docname)
            if not stale:
                logger.info("pamflet: %s: the PDFs are up to date", docname)
                continue
            made[docname] = (stale, keys, files)
            leaflets.append((context, targets, str(self.env.doc2path(docname)), stale))
        process, self.render_process = self.render_process, None
        if not leaflets:
            if process is not None:
                process.close()
            return
        job = {
            "srcdir": str(self.srcdir),
            "roots": roots,
            "extra_css": extra,
            "workdir": self.tmp_dir,
            "print_dir": self.print_dir,
            "formats": [fmt.name for fmt in self.formats],
            "leaflets": leaflets,
        }
        clean, leftover = set(), leaflets
        if process is not None:
            from .parallel import render_leaflets

            clean, leftover = render_leaflets(process, job, language_of(self.config), self.workers)
        if leftover:  # no render process: here, one after the other
            from .press import run_jobs

            with counting_warnings() as warned:
                run_jobs(**{**job, "leaflets": leftover})
            if not warned:
                clean |= {context["docname"] for context, *_ in leftover}
        # Warnings are errors: a leaflet that warned is made again by the next build,
        # which shows them again.
        for docname in clean:
            stale, keys, files = made[docname]
            incremental.remember_formats(stale, keys, files, self.print_dir, docname, self.tmp_dir)

    @property
    def workers(self) -> int:
        """How many leaflets render at once: ``pamflet build -j`` (its render slots),
        else ``sphinx-build -j``, else one."""
        count, _folder = render_slots()
        return max(1, count or self._app.parallel or 1)


@contextmanager
def counting_warnings():
    """A list that gets one item for each warning logged inside the block."""
    import logging

    warned: list[str] = []

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warned.append(record.getMessage())

    handler = Count(logging.WARNING)
    target = logging.getLogger("sphinx")
    target.addHandler(handler)
    try:
        yield warned
    finally:
        target.removeHandler(handler)
