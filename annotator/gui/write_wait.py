"""A user's change that finds the database busy waits its turn; it is never refused.

Two things can hold a change up, and the notice says which:

- **Another program writing** (an import, a merge). Reads wait the same way
  (an import whose changes outgrow SQLite's page cache holds readers out
  until it commits).
- **This window's own job reading the whole database at one moment** (verify:
  SQLite's check, the chain and the tables read as one snapshot). With the
  rollback journal a reader holds commits off until it is done; the notice
  names the job and offers to stop it, so the change is saved at once.

The store takes the write lock when a change begins, so waiting is a retry of
that one statement, or of the commit when a reader holds it off
(core/store/transactions.py). Each try waits ``POLL_MS`` in SQLite; between
tries the window keeps painting behind a window-modal notice that says what it
is waiting for, with a button to stop waiting (then the change is not saved,
and says so). The notice blocks the window's input, so no second change starts
while the first waits.

Measured during a CLI import of 100,000 spans (docs/reliability.md): before,
most tags made meanwhile were refused as "busy" after a 5-second freeze; now
every one is saved, each as soon as the import commits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:  # both load with the first wait, not at start-up
    from .dialogs import WaitNotice
    from .jobs import Job

NOTICE = ("Another program is writing to this database (an import or a merge?).\n"
          "Waiting for it to finish: your change will be saved then.")


def notice_for(job: Job | None) -> str:
    """What the notice says: the job of this window that holds the change up, else another program."""
    if job is None:
        return NOTICE
    return (f"Waiting for this window to finish {job.holds_reads}: it reads the whole database at one moment,"
            f" and a change can be saved only after it.\nYour change will be saved then, or now if you stop"
            f" {job.holds_reads}.")


class WriterWait(QObject):
    POLL_MS = 50  # one try of the lock; the window repaints between tries

    waiting = Signal(str)   # the notice, when a change starts waiting (tests wait on it)
    finished = Signal()

    def __init__(self, parent: QObject | None = None,
                 holders: Callable[[], list[Job]] = list) -> None:
        super().__init__(parent)
        # This window's jobs that hold the database for their whole run (a verify): the session says which.
        self.holders = holders
        self._dialog: WaitNotice | None = None
        self._inside = False

    def wait(self, waited: float) -> bool:
        if self._inside:
            return False  # a wait inside a wait: not ours to stack
        self._inside = True
        try:
            holder = next(iter(self.holders()), None)
            if self._dialog is None:
                from .dialogs import WaitNotice

                self._dialog = WaitNotice(QApplication.activeWindow())
                self._dialog.show_cause(holder, notice_for(holder))
                self._dialog.show()
                self.waiting.emit(notice_for(holder))
            elif holder is not self._dialog.job and not self._dialog.stopping:
                # the job ended and another program writes on (or the other way round): say which
                self._dialog.show_cause(holder, notice_for(holder))
            loop = QEventLoop()
            QTimer.singleShot(self.POLL_MS, loop.quit)
            loop.exec()
            return not self._dialog.canceled
        finally:
            self._inside = False

    def done(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
            self.finished.emit()
