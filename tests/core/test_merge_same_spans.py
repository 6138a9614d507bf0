"""Merging a colleague's database that imported the same file: their spans are the spans here, not new ones.

Import numbers no span in a JSONL without uids, so two people importing the
same file hold the same spans under different uids. Matched by uid alone, a
merge doubled every one (18,751 exact duplicates in QA). A span of theirs not
known here by uid, equal to one here (same article by text, offsets, label,
annotator) not known there, is recognised: renamed to the uid here, its events
joining that span's history; later edits there merge as any edit does.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.core.audit import annotation_history, verify
from annotator.core.importer import Importer
from annotator.core.merge import merge_database
from annotator.core.store import Store

RECORDS = [
    {"text": "Kremlin denied the report. Ankara said nothing.", "title": "Denial",
     "spans": [{"start": 0, "end": 7, "label": "claim", "annotator": "lead"},
               {"start": 8, "end": 14, "label": "denial", "annotator": "lead"}]},
    {"text": "Turkey asked Russia to take back its S-400 systems.", "title": "Report",
     "spans": [{"start": 0, "end": 6, "label": "background", "annotator": "lead"}]},
]


def _imported(path: Path, records: list[dict], actor: str) -> Path:
    source = path.with_suffix(".jsonl")
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    with Store.open(path) as store:
        assert Importer(store, actor=actor).run([source]).ok
    return path


def _spans(store: Store) -> list[tuple]:
    return sorted((a.article_id, a.start, a.end, a.label, a.annotator) for a in store.annotations())


def test_spans_both_imported_from_one_file_are_recognised_not_doubled(tmp_path: Path) -> None:
    mine = _imported(tmp_path / "mine.db", RECORDS, "ana")
    theirs = _imported(tmp_path / "theirs.db", RECORDS[:1], "bo")
    with Store.open(mine) as store:
        before = _spans(store)
        uids = {a.uid for a in store.annotations()}
        report = merge_database(store, theirs, actor="ana")
        assert report.spans_recognised == 2 and report.annotations_added == 0
        assert "2 spans recognised as spans here under other uids" in report.summary()
        assert _spans(store) == before and {a.uid for a in store.annotations()} == uids
        assert verify(store).ok
        # Their creation is in the history of the span here, marked as come from their file.
        uid = store.annotations(article_ids=[1])[0].uid
        assert [(e.action, e.actor, bool(e.origin)) for e in annotation_history(store, uid).entries] == [
            ("create", "ana", False), ("create", "bo", True)]
        assert not merge_database(store, theirs, actor="ana").changed


def test_an_edit_there_after_the_merge_reaches_the_span_here(tmp_path: Path) -> None:
    mine = _imported(tmp_path / "mine.db", RECORDS, "ana")
    theirs = _imported(tmp_path / "theirs.db", RECORDS, "bo")
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="ana")
    with Store.open(theirs) as other:
        their_uid = other.annotations(article_ids=[1])[0].uid
        other.relabel(their_uid, "background", actor="bo")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="ana")
        assert (report.annotations_added, report.annotations_updated) == (0, 1)
        assert [a.label for a in store.annotations(article_ids=[1])] == ["background", "denial"]
        assert store.annotation_count() == 3 and verify(store).ok


def test_merging_back_the_other_way_recognises_them_too(tmp_path: Path) -> None:
    mine = _imported(tmp_path / "mine.db", RECORDS, "ana")
    theirs = _imported(tmp_path / "theirs.db", RECORDS, "bo")
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="ana")
    with Store.open(theirs) as other:
        merge_database(other, mine, actor="bo")
        assert other.annotation_count() == 3 and verify(other).ok


def test_a_span_differing_in_annotator_or_label_is_another_span(tmp_path: Path) -> None:
    mine = _imported(tmp_path / "mine.db", RECORDS[:1], "ana")
    other_spans = [{**RECORDS[0]["spans"][0], "annotator": "bo"}, {**RECORDS[0]["spans"][1], "label": "claim"}]
    theirs = _imported(tmp_path / "theirs.db", [{**RECORDS[0], "spans": other_spans}], "bo")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="ana")
        assert (report.spans_recognised, report.annotations_added) == (0, 2)
        assert store.annotation_count() == 4 and verify(store).ok
