"""Hostile conditions for the database, built by the tests themselves: a disk that fills, a small real disk.

``FullDisk`` wraps the store's connection and fails one write the way SQLite
does when the disk fills: ``OperationalError('database or disk is full')``,
after rolling the whole transaction back (SQLite may: "it might roll back the
entire transaction") or not. ``small_disk`` runs a shell script in a private
mount namespace with a tmpfs of a given size mounted, so that nothing is left
mounted when it ends, whatever happens.
"""

from __future__ import annotations

import functools
import shutil
import sqlite3
import subprocess
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


def small_disk(mount_point: Path, size_kb: int, script: str, *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
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
