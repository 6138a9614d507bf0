"""Web Annotation, exactly: the file written for known records, and what each shape of input reads as."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from annotator.core.errors import ImportFileError
from annotator.core.formats import webanno
from annotator.core.formats.base import ReadOptions, SpanIn

from .shapes import ARTICLE_UID, SPAN_UIDS, TEXT, read_all, reasons, record, span, two_spans, written

DOC = f"urn:uuid:{ARTICLE_UID}"
ERDOGAN = TEXT.index("Erdogan")


def _body(purpose: str, value: str) -> dict[str, str]:
    return {"type": "TextualBody", "purpose": purpose, "value": value}


def test_the_written_file() -> None:
    spans = [*two_spans(), span("44444444-4444-4444-8444-444444444444", ERDOGAN, ERDOGAN + 7, "background")]
    other = record(text="Second.", uid="55555555-5555-4555-8555-555555555555", article_id=2, title="Second",
                   source=None, url=None, published=None)
    raw, result = written(webanno.write, [record(spans), other])
    assert result is None
    data = json.loads(raw)
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", data["id"]) and uuid.UUID(data["id"][9:])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", data["generated"])
    assert list(data) == ["@context", "id", "type", "label", "generated", "first", "total", "documents"]
    assert (data["@context"], data["type"], data["label"], data["total"]) == (
        "http://www.w3.org/ns/anno.jsonld", "AnnotationCollection", "annotator export", 3)
    page = data["first"]
    assert (page["type"], page["startIndex"]) == ("AnnotationPage", 0)
    first, second, third = page["items"]
    assert first == {
        "id": f"urn:uuid:{SPAN_UIDS[0]}", "type": "Annotation", "motivation": "classifying",
        "creator": {"type": "Person", "name": "ana"},
        "created": "2026-01-01T10:00:00Z", "modified": "2026-01-02T11:00:00Z",
        "body": [_body("tagging", "denial"), _body("commenting", "the wire\nreport"), _body("assessing", "accepted")],
        "target": {"source": DOC, "selector": [
            {"type": "TextQuoteSelector", "exact": "Kremlin denied a Bloomberg report", "prefix": "",
             "suffix": " 😀 claiming that Erdogan raised "},
            {"type": "TextPositionSelector", "start": 0, "end": 33}]},
    }
    assert second["body"] == [_body("tagging", "claim")]  # pending, no note: the label alone
    assert second["creator"] == {"type": "Person", "name": "bo"}
    assert second["target"]["selector"][0] == {
        "type": "TextQuoteSelector", "exact": "Bloomberg report", "prefix": "Kremlin denied a ",
        "suffix": " 😀 claiming that Erdogan raised "}
    assert third["target"]["selector"] == [
        {"type": "TextQuoteSelector", "exact": "Erdogan", "prefix": "loomberg report 😀 claiming that ",
         "suffix": " raised the issue of returning t"},
        {"type": "TextPositionSelector", "start": ERDOGAN, "end": ERDOGAN + 7}]
    assert data["documents"] == [
        {"id": DOC, "type": "Text", "format": "text/plain", "title": "Kremlin denial", "value": TEXT,
         "source": "Wire", "url": "https://example.org/1", "published": "2025-12-18"},
        {"id": "urn:uuid:55555555-5555-4555-8555-555555555555", "type": "Text", "format": "text/plain",
         "title": "Second", "value": "Second."},
    ]
    # a line each: between items, before total, before documents, between documents
    assert raw.endswith(b"]}\n") and raw.count(b",\n") == 2 + 1 + 1 + 1


def test_an_empty_export_is_an_empty_collection() -> None:
    data = json.loads(written(webanno.write, [])[0])
    assert (data["total"], data["first"]["items"], data["documents"]) == (0, [], [])


def _file(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "w.jsonld"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _doc(**extra: Any) -> dict[str, Any]:
    return {"id": DOC, "type": "Text", "value": TEXT, "title": " Kremlin denial ", "source": "Wire", **extra}


def _target(*selectors: Any, source: Any = DOC) -> dict[str, Any]:
    return {"source": source, "selector": list(selectors)}


POSITION = {"type": "TextPositionSelector", "start": 0, "end": 7}


def test_each_annotation_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    annotations = [
        "junk",
        {"target": [_target(POSITION), _target(POSITION)], "body": "claim"},
        {"target": DOC, "body": "claim"},
        {"target": _target(POSITION, source="urn:uuid:elsewhere"), "body": "claim"},
        {"target": _target({"type": "FragmentSelector", "value": "char=0,7"}), "body": "claim"},
        {"target": _target({"type": "TextQuoteSelector", "exact": "the"}), "body": "claim"},
        {"target": _target(POSITION), "body": [{"id": "https://example.org/tag", "purpose": "tagging"}]},
        {"target": _target(POSITION), "body": [{"purpose": "highlighting", "value": "yellow"},
                                                {"purpose": "assessing", "value": "maybe"}, "claim"]},
        {"target": _target({"type": "TextQuoteSelector", "exact": ""}), "body": "claim"},
        {"target": _target(POSITION, source=7), "body": "claim"},
    ]
    path = _file(tmp_path, {"type": "AnnotationCollection", "documents": [_doc(), {"id": 5}, "junk"],
                            "first": {"items": annotations}})
    records, problems = read_all(webanno.read, path)

    def at(i: int) -> str:
        return f"{path} annotation[{i}]"

    assert reasons(problems) == [
        (f"{path} documents[1]", "a document needs an 'id' and a 'value' that are strings; not imported", True),
        (f"{path} documents[2]", "a document needs an 'id' and a 'value' that are strings; not imported", True),
        (at(0), "an annotation must be a JSON object, found a string", True),
        (at(1), "2 targets; spans here have exactly one, not imported", True),
        (at(2), "the target names no selector (the whole document is not a span)", True),
        (at(3), "no text for 'urn:uuid:elsewhere' in this file (its 'documents' do not hold it); not imported", True),
        (at(4), "neither a TextQuoteSelector nor a TextPositionSelector; not imported", True),
        (at(5), "the quote 'the' does not occur exactly once in the text; not imported", True),
        (at(6), "a body that is not text (a linked resource) has no place here; not imported", True),
        (at(6), "no label (a body with purpose 'tagging'); not imported", True),
        (at(7), "a body with purpose 'highlighting' has no place here; not imported", True),
        (at(7), "a body with purpose 'assessing' has no place here; not imported", True),
        (at(8), "the quote '' does not occur exactly once in the text; not imported", True),
        (at(9), "no text for 'a number' in this file (its 'documents' do not hold it); not imported", True),
    ]
    [article] = records
    assert (article.text, article.place, article.origin, article.uid, article.utf16_fallback) == (
        TEXT, f"{path} {DOC}", "w.jsonld", ARTICLE_UID, True)
    assert (article.title, article.source, article.url, article.published) == ("Kremlin denial", "Wire", None, None)
    # the one with a purpose it does not know still brings its label
    assert article.spans == [SpanIn(0, 7, "claim", at(7), uid=None, annotator=None, note="", status="pending")]


def test_what_an_annotation_brings(tmp_path: Path) -> None:
    annotations = [
        {"id": f"urn:uuid:{SPAN_UIDS[0].upper()}", "target": [_target(
            {"type": "TextQuoteSelector", "exact": "Kremlin"}, {"type": "TextPositionSelector", "start": 0, "end": 7})],
         "body": ["claim", {"purpose": "classifying", "value": "background"}, {"value": "denial"},
                  {"purpose": "commenting", "value": "first"}, {"purpose": "commenting", "value": "second"},
                  {"purpose": "assessing", "value": "rejected"}],
         "creator": [{"type": "Person", "nickname": "bo"}, {"name": "cy"}],
         "created": "2026-01-01T10:00:00Z", "modified": " 2026-01-02T11:00:00Z "},
        {"id": "not-a-uuid", "target": _target({"type": "RangeSelector", "refinedBy": {
            "type": "TextQuoteSelector", "exact": "Erdogan", "prefix": "that ", "suffix": " raised"}}, "junk"),
         "bodyValue": "claim", "creator": "  dee  "},
        {"target": _target({"type": "TextQuoteSelector", "exact": "S-400", "prefix": "the "}),
         "body": {"purpose": "tagging", "value": "denial"}, "creator": {"type": "Software"}},
        {"target": _target({"type": "TextQuoteSelector", "exact": "Kremlin"}, POSITION), "body": "claim",
         "creator": []},
    ]
    path = _file(tmp_path, {"type": "AnnotationPage", "items": annotations, "documents": [_doc()],
                            "first": {"items": ["never read: a page's own items are its annotations"]}})
    [article], problems = read_all(webanno.read, path)
    assert problems == []

    def at(i: int) -> str:
        return f"{path} annotation[{i}]"

    common = {"note": "first\nsecond", "status": "rejected", "annotator": "bo", "created_at": "2026-01-01T10:00:00Z",
              "updated_at": "2026-01-02T11:00:00Z", "text": "Kremlin"}
    s400 = TEXT.index("S-400")
    assert article.spans == [
        SpanIn(0, 7, "claim", at(0), uid=SPAN_UIDS[0], **common),
        SpanIn(0, 7, "background", at(0), uid=None, **common),
        SpanIn(0, 7, "denial", at(0), uid=None, **common),
        SpanIn(ERDOGAN, ERDOGAN + 7, "claim", at(1), text="Erdogan", annotator="dee"),
        SpanIn(s400, s400 + 5, "denial", at(2), text="S-400"),
        SpanIn(0, 7, "claim", at(3), text="Kremlin"),
    ]


NO_TEXT = "no text for"
NO_TARGET = "the target names no selector"


@pytest.mark.parametrize(("data", "count", "refused"), [
    # a bare list holds no documents: its annotation names a text the file does not hold
    ([{"target": _target(POSITION), "body": "claim"}], 0, [NO_TEXT]),
    ({"target": _target(POSITION), "body": "claim", "documents": [_doc()]}, 1, []),  # one annotation, no type
    ({"type": "Annotation", "target": [_target(POSITION)], "body": "claim", "documents": [_doc()]}, 1, []),
    ({"type": "AnnotationCollection", "documents": [_doc()], "first": {"items": [
        {"target": _target(POSITION), "body": "claim"}],
        "next": {"items": [{"target": _target(POSITION), "body": "denial"}], "next": "urn:elsewhere"}}}, 2, []),
    ({"type": "AnnotationCollection", "documents": [_doc()]}, 0, []),
    ({"type": "AnnotationPage", "documents": [_doc()]}, 0, []),
    ({"items": [{"target": _target(POSITION), "body": "claim"}], "documents": [_doc()]}, 1, []),
    ({"type": "Annotation", "body": "claim", "documents": [_doc()]}, 0, [NO_TARGET]),  # an annotation all the same
], ids=["list", "annotation", "typed-annotation", "collection-pages", "empty-collection", "empty-page", "untyped",
        "no-target"])
def test_each_container_of_annotations(tmp_path: Path, data: Any, count: int, refused: list[str]) -> None:
    records, problems = read_all(webanno.read, _file(tmp_path, data))
    assert sum(len(r.spans) for r in records) == count
    assert [p.reason[:len(r)] for p, r in zip(problems, refused, strict=False)] == refused
    assert len(problems) == len(refused)


@pytest.mark.parametrize(("data", "message"), [
    ({"type": "Dataset", "items": []},
     "not a Web Annotation file (no Annotation, AnnotationPage or AnnotationCollection)"),
    ("a string", "expected a Web Annotation JSON object or a list of annotations, found a string"),
], ids=["other-type", "not-an-object"])
def test_files_that_are_not_web_annotation(tmp_path: Path, data: Any, message: str) -> None:
    with pytest.raises(ImportFileError) as refused:
        list(webanno.read(_file(tmp_path, data), ReadOptions()))
    assert str(refused.value) == message


@pytest.mark.parametrize(("head", "found"), [
    ('{"@context": "http://www.w3.org/ns/anno.jsonld"}', True),
    ('{"type": "Annotation", "target": {}}', True),
    ('[{"type": "AnnotationPage", "target": 1}]', True),
    ('{"type": "Annotation", "body": "no target"}', False),
    ('{"type": "Other", "target": {}}', False),
    ('{"text": "an Annotation about a \\"target\\": x"}', False),
], ids=["context", "annotation", "page", "no-target", "no-annotation", "words-only"])
def test_detection(tmp_path: Path, head: str, found: bool) -> None:
    path = tmp_path / "x.json"
    path.write_text(head, encoding="utf-8")
    assert webanno.detect(path) is found
