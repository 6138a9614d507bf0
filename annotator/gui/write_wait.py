"""A user's change that finds another program writing (an import, a merge) waits its turn; it is never refused.

Reads wait the same way (an import whose changes outgrow SQLite's page cache
holds readers out until it commits), behind the same notice.

The store takes the write lock when a change begins, so waiting is a retry of
that one statement (core/store/transactions.py). Each try waits ``POLL_MS`` in
SQLite; between tries the window keeps painting behind a window-modal notice
that says what it is waiting for, with a button to stop waiting (then the
change is not saved, and says so). The notice blocks the window's input, so
no second change starts while the first waits.

Measured during a CLI import of 100,000 spans (docs/reliability.md): before,
most tags made meanwhile were refused as "busy" after a 5-second freeze; now
every one is saved, each as soon as the import commits.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog

NOTICE = ("Another program is writing to this database (an import or a merge?).\n"
          "Waiting for it to finish: your change will be saved then.")


class WriterWait(QObject):
    POLL_MS = 50  # one try of the lock; the window repaints between tries

    waiting = Signal(str)   # the notice, when a change starts waiting (tests wait on it)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dialog: QProgressDialog | None = None
        self._inside = False

    def wait(self, waited: float) -> bool:
        if self._inside:
            return False  # a wait inside a wait: not ours to stack
        self._inside = True
        try:
            if self._dialog is None:
                self._dialog = self._notice()
                self.waiting.emit(NOTICE)
            loop = QEventLoop()
            QTimer.singleShot(self.POLL_MS, loop.quit)
            loop.exec()
            return not self._dialog.wasCanceled()
        finally:
            self._inside = False

    def done(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
            self.finished.emit()

    @staticmethod
    def _notice() -> QProgressDialog:
        dialog = QProgressDialog(NOTICE, "Stop waiting (the change is not saved)", 0, 0,
                                 QApplication.activeWindow())
        dialog.setObjectName("writerWait")
        dialog.setWindowTitle("Waiting to save")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.show()
        return dialog
