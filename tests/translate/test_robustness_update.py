"""Robustness (issue 9, point 4): translation updates lose nothing.

On a copy of the real project, the English source is changed the ways an editor
changes it, and ``pamflet update-po`` (as ``make update-po`` runs it) merges the
new templates into the real Dutch catalog. After every round, each translation
of the catalog before it is in one of three places: still attached to its msgid,
carried over as fuzzy to the changed msgid, or kept as an obsolete ``#~`` entry.
An obsolete entry keeps its fuzzy flag, comes back to life when its English text
returns, and never repeats an active msgid; every catalog stays clean for the
build guard, and a second run changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import copy_project, update_po
from pamflet.translate.guard import guard_findings
from pamflet.translate.po import Entry, parse_po

pytestmark = pytest.mark.skipif(
    shutil.which("msgcat") is None, reason="update-po wraps with GNU msgcat (Debian: gettext)"
)

LEAFLET = "ptsd-psychedelic-therapy"

REWORDED = (
    "Good preparation has a big effect on how safe and useful the session will be.",
    "Good preparation has a large effect on how safe and useful the session will be.",
)
SPLIT = (
    "The therapist stays with you the whole time, but does not steer your experience. "
    "The focus is on what you go through yourself."
)
MERGED = (
    "This may be more than a by-product. It could be part of how the therapy works.",
    "Still, it shows that people have looked for a long time for ways to link suffering, "
    "insight and healing.",
)
DELETED_TITLE = "Were these substances used in the past?"
ADDED = """
Travelling with your medicines
------------------------------

Ask your doctor before you travel. Some countries have strict rules.

Keep your papers with you.
"""


def entries(po: Path) -> list[Entry]:
    found, findings = parse_po(po)
    errors = [str(f) for f in findings + guard_findings(po, found) if f.severity == "error"]
    assert not errors, errors  # the build guard and `pamflet check` accept the catalog
    return [e for e in found if e.msgid]


def translations(items: list[Entry]) -> list[Entry]:
    return [e for e in items if any(e.msgstr.values())]


def assert_nothing_lost(before: list[Entry], after: list[Entry]) -> dict[str, int]:
    """Every translation of ``before`` is still in ``after``; returns where each went."""
    active = {(e.msgctxt, e.msgid): e for e in after if not e.obsolete}
    obsolete = {(e.msgctxt, e.msgid): e for e in after if e.obsolete}
    carried = {e.string for e in after if not e.obsolete and e.fuzzy}
    assert not set(active) & set(obsolete), "an obsolete entry repeats an active one"
    where = {"kept": 0, "fuzzy": 0, "obsolete": 0}
    for old in translations(before):
        key = (old.msgctxt, old.msgid)
        if key in active and active[key].msgstr == old.msgstr:
            # still attached; a reviewed translation stays reviewed
            assert active[key].fuzzy == old.fuzzy or old.obsolete, old.msgid
            where["kept"] += 1
        elif key in obsolete and obsolete[key].msgstr == old.msgstr:
            assert obsolete[key].fuzzy == old.fuzzy, old.msgid  # fuzzy stays fuzzy
            where["obsolete"] += 1
        else:
            assert old.string in carried, f"translation lost: {old.msgid!r} -> {old.string!r}"
            where["fuzzy"] += 1
    return where


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def find(items: list[Entry], msgid: str) -> Entry:
    return next(e for e in items if e.msgid == msgid)


@pytest.mark.slow
def test_editing_the_english_loses_no_translation(tmp_path: Path) -> None:
    copy = copy_project(tmp_path)
    rst = copy / "source" / f"{LEAFLET}.rst"
    po = copy / "locales" / "nl" / "LC_MESSAGES" / f"{LEAFLET}.po"
    original = entries(po)
    assert len(translations(original)) > 100

    # Round 1: reword a sentence, split a paragraph, merge two, delete a section, add one.
    edit(rst, REWORDED[0], REWORDED[1])
    first, second = SPLIT.split(". ", 1)
    edit(rst, SPLIT, f"{first}.\n\n{second}")
    edit(rst, f"\n\n{MERGED[0]}", f" {MERGED[0]}")
    start = rst.read_text(encoding="utf-8").index(DELETED_TITLE)
    end = rst.read_text(encoding="utf-8").index("What else matters for recovery?")
    section = rst.read_text(encoding="utf-8")[start:end]
    edit(rst, section, "")
    following = "What else matters for recovery?\n"
    edit(rst, following, ADDED.lstrip() + "\n" + following)
    edited = rst.read_text(encoding="utf-8")
    assert "updated" in update_po(copy, "nl")
    round1 = entries(po)
    where = assert_nothing_lost(original, round1)
    assert where["fuzzy"] >= 3 and where["obsolete"] >= 4, where
    reworded = find(round1, REWORDED[1])
    assert reworded.fuzzy and reworded.string == find(original, REWORDED[0]).string
    deleted = find(round1, DELETED_TITLE)
    assert deleted.obsolete and deleted.string == find(original, DELETED_TITLE).string
    assert not find(round1, "Keep your papers with you.").msgstr.get(0)  # new: untranslated
    text = po.read_bytes()
    assert "unchanged" in update_po(copy, "nl", templates=False)  # a second run changes nothing
    assert po.read_bytes() == text

    # Round 2: the reworded sentence goes again: its fuzzy translation becomes obsolete
    # and stays fuzzy (it was never reviewed for any English text).
    edit(rst, REWORDED[1] + "\n", "")
    update_po(copy, "nl")
    round2 = entries(po)
    assert_nothing_lost(round1, round2)
    gone = find(round2, REWORDED[1])
    assert gone.obsolete and gone.fuzzy
    assert "#, fuzzy\n#~ msgid" in po.read_text(encoding="utf-8")

    # Round 3: the deleted section and the reworded sentence come back: their obsolete
    # entries come back to life as they were; none is left behind as a duplicate.
    rst.write_text(edited.replace(ADDED.lstrip(), ADDED.lstrip() + "\n" + section), "utf-8")
    update_po(copy, "nl")
    round3 = entries(po)
    assert_nothing_lost(round2, round3)
    for title in (DELETED_TITLE, REWORDED[1]):
        assert [e.obsolete for e in round3 if e.msgid == title] == [False]
    assert not find(round3, DELETED_TITLE).fuzzy  # reviewed before, reviewed again
    assert find(round3, REWORDED[1]).fuzzy  # unreviewed before, unreviewed again
    for old in translations(original):
        if old.msgid in section:
            new = find(round3, old.msgid)
            assert (new.msgstr, new.fuzzy, new.obsolete) == (old.msgstr, False, False)
    text = po.read_bytes()
    assert "unchanged" in update_po(copy, "nl", templates=False) and po.read_bytes() == text
