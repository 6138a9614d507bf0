"""A disk that fills during an import or a merge: all or nothing, and a message that says so.

Both with a fault injected at the write (deterministic, every case) and on a
real small disk (a tmpfs, where mounting is allowed).
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core.errors import AnnotatorError, WriteError
from annotator.core.importer import Importer
from annotator.core.merge import merge_database
from annotator.core.store import Store

from ..faults import fill_disk_at, fill_to, small_disk

WORDS = ("Ankara", "Moscow", "denied", "the", "report", "said", "S-400", "systems", "on", "Friday")


def _folder(folder: Path, files: int, per_file: int, *, seed: int = 1, words: int = 40) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        with (folder / f"part{f:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for r in range(per_file):
                text = f"Report {seed}-{f}-{r}: " + " ".join(rng.choice(WORDS) for _ in range(words))
                fh.write(json.dumps({"text": text, "spans": [{"start": 0, "end": 6, "label": "claim"}]}) + "\n")
    return folder


def _counts(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("articles", "annotations", "events"))
    finally:
        conn.close()


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    with Store.open(path) as store:
        Importer(store, actor="ana").run([_folder(tmp_path / "first", 2, 5, seed=0)])
    return path


# ------------------------------------------------------- a fault at the write


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("roll_back", [True, False], ids=["sqlite-rolled-back", "statement-only"])
@pytest.mark.parametrize("nth", [1, 3, 9])
def test_an_import_the_disk_fails_imports_nothing_and_says_why(
        tmp_path: Path, base: Path, strict: bool, roll_back: bool, nth: int) -> None:
    before = _counts(base)
    files = _folder(tmp_path / "incoming", 6, 4)
    store = Store.open(base)
    disk = fill_disk_at(store, nth, roll_back=roll_back)
    with pytest.raises(WriteError) as failed:
        Importer(store, actor="ana", strict=strict).run([files])
    assert disk.failed
    message = str(failed.value)
    assert message == f"the disk holding {base} is full; nothing was imported"
    assert "--strict" not in message and "no transaction" not in message
    store.close()
    assert _counts(base) == before
    with Store.open(base) as again:
        assert audit.verify(again).ok


def test_a_merge_the_disk_fails_merges_nothing_and_says_why(tmp_path: Path, base: Path) -> None:
    colleague = tmp_path / "colleague.db"
    with Store.open(colleague) as theirs:
        Importer(theirs, actor="bob").run([_folder(tmp_path / "theirs", 3, 4, seed=5)])
    before = _counts(base)
    store = Store.open(base)
    fill_disk_at(store, 4, roll_back=True)
    with pytest.raises(WriteError, match=r"^the disk holding .* is full; nothing was merged$"):
        merge_database(store, colleague, actor="lead")
    store.close()
    assert _counts(base) == before
    with Store.open(base) as again:
        assert audit.verify(again).ok


def test_a_caller_that_swallows_the_error_still_commits_nothing(base: Path) -> None:
    """The fix is in the store, not only in the importer: going on after the error writes nothing."""
    before = _counts(base)
    store = Store.open(base)
    fill_disk_at(store, 2, roll_back=True)
    with pytest.raises(WriteError, match="is full"), store.transaction():
        for i in range(4):
            try:
                store.add_article(f"Article number {i} of a batch.", title=f"a{i}", actor="ana")
            except AnnotatorError:
                pass  # what the importer did: note it and go on with the next record
    store.close()
    assert _counts(base) == before


# ------------------------------------------------------------ a real small disk


def _cli(*args: str) -> str:
    return " ".join([sys.executable, "-m", "annotator", *args])


@pytest.mark.parametrize("strict", [False, True])
def test_an_import_that_fills_a_real_disk_imports_nothing(tmp_path: Path, strict: bool) -> None:
    work = tmp_path / "work.db"
    with Store.open(work) as store:
        Importer(store, actor="ana").run([_folder(tmp_path / "first", 30, 40, seed=0, words=60)])
    before = _counts(work)
    files = _folder(tmp_path / "incoming", 30, 10, seed=3, words=120)
    disk = tmp_path / "disk"
    flag = " --strict" if strict else ""
    # The database fills most of the disk, with a little room left: the import runs
    # into the wall partway, after SQLite has journalled some pages.
    done = small_disk(disk, 6 * 1024, f"""
cp {work} disk/work.db
{fill_to(disk, 96)}
{_cli("--db", "disk/work.db", "import" + flag, str(files))} > out.txt 2> err.txt
echo $? > rc.txt
cp disk/work.db after.db
""")
    assert done.returncode == 0, done.stderr
    err = (tmp_path / "err.txt").read_text()
    assert (tmp_path / "rc.txt").read_text().strip() == "1"
    assert err.strip() == "annotator: error: the disk holding disk/work.db is full; nothing was imported", err
    assert (tmp_path / "out.txt").read_text() == ""
    after = tmp_path / "after.db"
    assert _counts(after) == before
    conn = sqlite3.connect(after)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store.open(after) as store:
        assert audit.verify(store).ok
