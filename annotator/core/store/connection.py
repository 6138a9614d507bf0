"""Opening a database: checks before anything is written, migrations, the connection's settings.

A file that is not an SQLite database, another program's database, or one
written by a newer annotator is refused before a single byte of it changes.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Self

from ..errors import DatabaseError, NewerDatabaseError, NotADatabaseError, ReadOnlyError
from .schema import SCHEMA_VERSION, load_sqlite_utils

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class Connection:
    """The open connection and what every room of the store shares: path, read-only flag, identity."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False) -> None:
        self._conn = conn
        self._db: Database | None = None
        self.path = path
        self.read_only = read_only
        self._identity: tuple[int, int] | None = None
        if path is not None:
            st = path.stat()
            self._identity = (st.st_dev, st.st_ino)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> Self:
        """Open (and if needed create or migrate) the database at ``path``.

        A file that is not an SQLite database, or one written by a newer
        version, is refused and never modified.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file")
        exists = path.exists()
        if not exists:
            if not create:
                raise DatabaseError(f"no database at {path}")
            if not path.parent.is_dir():
                raise DatabaseError(f"cannot create the database {path}: the folder {path.parent} does not exist")
            if not os.access(path.parent, os.W_OK):
                raise ReadOnlyError(f"cannot create the database {path}: the folder is read-only")
            version, foreign = 0, False
        else:
            _check_header(path)
            version, foreign = _probe_version(path)
        _check_schema(path, version, foreign, purpose="open")

        read_only = exists and not is_writable(path)
        if read_only and version < SCHEMA_VERSION:
            raise ReadOnlyError(f"{path} is read-only and needs upgrading to this version; make it writable first")
        if read_only:
            conn = _connect_read_only(path)
        else:
            try:
                conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # 64 MB of page cache: random uids make index inserts touch many pages.
            conn.execute("PRAGMA cache_size = -65536")
            if not read_only:
                _use_rollback_journal(conn)
                conn.execute("PRAGMA synchronous = FULL")
            store = cls(conn, path, read_only=read_only)
            if 0 < version < SCHEMA_VERSION:
                store._backup(version)
            if version < SCHEMA_VERSION:
                store._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
        return store

    @classmethod
    def memory(cls) -> Self:
        """A fresh in-memory database (tests and throwaway work)."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        store = cls(conn, None)
        store._migrate()
        return store

    @classmethod
    def open_read_only(cls, path: str | os.PathLike[str]) -> Self:
        """Open someone else's database to read it, never writing to its file.

        Without a ``-wal`` file beside it, the file is opened ``immutable``: a
        plain ``mode=ro`` open of a WAL database leaves new ``-wal`` and ``-shm``
        files in its folder. With one (its program is open, or crashed), ``mode=ro``
        is needed to see the pages still in the WAL. A database of an older
        schema is copied into memory and migrated there; the file stays as it was.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file")
        if not path.is_file():
            raise DatabaseError(f"no database at {path}")
        _check_header(path)
        uri = f"{path.resolve().as_uri()}?mode=ro"
        if not Path(f"{path}-wal").exists():
            uri += "&immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            version, foreign = _schema_of(conn)
        except sqlite3.DatabaseError as exc:
            raise NotADatabaseError(f"{path} is damaged or not a database ({exc}); it was left untouched") from exc
        try:
            _check_schema(path, version, foreign, purpose="read")
            if version < SCHEMA_VERSION:
                memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                conn.backup(memory)
                conn.close()
                conn = memory
                copy = cls(conn, None)
                copy._migrate()
                copy.read_only = True
                return copy
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, read_only=True)

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use (without pandas: ``load_sqlite_utils``)."""
        if self._db is None:
            # No plugin hooks: they scan every installed distribution's entry points.
            self._db = load_sqlite_utils().Database(self._conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _backup(self, version: int) -> Path:
        assert self.path is not None
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.v{version}.{n}.bak")
        dest = sqlite3.connect(str(target))
        try:
            self._conn.backup(dest)
        finally:
            dest.close()
        return target

    def _migrate(self) -> None:
        # All pending steps and the version bump in one transaction: a failed
        # upgrade leaves the file as it was.
        from .schema import migrations

        with self.db.atomic():
            migrations().apply(self.db)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def data_version(self) -> int:
        """Changes whenever another connection (the command line, a merge) commits to this file."""
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]


def is_writable(path: Path) -> bool:
    # Mode bits as well as access(): root passes access() on any file, but a file
    # the user made read-only should still be treated as read-only.
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(path, os.W_OK)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise DatabaseError(f"cannot read the database {path}: permission denied") from exc
    except OSError as exc:
        raise DatabaseError(f"cannot read the database {path}: {exc.strerror or exc}") from exc
    if head and head != SQLITE_MAGIC:
        raise NotADatabaseError(f"{path} is not an annotator database (not an SQLite file); it was left untouched")


def _schema_of(conn: sqlite3.Connection) -> tuple[int, bool]:
    """The file's schema version, and whether it holds tables of another program."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return version, bool(tables - {"_sqlite_migrations"})


def _check_schema(path: Path, version: int, foreign: bool, *, purpose: str) -> None:
    """Refuse a database from a newer annotator, or another program's, before anything touches it."""
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(
            f"{path} was written by a newer version of annotator (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); upgrade annotator to {purpose} it. The file was left untouched"
        )
    if version == 0 and foreign:
        raise NotADatabaseError(f"{path} is an SQLite database of another program; it was left untouched")


def _probe_version(path: Path) -> tuple[int, bool]:
    """Read user_version and whether the file holds other tables, without writing anything."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    for extra in ("", "&immutable=1"):
        try:
            conn = sqlite3.connect(uri + extra, uri=True)
            try:
                return _schema_of(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            last = exc
    if "not a database" in str(last) or "malformed" in str(last):
        raise NotADatabaseError(f"{path} is damaged or not a database ({last}); it was left untouched") from last
    raise DatabaseError(f"cannot open the database {path}: {last}") from last


def _use_rollback_journal(conn: sqlite3.Connection) -> None:
    """A rollback journal rather than WAL, for a desktop app's safety.

    POSIX locks belong to the process, and closing any descriptor of a file
    drops them all. A WAL connection holds its locks for as long as it is open,
    so when anything else in the process reads the file (Qt's file dialog
    sniffs every file it lists), another process may checkpoint and delete the
    WAL under us and later commits are lost (tests/core/test_locks.py). A
    rollback journal holds locks only inside a transaction, a few
    milliseconds. Commits cost ~0.7 ms instead of ~0.2 ms (docs/benchmarks.md).
    A database left in WAL mode by an earlier version is switched back when no
    one else has it open.
    """
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError:
        pass  # another program has it open in WAL mode: keep it until next time


def _connect_read_only(path: Path) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    for extra in ("", "&immutable=1"):
        try:
            conn = sqlite3.connect(uri + extra, uri=True, isolation_level=None, check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as exc:
            last = exc
    raise DatabaseError(f"cannot open the read-only database {path}: {last}") from last
