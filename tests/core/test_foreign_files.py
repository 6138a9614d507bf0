"""Another program's SQLite file is refused untouched; an annotator database is known by its own marker.

The files are built here: what another program leaves (any user_version, its
own tables, its own application id), an older annotator database from before
the marker, and hostile ones claiming to be ours with views for tables.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.errors import NotADatabaseError
from annotator.core.store import SCHEMA_VERSION, Store
from annotator.core.store.identity import APPLICATION_ID
from annotator.core.store.schema import MARKED_FROM, STEPS, migrations


def _folder(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.parent.iterdir())}


def _sqlite_file(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()
    return path


RECIPES = "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)"
FOREIGN = {
    "a recipe book at version 1": (RECIPES, "PRAGMA user_version = 1"),
    "a recipe book at version 2": (RECIPES, "PRAGMA user_version = 2"),
    "a file at a high version": ("CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT)",
                                 f"PRAGMA user_version = {SCHEMA_VERSION + 40}"),
    "some of our table names": ("CREATE TABLE articles (id INTEGER PRIMARY KEY)",
                                "CREATE TABLE events (id INTEGER PRIMARY KEY)", "PRAGMA user_version = 1"),
    "another program's marker": ("CREATE TABLE t (x)", "PRAGMA application_id = 1598903374"),
    "an empty file with a version": ("PRAGMA user_version = 2",),
}


@pytest.mark.parametrize("statements", FOREIGN.values(), ids=FOREIGN.keys())
def test_another_programs_file_is_refused_untouched(tmp_path: Path, statements: tuple[str, ...]) -> None:
    path = _sqlite_file(tmp_path / "theirs.db", *statements)
    before = _folder(path)
    for opening in (Store.open, Store.open_read_only):
        with pytest.raises(NotADatabaseError, match="of another program") as refused:
            opening(path)
        assert "newer version" not in str(refused.value)
        assert "left untouched" in str(refused.value)
    assert _folder(path) == before  # the same bytes, and no .bak or journal beside it


def _older_annotator_database(path: Path, version: int) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    with db.atomic():
        migrations().apply(db, stop_before=STEPS[version])
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO articles (uid, sha256, title, text, length, created_at)"
                 " VALUES ('u1', 's', 'Old', 'Old text', 8, 'now')")
    conn.close()
    return path


@pytest.mark.parametrize("version", [1, 2, MARKED_FROM - 1])
def test_an_annotator_database_from_before_the_marker_is_known_by_its_tables(tmp_path: Path, version: int) -> None:
    path = _older_annotator_database(tmp_path / "old.db", version)
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [a.title for a in store.articles()] == ["Old"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    assert (tmp_path / f"old.db.v{version}.bak").exists()


def test_an_older_database_with_a_table_of_another_program_is_not_ours(tmp_path: Path) -> None:
    path = _older_annotator_database(tmp_path / "old.db", 2)
    _sqlite_file(path, "CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    before = _folder(path)
    with pytest.raises(NotADatabaseError, match="of another program"):
        Store.open(path)
    assert _folder(path) == before


@pytest.mark.parametrize(("statement", "problem"), [
    ("DROP TABLE events;; CREATE VIEW events AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
     " SELECT i AS id, '' AS uid, '' AS at, '' AS actor, '' AS action, '' AS entity, '' AS entity_uid,"
     " NULL AS before, NULL AS after, '' AS prev_hash, '' AS hash FROM n", "'events' is a view"),
    ("DROP TABLE annotations;; CREATE TABLE annotations (id INTEGER PRIMARY KEY, uid TEXT)", "lacks the columns"),
    ("DROP TABLE labels", "has no 'labels' table"),
])
def test_a_file_marked_as_ours_whose_tables_are_not_tables_is_refused(
        tmp_path: Path, statement: str, problem: str) -> None:
    path = tmp_path / "hostile.db"
    Store.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for part in statement.split(";;"):
        conn.execute(part)
    conn.close()
    before = _folder(path)
    for opening in (Store.open, Store.open_read_only):
        with pytest.raises(NotADatabaseError, match=problem):
            opening(path)
    assert _folder(path) == before
