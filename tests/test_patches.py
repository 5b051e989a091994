"""pamflet/patches/: every name a patch relies on exists as it expects (the contract),
patches install only for as long as they are used, step aside on a version they were
not verified on, and ``PAMFLET_PATCHES=0`` leaves the libraries as they are."""

from __future__ import annotations

import sys

import pytest

from conftest import run
from pamflet.patches import (
    Contract,
    Patch,
    PatchError,
    broken_contract,
    registry,
    replacing,
    resolve,
)

PATCHES = registry()

pytestmark = pytest.mark.patches  # asserts on the patches themselves


def test_the_registry_holds_every_patch_with_what_why_and_versions() -> None:
    names = [patch.name for patch in PATCHES]
    assert len(names) == len(set(names)) >= 14
    for patch in PATCHES:
        assert patch.name.split(".")[0] == patch.library, patch.name
        assert patch.replaces and patch.verified and patch.purpose, patch.name
        assert len(patch.why) > 80, patch.name  # says why, with what it gains
        assert patch.kind in ("patch", "internal"), patch.name
        assert patch.contract, f"{patch.name}: no contract"
    assert {p.library for p in PATCHES} == {"weasyprint", "pydyf", "sphinx", "docutils"}


@pytest.mark.parametrize(
    "patch_name,contract",
    [(patch.name, contract) for patch in PATCHES for contract in patch.contract],
    ids=lambda value: value if isinstance(value, str) else value.target,
)
def test_the_contract_holds_for_the_installed_libraries(patch_name, contract) -> None:
    """A new release of Sphinx, docutils, WeasyPrint or pydyf that renames or changes a
    name a patch relies on fails here, not in a user's PDF."""
    assert broken_contract(contract) is None


def test_a_broken_contract_is_found() -> None:
    assert broken_contract(Contract("pydyf.no_such_name")).endswith(
        "not found (module 'pydyf' has no attribute 'no_such_name')"
    )
    assert "signature (item)" in broken_contract(Contract("pydyf._to_bytes", "(item, other)"))
    assert "no attribute _nothing" in broken_contract(
        Contract("weasyprint.pdf.stream.Stream.__init__", attributes=("_ctm_stack", "_nothing"))
    )


@pytest.mark.parametrize("patch", [p for p in PATCHES if p.do is not None], ids=lambda p: p.name)
def test_a_patch_changes_names_only_while_it_is_installed(patch: Patch) -> None:
    targets = {
        "weasyprint.fast-import": ["ctypes.util.find_library"],
        "weasyprint.fillers-in-one-layout": ["weasyprint.layout.make_all_pages"],
        "weasyprint.line-breaks": [
            "weasyprint.layout.inline.split_first_line",
            "weasyprint.layout.preferred.split_first_line",
        ],
        "weasyprint.image-names": ["weasyprint.document.original_get_image_from_uri"],
        "weasyprint.lang-tags": ["weasyprint.pdf.tags._build_box_tree"],
        "pydyf.deflate-once": ["pydyf.zlib"],
        "pydyf.page-references": ["pydyf.PDF.page_references"],
        "pydyf.to-bytes": ["pydyf._to_bytes"],
        "sphinx.parsed-messages": ["sphinx.transforms.i18n._publish_msgstr"],
    }[patch.name]

    def current() -> list[object]:
        owners = [resolve(t.rsplit(".", 1)[0]) for t in targets]
        return [vars(o)[t.rsplit(".", 1)[1]] for o, t in zip(owners, targets, strict=True)]

    before = current()
    assert not patch.installed
    with patch.applied() as installed:
        assert installed
        with patch.applied():  # nested uses are counted
            pass
        assert patch.installed
        during = current()
        assert all(a is not b for a, b in zip(before, during, strict=True))
    assert not patch.installed
    assert all(a is b for a, b in zip(before, current(), strict=True))


def test_nothing_is_patched_when_pamflet_is_imported_or_after_a_render(tmp_path) -> None:
    script = """
import ctypes.util, pydyf
from weasyprint.layout import inline
import weasyprint.layout as layout
own = (ctypes.util.find_library, pydyf._to_bytes, pydyf.zlib, inline.split_first_line,
       layout.make_all_pages, pydyf.PDF.__dict__["page_references"])
import pamflet, pamflet.pdf.renderer, pamflet.pdf.press, pamflet.pdf.imprint, pamflet.watch
from pathlib import Path
from pamflet.pdf.formats import FORMATS
from pamflet.pdf.renderer import Renderer
renderer = Renderer([Path.cwd()])
fmt = FORMATS["a5"]
doc = renderer.render("<p>Tekst</p>", Path.cwd() / "x.html", fmt, "test")
assert renderer.pdf_bytes(doc, fmt).startswith(b"%PDF")
after = (ctypes.util.find_library, pydyf._to_bytes, pydyf.zlib, inline.split_first_line,
         layout.make_all_pages, pydyf.PDF.__dict__["page_references"])
print(all(a is b for a, b in zip(own, after)))
"""
    result = run([sys.executable, "-c", script], cwd=tmp_path)
    assert result.stdout.split() == ["True"], result.stderr


def _toy(**kwargs) -> Patch:
    import types

    module = types.SimpleNamespace(value="own")
    defaults = dict(
        name="weasyprint.toy",
        replaces=("toy.value",),
        why="for the test",
        verified=("70.0",),
        purpose="the toy",
        do=lambda: replacing((module, "value", "patched")),
    )
    patch = Patch(**{**defaults, **kwargs})
    patch.module = module  # type: ignore[attr-defined]
    return patch


def test_on_a_version_it_was_not_verified_on_a_patch_steps_aside_with_one_line(capsys) -> None:
    from pamflet import patches

    patch = _toy(verified=("0.0",), purpose="the toy reuse")
    patches._announced.discard(("weasyprint", "the toy reuse"))
    assert not patch.install()
    assert patch.module.value == "own"
    assert not patch.install()  # a second time: no second line
    err = capsys.readouterr().err
    assert err == (
        f"pamflet: WeasyPrint {patch.version} not verified for the toy reuse; "
        "building without it\n"
    )
    assert _toy().install()  # verified: it installs


def test_pamflet_patches_switches_patches_off_but_not_internals(monkeypatch) -> None:
    monkeypatch.setenv("PAMFLET_PATCHES", "0")
    patch = _toy()
    assert not patch.install() and patch.module.value == "own"
    assert all(not p.usable() for p in PATCHES if p.kind == "patch")
    assert all(p.usable() for p in PATCHES if p.kind == "internal")
    monkeypatch.setenv("PAMFLET_PATCHES", "-weasyprint.toy")
    assert not _toy().install()
    assert _toy(name="weasyprint.other").install()


def test_an_internal_that_is_gone_fails_loudly() -> None:
    internal = _toy(kind="internal", do=None, verified=("70.0",))
    with pytest.raises(PatchError, match=r"WeasyPrint .* has no Page\._gone, which pamflet"):
        internal.require(None, "Page._gone")
    assert internal.require([], "Page._list") == []
