"""Managing labels and guidelines: the rules, one event per change, undo that restores exactly, verify after."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import audit
from annotator.core.errors import LabelError
from annotator.core.labels import RESERVED_KEYS, LabelChange, check_colour, check_shortcut
from annotator.core.model import label_key
from annotator.core.store import Store

NFC_CAFE = unicodedata.normalize("NFC", "café")
NFD_CAFE = unicodedata.normalize("NFD", "café")


def label_rows(store: Store) -> list[tuple]:
    return [(label.name, label.colour, label.shortcut, label.description, label.position) for label in store.labels()]


# ------------------------------------------------------------------ the rules


@pytest.mark.parametrize("name", ["claim\u0000", "cla\u200bim", "a\nb", "a\tb", "\u202eclaim", "", "   "])
def test_a_name_with_hidden_characters_or_none_is_refused(store: Store, name: str) -> None:
    with pytest.raises(LabelError):
        store.create_label(name, "#CC79A7", actor="ana")
    with pytest.raises(LabelError):
        store.edit_label("claim", new_name=name, actor="ana")
    assert [label.name for label in store.labels()] == ["claim", "denial", "background"]
    assert store.event_count() == 0


@pytest.mark.parametrize("name", ["CLAIM", " Claim ", "cLaIm"])
def test_names_are_one_label_however_cased(store: Store, name: str) -> None:
    with pytest.raises(LabelError, match="'claim' exists already"):
        store.create_label(name, "#CC79A7", actor="ana")
    with pytest.raises(LabelError, match="'claim' exists already"):
        store.edit_label("denial", new_name=name, actor="ana")


def test_names_are_one_label_after_nfc(store: Store) -> None:
    assert NFC_CAFE != NFD_CAFE and label_key(NFC_CAFE) == label_key(NFD_CAFE.upper())
    store.create_label(NFC_CAFE, "#CC79A7", actor="ana")
    with pytest.raises(LabelError, match="exists already"):
        store.create_label(NFD_CAFE.upper(), "#D55E00", actor="ana")
    assert store.label(NFD_CAFE).name == NFC_CAFE


def test_a_label_may_change_the_case_of_its_own_name(store: Store) -> None:
    store.edit_label("claim", new_name="Claim", actor="ana")
    assert store.labels()[0].name == "Claim"


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#GGGGGG", "E69F00", "", None, 12])
def test_colours_are_six_hex_digits(store: Store, colour: object) -> None:
    with pytest.raises(LabelError, match="#RRGGBB"):
        store.create_label("quote", colour, actor="ana")  # type: ignore[arg-type]
    if colour is not None:   # None: leave the colour as it is
        with pytest.raises(LabelError, match="#RRGGBB"):
            store.edit_label("claim", colour=colour, actor="ana")  # type: ignore[arg-type]


def test_colours_are_stored_upper_case() -> None:
    assert check_colour(" #cc79a7 ") == "#CC79A7"


@pytest.mark.parametrize("key", sorted(RESERVED_KEYS) + [k.lower() for k in RESERVED_KEYS if k.isalpha()])
def test_the_workspace_keys_are_refused(store: Store, key: str) -> None:
    with pytest.raises(LabelError, match="taken by the workspace"):
        store.create_label("quote", "#CC79A7", key, actor="ana")
    with pytest.raises(LabelError, match="taken by the workspace"):
        store.edit_label("claim", shortcut=key, actor="ana")


@pytest.mark.parametrize("key", ["12", "F2", " \t", "\u0007", "Ctrl+1"])
def test_a_key_is_one_visible_character(key: str) -> None:
    if not key.strip():
        assert check_shortcut(key) == ""   # blank: no key
        return
    with pytest.raises(LabelError):
        check_shortcut(key)


def test_keys_are_unique_among_labels_ignoring_case(store: Store) -> None:
    store.create_label("quote", "#CC79A7", "q", actor="ana")
    assert store.label("quote").shortcut == "Q"
    with pytest.raises(LabelError, match="the key '2' is taken by the label 'denial'"):
        store.edit_label("claim", shortcut="2", actor="ana")
    with pytest.raises(LabelError, match="taken by the label 'quote'"):
        store.create_label("rumour", "#D55E00", "Q", actor="ana")
    store.edit_label("claim", shortcut="", actor="ana")
    store.edit_label("denial", shortcut="1", actor="ana")
    assert [label.shortcut for label in store.labels()] == ["", "1", "3", "Q"]


def test_description_keeps_lines_and_refuses_controls(store: Store) -> None:
    store.edit_label("claim", description="  Tag the assertion,\r\nnot the attribution.\n", actor="ana")
    assert store.label("claim").description == "Tag the assertion,\nnot the attribution."
    with pytest.raises(LabelError, match="U\\+001B"):
        store.edit_label("claim", description="\x1b[2J", actor="ana")


# ------------------------------------------------------------------ operations


def test_each_change_is_one_event_naming_what_changed(store: Store) -> None:
    store.create_label("quote", "#CC79A7", "4", "Words in quotation marks.", actor="ana")
    store.edit_label("quote", new_name="citation", colour="#D55E00", actor="bo")
    store.edit_label("citation", colour="#D55E00", actor="bo")   # no change: no event
    store.delete_label("citation", actor="cy")
    events = list(store.events(entity="label"))
    assert [(e.action, e.entity_uid, e.actor) for e in events] == [
        ("create", "quote", "ana"), ("edit", "quote", "bo"), ("delete", "citation", "cy")]
    assert events[0].after == {"name": "quote", "colour": "#CC79A7", "shortcut": "4",
                               "description": "Words in quotation marks.", "position": 3}
    assert (events[1].before, events[1].after) == ({"name": "quote", "colour": "#CC79A7"},
                                                   {"name": "citation", "colour": "#D55E00"})
    assert events[2].after is None and events[2].before["name"] == "citation"
    assert audit.verify(store).ok


def test_renaming_keeps_every_span_and_verify_follows_it(store: Store, article: int) -> None:
    a = store.add_annotation(article, 0, 7, "claim", annotator="ana")
    b = store.add_annotation(article, 8, 14, "claim", annotator="bo")
    events = store.event_count()
    change = store.edit_label("claim", new_name="assertion", actor="ana")
    assert {store.annotation(a.uid).label, store.annotation(b.uid).label} == {"assertion"}
    assert store.event_count() == events + 1   # one rename, no event per span
    assert audit.verify(store).ok
    # A span tagged after the rename, a rename back, and another rename: still in step.
    c = store.add_annotation(article, 17, 26, "assertion", annotator="ana")
    store.apply_label_change(change.inverse(), actor="ana")
    store.edit_label("claim", new_name="Behauptung", actor="ana")
    assert {store.annotation(u).label for u in (a.uid, b.uid, c.uid)} == {"Behauptung"}
    assert audit.verify(store).ok


def test_verify_still_sees_a_span_relabelled_outside_annotator_after_renames(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        article, _ = store.add_article("Kremlin denied the report.", title="t", actor="ana")
        span = store.add_annotation(article.id, 0, 7, "claim", annotator="ana")
        store.edit_label("claim", new_name="assertion", actor="ana")
        store.edit_label("denial", new_name="claim", actor="ana")   # the old name, now another label's
    conn = sqlite3.connect(path)
    conn.execute("UPDATE annotations SET label_id = (SELECT id FROM labels WHERE name = 'claim')")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        report = audit.verify(store)
        assert not report.ok
        assert f"annotation {span.uid}: label is 'claim', the log says 'assertion'" in report.summary()


def test_a_label_in_use_cannot_be_deleted(store: Store, article: int) -> None:
    store.add_annotation(article, 0, 7, "claim", annotator="ana")
    events = store.event_count()
    with pytest.raises(LabelError, match="used by 1 span"):
        store.delete_label("claim", actor="ana")
    assert store.has_label("claim") and store.event_count() == events


def test_undo_and_redo_restore_exactly(store: Store, article: int) -> None:
    store.add_annotation(article, 0, 7, "background", annotator="ana")
    start = label_rows(store)
    changes = [
        store.create_label("quote", "#CC79A7", "4", "Quoted words.", actor="ana"),
        store.edit_label("background", new_name="context", colour="#999999", shortcut="5",
                         description="Not a claim.", actor="ana"),
        store.delete_label("denial", actor="ana"),
        store.set_guidelines("# Our rules\n\nTag **whole** clauses.", actor="ana"),
    ]
    end = label_rows(store)
    assert store.guidelines() == "# Our rules\n\nTag **whole** clauses."
    for change in reversed(changes):
        store.apply_label_change(change.inverse(), actor="ana")
    assert label_rows(store) == start and store.guidelines() == ""
    assert store.annotations_for(article)[0].label == "background"
    assert audit.verify(store).ok
    for change in changes:
        store.apply_label_change(change, actor="ana", action="redo")
    assert label_rows(store) == end and store.guidelines().startswith("# Our rules")
    assert store.annotations_for(article)[0].label == "context"
    assert audit.verify(store).ok


def test_guidelines_are_a_setting_with_its_events(store: Store) -> None:
    change = store.set_guidelines("Tag claims, not opinions.\n\n- one\n- two", actor="ana")
    assert change == LabelChange(guidelines=("", "Tag claims, not opinions.\n\n- one\n- two"))
    assert store.set_guidelines("Tag claims, not opinions.\n\n- one\n- two  ", actor="ana").empty
    store.set_guidelines("", actor="bo")
    assert [(e.action, e.entity_uid, e.before, e.after) for e in store.events(entity="setting")] == [
        ("set", "guidelines", None, {"value": "Tag claims, not opinions.\n\n- one\n- two"}),
        ("set", "guidelines", {"value": "Tag claims, not opinions.\n\n- one\n- two"}, None)]
    assert audit.verify(store).ok


def test_verify_sees_guidelines_changed_outside_annotator(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        store.set_guidelines("Tag claims.", actor="ana")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE settings SET value = 'Tag anything.' WHERE key = 'guidelines'")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert "setting guidelines: value is 'Tag anything.'" in audit.verify(store).summary()


_OPS = st.lists(st.tuples(st.sampled_from(["add", "rename", "recolour", "rekey", "describe", "delete"]),
                          st.integers(0, 5), st.sampled_from(["quote", "Quote", "rumour", "claim", "x", "Ünïcode"]),
                          st.sampled_from(["4", "5", "1", "E", "", "q"])), max_size=12)


def _change(store: Store, op: str, which: int, name: str, key: str) -> LabelChange:
    labels = store.labels()
    target = labels[which % len(labels)].name
    if op == "add":
        return store.create_label(name, "#CC79A7", key, actor="ana")
    if op == "delete":
        return store.delete_label(target, actor="ana")
    edit = {"rename": {"new_name": name}, "recolour": {"colour": f"#{which:06d}"}, "rekey": {"shortcut": key},
            "describe": {"description": name * which}}[op]
    return store.edit_label(target, actor="ana", **edit)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_any_sequence_of_changes_undoes_to_the_start_and_verifies(ops: list[tuple[str, int, str, str]]) -> None:
    store = Store.memory()
    try:
        article, _ = store.add_article("Kremlin denied the report.", title="t", actor="ana")
        store.add_annotation(article.id, 0, 7, "claim", annotator="ana")
        start = label_rows(store)
        done: list[LabelChange] = []
        for op, which, name, key in ops:
            try:
                change = _change(store, op, which, name, key)
            except LabelError:
                continue
            done.append(change)
            assert audit.verify(store).ok
        for change in reversed(done):
            store.apply_label_change(change.inverse(), actor="ana")
        assert label_rows(store) == start
        assert store.annotations_for(article.id)[0].label == "claim"
        assert audit.verify(store).ok
    finally:
        store.close()
