"""Opening a database: checks before anything is written, migrations, the connection's settings.

A file that is not an SQLite database, another program's database, or one
written by a newer annotator is refused before a single byte of it changes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from ..errors import BusyError, DamagedError, DatabaseError, EmptyDatabaseError, NotADatabaseError, ReadOnlyError
from . import file_handles
from .identity import ForeignObject, check_tables, foreign_objects, foreign_words, identify
from .schema import MARKED_FROM, SCHEMA_VERSION, load_sqlite_utils
from .sqlite_errors import SQLITE_MAGIC, file_problem, is_busy, latches, translate

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .transactions import Waiting

BUSY_TIMEOUT_MS = 5000
# A database up to this size gets PRAGMA quick_check when opened: 0.8-1.5 ms a megabyte
# with the file in the page cache (0.10-0.19 s at 113 MB, 0.9-1.7 s at 1.1 GB; reading it
# from disk first costs more), so at most ~50 ms here, beside a first paint of ~230 ms.
# Larger ones are checked by 'annotator verify', and a damaged page is caught when first
# read or written (GuardedConnection).
QUICK_CHECK_AT_OPEN = 32 << 20


class GuardedConnection(sqlite3.Connection):
    """A connection whose statements' errors the store words and handles (``Connection._after_error``).

    Reads happen everywhere in the store. A page found malformed on the first
    of them is said in the user's words, and the store writes nothing more; a
    read that finds another program writing waits its turn as a write does.
    Errors met while iterating a cursor stay SQLite's (guard.py words them).
    """

    store: Any = None  # the Connection using it

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            if self.store is None:
                raise
            return self.store._after_error(exc, lambda: sqlite3.Connection.execute(self, sql, parameters))

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.DatabaseError as exc:
            if self.store is None:
                raise
            return self.store._after_error(exc, lambda: sqlite3.Connection.executemany(self, sql, parameters))


def connect(target: str, **kwargs: Any) -> sqlite3.Connection:
    return sqlite3.connect(target, factory=GuardedConnection, isolation_level=None, check_same_thread=False,
                           **kwargs)


class Connection:
    """The open connection and what every room of the store shares: path, read-only flag, identity."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False,
                 private_folder: Path | None = None) -> None:
        self._conn = conn
        self._db: Database | None = None
        self.path = path
        self.read_only = read_only
        self._identity: tuple[int, int] | None = None
        # Where a private copy of someone's file lives (read_only opens): removed on close.
        self._private_folder = private_folder
        self.over_budget = False
        self._damaged: str | None = None
        self._on_busy: Any = None  # transactions.Waiting; set by wait_for_writers
        if isinstance(conn, GuardedConnection):
            conn.store = self
        # Every read of the file's bytes goes through a descriptor kept open while this store is
        # (file_handles): closing one would release SQLite's locks on the file.
        self._held = file_handles.hold(path) if path is not None else None
        if path is not None:
            st = path.stat()
            self._identity = (st.st_dev, st.st_ino)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, waiting: Waiting | None = None,
             poll_ms: int = BUSY_TIMEOUT_MS, empty_is_new: bool = False) -> Self:
        """Open (and if needed create or migrate) the database at ``path``.

        A file that is not an annotator database, or one written by a newer
        version, is refused and never modified. So is an empty file (0 bytes),
        unless ``empty_is_new``: see ``refuse_empty``. A damaged one opens for reading
        only: ``damaged`` says why, and every write is refused. While another
        program writes to it, ``waiting`` decides whether to wait on, from the
        first read (``Transactions.wait_for_writers``).
        """
        path = Path(path).expanduser()
        # Held from the first look: another store of this process may be holding locks on the file.
        early = file_handles.hold(path) if path.is_file() else None
        try:
            return cls._open_file(path, create=create, waiting=waiting, poll_ms=poll_ms, empty_is_new=empty_is_new)
        finally:
            file_handles.release(early)

    @classmethod
    def _open_file(cls, path: Path, *, create: bool, waiting: Waiting | None, poll_ms: int,
                   empty_is_new: bool) -> Self:
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
            version, foreign = 0, []
        elif empty_is_new and _empty(path):
            version, foreign = 0, []  # made anew in it, as a missing file is
            exists = False
        else:
            refuse_empty(path)
            _check_header(path)
            version, foreign = _probe_version(path, waiting, poll_ms)

        read_only = exists and not is_writable(path)
        if exists and foreign and not read_only:
            # Refused for writing only: a trigger runs on writes, never on reads, and
            # 'annotator verify' must still be able to read the file to name them.
            named, how = foreign_words(path, foreign)
            raise NotADatabaseError(
                f"{path} holds schema objects annotator did not make: {named}. A trigger runs inside every write"
                f" and can undo the checks made before it, so annotator writes nothing to this file (it was left"
                f" untouched); {how}")
        if read_only and version < SCHEMA_VERSION:
            raise ReadOnlyError(f"{path} is read-only and needs upgrading to this version; make it writable first")
        if read_only:
            conn = _connect_read_only(path)
        else:
            try:
                conn = connect(str(path))
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
            if waiting is not None:
                store.wait_for_writers(waiting, poll_ms=poll_ms)  # type: ignore[attr-defined]
            if exists:
                problem = damage_at_open(conn, path)
                if problem is not None:
                    store.mark_damaged(problem)
                    if version < SCHEMA_VERSION:
                        raise DatabaseError(f"the database {path} is damaged ({problem}); it was not upgraded."
                                            f" Run 'annotator verify --db {path}'")
            if 0 < version < SCHEMA_VERSION:
                store._backup(version)
            if version < SCHEMA_VERSION:
                store._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "malformed" in str(exc) or "not a database" in str(exc):
                raise _unreadable(path, exc) from exc
            raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def memory(cls) -> Self:
        """A fresh in-memory database (tests and throwaway work)."""
        conn = connect(":memory:")
        conn.execute("PRAGMA foreign_keys = ON")
        store = cls(conn, None)
        store._migrate()
        return store

    @classmethod
    def open_read_only(cls, path: str | os.PathLike[str], *, waiting: Waiting | None = None,
                       poll_ms: int = BUSY_TIMEOUT_MS) -> Self:
        """Open a database to read it (a colleague's, or for a command that only reads), never writing to it.

        Nothing is created (a missing file is an error), migrated or written in
        its folder. What is read is what SQLite would read after recovery: a
        hot rollback journal beside the file (its program died in mid-commit)
        or a WAL holds what the file alone does not say, so the file is copied
        with it to a private folder and the copy opened normally (``immutable``
        would read the uncommitted pages). A database of an older schema is
        likewise copied and migrated there. Another program's file, or one
        whose tables are not tables, is refused before a query touches them.

        A file another program is writing to (a colleague's import still running)
        is waited for as a write to one's own database is: ``waiting`` is asked
        every ``poll_ms`` whether to go on (``Transactions.wait_for_writers``).
        """
        path = Path(path).expanduser()
        early = file_handles.hold(path) if path.is_file() else None
        try:
            return cls._open_file_read_only(path, waiting=waiting, poll_ms=poll_ms)
        finally:
            file_handles.release(early)

    @classmethod
    def _open_file_read_only(cls, path: Path, *, waiting: Waiting | None, poll_ms: int) -> Self:
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file")
        if not path.is_file():
            raise DatabaseError(f"no database at {path}")
        refuse_empty(path)
        _check_header(path)
        conn, folder = _read_connection(path, waiting, poll_ms)
        try:
            try:
                version = identify(conn, path, purpose="read", latest=SCHEMA_VERSION, marked_from=MARKED_FROM)
                check_tables(conn, path, version)
            except sqlite3.DatabaseError as exc:
                raise _unreadable(path, exc) from exc
            if version < SCHEMA_VERSION:
                if folder is None:
                    conn.close()
                    conn, folder = _private_copy(path)
                copy = cls(conn, path, private_folder=folder)
                copy._migrate()
                copy.read_only = True
                return copy
        except BaseException:
            conn.close()
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            raise
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        store = cls(conn, path, read_only=True, private_folder=folder)
        if waiting is not None and folder is None:
            store.wait_for_writers(waiting, poll_ms=poll_ms)  # type: ignore[attr-defined]
        return store

    def private_copy(self) -> Self:
        """A writable copy of this database in a private folder (removed when the copy closes)."""
        folder = Path(tempfile.mkdtemp(prefix="annotator-copy-"))
        target = folder / "copy.db"
        try:
            dest = connect(str(target))
            self._conn.backup(dest)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return type(self)(dest, target, private_folder=folder)

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use (without pandas: ``load_sqlite_utils``)."""
        if self._db is None:
            # No plugin hooks: they scan every installed distribution's entry points.
            self._db = load_sqlite_utils().Database(self._conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self._conn.close()
        file_handles.release(self._held)   # after the connection: it may still have held locks
        self._held = None
        if self._private_folder is not None:
            shutil.rmtree(self._private_folder, ignore_errors=True)
            self._private_folder = None

    @property
    def damaged(self) -> str | None:
        """Why nothing more is written to this file (None: as far as anyone has looked, it is sound)."""
        return self._damaged

    def mark_damaged(self, reason: str) -> None:
        """Write nothing more to this file until it is opened again (a check or a write found it damaged)."""
        if self._damaged is None:
            self._damaged = reason

    def _after_error(self, exc: sqlite3.DatabaseError, again: Any) -> sqlite3.Cursor:
        """A statement outside any write failed: wait and run it ``again`` if another program writes (and we
        wait for writers), say a damaged file as such, else let SQLite's error through."""
        if is_busy(exc) and not self._conn.in_transaction and self._on_busy is not None:
            # A read: nothing to undo, so running it again once the writer is done is safe.
            started = time.monotonic()
            try:
                while self._on_busy.wait(time.monotonic() - started):
                    try:
                        return again()
                    except sqlite3.OperationalError as later:
                        if not is_busy(later):
                            raise
                        exc = later
            finally:
                self._on_busy.done()
            raise translate(exc, self.path) from exc
        damage = self._damage_from(exc)
        if damage is None:
            raise exc
        raise damage from exc

    def _damage_from(self, exc: sqlite3.DatabaseError) -> DamagedError | None:
        """The store's word for an SQLite error that says the file is damaged (None: it says nothing of the kind)."""
        if self._conn.in_transaction or not latches(exc, self.path):
            return None  # inside a write, transaction() says it (and rolls back first)
        self.mark_damaged(str(exc))
        return self._damaged_error()

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Reads (streamed ones too) that find the file damaged raise ``DamagedError`` inside this block."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            damage = self._damage_from(exc)
            if damage is None:
                raise
            raise damage from exc

    def _damaged_error(self) -> DamagedError:
        if self.read_only:
            reason = f"the database {self.path} is damaged: {self._damaged}"
        else:
            reason = f"the database {self.path} is damaged; nothing more will be written: {self._damaged}"
        return DamagedError(f"{reason}. Run 'annotator verify --db {self.path}'", reason)

    def integrity_problems(self, *, full: bool = True) -> list[str]:
        """What SQLite's own check finds wrong in the file ([] when sound).

        ``full``: ``integrity_check`` (also matches every index to its table and
        checks constraints: ~3.5x the time of ``quick_check``, which checks the
        pages and the b-trees). A file too broken to check says so as one problem.
        """
        pragma = "integrity_check" if full else "quick_check"
        try:
            rows = [row[0] for row in self._conn.execute(f"PRAGMA {pragma}(100)")]
        except (sqlite3.DatabaseError, DamagedError) as exc:
            return [f"the check itself failed: {exc}"]
        if rows == ["ok"]:
            return []
        # SQLite may put several findings in one row, under a "*** in database main ***" heading.
        return [line for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]

    def stop_when(self, asked: Callable[[], bool]) -> None:
        """Let a long read be stopped: once ``asked()`` is true, the statement running fails ("interrupted").

        For a job in a worker whose user cancels it: a verify spends seconds
        inside single statements (SQLite's check, the chain), and holds every
        writer off meanwhile; checking between its stages would be too late.
        """
        self._conn.set_progress_handler(lambda: 1 if asked() else 0, 1000)

    def bound_work(self, steps: int) -> None:
        """Stop reading after ``steps`` thousand SQLite steps in all (a hostile file's endless or enormous query).

        SQLite counts steps within each statement: the thousands are those of
        statements that ran past a thousand, which an endless one always does.
        The query that goes over fails, and ``over_budget`` says why.
        """
        left = [steps]

        def tick() -> int:
            left[0] -= 1
            if left[0] < 0:
                self.over_budget = True
                return 1
            return 0

        self._conn.set_progress_handler(tick, 1000)

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

    def foreign_schema(self) -> list[ForeignObject]:
        """The schema objects of this file that annotator did not make (``identity.foreign_objects``)."""
        return foreign_objects(self._conn, self.schema_version)

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


def refuse_empty(path: Path) -> None:
    """Refuse a file of 0 bytes, which SQLite would take for a new, empty database.

    Nothing annotator writes is ever 0 bytes once opened (a new database is
    migrated in its first transaction), so an empty file is someone else's
    doing: a ``touch``, or a shell redirect (``annotator export > x.db``) that
    emptied a database before annotator started. Read as a database it would
    say "no articles" or "intact: 0 events" of what was the user's work, and a
    write would bury the loss under a new database. Only the default database
    is taken as new when empty (``paths.open_database``): a first start killed
    before its first commit leaves exactly that.
    """
    try:
        empty = path.stat().st_size == 0
    except OSError:
        return  # said by the open that follows
    if empty:
        raise EmptyDatabaseError(
            f"{path} is empty (0 bytes): not an annotator database. If it held your work, something emptied it"
            " (a '>' redirect onto it?): restore it from a backup; to start a new database there, delete the"
            " empty file first")


def _check_header(path: Path) -> None:
    try:
        head, _ = file_handles.read_head(path, len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise DatabaseError(f"cannot read the database {path}: permission denied") from exc
    except OSError as exc:
        raise DatabaseError(f"cannot read the database {path}: {exc.strerror or exc}") from exc
    if head and head != SQLITE_MAGIC:
        raise NotADatabaseError(f"{path} is not an annotator database (not an SQLite file); it was left untouched")


def damage_at_open(conn: sqlite3.Connection, path: Path) -> str | None:
    """What a check affordable at start-up finds wrong with the file (None: nothing)."""
    problem = file_problem(path)
    if problem is not None:
        return problem
    if path.stat().st_size > QUICK_CHECK_AT_OPEN:
        return None
    rows = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if rows == ["ok"]:
        return None
    found = [line for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]
    return "PRAGMA quick_check: " + "; ".join(found[:3])


def _unreadable(path: Path, exc: sqlite3.DatabaseError) -> DatabaseError:
    return NotADatabaseError(f"{path} is damaged or not a database ({exc}); it was left untouched")


def _probe_version(path: Path, waiting: Waiting | None, poll_ms: int) -> tuple[int, list[ForeignObject]]:
    """The schema version of the annotator database at ``path``, and the schema objects in it that are not
    annotator's, read without writing anything; other files refused."""
    conn, folder = _read_connection(path, waiting, poll_ms)
    try:
        version = identify(conn, path, purpose="open", latest=SCHEMA_VERSION, marked_from=MARKED_FROM)
        check_tables(conn, path, version)
        return version, foreign_objects(conn, version)
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise _unreadable(path, exc) from exc
        raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
    finally:
        conn.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _read_connection(path: Path, waiting: Waiting | None = None,
                     poll_ms: int = BUSY_TIMEOUT_MS) -> tuple[sqlite3.Connection, Path | None]:
    """A connection reading what ``path`` holds once recovered, and the private folder it needed (or None).

    ``mode=ro`` follows the locks, so it reads the last commit even while a
    program writes; SQLite refuses it when a hot journal needs rolling back
    (SQLITE_READONLY_ROLLBACK). Then, and whenever a WAL file is beside it, the
    file is read from a private copy. A WAL-mode file with no WAL beside it is
    opened ``immutable``: ``mode=ro`` would leave ``-wal`` and ``-shm`` files in
    the folder. While another program holds the lock, ``waiting`` decides
    whether to wait on (``Store.open_read_only``).
    """
    if _has_bytes(Path(f"{path}-wal")):
        return _private_copy(path)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if _wal_mode(path):
        uri += "&immutable=1"
    try:
        conn = connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
    try:
        _first_read(conn, waiting, poll_ms)
    except sqlite3.OperationalError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK" or _has_bytes(
                Path(f"{path}-journal")):
            return _private_copy(path)
        if is_busy(exc):
            raise BusyError(f"cannot read {path}: another program (an import, a merge?) is writing to it;"
                            " try again when it has finished") from exc
        raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _unreadable(path, exc) from exc
    return conn, None


def _first_read(conn: sqlite3.Connection, waiting: Waiting | None, poll_ms: int) -> None:
    """The read that finds whether the file can be read as it is: while a writer holds the lock, waited for."""
    conn.execute(f"PRAGMA busy_timeout = {poll_ms if waiting is not None else BUSY_TIMEOUT_MS}")
    started = None
    try:
        while True:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return
            except sqlite3.OperationalError as exc:
                if waiting is None or not is_busy(exc):
                    raise
                started = time.monotonic() if started is None else started
                if not waiting.wait(time.monotonic() - started):
                    raise
    finally:
        if started is not None:
            waiting.done()  # type: ignore[union-attr]
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _private_copy(path: Path) -> tuple[sqlite3.Connection, Path]:
    """``path`` (with its journal or WAL) copied to a private folder, and opened there: SQLite recovers the copy."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-read-"))
    try:
        copy = folder / "copy.db"
        # The journal before the file: a page a live writer overwrites while we copy had
        # its original journalled (and synced) before the write.
        for suffix in ("-journal", "-wal"):
            side = Path(f"{path}{suffix}")
            if _has_bytes(side):
                shutil.copyfile(side, f"{copy}{suffix}")
        file_handles.copy(path, copy)
        conn = connect(str(copy))
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if _wal_mode(copy):
                conn.execute("PRAGMA journal_mode = DELETE")  # the WAL's pages into the copy itself
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _unreadable(path, exc) from exc
        return conn, folder
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise DatabaseError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _has_bytes(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _wal_mode(path: Path) -> bool:
    """The file's header says WAL (read and write format versions 2)."""
    try:
        header, _ = file_handles.read_head(path, 20)
    except OSError:
        return False
    return header[18:20] == b"\x02\x02"


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
    conn, folder = _read_connection(path)
    if folder is not None:
        conn.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise ReadOnlyError(f"{path} is read-only and its last write was interrupted (a journal is beside it);"
                            " make it writable once so that it can be recovered")
    return conn
