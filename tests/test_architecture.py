"""The shape of the package: no import cycles, WeasyPrint only in pamflet/pdf and only
when rendering, every setting pamflet reads registered once."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, TEST_PROJECT
from pamflet.settings import SETTINGS

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


BASE = {
    "pamflet.errors",
    "pamflet.files",
    "pamflet.layout",
    "pamflet.languages",
    "pamflet.project",
    "pamflet.settings",
    "pamflet.workers",
}


#: Beside ``build.py``, what runs Sphinx builds: the proof watcher (it keeps one running).
RUNNERS = {"pamflet.build", "pamflet.watch"}


def _command_module(name: str) -> bool:
    return name == "pamflet.cli" or name.startswith("pamflet.commands")


#: The most lines a module of pamflet/ may have: past it, a module holds more than one room.
MODULE_LINES = 450


def test_no_module_is_over_the_size_limit() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50
    sizes = {p.relative_to(ROOT): len(p.read_text(encoding="utf-8").splitlines()) for p in modules}
    assert {path: n for path, n in sizes.items() if n > MODULE_LINES} == {}


def test_dependencies_point_one_way() -> None:
    """The base modules import only base modules; no stage imports the command line;
    only the command line starts builds (``build.py``, ``watch.py``)."""
    edges = import_graph()
    assert BASE <= set(edges)
    for base in BASE:
        assert {t for t in edges[base] if t.startswith("pamflet")} <= BASE, base
    for name, targets in edges.items():
        if not _command_module(name):
            assert not {t for t in targets if _command_module(t)}, name
            if name not in RUNNERS:
                assert not targets & RUNNERS, name


def test_argument_parsing_lives_in_the_command_modules() -> None:
    """The stages hold no argparse: ``pamflet/commands/`` parses the command line."""
    users = {
        _module(path)
        for path in PACKAGE.rglob("*.py")
        if re.search(r"^\s*(import|from) argparse", path.read_text(encoding="utf-8"), re.M)
    }
    assert users, "no module imports argparse: the pattern is wrong"
    assert {name for name in users if not _command_module(name)} == set()


def test_weasyprint_is_imported_only_in_the_pdf_package() -> None:
    """In pdf/, and in patches/ (what pamflet changes in it), inside functions there."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import) weasyprint", text, re.MULTILINE):
            found.append(path)
            assert path.relative_to(PACKAGE).parts[0] in ("pdf", "patches"), path
            if path.parent.name == "patches":
                assert not re.search(r"^(from|import) weasyprint", text, re.M), path
    assert found, "no module imports WeasyPrint: the pattern is wrong"


#: The libraries whose names only pamflet/patches/ may change or read privately.
LIBRARIES = {"sphinx", "docutils", "weasyprint", "pydyf", "ctypes", "gettext"}
#: Private names of the standard library's own types that are their public API.
STDLIB_PRIVATE = {"_exit", "_replace", "_asdict", "_fields", "_make", "_getframe"}


def _library_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> the library it was imported from, for every import in a module."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in LIBRARIES:
                    names[(alias.asname or alias.name).split(".")[0]] = root
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            root = node.module.split(".")[0]
            if root in LIBRARIES:
                for alias in node.names:
                    names[alias.asname or alias.name] = root
    return names


def _root(node: ast.AST) -> ast.AST:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node


def library_changes(path: Path) -> list[str]:
    """Assignments (and deletions, setattr) to a name inside one of :data:`LIBRARIES`,
    and private names of them read, in one module: ``line: what``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    libraries = _library_names(tree)
    found = []

    def of_library(target: ast.AST) -> bool:
        root = _root(target)
        return (
            isinstance(target, (ast.Attribute, ast.Subscript))
            and isinstance(root, ast.Name)
            and root.id in libraries
        )

    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("setattr", "delattr")
            and node.args
        ):
            if isinstance(node.args[0], ast.Name) and node.args[0].id in libraries:
                found.append(f"{node.lineno}: {node.func.id}({node.args[0].id}, ...)")
        for target in targets:
            for each in target.elts if isinstance(target, ast.Tuple) else [target]:
                if of_library(each):
                    found.append(f"{node.lineno}: assigns {ast.unparse(each)}")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            private = not node.attr.startswith("__") and node.attr not in STDLIB_PRIVATE
            if private and isinstance(_root(node), ast.Name) and _root(node).id in libraries:
                found.append(f"{node.lineno}: reads {ast.unparse(node)}")
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            parts = node.module.split(".")
            if parts[0] in LIBRARIES and any(p.startswith("_") for p in parts[1:]):
                found.append(f"{node.lineno}: imports the private module {node.module}")
    return found


def _own_private_names() -> set[str]:
    """Every ``_name`` pamflet defines: functions, classes, attributes set on ``self``
    or ``cls``, module globals, parameters."""
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                    names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if name.startswith("_")}


def test_only_the_patches_change_or_read_the_inside_of_our_libraries() -> None:
    """Outside pamflet/patches/, no module assigns to a name of Sphinx, docutils,
    WeasyPrint, pydyf, ctypes or gettext, reads a private name of theirs, or reads a
    private attribute that pamflet does not define itself (``page._page_box``)."""
    own = _own_private_names()
    problems = []
    checked = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] == "patches":
            continue
        checked += 1
        problems += [f"{path.relative_to(ROOT)}:{p}" for p in library_changes(path)]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr not in own | STDLIB_PRIVATE
            ):
                problems.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert checked > 40
    assert problems == []


def test_the_patch_finder_finds_changes(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "import pydyf\n"
        "from weasyprint.layout import inline\n"
        "from docutils.parsers.rst import roles\n"
        "from sphinx._cli.util.colour import darkgreen\n"
        "import weasyprint.draw as draw\n"
        "pydyf.zlib = None\n"
        "inline.split_first_line = len\n"
        "draw.SVGImage, x = None, 1\n"
        "setattr(pydyf, 'PDF', None)\n"
        "roles._roles.clear()\n"
        "local = {}\n"
        "local['a'] = 1\n",
        encoding="utf-8",
    )
    assert [line.split(":")[0] for line in library_changes(module)] == [
        "4",
        "6",
        "7",
        "8",
        "9",
        "10",
    ]


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


def _readme_modules() -> set[str]:
    """The paths the README's module table names (first column, in backquotes)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| module | what it holds |") :]
    table = table[: table.index("\n\n")]
    named: set[str] = set()
    for row in table.splitlines()[2:]:
        first = row.split("|")[1]
        named |= set(re.findall(r"`([^`]+)`", first))
    return named


def test_the_readme_module_table_matches_the_tree() -> None:
    """Every module and package of pamflet/ is in the README's table (a package by its
    folder or by each module), and every path the table names exists."""
    named = _readme_modules()
    assert len(named) > 25, "the table was not found: the pattern is wrong"
    for path in named:
        assert (PACKAGE / path.rstrip("/")).exists(), f"README names {path}, not in the tree"
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        folders = {"/".join(relative.parts[:i]) + "/" for i in range(1, len(relative.parts))}
        if folders & named:
            continue
        if path.name == "__init__.py" and len(relative.parts) > 1:  # its package's entries
            folder = "/".join(relative.parts[:-1]) + "/"
            assert any(name.startswith(folder) for name in named), f"{folder} not in the README"
            continue
        assert str(relative) in named or folders & named, f"{relative} is not in the README"
