"""Export time of every format, as a ratio to the JSONL export floor. Run by hand:

    python benchmarks/bench_formats.py [--articles 1000] [--spans 100] [--repeat 3]

Builds a file database of synthetic articles (``corpus.py``: emoji, RTL,
combining marks, a fifth of the spans nested) through the real importer,
then times each format's export to a file through ``exporter.export`` (the
path the CLI and the GUI take: filtering query, writer, atomic rename).

The floor, measured in the same run on the same rows: a plain ``sqlite3``
SELECT of the articles and spans as tuples, and orjson writing one JSON line
per article. Medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import corpus  # noqa: E402

from annotator.core import exporter, formats  # noqa: E402
from annotator.core.importer import Importer  # noqa: E402
from annotator.core.store import Store  # noqa: E402

NEEDS = {"spacy": "spacy", "parquet": "pyarrow"}


def floor(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        articles = conn.execute(
            "SELECT id, uid, title, source, url, published, sha256, text FROM articles ORDER BY id").fetchall()
        spans = conn.execute(
            'SELECT n.article_id, n.uid, n.start, n."end", l.name, n.text, n.annotator, n.status, n.note,'
            " n.created_at, n.updated_at FROM annotations n JOIN labels l ON l.id = n.label_id"
            ' ORDER BY n.article_id, n.start, n."end", n.uid').fetchall()
    finally:
        conn.close()
    dumps, option = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    i = 0
    with out.open("wb") as fh:
        for article in articles:
            j = i
            while j < len(spans) and spans[j][0] == article[0]:
                j += 1
            fh.write(dumps((article, spans[i:j]), option=option))
            i = j


def median_time(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--spans", type=int, default=100, help="spans per article")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = corpus.write_jsonl(work / "corpus.jsonl", n=args.articles, spans_per_article=args.spans)
        db = work / "bench.db"
        store = Store.open(db)
        started = time.perf_counter()
        report = Importer(store, actor="bench").run([source])
        print(f"built {db.name}: {report.summary()} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        spans = store.annotation_count()

        floor_s = median_time(lambda: floor(db, work / "floor.jsonl"), args.repeat)
        rows: list[tuple[str, float | None, str]] = []
        for fmt in formats.export_formats():
            if fmt.name in NEEDS and importlib.util.find_spec(NEEDS[fmt.name]) is None:
                rows.append((fmt.name, None, f"skipped: {NEEDS[fmt.name]} not installed"))
                continue
            target = work / ("brat-folder" if fmt.name == "brat" else f"out{fmt.suffix or '.out'}")
            seconds = median_time(lambda fmt=fmt, target=target: exporter.export(store, fmt.name, target), args.repeat)
            rows.append((fmt.name, seconds, ""))
        store.close()

    print(f"\n{args.articles} articles, {spans} spans; floor (sqlite3 tuples + orjson lines): "
          f"{floor_s * 1000:.0f} ms; medians of {args.repeat}\n")
    print(f"| {'format':<13} | {'export':>9} | {'x floor':>7} |")
    print(f"| {'-' * 13} | {'-' * 9}:| {'-' * 7}:|")
    print(f"| {'(floor)':<13} | {floor_s * 1000:>6.0f} ms | {1:>7.1f} |")
    for name, seconds, note in rows:
        if seconds is None:
            print(f"| {name:<13} | {note} |")
        else:
            print(f"| {name:<13} | {seconds * 1000:>6.0f} ms | {seconds / floor_s:>7.1f} |")


if __name__ == "__main__":
    main()
