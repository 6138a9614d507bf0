"""A whole tagging session without the mouse: from the article list into the text, select, tag, move on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.main_window import MainWindow

from .helpers import rows


class NoMouse(QObject):
    """Fails the test if any mouse event reaches the application."""

    seen: list[QEvent.Type] = []

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                            QEvent.Type.MouseButtonDblClick):
            self.seen.append(event.type())
        return False


def key(qtbot, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """Press a key where the keyboard is, as a user does: the focus widget gets it."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, k, modifier)
    QApplication.processEvents()


def test_keyboard_only_from_the_list_to_a_tag(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    guard = NoMouse()
    QApplication.instance().installEventFilter(guard)
    try:
        window.panes.panes[0].view.setFocus()
        QApplication.processEvents()
        # Ctrl+Shift+F: search the list; Enter: into the results; Enter again: open it, keyboard in its text
        key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert window.article_list.search.hasFocus()
        qtbot.keyClicks(window.article_list.search, "mend relations")
        key(qtbot, Qt.Key.Key_Return)
        assert window.article_list.table.hasFocus()
        key(qtbot, Qt.Key.Key_Return)
        pane = window.panes.current
        assert pane is not None and pane.article is not None and pane.article.title.startswith("Turkey is trying")
        assert pane.view.hasFocus() and pane.focused
        # the caret is on screen; Shift+Ctrl+Right selects a word from there
        caret = pane.view.cursor_offset()
        key(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
        selected = pane.view.selection()
        assert selected is not None and selected[0] == caret
        key(qtbot, Qt.Key.Key_1)
        [(start, end, label)] = rows(db_path, 'SELECT n.start, n."end", l.name FROM annotations n'
                                              " JOIN labels l ON l.id = n.label_id")
        assert label == "claim" and start == caret and end > start
        # F6 walks list -> panes -> annotations; Ctrl+1 and Ctrl+2 go straight to a pane's text
        key(qtbot, Qt.Key.Key_F6)
        assert window.panes.panes[1].view.hasFocus() or window.annotations.table.hasFocus()
        key(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        assert window.panes.panes[0].view.hasFocus() and window.panes.current is window.panes.panes[0]
        key(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert window.panes.panes[1].view.hasFocus()
        key(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
        assert window.panes.panes[0].view.hasFocus()
        key(qtbot, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
        assert window.article_list.table.hasFocus()
        # Ctrl+Z undoes the tag, still without the mouse
        window.panes.panes[0].view.setFocus()
        key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert rows(db_path, "SELECT count(*) FROM annotations") == [(0,)]
    finally:
        QApplication.instance().removeEventFilter(guard)
    assert guard.seen == []


def test_no_two_menu_entries_show_the_same_key_without_saying_where(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """QA: the Edit menu showed Del for both Delete Span and Delete Article."""
    from PySide6.QtWidgets import QTableWidget

    shown: dict[str, list[str]] = {}
    for menu in window.menus.values():
        for action in menu.actions():
            text = action.text()
            keys = text.split("\t", 1)[1] if "\t" in text else action.shortcut().toString()
            if keys:
                shown.setdefault(keys, []).append(text.split("\t")[0].replace("&", ""))
    repeated = {keys: names for keys, names in shown.items() if len(names) > 1}
    assert repeated == {}
    assert "Del (in a pane)" in shown and shown["Del (in a pane)"] == ["Delete Span"]
    assert shown["Del (in the article list)"] == ["Delete Article…"]
    # Del still does both, each where it says: the menu's text is not its key
    assert window.actions["delete_span"].shortcut().toString() == "Del"
    assert window.actions["delete_article"].shortcut().toString() == "Del"
    # and the shortcut help (F1) says where too
    window.show_shortcuts()
    table = window.findChild(QTableWidget, "shortcutTable")
    help_rows = {table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert help_rows["Delete Span (in a pane)"] == "Del, Backspace"
    assert help_rows["Delete Article (in the article list)"] == "Del"
    # menu by menu in the menu bar's order (a dock's keys among its menu's), one spelling per action (QA4-22)
    menus = [table.item(r, 0).text() for r in range(table.rowCount())]
    order = ["Label", "File", "Edit", "View", "Review", "Annotator", "Help"]
    assert menus == sorted(menus, key=order.index)
    actions = [text.split(" (")[0] for text in help_rows]
    assert len({a.casefold() for a in actions}) == len(set(actions)), "one action, two spellings"
    assert help_rows["Accept the Suggestion (in the suggestion queue)"] == "A, Return, Enter"
    # typing in the box narrows the list to the rows holding every word typed
    dialog = table.window()
    qtbot.waitUntil(dialog.filter.hasFocus)
    qtbot.keyClicks(dialog.filter, "suggestion queue")
    shown = dialog.shown_rows()
    assert shown and all("suggestion queue" in " ".join(row).casefold() for row in shown)
    assert len(shown) < table.rowCount()
    dialog.filter.clear()
    assert len(dialog.shown_rows()) == table.rowCount()
    dialog.close()
