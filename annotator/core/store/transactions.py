"""One atomic write per user action, and SQLite's errors said in the user's words.

Three things a write can meet that are not about the data written (each found
by a trial, docs/reliability.md):

- **The disk fills up.** SQLite may then roll the *whole* transaction back
  (SQLITE_FULL, SQLITE_IOERR: "it might roll back the entire transaction"),
  while an import goes on to its next record inside what it believes is still
  one transaction. Each later record then committed on its own, and the import
  reported "nothing was imported". A nested block that finds the transaction
  gone refuses to run, and the outermost one raises the error that ended it:
  nothing after the failure is written, let alone committed. Such errors are
  ``WriteError``: no caller takes them for a rejected record.
- **Another program writes.** Every transaction takes the write lock when it
  begins (``BEGIN IMMEDIATE``), before any work, so that waiting for it is
  safe to retry; ``wait_for_writers`` says how (the workspace waits behind a
  dialog, an import says it is waiting), and without it the busy timeout applies.
- **The file is no longer what was opened** (truncated, overwritten, replaced,
  damaged pages). A write then would land in a file that cannot hold it, and
  report success. After such an error, or when the file's header disagrees
  with its size, the store writes nothing more until it is opened again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import BusyError, DamagedError, DatabaseError, ReadOnlyError, WriteError
from .connection import BUSY_TIMEOUT_MS, SQLITE_MAGIC, Connection, is_writable

Waiting = Callable[[float], bool]
"""Called while another program holds the write lock, with the seconds waited so far: True waits on."""

# An I/O error with less than this free on the database's disk is a full disk: SQLite
# reports ENOSPC as SQLITE_FULL while writing, but as "disk I/O error" from a
# truncate or a sync (measured on a full tmpfs).
_NEARLY_FULL = 1 << 20

# SQLite's primary result codes (sqlite3.h), for errors that carry them.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _NOTADB = 5, 6, 8, 10, 11, 13, 26


class Transactions(Connection):
    _depth = 0  # how many transaction() blocks are open: 1 is the outermost, more are savepoints
    # The error that ended the outermost transaction under a nested block (SQLite rolled it all back).
    _lost: WriteError | None = None
    _on_busy: Waiting | None = None
    _poll_ms = BUSY_TIMEOUT_MS

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write. Nested calls join the outer transaction (as a savepoint of it)."""
        self._check_writable()
        outermost = self._depth == 0
        if not outermost and (self._lost is not None or not self._conn.in_transaction):
            # A caller went on after an error that ended the transaction: what it
            # writes now would be committed on its own, outside the one it belongs to.
            raise self._lost or WriteError(f"the write to {self.path} was rolled back; nothing was saved")
        self._depth += 1
        savepoint = f"annotator_{self._depth}"
        try:
            if outermost:
                self._lost = None
                self._begin()
                self._check_file()
            else:
                self._conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield
                if self._lost is not None:
                    raise self._lost
                if outermost:
                    self._before_commit()
                    self._commit()
                else:
                    self._conn.execute(f"RELEASE {savepoint}")
            except BaseException:
                if self._conn.in_transaction:
                    if outermost:
                        self._conn.execute("ROLLBACK")
                    else:
                        self._conn.execute(f"ROLLBACK TO {savepoint}")
                        self._conn.execute(f"RELEASE {savepoint}")
                raise
        except BaseException as exc:
            # Rolled back: cached rows may name rows that are gone.
            self._forget_cached()
            if outermost:
                self._forget_deferred()
            translated = self._translate(exc)
            if not outermost and isinstance(translated, WriteError):
                # Even where SQLite kept the transaction, the disk or the file failed it:
                # no part of it may be committed, whatever the caller does with this error.
                self._lost = translated
            if translated is exc:
                raise
            raise translated from exc
        finally:
            self._depth -= 1
            if outermost:
                self._lost = None
        if self._depth == 1:
            self._between_writes()

    # ------------------------------------------------------------ the lock

    def wait_for_writers(self, waiting: Waiting | None, *, poll_ms: int = BUSY_TIMEOUT_MS) -> None:
        """While another program writes, call ``waiting`` every ``poll_ms`` until it returns False.

        Without it (``None``), a write that finds the lock taken waits the busy
        timeout (5 s) and then fails with ``BusyError``.
        """
        self._on_busy = waiting
        self._poll_ms = max(1, int(poll_ms))

    def _begin(self) -> None:
        # IMMEDIATE: the write lock is taken here, before any work, so that a wait is
        # a retry of this one statement. Two writers that both read first and then
        # asked for the lock would have one of them refused without waiting.
        started = time.monotonic()
        polling = self._on_busy is not None and self._poll_ms != BUSY_TIMEOUT_MS
        if polling:
            self._conn.execute(f"PRAGMA busy_timeout = {self._poll_ms}")
        try:
            while True:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc) or not self._wait_on(started):
                        raise
        finally:
            if polling:
                self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _commit(self) -> None:
        # A commit waits for readers to finish; SQLite keeps the transaction on a busy COMMIT.
        started = time.monotonic()
        while True:
            try:
                self._conn.execute("COMMIT")
                return
            except sqlite3.OperationalError as exc:
                if not (_is_busy(exc) and self._conn.in_transaction and self._wait_on(started)):
                    raise

    def _wait_on(self, started: float) -> bool:
        return self._on_busy is not None and bool(self._on_busy(time.monotonic() - started))

    # -------------------------------------------------------- rooms' hooks

    def _forget_cached(self) -> None:
        """Drop what the rooms cache from the database (each room that caches extends this)."""

    def _before_commit(self) -> None:
        """Write what the rooms deferred to the end of the outermost transaction (rooms that defer extend this)."""

    def _between_writes(self) -> None:
        """A savepoint inside the outermost transaction was released: rooms may write out what they deferred."""

    def _forget_deferred(self) -> None:
        """The outermost transaction rolled back: drop what was deferred to its end."""

    # ------------------------------------------------------ the file itself

    def _damaged_error(self) -> DamagedError:
        reason = f"the database {self.path} is damaged; nothing more will be written: {self._damaged}"
        return DamagedError(f"{reason}. Close it and run 'annotator verify --db {self.path}'", reason)

    def _check_writable(self) -> None:
        if self._damaged is not None:
            raise self._damaged_error()
        if self.read_only:
            raise ReadOnlyError(f"the database {self.path} is read-only; nothing was saved")
        if self.path is None or self._conn.in_transaction:
            return
        try:
            st = self.path.stat()
        except OSError:
            raise WriteError(
                f"the database file {self.path} has been moved or deleted; nothing was saved") from None
        if (st.st_dev, st.st_ino) != self._identity:
            self.mark_damaged("the file was replaced by another one since it was opened")
            raise self._damaged_error()
        if not is_writable(self.path):
            raise ReadOnlyError(f"the database {self.path} has become read-only; nothing was saved")

    def _check_file(self) -> None:
        """The file still holds every page its header counts (checked under the write lock: no commit is halfway)."""
        if self.path is None:
            return
        problem = file_problem(self.path)
        if problem is not None:
            self.mark_damaged(problem)
            raise self._damaged_error()

    def _translate(self, exc: BaseException) -> BaseException:
        translated = translate(exc, self.path)
        if isinstance(exc, sqlite3.DatabaseError) and _latches(exc, self.path):
            self.mark_damaged(str(exc))
            return self._damaged_error()
        return translated


def file_problem(path: Path) -> str | None:
    """What is wrong with the database file on its face (magic, page size, pages counted), or None.

    Two reads of a few bytes: cheap enough before every write. The page count
    in the header is trusted only when SQLite marks it valid (the change
    counter equals "version-valid-for").
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if size == 0:
        return "the file is empty (it was truncated)"
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        return "the file no longer starts as an SQLite database (it was overwritten)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged (an impossible page size)"
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    if valid and pages and size < pages * page_size:
        return (f"the file is shorter than its header says ({size:,} bytes for {pages:,} pages of"
                f" {page_size:,}): it was truncated")
    return None


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_busy(exc: sqlite3.Error) -> bool:
    code = _code(exc)
    if code is not None:
        return code in (_BUSY, _LOCKED)
    text = str(exc)
    return "locked" in text or "busy" in text


def _disk_full(exc: sqlite3.Error, path: Path | None) -> bool:
    code = _code(exc)
    text = str(exc)
    if code == _FULL or (code is None and "disk" in text and "full" in text):
        return True
    if (code == _IOERR or "disk I/O error" in text) and path is not None:
        try:
            st = os.statvfs(path.parent)
        except OSError:
            return False
        return st.f_bavail * st.f_frsize < _NEARLY_FULL
    return False


def _latches(exc: sqlite3.Error, path: Path | None) -> bool:
    """Whether this error says the file is not what was opened (damaged, or unreadable where it was)."""
    if not isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) or isinstance(
            exc, sqlite3.IntegrityError | sqlite3.DataError | sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return False
    if _disk_full(exc, path):
        return False
    code = _code(exc)
    if code is not None:
        return code in (_CORRUPT, _NOTADB, _IOERR)
    text = str(exc)
    return "malformed" in text or "not a database" in text or "disk I/O error" in text


def translate(exc: BaseException, path: Path | None) -> BaseException:
    """SQLite's errors, said in the user's words; anything else unchanged."""
    if isinstance(exc, sqlite3.IntegrityError | sqlite3.DataError):
        # A rule of the schema refused this row: the data's fault, not the database's.
        return DatabaseError(f"refused by the database: {exc}")
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(
            exc, sqlite3.ProgrammingError | sqlite3.InterfaceError | sqlite3.NotSupportedError):
        return exc  # a bug, not the database: said as one (guard.py)
    if _disk_full(exc, path):
        reason = f"the disk holding {path} is full"
        return WriteError(f"{reason}; nothing was saved", reason)
    if _is_busy(exc):
        reason = (f"the database {path} is busy: another program (an import, a merge?) is writing to it;"
                  " try again when it has finished")
        return BusyError(f"{reason}. Nothing was saved", reason)
    code = _code(exc)
    if code == _READONLY or (code is None and "readonly" in str(exc)):
        return ReadOnlyError(f"the database {path} is read-only; nothing was saved",
                             f"the database {path} is read-only")
    if isinstance(exc, sqlite3.OperationalError) and code not in (_CORRUPT, _NOTADB, _IOERR):
        reason = f"could not write to {path} ({exc})"
        return WriteError(f"{reason}; nothing was saved", reason)
    reason = f"the database {path} is damaged ({exc})"
    return WriteError(f"{reason}; nothing was saved", reason)
