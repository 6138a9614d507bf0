"""Schema objects annotator did not make (a trigger, a view, a table, an index) in a database handed over.

A trigger runs inside annotator's own writes, after the checks made before
them: one that shifts every new span's start by one breaks
``text[start:end] == span text`` behind the store's back. Such a file is
refused for writing, untouched; verify names each object; merge refuses it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from annotator.core.audit import verify
from annotator.core.errors import DatabaseError, NotADatabaseError
from annotator.core.merge import merge_database
from annotator.core.store import Store

SHIFT = ("CREATE TRIGGER shift AFTER INSERT ON annotations BEGIN"
         " UPDATE annotations SET start = start + 1 WHERE id = new.id; END")


def _database(path: Path, *extra: str) -> Path:
    with Store.open(path) as store:
        a, _ = store.add_article("Alpha beta gamma delta.", title="A", actor="ana")
        store.add_annotation(a.id, 6, 10, "claim", annotator="ana")
    conn = sqlite3.connect(path)
    for sql in extra:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_foreign_trigger_is_refused_for_writing_and_the_file_left_untouched(tmp_path: Path) -> None:
    db = _database(tmp_path / "handed.db", SHIFT,
                   "CREATE TRIGGER spy AFTER INSERT ON articles BEGIN"
                   " INSERT INTO settings(key, value) VALUES ('spy', new.text); END")
    before = _digest(db)
    with pytest.raises(NotADatabaseError) as caught:
        Store.open(db)
    message = str(caught.value)
    assert "trigger 'shift' on annotations" in message and "trigger 'spy' on articles" in message
    assert 'DROP TRIGGER "shift"; DROP TRIGGER "spy";' in message and "annotator verify" in message
    assert _digest(db) == before and sorted(p.name for p in tmp_path.iterdir()) == ["handed.db"]


def test_views_tables_indexes_and_a_changed_trigger_of_ours_are_named(tmp_path: Path) -> None:
    db = _database(tmp_path / "handed.db",
                   "CREATE VIEW spans AS SELECT * FROM annotations",
                   "CREATE TABLE notes (x)",
                   "CREATE INDEX by_note ON annotations(note)",
                   "DROP TRIGGER annotations_count_insert",
                   "CREATE TRIGGER annotations_count_insert AFTER INSERT ON annotations BEGIN"
                   " UPDATE annotations SET start = 0 WHERE id = new.id; END")
    with pytest.raises(NotADatabaseError) as caught:
        Store.open(db)
    message = str(caught.value)
    for named in ("view 'spans'", "table 'notes'", "index 'by_note' on annotations",
                  "trigger 'annotations_count_insert' on annotations (annotator's name, another body)"):
        assert named in message


def test_what_annotator_and_sqlite_make_is_not_foreign(tmp_path: Path) -> None:
    db = _database(tmp_path / "ours.db", "ANALYZE")  # sqlite_stat1 is SQLite's own
    with Store.open(db) as store:
        assert store.foreign_schema() == []
        store.add_article("Another text.", title="B", actor="ana")
        assert verify(store).ok


def test_verify_names_the_foreign_objects(tmp_path: Path) -> None:
    db = _database(tmp_path / "handed.db", SHIFT, "CREATE VIEW spans AS SELECT * FROM annotations")
    with Store.open_read_only(db) as store:
        report = verify(store)
    assert not report.ok
    schema = [m for m in report.mismatches if m.entity == "schema"]
    assert [m.uid for m in schema] == ["trigger 'shift' on annotations", "view 'spans'"]
    assert "runs inside annotator's writes" in schema[0].problem and 'DROP TRIGGER "shift";' in schema[0].problem


def test_merge_reads_a_file_with_a_foreign_view_but_not_what_a_foreign_trigger_did(tmp_path: Path) -> None:
    other = _database(tmp_path / "colleague.db", "CREATE VIEW spans AS SELECT * FROM annotations")
    with Store.open(tmp_path / "mine.db") as store:
        report = merge_database(store, other, actor="lead")
        assert report.annotations_added == 1
        assert "schema objects annotator did not make (view 'spans')" in report.notes[0]
        assert store.foreign_schema() == []
    shifted = _database(tmp_path / "shifted.db", SHIFT)
    conn = sqlite3.connect(shifted)  # their import ran through the trigger: the span's start moved after its check
    conn.execute("INSERT INTO annotations (uid, article_id, start, \"end\", label_id, text, annotator, created_at,"
                 " updated_at) SELECT 'x1', 1, 11, 16, label_id, 'gamma', 'ana', created_at, updated_at"
                 " FROM annotations LIMIT 1")
    conn.commit()
    conn.close()
    with Store.open(tmp_path / "mine2.db") as store:
        with pytest.raises(DatabaseError, match="does not verify"):
            merge_database(store, shifted, actor="lead")
        assert store.article_count() == 0


def _write_schema(path: Path, kind: str, name: str, table: str, sql: str) -> None:
    """What PRAGMA writable_schema lets anyone do: an object of any name, which SQLite then loads and runs."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, 0, ?)",
                 (kind, name, table, sql))
    conn.commit()
    conn.close()


def test_a_trigger_named_like_sqlites_own_is_still_foreign(tmp_path: Path) -> None:
    db = _database(tmp_path / "handed.db")
    _write_schema(db, "trigger", "sqlite_shift", "annotations",
                  "CREATE TRIGGER sqlite_shift AFTER INSERT ON annotations BEGIN"
                  " UPDATE annotations SET start = start + 1 WHERE id = new.id; END")
    with pytest.raises(NotADatabaseError, match="trigger 'sqlite_shift' on annotations"):
        Store.open(db)
    with Store.open_read_only(db) as store:
        assert any("sqlite_shift" in str(m) for m in verify(store).mismatches)


def test_an_index_of_our_name_on_other_columns_is_named(tmp_path: Path) -> None:
    """A UNIQUE index of one of our names would refuse honest imports with 'UNIQUE constraint failed'."""
    db = _database(tmp_path / "handed.db", "DROP INDEX articles_title",
                   "CREATE UNIQUE INDEX articles_title ON articles(source)")
    with pytest.raises(NotADatabaseError, match="index 'articles_title'"):
        Store.open(db)


def test_an_honest_database_analysed_and_vacuumed_is_still_ours(tmp_path: Path) -> None:
    db = _database(tmp_path / "handed.db", "ANALYZE")
    conn = sqlite3.connect(db)
    conn.execute("VACUUM")
    conn.close()
    with Store.open(db) as store:
        assert store.article_count() == 1
