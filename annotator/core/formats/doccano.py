"""doccano's sequence-labelling JSONL: ``{"text": ..., "label": [[start, end, "LABEL"], ...]}``.

Offsets are code points (doccano's backend is Python). Its span triples have
no room for a uid or an annotator, so each line also carries ``span_meta``,
a list parallel to ``label`` (doccano keeps unknown keys as metadata), and
the article's own fields; a file from doccano itself has neither and imports
with its spans credited to "unknown" (or to `--annotator`).

A span may carry a score (a model's confidence, for ``annotator import
--as-suggestions``): a fourth element of its triple, or ``score`` in its
``span_meta`` entry or its entity.

Read as well: doccano's relation-mode export (``entities`` with
``start_offset``/``end_offset``); its relations, its text-classification
labels and its comments have no place here and are reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import orjson

from .base import (
    ARTICLE_FIELDS,
    SPAN_FIELDS,
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    SpanIn,
    article_fields,
    optional_str,
    read_json_lines,
    span_fields,
)


def write(records: Iterable[dict[str, Any]], out: IO[bytes]) -> None:
    dumps, option = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    for record in records:
        spans = record["spans"]
        line: dict[str, Any] = {
            "id": record["id"],
            "text": record["text"],
            "label": [[s["start"], s["end"], s["label"]] for s in spans],
            "uid": record["uid"],
            **{key: record[key] for key in ARTICLE_FIELDS},
            "span_meta": [{key: s[key] for key in SPAN_FIELDS} for s in spans],
        }
        out.write(dumps(line, option=option))


def detect(path: Path) -> bool:
    """A doccano line has span ``label``s or ``entities`` and no native ``spans``."""
    with path.open("rb") as fh:
        for raw in fh:
            if raw.strip():
                try:
                    obj = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    return False
                return isinstance(obj, dict) and "spans" not in obj and any(
                    k in obj for k in ("label", "labels", "entities"))
    return False


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    return read_json_lines(path, options, _record)


def _record(obj: Any, place: str, origin: str) -> Iterator[ReadItem]:
    if not isinstance(obj, dict):
        yield Problem(place, f"expected a JSON object, found {type(obj).__name__}")
        return
    text = obj.get("text", obj.get("data"))
    if not isinstance(text, str):
        yield Problem(place, "no 'text' string")
        return
    record = RecordIn(text=text, place=place, origin=origin, uid=optional_str(obj.get("uid")), **article_fields(obj))
    labels = obj.get("label", obj.get("labels"))
    if labels is None and "entities" in obj:
        spans = list(_entities(obj["entities"], place))
    else:
        spans = list(_triples(labels or [], place))
    meta = obj.get("span_meta")
    if isinstance(meta, list) and len(meta) != len(spans):
        yield Problem(place, f"'span_meta' has {len(meta)} entries for {len(spans)} labels; "
                             "uids and annotators were not taken from it", rejected=False)
        meta = None
    for i, span in enumerate(spans):
        if isinstance(span, Problem):
            yield span
            continue
        if isinstance(meta, list) and isinstance(meta[i], dict):
            span = replace(span, uid=optional_str(meta[i].get("uid")), **span_fields(meta[i]))
            if "score" in meta[i]:
                span = replace(span, score=meta[i]["score"])
        record.spans.append(span)
    for i, relation in enumerate(obj.get("relations") or []):
        kind = relation.get("type") if isinstance(relation, dict) else None
        yield Problem(f"{place} relation[{i}]", f"relation {kind!r} not imported: spans here have no relations",
                      rejected=False)
    comments = obj.get("Comments") or obj.get("comments") or []
    if comments:
        yield Problem(place, f"{len(comments)} doccano comments not imported (articles here carry no comments)",
                      rejected=False)
    yield record


def _triples(labels: Any, place: str) -> Iterator[SpanIn | Problem]:
    if not isinstance(labels, list):
        yield Problem(place, "'label' is not a list")
        return
    for i, item in enumerate(labels):
        span_place = f"{place} label[{i}]"
        if isinstance(item, str):
            yield Problem(span_place, f"{item!r} labels the whole text (text classification), not a span",
                          rejected=False)
        elif isinstance(item, list) and len(item) in (3, 4):
            # A fourth element is a score, as auto-labelling tools write their predictions.
            yield SpanIn(start=item[0], end=item[1], label=item[2], place=span_place,
                         score=item[3] if len(item) == 4 else None)
        else:
            yield Problem(span_place, f"expected [start, end, label], found {orjson.dumps(item).decode()[:60]}")


def _entities(entities: Any, place: str) -> Iterator[SpanIn | Problem]:
    if not isinstance(entities, list):
        yield Problem(place, "'entities' is not a list")
        return
    for i, item in enumerate(entities):
        span_place = f"{place} entities[{i}]"
        if not isinstance(item, dict) or not {"start_offset", "end_offset", "label"} <= item.keys():
            yield Problem(span_place, "an entity needs start_offset, end_offset and label")
            continue
        yield SpanIn(start=item["start_offset"], end=item["end_offset"], label=item["label"], place=span_place,
                     score=item.get("score"))


FORMAT = Format(
    name="doccano",
    description="doccano sequence-labelling JSONL: text and [start, end, label] triples (code points)",
    extensions=(".jsonl",),
    read=read,
    write=write,
    suffix=".jsonl",
    detect=detect,
)
