"""Newsroom scale (issue 9): the daily loop and the heavy jobs at 1,000, 3,000 and 10,000 articles.

Run by hand:

    nice -n 10 python benchmarks/bench_scale.py [--sizes 1000,3000,10000] [--only search,queue,...]
                                                [--markdown] [--repeat 5]

Databases of N synthetic articles (~3 KB each, 100 spans each from three
annotators, some already reviewed: ``corpus.team_articles``) are built once
through our own importer (so every span has its event) and cached in
``benchmarks/.cache`` (or ``$ANNOTATOR_BENCH_CACHE``); delete a file there to
rebuild it. Each measure runs in a fresh process, so the peak memory it reports
(VmHWM) is its own, and each comes with a floor measured in the same run.

A measure is a function registered with ``@measure("name")``: it gets the
cached database (or None for ``needs_db=False``), the size and a scratch folder,
and returns rows of (what, seconds or a number, floor or None). The GUI
measures belong here too: register them the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402

CACHE = Path(os.environ.get("ANNOTATOR_BENCH_CACHE", HERE / ".cache"))
BUILD_VERSION = 5  # bump when the corpus or what the importer writes changes: cached databases are rebuilt
SIZES = (1000, 3000, 10000)
ms = 1000.0


@dataclass(frozen=True)
class Row:
    what: str
    value: float           # seconds (wall clock), unless ``unit`` says otherwise
    floor: float | None = None
    unit: str = "s"
    # CPU seconds, for the long jobs: on a machine shared with other work the wall
    # clock can be several times the CPU time, and the CPU ratio says what the code costs.
    cpu: float | None = None
    floor_cpu: float | None = None


@dataclass(frozen=True)
class Measure:
    name: str
    run: Callable[[Path | None, int, Path, int], list[Row]]
    needs_db: bool


MEASURES: dict[str, Measure] = {}


def measure(name: str, *, needs_db: bool = True) -> Callable:
    def register(fn: Callable[[Path | None, int, Path, int], list[Row]]) -> Callable:
        MEASURES[name] = Measure(name, fn, needs_db)
        return fn

    return register


def best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds: the machine is shared, noise only adds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------ databases


def cached_db(size: int) -> Path:
    """The database of ``size`` articles, built through our importer on first use."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"newsroom-{size}-v{BUILD_VERSION}.db"
    if path.exists():
        return path
    from annotator.core.importer import Importer
    from annotator.core.store import Store

    print(f"building {path.name} ({size:,} articles, {size * 100:,} spans) ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        files = []
        records = corpus.team_articles(size)
        for chunk in range(0, size, 1000):
            jsonl = Path(tmp) / f"{chunk:06d}.jsonl"
            with jsonl.open("wb") as fh:
                for _ in range(min(1000, size - chunk)):
                    fh.write(orjson.dumps(next(records), option=orjson.OPT_APPEND_NEWLINE))
            files.append(jsonl)
        part = path.with_suffix(".part")
        part.unlink(missing_ok=True)
        with Store.open(part) as store:
            report = Importer(store, actor="bench").run(files)
            assert report.ok, report.summary()
        part.rename(path)
    print(f"  built in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    return path


def writable_copy(db: Path, work: Path) -> Path:
    """A copy to write to: the cached database stays as built."""
    copy = work / db.name
    shutil.copyfile(db, copy)
    return copy


# ------------------------------------------------------------------- measures


@measure("search")
def measure_search(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """One query of the article list's search (titles, sources, texts; accents and case ignored)."""
    import sqlite3

    from annotator.core.store import Store

    assert db is not None
    store = Store.open(db)
    rows = []
    conn = sqlite3.connect(db)

    def floor(needle: str) -> set[int]:
        # What the search did before the index, minus the accent folding: a plain SELECT + casefold.
        return {i for i, title, source, text in conn.execute("SELECT id, title, source, text FROM articles")
                if needle in title.casefold() or needle in (source or "").casefold() or needle in text.casefold()}

    floor_s = best(lambda: floor("kremlin"), repeat)
    for needle in ("kremlin", "peskov on thursday", "Türkiye", "TURKIYE", "article 123", "s-400 systems to russia",
                   "zqxj", "ag"):
        rows.append(Row(f"search {needle!r}", best(lambda n=needle: store.search_articles(n), repeat), floor_s))
    rows.append(Row("floor: SELECT every title, source and text + casefold + `in`", floor_s))
    conn.close()
    store.close()
    return rows


@measure("list")
def measure_list(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """The lazy article list: every id in an order, then the rows of one screenful."""
    import sqlite3

    from annotator.core.store import ArticleOrder, Store

    assert db is not None
    store = Store.open(db)
    conn = sqlite3.connect(db)
    floor_s = best(lambda: conn.execute("SELECT id FROM articles ORDER BY id").fetchall(), repeat)
    rows = []
    for order in (ArticleOrder(), ArticleOrder("title"), ArticleOrder("source", descending=True),
                  ArticleOrder("label", "claim", descending=True), ArticleOrder("total")):
        what = f"ids by {order.by}{' ' + order.label if order.label else ''}{' desc' if order.descending else ''}"
        rows.append(Row(what, best(lambda o=order: store.article_ids(o), repeat), floor_s))
    rows.append(Row("ids by title, searched 'peskov on thursday'",
                    best(lambda: store.article_ids(ArticleOrder("title"), needle="peskov on thursday"), repeat),
                    floor_s))
    page = store.article_ids(ArticleOrder("total", descending=True))[size // 2:size // 2 + 60]
    rows.append(Row("rows + counts of 60 articles", best(lambda: store.article_rows(page), repeat)))
    rows.append(Row("counts of 3 articles", best(lambda: store.label_counts(page[:3]), repeat)))
    rows.append(Row("floor: SELECT id FROM articles ORDER BY id", floor_s))
    conn.close()
    store.close()
    return rows


@measure("queue")
def measure_queue(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """Reviewer mode: open the pending queue, N (next), A (accept and move on), with place and count."""
    from annotator.core.review import PENDING, QueueFilter, ReviewQueue
    from annotator.core.store import Store

    assert db is not None
    copy = writable_copy(db, work)
    rows = []
    t0 = time.perf_counter()
    store = Store.open(copy)
    uid = store.neighbour_annotation(None).uid
    store.annotation(uid)
    floor_open = time.perf_counter() - t0
    store.close()

    for label, flt in (("pending", PENDING), ("pending, one annotator and label",
                                              QueueFilter(statuses=("pending",), annotators=("bo",),
                                                          labels=("denial",)))):
        t0 = time.perf_counter()
        store = Store.open(copy)
        q = ReviewQueue(store, flt, reviewer="rita")
        q.next()
        q.position()
        opened = time.perf_counter() - t0
        rows.append(Row(f"reviewer mode on ({label}): open, first span, place and count", opened, floor_open))
        steps, accepts, floors_n, floors_a = [], [], [], []
        for i in range(max(30, repeat)):
            t0 = time.perf_counter()
            q.next()
            q.position()
            steps.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            q.accept()
            q.next()
            q.position()
            accepts.append(time.perf_counter() - t0)
            current = q.current
            assert current is not None
            t0 = time.perf_counter()
            store.annotation(current.uid)
            floors_n.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            store.set_note(current.uid, f"seen {i}", actor="rita")
            floors_a.append(time.perf_counter() - t0)
        rows.append(Row(f"N ({label}), median", statistics.median(steps), statistics.median(floors_n)))
        rows.append(Row(f"A ({label}), median", statistics.median(accepts), statistics.median(floors_a)))
        store.close()
    rows.append(Row("floor open: open the database and read the first span", floor_open))
    rows.append(Row("floor N: read one span by uid", statistics.median(floors_n)))
    rows.append(Row("floor A: one committed change with its event (a note)", statistics.median(floors_a)))
    return rows


@measure("agreement")
def measure_agreement(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """Agreement between the three annotators over every article."""
    import sqlite3

    from annotator.core.agreement import agreement
    from annotator.core.store import Store

    assert db is not None
    conn = sqlite3.connect(db)

    def floor() -> int:
        # Reading what agreement needs, once, as tuples.
        n = 0
        for _row in conn.execute('SELECT article_id, start, "end", label_id, annotator FROM annotations'
                                 " ORDER BY article_id"):
            n += 1
        return n

    c0, t0 = time.process_time(), time.perf_counter()
    floor()
    floor_s, floor_cpu = time.perf_counter() - t0, time.process_time() - c0
    store = Store.open(db)
    calls = []
    c0, t0 = time.process_time(), time.perf_counter()
    report = agreement(store, progress=lambda done, total: calls.append(done) or True)
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert len(report.annotators) == 3 and calls
    conn.close()
    store.close()
    return [Row("agreement, 3 annotators, every article", took, floor_s, cpu=cpu, floor_cpu=floor_cpu),
            Row("floor: read (article, start, end, label, annotator) of every span", floor_s, cpu=floor_cpu)]


def _import_floor_script() -> str:
    # The floor: read the same JSONL and insert the same rows (ids, uids, hashes, times) with plain
    # executemany into a fresh file, synchronous=FULL, one transaction, no events, no indexes but the keys.
    return """
import hashlib, os, sqlite3, sys, orjson
src, dst = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(dst, isolation_level=None)
conn.execute("PRAGMA synchronous = FULL")
conn.executescript('''
CREATE TABLE articles (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL, source TEXT, url TEXT, published TEXT, origin TEXT, text TEXT NOT NULL,
  length INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE annotations (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, article_id INTEGER NOT NULL,
  start INTEGER NOT NULL, "end" INTEGER NOT NULL, label TEXT NOT NULL, text TEXT NOT NULL,
  annotator TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);
''')
articles, spans = [], []
with open(src, "rb") as fh:
    for i, line in enumerate(fh, 1):
        r = orjson.loads(line)
        text = r["text"]
        articles.append((i, os.urandom(16).hex(), hashlib.sha256(text.encode()).hexdigest(), r["title"],
                         r.get("source"), text, len(text), "2026-01-01T00:00:00.000Z"))
        for s in r["spans"]:
            spans.append((os.urandom(16).hex(), i, s["start"], s["end"], s["label"], s["text"], s["annotator"],
                          s.get("status", "pending"), "2026-01-01T00:00:00.000Z"))
conn.execute("BEGIN")
conn.executemany("INSERT INTO articles (id, uid, sha256, title, source, text, length, created_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", articles)
conn.executemany('INSERT INTO annotations (uid, article_id, start, "end", label, text, annotator, status,'
                 ' created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', spans)
conn.execute("COMMIT")
"""


@measure("import", needs_db=False)
def measure_import(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """``annotator import`` of N articles x 20 spans (a process, with its events) against the floor process."""
    jsonl = work / f"import-{size}.jsonl"
    with jsonl.open("wb") as fh:
        for record in corpus.team_articles(size, spans_per_article=20, seed=23):
            fh.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
    floor_script = work / "import_floor.py"
    floor_script.write_text(_import_floor_script())

    peak_file = work / "peak"
    # The import runs under a wrapper that notes its own peak memory as it exits.
    ours_cmd = [sys.executable, "-c",
                "import atexit, runpy, sys\n"
                "def note():\n"
                f"    lines = open('/proc/self/status').read().splitlines()\n"
                f"    open({str(peak_file)!r}, 'w').write(next(x for x in lines if x.startswith('VmHWM:')))\n"
                "atexit.register(note)\n"
                "sys.argv = ['annotator', *sys.argv[1:]]\n"
                "runpy.run_module('annotator', run_name='__main__')\n"]

    def timed_process(args: list[str], target: Path) -> tuple[float, float]:
        import resource

        target.unlink(missing_ok=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        took = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return took, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

    ours_db, floor_db = work / "ours.db", work / "floor.db"
    ours, floors = [], []
    for _ in range(max(1, min(repeat, 3))):
        floors.append(timed_process([sys.executable, str(floor_script), str(jsonl), str(floor_db)], floor_db))
        ours.append(timed_process([*ours_cmd, "import", "--db", str(ours_db), str(jsonl)], ours_db))
    peak = int(peak_file.read_text().split()[1]) / 1024
    (took, cpu), (floor_s, floor_cpu) = min(ours), min(floors)
    return [Row("annotator import N x 20 spans (a process, with an event per article and span)", took, floor_s,
                cpu=cpu, floor_cpu=floor_cpu),
            Row("floor: a process reading the JSONL, executemany into a fresh file, FULL sync", floor_s,
                cpu=floor_cpu),
            Row("peak memory of the import process", peak, unit="MB")]


@measure("verify")
def measure_verify(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """``verify``: the hash chain and the tables against the log, against a loop that only re-hashes."""
    import sqlite3

    from annotator.core import audit
    from annotator.core.store import Store
    from annotator.core.store.events import GENESIS_HASH, event_hash

    assert db is not None
    conn = sqlite3.connect(db)

    def floor() -> int:
        prev, n = GENESIS_HASH, 0
        for row in conn.execute("SELECT uid, at, actor, action, entity, entity_uid, before, after, hash"
                                " FROM events ORDER BY id"):
            digest = event_hash(prev, row[:8])
            assert digest == row[8]
            prev, n = digest, n + 1
        return n

    c0, t0 = time.process_time(), time.perf_counter()
    events = floor()
    floor_s, floor_cpu = time.perf_counter() - t0, time.process_time() - c0
    conn.close()
    store = Store.open(db)
    c0, t0 = time.process_time(), time.perf_counter()
    report = audit.verify(store)
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert report.ok, report.summary()
    store.close()
    return [Row("verify (chain, then the tables against the log)", took, floor_s, cpu=cpu, floor_cpu=floor_cpu),
            Row("events", events, unit="events"),
            Row("floor: a loop that only re-hashes the chain", floor_s, cpu=floor_cpu)]


# ---------------------------------------------------------------- the window
# Each GUI measure runs offscreen in its own process (as every measure does), on a
# writable copy of the cached database, through the window a user has: the real
# MainWindow, its actions and keys' handlers, with a repaint after each step.


def _window(db: Path, work: Path):  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.core.store import Store
    from annotator.gui.app import apply_style
    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import WindowSettings

    app = QApplication.instance() or QApplication([])
    apply_style(app)
    settings = WindowSettings(QSettings(str(work / "window.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Store.open(db), "bench", settings)
    window.restore_state()
    window.resize(1500, 920)
    window.show()
    app.processEvents()
    return app, window


def _select(view, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.document())
    cursor.setPosition(view.positions.to_qt(start))
    cursor.setPosition(view.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def _commit_floor(store, repeat: int = 30) -> float:  # type: ignore[no-untyped-def]
    """One committed change with its event (a note on a span), median: what any saved action costs here."""
    uid = store.neighbour_annotation(None).uid
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        store.set_note(uid, f"floor {i}", actor="bench")
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


@measure("gui-start", needs_db=True)
def measure_gui_start(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """Start to first paint (`annotator --db`), against the same start on the five seeds."""
    from annotator.core.importer import Importer
    from annotator.core.paths import seeds_dir
    from annotator.core.store import Store

    assert db is not None
    seeds = work / "seeds.db"
    with Store.open(seeds) as store:
        Importer(store, actor="bench").run([seeds_dir()])
    big = writable_copy(db, work)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(work / "data"),
               XDG_CONFIG_HOME=str(work / "config"), ANNOTATOR_QUIT_AFTER_FIRST_PAINT="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)   # an installed app runs from cached bytecode
    (work / "config" / "annotator").mkdir(parents=True, exist_ok=True)
    (work / "config" / "annotator" / "profile.json").write_text('{"annotator": "bench"}')

    def launch(path: Path) -> float:
        t0 = time.time()
        out = subprocess.run([sys.executable, "-m", "annotator", "--db", str(path)], env=env, capture_output=True,
                             text=True, check=True, cwd=HERE.parent)
        painted = float(next(line for line in out.stdout.splitlines() if line.startswith("first-paint")).split()[1])
        return painted - t0

    launch(seeds), launch(big)   # bytecode and the OS's file cache warm for both
    times: dict[str, list[float]] = {"seeds": [], "big": []}
    for _ in range(max(5, repeat)):   # interleaved: a busy moment falls on both alike
        times["seeds"].append(launch(seeds))
        times["big"].append(launch(big))
    floor = statistics.median(times["seeds"])
    return [Row("start to first paint", statistics.median(times["big"]), floor),
            Row("floor: the same start on the five seed articles", floor)]


@measure("gui-add")
def measure_gui_add(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """Select words at random places of an article, press a label key: committed and repainted."""
    import random

    from PySide6.QtWidgets import QApplication

    assert db is not None
    app, window = _window(writable_copy(db, work), work)
    store = window.session.store
    rng = random.Random(5)
    rows = []
    floors: list[float] = []
    noted = store.neighbour_annotation(None).uid

    def add_spans(n: int) -> list[float]:
        # Each tag is followed by the floor, a bare committed note: on a disk shared with
        # other work a commit costs 5 to 25 ms from one minute to the next, so the two
        # are measured side by side.
        times = []
        for _ in range(n):
            pane = window.panes.panes[rng.randrange(2)]
            article_id = rng.choice(store.article_ids()[:: max(1, size // 50)])
            if pane.article is None or pane.article.id != article_id:
                window.open_article(article_id, pane)
            view = pane.view
            text = view.text
            start = rng.randrange(0, max(1, len(text) - 60))
            start = text.find(" ", start) + 1
            end = text.find(" ", start + rng.randint(3, 40))
            if end <= start:
                continue
            view.scroll_to_offset(start)
            _select(view, start, end)
            app.processEvents()
            t0 = time.perf_counter()
            window.tagging.tag(rng.choice(["claim", "denial", "background"]))
            app.processEvents()   # the next frame: what the tag made dirty is painted
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            store.set_note(noted, f"floor {len(floors)}", actor="bench")
            floors.append(time.perf_counter() - t0)
        return times

    for label, flip in (("", False), (" (after reviewer mode was switched on and off)", True)):
        if flip:
            window.actions["review_mode"].setChecked(True)
            app.processEvents()
            window.actions["review_mode"].setChecked(False)
            app.processEvents()
        times = sorted(add_spans(max(40, repeat * 8)))
        floor = statistics.median(floors)
        rows.append(Row(f"add one span{label}, median", statistics.median(times), floor))
        rows.append(Row(f"add one span{label}, p90", times[int(len(times) * 0.9)], floor))
    rows.append(Row("floor: one committed note, measured after each tag, median", statistics.median(floors)))
    QApplication.processEvents()
    return rows


@measure("gui-review")
def measure_gui_review(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """Reviewer mode on, then N and A in it, through the window (queue dock, pane opened at the span)."""
    assert db is not None
    app, window = _window(writable_copy(db, work), work)
    floor = _commit_floor(window.session.store)
    t0 = time.perf_counter()
    window.actions["review_mode"].setChecked(True)
    app.processEvents()
    on = time.perf_counter() - t0
    steps, accepts = [], []
    for _ in range(max(20, repeat * 4)):
        t0 = time.perf_counter()
        window.review.step(1)
        app.processEvents()
        steps.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        window.review.accept()
        app.processEvents()
        accepts.append(time.perf_counter() - t0)
    return [Row("reviewer mode on (queue, first span opened in a pane)", on),
            Row("N (next span, shown in its pane), median", statistics.median(steps), floor),
            Row("A (accept, move on), median", statistics.median(accepts), floor),
            Row("floor: one committed change with its event (a note), median", floor)]


@measure("gui-open")
def measure_gui_open(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """Open an article in a pane (fetch, lay out, format the visible spans, paint)."""
    from annotator.gui.highlighter import NoSpans

    assert db is not None
    app, window = _window(writable_copy(db, work), work)
    store = window.session.store
    pane = window.panes.panes[0]
    ids = store.article_ids()
    picks = [ids[(i * 7919) % len(ids)] for i in range(max(10, repeat * 2))]

    def open_with(article_id: int, spans: bool) -> float:
        pane.clear()
        store._texts.clear()   # noqa: SLF001 - measure the fetch from SQLite too
        app.processEvents()
        t0 = time.perf_counter()
        if spans:
            window.open_article(article_id, pane)
        else:
            pane.show_article(store.article(article_id), store.article_text(article_id), NoSpans(), window.styles)
        pane.view.viewport().repaint()
        return time.perf_counter() - t0

    floor = statistics.median(open_with(a, False) for a in picks)
    opened = statistics.median(open_with(a, True) for a in picks)
    return [Row("open an article (100 spans) in a pane, median", opened, floor),
            Row("floor: the same text shown with no spans", floor)]


@measure("gui-search")
def measure_gui_search(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """Type a query in the article list's search: the list shows the matches (searched, reset, painted)."""
    import sqlite3

    assert db is not None
    app, window = _window(writable_copy(db, work), work)
    dock = window.article_list
    conn = sqlite3.connect(db)
    floor = best(lambda: conn.execute("SELECT id, title FROM articles").fetchall(), repeat)
    rows = []
    for needle in ("peskov on thursday", "kremlin", "turkiye"):
        def run(n: str = needle) -> None:
            dock.search.setText(n)
            dock._search()   # noqa: SLF001 - what the pause after typing triggers
            dock.table.viewport().repaint()
            dock.search.setText("")
            dock._search()   # noqa: SLF001
        rows.append(Row(f"search {needle!r}: results shown (and cleared again)", best(run, repeat), floor))
    rows.append(Row("floor: SELECT id, title of every article", floor))
    conn.close()
    return rows


@measure("gui-agreement")
def measure_gui_agreement(db: Path | None, size: int, work: Path, repeat: int) -> list[Row]:
    """Agreement over everything from the dialog, in a worker: how long, and the longest stall of the window."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QPushButton

    from annotator.gui.review_dialogs import AgreementDialog

    assert db is not None
    app, window = _window(writable_copy(db, work), work)
    dialog = AgreementDialog(window.session.store, None, window)
    clock = QElapsedTimer()
    gaps: list[int] = []
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    t0 = time.perf_counter()
    dialog.findChild(QPushButton, "computeAgreement").click()
    # The window waits as it does for a user: in its event loop, asleep between events. (Spinning
    # processEvents here took the GIL from the worker: 6.4 s at 10,000 articles against 2.8 s.)
    if dialog.report is None:
        assert dialog.job is not None
        waiting = QEventLoop()
        dialog.job.finished.connect(waiting.quit)
        waiting.exec()
    if dialog.report is None:
        raise SystemExit(dialog.job.error if dialog.job is not None else "no agreement job")
    took = time.perf_counter() - t0
    timer.stop()
    stall = max(gaps) / 1000.0

    # The floor: the same window while a thread runs plain Python for as long (the GIL
    # is shared, and a loaded machine schedules the window late): no code of ours.
    import threading

    done = threading.Event()

    def busy() -> None:
        end = time.perf_counter() + min(took, 5.0)
        while time.perf_counter() < end:
            sum(range(1000))
        done.set()

    gaps.clear()
    last[0] = clock.elapsed()
    timer.start()
    waiting = QEventLoop()
    check = QTimer()
    check.setInterval(5)
    check.timeout.connect(lambda: waiting.quit() if done.is_set() else None)
    check.start()
    threading.Thread(target=busy).start()
    waiting.exec()
    check.stop()
    timer.stop()
    floor = max(gaps) / 1000.0
    return [Row("agreement, 3 annotators, every article, in a worker", took),
            Row("longest stall of the window's event loop meanwhile (5 ms ticks)", stall, floor),
            Row("floor: longest stall while a thread runs plain Python as long", floor)]


# ------------------------------------------------------------------- running


def run_child(name: str, db: str | None, size: int, work: str, repeat: int) -> None:
    rows = MEASURES[name].run(Path(db) if db else None, size, Path(work), repeat)
    print(json.dumps({"rows": [r.__dict__ for r in rows], "peak_mb": peak_mb()}))


def run_measure(name: str, size: int, repeat: int) -> tuple[list[Row], float]:
    spec = MEASURES[name]
    db = str(cached_db(size)) if spec.needs_db else ""
    with tempfile.TemporaryDirectory(dir=CACHE) as work:
        result = subprocess.run(
            [sys.executable, __file__, "--child", name, "--db", db, "--size", str(size), "--work", work,
             "--repeat", str(repeat)],
            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{name} at {size}: {result.stderr.strip()}")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    return [Row(**r) for r in out["rows"]], out["peak_mb"]


def show(value: float, unit: str) -> str:
    if unit != "s":
        return f"{value:,.0f} {unit}"
    return f"{value:.2f} s" if value >= 1 else f"{value * ms:.1f} ms" if value >= 0.001 else f"{value * ms:.2f} ms"


def cell_text(r: Row) -> str:
    """The value, its ratio to the floor (when it is not tiny beside it), and the CPU time and ratio."""
    text = show(r.value, r.unit)
    if r.floor and not r.what.startswith("floor") and r.value >= r.floor / 20:
        text += f" ({r.value / r.floor:.2f}x)"
    if r.cpu is not None:
        text += f"; CPU {show(r.cpu, 's')}"
        if r.floor_cpu:
            text += f" ({r.cpu / r.floor_cpu:.2f}x)"
    return text


def table(name: str, sizes: list[int], results: dict[int, tuple[list[Row], float]]) -> str:
    lines = [f"### {name}", "", "| | " + " | ".join(f"{s:,} articles" for s in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    first = results[sizes[0]][0]
    for i, row in enumerate(first):
        cells = []
        for size in sizes:
            r = results[size][0][i]
            cells.append(cell_text(r))
        lines.append(f"| {row.what} | " + " | ".join(cells) + " |")
    lines.append("| peak memory (VmHWM) | " + " | ".join(f"{results[s][1]:.0f} MB" for s in sizes) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--only", default=",".join(MEASURES), help=f"measures: {', '.join(MEASURES)}")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print tables for docs/benchmarks.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.db, args.size, args.work, args.repeat)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(names) - set(MEASURES)
    if unknown:
        raise SystemExit(f"unknown measures: {', '.join(sorted(unknown))} (known: {', '.join(MEASURES)})")
    for name in names:
        results = {}
        for size in sizes:
            rows, peak = run_measure(name, size, args.repeat)
            results[size] = (rows, peak)
            if not args.markdown:
                print(f"{name} @ {size:,} articles (peak {peak:.0f} MB)")
                for r in rows:
                    print(f"  {r.what:<78} {cell_text(r)}")
                sys.stdout.flush()
        if args.markdown:
            print(table(name, sizes, results))
            print()


if __name__ == "__main__":
    main()
