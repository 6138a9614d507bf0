"""A synthetic corpus for the benchmarks: deterministic, with the characters that break offsets.

``articles(n, size)`` yields native JSONL records (text and spans), about
``size`` characters each, mixing plain English with emoji, flags, combining
marks and right-to-left words; a fifth of the spans nest inside or overlap
another, as claims inside denials do in the seed articles.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

WORDS = (
    "the kremlin denied a report that turkey would return its s-400 systems to russia and ask for "
    "the money back said spokesman peskov on thursday while ankara officials told reporters that "
    "washington had demanded the move before any f-35 deal could resume under caatsa sanctions"
).split()
ODD = ["😀", "🇹🇷", "e\u0301", "שלום", "مرحبا", "👩\u200d💻", "Türkiye", "naïve", "𝔘𝔫𝔦"]
LABELS = ("claim", "denial", "background")


def text_of(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
        if rng.random() < 0.5:
            sentence.insert(rng.randrange(len(sentence)), rng.choice(ODD))
        line = " ".join(sentence).capitalize() + "."
        parts.append(line)
        length += len(line) + 1
    return "\n".join(parts)


def spans_of(rng: random.Random, text: str, count: int, annotator: str = "bench") -> list[dict[str, Any]]:
    spans: list[dict[str, Any]] = []
    n = len(text)
    while len(spans) < count:
        if spans and rng.random() < 0.2:
            # nested in or overlapping an earlier span
            base = rng.choice(spans)
            start = rng.randint(base["start"], base["end"] - 1)
            end = min(n, start + rng.randint(1, 60))
        else:
            start = rng.randrange(0, n - 1)
            end = min(n, start + rng.randint(3, 120))
        if start >= end:
            continue
        spans.append({"start": start, "end": end, "label": rng.choice(LABELS), "text": text[start:end],
                      "annotator": annotator})
    return spans


def articles(n: int = 1000, size: int = 3000, spans_per_article: int = 100, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(n):
        text = text_of(rng, size)
        yield {"title": f"Article {i}", "source": rng.choice(["Wire", "Daily", "Agency"]), "text": text,
               "spans": spans_of(rng, text, spans_per_article)}


def write_jsonl(path: Path, n: int = 1000, size: int = 3000, spans_per_article: int = 100) -> Path:
    with path.open("wb") as fh:
        for record in articles(n, size, spans_per_article):
            fh.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
    return path


def write_text_files(folder: Path, n: int = 1000, size: int = 3000) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, record in enumerate(articles(n, size, 0)):
        (folder / f"{i:05d}.txt").write_text(record["text"], encoding="utf-8")
    return folder


def team_articles(n: int = 1000, size: int = 3000, spans_per_article: int = 100,
                  annotators: tuple[str, ...] = ("ana", "bo", "cy"), seed: int = 11) -> Iterator[dict[str, Any]]:
    """Articles tagged by a team: each annotator takes most of a shared set of spans, moving a boundary
    or choosing another label now and then, and adds spans of their own; some are already reviewed.

    ``spans_per_article`` spans in all, shared out between the annotators, so that agreement has
    something to measure and the review queue has every status.
    """
    rng = random.Random(seed)
    for i in range(n):
        text = text_of(rng, size)
        shared = spans_of(rng, text, max(1, spans_per_article // (2 * len(annotators))))
        spans: list[dict[str, Any]] = []
        for k, name in enumerate(annotators):
            mine = []
            for span in shared:
                if rng.random() < 0.2:
                    continue
                start, end, label = span["start"], span["end"], span["label"]
                if rng.random() < 0.2:
                    end = min(len(text), max(start + 1, end + rng.randint(-5, 5)))
                if rng.random() < 0.1:
                    label = rng.choice(LABELS)
                mine.append({"start": start, "end": end, "label": label})
            wanted = spans_per_article // len(annotators) + (k < spans_per_article % len(annotators))
            mine += spans_of(rng, text, max(0, wanted - len(mine)))
            for span in mine[:wanted]:
                status = rng.choices(("pending", "accepted", "rejected"), (7, 2, 1))[0]
                spans.append({"start": span["start"], "end": span["end"], "label": span["label"],
                              "text": text[span["start"]:span["end"]], "annotator": name, "status": status})
        yield {"title": f"Article {i}", "source": rng.choice(["Wire", "Daily", "Agency"]), "text": text,
               "spans": spans}
