from __future__ import annotations

from pathlib import Path

import orjson

from annotator.core import formats
from annotator.core.offsets import Utf16Map
from annotator.core.store import Store

from .conftest import ALL, articles, export_to, import_into_empty, spans


def test_round_trip_keeps_every_field(dataset: Store, tmp_path: Path) -> None:
    first = tmp_path / "one.jsonld"
    export_to(dataset, "webanno", first)
    copy, report = import_into_empty([first])
    assert report.ok, report.problems
    assert spans(copy, ALL) == spans(dataset, ALL)
    assert articles(copy, ("uid", "title", "source", "url", "text")) == articles(
        dataset, ("uid", "title", "source", "url", "text"))


def test_one_w3c_annotation_per_span(dataset: Store, tmp_path: Path) -> None:
    out = tmp_path / "wa.json"
    export_to(dataset, "webanno", out)
    assert formats.for_path(out).name == "webanno"  # a .json told apart from native and Label Studio
    data = orjson.loads(out.read_bytes())
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld" and data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert len(items) == data["total"] == dataset.annotation_count()
    texts = {doc["id"]: doc["value"] for doc in data["documents"]}
    for item in items:
        assert item["type"] == "Annotation" and item["id"].startswith("urn:uuid:")
        assert item["creator"]["name"] in ("ana", "ben") and item["created"] and item["modified"]
        quote, position = item["target"]["selector"]
        text = texts[item["target"]["source"]]
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert text[:position["start"]].endswith(quote["prefix"]) and text[position["end"]:].startswith(quote["suffix"])
        assert item["body"][0]["purpose"] == "tagging"


def _collection(text: str, annotations: list[dict]) -> dict:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
            "first": {"type": "AnnotationPage", "items": annotations},
            "documents": [{"id": "https://example.org/a", "type": "Text", "value": text}]}


def _annotation(selectors: list[dict], label: str = "claim") -> dict:
    return {"type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": label},
            "creator": {"name": "hyp"}, "target": {"source": "https://example.org/a", "selector": selectors}}


def test_browser_offsets_and_quote_only_annotations(tmp_path: Path) -> None:
    text = "Flags 🇹🇷 and 😀 then the claim, and the claim again."
    start = text.index("the claim")
    u16 = Utf16Map(text)
    path = tmp_path / "hyp.json"
    path.write_bytes(orjson.dumps(_collection(text, [
        # UTF-16 positions, as browser tools write them
        _annotation([{"type": "TextQuoteSelector", "exact": "the claim"},
                     {"type": "TextPositionSelector", "start": u16.to_utf16(start), "end": u16.to_utf16(start + 9)}]),
        # no position: anchored by its quote, which prefix and suffix make unique
        _annotation([{"type": "TextQuoteSelector", "exact": "the claim", "prefix": "and ", "suffix": " again"}],
                    "denial"),
        # a quote that occurs twice, without context: ambiguous
        _annotation([{"type": "TextQuoteSelector", "exact": "the claim"}], "background"),
    ])))
    store, report = import_into_empty([path])
    second = text.index("the claim", start + 1)
    assert spans(store, ("start", "end", "label", "annotator")) == sorted([
        (text, start, start + 9, "claim", "hyp"), (text, second, second + 9, "denial", "hyp")])
    (problem,) = report.rejected
    assert "does not occur exactly once" in problem.reason


def test_unmappable_parts_are_reported(tmp_path: Path) -> None:
    text = "A text to annotate."
    path = tmp_path / "odd.jsonld"
    ann = _annotation([{"type": "TextPositionSelector", "start": 0, "end": 6}])
    ann["body"] = [ann["body"], {"type": "TextualBody", "purpose": "replying", "value": "hi"}, "https://x.org/tag"]
    path.write_bytes(orjson.dumps(_collection(text, [
        ann,
        {"type": "Annotation", "body": {"value": "claim"}, "target": "https://example.org/a"},
        {"type": "Annotation", "body": {"value": "claim"},
         "target": {"source": "https://elsewhere.org/b",
                    "selector": {"type": "TextPositionSelector", "start": 0, "end": 1}}},
        _annotation([{"type": "TextPositionSelector", "start": 0, "end": 99}]),
    ])))
    store, report = import_into_empty([path])
    assert spans(store) == [(text, 0, 6, "claim", "A text")]
    reasons = " | ".join(p.reason for p in report.rejected)
    assert "purpose 'replying'" in reasons and "whole document" in reasons
    assert "no text for 'https://elsewhere.org/b'" in reasons and "past the end" in reasons
    # a linked tag is read as a label name and refused as an unknown label
    assert "unknown label 'https://x.org/tag'" in reasons


def test_truncated_file(dataset: Store, tmp_path: Path) -> None:
    out = tmp_path / "wa.jsonld"
    export_to(dataset, "webanno", out)
    out.write_bytes(out.read_bytes()[: len(out.read_bytes()) // 2])
    store, report = import_into_empty([out])
    assert store.article_count() == 0 and "not valid JSON" in report.rejected[0].reason
