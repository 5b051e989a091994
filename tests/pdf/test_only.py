"""Issue 28, Sphinx's manners: ``only`` directives follow the leaflet builder's tags.

The leaflet builder writes HTML only on the way to a PDF. Sphinx tags a builder by
its format, so ``.. only:: html`` (a "download the PDF" note, an HTML-only embed)
was printed. The leaflet builder has the tags ``leaflet``, ``builder_leaflet``,
``pdf`` and ``format_pdf``, not ``html``; the website keeps ``html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import leaflet, normalise, pdf_text, run

PAGE = """\
Only
====

Text for every reader.

.. only:: html

   Website only: the interactive table.

.. only:: pdf

   Print only: the tear-off slip.

.. only:: leaflet and format_pdf

   Leaflet builder only.

.. only:: not html

   Not on the website.
"""


def test_only_directives_follow_the_builders_tags(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "conf.py").write_text('project = "Only"\nextensions = ["pamflet"]\n')
    (project / "index.rst").write_text(PAGE, encoding="utf-8")
    leaflet(project, tmp_path / "pdf", "-W")
    printed = normalise(pdf_text(tmp_path / "pdf" / "index.pdf"))
    assert "Text for every reader." in printed
    assert "Website only" not in printed
    assert "Print only: the tear-off slip." in printed
    assert "Leaflet builder only." in printed and "Not on the website." in printed
    run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(project), str(tmp_path / "h")])
    page = (tmp_path / "h" / "index.html").read_text(encoding="utf-8")
    assert "Website only" in page and "Print only" not in page and "Not on the website" not in page
