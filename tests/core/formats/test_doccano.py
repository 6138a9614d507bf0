from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core import formats
from annotator.core.store import Store

from .conftest import ALL, SPANS, articles, export_to, import_into_empty, spans


def test_round_trip_keeps_every_field(dataset: Store, tmp_path: Path) -> None:
    first = tmp_path / "one.jsonl"
    export_to(dataset, "doccano", first)
    copy, report = import_into_empty([first])  # detected by content, not --format
    assert report.ok, report.problems
    assert spans(copy, ALL) == spans(dataset, ALL)
    assert articles(copy, ("uid", "title", "source", "url", "text")) == articles(
        dataset, ("uid", "title", "source", "url", "text"))
    second = tmp_path / "two.jsonl"
    export_to(copy, "doccano", second)
    assert second.read_bytes() == first.read_bytes()


def test_written_shape_is_doccanos(dataset: Store, tmp_path: Path) -> None:
    out = tmp_path / "d.jsonl"
    export_to(dataset, "doccano", out)
    line = orjson.loads(out.read_bytes().splitlines()[0])
    assert {"text", "label"} <= line.keys()
    for start, end, label in line["label"]:
        assert isinstance(start, int) and isinstance(end, int) and label in ("claim", "denial", "background")
    # code points: the emoji before the nested claim counts one
    start, end, _ = next(t for t in line["label"] if t[2] == "claim")
    assert line["text"][start:end] == "😀 a \"report\""


def test_detection_tells_doccano_from_native(dataset: Store, tmp_path: Path) -> None:
    native, doccano = tmp_path / "n.jsonl", tmp_path / "d.jsonl"
    export_to(dataset, "jsonl", native)
    export_to(dataset, "doccano", doccano)
    assert formats.for_path(native).name == "jsonl"
    assert formats.for_path(doccano).name == "doccano"


def test_a_file_from_doccano_itself(tmp_path: Path) -> None:
    text = "Peskov 😀 denied it. Ankara confirmed."
    path = tmp_path / "admin.jsonl"
    lines = [
        {"id": 7, "text": text, "label": [[0, 6, "claim"], [9, 19, "denial"]], "Comments": []},
        {"id": 8, "text": "Entities and relations", "entities": [
            {"id": 1, "label": "claim", "start_offset": 0, "end_offset": 8}],
         "relations": [{"id": 1, "from_id": 1, "to_id": 1, "type": "cites"}]},
        {"id": 9, "text": "Whole-text category", "label": ["claim"]},
    ]
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n")
    store, report = import_into_empty([path])
    assert spans(store, ("start", "end", "label", "text", "annotator")) == sorted([
        (text, 0, 6, "claim", "Peskov", "unknown"),
        (text, 9, 19, "denial", "denied it.", "unknown"),
        ("Entities and relations", 0, 8, "claim", "Entities", "unknown"),
    ])
    remarks = [p.reason for p in report.remarks]  # said, but they reject nothing: every span came in
    assert any("relation 'cites'" in r for r in remarks)
    assert any("text classification" in r for r in remarks)
    assert report.ok


def test_malformed_lines_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        b'{"text": "Good line here", "label": [[0, 4, "claim"]]}\n'
        b'{"text": "Truncated", "label": [[0, 4\n'
        b'{"text": "Past the end", "label": [[0, 400, "claim"]]}\n'
        b'{"text": "Unknown label", "label": [[0, 7, "rumour"]]}\n'
    )
    store, report = import_into_empty([path], fmt="doccano")
    assert spans(store) == [("Good line here", 0, 4, "claim", "Good")]
    messages = [str(p) for p in report.rejected]
    assert any(":2: not valid JSON" in m for m in messages)
    assert any("past the end" in m for m in messages)
    assert any("unknown label 'rumour'" in m for m in messages)


def test_span_meta_of_the_wrong_length_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "meta.jsonl"
    path.write_bytes(orjson.dumps({"text": "Some text", "label": [[0, 4, "claim"]],
                                   "span_meta": [{"annotator": "x"}, {"annotator": "y"}]}) + b"\n")
    store, report = import_into_empty([path])
    assert spans(store, ("annotator",)) == [("Some text", "unknown")]
    assert any("span_meta" in p.reason for p in report.remarks)


def test_pandas_and_datasets_read_the_native_jsonl(dataset: Store, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "native.jsonl"
    export_to(dataset, "jsonl", out)
    frame = pd.read_json(out, lines=True)
    assert len(frame) == 3 and sum(len(s) for s in frame["spans"]) == len(SPANS)
    datasets = pytest.importorskip("datasets")
    ds = datasets.load_dataset("json", data_files=str(out), split="train", cache_dir=str(tmp_path / "cache"))
    for row in ds:
        for span in row["spans"]:
            assert row["text"][span["start"]:span["end"]] == span["text"]
