"""The shape of the package: no import cycles, WeasyPrint only in pamflet/pdf and only
when rendering, every setting pamflet reads registered once."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, TEST_PROJECT
from pamflet.project import SETTINGS

PACKAGE = ROOT / "pamflet"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> pamflet modules it imports, anywhere in the file (imports inside
    functions count: they hide a cycle, they do not remove it)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = package[: len(package) - node.level + 1]
                    stem = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                targets = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                # `from . import x` inside a package names the package being set up.
                if target and target != name and not name.startswith(target + "."):
                    edges[name].add(target)
    return edges


def _reach(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every module ``start`` imports, directly or not."""
    seen, todo = set(), [start]
    while todo:
        for nxt in edges[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every set of modules that import each other (strongly connected components)."""
    reach = {module: _reach(edges, module) for module in edges}
    found: list[list[str]] = []
    for start in edges:
        if start in reach[start]:
            component = sorted(m for m in reach[start] if start in reach[m])
            if component not in found:
                found.append(component)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    edges = import_graph()
    assert len(edges) > 30  # the whole package was read
    assert "pamflet.project" in edges["pamflet.translate.guard"]
    assert cycles(edges) == []


def test_dependencies_point_one_way() -> None:
    """The base modules import no stage; no stage imports the command line."""
    edges = import_graph()
    for base in ("pamflet.errors", "pamflet.files", "pamflet.project", "pamflet.workers"):
        assert {t for t in edges[base] if t.startswith("pamflet")} == set(), base
    for name, targets in edges.items():
        if name != "pamflet.cli":
            assert not targets & {"pamflet.cli", "pamflet.watch"}, name
        if name not in ("pamflet.cli", "pamflet.watch"):  # the command modules
            assert "pamflet.build" not in targets, name


def test_weasyprint_is_imported_only_in_the_pdf_package() -> None:
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import) weasyprint", text, re.MULTILINE):
            assert path.relative_to(PACKAGE).parts[0] == "pdf", path


def test_an_html_build_does_not_import_weasyprint(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from sphinx.cmd.build import build_main\n"
        f"status = build_main(['-b', 'html', '-q', {str(TEST_PROJECT)!r}, {str(tmp_path)!r}])\n"
        "loaded = any(m.split('.')[0] == 'weasyprint' for m in sys.modules)\n"
        "print(loaded, 'pamflet.pdf.builder' in sys.modules, status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    # the extension (and its leaflet builder class) loaded, WeasyPrint did not
    assert result.stdout.split() == ["False", "True", "0"], result.stderr
    assert (tmp_path / "index.html").is_file()


def test_every_setting_pamflet_reads_is_registered() -> None:
    read = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"(?:config|settings(?:\(\))?)\.(pamflet_[a-z_]+)\b", text))
    assert read, "no settings found: the pattern is wrong"
    assert read <= set(SETTINGS), read - set(SETTINGS)
    assert {"pamflet_spelling_dictionaries", "pamflet_check_exempt_classes"} <= set(SETTINGS)
