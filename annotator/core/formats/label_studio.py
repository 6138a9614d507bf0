"""Label Studio's JSON export of a Labels-on-Text task.

A list of tasks ``{"data": {"text": ...}, "annotations": [{"result": [...]}]}``
whose results are ``{"type": "labels", "from_name": "label", "to_name": "text",
"value": {"start", "end", "text", "labels": [...]}}``. Written for the labelling
config::

    <View>
      <Labels name="label" toName="text"> <Label value="claim"/> ... </Labels>
      <Text name="text" value="$text"/>
    </View>

Offsets: Label Studio 1.23 stores code points, and that is what is written.
Older versions and other JavaScript tools wrote UTF-16 units, which land one
unit late after every emoji, and its server accepts any offsets unchecked; so
on import each span's ``text`` is checked against the code-point reading
first and the UTF-16 reading second (``RecordIn.utf16_fallback``), and spans
matching neither are reported.

One Label Studio annotation holds one annotator's spans; the annotator's name
goes in an ``annotator`` key Label Studio ignores (its ``completed_by`` is a
user id of that server). A span's uid is its result ``id``, its note the
region's ``meta.text``. Only ids that are UUIDs (ours) are kept as uids:
Label Studio's own short region ids are reused when an annotation is copied,
and two annotators' spans must not collide on them. Review status is not
carried.

A task's ``predictions`` (a model's output: ``{"model_version", "score",
"result": [...]}``, each region possibly with a ``score`` of its own) are
read only by an import of suggestions (``ReadOptions.predictions``); an
import of annotations reports and skips them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from ..errors import ImportFileError
from ..hints import AS_SUGGESTIONS
from ..words import count
from .base import (
    ARTICLE_FIELDS,
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    ShapeError,
    SpanIn,
    article_fields,
    as_dict,
    as_list,
    guarded,
    has_json_key,
    ignored_list,
    json_prefix,
    kind,
    load_json,
    optional_str,
    text_value,
    uuid_or_none,
)

FROM_NAME = "label"
TO_NAME = "text"


def write(records: Iterable[dict[str, Any]], out: IO[bytes]) -> list[str]:
    out.write(b"[")
    reviewed = 0
    for n, record in enumerate(records):
        if n:
            out.write(b",\n")
        out.write(orjson.dumps(_task(record)))
        reviewed += sum(1 for s in record["spans"] if s["status"] != "pending")
    out.write(b"]\n")
    lost = ["Label Studio keeps no span's own times: each annotation carries the earliest and latest only"]
    if reviewed:
        lost.append(f"the review status (accepted or rejected) of {count(reviewed, 'span')} is not kept by"
                    " Label Studio")
    return lost


def _task(record: dict[str, Any]) -> dict[str, Any]:
    by_annotator: dict[str, list[dict[str, Any]]] = {}
    for span in record["spans"]:
        by_annotator.setdefault(span["annotator"], []).append(span)
    annotations = []
    for annotator, spans in by_annotator.items():
        annotations.append({
            "annotator": annotator,
            "created_at": min(s["created_at"] for s in spans),
            "updated_at": max(s["updated_at"] for s in spans),
            "was_cancelled": False,
            "ground_truth": False,
            "result": [_result(s) for s in spans],
        })
    data = {"text": record["text"], "uid": record["uid"], **{k: record[k] for k in ARTICLE_FIELDS}}
    return {"id": record["id"], "data": data, "annotations": annotations, "predictions": []}


def _result(span: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": span["uid"],
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "origin": "manual",
        "value": {"start": span["start"], "end": span["end"], "text": span["text"], "labels": [span["label"]]},
    }
    if span["note"]:
        result["meta"] = {"text": [span["note"]]}
    return result


def detect(path: Path) -> bool:
    head = json_prefix(path)
    return has_json_key(head, "data") and (has_json_key(head, "annotations") or has_json_key(head, "predictions"))


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    tasks = load_json(path, options)
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise ImportFileError(f"expected a list of Label Studio tasks, found {kind(tasks)}")
    for i, task in enumerate(tasks):
        place = f"{path}[{i}]"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            yield Problem(place, "not a Label Studio task (no 'data' object)")
            continue
        yield from guarded(place, _task_in(task, place, path.name, options))


def _task_in(task: dict[str, Any], place: str, origin: str, options: ReadOptions) -> Iterator[ReadItem]:
    data = task["data"]
    text = data.get("text")
    if text is None:
        strings = [v for v in data.values() if isinstance(v, str)]
        text = strings[0] if len(strings) == 1 else None
    if not isinstance(text, str):
        yield Problem(place, "no text: 'data' has no 'text' key (nor a single text value)")
        return
    record = RecordIn(
        text=text, place=place, origin=origin, uid=optional_str(data.get("uid"), "uid"), utf16_fallback=True,
        span_limit=options.span_limit, **article_fields(data),
    )
    for a, annotation in enumerate(as_list(task.get("annotations"), "'annotations'")):
        a_place = f"{place} annotations[{a}]"
        if not isinstance(annotation, dict):
            yield Problem(a_place, f"an annotation must be a JSON object, found {kind(annotation)}")
            continue
        if annotation.get("was_cancelled"):
            yield Problem(a_place, "a skipped (cancelled) annotation; not imported", rejected=False)
            continue
        try:
            annotator = _annotator(annotation)
            results = as_list(annotation.get("result"), "'result'")
            times = (optional_str(annotation.get("created_at"), "created_at"),
                     optional_str(annotation.get("updated_at"), "updated_at"))
        except ShapeError as exc:
            yield Problem(a_place, f"{exc}; this annotation was not imported")
            continue
        for r, result in enumerate(results):
            r_place = f"{a_place} result[{r}]"
            try:
                yield from _spans(result, r_place, times, annotator, record)
            except ShapeError as exc:
                yield Problem(r_place, str(exc))
    predictions, remarks = ignored_list(task.get("predictions"), "'predictions'", place)
    yield from remarks
    if predictions and options.predictions:
        yield from _predictions(predictions, place, record)
    elif predictions:
        yield Problem(place, f"{count(len(predictions), 'prediction')} (model output, not annotations) not imported"
                             f" ({AS_SUGGESTIONS.cli})", rejected=False)
    yield record


def _predictions(predictions: Any, place: str, record: RecordIn) -> Iterator[Problem]:
    """A model's predictions as spans with their score: a region's own ``score``, else its prediction's."""
    if not isinstance(predictions, list):
        yield Problem(place, "'predictions' is not a list")
        return
    for p, prediction in enumerate(predictions):
        p_place = f"{place} predictions[{p}]"
        if not isinstance(prediction, dict):
            yield Problem(p_place, "a prediction must be a JSON object")
            continue
        try:
            results = as_list(prediction.get("result"), "'result'")
        except ShapeError as exc:
            yield Problem(p_place, f"{exc}; this prediction was not imported")
            continue
        for r, result in enumerate(results):
            r_place = f"{p_place} result[{r}]"
            score = result.get("score", prediction.get("score")) if isinstance(result, dict) else None
            try:
                yield from _spans(result, r_place, (None, None), None, record, score=score)
            except ShapeError as exc:
                yield Problem(r_place, str(exc))


def _annotator(annotation: dict[str, Any]) -> str | None:
    named = optional_str(annotation.get("annotator"), "annotator")
    if named:
        return named
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return optional_str(who.get("email"), "completed_by.email") or optional_str(who.get("username"),
                                                                                    "completed_by.username")
    if isinstance(who, int) and not isinstance(who, bool):
        # A user id of the Label Studio server the file came from.
        return f"label-studio-user-{who}"
    return optional_str(who, "completed_by")


def _spans(result: Any, place: str, times: tuple[str | None, str | None], annotator: str | None,
           record: RecordIn, score: Any = None) -> Iterator[Problem]:
    if not isinstance(result, dict):
        yield Problem(place, f"a result must be a JSON object, found {kind(result)}")
        return
    kind_ = result.get("type")
    value = result.get("value")
    if kind_ != "labels":
        yield Problem(place, f"a {str(kind_)[:40]!r} result (from {str(result.get('from_name'))[:40]!r}) is not a "
                             "span label; not imported", rejected=False)
        return
    if not isinstance(value, dict) or "start" not in value or "end" not in value:
        yield Problem(place, "a labels result without value.start and value.end")
        return
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels:
        yield Problem(place, "a labels result without value.labels")
        return
    notes = as_dict(result.get("meta"), "'meta'").get("text")
    # Label Studio keeps a region's notes as a list of strings; older files hold one string.
    notes = notes if isinstance(notes, list) else [] if notes is None else [notes]
    note = "\n".join(text_value(n, "meta.text") for n in notes)
    for k, label in enumerate(labels):
        record.add_span(SpanIn(
            start=value["start"], end=value["end"], label=label,
            place=place if len(labels) == 1 else f"{place} label[{k}]",
            text=value.get("text"),
            # One region with two labels becomes two spans; only the first keeps the region's id.
            uid=uuid_or_none(result.get("id")) if k == 0 else None,
            annotator=annotator, note=note, created_at=times[0], updated_at=times[1], score=score,
        ))


FORMAT = Format(
    name="label-studio",
    description="Label Studio JSON export of a Labels-on-Text task (code points; UTF-16 repaired on import)",
    extensions=(".json",),
    read=read,
    write=write,
    suffix=".json",
    detect=detect,
)
