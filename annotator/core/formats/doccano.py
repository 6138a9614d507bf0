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

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import orjson

from ..errors import ImportFileError
from ..words import count as counted
from .base import (
    ARTICLE_FIELDS,
    SPAN_FIELDS,
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    ShapeError,
    SpanIn,
    article_fields,
    bounded_lines,
    first_line_keys,
    ignored_list,
    kind,
    optional_str,
    parse_json,
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


_DETECT_LINE = 1 << 20


def detect(path: Path) -> bool:
    """A doccano line has span ``label``s or ``entities`` and no native ``spans``.

    Decided on the first line's own keys. A first line longer than 1 MB is
    not parsed but scanned a piece at a time for keys at any depth (so never
    held whole); the native format's ``guidelines`` line, whose label set
    holds ``labels``, says native either way.
    """
    with path.open("rb") as fh:
        for _lineno, line, _length, _ended in bounded_lines(fh, _DETECT_LINE, skip=0):
            if line is None:
                keys = first_line_keys(path, ("spans", "guidelines", "label", "labels", "entities"))
                return not keys & {"spans", "guidelines"} and bool(keys & {"label", "labels", "entities"})
            if not line.strip():
                continue
            try:
                obj = parse_json(line.removeprefix(codecs.BOM_UTF8), ReadOptions(max_bytes=_DETECT_LINE))
            except ImportFileError:
                return False
            return isinstance(obj, dict) and "spans" not in obj and any(
                k in obj for k in ("label", "labels", "entities"))
    return False


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    return read_json_lines(path, options, _record)


def _record(obj: Any, place: str, origin: str, options: ReadOptions) -> Iterator[ReadItem]:
    if not isinstance(obj, dict):
        yield Problem(place, f"expected a JSON object, found {kind(obj)}")
        return
    text = obj.get("text", obj.get("data"))
    if not isinstance(text, str):
        yield Problem(place, "no 'text' string")
        return
    record = RecordIn(text=text, place=place, origin=origin, uid=optional_str(obj.get("uid"), "uid"),
                      span_limit=options.span_limit, **article_fields(obj))
    labels = obj.get("label", obj.get("labels"))
    if labels is None and "entities" in obj:
        given, spans = obj["entities"], _entities(obj["entities"], place)
    else:
        given, spans = labels, _triples(labels, place)
    count = len(given) if isinstance(given, list) else 0  # one span or problem for each
    meta = obj.get("span_meta")
    if isinstance(meta, list) and len(meta) != count:
        yield Problem(place, f"'span_meta' has {counted(len(meta), 'entry', 'entries')} for {counted(count, 'label')}; "
                             "uids and annotators were not taken from it", rejected=False)
        meta = None
    for i, span in enumerate(spans):
        if isinstance(span, Problem):
            yield span
            continue
        if isinstance(meta, list) and isinstance(meta[i], dict):
            try:
                span = replace(span, uid=optional_str(meta[i].get("uid"), "uid"), **span_fields(meta[i]))
                if "score" in meta[i]:
                    span = replace(span, score=meta[i]["score"])
            except ShapeError as exc:
                yield Problem(f"{span.place} span_meta", str(exc))
                continue
        record.add_span(span)
    relations, remarks = ignored_list(obj.get("relations"), "'relations'", place)
    yield from remarks
    for i, relation in enumerate(relations):
        kind_ = relation.get("type") if isinstance(relation, dict) else None
        yield Problem(f"{place} relation[{i}]", f"relation {str(kind_)[:40]!r} not imported: spans here have no "
                                                "relations", rejected=False)
    comments, remarks = ignored_list(obj.get("Comments") or obj.get("comments"), "'comments'", place)
    yield from remarks
    if comments:
        yield Problem(place, f"{len(comments)} doccano comments not imported (articles here carry no comments)",
                      rejected=False)
    yield record


def _triples(labels: Any, place: str) -> Iterator[SpanIn | Problem]:
    if labels is None:
        return
    if not isinstance(labels, list):
        yield Problem(place, f"'label' is {kind(labels)}, not a list")
        return
    for i, item in enumerate(labels):
        span_place = f"{place} label[{i}]"
        if isinstance(item, str):
            yield Problem(span_place, f"{item[:60]!r} labels the whole text (text classification), not a span",
                          rejected=False)
        elif isinstance(item, list) and len(item) in (3, 4):
            # A fourth element is a score, as auto-labelling tools write their predictions.
            yield SpanIn(start=item[0], end=item[1], label=item[2], place=span_place,
                         score=item[3] if len(item) == 4 else None)
        else:
            yield Problem(span_place, f"expected [start, end, label], found {orjson.dumps(item).decode()[:60]}")


def _entities(entities: Any, place: str) -> Iterator[SpanIn | Problem]:
    if not isinstance(entities, list):
        yield Problem(place, f"'entities' is {kind(entities)}, not a list")
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
    carries_status=True,
)
