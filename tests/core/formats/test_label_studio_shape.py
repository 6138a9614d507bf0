"""Label Studio, exactly: the tasks written for known records, and what each shape of task reads as."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.core.errors import ImportFileError
from annotator.core.formats import label_studio
from annotator.core.formats.base import ReadOptions, SpanIn

from .shapes import ARTICLE_UID, SPAN_UIDS, TEXT, read_all, reasons, record, span, two_spans, written


def test_the_written_tasks() -> None:
    spans = [*two_spans(), {**span("c", 48, 55, "background"), "created_at": "2025-12-31T09:00:00Z",
                            "updated_at": "2026-01-03T12:00:00Z"}]
    other = record(text="Second.", uid="u2", article_id=2, title="Second", source=None, url=None, published=None)
    raw, lost = written(label_studio.write, [record(spans), other])
    assert lost == ["Label Studio keeps no span's own times: each annotation carries the earliest and latest only",
                    "the review status (accepted or rejected) of 1 span is not kept by Label Studio"]
    assert raw.startswith(b"[") and raw.endswith(b"]\n") and raw.count(b",\n") == 1
    first, second = json.loads(raw)
    assert second == {"id": 2, "data": {"text": "Second.", "uid": "u2", "title": "Second", "source": None,
                                        "url": None, "published": None}, "annotations": [], "predictions": []}
    assert first["id"] == 1 and first["predictions"] == []
    assert first["data"] == {"text": TEXT, "uid": ARTICLE_UID, "title": "Kremlin denial", "source": "Wire",
                             "url": "https://example.org/1", "published": "2025-12-18"}
    ana, bo = first["annotations"]
    assert ana == {
        "annotator": "ana", "created_at": "2025-12-31T09:00:00Z", "updated_at": "2026-01-03T12:00:00Z",
        "was_cancelled": False, "ground_truth": False,
        "result": [
            {"id": SPAN_UIDS[0], "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
             "value": {"start": 0, "end": 33, "text": "Kremlin denied a Bloomberg report", "labels": ["denial"]},
             "meta": {"text": ["the wire\nreport"]}},
            {"id": "c", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
             "value": {"start": 48, "end": 55, "text": TEXT[48:55], "labels": ["background"]}},
        ],
    }
    assert (bo["annotator"], bo["created_at"], bo["updated_at"]) == ("bo", "2026-01-01T10:00:00Z",
                                                                      "2026-01-02T11:00:00Z")
    assert [r["value"]["labels"] for r in bo["result"]] == [["claim"]]


def test_without_reviews_only_the_times_are_lost() -> None:
    assert written(label_studio.write, [record()])[1] == [
        "Label Studio keeps no span's own times: each annotation carries the earliest and latest only"]


def _file(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _result(start: int = 0, end: int = 7, labels: Any = ("claim",), **extra: Any) -> dict[str, Any]:
    value = {"start": start, "end": end, "text": TEXT[start:end], "labels": list(labels) if labels else labels}
    return {"type": "labels", "from_name": "label", "to_name": "text", "value": value, **extra}


def test_each_part_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    tasks = [
        "junk",
        {"data": "a string"},
        {"data": {"text": 7}},
        {"data": {"title": "one", "body": "two"}},
        {"data": {"text": TEXT}, "predictions": [{"result": []}, {"result": []}], "annotations": [
            "junk",
            {"was_cancelled": True, "result": [_result()]},
            {"result": ["junk", {"type": "choices", "from_name": "sentiment", "value": {"choices": ["x"]}},
                        {"type": "labels", "value": {"start": 0}}, {"type": "labels", "value": "x"},
                        _result(labels=None), _result(labels=[]), _result()]},
        ]},
    ]
    path = _file(tmp_path, tasks)
    records, problems = read_all(label_studio.read, path)
    task = f"{path}[4]"
    result = f"{task} annotations[2] result"
    assert reasons(problems) == [
        (f"{path}[0]", "not a Label Studio task (no 'data' object)", True),
        (f"{path}[1]", "not a Label Studio task (no 'data' object)", True),
        (f"{path}[2]", "no text: 'data' has no 'text' key (nor a single text value)", True),
        (f"{path}[3]", "no text: 'data' has no 'text' key (nor a single text value)", True),
        (f"{task} annotations[0]", "an annotation must be a JSON object, found a string", True),
        (f"{task} annotations[1]", "a skipped (cancelled) annotation; not imported", False),
        (f"{result}[0]", "a result must be a JSON object, found a string", True),
        (f"{result}[1]", "a 'choices' result (from 'sentiment') is not a span label; not imported", False),
        (f"{result}[2]", "a labels result without value.start and value.end", True),
        (f"{result}[3]", "a labels result without value.start and value.end", True),
        (f"{result}[4]", "a labels result without value.labels", True),
        (f"{result}[5]", "a labels result without value.labels", True),
        (task, "2 predictions (model output, not annotations) not imported (annotator import --as-suggestions"
               " reads them)", False),
    ]
    [article] = records
    assert article.spans == [SpanIn(0, 7, "claim", f"{result}[6]", text="Kremlin")]


def test_what_a_task_brings(tmp_path: Path) -> None:
    tasks = {"data": {"text": TEXT, "uid": " u1 ", "title": "T", "source": "S", "url": "U", "published": "P"},
             "annotations": [
                 {"annotator": "ana", "completed_by": 3, "created_at": "c1", "updated_at": " u1 ", "result": [
                     _result(id=SPAN_UIDS[0].upper(), meta={"text": ["first", "second"]}),
                     _result(17, 26, labels=("claim", "denial"), id=SPAN_UIDS[1], meta={"text": "one note"}),
                     _result(id="short")]},
                 {"completed_by": {"email": "bo@example.org", "username": "bo"}, "result": [_result()]},
                 {"completed_by": {"email": "", "username": "cy"}, "result": [_result()]},
                 {"completed_by": 42, "result": [_result()]},
                 {"completed_by": " dee ", "annotator": "  ", "result": [_result()]},
                 {"result": [_result()]},
             ]}
    path = _file(tmp_path, tasks)  # one task on its own, not in a list
    [article], problems = read_all(label_studio.read, path)
    assert problems == []
    assert (article.text, article.place, article.origin, article.uid, article.utf16_fallback) == (
        TEXT, f"{path}[0]", "ls.json", "u1", True)
    assert (article.title, article.source, article.url, article.published) == ("T", "S", "U", "P")
    at = f"{path}[0] annotations"
    ana = {"annotator": "ana", "created_at": "c1", "updated_at": "u1"}
    assert article.spans == [
        SpanIn(0, 7, "claim", f"{at}[0] result[0]", text="Kremlin", uid=SPAN_UIDS[0], note="first\nsecond", **ana),
        SpanIn(17, 26, "claim", f"{at}[0] result[1] label[0]", text="Bloomberg", uid=SPAN_UIDS[1], note="one note",
               **ana),
        SpanIn(17, 26, "denial", f"{at}[0] result[1] label[1]", text="Bloomberg", note="one note", **ana),
        SpanIn(0, 7, "claim", f"{at}[0] result[2]", text="Kremlin", **ana),
        SpanIn(0, 7, "claim", f"{at}[1] result[0]", text="Kremlin", annotator="bo@example.org"),
        SpanIn(0, 7, "claim", f"{at}[2] result[0]", text="Kremlin", annotator="cy"),
        SpanIn(0, 7, "claim", f"{at}[3] result[0]", text="Kremlin", annotator="label-studio-user-42"),
        SpanIn(0, 7, "claim", f"{at}[4] result[0]", text="Kremlin", annotator="dee"),
        SpanIn(0, 7, "claim", f"{at}[5] result[0]", text="Kremlin"),
    ]


def test_a_single_text_value_is_the_text(tmp_path: Path) -> None:
    [article], _ = read_all(label_studio.read, _file(tmp_path, [{"data": {"body": "Only text.", "n": 3}}]))
    assert article.text == "Only text."


def test_a_file_that_is_not_tasks(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as refused:
        list(label_studio.read(_file(tmp_path, "text"), ReadOptions()))
    assert str(refused.value) == "expected a list of Label Studio tasks, found a string"


@pytest.mark.parametrize(("head", "found"), [
    ('[{"data": {"text": "x"}, "annotations": []}]', True),
    ('[{"data": {"text": "x"}, "predictions": []}]', True),
    ('[{"data": {"text": "x"}}]', False),
    ('[{"annotations": []}]', False),
], ids=["annotations", "predictions", "data-only", "no-data"])
def test_detection(tmp_path: Path, head: str, found: bool) -> None:
    path = tmp_path / "x.json"
    path.write_text(head, encoding="utf-8")
    assert label_studio.detect(path) is found
