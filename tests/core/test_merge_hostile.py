"""Hostile and unlucky colleagues' files through merge: a writer that died mid-commit, views for tables,
endless reads, uids reused for other things, a history forged consistently. Each file is built here."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core import merge as merge_module
from annotator.core.errors import DatabaseError, NotADatabaseError
from annotator.core.importer import Importer
from annotator.core.merge import merge_database
from annotator.core.store import Store
from annotator.core.store.events import GENESIS_HASH, event_hash

from ..faults import run_killed_at_commit

WIRE = "Turkey asked Russia to take back its S-400 systems, Bloomberg reported."
DENIAL = "The Kremlin denied the report on Friday."


def _folder(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """mine.db with the wire report, and theirs.db (in a folder of its own) with one more article."""
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs" / "theirs.db"
    theirs.parent.mkdir()
    with Store.open(mine) as store:
        store.add_article(WIRE, title="wire", actor="ana")
    with Store.open(theirs) as store:
        store.add_article(WIRE, title="wire", actor="bo")
        article, _ = store.add_article(DENIAL, title="denial", actor="bo")
        store.add_annotation(article.id, 4, 11, "denial", annotator="bo", uid="b1")
    return mine, theirs


def _uncommitted_jsonl(path: Path, n: int = 2000) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"text": f"Uncommitted article number {i}, never to be merged."}) + "\n")
    return path


# ---------------------------------------------------- a writer that died mid-commit


def test_a_colleague_killed_in_mid_commit_is_merged_as_committed(pair: tuple[Path, Path], tmp_path: Path) -> None:
    mine, theirs = pair
    # The colleague's import of 2,000 articles dies when SQLite deletes its journal: every page
    # is written to the file, and the hot journal beside it says none of it was committed.
    died = run_killed_at_commit(["--db", str(theirs), "import", str(_uncommitted_jsonl(tmp_path / "new.jsonl"))],
                                "before")
    assert died.returncode == -9, died.stderr
    assert Path(f"{theirs}-journal").stat().st_size > 0
    before = _folder(theirs.parent)
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert report.articles_added == 1 and report.annotations_added == 1
        assert store.article_count() == 2
        assert audit.verify(store).ok
    assert _folder(theirs.parent) == before  # the colleague's file and journal, byte for byte


# --------------------------------------------------------------- hostile tables


ENDLESS_EVENTS = (
    "CREATE VIEW events AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
    " SELECT i AS id, 'u' || i AS uid, '' AS at, '' AS actor, 'create' AS action, 'label' AS entity,"
    " '' AS entity_uid, NULL AS before, NULL AS after, '' AS prev_hash, '' AS hash FROM n")


def test_a_colleague_file_whose_log_is_an_endless_view_is_refused_at_once(pair: tuple[Path, Path]) -> None:
    mine, theirs = pair
    conn = sqlite3.connect(theirs, isolation_level=None)
    conn.execute("DROP TABLE events")
    conn.execute(ENDLESS_EVENTS)
    conn.close()
    before = _folder(theirs.parent)
    # In a process of its own: before the fix this never returned.
    done = subprocess.run([sys.executable, "-m", "annotator", "--db", str(mine), "merge", str(theirs)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "'events' is a view, not a table" in done.stderr and "left untouched" in done.stderr
    assert _folder(theirs.parent) == before
    with Store.open(mine) as store:
        assert store.article_count() == 1


def test_reading_a_colleague_file_is_bounded_by_its_size(pair: tuple[Path, Path],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    mine, theirs = pair
    with Store.open(theirs) as store:
        article = store.article_by_sha(hashlib.sha256(DENIAL.encode()).hexdigest())
        assert article is not None
        for start in range(0, 30):
            store.add_annotation(article.id, start, start + 5, "claim", annotator="bo")
    # A budget so small that even this honest file exceeds it: the merge stops, says why, changes nothing.
    monkeypatch.setattr(merge_module, "_STEPS_PER_BYTE", 0.0)
    monkeypatch.setattr(merge_module, "_MIN_STEPS", 1)
    with Store.open(mine) as store:
        with pytest.raises(DatabaseError, match="took more work than a database of its size needs.*nothing was"
                                                " merged"):
            merge_database(store, theirs, actor="lead")
        assert store.article_count() == 1 and store.event_count() == 1


def test_a_colleague_file_with_columns_missing_is_refused(pair: tuple[Path, Path]) -> None:
    mine, theirs = pair
    conn = sqlite3.connect(theirs, isolation_level=None)
    conn.execute("ALTER TABLE annotations DROP COLUMN note")
    conn.close()
    with Store.open(mine) as store, pytest.raises(NotADatabaseError, match="'annotations' table lacks the column"
                                                                           " note"):
        merge_database(store, theirs, actor="lead")


def test_a_colleague_file_with_damaged_pages_is_refused(pair: tuple[Path, Path]) -> None:
    from .test_damaged import _corrupt_a_page

    mine, theirs = pair
    with Store.open(theirs) as store:
        article = store.article_by_sha(hashlib.sha256(DENIAL.encode()).hexdigest())
        assert article is not None
        store.add_annotations([store.build_annotation(article.id, i, i + 3, "claim", annotator="bo")
                               for i in range(30)], actor="bo")
        store.add_article("Background: " + "the S-400 purchase. " * 2000, title="long", actor="bo")
    _corrupt_a_page(theirs)
    with Store.open(mine) as store:
        with pytest.raises(DatabaseError, match="the file is damaged.*nothing was merged"):
            merge_database(store, theirs, actor="lead")
        assert store.article_count() == 1


# ------------------------------------------------------------ uids reused


def _import(path: Path, records: list[dict], actor: str) -> None:
    source = path.with_suffix(".jsonl")
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Store.open(path) as store:
        report = Importer(store, actor=actor, default_annotator=actor).run([source])
        assert report.ok, report.problems


def test_two_honest_databases_reusing_uids_merge_and_verify(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    # Both files number their articles and spans the same way, for different texts.
    _import(mine, [{"uid": "art-1", "text": WIRE, "spans": [{"uid": "s1", "start": 0, "end": 6, "label": "claim"}]}],
            "ana")
    _import(theirs, [{"uid": "art-1", "text": DENIAL, "spans": [
        {"uid": "s1", "start": 4, "end": 11, "label": "denial"},
        {"uid": "s2", "start": 16, "end": 22, "label": "claim"}]}], "bo")
    with Store.open(theirs) as store:
        store.set_note("s1", "bo's note", actor="bo")
        store.link_spans(["s1"], actor="bo", role="denies")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert (report.articles_added, report.annotations_added) == (1, 2)
        assert any("article uid art-1" in note for note in report.notes)
        assert any("span uid s1" in note for note in report.notes)
        texts = {a.uid: store.article_text(a.id) for a in store.articles()}
        assert texts["art-1"] == WIRE and DENIAL in texts.values()
        ours = store.annotation("s1")
        assert (ours.text, ours.annotator, ours.note) == ("Turkey", "ana", "")
        theirs_s1 = [a for a in store.annotations() if a.text == "Kremlin"]
        assert len(theirs_s1) == 1 and theirs_s1[0].note == "bo's note" and theirs_s1[0].uid != "s1"
        assert [link.span_uid for link in store.links()] == [theirs_s1[0].uid]
        assert audit.verify(store).ok, audit.verify(store).summary()
        again = merge_database(store, theirs, actor="lead")  # the same renames: nothing new
        assert not again.changed
        assert audit.verify(store).ok


# ------------------------------------------------------- where events came from


def test_merged_events_say_where_they_came_from(pair: tuple[Path, Path]) -> None:
    mine, theirs = pair
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert report.origin is not None and report.origin.events == report.events_added
        entries = audit.annotation_history(store, "b1").entries
        assert entries and all(e.origin.startswith(f"from {theirs}, merged ") and e.origin.endswith(" by lead")
                               for e in entries)
        store.set_note("b1", "checked", actor="ana")
        assert audit.annotation_history(store, "b1").entries[-1].origin == ""  # made here
        summary = audit.verify(store).summary()
        digest = hashlib.sha256(theirs.read_bytes()).hexdigest()
        assert f"{report.events_added} events came from {theirs} (sha256 {digest[:16]}…), merged " in summary


def test_a_merge_record_edited_outside_annotator_is_found(pair: tuple[Path, Path]) -> None:
    mine, theirs = pair
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="lead")
    conn = sqlite3.connect(mine, isolation_level=None)
    conn.execute("DROP TRIGGER merged_events_no_delete")
    conn.execute("DELETE FROM merged_events WHERE event_uid = (SELECT event_uid FROM merged_events LIMIT 1)")
    conn.close()
    with Store.open(mine) as store:
        report = audit.verify(store)
        assert not report.ok and any(m.entity == "merge" and "noted as coming from" in m.problem
                                     for m in report.mismatches)


def _forge(path: Path, actor: str, at: str) -> None:
    """A colleague's log rewritten from scratch, consistently: every event re-hashed."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET actor = ?, at = ? WHERE action = 'review'", (actor, at))
    prev = GENESIS_HASH
    for row in conn.execute("SELECT id, uid, at, actor, action, entity, entity_uid, before, after FROM events"
                            " ORDER BY id").fetchall():
        digest = event_hash(prev, row[1:])
        conn.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row[0]))
        prev = digest
    conn.execute("CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
                 " BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END")
    conn.close()


def test_a_consistently_forged_history_verifies_but_says_where_it_came_from(pair: tuple[Path, Path]) -> None:
    mine, theirs = pair
    with Store.open(theirs) as store:
        store.set_status("b1", "accepted", actor="bo")
    _forge(theirs, "chief-editor", "2019-03-01T09:00:00.000Z")
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="lead")
        assert audit.verify(store).ok  # what merge cannot prove (docs/review.md)
        accepted = [e for e in audit.annotation_history(store, "b1").entries if e.action == "review"]
        assert [(e.actor, e.at[:4]) for e in accepted] == [("chief-editor", "2019")]
        assert accepted[0].origin.startswith(f"from {theirs}")  # but not as ours
