"""Claims at newsroom scale: the claims list, the matrix and same-claim suggestions, against plain-SQL floors.

Run by hand:  nice -n 10 python benchmarks/bench_claims.py [--articles 10000] [--spans 200000] [--claims 5000]

Builds a database of synthetic articles (benchmarks/corpus.py) with published
dates, spans, claims and about eight links per claim, then times (medians):

- the claims dock's first page (100 claims, newest first, with per-role
  counts and first appearance), the same filtered by a word, and sorted by
  first appearance (which counts every claim); floor: the same rows read with
  plain sqlite3 (the page, then its links joined to their spans and articles,
  as tuples);
- a claim's spans (what expanding a claim in the dock lists); floor: the same
  join as tuples;
- the matrix: 50 claims x their first 200 articles; floor: the distinct
  (claim, article, role) rows as tuples;
- same-claim suggestions for one claim over every article: the index built
  once (timed), then one ranking; floor: the sparse product that scores every
  sentence, alone.
"""

from __future__ import annotations

import argparse
import random
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

from annotator.core.claim_suggestions import claim_query, index_for, suggest_same_claim  # noqa: E402
from annotator.core.claims import Claim, Link, default_role  # noqa: E402
from annotator.core.importer import Importer  # noqa: E402
from annotator.core.store import Store  # noqa: E402


def median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def build(path: Path, articles: int, spans: int, claims: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    per_article = max(1, spans // articles)
    jsonl = path.with_suffix(".jsonl")
    with jsonl.open("wb") as fh:
        for i, record in enumerate(corpus.articles(articles, 3000, per_article, seed=seed)):
            record["published"] = f"20{15 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            fh.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
    with Store.open(path) as store:
        report = Importer(store, actor="bench").run([jsonl])
        assert report.ok, report.summary()
        span_rows = [(a.uid, a.label, a.text) for a in store.annotations()]
        made: list[Claim] = []
        links: list[Link] = []
        seen: set[str] = set()
        for c in range(claims):
            first = rng.choice(span_rows)
            made.append(Claim(uid=f"claim-{c:05d}", summary=" ".join(first[2].split())[:70] or "claim",
                              claimant=rng.choice(["Bloomberg", "Reuters", "TASS", ""]), created_by="bench",
                              created_at=f"2026-01-01T00:00:{c % 60:02d}.000Z"))
            for uid, label, _text in [first, *rng.sample(span_rows, rng.randint(3, 13))]:
                if (uid, c) in seen:   # type: ignore[comparison-overlap]
                    continue
                seen.add((uid, c))   # type: ignore[arg-type]
                links.append(Link(uid, made[-1].uid, default_role(label), "bench", "2026-01-01T00:00:00.000Z"))
        store.add_claims_and_links(made, links, actor="bench")
        for claim in made[: claims // 3]:
            store.set_verdict(claim.uid, rng.choice(["false", "mostly false", "unproven"]), actor="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=200_000)
    parser.add_argument("--claims", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None, help="Keep (or reuse) the database here.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        path = args.db or Path(tmp_name) / "claims.db"
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.articles, args.spans, args.claims)
            print(f"built {path.name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        store = Store.open(path)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA cache_size = -65536")   # the store's cache, so that the floor is not starved
        n_links = store.link_count()
        print(f"{store.article_count()} articles, {store.annotation_count()} spans, {store.claim_count()} claims,"
              f" {n_links} links")
        rows: list[tuple[str, float, float]] = []

        def floor_page(where: str = "", params: tuple = ()) -> None:  # type: ignore[type-arg]
            page = conn.execute(f"SELECT uid, summary, claimant FROM claims{where} ORDER BY id DESC LIMIT 100",
                                params).fetchall()
            uids = [r[0] for r in page]
            conn.execute(
                "SELECT k.claim_uid, k.role, k.article_id, a.published FROM links k"
                f" JOIN articles a ON a.id = k.article_id WHERE k.claim_uid IN ({', '.join('?' * len(uids))})",
                uids).fetchall()

        rows.append(("claims list, first page (100)",
                     median_ms(lambda: store.claim_rows(sort="created", descending=True, limit=100), args.repeat),
                     median_ms(floor_page, args.repeat)))
        word = "kremlin"
        rows.append((f"claims list filtered ('{word}') + count",
                     median_ms(lambda: (store.claim_rows(search=word, sort="created", descending=True, limit=100),
                                        store.claim_count(search=word)), args.repeat),
                     median_ms(lambda: (floor_page(" WHERE summary LIKE ?", (f"%{word}%",)), conn.execute(
                         "SELECT count(*) FROM claims WHERE summary LIKE ?", (f"%{word}%",)).fetchone()),
                         args.repeat)))
        # Sorting by first appearance counts every claim once, then keeps the counts until something
        # is written: the count itself (what the first sort, or the first after a change, costs)...
        rows.append(("claims list by first appearance: counting all",
                     median_ms(lambda: store._count_claims(None), args.repeat),
                     median_ms(lambda: (conn.execute(
                         "SELECT claim_uid, role, count(DISTINCT article_id), count(*) FROM links"
                         " GROUP BY claim_uid, role").fetchall(), conn.execute(
                         "SELECT k.claim_uid, min(a.published) FROM links k JOIN articles a ON a.id = k.article_id"
                         " WHERE k.role = 'states' GROUP BY k.claim_uid").fetchall()), args.repeat)))
        rows.append(("  ... then each page sorted (counts kept)",
                     median_ms(lambda: store.claim_rows(sort="first_appearance", offset=200, limit=100),
                               args.repeat), rows[-1][2]))
        claim = "claim-00042"
        rows.append(("one claim's spans",
                     median_ms(lambda: store.claim_spans(claim), args.repeat),
                     median_ms(lambda: conn.execute(
                         'SELECT k.span_uid, k.role, n.article_id, n.start, n."end", n.text, a.title, a.source,'
                         " a.published FROM links k JOIN annotations n ON n.uid = k.span_uid"
                         " JOIN articles a ON a.id = n.article_id WHERE k.claim_uid = ?", (claim,)).fetchall(),
                         args.repeat)))
        fifty = [c.claim.uid for c in store.claim_rows(limit=50)]

        def matrix() -> None:
            columns = store.matrix_articles(fifty, limit=200)
            store.claim_matrix(fifty, [a.id for a in columns])

        def matrix_floor() -> None:
            marks = ", ".join("?" * len(fifty))
            ids = [r[0] for r in conn.execute(
                f"SELECT DISTINCT article_id FROM links WHERE claim_uid IN ({marks}) ORDER BY 1 LIMIT 200", fifty)]
            conn.execute(
                f"SELECT DISTINCT claim_uid, article_id, role FROM links WHERE claim_uid IN ({marks})"
                f" AND article_id IN ({', '.join('?' * len(ids))})", [*fifty, *ids]).fetchall()

        rows.append(("matrix, 50 claims x 200 articles", median_ms(matrix, args.repeat),
                     median_ms(matrix_floor, args.repeat)))

        t0 = time.perf_counter()
        index = index_for(store)
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        conn.execute("SELECT id, text FROM articles").fetchall()
        read_floor = time.perf_counter() - t0
        print(f"suggestion index: {len(index)} sentences built in {built:.1f} s (reading the texts alone:"
              f" {read_floor * 1000:.0f} ms); a new article is added on the next call")
        query = claim_query(store, claim)
        rows.append(("same-claim suggestions, one claim, all articles",
                     median_ms(lambda: suggest_same_claim(store, claim, limit=10, index=index), args.repeat),
                     median_ms(lambda: index.scores(query), args.repeat)))

        print(f"{'query':<50} {'ms':>8} {'floor ms':>9} {'ratio':>6}")
        for name, ms, floor in rows:
            print(f"{name:<50} {ms:>8.1f} {floor:>9.1f} {ms / floor if floor else float('nan'):>6.1f}")
        store.close()
        conn.close()


if __name__ == "__main__":
    main()
