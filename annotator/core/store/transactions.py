"""One atomic write per user action, and SQLite's errors said in the user's words."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import DatabaseError, ReadOnlyError
from .connection import Connection, is_writable


class Transactions(Connection):
    _depth = 0  # how many transaction() blocks are open: 1 is the outermost, more are savepoints

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write. Nested calls join the outer transaction (as a savepoint of it)."""
        self._check_writable()
        self._depth += 1
        try:
            with self.db.atomic():
                yield
                if self._depth == 1:
                    self._before_commit()
        except BaseException as exc:
            # Rolled back: cached rows may name rows that are gone.
            self._forget_cached()
            if self._depth == 1:
                self._forget_deferred()
            translated = translate(exc, self.path)
            if translated is exc:
                raise
            raise translated from exc
        finally:
            self._depth -= 1
        if self._depth == 1:
            self._between_writes()

    def _forget_cached(self) -> None:
        """Drop what the rooms cache from the database (each room that caches extends this)."""

    def _before_commit(self) -> None:
        """Write what the rooms deferred to the end of the outermost transaction (rooms that defer extend this)."""

    def _between_writes(self) -> None:
        """A savepoint inside the outermost transaction was released: rooms may write out what they deferred."""

    def _forget_deferred(self) -> None:
        """The outermost transaction rolled back: drop what was deferred to its end."""

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"the database {self.path} is read-only; nothing was saved")
        if self.path is None or self._conn.in_transaction:
            return
        try:
            st = self.path.stat()
        except OSError:
            raise DatabaseError(
                f"the database file {self.path} has been moved or deleted; nothing was saved"
            ) from None
        if (st.st_dev, st.st_ino) != self._identity:
            raise DatabaseError(f"the database file {self.path} has been replaced; nothing was saved")
        if not is_writable(self.path):
            raise ReadOnlyError(f"the database {self.path} has become read-only; nothing was saved")


def translate(exc: BaseException, path: Path | None) -> BaseException:
    """SQLite's errors, said in the user's words; anything else unchanged."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "readonly" in text:
            return ReadOnlyError(f"the database {path} is read-only; nothing was saved")
        if "locked" in text or "busy" in text:
            return DatabaseError(f"the database {path} is busy (another program is writing); nothing was saved")
        if "disk" in text and "full" in text:
            return DatabaseError(f"the disk holding {path} is full; nothing was saved")
        return DatabaseError(f"could not save to {path}: {exc}")
    if isinstance(exc, sqlite3.IntegrityError):
        return DatabaseError(f"refused by the database: {exc}")
    if isinstance(exc, sqlite3.DatabaseError):
        return DatabaseError(f"the database {path} is damaged: {exc}")
    return exc
