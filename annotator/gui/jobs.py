"""Heavy work off the GUI thread: agreement, verify, import, export and merge, with progress and cancel.

A job runs a core function in a ``QThreadPool`` worker on a connection of its
own to the database file (SQLite connections are not shared between threads
here), reports progress through a callback that also asks whether to go on,
and hands its result back to the GUI thread through queued signals. The
window keeps painting and answering while it runs; only a job that writes
(import, merge) keeps the user from editing in the meantime, with a
window-modal progress dialog, since its one transaction holds the write lock.

An in-memory database has no file to open twice: its jobs run in the GUI
thread (tests, throwaway work).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core.errors import AnnotatorError
from ..core.store import Store
from .shown_text import one_line

# Jobs in flight, held here so that neither the Python side of a job nor of its runner
# is collected while a worker thread still uses it.
_RUNNING: set[Job] = set()

Work = Callable[[Store, Callable[[int, int, str], bool]], Any]
"""A core function of (store, progress); progress(done, total, what) returns False once cancelled."""


class Cancelled(AnnotatorError):
    """The user cancelled the job; whatever it was writing was rolled back."""


class Job(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()          # after succeeded or failed, either way
    _done = Signal(object, object)   # from the worker: result, error

    def __init__(self, title: str, work: Work, store: Store, parent: QObject | None = None, *,
                 holds_reads: str = "") -> None:
        super().__init__(parent)
        self.title = title
        # What the job is doing, said as "verifying the audit log", when it reads the whole database at one
        # moment (Store.snapshot): this window's own changes then wait for it, and the notice names it.
        # Cancelling such a job stops the statement it is in (Store.stop_when), so they need not wait long.
        self.holds_reads = holds_reads
        self.work = work
        self.store = store
        self.cancel_requested = threading.Event()
        self.result: Any = None
        self.error: str | None = None
        self.running = False
        self._done.connect(self._deliver)

    def progress(self, done: int, total: int, what: str = "") -> bool:
        self.progressed.emit(done, total, what)
        return not self.cancel_requested.is_set()

    def cancel(self) -> None:
        self.cancel_requested.set()

    def start(self) -> None:
        self.running = True
        _RUNNING.add(self)
        path = self.store.path
        if path is None:
            self._run(self.store)
            return
        self._runner = _Runner(self, path)
        QThreadPool.globalInstance().start(self._runner)

    def _run(self, store: Store) -> None:
        try:
            result = self.work(store, self.progress)
        except Exception as exc:
            if isinstance(exc, Cancelled) or self.cancel_requested.is_set():
                # cancelled: at a stage's end (Cancelled), or in the statement the cancel stopped
                self._finish(error=str(exc) if isinstance(exc, Cancelled) and str(exc) else "cancelled")
            elif isinstance(exc, AnnotatorError):
                self._finish(error=str(exc))
            else:  # a bug in the worker: said once, never a dead thread
                self._finish(error=f"unexpected {type(exc).__name__}: {exc}")
        else:
            if self.cancel_requested.is_set():
                self._finish(error="cancelled")
            else:
                self._finish(result=result)

    def _finish(self, *, result: Any = None, error: str | None = None) -> None:
        # Called in the worker: Qt queues the signal to the GUI thread, where this object lives.
        self._done.emit(result, error)

    def _deliver(self, result: Any, error: str | None) -> None:
        self.result, self.error, self.running = result, error, False
        _RUNNING.discard(self)
        if error is None:
            self.succeeded.emit(result)
        else:
            self.failed.emit(error)
        self.finished.emit()


class _Runner(QRunnable):
    def __init__(self, job: Job, path: Path) -> None:
        super().__init__()
        self.job = job
        self.path = path

    def run(self) -> None:
        try:
            store = Store.open(self.path, create=False, waiting=ProgressWait(self.job.progress), poll_ms=200)
        except AnnotatorError as exc:
            self.job._finish(error=str(exc))
            return
        if self.job.holds_reads:
            store.stop_when(self.job.cancel_requested.is_set)
        try:
            self.job._run(store)
        finally:
            store.close()


class ProgressWait:
    """A job that finds another program writing waits for it, saying so in its progress, until cancelled."""

    def __init__(self, progress: Callable[[int, int, str], bool], file: Path | None = None) -> None:
        self.progress = progress
        to = f" to {file.name}" if file is not None else ""
        self.what = f"Waiting for another program (an import or a merge?) to finish writing{to}…"

    def wait(self, waited: float) -> bool:
        return self.progress(0, 0, self.what)

    def done(self) -> None:
        self.progress(0, 0, "")


def running() -> list[Job]:
    """The jobs of this process still running."""
    return list(_RUNNING)


def run_with_progress(job: Job, parent: QWidget, *, modal: bool, label: str) -> QProgressDialog:
    """Start ``job`` behind a progress dialog with a Cancel button (shown only if it takes a moment)."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("jobProgress")
    dialog.setWindowTitle(job.title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal if modal else Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(400)  # quick jobs never flash a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def show(done: int, total: int, what: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        if what:
            dialog.setLabelText(one_line(what))   # the file being read: its name, shown not obeyed

    job.progressed.connect(show)
    dialog.canceled.connect(job.cancel)
    job.finished.connect(dialog.close)
    job.finished.connect(dialog.deleteLater)
    job.start()
    return dialog
