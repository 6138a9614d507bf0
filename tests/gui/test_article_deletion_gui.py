"""Deleting an article from the list (Del, the context menu, Edit > Delete Article…), undo and redo, in SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from annotator.core import audit
from annotator.core.importer import Importer
from annotator.core.paths import seeds_dir
from annotator.core.store import Store
from annotator.gui.main_window import MainWindow

from .helpers import click_text, press

KREMLIN = "000_2fd0f5c64ad6bf09.txt"
STATE = ('SELECT n.uid, n.article_id, n.start, n."end", l.name, n.status, n.reviewer, n.note FROM annotations n'
         " JOIN labels l ON l.id = n.label_id ORDER BY n.uid")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The seeds, with two spans in the Kremlin's denial (one accepted) linked to a claim with a span of 002."""
    path = tmp_path / "work.db"
    with Store.open(path) as store:
        Importer(store, actor="tester").run([seeds_dir()])
        kremlin = store.article_by_origin(KREMLIN)
        report = store.article_by_origin("002_cad9066ba476337a.txt")
        assert kremlin is not None and report is not None
        text = store.article_text(kremlin.id)
        denial = store.add_annotation(kremlin.id, 0, 33, "denial", annotator="ana", note="the denial")
        store.set_status(denial.uid, "accepted", actor="rita")
        store.add_annotation(kremlin.id, text.index("Erdogan"), text.index("Erdogan") + 7, "claim", annotator="bo")
        start = store.article_text(report.id).index("Türkiye plans to return")
        claim = store.add_annotation(report.id, start, start + 23, "claim", annotator="ana")
        store.link_spans([claim.uid, denial.uid], actor="ana")
    return path


def table(db: Path, sql: str) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return {"articles": table(db, "SELECT * FROM articles ORDER BY id"), "spans": table(db, STATE),
            "links": table(db, "SELECT uid, span_uid, claim_uid, role, article_id FROM links ORDER BY uid")}


def verified(db: Path) -> bool:
    with Store.open(db) as store:
        return audit.verify(store).ok


def kremlin_id(window: MainWindow) -> int:
    pane = next(p for p in window.panes.panes if p.article and p.article.origin == KREMLIN)
    return pane.article.id


def confirmation(qtbot, window: MainWindow) -> QMessageBox:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.article_ops.confirmation is not None
                    and window.article_ops.confirmation.isVisible())
    box = window.article_ops.confirmation
    assert box is not None
    return box


def in_the_list(qtbot, window: MainWindow, article_id: int) -> None:  # type: ignore[no-untyped-def]
    table_view = window.article_list.table
    window.activateWindow()
    table_view.setFocus()
    window.article_list.select_article(article_id)
    qtbot.waitUntil(table_view.hasFocus)


def test_del_in_the_list_asks_then_deletes_and_ctrl_z_brings_it_all_back(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                         db_path: Path) -> None:
    before = snapshot(db_path)
    article_id = kremlin_id(window)
    in_the_list(qtbot, window, article_id)
    qtbot.keyClick(window.article_list.table, Qt.Key.Key_Delete)
    box = confirmation(qtbot, window)
    assert box.text().startswith("Delete “Kremlin denied a Bloomberg report")
    assert box.informativeText().startswith("Its 2 spans and 1 link to claims go with it.")
    qtbot.mouseClick(box.findChild(type(box.defaultButton()), "deleteArticle"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.article_ops.confirmation is None)
    after = snapshot(db_path)
    assert article_id not in [r[0] for r in after["articles"]] and len(after["articles"]) == 4
    assert [r[1] for r in after["spans"]] == [a for a in [r[1] for r in before["spans"]] if a != article_id]
    assert [r[4] for r in after["links"]] != [] and article_id not in [r[4] for r in after["links"]]
    # The panes showing it are empty; the list and the annotations table follow.
    assert article_id not in window.panes.open_article_ids()
    assert window.article_model.rowCount() == 4 and window.article_model.row_of(article_id) is None
    assert all(window.annotation_model.index(r, 0).isValid() for r in range(window.annotation_model.rowCount()))
    assert "Ctrl+Z brings it back" in window.status.currentMessage()
    assert verified(db_path)

    pane = window.panes.panes[0]
    press(qtbot, pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert snapshot(db_path) == before   # same id, spans with their uids, review state and notes, the link
    assert article_id in window.panes.open_article_ids() and window.article_model.rowCount() == 5
    assert verified(db_path)
    press(qtbot, pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert snapshot(db_path) == after and verified(db_path)


def test_cancel_deletes_nothing(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(db_path)
    in_the_list(qtbot, window, kremlin_id(window))
    qtbot.keyClick(window.article_list.table, Qt.Key.Key_Delete)
    box = confirmation(qtbot, window)
    qtbot.keyClick(box, Qt.Key.Key_Return)   # Cancel is the default: Enter keeps the article
    qtbot.waitUntil(lambda: window.article_ops.confirmation is None)
    assert snapshot(db_path) == before and not window.session.undo_stack.canUndo()


def test_the_list_context_menu_and_the_edit_menu(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = next(p.article.id for p in window.panes.panes if p.article and p.article.origin != KREMLIN)
    view = window.article_list.table
    window.article_list.select_article(report)
    rect = view.visualRect(view.selectionModel().selectedRows()[0])
    view.customContextMenuRequested.emit(rect.center())
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    # (after a tab, the key a menu shows: Del, which also deletes a span in a pane, says where it works)
    assert [a.text().split("\t")[0] for a in menu.actions() if a.text()] == ["&Open", "Article &Details…",
                                                                            "Delete &Article…"]
    next(a for a in menu.actions() if a.text().startswith("Delete &Article…")).trigger()
    menu.close()
    box = confirmation(qtbot, window)
    assert box.informativeText().startswith("Its 1 span and 1 link to claims go with it.")
    qtbot.mouseClick(box.findChild(type(box.defaultButton()), "deleteArticle"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.article_ops.confirmation is None)
    assert report not in [r[0] for r in table(db_path, "SELECT id FROM articles")]
    # Edit > Delete Article… takes the article chosen in the list (the active pane's, once it is shown).
    article_id = kremlin_id(window)
    window.article_list.select_article(article_id)
    window.actions["delete_article"].trigger()
    box = confirmation(qtbot, window)
    qtbot.mouseClick(box.findChild(type(box.defaultButton()), "deleteArticle"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.article_ops.confirmation is None)
    assert len(table(db_path, "SELECT id FROM articles")) == 3 and table(db_path, STATE) == []
    window.undo()
    window.undo()
    assert len(table(db_path, "SELECT id FROM articles")) == 5 and len(table(db_path, STATE)) == 3
    assert verified(db_path)


def test_del_in_a_pane_still_deletes_the_span_not_the_article(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = next(p for p in window.panes.panes if p.article and p.article.origin == KREMLIN)
    window.panes.set_current(pane)
    click_text(qtbot, pane, "Erdogan")
    press(qtbot, pane, Qt.Key.Key_Delete)
    assert window.article_ops.confirmation is None
    assert len(table(db_path, "SELECT id FROM articles")) == 5 and len(table(db_path, STATE)) == 2
