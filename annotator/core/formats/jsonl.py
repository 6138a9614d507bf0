"""The native format: the label set and guidelines; one JSON object per article, spans in code points; the claims.

``.jsonl`` is read a line at a time (a bad line is reported and skipped);
``.json`` holds one record or a list of them.

Claims travel too (docs/formats.md): a span linked to claims carries
``"links": [{"claim": UID, "role": ROLE, "created_by": ..., "created_at": ...}]``,
and each claim is a line of its own after the articles: ``{"claim": {...}}``.
Before the articles, a ``{"guidelines": {"text": ..., "labels": [...]}}`` line
carries the project's labels and guidelines when they are not the defaults
(label_set_file.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from ..errors import ImportFileError
from .base import (
    ClaimIn,
    Format,
    GuidelinesIn,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    SpanIn,
    article_fields,
    load_json,
    optional_str,
    read_json_lines,
    span_fields,
)

_SPAN_KEYS = ("start", "end", "label")


def record_from(obj: Any, place: str, origin: str) -> Iterator[ReadItem]:
    """A native record (a dict with ``text`` and optional metadata and ``spans``)."""
    if not isinstance(obj, dict):
        yield Problem(place, f"expected a JSON object, found {type(obj).__name__}")
        return
    if "guidelines" in obj and "text" not in obj:
        if isinstance(obj["guidelines"], dict):
            yield GuidelinesIn(obj["guidelines"], place)
        else:
            yield Problem(place, "'guidelines' is not a JSON object")
        return
    if "claim" in obj and "text" not in obj:
        if isinstance(obj["claim"], dict):
            yield ClaimIn(obj["claim"], place)
        else:
            yield Problem(place, "'claim' is not a JSON object")
        return
    text = obj.get("text")
    if text is None:
        yield Problem(place, "no 'text' field")
        return
    if not isinstance(text, str):
        yield Problem(place, f"'text' is not a string but {type(text).__name__}")
        return
    spans_in = obj.get("spans", [])
    if spans_in is None:
        spans_in = []
    if not isinstance(spans_in, list):
        yield Problem(place, "'spans' is not a list; the record was not imported")
        return
    record = RecordIn(text=text, place=place, origin=origin, uid=optional_str(obj.get("uid")), **article_fields(obj))
    for i, span in enumerate(spans_in):
        span_place = f"{place} span[{i}]"
        if not isinstance(span, dict):
            yield Problem(span_place, "a span must be a JSON object")
            continue
        missing = [k for k in _SPAN_KEYS if k not in span]
        if missing:
            yield Problem(span_place, f"missing {', '.join(repr(k) for k in missing)}")
            continue
        links = span.get("links") or []
        if not isinstance(links, list):
            yield Problem(span_place, "'links' is not a list; the span's links were not imported")
            links = []
        record.spans.append(SpanIn(
            start=span["start"], end=span["end"], label=span["label"], place=span_place,
            text=span.get("text"), uid=optional_str(span.get("uid")), links=links, score=span.get("score"),
            **span_fields(span),
        ))
    yield record


def read_json(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    data = load_json(path, options)
    if isinstance(data, dict):
        yield from record_from(data, str(path), path.name)
    elif isinstance(data, list):
        for i, obj in enumerate(data):
            yield from record_from(obj, f"{path}[{i}]", path.name)
    else:
        raise ImportFileError("expected a JSON object or a list of them")


def write(records: Iterable[dict[str, Any]], out: IO[bytes]) -> None:
    dumps, option = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    for record in records:
        out.write(dumps(record, option=option))


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    if path.suffix.lower() == ".json":
        return read_json(path, options)
    return read_json_lines(path, options, record_from)


FORMAT = Format(
    name="jsonl",
    description="native JSON lines: one article per line with its spans (code points)",
    extensions=(".jsonl", ".ndjson", ".json"),
    read=read,
    write=write,
    suffix=".jsonl",
    carries_claims=True,
)
