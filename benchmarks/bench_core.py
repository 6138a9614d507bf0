"""Core speed: import, bulk span insert, JSONL export against its floor, one interactive change.

Run by hand:  python benchmarks/bench_core.py [--articles 1000] [--spans-per-article 100]

Every figure is measured in this run; the export is reported as a ratio to a
floor measured here too: a plain sqlite3 SELECT of the same rows as tuples,
serialised one JSON line per article with orjson (no dataclasses, no filters).
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import corpus  # noqa: E402

from annotator.core import exporter  # noqa: E402
from annotator.core.importer import Importer  # noqa: E402
from annotator.core.store import Store  # noqa: E402


def timed(fn, *args, **kw):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn(*args, **kw)
    return time.perf_counter() - t0, result


def export_floor(path: Path) -> float:
    """Read the same rows as tuples and write one orjson line per article."""
    t0 = time.perf_counter()
    conn = sqlite3.connect(path)
    spans = conn.execute(
        'SELECT n.article_id, n.uid, n.start, n."end", l.name, n.text, n.annotator, n.status, n.note,'
        " n.created_at, n.updated_at FROM annotations n JOIN labels l ON l.id = n.label_id"
        ' ORDER BY n.article_id, n.start, n."end", n.uid'
    ).fetchall()
    articles = conn.execute("SELECT id, uid, title, source, url, published, sha256, text FROM articles ORDER BY id")
    by_article: dict[int, list] = {}
    for row in spans:
        by_article.setdefault(row[0], []).append(row[1:])
    out = io.BytesIO()
    for a in articles:
        out.write(orjson.dumps([*a, by_article.get(a[0], [])], option=orjson.OPT_APPEND_NEWLINE))
    conn.close()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--spans-per-article", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = corpus.write_text_files(tmp / "texts", args.articles)
        jsonl = corpus.write_jsonl(tmp / "corpus.jsonl", args.articles, spans_per_article=args.spans_per_article)
        n_spans = args.articles * args.spans_per_article

        # 1. import of plain articles (a folder of .txt files), one transaction
        store = Store.open(tmp / "texts.db")
        t_import, report = timed(Importer(store, actor="bench").run, [folder])
        assert report.articles_added == args.articles, report.summary()
        store.close()

        # 2. bulk span insert: the articles are there, 100,000 spans arrive in one import
        store = Store.open(tmp / "spans.db")
        articles_only = tmp / "articles.jsonl"
        with articles_only.open("wb") as fh:
            for record in corpus.articles(args.articles, 3000, args.spans_per_article):
                fh.write(orjson.dumps({**record, "spans": []}, option=orjson.OPT_APPEND_NEWLINE))
        Importer(store, actor="bench").run([articles_only])
        t_spans, report = timed(Importer(store, actor="bench").run, [jsonl])
        # the generator may draw the same span twice; the importer keeps one
        assert report.spans_added + report.spans_existing == n_spans, report.summary()
        n_spans = report.spans_added
        store.close()

        # 3. JSONL export against its floor, best of N each, same database file
        db_path = tmp / "spans.db"
        floors, exports = [], []
        for _ in range(args.repeat):
            floors.append(export_floor(db_path))
            store = Store.open(db_path)
            t, result = timed(exporter.export, store, "jsonl", tmp / "out.jsonl")
            store.close()
            exports.append(t)
            assert result.spans == n_spans
        floor, export = min(floors), min(exports)

        # 4. one interactive change: a committed transaction with its event, synchronous=FULL
        store = Store.open(db_path)
        article = store.articles()[0]
        text = store.article_text(article.id)
        adds, relabels = [], []
        for i in range(300):
            start = (i * 7) % (len(text) - 10)
            t, ann = timed(store.add_annotation, article.id, start, start + 5, "claim", annotator="bench")
            adds.append(t)
            t, _ = timed(store.relabel, ann.uid, "denial", actor="bench")
            relabels.append(t)
        store.close()

    ms = 1000
    print(f"articles: {args.articles}, spans: {n_spans}")
    print(f"import {args.articles} .txt articles:      {t_import:.2f} s  ({args.articles / t_import:,.0f} articles/s;"
          f" target < 3 s)")
    print(f"bulk insert of {n_spans:,} spans:    {t_spans:.2f} s  ({n_spans / t_spans:,.0f} spans/s, with events)")
    print(f"export --format jsonl:            {export * ms:.0f} ms")
    print(f"  floor (sqlite3 tuples + orjson): {floor * ms:.0f} ms")
    print(f"  ratio:                           {export / floor:.2f}x  (target <= 2x)")
    add_med, add_p99 = statistics.median(adds) * ms, sorted(adds)[int(len(adds) * 0.99)] * ms
    rel_med = statistics.median(relabels) * ms
    print(f"add one annotation (FULL sync):   median {add_med:.2f} ms, p99 {add_p99:.2f} ms  (target < 2 ms median)")
    print(f"relabel one annotation:           median {rel_med:.2f} ms")


if __name__ == "__main__":
    main()
