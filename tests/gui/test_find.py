"""Find in the article (Ctrl+F), driven from the keyboard: every match marked, F3 steps, a label key tags."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.main_window import MainWindow

from .helpers import rows


def key(qtbot, widget, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, k, modifier)
    QApplication.processEvents()


def test_find_marks_every_match_and_a_label_key_tags_the_current_one(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                     db_path: Path) -> None:
    pane = window.panes.current
    assert pane is not None and pane.article is not None
    text = pane.view.text
    pane.view.setFocus()
    key(qtbot, pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = pane.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    # typed without the accent and in lower case; "1" is typed into the field, not taken as the claim key
    qtbot.keyClicks(bar.field, "turkiye")
    QApplication.processEvents()
    expected = [i for i in range(len(text)) if text[i:i + 7].casefold().replace("ü", "u") == "turkiye"]
    assert [s for s, _e in pane.view.found] == expected and len(expected) >= 2
    assert all(text[s:e] in ("Türkiye", "TÜRKIYE", "Turkiye") for s, e in pane.view.found)
    assert bar.count.text() == f"1 of {len(expected)}"
    key(qtbot, bar.field, Qt.Key.Key_Return)
    assert bar.count.text() == f"2 of {len(expected)}"
    key(qtbot, bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == f"1 of {len(expected)}"
    start, end = pane.view.found[0]
    assert pane.view.selection() == (start, end)
    # Esc: back in the text with the match still selected; 1 tags it as a claim
    key(qtbot, bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and pane.view.hasFocus()
    key(qtbot, pane.view, Qt.Key.Key_1)
    assert rows(db_path, 'SELECT start, "end", text FROM annotations') == [(start, end, text[start:end])]
    # F3 from the text goes on to the next match without the bar
    key(qtbot, pane.view, Qt.Key.Key_F3)
    assert pane.view.selection() == pane.view.found[1]
    key(qtbot, pane.view, Qt.Key.Key_2)
    s2, e2 = pane.view.found[1]
    assert (s2, e2, "denial") in rows(db_path, 'SELECT n.start, n."end", l.name FROM annotations n'
                                                 " JOIN labels l ON l.id = n.label_id")


def test_typing_a_digit_in_the_find_field_never_tags(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.current
    assert pane is not None
    pane.view.setFocus()
    key(qtbot, pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(pane.find_bar.field, "S-400")
    QApplication.processEvents()
    assert pane.find_bar.field.text() == "S-400"
    assert pane.view.found
    qtbot.keyClicks(pane.find_bar.field, "zzz")
    QApplication.processEvents()
    assert pane.find_bar.count.text() == "No match" and pane.view.found == []
    assert rows(db_path, "SELECT count(*) FROM annotations") == [(0,)]


def test_ctrl_shift_f_searches_the_article_list(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.current
    assert pane is not None
    pane.view.setFocus()
    key(qtbot, pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.article_list.search.hasFocus()
    assert not pane.find_bar.isVisible()
