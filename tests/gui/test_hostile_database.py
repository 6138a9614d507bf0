"""The workspace under a hostile database: another program writing, the file damaged under the open window."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from annotator.gui.main_window import MainWindow

from .helpers import find, press, rows


def _kremlin_pane(window: MainWindow):  # type: ignore[no-untyped-def]
    pane = next(p for p in window.panes.panes if p.article and p.article.origin == "000_2fd0f5c64ad6bf09.txt")
    window.panes.set_current(pane)
    return pane


class Import:
    """A CLI import in the middle of its transaction: it holds the write lock until it commits."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO settings (key, value) VALUES ('imported', 'yes')")
        self.committed = False

    def commit(self) -> None:
        if not self.committed:
            self.conn.execute("COMMIT")
            self.conn.close()
            self.committed = True


def test_a_tag_made_while_an_import_writes_waits_and_is_saved(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                              db_path: Path) -> None:
    running = Import(db_path)
    notices: list[str] = []

    def import_finishes(notice: str) -> None:
        notices.append(notice)
        shown = window.findChild(QDialog, "writerWait")
        assert shown is not None and not shown.findChild(QPushButton, "stopJob").isVisible()   # nothing of ours
        running.commit()

    window.session.writer_wait.waiting.connect(import_finishes)
    errors: list[str] = []
    window.session.failed.connect(errors.append)
    pane = _kremlin_pane(window)
    find(pane, "Kremlin denied")
    press(qtbot, pane, Qt.Key.Key_2)
    assert notices and "your change will be saved then" in notices[0]
    assert errors == []
    assert [(r[2], r[3]) for r in rows(db_path)] == [("denial", "Kremlin denied")]
    assert rows(db_path, "SELECT value FROM settings WHERE key = 'imported'") == [("yes",)]
    assert window.status.saved_label.text().startswith("✓ Saved")
    notice = window.findChild(QDialog, "writerWait")
    assert notice is None or not notice.isVisible()


def test_a_database_truncated_under_the_window_takes_no_more_writes(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                    db_path: Path) -> None:
    pane = _kremlin_pane(window)
    find(pane, "Kremlin denied")
    press(qtbot, pane, Qt.Key.Key_2)
    assert len(rows(db_path)) == 1
    os.truncate(db_path, db_path.stat().st_size // 2)   # another program, a sync tool, a full disk...
    size = db_path.stat().st_size
    errors: list[str] = []
    window.session.failed.connect(errors.append)
    for needle, key in (("Bloomberg report", Qt.Key.Key_1), ("Erdogan", Qt.Key.Key_3), ("raised", Qt.Key.Key_1)):
        find(pane, needle)
        press(qtbot, pane, key)
    assert len(errors) == 3
    assert errors[0].startswith(f"Not saved: the database {db_path} is damaged; nothing more will be written:")
    assert errors[1] == errors[2] == errors[0]  # every later action: the same refusal, until reopened
    assert window.status.saved_label.text() == "⚠ Database damaged: nothing more is saved"
    assert db_path.stat().st_size == size  # not a byte written after it was found


def test_a_tag_made_while_verify_reads_waits_says_so_and_can_stop_the_verify(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                             db_path: Path,
                                                                             monkeypatch) -> None:
    """Verify reads the whole database at one moment; a tag meanwhile waits behind a notice that says it waits
    for this window's verify (not "another program"), and stopping the verify saves the tag at once."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.core import audit

    def a_long_check(store, *_args):  # type: ignore[no-untyped-def]
        # many seconds of reading inside the snapshot, unless the verify is stopped
        store.db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300000000)"
                         " SELECT count(*) FROM c").fetchone()

    monkeypatch.setattr(audit, "_verify_log", a_long_check)
    said: list[str] = []
    window.review.message.connect(said.append)
    job = window.review.verify_log()
    stages: list[str] = []
    job.progressed.connect(lambda _done, _total, what: stages.append(what))
    qtbot.waitUntil(lambda: any("chain" in what for what in stages), timeout=10_000)   # inside the snapshot
    notices: list[str] = []
    buttons: list[str] = []

    def stop_the_verify() -> None:
        shown = window.findChild(QDialog, "writerWait")
        offered = [b for b in shown.findChildren(QPushButton) if b.isVisible()]
        buttons.extend(b.text() for b in offered if not b.text().startswith("Stop waiting"))
        stop = next((b for b in offered if not b.text().startswith("Stop waiting")), None)
        (stop or next(b for b in offered if b.text().startswith("Stop waiting"))).click()

    def waiting(notice: str) -> None:
        notices.append(notice)
        QTimer.singleShot(0, stop_the_verify)

    window.session.writer_wait.waiting.connect(waiting)
    errors: list[str] = []
    window.session.failed.connect(errors.append)
    pane = _kremlin_pane(window)
    find(pane, "Kremlin denied")
    press(qtbot, pane, Qt.Key.Key_2)
    assert len(notices) == 1 and "this window to finish verifying the audit log" in notices[0]
    assert "Another program" not in notices[0]
    assert buttons == ["Stop verifying the audit log (your change is then saved)"]
    assert errors == [] and [(r[2], r[3]) for r in rows(db_path)] == [("denial", "Kremlin denied")]
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    assert job.error == "cancelled"
    assert said[-1] == "Verifying the audit log was stopped; nothing was checked to the end."
    assert not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())
    notice = window.findChild(QDialog, "writerWait")
    assert notice is None or not notice.isVisible()
