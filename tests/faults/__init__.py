"""Hostile conditions for the database, built by the tests themselves: a disk that fills, a small real disk,
a writer killed in mid-transaction or in mid-commit.

``FullDisk`` wraps the store's connection and fails one write the way SQLite
does when the disk fills: ``OperationalError('database or disk is full')``,
after rolling the whole transaction back (SQLite may: "it might roll back the
entire transaction") or not. ``small_disk`` runs a shell script in a private
mount namespace with a tmpfs of a given size mounted, so that nothing is left
mounted when it ends, whatever happens.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from annotator.core.store import Store


class FullDisk:
    """A connection whose ``nth`` INSERT fails as on a full disk; the writes after it succeed (space came back)."""

    def __init__(self, conn: sqlite3.Connection, nth: int, *, roll_back: bool) -> None:
        self._conn = conn
        self.nth = nth
        self.roll_back = roll_back
        self.inserts = 0
        self.failed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def _write(self, sql: str) -> None:
        if not sql.lstrip().upper().startswith("INSERT"):
            return
        self.inserts += 1
        if self.inserts == self.nth:
            self.failed = True
            if self.roll_back and self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._write(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._write(sql)
        return self._conn.executemany(sql, *args)


def fill_disk_at(store: Store, nth: int, *, roll_back: bool) -> FullDisk:
    """Make the ``nth`` INSERT the store runs from now on fail as on a full disk."""
    faulty = FullDisk(store._conn, nth, roll_back=roll_back)
    store._conn = faulty  # type: ignore[assignment]
    store._db = None
    return faulty


@functools.cache
def can_mount() -> str:
    """'' when this process may mount a tmpfs in a mount namespace of its own, else why not."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "no unshare or mount command"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
                           capture_output=True, text=True, timeout=30)
    return "" if probe.returncode == 0 else f"cannot mount a tmpfs here: {probe.stderr.strip()}"


def small_disk(mount_point: Path, size_kb: int, script: str, *,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (bash) with a ``size_kb`` tmpfs mounted at ``mount_point``, seen by it alone.

    The script's working folder is the mount point's parent; it copies out what
    the test should look at, since the tmpfs goes when the script ends.
    """
    reason = can_mount()
    if reason:
        pytest.skip(reason)
    mount_point.mkdir(exist_ok=True)
    wrapped = f"set -u\nmount -t tmpfs -o size={size_kb}k tmpfs {mount_point}\n{script}"
    return subprocess.run(["unshare", "-m", "bash", "-c", wrapped], capture_output=True, text=True,
                          cwd=mount_point.parent, timeout=timeout)


def fill_to(folder: Path, free_kb: int) -> str:
    """Shell lines that fill ``folder``'s file system until ``free_kb`` are left."""
    return (f"avail=$(df -k --output=avail {folder} | tail -1)\n"
            f"dd if=/dev/zero of={folder}/filler bs=1k count=$((avail - {free_kb})) status=none\n")


HERE = Path(__file__).resolve().parent


@functools.cache
def journal_killer() -> Path | None:
    """The LD_PRELOAD shim that kills its process when SQLite deletes a journal (None: no C compiler here)."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    out = Path(tempfile.mkdtemp(prefix="annotator-faults-")) / "die_at_journal_unlink.so"
    built = subprocess.run([compiler, "-shared", "-fPIC", "-o", str(out), str(HERE / "die_at_journal_unlink.c"),
                            "-ldl"], capture_output=True, text=True, timeout=120)
    return out if built.returncode == 0 else None


def run_killed_at_commit(args: list[str], when: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ``python -m annotator ARGS``, killed when SQLite deletes its journal (``when``: before or after)."""
    library = journal_killer()
    if library is None:
        pytest.skip("no C compiler to build the journal-unlink shim")
    env = {**os.environ, "LD_PRELOAD": str(library), "DIE_AT_JOURNAL_UNLINK": when}
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True,
                          env=env, timeout=120, **kwargs)


_INTERRUPTED = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 8")  # a small cache spills uncommitted pages into the file itself
conn.execute("BEGIN")
conn.execute("UPDATE articles SET title = 'uncommitted ' || title")  # committed rows changed, spilled too
for i in range(int(sys.argv[2])):
    text = f"Uncommitted article {i}. " * 20
    conn.execute("INSERT INTO articles (uid, sha256, title, text, length, created_at)"
                 " VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00Z')", (f"u-{i}", f"sha-{i}", f"t{i}", text, len(text)))
os.kill(os.getpid(), signal.SIGKILL)
"""


def die_in_mid_transaction(path: Path, rows: int = 2000) -> None:
    """A writer that retitled every article of ``path``, added ``rows`` more (spilling pages into the file)
    and died before committing. What is left: the file with uncommitted pages in it, and its hot journal.
    """
    subprocess.run([sys.executable, "-c", _INTERRUPTED, str(path), str(rows)], timeout=120)
    assert Path(f"{path}-journal").stat().st_size > 0
