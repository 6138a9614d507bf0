"""Heavy work runs in a worker: the window keeps answering, progress arrives, cancel stops it."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.gui.jobs import Cancelled, Job


def test_a_job_runs_on_its_own_connection_while_the_window_answers(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db_path)
    release = threading.Event()
    seen: dict[str, object] = {}

    def work(worker_store: Store, progress) -> int:  # type: ignore[no-untyped-def]
        seen["thread"] = threading.get_ident()
        seen["same connection"] = worker_store is store
        progress(1, 2, "halfway")
        # Only the GUI thread's timer below lets this go on: the event loop must be running.
        assert release.wait(10)
        return worker_store.article_count()

    job = Job("count", work, store)
    progressed: list[tuple[int, int, str]] = []
    job.progressed.connect(lambda *args: progressed.append(args))
    QTimer.singleShot(0, release.set)
    with qtbot.waitSignal(job.succeeded, timeout=10_000) as blocker:
        job.start()
    assert blocker.args == [5]
    assert seen["thread"] != threading.get_ident() and seen["same connection"] is False
    assert progressed == [(1, 2, "halfway")]
    assert not job.running
    store.close()


def test_cancel_stops_the_work_and_says_so(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db_path)
    started = threading.Event()
    steps: list[int] = []

    def work(_store: Store, progress) -> None:  # type: ignore[no-untyped-def]
        started.set()
        for i in range(1_000_000):
            if not progress(i, 1_000_000, ""):
                raise Cancelled("cancelled after a few steps")
            steps.append(i)
            if i > 100_000:  # never reached when cancel works; fails the test instead of hanging
                return

    job = Job("long", work, store)
    job.progressed.connect(lambda *_args: job.cancel() if started.is_set() else None)
    with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
        job.start()
    assert blocker.args == ["cancelled after a few steps"]
    assert len(steps) < 100_000
    store.close()


def test_a_failure_is_one_message_not_a_dead_thread(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db_path)

    def refuse(_store: Store, _progress) -> None:  # type: ignore[no-untyped-def]
        raise AnnotatorError("the disk holding the database is full; nothing was saved")

    def bug(_store: Store, _progress) -> None:  # type: ignore[no-untyped-def]
        return {}["missing"]

    for work, expected in ((refuse, "the disk holding the database is full; nothing was saved"),
                           (bug, "unexpected KeyError: 'missing'")):
        job = Job("fails", work, store)
        with qtbot.waitSignal(job.failed, timeout=10_000) as blocker:
            job.start()
        assert blocker.args == [expected]
    store.close()


def test_verify_from_the_menu_answers_when_done(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db_path)
    window.actions["verify"].trigger()

    def box() -> QMessageBox | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMessageBox) and w.objectName() == "verifyBox" and w.isVisible()), None)

    qtbot.waitUntil(lambda: box() is not None, timeout=10_000)
    found = box()
    assert found is not None and "intact" in found.text()
    found.close()
