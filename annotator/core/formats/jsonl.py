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
    ShapeError,
    SpanIn,
    article_fields,
    as_list,
    guarded,
    kind,
    load_json,
    optional_str,
    read_json_lines,
    span_fields,
)

_SPAN_KEYS = ("start", "end", "label")


def record_from(obj: Any, place: str, origin: str, options: ReadOptions) -> Iterator[ReadItem]:
    """A native record (a dict with ``text`` and optional metadata and ``spans``).

    A field of the wrong type rejects the record (ShapeError, at its place)
    or, inside a span, that span.
    """
    if not isinstance(obj, dict):
        yield Problem(place, f"expected a JSON object, found {kind(obj)}")
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
        yield Problem(place, f"'text' is {kind(text)}, not a string")
        return
    spans_in = as_list(obj.get("spans"), "'spans'")
    record = RecordIn(text=text, place=place, origin=origin, uid=optional_str(obj.get("uid"), "uid"),
                      span_limit=options.span_limit, **article_fields(obj))
    for i, span in enumerate(spans_in):
        span_place = f"{place} span[{i}]"
        if not isinstance(span, dict):
            yield Problem(span_place, f"a span must be a JSON object, found {kind(span)}")
            continue
        missing = [k for k in _SPAN_KEYS if k not in span]
        if missing:
            yield Problem(span_place, f"missing {', '.join(repr(k) for k in missing)}")
            continue
        links = span.get("links") or []
        if not isinstance(links, list):
            yield Problem(span_place, "'links' is not a list; the span's links were not imported")
            links = []
        try:
            record.add_span(SpanIn(
                start=span["start"], end=span["end"], label=span["label"], place=span_place,
                text=span.get("text"), uid=optional_str(span.get("uid"), "uid"), links=links, score=span.get("score"),
                **span_fields(span),
            ))
        except ShapeError as exc:
            yield Problem(span_place, str(exc))
    yield record


def read_json(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    data = load_json(path, options)
    if isinstance(data, dict):
        yield from guarded(str(path), record_from(data, str(path), path.name, options))
    elif isinstance(data, list):
        for i, obj in enumerate(data):
            place = f"{path}[{i}]"
            yield from guarded(place, record_from(obj, place, path.name, options))
    else:
        raise ImportFileError(f"expected a JSON object or a list of them, found {kind(data)}")


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
    carries_status=True,
)
