"""SQLite's errors sorted by what they mean for the user: a full disk, another writer, a damaged file, a refused row."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ..errors import BusyError, DatabaseError, ReadOnlyError, WriteError
from .file_handles import read_head

SQLITE_MAGIC = b"SQLite format 3\x00"

# An I/O error with less than this free on the database's disk is a full disk: SQLite
# reports ENOSPC as SQLITE_FULL while writing, but as "disk I/O error" from a
# truncate or a sync (measured on a full tmpfs).
_NEARLY_FULL = 1 << 20

# SQLite's primary result codes (sqlite3.h), for errors that carry them.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _NOTADB = 5, 6, 8, 10, 11, 13, 26


def file_problem(path: Path) -> str | None:
    """What is wrong with the database file on its face (magic, page size, pages counted), or None.

    Two reads of a few bytes: cheap enough before every write. The page count
    in the header is trusted only when SQLite marks it valid (the change
    counter equals "version-valid-for").
    """
    try:
        # Never open() and close() here: closing a descriptor drops the process's locks on the file.
        header, size = read_head(path, 100)
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


def is_busy(exc: sqlite3.Error) -> bool:
    code = _code(exc)
    if code is not None:
        return code in (_BUSY, _LOCKED)
    text = str(exc)
    return "locked" in text or "busy" in text


def disk_full(exc: sqlite3.Error, path: Path | None) -> bool:
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


def latches(exc: sqlite3.Error, path: Path | None) -> bool:
    """Whether this error says the file is not what was opened (damaged, or unreadable where it was)."""
    if not isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) or isinstance(
            exc, sqlite3.IntegrityError | sqlite3.DataError | sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return False
    if disk_full(exc, path):
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
    if disk_full(exc, path):
        reason = f"the disk holding {path} is full"
        return WriteError(f"{reason}; nothing was saved", reason)
    if is_busy(exc):
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
