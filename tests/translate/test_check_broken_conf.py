"""``pamflet check .`` in a translation repository whose conf.py cannot run (issue 25):
the Python documentation's translations import the documentation's own conf.py from a
submodule that is not checked out. One line says so, then the catalogs are checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CATALOG = """msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#: ../../library/math.rst:10
msgid "Take 0.5 mg."
msgstr "Prenez 5 mg."
"""


def test_a_conf_py_that_fails_to_import_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(
        'project = "Python"\n\nfrom cpython_doc.conf import *  # a submodule, not checked out\n',
        encoding="utf-8",
    )
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "math.po").write_text(CATALOG, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pamflet.cli", "check", "--skip", "spelling", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    first = result.stderr.splitlines()[0]
    assert first == (
        "conf.py:3: conf.py could not be run (ModuleNotFoundError: No module named "
        "'cpython_doc'); checking the catalogs with defaults"
    )
    assert "Traceback" not in result.stderr
    # and the catalogs are checked all the same
    assert result.stdout.startswith("library/math.po:7: error [numbers]"), result.stdout
    assert result.returncode == 1
