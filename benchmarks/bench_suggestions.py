"""Suggestions at scale: cue rules over 1,000 articles, training on 20,000 spans, and the GIL while it trains.

Run by hand:  nice -n 10 python benchmarks/bench_suggestions.py [--articles 1000] [--spans 20000]

The corpus is made of the seed articles' own sentences (tests/data/seeds_gold.jsonl):
each synthetic article of about 3 KB strings sentences drawn from the seeds
together, carrying the gold spans that lie in them, so the rules find their
cues and the model real labels. Times (best of a few runs where cheap):

- the cue rules over every article, stored (``suggest_with_rules``: sentence
  cutting, cue matching, one transaction with an event per suggestion);
  target under 5 s for 1,000 articles of 3 KB; and the rules alone;
- training on every span (``train``): without cross-validation (what a
  retrain after new tags costs) and with 5 folds (``annotator train``);
  target under 10 s for 20,000 spans;
- the window's view of it: training runs in a background thread on its own
  connection (as gui.jobs runs work) while this thread ticks every 5 ms, as
  an event loop would; the longest gap between ticks beyond the 5 ms is the
  longest the window would freeze. Then the same thread running
  ``train_in_subprocess`` (training in another process, the thread waiting
  on its progress), and a thread that only sleeps, the floor on a loaded machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.claim_suggestions import sentences  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.core.suggest_model import suggest_with_model, train, train_in_subprocess  # noqa: E402
from annotator.core.suggest_rules import CueSet, rule_candidates, suggest_with_rules  # noqa: E402

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds_gold.jsonl"

Piece = tuple[str, list[tuple[int, int, str]]]


def pieces() -> tuple[list[Piece], list[Piece]]:
    """The seeds' sentences with the gold spans inside each (offsets within the sentence): tagged, untagged."""
    tagged, untagged = [], []
    for line in GOLD.read_bytes().splitlines():
        record = orjson.loads(line)
        text = record["text"]
        for start, end in sentences(text):
            spans = [(s["start"] - start, s["end"] - start, s["label"]) for s in record["spans"]
                     if start <= s["start"] and s["end"] <= end]
            (tagged if spans else untagged).append((text[start:end], spans))
    return tagged, untagged


def article(rng: random.Random, tagged: list[Piece], untagged: list[Piece], spans: int) -> Piece:
    """About 3 KB of seed sentences holding ``spans`` gold spans (one sentence in five untagged)."""
    parts: list[str] = []
    found: list[tuple[int, int, str]] = []
    at = 0
    while len(found) < spans:
        text, inside = rng.choice(untagged) if rng.random() < 0.2 else rng.choice(tagged)
        found += [(at + s, at + e, label) for s, e, label in inside]
        parts.append(text)
        at += len(text) + 1
    return "\n".join(parts), found[:spans]


def build(path: Path, articles: int, spans: int, *, tag: bool = True) -> None:
    """The corpus (the same for the same sizes), with its spans tagged or not."""
    rng = random.Random(5)
    tagged, untagged = pieces()
    per_article = max(1, spans // articles)
    with Store.open(path) as store, store.transaction():
        for i in range(articles):
            text, found = article(rng, tagged, untagged, per_article)
            a, _ = store.add_article(text, title=f"Article {i}", actor="bench")
            if tag:
                store.add_annotations([store.build_annotation(a.id, s, e, label, annotator="bench")
                                       for s, e, label in found], actor="bench")


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def ticking(work: threading.Thread) -> tuple[float, float, int]:
    """Tick every 5 ms until ``work`` ends: (longest stall beyond the tick, 99th percentile, ticks)."""
    gaps = []
    work.start()
    last = time.perf_counter()
    while work.is_alive():
        time.sleep(0.005)
        now = time.perf_counter()
        gaps.append(now - last - 0.005)
        last = now
    work.join()
    gaps.sort()
    return gaps[-1], gaps[int(len(gaps) * 0.99)], len(gaps)


def _train_in(path: Path, how: Callable[..., object]) -> None:
    with Store.open(path) as store:
        how(store, actor="bench", folds=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--spans", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        build(path, args.articles, args.spans)
        print(f"built {args.articles} articles, {args.spans} spans in {time.perf_counter() - t0:.1f} s")
        plain = Path(tmp) / "untagged.db"
        build(plain, args.articles, args.spans, tag=False)
        with Store.open(plain) as store:
            texts = [store.article_text(a.id) for a in store.articles()]
            size = sum(len(t.encode()) for t in texts) / len(texts)
            cues = CueSet.of(store.cues())
            alone = best(lambda: [rule_candidates(t, cues) for t in texts], 3)
            t0 = time.perf_counter()
            report = suggest_with_rules(store, actor="bench")
            stored = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = suggest_with_rules(store, actor="bench")
            rerun = time.perf_counter() - t0
        print(f"\ncue rules over {len(texts)} untagged articles of {size / 1000:.1f} KB:")
        print(f"  rules alone:              {alone:6.2f} s")
        print(f"  rules, stored:            {stored:6.2f} s  ({report.total} suggestions, an event each; target < 5 s)")
        print(f"  the same run again:       {rerun:6.2f} s  ({again.total} new: every one is there already)")
        with Store.open(path) as store:
            quick = best(lambda: train(store, actor="bench", folds=0), 2)
            cross = best(lambda: train(store, actor="bench", folds=5), 1)
            model = store.stored_model()
            assert model is not None
        with Store.open(plain) as store:
            store.save_model(model, actor="bench")   # the same model, scoring untagged articles
            t0 = time.perf_counter()
            made = suggest_with_model(store, actor="bench")
            scored = time.perf_counter() - t0
        print(f"\ntraining on {args.spans} spans ({model.metrics['units']} sentences and clauses):")
        print(f"  train, no cross-validation: {quick:6.2f} s  (target < 10 s)")
        print(f"  train, 5-fold by article:   {cross:6.2f} s")
        print(f"  stored model: {len(model.weights) / 1e6:.1f} MB of arrays")
        print(f"  model suggestions over {len(texts)} articles, stored: {scored:.2f} s ({made.total} suggestions)")
        print("\nthe window while it trains (no cross-validation; scikit-learn imported already), a tick every 5 ms:")
        baseline = threading.Thread(target=time.sleep, args=(3,))
        worst, p99, ticks = ticking(baseline)
        print(f"  {'idle':<28} longest stall {worst * 1000:6.1f} ms, 99th percentile {p99 * 1000:5.1f} ms")
        for name, how in (("train in a thread", train), ("train_in_subprocess", train_in_subprocess)):
            worst, p99, ticks = ticking(threading.Thread(target=_train_in, args=(path, how)))
            print(f"  {name:<28} longest stall {worst * 1000:6.1f} ms, 99th percentile {p99 * 1000:5.1f} ms"
                  f" ({ticks} ticks)")

if __name__ == "__main__":
    main()
