"""The native JSON and JSONL readers, doccano's and the plain-text one: exactly what each input reads as."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest

from annotator.core.errors import ImportFileError
from annotator.core.formats import doccano, jsonl, text
from annotator.core.formats.base import ReadOptions, RecordIn, SpanIn, bounded_lines, json_prefix

from .shapes import article, read_all, reasons

UID = "22222222-2222-4222-8222-222222222222"


def _lines(path: Path, *values: Any, raw: bytes = b"") -> Path:
    path.write_bytes(raw + b"".join(json.dumps(v).encode() + b"\n" for v in values))
    return path


def test_native_records_and_what_each_refused_one_says(tmp_path: Path) -> None:
    good = {"text": "Kremlin denied it.", "title": " T ", "source": "S", "url": "U", "published": "P", "uid": " a1 ",
            "spans": [{"start": 0, "end": 7, "label": "claim", "text": "Kremlin", "uid": UID, "annotator": "ana",
                       "status": "accepted", "note": "n", "created_at": "c", "updated_at": "u"},
                      "junk", {"start": 0, "label": "claim"}, {"end": 3}]}
    path = _lines(tmp_path / "a.jsonl", good, [1, 2], {"title": "no text"}, {"text": 7}, {"text": "x", "spans": {}},
                  {"text": "No spans.", "spans": None}, raw=codecs.BOM_UTF8)
    with path.open("ab") as fh:
        fh.write(b"\n   \n{not json\n")
    records, problems = read_all(jsonl.read, path)
    assert reasons(problems) == [
        (f"{path}:1 span[1]", "a span must be a JSON object, found a string", True),
        (f"{path}:1 span[2]", "missing 'end'", True),
        (f"{path}:1 span[3]", "missing 'start', 'label'", True),
        (f"{path}:2", "expected a JSON object, found a list", True),
        (f"{path}:3", "no 'text' field", True),
        (f"{path}:4", "'text' is a number, not a string", True),
        (f"{path}:5", "'spans' is an object, not a list", True),
        (f"{path}:9", problems[-1].reason, True),
    ]
    assert problems[-1].reason.startswith("not valid JSON (")
    assert [article(r) for r in records] == [article(r) for r in [
        RecordIn(text="Kremlin denied it.", place=f"{path}:1", title="T", source="S", url="U", published="P",
                 uid="a1", origin="a.jsonl", spans=[SpanIn(
                     0, 7, "claim", f"{path}:1 span[0]", text="Kremlin", uid=UID, annotator="ana", status="accepted",
                     note="n", created_at="c", updated_at="u")]),
        RecordIn(text="No spans.", place=f"{path}:6", origin="a.jsonl"),
    ]]


def test_a_line_too_large_is_skipped(tmp_path: Path) -> None:
    # a line may be twice the size limit (JSON escapes), no more: 35 bytes against a limit of 12
    path = _lines(tmp_path / "a.jsonl", {"text": "x" * 22}, {"text": "x" * 11}, {"text": "fits"})
    records, problems = [], []
    for item in jsonl.read(path, ReadOptions(max_bytes=12)):
        (records if isinstance(item, RecordIn) else problems).append(item)
    assert reasons(problems) == [
        (f"{path}:1", "line too large (35 bytes; a line may be twice the limit of 12 bytes, see --max-size)", True)]
    assert [r.text for r in records] == ["x" * 11, "fits"]


def test_a_line_far_too_large_is_not_read_to_its_end(tmp_path: Path) -> None:
    """A 10 GB line took 41 s to be refused, read to its end: reading stops twice the line limit past it."""
    path = _lines(tmp_path / "a.jsonl", {"text": "fits"}, {"text": "x" * 10_000}, {"text": "after"})
    problems, records = [], []
    for item in jsonl.read(path, ReadOptions(max_bytes=12)):
        (records if isinstance(item, RecordIn) else problems).append(item)
    assert reasons(problems) == [(f"{path}:2", "line too large (over 49 bytes; a line may be twice the limit of 12"
                                  " bytes, see --max-size); the rest of the file was not read (this line goes on"
                                  " past the point where a next line is looked for)", True)]
    assert [r.text for r in records] == ["fits"]
    with path.open("rb") as fh:
        lines = list(bounded_lines(fh, 24, skip=24))
        assert fh.tell() < 100
    assert [(line.number, line.data is None, line.ended) for line in lines] == [(1, False, True), (2, True, False)]


def test_a_json_file_holds_one_record_or_a_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": "One."}))
    [record], [] = read_all(jsonl.read, one)
    assert (record.place, record.origin) == (str(one), "one.json")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "A."}, "junk"]))
    [record], problems = read_all(jsonl.read, many)
    assert (record.place, record.origin) == (f"{many}[0]", "many.json")
    assert reasons(problems) == [(f"{many}[1]", "expected a JSON object, found a string", True)]
    neither = tmp_path / "neither.json"
    neither.write_text("7")
    with pytest.raises(ImportFileError) as refused:
        list(jsonl.read(neither, ReadOptions()))
    assert str(refused.value) == "expected a JSON object or a list of them, found a number"


def test_doccano_records_and_what_each_refused_part_says(tmp_path: Path) -> None:
    path = _lines(
        tmp_path / "d.jsonl",
        {"text": "Kremlin denied it.", "label": [[0, 7, "claim"], "positive", [1, 2], [0, 7, "denial"]],
         "span_meta": [{"uid": UID, "annotator": "ana", "status": "accepted"}, {}, {}, "junk"],
         "relations": [{"type": "denies"}, 3], "Comments": ["a", "b"]},
        {"data": "Entities here.", "entities": [{"start_offset": 0, "end_offset": 8, "label": "claim"}, {"label": "x"},
                                                "junk", {"start_offset": 9, "end_offset": 13, "label": "denial"}],
         "span_meta": [{}], "comments": ["c"]},
        {"text": "Bad entities.", "entities": {}},
        {"text": "Bad labels.", "label": "claim"},
        {"text": "Plural key.", "labels": [[0, 6, "claim"]]},
        [],
        {"label": []},
    )
    records, problems = read_all(doccano.read, path)
    assert reasons(problems) == [
        (f"{path}:1 label[1]", "'positive' labels the whole text (text classification), not a span", False),
        (f"{path}:1 label[2]", "expected [start, end, label], found [1,2]", True),
        (f"{path}:1 relation[0]", "relation 'denies' not imported: spans here have no relations", False),
        (f"{path}:1 relation[1]", "relation 'None' not imported: spans here have no relations", False),
        (f"{path}:1", "2 doccano comments not imported (articles here carry no comments)", False),
        (f"{path}:2", "'span_meta' has 1 entry for 4 labels; uids and annotators were not taken from it", False),
        (f"{path}:2 entities[1]", "an entity needs start_offset, end_offset and label", True),
        (f"{path}:2 entities[2]", "an entity needs start_offset, end_offset and label", True),
        (f"{path}:2", "1 doccano comments not imported (articles here carry no comments)", False),
        (f"{path}:3", "'entities' is an object, not a list", True),
        (f"{path}:4", "'label' is a string, not a list", True),
        (f"{path}:6", "expected a JSON object, found a list", True),
        (f"{path}:7", "no 'text' string", True),
    ]
    first, second, *_ = records
    assert first.spans == [SpanIn(0, 7, "claim", f"{path}:1 label[0]", uid=UID, annotator="ana", status="accepted"),
                           SpanIn(0, 7, "denial", f"{path}:1 label[3]")]
    assert (second.text, second.place, second.origin) == ("Entities here.", f"{path}:2", "d.jsonl")
    assert second.spans == [SpanIn(0, 8, "claim", f"{path}:2 entities[0]"),
                            SpanIn(9, 13, "denial", f"{path}:2 entities[3]")]
    assert [r.text for r in records] == ["Kremlin denied it.", "Entities here.", "Bad entities.", "Bad labels.",
                                         "Plural key."]
    assert records[-1].spans == [SpanIn(0, 6, "claim", f"{path}:5 label[0]")]


def test_a_text_file_is_one_article(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Café: naïve résumé à la carte; déjà vu.".encode("cp1252"))
    [record], [remark] = read_all(text.read, path)
    assert (record.place, record.origin, record.text[:4]) == (str(path), "a.txt", "Café")
    assert (remark.place, remark.rejected) == (str(path), False)


def test_the_start_of_a_json_file_for_telling_formats_apart(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(codecs.BOM_UTF8 + '{"text": "é"}\ufeff'.encode() + b"\xff")
    assert json_prefix(path) == '{"text": "é"}\ufeff'  # a leading BOM dropped, a bad byte ignored
    assert json_prefix(path, limit=5) == '{"'


def test_a_key_given_twice_refuses_its_record(tmp_path: Path) -> None:
    """orjson keeps the last of two equal keys silently; the file meant one of them, and which is unknown."""
    path = tmp_path / "dup.jsonl"
    path.write_text('{"text": "dup key", "text": "second"}\n'
                    '{"text": "He said \\"no\\": twice", "title": "T"}\n'
                    '{"text": "spans", "spans": [{"start": 0, "end": 1, "label": "claim", "label": "denial"}]}\n'
                    '{"text": "spaced" , "title" : "T", "title"\t:"U"}\n', encoding="utf-8")
    records, problems = [], []
    for item in jsonl.read(path, ReadOptions()):
        (records if isinstance(item, RecordIn) else problems).append(item)
    twice = "is given twice in one object; which one is meant is unknown"
    assert reasons(problems) == [(f"{path}:1", f"the key 'text' {twice}", True),
                                 (f"{path}:3", f"the key 'label' {twice}", True),
                                 (f"{path}:4", f"the key 'title' {twice}", True)]
    assert [r.text for r in records] == ['He said "no": twice']
    whole = tmp_path / "dup.json"
    whole.write_text('[{"text": "a"}, {"text": "b", "uid": "x", "uid": "y"}]', encoding="utf-8")
    with pytest.raises(ImportFileError, match=f"the key 'uid' {twice}"):
        list(jsonl.read(whole, ReadOptions()))


def test_native_guidelines_and_links_of_the_wrong_shape_are_said_at_their_line(tmp_path: Path) -> None:
    from .shapes import record, two_spans

    bad = record(two_spans())
    bad["spans"][0]["links"] = "c1"
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"guidelines": ["be careful"]}) + "\n" + json.dumps(bad) + "\n")
    records, problems = read_all(jsonl.read, path)
    assert len(records) == 1 and len(records[0].spans) == 2
    assert reasons(problems) == [
        (f"{path}:1", "'guidelines' is not a JSON object", True),
        (f"{path}:2 span[0]", "'links' is not a list; the span's links were not imported", True)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_json_lines_file_in_utf16_or_32_is_said_once_with_how_to_convert_it(tmp_path: Path, encoding: str) -> None:
    """QA-5: line by line it was 'not UTF-8, give --encoding', and with --encoding, 'convert it': a circle."""
    from annotator.core.errors import ImportFileError
    from annotator.core.formats import jsonl

    path = tmp_path / "wide.jsonl"
    path.write_bytes('{"text": "Ünïcode"}\n{"text": "Two"}\n'.encode(encoding))
    with pytest.raises(ImportFileError) as caught:
        list(jsonl.read(path, ReadOptions()))
    assert str(caught.value) == (f"it is {encoding} (its byte order mark says so), and JSON lines are UTF-8:"
                                 f" convert it first (iconv -f {encoding.upper()} -t UTF-8)")
