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
import sqlite3
import time
from collections.abc import Iterator
from typing import Protocol

from ..errors import ReadOnlyError, WriteError
from .connection import BUSY_TIMEOUT_MS, Connection, is_writable
from .sqlite_errors import file_problem, is_busy, latches, translate


class Waiting(Protocol):
    """What a writer does while another program holds the database's write lock."""

    def wait(self, waited: float) -> bool:
        """Called every poll while the lock is taken, with the seconds waited so far: True waits on."""

    def done(self) -> None:
        """The wait is over: the lock was taken, or the writer gave up."""


class Transactions(Connection):
    _depth = 0  # how many transaction() blocks are open: 1 is the outermost, more are savepoints
    # The error that ended the outermost transaction under a nested block (SQLite rolled it all back).
    _lost: WriteError | None = None
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
        """While another program writes, wait: ``waiting.wait`` is asked every ``poll_ms`` whether to go on.

        Without it (``None``), a write that finds the lock taken waits ``poll_ms``
        (the busy timeout, 5 s) and then fails with ``BusyError``.
        """
        self._on_busy = waiting
        self._poll_ms = max(1, int(poll_ms))
        # Every statement of this connection waits at most one poll inside SQLite; then
        # ``waiting`` decides (reads are retried too: Connection._after_error).
        self._conn.execute(f"PRAGMA busy_timeout = {self._poll_ms}")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees the database as the first one found it: one read transaction.

        With the rollback journal that read holds writers' commits off until the
        block ends (they wait as they wait for any reader: ``wait_for_writers``),
        so keep it to one job that needs a consistent whole (verify: SQLite's
        check, the chain and the tables read at one moment). Only the first read
        can find a writer in its way; it waits as any read does. Inside a
        transaction already, the block just joins it.
        """
        if self._conn.in_transaction:
            yield
            return
        self._hold_reads()
        try:
            yield
        finally:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")   # nothing was written: ending it releases the lock

    def _hold_reads(self) -> None:
        started = time.monotonic()
        waited = False
        try:
            while True:
                self._conn.execute("BEGIN")
                try:
                    self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()   # takes the lock
                    return
                except sqlite3.OperationalError as exc:
                    self._conn.execute("ROLLBACK")
                    if not is_busy(exc):
                        raise
                    waited = True
                    if not self._wait_on(started):
                        raise translate(exc, self.path) from exc
        finally:
            if waited and self._on_busy is not None:
                self._on_busy.done()

    def _begin(self) -> None:
        # IMMEDIATE: the write lock is taken here, before any work, so that a wait is
        # a retry of this one statement (outside a transaction, the connection waits
        # and retries it as it does a read: Connection._after_error). Two writers
        # that both read first and then asked for the lock would have one of them
        # refused without waiting.
        self._conn.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        # A commit waits for readers to finish; SQLite keeps the transaction on a busy COMMIT.
        started = time.monotonic()
        waited = False
        try:
            while True:
                try:
                    self._conn.execute("COMMIT")
                    return
                except sqlite3.OperationalError as exc:
                    if not (is_busy(exc) and self._conn.in_transaction):
                        raise
                    waited = True
                    if not self._wait_on(started):
                        raise
        finally:
            if waited and self._on_busy is not None:
                self._on_busy.done()

    def _wait_on(self, started: float) -> bool:
        return self._on_busy is not None and bool(self._on_busy.wait(time.monotonic() - started))

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
        if isinstance(exc, sqlite3.DatabaseError) and latches(exc, self.path):
            self.mark_damaged(str(exc))
            return self._damaged_error()
        return translated
