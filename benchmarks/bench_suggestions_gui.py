"""Suggestions in the workspace at scale: does the window keep answering while the model trains?

Run by hand:  nice -n 10 python benchmarks/bench_suggestions_gui.py [--articles 1000] [--spans 20000]

The corpus is bench_suggestions.py's (1,000 articles of 3.3 KB strung from the
seeds' sentences, 20,000 gold spans). A real MainWindow (offscreen) opens it,
and a QTimer ticks every 5 ms in its event loop, as any paint or key would be
served; the longest gap between ticks beyond the 5 ms is the longest the
window froze. Measured while:

- nothing runs (the floor on this machine);
- Review > Train the Model… trains (``train_in_subprocess`` in a Job's worker
  thread, 5-fold cross-validation, the dialog of figures at the end);
- the retraining in the background after N changes (the same call without
  cross-validation, and without the dialog);
- Review > Suggest with the Cue Rules runs over every article (a worker thread
  in this process: its Python holds the GIL in turns with the window's);
- and the queue over the suggestions made: the first page, a step (N), an accept (A).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_suggestions import build  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.store import Store  # noqa: E402
from annotator.gui.jobs import Job  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.gui.settings import WindowSettings  # noqa: E402


def ticking(app: QApplication, start: Callable[[], Job | None] | None, seconds: float = 3.0
            ) -> tuple[float, float, int, float]:
    """Tick every 5 ms in the event loop while ``start()``'s job runs (or for ``seconds``):
    (longest stall beyond the tick, 99th percentile, ticks, wall time)."""
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e9 - 0.005)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start(5)
    t0 = time.perf_counter()
    job = start() if start is not None else None
    while (job.running if job is not None else time.perf_counter() - t0 < seconds):
        app.processEvents()
        time.sleep(0.0005)   # not a busy loop: the window's thread idles between events as exec() would
    wall = time.perf_counter() - t0
    timer.stop()
    if job is not None and job.error:
        raise SystemExit(f"{job.title} failed: {job.error}")
    gaps.sort()
    return gaps[-1], gaps[int(len(gaps) * 0.99)], len(gaps), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--spans", type=int, default=20000)
    args = parser.parse_args()
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        build(path, args.articles, args.spans)
        settings = WindowSettings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(Store.open(path), "bench", settings)
        window.restore_state()
        window.resize(1400, 900)
        window.show()
        window.open_article(1)
        for _ in range(10):
            app.processEvents()
        ops = window.suggestions
        print(f"{args.articles} articles, {args.spans} spans; a 5 ms QTimer in the window's event loop:")

        def say(name: str, result: tuple[float, float, int, float]) -> None:
            worst, p99, ticks, wall = result
            print(f"  {name:<44} {wall:6.1f} s   longest stall {worst * 1000:6.1f} ms,"
                  f" 99th percentile {p99 * 1000:5.1f} ms ({ticks} ticks)")

        say("idle", ticking(app, None))
        say("Review > Train the Model… (5 folds)", ticking(app, lambda: ops.train()))
        for dialog in [w for w in app.topLevelWidgets() if w.objectName() == "trainingDialog"]:
            dialog.close()
        say("retraining in the background", ticking(app, lambda: ops.train(show_report=False)))
        say("Review > Suggest with the Cue Rules", ticking(app, ops.suggest_with_rules))

        t0 = time.perf_counter()
        window.actions["suggestion_queue"].trigger()
        dock = ops.dock
        app.processEvents()
        opened = time.perf_counter() - t0
        table = dock.table
        table.setFocus()
        steps = []
        for _ in range(20):
            t0 = time.perf_counter()
            QTest.keyClick(table, Qt.Key.Key_N)
            app.processEvents()
            steps.append(time.perf_counter() - t0)
        accepts = []
        for _ in range(10):
            t0 = time.perf_counter()
            QTest.keyClick(table, Qt.Key.Key_A)
            app.processEvents()
            accepts.append(time.perf_counter() - t0)
        print(f"\nthe suggestion queue over {dock.total + 10} open suggestions (pages of 50):")
        print(f"  open the queue (first page, counts, its pane):  {opened * 1000:6.1f} ms")
        print(f"  N (next, shown in its pane): median {sorted(steps)[10] * 1000:5.1f} ms,"
              f" worst {max(steps) * 1000:5.1f} ms")
        print(f"  A (accept, page read again): median {sorted(accepts)[5] * 1000:5.1f} ms,"
              f" worst {max(accepts) * 1000:5.1f} ms")
        window.close()
        window.session.store.close()


if __name__ == "__main__":
    main()
