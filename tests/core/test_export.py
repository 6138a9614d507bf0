from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import orjson
import pytest

from annotator.core import exporter, formats
from annotator.core.errors import AnnotatorError, LabelError, SpanError
from annotator.core.exporter import ExportFilter
from annotator.core.store import Store

TEXT = '=SUM(A1) said "the source"\r\n-2 dollars\n+ plus @here\tthere'


@pytest.fixture
def filled(store: Store) -> Store:
    a, _ = store.add_article(TEXT.replace("\r\n", "\n"), title="=cmd|'/C calc'!A0", actor="ana", source="@wire")
    b, _ = store.add_article("Second article 😀 text.", title="Second", actor="ana")
    text = store.article_text(a.id)
    store.add_annotation(a.id, 0, text.index(" said"), "claim", annotator="ana", note="-note")
    store.add_annotation(a.id, 0, text.index("dollars") + 7, "denial", annotator="bo", note='multi\nline "quoted"')
    store.add_annotation(a.id, text.index("+"), text.index("@"), "background", annotator="ana")
    ann = store.add_annotation(b.id, 0, 6, "claim", annotator="bo")
    store.set_status(ann.uid, "accepted", actor="rita")
    return store


def _jsonl(store: Store, flt: ExportFilter | None = None) -> list[dict]:
    out = io.BytesIO()
    exporter.export(store, "jsonl", out, flt or ExportFilter())
    return [orjson.loads(line) for line in out.getvalue().splitlines()]


def test_jsonl_shape_and_order(filled: Store) -> None:
    records = _jsonl(filled)
    assert [r["id"] for r in records] == [1, 2]
    assert list(records[0]) == ["id", "uid", "title", "source", "url", "published", "sha256", "text", "spans"]
    spans = records[0]["spans"]
    assert [(s["start"], s["end"]) for s in spans] == sorted((s["start"], s["end"]) for s in spans)
    assert list(spans[0]) == ["uid", "start", "end", "label", "text", "annotator", "status", "note",
                              "created_at", "updated_at", "reviewer", "reviewed_at", "review_note"]
    for r in records:
        for s in r["spans"]:
            assert r["text"][s["start"]:s["end"]] == s["text"]


def test_filters(filled: Store) -> None:
    assert [len(r["spans"]) for r in _jsonl(filled, ExportFilter(labels=["CLAIM"]))] == [1, 1]
    only_bo = _jsonl(filled, ExportFilter(annotators=["bo"]))
    assert {s["annotator"] for r in only_bo for s in r["spans"]} == {"bo"}
    gold = _jsonl(filled, ExportFilter(statuses=["accepted"]))
    assert [r["id"] for r in gold] == [2]  # only articles with a matching span
    gold_all = _jsonl(filled, ExportFilter(statuses=["accepted"], all_articles=True))
    assert [len(r["spans"]) for r in gold_all] == [0, 1]
    assert [r["id"] for r in _jsonl(filled, ExportFilter(article_ids=[2]))] == [2]
    with pytest.raises(LabelError, match="unknown label"):
        _jsonl(filled, ExportFilter(labels=["opinion"]))
    with pytest.raises(SpanError, match="unknown status"):
        _jsonl(filled, ExportFilter(statuses=["done"]))


def test_csv_quotes_multiline_and_neutralises_formulas(filled: Store) -> None:
    out = io.BytesIO()
    exporter.export(filled, "csv", out)
    raw = out.getvalue()
    assert raw.startswith(b"article_id,title,source,start,end,label,text,annotator,status,note,uid\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == 4
    by_note = {row[header.index("note")]: row for row in body}
    # multi-line cells survive RFC 4180 quoting
    assert 'multi\nline "quoted"' in by_note
    # formulas neutralised in every text cell that starts like one
    first = by_note["'-note"]
    assert first[header.index("title")] == "'=cmd|'/C calc'!A0"
    assert first[header.index("source")] == "'@wire"
    assert first[header.index("text")] == "'=SUM(A1)"
    plus = next(r for r in body if r[header.index("label")] == "background")
    assert plus[header.index("text")].startswith("'+ plus")
    # numbers untouched
    assert all(r[header.index("start")].isdigit() for r in body)


def test_atomic_write_leaves_no_partial_file(filled: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old contents")

    def cancel(_done: int) -> bool:
        return False

    many = Store.memory()
    for i in range(120):
        many.add_article(f"Article number {i}.", title=str(i), actor="ana")
    with pytest.raises(exporter.ExportCancelled):
        exporter.export(many, "jsonl", target, progress=cancel)
    assert target.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]

    result = exporter.export(filled, "jsonl", target)
    assert (result.articles, result.spans) == (2, 4)
    assert len(target.read_bytes().splitlines()) == 2
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # as open() would make it, not mkstemp's 0600


def test_export_to_a_folder_or_missing_folder_is_refused(filled: Store, tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match="is a folder"):
        exporter.export(filled, "jsonl", tmp_path)
    with pytest.raises(AnnotatorError, match="does not exist"):
        exporter.export(filled, "jsonl", tmp_path / "no" / "x.jsonl")


def test_count_matches_export(filled: Store) -> None:
    assert exporter.count(filled, ExportFilter()) == (2, 4)
    assert exporter.count(filled, ExportFilter(labels=["denial"])) == (1, 1)


# ------------------------------------------------- rejected spans, unmarked


def test_formats_that_cannot_mark_a_rejection_leave_rejected_spans_out(filled: Store, tmp_path: Path) -> None:
    """CoNLL has no room for a review status: a rejected span would be a B-denial like any other."""
    (b_span,) = [a for a in filled.annotations() if a.label == "denial"]
    filled.set_status(b_span.uid, "rejected", actor="rita", reason="not a denial")
    unmarked = [f.name for f in formats.export_formats() if not f.carries_status and f.write_claims is None]
    assert set(unmarked) == {"brat", "conll", "label-studio"}
    for name in unmarked:
        target = tmp_path / name
        target.mkdir()
        result = exporter.export(filled, name, target / f"out{formats.get(name).suffix}")
        assert result.spans == 3 and result.articles == 2, name        # the same articles, the span left out
        assert any(w.startswith("1 rejected span left out: ") for w in result.warnings), name
        assert exporter.count(filled, ExportFilter(), name) == (2, 3)
    out = io.BytesIO()
    exporter.export(filled, "conll", out)
    assert b"denial" not in out.getvalue()
    # Named statuses are asked for: written, rejection and all.
    out = io.BytesIO()
    asked = ExportFilter(statuses=("pending", "accepted", "rejected"))
    result = exporter.export(filled, "conll", out, asked)
    assert b"B-denial" in out.getvalue() and result.spans == 4
    assert not any("rejected span" in w for w in result.warnings)
    # A format that says a span was rejected keeps writing it.
    assert sum(len(r["spans"]) for r in _jsonl(filled)) == 4


@pytest.mark.parametrize("flt", [
    ExportFilter(),
    ExportFilter(labels=["claim"]),
    ExportFilter(annotators=["bo"]),
    ExportFilter(statuses=["accepted"]),
    ExportFilter(statuses=["pending"], all_articles=True),
    ExportFilter(statuses=["accepted"], all_articles=False),
    ExportFilter(article_ids=[2]),
    ExportFilter(article_ids=[2], all_articles=True, labels=["denial"]),
    ExportFilter(all_articles=False),
], ids=["none", "label", "annotator", "status", "status-all", "status-only-matching", "article",
        "article-all-label", "only-matching"])
def test_the_count_is_what_the_export_writes(filled: Store, flt: ExportFilter) -> None:
    filled.add_article("An article nobody tagged.", title="Third", actor="ana")
    records = _jsonl(filled, flt)
    assert exporter.count(filled, flt) == (len(records), sum(len(r["spans"]) for r in records))


def test_a_csv_to_a_stream_starts_with_a_byte_order_mark_when_asked(filled: Store) -> None:
    out = io.BytesIO()
    exporter.export(filled, "csv", out, bom=True)
    assert out.getvalue().startswith(b"\xef\xbb\xbfarticle_id,title,")
    plain = io.BytesIO()
    exporter.export(filled, "csv", plain)
    assert plain.getvalue().startswith(b"article_id,title,")
    with pytest.raises(AnnotatorError) as jsonl:
        exporter.export(filled, "jsonl", io.BytesIO(), bom=True)
    assert str(jsonl.value) == "a byte order mark is written only at the start of a CSV file"
