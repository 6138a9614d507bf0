"""A small dataset with the characters that break offsets, and round-trip helpers.

The articles mix emoji (astral, ZWJ sequences, flags), combining marks,
right-to-left words and a CRLF input; spans nest and overlap, come from two
annotators, carry notes (one across lines) and review decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest

from annotator.core import exporter
from annotator.core.importer import Importer, ImportReport
from annotator.core.model import STATUSES
from annotator.core.store import Store

CRLF_TEXT = ("Kremlin denied 😀 a \"report\".\r\nPeskov said: e\u0301te\u0301 שלום, مرحبا 🇹🇷!\r\n"
             "The end 👩\u200d💻 here.")
ARTICLES = [
    CRLF_TEXT,
    "Ankara 😀😀 denied the S-400 claim. A second sentence, with naïve 𝔘𝔫𝔦 text.\n\nLast paragraph.",
    "Background only: no spans here 🙂.",
]
# (article index, phrase, occurrence, label, annotator, note, status); offsets are found in the raw text.
SPANS = [
    (0, "Kremlin denied 😀 a \"report\"", 0, "denial", "ana", "", "accepted"),
    (0, "😀 a \"report\"", 0, "claim", "ana", "nested in the denial", "pending"),
    (0, "\"report\".\r\nPeskov said", 0, "background", "ben", "crosses the CRLF\nand has two lines", "rejected"),
    (0, "e\u0301te\u0301 שלום", 0, "claim", "ben", "", "pending"),
    (0, "🇹🇷!", 0, "denial", "ana", "", "pending"),
    (0, "👩\u200d💻", 0, "claim", "ana", "", "accepted"),
    (1, "😀😀 denied", 0, "denial", "ana", "", "pending"),
    (1, "denied the S-400", 0, "claim", "ben", "overlaps", "pending"),
    (1, "naïve 𝔘𝔫𝔦", 0, "background", "ana", "", "pending"),
    (1, ",", 0, "claim", "ana", "bare punctuation", "pending"),
]

# Every field of a span: what a lossless format brings back from a round trip.
ALL = ("start", "end", "label", "text", "uid", "annotator", "status", "note", "created_at", "updated_at",
       "reviewer", "reviewed_at", "review_note")


def raw_spans() -> list[list[dict[str, Any]]]:
    per_article: list[list[dict[str, Any]]] = [[] for _ in ARTICLES]
    for index, phrase, _, label, annotator, note, status in SPANS:
        text = ARTICLES[index]
        start = text.index(phrase)
        review = {} if status == "pending" else {"reviewer": "rita", "reviewed_at": "2026-11-22T10:05:00.000Z",
                                                 "review_note": "a quote" if status == "rejected" else ""}
        per_article[index].append({"start": start, "end": start + len(phrase), "label": label, "text": phrase,
                                   "annotator": annotator, "note": note, "status": status, **review})
    return per_article


@pytest.fixture
def dataset(tmp_path: Path) -> Store:
    """A store filled through the importer from a native file with CRLF text."""
    source = tmp_path / "source.jsonl"
    with source.open("wb") as fh:
        for i, (text, spans) in enumerate(zip(ARTICLES, raw_spans(), strict=True)):
            fh.write(orjson.dumps({"text": text, "title": f"Article {i}", "source": "Wire",
                                   "url": f"https://example.org/{i}", "spans": spans}) + b"\n")
    store = Store.memory()
    report = Importer(store, actor="setup").run([source])
    assert report.ok, report.problems
    assert store.annotation_count() == len(SPANS)
    yield store
    store.close()


def export_to(store: Store, fmt: str, path: Path, **filters: Any) -> exporter.ExportResult:
    """Every span, whatever its status, unless filtered: these tests are about what each format keeps.

    (A format that cannot mark a rejection leaves rejected spans out by default: tests/core/test_export.py.)
    """
    filters.setdefault("statuses", STATUSES)
    filters.setdefault("all_articles", True)
    return exporter.export(store, fmt, path, exporter.ExportFilter(**filters))


def import_into_empty(paths: Sequence[Path], fmt: str | None = None, **kw: Any) -> tuple[Store, ImportReport]:
    store = Store.memory()
    report = Importer(store, actor="importer", format=fmt, **kw).run(paths)
    return store, report


def spans(store: Store, fields: Sequence[str] = ("start", "end", "label", "text")) -> list[tuple[Any, ...]]:
    """Every span of the store as (article text, fields...), sorted."""
    out = []
    for record in store.export_records():
        for span in record["spans"]:
            out.append((record["text"], *(span[f] for f in fields)))
    return sorted(out)


def articles(store: Store, fields: Sequence[str] = ("text",)) -> list[tuple[Any, ...]]:
    return sorted(tuple(r[f] for f in fields) for r in store.export_records())
