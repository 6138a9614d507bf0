from __future__ import annotations

from pathlib import Path

import orjson

from annotator.core import formats
from annotator.core.offsets import Utf16Map
from annotator.core.store import Store

from .conftest import articles, export_to, import_into_empty, spans

CARRIED = ("start", "end", "label", "text", "uid", "annotator", "note")


def test_round_trip(dataset: Store, tmp_path: Path) -> None:
    first = tmp_path / "one.json"
    export_to(dataset, "label-studio", first)
    assert formats.for_path(first).name == "label-studio"
    copy, report = import_into_empty([first])
    assert report.ok, report.problems
    assert spans(copy, CARRIED) == spans(dataset, CARRIED)
    assert articles(copy, ("uid", "title", "text")) == articles(dataset, ("uid", "title", "text"))
    second = tmp_path / "two.json"
    export_to(copy, "label-studio", second)
    one, two = orjson.loads(first.read_bytes()), orjson.loads(second.read_bytes())
    for task in one + two:
        for annotation in task["annotations"]:
            del annotation["created_at"], annotation["updated_at"]  # import times of the copy
    assert one == two


def test_written_tasks_are_label_studio_tasks(dataset: Store, tmp_path: Path) -> None:
    out = tmp_path / "ls.json"
    export_to(dataset, "label-studio", out)
    tasks = orjson.loads(out.read_bytes())
    assert len(tasks) == 3
    task = tasks[0]
    text = task["data"]["text"]
    assert "\r" not in text
    annotators = {a["annotator"] for a in task["annotations"]}
    assert annotators == {"ana", "ben"}
    for annotation in task["annotations"]:
        for result in annotation["result"]:
            assert result["type"] == "labels" and result["from_name"] == "label" and result["to_name"] == "text"
            value = result["value"]
            # code points, which Label Studio 1.23 shows correctly
            assert text[value["start"]:value["end"]] == value["text"]
            assert len(value["labels"]) == 1


def _task(text: str, results: list[dict], **extra: object) -> dict:
    return {"id": 1, "data": {"text": text}, "annotations": [{"id": 10, "completed_by": 3, "result": results}],
            **extra}


def _labels(start: int, end: int, text: str, label: str = "claim") -> dict:
    return {"id": "abcDEF1234", "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def test_utf16_offsets_after_an_emoji_are_repaired(tmp_path: Path) -> None:
    text = "Emoji 😀 first, then 🇹🇷 the claim here."
    start = text.index("the claim")
    u16 = Utf16Map(text)
    path = tmp_path / "old-ls.json"
    path.write_bytes(orjson.dumps([_task(text, [
        # an older export: UTF-16 units, three units late after 😀 and the flag's two halves
        _labels(u16.to_utf16(start), u16.to_utf16(start + 9), "the claim"),
        # a code-point one in the same file
        _labels(0, 5, "Emoji", "denial"),
    ])]))
    assert u16.to_utf16(start) == start + 3
    store, report = import_into_empty([path])
    assert report.ok, report.problems
    assert spans(store) == sorted([(text, start, start + 9, "claim", "the claim"), (text, 0, 5, "denial", "Emoji")])
    assert any("UTF-16" in p.reason for p in report.remarks)
    # Label Studio's own region ids (reused on copies) are not taken as uids; its user ids are kept as names
    assert all(len(uid) == 36 for (_, uid) in spans(store, ("uid",)))
    assert {a for (_, a) in spans(store, ("annotator",))} == {"label-studio-user-3"}


def test_spans_matching_neither_reading_are_reported(tmp_path: Path) -> None:
    text = "Emoji 😀 then the claim."
    path = tmp_path / "wrong.json"
    path.write_bytes(orjson.dumps([_task(text, [_labels(2, 6, "the claim"), _labels(0, 5, "Emoji")])]))
    store, report = import_into_empty([path])
    assert spans(store) == [(text, 0, 5, "claim", "Emoji")]
    (problem,) = report.rejected
    assert "result[0]" in problem.place and "nor as UTF-16 offsets" in problem.reason


def test_crlf_text_keeps_each_span_on_its_characters(tmp_path: Path) -> None:
    text = "First line\r\nSecond 😀 line\r\nThird"
    start = text.index("Second")
    path = tmp_path / "crlf.json"
    path.write_bytes(orjson.dumps([_task(text, [_labels(start, start + 13, "Second 😀 line")])]))
    store, report = import_into_empty([path])
    assert report.ok, report.problems
    stored = text.replace("\r\n", "\n")
    assert spans(store) == [(stored, 11, 24, "claim", "Second 😀 line")]


def test_what_cannot_be_mapped_is_reported(tmp_path: Path) -> None:
    text = "A claim and a denial."
    results = [
        _labels(0, 7, "A claim"),
        {"id": "r2", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}},
        {"from_id": "abcDEF1234", "to_id": "x", "type": "relation", "direction": "right"},
        _labels(12, 20, "a denial", "rumour"),
    ]
    path = tmp_path / "mixed.json"
    path.write_bytes(orjson.dumps([
        _task(text, results, predictions=[{"result": []}]),
        {"id": 2, "data": {"text": "Skipped task"}, "annotations": [{"was_cancelled": True, "result": []}]},
    ]))
    store, report = import_into_empty([path])
    assert spans(store) == [(text, 0, 7, "claim", "A claim")]
    rejected = " | ".join(p.reason for p in report.rejected)
    assert "unknown label 'rumour'" in rejected  # a span that could not come in
    remarks = " | ".join(p.reason for p in report.remarks)  # things with no place here: said, not refused
    assert "'choices' result" in remarks and "'relation' result" in remarks
    assert "1 prediction (model output" in remarks and "cancelled" in remarks


def test_truncated_json_imports_nothing(tmp_path: Path, dataset: Store) -> None:
    out = tmp_path / "ls.json"
    export_to(dataset, "label-studio", out)
    out.write_bytes(out.read_bytes()[:-40])
    store, report = import_into_empty([out], fmt="label-studio")
    assert store.article_count() == 0
    assert "not valid JSON" in report.rejected[0].reason
