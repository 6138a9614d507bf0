"""Our writes survive other code in this process opening the database file (a file dialog does).

POSIX locks belong to the process: closing *any* descriptor of a file drops
every lock the process holds on it. Qt's file dialog reads files to guess
their type; in WAL mode a connection holds locks the whole time it is open,
so after such a read another process could checkpoint and delete the WAL
under us, and our later commits went to a deleted file (found by a QA trial:
"pragma integrity_check: row missing from index"). The store uses a rollback
journal, whose locks are held only inside a transaction.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.core.store import Store


def _cli(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True,
                          check=True, timeout=120).stdout


def test_a_file_read_in_this_process_does_not_lose_later_commits(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = Store.open(path)
    article, _ = store.add_article("Some words for the test.", title="t", actor="ana")
    store.add_annotation(article.id, 0, 4, "claim", annotator="ana")
    # what a file dialog does while listing the folder: open, read a little, close
    for name in tmp_path.iterdir():
        with name.open("rb") as fh:
            fh.read(64)
    _cli("--db", str(path), "list")  # another process opens and closes the database
    store.add_annotation(article.id, 5, 10, "denial", annotator="ana")
    records = [json.loads(line) for line in _cli("--db", str(path), "export", "--format", "jsonl").splitlines()]
    assert [s["text"] for s in records[0]["spans"]] == ["Some", "words"]
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
