"""The claims workspace at newsroom scale, offscreen: the claims dock, its filter, the matrix, L, suggestions.

Run by hand:  nice -n 10 python benchmarks/bench_claims_gui.py [--db PATH] [--repeat 7]

Builds (or reuses, with --db) the database of benchmarks/bench_claims.py
(10,000 articles, 200,000 spans, 5,000 claims, ~45,000 links), opens the main
window offscreen, and times what a fact-checker waits for, each until the
affected widgets have painted (medians):

- opening the claims dock (the first time: building it; then: the list read
  afresh and painted), filtering it by a word, sorting it by first appearance;
- choosing a claim (its spans outlined in the panes) and expanding it;
- L: linking two spans through the session, with the dock, the badges and the
  undo stack brought up to date;
- the matrix: 50 claims x their first 200 articles, read and painted;
- same-claim suggestions: the first ranking (the sentence index built in a
  worker) and a later one, while the window keeps answering.

The store's own queries against plain SQL are in bench_claims.py; this adds
what the Qt side costs on top. Target: each within 100 ms (suggestions: 500 ms
once the index is built).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_claims import build  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.store import Store  # noqa: E402
from annotator.gui import claim_ops  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.gui.settings import WindowSettings  # noqa: E402


def timed(fn: Callable[[], object], repeat: int, settle: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        settle()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="Keep (or reuse) the database here.")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=200_000)
    parser.add_argument("--claims", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        path = args.db or tmp / "claims.db"
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.articles, args.spans, args.claims)
            print(f"built {path.name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        settings = WindowSettings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(Store.open(path), "bench", settings)
        window.restore_state()
        window.resize(1600, 950)
        window.show()
        for _ in range(5):
            app.processEvents()
        store = window.session.store
        print(f"{store.article_count()} articles, {store.annotation_count()} spans, {store.claim_count()} claims,"
              f" {store.link_count()} links")
        rows: list[tuple[str, float]] = []

        def settle() -> None:
            app.processEvents()
            if window._claims is not None:
                window._claims.dock.tree.viewport().repaint()
            for pane in window.panes.panes:
                pane.view.viewport().repaint()

        t0 = time.perf_counter()
        window.actions["claims_dock"].trigger()
        settle()
        rows.append(("claims dock, first opening (built, filled, painted)", (time.perf_counter() - t0) * 1000))
        dock = window.claims.dock
        suggestions = dock.suggestions
        suggestions.set_claim = lambda _uid: None   # type: ignore[method-assign]  # timed on their own below
        rows.append(("claims dock, reopened (all 5,000 uids read, first rows painted)",
                     timed(dock.reload, args.repeat, settle)))

        def filter_by(word: str) -> Callable[[], None]:
            def run() -> None:
                dock.filter.setText(word)
                dock.apply_filter()
            return run

        rows.append(("filter by a word ('kremlin'), then cleared",
                     timed(lambda: (filter_by("kremlin")(), filter_by("")()), args.repeat, settle)))
        rows.append(("  ... the filter alone", timed(filter_by("kremlin"), 1, settle)))
        filter_by("")()
        rows.append(("sort by first appearance (counts every claim)",
                     timed(lambda: dock.model.sort(2), 1, settle)))
        rows.append(("  ... again (counts kept until a write)", timed(lambda: dock.model.sort(2), args.repeat, settle)))
        dock.model.sort(-1)
        uids = dock.model.uids

        def choose(i: int) -> Callable[[], None]:
            return lambda: dock.select_claim(uids[i], user=True)

        picks = iter(range(100, 100 + 10 * args.repeat, 10))
        rows.append(("choose a claim (outlined in the panes)", timed(lambda: choose(next(picks))(), args.repeat,
                                                                    settle)))
        rows.append(("expand it (its spans read)", timed(lambda: dock.tree.expand(dock.tree.currentIndex()), 1,
                                                         settle)))

        # spans no claim holds yet: L makes a claim from the first and links both
        spans = [a for a in store.annotations(article_ids=list(range(1, 40))) if not store.links_of_span(a.uid)]
        pairs = iter(zip(spans[::2], spans[1::2], strict=False))
        claim_ops.link_spans(window.session, [spans[-1].uid, spans[-2].uid])   # the first write loads sqlite-utils
        window.undo()

        def link() -> None:
            a, b = next(pairs)
            claim_ops.link_spans(window.session, [a.uid, b.uid])

        rows.append(("L: link two spans (write, undo step, dock, badges)", timed(link, args.repeat, settle)))
        rows.append(("undo it", timed(window.undo, args.repeat, settle)))
        dock.hide()
        rows.append(("L with the claims dock closed", timed(link, args.repeat, settle)))
        dock.show()

        t0 = time.perf_counter()
        matrix = window.claims.show_matrix()
        app.processEvents()
        matrix.table.viewport().repaint()
        rows.append(("matrix: first opening, 50 claims x 200 articles", (time.perf_counter() - t0) * 1000))
        rows.append(("matrix: next page of claims",
                     timed(lambda: (matrix._page_claims(1), matrix.table.viewport().repaint()), args.repeat,
                           app.processEvents)))
        matrix.close()

        del suggestions.set_claim   # the panel's own method again
        suggestions.claim_uid = None

        pauses: list[float] = []

        def rank(uid: str) -> float:
            t0 = time.perf_counter()
            suggestions.set_claim(uid)
            job = suggestions.job
            last = time.perf_counter()
            while job is not None and job.running:
                app.processEvents()   # the window keeps answering meanwhile: how long between two rounds?
                now = time.perf_counter()
                pauses.append(now - last)
                last = now
            app.processEvents()
            return (time.perf_counter() - t0) * 1000

        rows.append(("suggestions, first claim (index built in a worker)", rank(uids[42])))
        rows.append(("  ... the event loop's longest pause meanwhile", max(pauses) * 1000))
        rows.append(("suggestions, another claim", statistics.median(rank(uids[i]) for i in range(200, 207))))

        print(f"{'what':<62} {'ms':>9}")
        for name, ms in rows:
            print(f"{name:<62} {ms:>9.1f}")
        window.close()
        store.close()


if __name__ == "__main__":
    main()
