"""Tag, relabel, resize, note, delete, undo and redo: driven by keys and clicks, checked in SQLite."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox

from annotator.core.importer import Importer
from annotator.core.store import Store
from annotator.gui.dialogs import NoteDialog
from annotator.gui.main_window import MainWindow

from .helpers import article_text, click_text, find, press, rows

DENIAL = "Kremlin denied a Bloomberg report claiming that President Recep Tayyip Erdogan raised the issue"


def _kremlin_pane(window: MainWindow):  # type: ignore[no-untyped-def]
    pane = next(p for p in window.panes.panes if p.article and p.article.origin == "000_2fd0f5c64ad6bf09.txt")
    window.panes.set_current(pane)
    return pane


def test_first_layout_has_the_report_and_the_denial(window: MainWindow) -> None:
    origins = [p.article.origin for p in window.panes.panes if p.article]
    assert origins == ["002_cad9066ba476337a.txt", "000_2fd0f5c64ad6bf09.txt"]


def test_select_and_press_2_tags_a_denial(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "Kremlin denied")
    press(qtbot, pane, Qt.Key.Key_2)
    [(start, end, label, text, annotator, note, _uid)] = rows(db_path)
    full = article_text(db_path, pane.article.id)
    assert (start, end, label, text, annotator) == (0, 14, "denial", "Kremlin denied", "ana")
    assert full[start:end] == text
    # the view shows it: the pane's index and the annotations dock have it
    assert pane.view.spans.count() == 1
    assert window.annotation_model.rowCount() == 1


def test_nested_spans_both_land_and_both_show(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, DENIAL)
    press(qtbot, pane, Qt.Key.Key_2)
    find(pane, "President Recep Tayyip Erdogan raised the issue")
    press(qtbot, pane, Qt.Key.Key_1)
    spans = rows(db_path)
    assert [(s[2], s[3]) for s in spans] == [("denial", DENIAL),
                                             ("claim", "President Recep Tayyip Erdogan raised the issue")]
    # both are drawn: the first block carries formats for the outer-only and the nested part
    block = pane.view.document().firstBlock()
    formats = block.layout().formats()
    assert len(formats) >= 2
    underline_styles = {f.format.underlineStyle() for f in formats}
    backgrounds = {f.format.background().color().name() for f in formats}
    assert len(backgrounds) == 2  # claim tint inside, denial tint outside
    styles = pane.view.styles
    assert underline_styles == {styles.get("denial").underline, styles.get("claim").underline}


def test_snap_to_words_and_trim(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "remlin deni")
    press(qtbot, pane, Qt.Key.Key_3)
    assert rows(db_path)[0][3] == "Kremlin denied"
    window.actions["snap_words"].setChecked(False)
    find(pane, " Bloomberg rep")
    press(qtbot, pane, Qt.Key.Key_1)
    assert [r[3] for r in rows(db_path)] == ["Kremlin denied", "Bloomberg rep"]


def test_whitespace_or_no_selection_does_nothing_and_says_why(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "denied a")
    cursor = pane.view.textCursor()
    cursor.setPosition(cursor.selectionStart() + 6)
    cursor.setPosition(cursor.position() + 1, cursor.MoveMode.KeepAnchor)  # the single space
    pane.view.setTextCursor(cursor)
    press(qtbot, pane, Qt.Key.Key_1)
    assert "only spaces" in window.statusBar().currentMessage()
    pane.view.clear_text_selection()
    press(qtbot, pane, Qt.Key.Key_1)
    assert "Select some text first" in window.statusBar().currentMessage()
    assert rows(db_path) == []


def test_typing_a_digit_in_the_search_box_does_not_tag(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "Kremlin")
    search = window.article_list.search
    search.setFocus()
    qtbot.keyClicks(search, "400")
    assert search.text() == "400"
    assert rows(db_path) == []
    assert window.article_list.model.rowCount() == 5  # every seed mentions the S-400


def test_click_relabel_resize_note_delete_with_undo_and_redo(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "Bloomberg report")
    press(qtbot, pane, Qt.Key.Key_1)
    [(_, _, label, text, _, _, uid)] = rows(db_path)
    assert (label, text) == ("claim", "Bloomberg report")
    pane.view.select_span(None)

    # click the span, press 3: relabelled
    click_text(qtbot, pane, "Bloomberg report", inside=3)
    assert pane.view.selected_uid == uid
    press(qtbot, pane, Qt.Key.Key_3)
    assert rows(db_path)[0][2] == "background"

    # select wider text, press S: resized to it
    find(pane, "a Bloomberg report claiming")
    press(qtbot, pane, Qt.Key.Key_S)
    assert rows(db_path)[0][:4] == (15, 42, "background", "a Bloomberg report claiming")

    # E opens the note dialog; type in it and save
    def fill_note() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NoteDialog)
        qtbot.keyClicks(dialog.editor, "check the original")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(0, fill_note)
    press(qtbot, pane, Qt.Key.Key_E)
    assert rows(db_path)[0][5] == "check the original"

    # Delete removes it; undo brings back the same uid with its note; redo removes it again
    press(qtbot, pane, Qt.Key.Key_Delete)
    assert rows(db_path) == []
    assert pane.view.spans.count() == 0
    qtbot.keyClick(pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(db_path) == [(15, 42, "background", "a Bloomberg report claiming", "ana", "check the original", uid)]
    assert pane.view.spans.get(uid) is not None
    qtbot.keyClick(pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert rows(db_path) == []

    # undo all the way back, one step at a time, checking each in the database
    undo = window.actions["undo"]
    undo.trigger()  # delete undone
    assert rows(db_path)[0][5] == "check the original"
    undo.trigger()  # note undone
    assert rows(db_path)[0][5] == ""
    undo.trigger()  # resize undone
    assert rows(db_path)[0][:4] == (17, 33, "background", "Bloomberg report")
    undo.trigger()  # relabel undone
    assert rows(db_path)[0][2] == "claim"
    undo.trigger()  # tag undone
    assert rows(db_path) == []
    window.actions["redo"].trigger()
    window.actions["redo"].trigger()
    assert rows(db_path) == [(17, 33, "background", "Bloomberg report", "ana", "", uid)]
    # and every one of those steps is in the audit log
    actions = [r[0] for r in rows(db_path, "SELECT action FROM events WHERE entity = 'annotation' ORDER BY id")]
    assert actions == ["create", "relabel", "resize", "note", "delete", "restore", "delete", "restore", "note",
                       "resize", "relabel", "delete", "restore", "relabel"]


def test_a_note_of_two_lines_reads_as_one_line_in_the_status_bar(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QA4-15: a note's line break showed as a literal \\n, which looks like a bug; it reads as ⏎ now."""
    with Store.open(db_path) as store:
        article = next(a for a in store.articles() if a.origin == "000_2fd0f5c64ad6bf09.txt")
        start = store.article_text(article.id).index("Bloomberg report")
        store.add_annotation(article.id, start, start + 16, "claim", annotator="ana",
                             note="Check Bloomberg original — source?\nline two")
    window = make_window(db_path)
    pane = _kremlin_pane(window)
    click_text(qtbot, pane, "Bloomberg report", inside=3)
    message = window.statusBar().currentMessage()
    assert "note: Check Bloomberg original — source? ⏎ line two — E note" in message and "\\" not in message


def test_cycle_between_overlapping_spans(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "Kremlin denied a Bloomberg report")
    press(qtbot, pane, Qt.Key.Key_2)
    find(pane, "Bloomberg")
    press(qtbot, pane, Qt.Key.Key_1)
    inner, outer = (next(r[6] for r in rows(db_path) if r[2] == name) for name in ("claim", "denial"))
    pane.view.select_span(None)
    click_text(qtbot, pane, "Bloomberg", inside=2)
    assert pane.view.selected_uid == inner  # innermost first
    click_text(qtbot, pane, "Bloomberg", inside=2)
    assert pane.view.selected_uid == inner  # clicking again keeps it: no silent switch
    press(qtbot, pane, Qt.Key.Key_C)
    assert pane.view.selected_uid == outer  # C steps to the next overlapping span
    click_text(qtbot, pane, "Bloomberg", inside=2, modifier=Qt.KeyboardModifier.AltModifier)
    assert pane.view.selected_uid == inner  # and so does Alt+click
    # the annotations dock follows the selection
    selected = window.annotations.table.selectionModel().selectedRows()
    assert [i.data() for i in selected] == ["claim"]


def test_astral_crlf_rtl_and_combining_text(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Flag 🇹🇷 and 😀 first.\r\nשלום עולם said e\u0301te\u0301 here.\r\n👩\u200d💻 coder wrote this."
    path = tmp_path / "tricky.jsonl"
    path.write_text(json.dumps({"title": "Tricky", "text": text}) + "\n", encoding="utf-8")
    db = tmp_path / "tricky.db"
    with Store.open(db) as store:
        Importer(store, actor="t").run([path])
    window = make_window(db)
    pane = window.panes.panes[0]
    stored = article_text(db, pane.article.id)
    assert "\r" not in stored
    for needle, key in (("first", Qt.Key.Key_1), ("עולם", Qt.Key.Key_2), ("e\u0301te\u0301", Qt.Key.Key_3),
                        ("coder", Qt.Key.Key_1)):
        find(pane, needle)
        press(qtbot, pane, key)
    got = {r[3]: (r[0], r[1]) for r in rows(db)}
    for needle in ("first", "עולם", "e\u0301te\u0301", "coder"):
        start = stored.index(needle)
        assert got[needle] == (start, start + len(needle)), needle
        assert stored[got[needle][0]:got[needle][1]] == needle


def test_shortcuts_come_from_the_labels_table(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(db_path) as store:
        store.add_label("opinion", "#CC79A7", "7", "A view, not a fact", actor="admin")
    window = make_window(db_path)
    pane = _kremlin_pane(window)
    find(pane, "Bloomberg")
    press(qtbot, pane, Qt.Key.Key_7)
    assert rows(db_path)[0][2:4] == ("opinion", "Bloomberg")
    assert "opinion  7" in [a.text() for a in window.label_bar.actions()]


def test_toolbar_and_context_menu_tag_too(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "Kremlin")
    next(a for a in window.label_bar.actions() if a.objectName() == "label_background").trigger()
    assert rows(db_path)[0][2:4] == ("background", "Kremlin")
    find(pane, "Bloomberg")
    window.tag_menu.actions()[1].trigger()  # Edit > Tag Selection As > denial
    assert [r[2] for r in rows(db_path)] == ["background", "denial"]


def test_annotations_dock_click_scrolls_to_the_span(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "Peskov told journalists")
    press(qtbot, pane, Qt.Key.Key_1)
    pane.view.select_span(None)
    pane.view.moveCursor(pane.view.textCursor().MoveOperation.Start)
    table = window.annotations.table
    rect = table.visualRect(table.model().index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.view.selected_uid == rows(db_path)[0][6]
    assert window.panes.current is pane


def test_label_filter_in_the_dock(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    for needle, key in (("Kremlin", Qt.Key.Key_1), ("Bloomberg", Qt.Key.Key_2), ("report", Qt.Key.Key_2)):
        find(pane, needle)
        press(qtbot, pane, key)
    dock = window.annotations
    box = next(b for b in dock.findChildren(QCheckBox) if b.text() == "denial")
    box.click()
    assert dock.model.rowCount() == 1
    assert dock.count.text() == "1 of 3"
    box.click()
    assert dock.model.rowCount() == 3


def test_tagging_the_same_span_twice_selects_it_instead(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "Dmitry Peskov")
    press(qtbot, pane, Qt.Key.Key_1)
    find(pane, "Dmitry Peskov")
    press(qtbot, pane, Qt.Key.Key_1)
    assert len(rows(db_path)) == 1
    assert "already tagged" in window.statusBar().currentMessage()
    assert pane.view.selected_uid == rows(db_path)[0][6]
    assert window.last_error == ""


def test_a_mouse_selection_shows_what_will_be_tagged(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Drag from inside "Kremlin" to inside "denied": on release the selection widens to whole
    # words on screen, so the user sees before pressing a key what will be tagged.
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor

    pane = _kremlin_pane(window)
    view = pane.view

    def point_at(offset: int) -> QPoint:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.positions.to_qt(offset))
        rect = view.cursorRect(cursor)
        return QPoint(rect.left() + 1, rect.center().y())

    def drag(start: int, end: int) -> None:
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(start))
        qtbot.mouseMove(view.viewport(), pos=point_at((start + end) // 2))
        qtbot.mouseMove(view.viewport(), pos=point_at(end))
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(end))
        QApplication.processEvents()

    drag(2, 11)  # "emlin den"
    assert view.selection() == (0, 14) and view.textCursor().selectedText() == "Kremlin denied"
    # Dragged backwards it widens the same, keeps its direction (Shift+arrows move the end the
    # mouse let go of) and leaves the view where it was.
    top = view.top_offset()
    view.clear_text_selection()  # (a press inside a selection starts dragging the text instead)
    drag(11, 2)
    cursor = view.textCursor()
    assert view.selection() == (0, 14) and cursor.anchor() > cursor.position()
    assert view.top_offset() == top
    press(qtbot, pane, Qt.Key.Key_1)
    assert [r[3] for r in rows(db_path)] == ["Kremlin denied"]
    # With snapping off the selection stays as dragged (and is tagged as shown).
    window.actions["snap_words"].setChecked(False)
    start = view.text.index("Bloomberg")
    drag(start + 2, start + 7)
    assert view.textCursor().selectedText() == "oombe"


def test_one_selected_span_in_the_whole_window(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    left, right = window.panes.panes[:2]
    for pane, needle in ((left, "Türkiye plans"), (right, "Kremlin denied")):
        window.panes.set_current(pane)
        find(pane, needle)
        press(qtbot, pane, Qt.Key.Key_1)
    # Tagging selects the new span; the first pane's selection went when the second was made.
    assert right.view.selected_uid is not None and left.view.selected_uid is None
    click_text(qtbot, left, "Türkiye plans", inside=2)
    assert left.view.selected_uid is not None and right.view.selected_uid is None
    # Del acts on the one that is selected, in the pane just clicked.
    press(qtbot, left, Qt.Key.Key_Delete)
    assert [r[3] for r in rows(db_path)] == ["Kremlin denied"]


def test_relabelling_a_reviewed_span_sends_it_back_to_pending_and_undo_restores_the_verdict(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    pane = _kremlin_pane(window)
    find(pane, "Bloomberg report")
    press(qtbot, pane, Qt.Key.Key_1)
    [(*_, uid)] = rows(db_path)
    window.session.store.set_status(uid, "accepted", actor="rita")  # a reviewer accepted it
    pane.view.select_span(None)
    click_text(qtbot, pane, "Bloomberg report", inside=3)
    press(qtbot, pane, Qt.Key.Key_2)

    def review() -> tuple:
        return rows(db_path, "SELECT l.name, n.status, n.reviewer FROM annotations n"
                             " JOIN labels l ON l.id = n.label_id")[0]

    assert review() == ("denial", "pending", None)
    assert "pending again" in window.statusBar().currentMessage()
    window.actions["undo"].trigger()
    assert review() == ("claim", "accepted", "rita")
    window.actions["redo"].trigger()
    assert review() == ("denial", "pending", None)


def test_punctuation_alone_is_not_tagged_while_snapping(qtbot, window, db_path) -> None:  # type: ignore[no-untyped-def]
    from .helpers import find, press, rows

    pane = window.panes.panes[1]
    find(pane, ',"')
    press(qtbot, pane, Qt.Key.Key_1)
    assert rows(db_path, "SELECT count(*) FROM annotations") == [(0,)]
    assert "no letter or digit" in window.statusBar().currentMessage()
    window.actions["snap_words"].setChecked(False)   # as selected, when the user asks for it
    find(pane, ',"')
    press(qtbot, pane, Qt.Key.Key_1)
    assert rows(db_path, "SELECT text FROM annotations") == [(',"',)]


def test_deleting_a_linked_span_and_undoing_brings_its_claim_links_back(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                       db_path: Path) -> None:
    pane = _kremlin_pane(window)
    find(pane, "Bloomberg report")
    press(qtbot, pane, Qt.Key.Key_1)
    [(_, _, _, _, _, _, uid)] = rows(db_path)
    window.session.store.create_claim_from_span(uid, actor="ana")   # the claims dock will do this
    links = "SELECT span_uid, role FROM links"
    assert rows(db_path, links) == [(uid, "states")]
    click_text(qtbot, pane, "Bloomberg report", inside=3)
    press(qtbot, pane, Qt.Key.Key_Delete)
    assert rows(db_path) == [] and rows(db_path, links) == []
    qtbot.keyClick(pane.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(db_path, links) == [(uid, "states")]
    window.actions["redo"].trigger()
    assert rows(db_path, links) == []
    actions = rows(db_path, "SELECT entity, action FROM events WHERE entity IN ('annotation', 'link') ORDER BY id")
    assert actions == [("annotation", "create"), ("link", "create"), ("link", "delete"), ("annotation", "delete"),
                       ("annotation", "restore"), ("link", "restore"), ("link", "delete"), ("annotation", "delete")]


def test_an_edit_that_changes_nothing_is_no_undo_step(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    find(pane, "Bloomberg report")
    press(qtbot, pane, Qt.Key.Key_1)
    events = rows(db_path, "SELECT count(*) FROM events")
    undo_text = window.actions["undo"].text()
    press(qtbot, pane, Qt.Key.Key_1)  # the span is selected: relabel it as what it is
    find(pane, "Bloomberg report")
    press(qtbot, pane, Qt.Key.Key_S)  # resize it to the extent it has
    assert rows(db_path, "SELECT count(*) FROM events") == events
    assert window.actions["undo"].text() == undo_text
    window.actions["undo"].trigger()  # so one undo takes the tag away
    assert rows(db_path) == []


def test_an_undo_the_database_refuses_drops_the_history(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = _kremlin_pane(window)
    for needle in ("Kremlin", "Bloomberg"):
        find(pane, needle)
        press(qtbot, pane, Qt.Key.Key_1)
    bloomberg = next(r[6] for r in rows(db_path) if r[3] == "Bloomberg")
    with Store.open(db_path) as other:  # meanwhile, another program deletes that span
        other.delete_annotation(bloomberg, actor="bo")
    window.actions["undo"].trigger()  # undoing its tag cannot work: it is gone already
    assert "Undo/redo failed" in window.last_error
    # The stack no longer matches the database: none of it is offered any more.
    qtbot.waitUntil(lambda: not window.actions["undo"].isEnabled() and not window.actions["redo"].isEnabled(),
                    timeout=2000)
    assert [r[3] for r in rows(db_path)] == ["Kremlin"]


def _click_gap(qtbot, pane, offset: int, dx: int) -> None:  # type: ignore[no-untyped-def]
    """Click ``dx`` pixels right (or left) of the gap before code point ``offset``."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor

    view = pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.positions.to_qt(offset))
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + dx, rect.center().y()))
    QApplication.processEvents()


def test_a_click_hits_the_character_under_the_pointer(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Qt gives the nearest gap between characters; the character under the pointer is the one
    # before that gap when the pointer is left of it. Each edge of a span, from both sides:
    pane = _kremlin_pane(window)
    find(pane, "Bloomberg")
    press(qtbot, pane, Qt.Key.Key_1)
    [(start, end, *_, uid)] = rows(db_path)
    view = pane.view
    view.select_span(None)
    _click_gap(qtbot, pane, end, dx=-2)  # the right half of the "g"
    assert view.selected_uid == uid
    _click_gap(qtbot, pane, end, dx=2)  # the space after it
    assert view.selected_uid is None
    _click_gap(qtbot, pane, start, dx=-2)  # the space before it
    assert view.selected_uid is None
    _click_gap(qtbot, pane, start, dx=2)  # the left half of the "B"
    assert view.selected_uid == uid
