from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.errors import (
    DatabaseError,
    LabelError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyError,
    SpanError,
)
from annotator.core.store import SCHEMA_VERSION, Store
from annotator.core.store.identity import APPLICATION_ID
from annotator.core.store.schema import migrations


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- opening


def test_new_database_has_schema_labels_and_pragmas(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "new.db")
    assert store.schema_version == SCHEMA_VERSION
    assert [label.name for label in store.labels()] == ["claim", "denial", "background"]
    assert [label.shortcut for label in store.labels()] == ["1", "2", "3"]
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # see tests/core/test_locks.py
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    indexes = {r[1]: [c[2] for c in conn.execute(f"PRAGMA index_info({r[1]})")]
               for r in conn.execute("PRAGMA index_list(annotations)")}
    assert any(cols[:2] == ["article_id", "start"] for cols in indexes.values())
    store.close()


def test_reopen_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        a, _ = store.add_article("Some text here.", title="t", actor="ana")
        store.add_annotation(a.id, 0, 4, "claim", annotator="ana")
    with Store.open(path) as store:
        assert [x.text for x in store.annotations_for(a.id)] == ["Some"]


def test_not_a_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 100)
    before = _digest(path)
    with pytest.raises(NotADatabaseError, match="not an annotator database"):
        Store.open(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_corrupt_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    Store.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the magic, wreck the first page
    path.write_bytes(bytes(data))
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    before = _digest(path)
    with pytest.raises(DatabaseError):
        Store.open(path)
    assert _digest(path) == before


def _sqlite_file(path: Path, *statements: str) -> None:
    """An SQLite file that annotator did not make, with these statements run in it."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    _sqlite_file(path, "CREATE TABLE articles (id INTEGER PRIMARY KEY)", f"PRAGMA user_version = {SCHEMA_VERSION + 1}",
                 f"PRAGMA application_id = {APPLICATION_ID}")
    before = _digest(path)
    with pytest.raises(NewerDatabaseError, match="newer version"):
        Store.open(path)
    assert _digest(path) == before
    assert not Path(str(path) + "-wal").exists()


def test_other_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _sqlite_file(path, "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    before = _digest(path)
    with pytest.raises(NotADatabaseError, match="another program"):
        Store.open(path)
    assert _digest(path) == before


def test_folder_and_missing_parent_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder"):
        Store.open(tmp_path)
    with pytest.raises(DatabaseError, match="does not exist"):
        Store.open(tmp_path / "nope" / "a.db")


def test_read_only_database_reads_but_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with Store.open(path) as store:
        a, _ = store.add_article("Read only text.", title="t", actor="ana")
        store.add_annotation(a.id, 0, 4, "claim", annotator="ana")
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path.chmod(0o444)
    try:
        before = _digest(path)
        with Store.open(path) as store:
            assert store.read_only
            assert len(store.annotations_for(a.id)) == 1
            with pytest.raises(ReadOnlyError, match="read-only"):
                store.add_annotation(a.id, 5, 9, "denial", annotator="ana")
        assert _digest(path) == before
    finally:
        path.chmod(0o644)


def test_database_that_becomes_read_only_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    store = Store.open(path)
    a, _ = store.add_article("Some words here.", title="t", actor="ana")
    path.chmod(0o444)
    try:
        with pytest.raises(ReadOnlyError, match="become read-only"):
            store.add_annotation(a.id, 0, 4, "claim", annotator="ana")
        assert store.annotation_count() == 0
    finally:
        path.chmod(0o644)
        store.close()


def test_database_that_disappears_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    store = Store.open(path)
    a, _ = store.add_article("Some words here.", title="t", actor="ana")
    os.rename(path, tmp_path / "moved.db")
    with pytest.raises(DatabaseError, match="moved or deleted"):
        store.add_annotation(a.id, 0, 4, "claim", annotator="ana")
    store.close()


def test_older_database_is_backed_up_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    with db.atomic():
        migrations().apply(db, stop_before="0002_review")
        conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO articles (uid, sha256, title, text, length, created_at)"
        " VALUES ('u1', 's', 'Old', 'Old text', 8, 'now')"
    )
    conn.close()

    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION
    assert [a.title for a in store.articles()] == ["Old"]
    backup = tmp_path / "old.db.v1.bak"
    assert backup.exists()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT title FROM articles").fetchall() == [("Old",)]
    old.close()
    # the review columns of step 2 are there and used
    ann = store.add_annotation(1, 0, 3, "claim", annotator="ana")
    assert store.set_status(ann.uid, "rejected", actor="rev", reason="too short").review_note == "too short"
    store.close()


# ------------------------------------------------------------ annotations


def test_add_checks_the_span_invariant(store: Store, article: int) -> None:
    text = store.article_text(article)
    ann = store.add_annotation(article, 0, 7, "Claim", annotator="ana")
    assert ann.text == text[0:7] == "Kremlin"
    assert ann.label == "claim"
    with pytest.raises(SpanError, match="does not match"):
        store.add_annotation(article, 0, 7, "claim", annotator="ana", text="Kremlim")
    with pytest.raises(SpanError, match="past the end"):
        store.add_annotation(article, 0, len(text) + 1, "claim", annotator="ana")
    with pytest.raises(SpanError, match="negative"):
        store.add_annotation(article, -1, 3, "claim", annotator="ana")
    with pytest.raises(SpanError, match="not before"):
        store.add_annotation(article, 5, 5, "claim", annotator="ana")
    with pytest.raises(LabelError, match="unknown label"):
        store.add_annotation(article, 0, 3, "opinion", annotator="ana")
    assert store.annotation_count() == 1


def test_offsets_are_code_points_after_emoji(store: Store, article: int) -> None:
    text = store.article_text(article)
    start = text.index("here")
    ann = store.add_annotation(article, start, start + 4, "background", annotator="ana")
    assert ann.text == "here"
    assert text[ann.start:ann.end] == "here"


def test_every_change_is_an_event_with_before_and_after(store: Store, article: int) -> None:
    ann = store.add_annotation(article, 0, 7, "claim", annotator="ana")
    store.relabel(ann.uid, "denial", actor="ana")
    store.resize(ann.uid, 0, 14, actor="ana")
    store.set_note(ann.uid, "check the source", actor="ana")
    store.set_status(ann.uid, "accepted", actor="rita")
    deleted = store.delete_annotation(ann.uid, actor="ana")
    store.restore_annotation(deleted, actor="ana")

    events = store.events_for(ann.uid)
    assert [e.action for e in events] == ["create", "relabel", "resize", "note", "review", "delete", "restore"]
    assert events[1].before == {"label": "claim"} and events[1].after == {"label": "denial"}
    assert events[2].before == {"end": 7, "text": "Kremlin"}
    assert events[2].after == {"end": 14, "text": "Kremlin denied"}
    assert events[3].after == {"note": "check the source"}
    assert events[4].actor == "rita" and events[4].after == {"status": "accepted"}
    assert events[5].after is None and events[5].before["label"] == "denial"
    restored = store.annotation(ann.uid)
    assert (restored.label, restored.text, restored.note, restored.status) == (
        "denial", "Kremlin denied", "check the source", "accepted")
    assert store.verify_events().ok


def test_no_op_change_writes_no_event(store: Store, article: int) -> None:
    ann = store.add_annotation(article, 0, 7, "claim", annotator="ana")
    store.relabel(ann.uid, "CLAIM", actor="ana")
    assert [e.action for e in store.events_for(ann.uid)] == ["create"]


def test_resize_refuses_bad_spans(store: Store, article: int) -> None:
    ann = store.add_annotation(article, 0, 7, "claim", annotator="ana")
    with pytest.raises(SpanError):
        store.resize(ann.uid, 7, 7, actor="ana")
    assert store.annotation(ann.uid).end == 7


def test_events_are_append_only(file_store: Store) -> None:
    a, _ = file_store.add_article("Some text.", title="t", actor="ana")
    with pytest.raises(sqlite3.IntegrityError):
        file_store.db.conn.execute("UPDATE events SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError):
        file_store.db.conn.execute("DELETE FROM events")


def test_verify_names_an_altered_event(file_store: Store) -> None:
    a, _ = file_store.add_article("Some text here.", title="t", actor="ana")
    ann = file_store.add_annotation(a.id, 0, 4, "claim", annotator="ana")
    file_store.relabel(ann.uid, "denial", actor="ana")
    conn = file_store.db.conn
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET actor = 'mallory' WHERE id = 2")
    report = file_store.verify_events()
    assert not report.ok and report.first_bad_id == 2


def test_one_transaction_per_action(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = Store.open(path)
    a, _ = store.add_article("Some words for you.", title="t", actor="ana")
    store.add_annotation(a.id, 0, 4, "claim", annotator="ana")
    # A second connection sees the committed row at once: nothing waits for a save.
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1
    assert other.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    other.close()
    store.close()


def test_article_dedupe_by_sha(store: Store) -> None:
    a, new = store.add_article("Same text.", title="one", actor="ana")
    b, again = store.add_article("Same text.", title="two", actor="ana")
    assert new and not again and a.id == b.id
    assert store.article_count() == 1


def test_articles_with_counts(store: Store, article: int) -> None:
    store.add_annotation(article, 0, 7, "claim", annotator="ana")
    store.add_annotation(article, 8, 14, "denial", annotator="ana")
    store.add_annotation(article, 17, 26, "claim", annotator="bo")
    [row] = store.articles_with_counts()
    assert row.counts == {"claim": 2, "denial": 1}
    assert row.total == 3


def test_the_same_span_twice_is_refused(store: Store, article: int) -> None:
    first = store.add_annotation(article, 0, 7, "claim", annotator="ana")
    with pytest.raises(SpanError, match="already tagged"):
        store.add_annotation(article, 0, 7, "Claim", annotator="ana")
    assert store.identical_span(article, 0, 7, "claim", "ana") == first.uid
    store.add_annotation(article, 0, 7, "claim", annotator="bo")   # another annotator may
    store.add_annotation(article, 0, 7, "denial", annotator="ana")  # or another label
    assert store.annotation_count() == 3


def test_opening_a_store_keeps_pandas_out_of_the_process(tmp_path: Path) -> None:
    # sqlite-utils imports pandas and numpy when they are installed: 0.7 s and 84 MB the app never uses.
    pytest.importorskip("pandas")
    code = (
        "import sys\n"
        "from annotator.core.store import Store\n"
        f"store = Store.open({str(tmp_path / 'a.db')!r})\n"  # a new file: migrations run through sqlite-utils
        "store.db.conn.execute('SELECT 1')\n"
        "assert 'sqlite_utils' in sys.modules\n"
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules, 'pandas came along'\n"
        "import pandas\n"  # and whoever wants pandas later still gets it
        "assert pandas.DataFrame({'a': [1]}).shape == (1, 1)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_new_uids_are_time_ordered_uuid7() -> None:
    # Time-ordered keys land at the end of the uid indexes; random ones scattered every insert.
    import uuid

    from annotator.core.model import new_uid

    uids = [new_uid() for _ in range(5000)]
    assert uids == sorted(uids) and len(set(uids)) == len(uids)
    assert {uuid.UUID(u).version for u in uids} == {7}
    assert all(uuid.UUID(u).variant == uuid.RFC_4122 for u in uids)


def test_a_second_and_third_upgrade_backup_are_numbered(tmp_path: Path) -> None:
    def old_database(path: Path) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        db = Database(conn)
        with db.atomic():
            migrations().apply(db, stop_before="0002_review")
            conn.execute("PRAGMA user_version = 1")
        conn.close()

    path = tmp_path / "old.db"
    (tmp_path / "old.db.v1.bak").write_text("an earlier backup")
    (tmp_path / "old.db.v1.2.bak").write_text("and another")
    old_database(path)
    Store.open(path).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db", "old.db.v1.2.bak", "old.db.v1.3.bak",
                                                          "old.db.v1.bak"]
    assert (tmp_path / "old.db.v1.bak").read_text() == "an earlier backup"
