"""What makes a file an annotator database, checked before anything reads its tables or writes to it.

Its own marker: ``PRAGMA application_id`` (set by schema step 0008 in every new
or migrated database). A database from before the marker is recognised by its
exact set of tables for its ``user_version``. Anything else is another
program's file, refused untouched, whatever its ``user_version`` says: a user
version alone made another program's database (version 1 or 2) look like an
old annotator one, and it was "migrated".

Then the tables it must have for its version are tables (not views, which may
compute rows without end) with at least the columns that version made.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import NewerDatabaseError, NotADatabaseError

APPLICATION_ID = 0x414E4E54
"""``PRAGMA application_id`` of an annotator database: "ANNT" in ASCII."""

# Tables SQLite or sqlite-utils' migrations add beside ours.
_OPTIONAL_TABLES = frozenset({"_sqlite_migrations"})


class _Bare:
    """What a schema step uses of a sqlite-utils Database, without importing sqlite-utils (start-up time)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)


@functools.cache
def shapes() -> tuple[dict[str, tuple[str, frozenset[str]]], ...]:
    """For each schema version (index 0: version 1), its tables: name -> (type, columns).

    Made by running the steps on an empty database in memory (a few milliseconds,
    once per process); ``type`` is "table" or "virtual".
    """
    return tuple(tables for tables, _objects in _built())


@functools.cache
def _built() -> tuple[tuple[dict[str, tuple[str, frozenset[str]]], dict[tuple[str, str], str]], ...]:
    """For each schema version: its tables (``shapes``), and every schema object it has, (type, name) -> SQL."""
    return tuple((tables, objects) for tables, objects, _columns in _steps_run())


@functools.cache
def _steps_run() -> tuple[tuple[dict[str, tuple[str, frozenset[str]]], dict[tuple[str, str], str],
                                dict[str, tuple[tuple[str, str, bool], ...]]], ...]:
    from .schema import _FUNCTIONS

    conn = sqlite3.connect(":memory:", isolation_level=None)
    found = []
    try:
        conn.execute("BEGIN")
        for step in _FUNCTIONS:
            step(_Bare(conn))  # type: ignore[arg-type]
            tables = _tables(conn)
            columns = {name: tuple((row[1], row[2].upper(), bool(row[3] or row[5]))
                                   for row in conn.execute(f'PRAGMA table_info("{name}")'))
                       for name, (kind, _names) in tables.items() if kind == "table"}
            found.append((tables, _schema_objects(conn), columns))
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    return tuple(found)


def column_types(version: int) -> dict[str, tuple[tuple[str, str, bool], ...]]:
    """For each table of schema ``version`` (not FTS5's), its columns: (name, declared type, NOT NULL)."""
    return _steps_run()[version - 1][2]


def _schema_objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Every table, index, view and trigger of the file but SQLite's own, (type, name) -> its SQL, spaces folded."""
    return {(kind, name): " ".join((sql or "").split()) for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")}


# What sqlite-utils' Migrations adds beside the steps' own objects.
_MIGRATION_OBJECTS = frozenset({("table", "_sqlite_migrations"),
                                ("index", "idx__sqlite_migrations_migration_set_name")})


def _tables(conn: sqlite3.Connection) -> dict[str, tuple[str, frozenset[str]]]:
    tables = {}
    for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                                  " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"):
        kind = "virtual" if (sql or "").lstrip().upper().startswith("CREATE VIRTUAL") else "table"
        columns = frozenset(row[1] for row in conn.execute(f'PRAGMA table_info("{name}")'))
        tables[name] = (kind, columns)
    return tables


def _objects(conn: sqlite3.Connection) -> dict[str, str]:
    """Tables and views of the file (not SQLite's own), by name: "table" or "view"."""
    return dict(conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
                             " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall())


def identify(conn: sqlite3.Connection, path: Path, *, purpose: str, latest: int, marked_from: int) -> int:
    """The schema version of the annotator database on ``conn``; refuses any other file, saying why.

    ``marked_from``: the first version whose databases carry the marker.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == APPLICATION_ID:
        if version > latest:
            raise NewerDatabaseError(
                f"{path} was written by a newer version of annotator (schema {version}, this one "
                f"knows {latest}); upgrade annotator to {purpose} it. The file was left untouched")
        return version
    foreign = f"{path} is an SQLite database of another program"
    if app_id != 0:
        raise NotADatabaseError(f"{foreign} (application id {app_id:#010x}); it was left untouched")
    objects = _objects(conn)
    if not objects and version == 0:
        return 0  # an empty SQLite file: nothing of anyone's to harm
    if 0 < version < marked_from and "view" not in objects.values():
        expected = set(shapes()[version - 1])
        if set(objects) - _OPTIONAL_TABLES == expected:
            return version
    raise NotADatabaseError(f"{foreign} (no annotator marker, and not the tables of an annotator database);"
                            " it was left untouched")


@dataclasses.dataclass(frozen=True)
class ForeignObject:
    """A schema object of the file that annotator did not make (or made with another body)."""

    kind: str   # table, index, view, trigger
    name: str
    table: str
    changed: bool = False   # annotator's name, another body

    def describe(self) -> str:
        on = f" on {self.table}" if self.kind in ("trigger", "index") else ""
        return f"{self.kind} {self.name!r}{on}" + (" (annotator's name, another body)" if self.changed else "")

    def drop(self) -> str:
        quoted = '"' + self.name.replace('"', '""') + '"'
        return f"DROP {self.kind.upper()} {quoted};"


def foreign_objects(conn: sqlite3.Connection, version: int) -> list[ForeignObject]:
    """The schema objects of the file that annotator did not make.

    Ours are what the schema steps up to ``version`` make (FTS5's shadow
    tables included), sqlite-utils' record of them, and SQLite's own
    (``sqlite_stat1``, autoindexes: by name and kind, since a trigger may be
    named ``sqlite_...`` too and still runs). A trigger is compared by its SQL
    too: it runs inside annotator's writes, after the checks made before them,
    so a trigger of another hand can undo any rule (shift every span's start by
    one); so is an index (a UNIQUE index of our name on other columns refuses
    honest imports), except ``links_claim``, which an early step edited in place.
    """
    if version == 0:
        return []
    ours = _built()[min(version, len(_built())) - 1][1]
    found = []
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    for kind, name, table, sql in rows:
        if (kind, name) in _MIGRATION_OBJECTS or _sqlites_own(kind, name, sql):
            continue
        if (kind, name) not in ours:
            found.append(ForeignObject(kind, name, table))
        elif kind in ("trigger", "index") and (kind, name) not in _EDITED_IN_PLACE \
                and " ".join((sql or "").split()) != ours[(kind, name)]:
            found.append(ForeignObject(kind, name, table, changed=True))
    return found


# SQLite's own tables (ANALYZE's statistics, AUTOINCREMENT's counters). A trigger or view may be given
# a name starting sqlite_ too (PRAGMA writable_schema), and SQLite runs it: only these are passed over.
_SQLITE_TABLES = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"})
# An index an early schema step changed in place: older databases hold it on other columns.
_EDITED_IN_PLACE = frozenset({("index", "links_claim")})


def _sqlites_own(kind: str, name: str, sql: str | None) -> bool:
    if kind == "table":
        return name in _SQLITE_TABLES
    # The index SQLite makes for a UNIQUE or PRIMARY KEY constraint has no SQL of its own.
    return kind == "index" and name.startswith("sqlite_autoindex_") and sql is None


def foreign_words(path: Path, objects: list[ForeignObject]) -> tuple[str, str]:
    """The objects named, and how to remove those annotator has no use for with the sqlite3 shell."""
    named = ", ".join(o.describe() for o in objects)
    drops = " ".join(o.drop() for o in objects if not o.changed)
    if drops and "'" not in drops:
        return named, (f"remove them if you trust the rest of the file (sqlite3 {path} '{drops}'), then run"
                       f" 'annotator verify --db {path}'")
    return named, f"run 'annotator verify --db {path}'"


def check_tables(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse a file whose tables for ``version`` are views, or lack columns, before a query reads them."""
    if version == 0:
        return
    objects = _objects(conn)
    for name, (kind, columns) in shapes()[version - 1].items():
        actual = objects.get(name)
        if actual is None:
            problem = f"it has no {name!r} table"
        elif actual != "table":
            problem = f"its {name!r} is a {actual}, not a table"
        elif kind == "virtual":
            continue
        else:
            missing = columns - {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
            if not missing:
                continue
            plural = "s" if len(missing) > 1 else ""
            problem = f"its {name!r} table lacks the column{plural} {', '.join(sorted(missing))}"
        raise NotADatabaseError(f"{path} is not an annotator database as it claims to be: {problem};"
                                " it was left untouched")
