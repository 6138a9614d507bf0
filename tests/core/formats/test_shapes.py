"""Wrong-typed fields: every importer says where and why, and one bad file never takes the others down."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from annotator.core.importer import Importer, ImportReport
from annotator.core.store import Store

from ..hostile_files import raw_zip

TEXT = "Kremlin denied the report."
W3C = "http://www.w3.org/ns/anno.jsonld"


def _write(folder: Path, name: str, content: Any) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def _webanno(body: Any) -> dict[str, Any]:
    return {"@context": W3C, "type": "AnnotationCollection", "first": {"items": [
        {"type": "Annotation", "body": body,
         "target": {"source": "urn:x", "selector": {"type": "TextPositionSelector", "start": 0, "end": 7}}},
    ]}, "documents": [{"id": "urn:x", "value": TEXT}]}


def _label_studio(**task: Any) -> list[dict[str, Any]]:
    return [{"data": {"text": TEXT}, "annotations": [], **task}]


def _ls_result(**annotation: Any) -> list[dict[str, Any]]:
    result = {"type": "labels", "from_name": "label", "to_name": "text",
              "value": {"start": 0, "end": 7, "text": "Kremlin", "labels": ["claim"]}}
    return _label_studio(annotations=[{"result": [result], **annotation}])


# (file name, content, where the problem is reported (after the file's path), what the reason says, rejected)
CASES: list[tuple[str, Any, str, str, bool]] = [
    ("body-number.jsonld", _webanno(5), " annotation[0]", "a body that is a number", True),
    ("body-list-of-numbers.jsonld", _webanno([5, {"value": 6}]), " annotation[0]", "a body that is a number", True),
    ("documents-number.jsonld", {**_webanno("claim"), "documents": 5}, "", "'documents' is a number, not a list", True),
    ("comments-number.jsonl", {"text": TEXT, "label": [[0, 7, "claim"]], "comments": 5}, ":1",
     "'comments' is a number, not a list; ignored", False),
    ("relations-string.jsonl", {"text": TEXT, "label": [[0, 7, "claim"]], "relations": "r"}, ":1",
     "'relations' is a string, not a list; ignored", False),
    ("meta-note-object.jsonl", {"text": TEXT, "label": [[0, 7, "claim"]], "span_meta": [{"note": {"a": 1}}]},
     ":1 label[0] span_meta", "'note' is an object, not a string", True),
    ("annotations-number.json", _label_studio(annotations=5), "[0]", "'annotations' is a number, not a list", True),
    ("predictions-object.json", _label_studio(predictions={"a": 1}), "[0]",
     "'predictions' is an object, not a list; ignored", False),
    ("result-number.json", _label_studio(annotations=[{"result": 5}]), "[0] annotations[0]",
     "'result' is a number, not a list", True),
    ("completed-by-list.json", _ls_result(completed_by=[1, 2]), "[0] annotations[0]",
     "'completed_by' is a list, not a string", True),
    ("meta-text-object.json", [{"data": {"text": TEXT}, "annotations": [{"result": [
        {"type": "labels", "value": {"start": 0, "end": 7, "labels": ["claim"]}, "meta": {"text": [{"x": 1}]}}]}]}],
     "[0] annotations[0] result[0]", "'meta.text' is an object, not a string", True),
    ("title-list.jsonl", {"text": TEXT, "title": ["a"]}, ":1", "'title' is a list, not a string", True),
    ("span-note-object.jsonl", {"text": TEXT, "spans": [{"start": 0, "end": 7, "label": "claim", "note": {}}]},
     ":1 span[0]", "'note' is an object, not a string", True),
    ("status-list.jsonl", {"text": TEXT, "spans": [{"start": 0, "end": 7, "label": "claim", "status": []}]},
     ":1 span[0]", "'status' is a list, not a string", True),
    ("spans-true.jsonl", {"text": TEXT, "spans": True}, ":1", "'spans' is true/false, not a list", True),
    ("text-object.json", [{"text": {"a": 1}}], "[0]", "'text' is an object, not a string", True),
    ("uid-object.jsonl", {"text": TEXT, "uid": {"a": 1}}, ":1", "'uid' is an object, not a string", True),
    ("link-claim-list.jsonl", {"text": "A text of its own.", "spans": [
        {"start": 0, "end": 6, "label": "claim", "links": [{"claim": ["x"], "role": "states"}]}]},
     ":1 span[0] link[0]", "'claim' is a list, not a string", True),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    _write(root, "good.jsonl", {"text": "A good article, imported whatever its neighbours hold."})
    for name, content, *_ in CASES:
        _write(root, name, content)
    return root


def _run(store: Store, *paths: Path) -> ImportReport:
    report = Importer(store, actor="ana").run(paths)
    assert not [p for p in report.problems if "this is a bug" in p.reason]
    return report


def test_every_wrong_type_is_reported_with_its_place_and_the_rest_goes_on(store: Store, folder: Path) -> None:
    report = _run(store, folder)
    assert "A good article, imported whatever its neighbours hold." in {
        store.article_text(a.id) for a in store.articles()}
    for name, _content, where, reason, rejected in CASES:
        place = f"{folder / name}{where}"
        found = [p for p in report.problems if p.place == place and reason in p.reason]
        assert found and found[0].rejected == rejected, (name, [(p.place, p.reason) for p in report.problems
                                                               if name in p.place])
    # A record with a field only reported (comments, relations, predictions) still comes in.
    assert report.articles_added >= 2


def test_a_quote_whose_prefix_is_a_number_is_anchored_without_it(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "prefix.jsonld", {
        "@context": W3C, "type": "Annotation", "body": "claim", "documents": [{"id": "urn:x", "value": TEXT}],
        "target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector", "exact": "Kremlin", "prefix": 5}}})
    report = _run(store, path)
    assert report.ok and [a.text for a in store.annotations_for(1)] == ["Kremlin"]


def test_a_zip_whose_crc_lies_loses_that_member_only(store: Store, tmp_path: Path) -> None:
    good_text, bad_text = b"The good article.", b"The damaged article."
    members = []
    for name, data in (("bad.ann", b"T1\tclaim 0 3\tThe\n"), ("bad.txt", bad_text),
                       ("good.ann", b"T1\tclaim 4 8\tgood\n"), ("good.txt", good_text)):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = c.compress(data) + c.flush()
        crc = zlib.crc32(data) ^ (0xFFFF if name == "bad.txt" else 0)  # the lie
        members.append((name, packed, crc, len(data), len(data)))
    path = raw_zip(tmp_path / "corpus.zip", members)
    report = _run(store, path)
    assert [store.article_text(a.id) for a in store.articles()] == ["The good article."]
    assert report.spans_added == 1
    [problem] = report.rejected
    # the place names the member at fault
    assert problem.place == f"{path}!bad.txt" and "Bad CRC-32 for file 'bad.txt'" in problem.reason


def test_a_damaged_zip_member_text_is_reported_per_member(store: Store, tmp_path: Path) -> None:
    members = []
    for name, data in (("a.ann", b""), ("a.txt", b"\x00\x01\x02binary" * 20), ("b.ann", b""), ("b.txt", b"Fine.")):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append((name, c.compress(data) + c.flush(), zlib.crc32(data), len(data), len(data)))
    path = raw_zip(tmp_path / "corpus.zip", members)
    report = _run(store, path)
    assert [store.article_text(a.id) for a in store.articles()] == ["Fine."]
    assert [(p.place, p.reason.split(" (")[0]) for p in report.rejected] == [(f"{path}!a.ann", "its text: binary data")]


def test_spacy_user_data_of_the_wrong_type(store: Store, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

    vocab = Vocab()
    docs = DocBin(store_user_data=True)
    for title in (["not", "text"], "A fine title"):
        doc = Doc(vocab, words=["Kremlin", "denied", "it"])
        doc.user_data["annotator"] = {"article": {"title": title}, "spans": []}
        docs.add(doc)
    path = _write(tmp_path, "a.spacy", docs.to_bytes())
    report = _run(store, path)
    assert [a.title for a in store.articles()] == ["A fine title"]
    assert [(p.place, p.reason) for p in report.rejected] == [(f"{path} doc[0]", "'title' is a list, not a string")]


def test_spacy_payload_that_is_not_a_docbin(store: Store, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    import srsly

    for name, payload in (("list.spacy", srsly.msgpack_dumps([1, 2, 3])),
                          ("strings.spacy", srsly.msgpack_dumps({"attrs": [65], "strings": 5, "lengths": b"",
                                                                 "spaces": b"", "tokens": b"", "cats": []}))):
        path = _write(tmp_path, name, zlib.compress(payload))
        report = _run(store, path)
        assert [p.reason.split(" (")[0] for p in report.rejected] == ["not a spaCy DocBin"], report.problems


def test_parquet_columns_of_the_wrong_type(store: Store, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from annotator.core.formats.parquet import ARTICLE_COLUMNS, SPAN_COLUMNS

    articles = {c: pa.array(["x"]) for c in ARTICLE_COLUMNS}
    articles["id"] = pa.array([[1, 2]])  # a list where an id belongs
    pq.write_table(pa.table(articles), tmp_path / "d.articles.parquet")
    pq.write_table(pa.table({c: pa.array([], pa.string()) for c in SPAN_COLUMNS}), tmp_path / "d.parquet")
    report = _run(store, tmp_path / "d.parquet")
    assert [p.reason for p in report.rejected] == [
        "d.articles.parquet: column 'id' holds list<element: int64>, not integers"]


def test_a_zip_member_without_a_name(store: Store, tmp_path: Path) -> None:
    # Found by the fuzzer: zipfile's is_dir() fails on an empty name.
    members = []
    for name, data in (("", b"nameless"), ("doc.ann", b""), ("doc.txt", b"A named article.")):
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append((name, c.compress(data) + c.flush(), zlib.crc32(data), len(data), len(data)))
    report = _run(store, raw_zip(tmp_path / "corpus.zip", members))
    assert report.ok and [store.article_text(a.id) for a in store.articles()] == ["A named article."]
