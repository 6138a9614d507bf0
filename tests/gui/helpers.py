"""Acting as a user: select text the way Qt counts it, press keys, click spans."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.gui.article_pane import ArticlePane


def find(pane: ArticlePane, needle: str) -> None:
    """Select ``needle`` with Qt's own search: positions never pass through our conversion."""
    view = pane.view
    view.moveCursor(QTextCursor.MoveOperation.Start)
    assert view.find(needle), needle
    view.setFocus()
    QApplication.processEvents()


def press(qtbot, pane: ArticlePane, key: Qt.Key | str, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    window = pane.window()
    if not window.isActiveWindow():  # a dialog that just closed may have taken activation with it
        window.activateWindow()
        QApplication.processEvents()
    pane.view.setFocus()
    qtbot.keyClick(pane.view, key, modifier)
    QApplication.processEvents()


def click_text(qtbot, pane: ArticlePane, needle: str, inside: int = 1,  # type: ignore[no-untyped-def]
               modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Click on the character ``inside`` characters into the first occurrence of ``needle``."""
    view = pane.view
    doc = view.document()
    found = doc.find(needle)
    assert not found.isNull(), needle
    cursor = QTextCursor(doc)
    cursor.setPosition(found.selectionStart() + inside)
    rect = view.cursorRect(cursor)
    point = QPoint(rect.left() + 2, rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, pos=point)
    QApplication.processEvents()


SPANS = ('SELECT n.start, n."end", l.name, n.text, n.annotator, n.note, n.uid'
         " FROM annotations n JOIN labels l ON l.id = n.label_id ORDER BY n.start, n.\"end\"")


def rows(db: Path, sql: str = SPANS) -> list[tuple[Any, ...]]:
    """What landed in SQLite, read with a separate connection."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def article_text(db: Path, article_id: int) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    finally:
        conn.close()


def stray_tints(pane: ArticlePane) -> list[int]:
    """The blocks of a pane whose text is tinted though its article has no span there (QA4-1)."""
    view, article = pane.view, pane.article
    if article is None:
        return []
    doc, store = view.document(), view.spans
    stray = []
    for n in range(doc.blockCount()):
        block = doc.findBlockByNumber(n)
        if block.layout().formats():
            lo = view.positions.from_qt(block.position())
            hi = view.positions.from_qt(block.position() + block.length() - 1)
            if not store.in_range(lo, hi):
                stray.append(n)
    return stray
