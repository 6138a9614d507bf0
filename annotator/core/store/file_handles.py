"""Reading a database file's bytes from Python without dropping this process's SQLite locks on it.

SQLite locks a database with POSIX advisory locks (``fcntl``), and those belong
to the process and the file, not to a descriptor: closing *any* descriptor of the
file releases every lock the process holds on it, SQLite's included. A header
check that opened and closed the file after ``BEGIN IMMEDIATE`` silently gave up
the write lock it had just taken: another program then wrote at the same time
(an import reported as done was lost under a merge's commit; two imports at once
failed with a false "disk I/O error"). SQLite itself never closes a descriptor
of a file while the process holds locks on it; this module does the same for
ours.

While a store has a file open, every read of its bytes here (its header before a
write, a digest, a copy) goes through one descriptor opened with the first
store and closed only when the last one has closed its connection. A file no
store holds is opened and closed as usual: nothing of ours is locked on it.
On Windows a lock belongs to the handle that took it, so closing another handle
releases nothing there, and files are opened as usual.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

# POSIX only: Windows has no pread, and its locks are not lost when another handle closes.
_SHARED = os.name != "nt"
_CHUNK = 1 << 20

_lock = threading.RLock()
# (device, inode) -> [descriptors, stores holding the file]; the first descriptor is read through.
_held: dict[tuple[int, int], list] = {}


def hold(path: Path) -> tuple[int, int] | None:
    """Keep a descriptor of the file at ``path`` open until ``release``: a store holds its file while open."""
    if not _SHARED:
        return None
    with _lock:
        try:
            st = os.stat(path)
        except OSError:
            return None
        key = (st.st_dev, st.st_ino)
        entry = _held.get(key)
        if entry is not None:
            entry[1] += 1
            return key
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        st = os.fstat(fd)
        opened = (st.st_dev, st.st_ino)
        if opened in _held:
            # The path now names a file already held (it was replaced between the two looks):
            # this descriptor stays open with that file's, since closing it would drop the locks.
            _held[opened][0].append(fd)
            _held[opened][1] += 1
            return opened
        _held[opened] = [[fd], 1]
        return opened


def release(key: tuple[int, int] | None) -> None:
    """One holder fewer; the last one's release closes the descriptors (after its connection has closed)."""
    if key is None:
        return
    with _lock:
        entry = _held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] <= 0:
            del _held[key]
            for fd in entry[0]:
                os.close(fd)


def held(path: Path) -> bool:
    """Whether a store of this process holds the file at ``path`` open (tests, and the reasons above)."""
    with _lock:
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) in _held


@contextlib.contextmanager
def _descriptor(path: Path) -> Iterator[int]:
    """A descriptor to read the file at ``path`` through: the held one, or one of its own closed afterwards.

    Inside the module's lock, so that no store of another thread starts holding (and
    locking) the file between a look and a close.
    """
    with _lock:
        entry = None
        if _SHARED:
            st = os.stat(path)
            entry = _held.get((st.st_dev, st.st_ino))
        if entry is not None:
            yield entry[0][0]
            return
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
        try:
            yield fd
        finally:
            os.close(fd)


def _read_at(fd: int, size: int, offset: int) -> bytes:
    if _SHARED:
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def read_head(path: Path, size: int) -> tuple[bytes, int]:
    """The first ``size`` bytes of the file at ``path`` and its length in bytes (OSError if it cannot be read)."""
    with _descriptor(path) as fd:
        head = b""
        while len(head) < size:
            more = _read_at(fd, size - len(head), len(head))
            if not more:
                break
            head += more
        return head, os.fstat(fd).st_size


def chunks(path: Path) -> Iterator[bytes]:
    """The bytes of the file at ``path``, a megabyte at a time (a digest, a copy)."""
    with _descriptor(path) as fd:
        offset = 0
        while True:
            block = _read_at(fd, _CHUNK, offset)
            if not block:
                return
            offset += len(block)
            yield block


def copy(path: Path, target: Path) -> None:
    """Copy the file at ``path`` to ``target`` (a new file) without closing a descriptor a store relies on."""
    with open(target, "wb") as out:
        for block in chunks(path):
            out.write(block)
