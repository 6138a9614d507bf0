"""Edit > Labels… and View > Guidelines, driven by keys and clicks, checked in SQLite; Ctrl+Z undoes each change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from annotator.core import audit
from annotator.core.labels import RESERVED_KEYS
from annotator.core.store import Store
from annotator.gui.actions import SPECS
from annotator.gui.labels_dialog import LabelsDialog
from annotator.gui.main_window import MainWindow

from .helpers import find, press, rows

LABELS = "SELECT name, colour, shortcut, description FROM labels ORDER BY position, id"


def kremlin_pane(window: MainWindow):  # type: ignore[no-untyped-def]
    pane = next(p for p in window.panes.panes if p.article and p.article.origin == "000_2fd0f5c64ad6bf09.txt")
    window.panes.set_current(pane)
    return pane


def open_dialog(qtbot, window: MainWindow) -> LabelsDialog:  # type: ignore[no-untyped-def]
    window.actions["edit_labels"].trigger()
    dialog = window.label_ops.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def retype(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select all and type ``text``, a line break as Return (QTest types ASCII characters only)."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.keyClicks(field, line)


def verified(db: Path) -> bool:
    with Store.open(db) as store:
        return audit.verify(store).ok


def test_the_workspace_keys_labels_cannot_take_are_the_ones_the_actions_use() -> None:
    single = {key.upper() for s in SPECS for key in s.shortcuts if len(key) == 1}
    assert single <= RESERVED_KEYS, sorted(single - RESERVED_KEYS)
    assert not any(k.isdigit() for k in RESERVED_KEYS)   # the digits are the labels'


def test_rename_rekey_and_describe_then_undo_and_redo(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = kremlin_pane(window)
    find(pane, "Kremlin denied")
    press(qtbot, pane, Qt.Key.Key_1)
    before = rows(db_path, LABELS)
    dialog = open_dialog(qtbot, window)
    assert dialog.list.currentItem().text().startswith("claim") and dialog.use.text() == "Used by 1 span."
    assert not dialog.delete_button.isEnabled()
    retype(qtbot, dialog.name, "assertion")
    retype(qtbot, dialog.key, "7")
    retype(qtbot, dialog.description, "Checkable.\nThe whole clause.")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)   # Save is the default button
    assert rows(db_path, LABELS)[0] == ("assertion", "#E69F00", "7", "Checkable.\nThe whole clause.")
    assert [r[2] for r in rows(db_path)] == ["assertion"]   # the span keeps its label, renamed
    # The window follows: the label bar, its tooltip (the guideline), the key in the panes.
    action = window.label_bar.findChild(type(window.actions["undo"]), "label_assertion")
    assert action is not None and "Checkable.<br>The whole clause." in action.toolTip()
    assert window.session.undo_stack.undoText() == "Label claim: rename to assertion, re-key, describe"
    # Ctrl+Z in the dialog undoes the change; Ctrl+Shift+Z does it again.
    qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(db_path, LABELS) == before and dialog.name.text() == "claim"
    qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert rows(db_path, LABELS)[0][0] == "assertion"
    dialog.reject()
    find(pane, "Bloomberg report")
    press(qtbot, pane, Qt.Key.Key_7)
    assert [r[2] for r in rows(db_path)] == ["assertion", "assertion"]
    assert verified(db_path)


def test_a_new_label_and_what_the_core_refuses(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.name.hasFocus() and (dialog.colour.text(), dialog.key.text()) == ("#CC79A7", "4")
    qtbot.keyClicks(dialog.name, "quote")
    retype(qtbot, dialog.key, "e")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert "taken by the workspace" in dialog.error.text()
    assert len(rows(db_path, LABELS)) == 3 and dialog.name.text() == "quote"   # nothing saved, nothing lost
    retype(qtbot, dialog.key, "4")
    retype(qtbot, dialog.colour, "#d55e00")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert rows(db_path, LABELS)[-1] == ("quote", "#D55E00", "4", "")
    assert dialog.list.currentItem().text().startswith("quote") and dialog.error.text() == ""
    retype(qtbot, dialog.name, "CLAIM")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.error.text() == "A label called 'claim' exists already."
    dialog.reject()
    pane = kremlin_pane(window)
    find(pane, "Kremlin denied")
    press(qtbot, pane, Qt.Key.Key_4)
    assert [r[2] for r in rows(db_path)] == ["quote"]


def test_delete_an_unused_label_with_del_and_bring_it_back_with_ctrl_z(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                        db_path: Path) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
    assert dialog.editing == "denial" and dialog.delete_button.isEnabled()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert [r[0] for r in rows(db_path, LABELS)] == ["claim", "background"]
    assert [dialog.list.item(i).text().split()[0] for i in range(dialog.list.count())] == ["claim", "background"]
    assert window.label_bar.findChild(type(window.actions["undo"]), "label_denial") is None
    dialog.reject()
    qtbot.waitUntil(lambda: window.label_ops.dialog is None)
    pane = kremlin_pane(window)
    press(qtbot, pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r[0] for r in rows(db_path, LABELS)] == ["claim", "denial", "background"]
    assert verified(db_path)


def test_guidelines_panel_shows_edits_and_undoes(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.actions["guidelines"].trigger()
    dock = window.label_ops.dock
    assert dock is not None and dock.isVisible() and window.actions["guidelines"].isChecked()
    assert "No guidelines yet" in dock.view.toPlainText()
    assert "An assertion of fact that can be checked." in dock.view.toPlainText()
    qtbot.mouseClick(dock.edit_button, Qt.MouseButton.LeftButton)
    assert dock.editor.hasFocus()
    qtbot.keyClicks(dock.editor, "# How we tag")
    qtbot.keyClick(dock.editor, Qt.Key.Key_Return)
    qtbot.keyClick(dock.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(dock.editor, "Tag **whole** clauses.")
    qtbot.mouseClick(dock.findChild(type(dock.edit_button), "saveGuidelines"), Qt.MouseButton.LeftButton)
    assert rows(db_path, "SELECT value FROM settings WHERE key = 'guidelines'") == [
        ("# How we tag\n\nTag **whole** clauses.",)]
    shown = dock.view.toPlainText()
    assert shown.startswith("How we tag\nTag whole clauses.") and "**" not in shown
    # The labels' guidelines follow an edit in the dialog.
    dialog = open_dialog(qtbot, window)
    retype(qtbot, dialog.description, "Only checkable facts.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Only checkable facts." in dock.view.toPlainText()
    dialog.reject()
    window.undo()
    window.undo()
    assert rows(db_path, "SELECT value FROM settings WHERE key = 'guidelines'") == []
    assert "No guidelines yet" in dock.view.toPlainText()
    # Closing the panel unchecks the menu item.
    dock.close()
    QApplication.processEvents()
    assert not window.actions["guidelines"].isChecked()
    assert verified(db_path)


def test_shortcut_help_lists_delete_article_in_the_list(window: MainWindow) -> None:
    rows_ = window.actions.shortcut_rows([])
    keys = QKeySequence("Del").toString(QKeySequence.SequenceFormat.NativeText)
    assert ("Edit", "Delete Article (in the article list)", keys) in rows_
