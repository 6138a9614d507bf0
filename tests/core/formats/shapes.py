"""Export records written by hand, and a format's reader run on its own: exact shapes in, exact shapes out."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from annotator.core.formats.base import Problem, ReadOptions, RecordIn

ARTICLE_UID = "11111111-1111-4111-8111-111111111111"
SPAN_UIDS = ("22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333")
TEXT = "Kremlin denied a Bloomberg report 😀 claiming that Erdogan raised the issue of returning the S-400."


def span(uid: str, start: int, end: int, label: str, *, annotator: str = "ana", status: str = "pending",
         note: str = "", text: str = TEXT) -> dict[str, Any]:
    return {"uid": uid, "start": start, "end": end, "label": label, "text": text[start:end], "annotator": annotator,
            "status": status, "note": note, "created_at": "2026-01-01T10:00:00Z", "updated_at": "2026-01-02T11:00:00Z"}


def record(spans: Iterable[dict[str, Any]] = (), *, text: str = TEXT, uid: str = ARTICLE_UID, article_id: int = 1,
           title: str = "Kremlin denial", source: str | None = "Wire", url: str | None = "https://example.org/1",
           published: str | None = "2025-12-18") -> dict[str, Any]:
    import hashlib

    return {"id": article_id, "uid": uid, "title": title, "source": source, "url": url, "published": published,
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text, "spans": list(spans)}


def two_spans() -> list[dict[str, Any]]:
    """A reviewed span with a note, and a pending one inside it."""
    return [span(SPAN_UIDS[0], 0, 33, "denial", status="accepted", note="the wire\nreport"),
            span(SPAN_UIDS[1], 17, 33, "claim", annotator="bo")]


def written(write: Callable[..., Any], records: Iterable[dict[str, Any]]) -> tuple[bytes, Any]:
    out = io.BytesIO()
    result = write(list(records), out)
    return out.getvalue(), result


def read_all(read: Callable[[Path, ReadOptions], Iterable[Any]], path: Path) -> tuple[list[RecordIn], list[Problem]]:
    records, problems = [], []
    for item in read(path, ReadOptions()):
        (problems if isinstance(item, Problem) else records).append(item)
    return records, problems


def reasons(problems: Iterable[Problem]) -> list[tuple[str, str, bool]]:
    return [(p.place, p.reason, p.rejected) for p in problems]


def article(record: RecordIn) -> tuple[object, ...]:
    """What a reader made of an article, the reader's own bookkeeping (span limit) left out."""
    return (record.text, record.place, record.title, record.source, record.url, record.published, record.uid,
            record.origin, record.spans)
