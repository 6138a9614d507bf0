"""Two writers: the second waits its turn and says so, instead of failing with "database is locked"."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.core.errors import BusyError
from annotator.core.store import Store


class Holder:
    """Another program in the middle of a long write: it holds the write lock until released."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO settings (key, value) VALUES ('held', 'yes')")
        self.lock = threading.Lock()
        self.open = True

    def release(self) -> None:
        with self.lock:
            if self.open:
                self.conn.execute("COMMIT")
                self.conn.close()
                self.open = False


class Patient:
    """What the workspace does while it waits: here, the other writer finishes during the first wait."""

    def __init__(self, on_first_wait: object = None) -> None:
        self.waits: list[float] = []
        self.done_calls = 0
        self.on_first_wait = on_first_wait

    def wait(self, waited: float) -> bool:
        self.waits.append(waited)
        if len(self.waits) == 1 and callable(self.on_first_wait):
            self.on_first_wait()
        return True

    def done(self) -> None:
        self.done_calls += 1


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    with Store.open(path) as store:
        store.add_article("The Kremlin denied the report on Friday.", title="denial", actor="ana")
    return path


def test_a_write_waits_for_the_other_writer_and_is_saved(path: Path) -> None:
    holder = Holder(path)
    store = Store.open(path)
    patient = Patient(on_first_wait=holder.release)
    store.wait_for_writers(patient, poll_ms=20)
    tagged = store.add_annotation(1, 4, 11, "claim", annotator="ana")
    assert patient.waits and patient.done_calls == 1
    assert store.annotation(tagged.uid).text == "Kremlin"
    assert store.settings().get("held") == "yes"  # the other writer's work, committed first
    store.close()


def test_a_write_that_stops_waiting_says_why_and_saves_nothing(path: Path) -> None:
    holder = Holder(path)
    store = Store.open(path)
    store.wait_for_writers(None, poll_ms=20)
    try:
        with pytest.raises(BusyError, match="is busy: another program .* is writing to it; try again when it has"
                                            " finished. Nothing was saved"):
            store.add_annotation(1, 4, 11, "claim", annotator="ana")
    finally:
        holder.release()
    assert store.annotation_count() == 0
    store.close()


def test_a_write_waits_for_readers_at_commit(path: Path) -> None:
    """A reader in the middle of a long statement keeps a rollback-journal commit waiting: it waits, then commits."""
    store = Store.open(path)
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchone()  # holds a shared lock until its transaction ends

    def finish() -> None:
        reader.execute("COMMIT")

    patient = Patient(on_first_wait=finish)
    store.wait_for_writers(patient, poll_ms=20)
    store.add_annotation(1, 4, 11, "claim", annotator="ana")
    assert patient.waits
    reader.close()
    store.close()
    with Store.open(path) as again:
        assert again.annotation_count() == 1


def test_a_second_import_waits_for_the_first_and_says_so(path: Path, tmp_path: Path) -> None:
    source = tmp_path / "new.txt"
    source.write_text("Ankara said the systems would stay.", encoding="utf-8")
    holder = Holder(path)  # the first import, still writing
    second = subprocess.Popen([sys.executable, "-m", "annotator", "--db", str(path), "import", str(source)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert second.stderr is not None
        said = second.stderr.readline()
        assert said.startswith(f"annotator: waiting: another program is writing to {path}"), said
        assert "'annotator import' goes on as soon as it has finished" in said
        holder.release()
        out, err = second.communicate(timeout=120)
    finally:
        second.kill()
        holder.release()
    assert second.returncode == 0, err
    assert "1 article added" in out
    with Store.open(path) as store:
        assert store.article_count() == 2


def test_a_snapshot_reads_one_moment_and_holds_commits_off_until_it_ends(path: Path) -> None:
    """Verify in the workspace reads SQLite's check, the chain and the tables as one snapshot."""
    store = Store.open(path)
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        with store.snapshot():
            assert store.article_count() == 1
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO settings (key, value) VALUES ('meanwhile', 'yes')")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("COMMIT")    # a writer cannot commit under the snapshot...
            assert "meanwhile" not in store.settings()
        other.execute("COMMIT")            # ...and can once it ends
        assert store.settings().get("meanwhile") == "yes"
    finally:
        other.close()
        store.close()


def test_a_snapshot_waits_for_a_writer_that_holds_the_file(path: Path) -> None:
    store = Store.open(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")   # a commit under way: no reader may start
    other.execute("INSERT INTO settings (key, value) VALUES ('held', 'yes')")
    patient = Patient(on_first_wait=lambda: other.execute("COMMIT"))
    store.wait_for_writers(patient, poll_ms=20)
    with store.snapshot():
        assert store.settings().get("held") == "yes"
    assert patient.waits and patient.done_calls == 1
    other.close()
    store.close()


def test_stop_when_stops_a_long_read_once_asked(path: Path) -> None:
    store = Store.open(path)
    asked = threading.Event()
    store.stop_when(asked.is_set)
    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 200000) SELECT count(*) FROM c"
    assert store.db.execute(endless).fetchone() == (200000,)
    asked.set()
    with pytest.raises(sqlite3.OperationalError, match="interrupted"), store.snapshot():
        store.db.execute(endless).fetchone()
    asked.clear()
    with store.snapshot():   # the snapshot ended with the error: another one starts afresh
        assert store.article_count() == 1
    store.close()


class Committing(Holder):
    """Another program committing: from BEGIN EXCLUSIVE no reader may even start.

    What it writes goes to a rollback journal first, from which a reader could
    read the last commit (a private copy): ``write=False`` leaves no such way.
    """

    def __init__(self, path: Path, *, write: bool = True) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN EXCLUSIVE")
        if write:
            self.conn.execute("INSERT INTO settings (key, value) VALUES ('held', 'yes')")
        self.lock = threading.Lock()
        self.open = True


@pytest.mark.parametrize("opening", ["read_only", "writable"])
def test_opening_a_file_another_program_is_writing_waits_for_it(path: Path, opening: str) -> None:
    holder = Committing(path)
    patient = Patient(on_first_wait=holder.release)
    try:
        if opening == "read_only":
            store = Store.open_read_only(path, waiting=patient, poll_ms=20)
        else:
            store = Store.open(path, waiting=patient, poll_ms=20)
    finally:
        holder.release()
    assert patient.waits and patient.done_calls == 1
    assert store.settings().get("held") == "yes"   # read once the other program had finished
    store.close()


def test_opening_a_held_file_without_waiting_says_so_in_words(path: Path) -> None:
    holder = Committing(path, write=False)
    patient = Patient()
    patient.wait = lambda waited: False   # type: ignore[method-assign]  # the user stops waiting
    try:
        with pytest.raises(BusyError) as busy:
            Store.open_read_only(path, waiting=patient, poll_ms=20)
    finally:
        holder.release()
    assert str(busy.value) == (f"cannot read {path}: another program (an import, a merge?) is writing to it;"
                               " try again when it has finished")


@pytest.mark.parametrize("command", ["merge", "list"])
def test_a_command_on_a_held_file_waits_for_it_and_says_so(path: Path, tmp_path: Path, command: str) -> None:
    """A colleague's file still being written (merge), or one's own while an import commits (list)."""
    mine = tmp_path / "mine.db"
    with Store.open(mine):
        pass
    args = ["--db", str(mine), "merge", str(path)] if command == "merge" else ["--db", str(path), "list"]
    holder = Committing(path, write=command == "list")   # a merge refuses a row the log does not explain
    run = subprocess.Popen([sys.executable, "-m", "annotator", *args],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert run.stderr is not None
        said = run.stderr.readline()
        assert said.startswith(f"annotator: waiting: another program is writing to {path}"), said
        assert f"'annotator {command}' goes on as soon as it has finished" in said
        holder.release()
        out, err = run.communicate(timeout=120)
    finally:
        run.kill()
        holder.release()
    assert run.returncode == 0, err
    assert ("1 new article" if command == "merge" else "denial") in out


def _other_program_writes(path: Path) -> subprocess.CompletedProcess[str]:
    """Another process tries to write and commit at once (no waiting): what it gets."""
    code = ("import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "c.execute(\"INSERT INTO settings (key, value) VALUES ('intruder', 'yes')\")\n"
            "c.execute('COMMIT')\n")
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)


def test_a_write_keeps_its_lock_from_begin_to_commit(path: Path) -> None:
    """POSIX locks belong to the process: a check that opened and closed the file dropped SQLite's lock."""
    with Store.open(path) as store, store.transaction():
        store.add_article("Ankara said the systems would stay.", title="mine", actor="ana")
        other = _other_program_writes(path)
        assert other.returncode != 0 and "locked" in other.stderr, other.stderr
    with Store.open(path) as store:
        assert "intruder" not in store.settings()
        assert store.article_count() == 2


def test_a_snapshot_keeps_its_read_lock_while_the_same_file_is_opened_again(path: Path) -> None:
    """Another store of this process opening (and closing) the file must not release the snapshot's lock."""
    with Store.open(path) as store, store.snapshot():
        assert store.article_count() == 1
        Store.open(path).close()
        Store.open_read_only(path).close()
        other = _other_program_writes(path)
        assert other.returncode != 0 and "locked" in other.stderr, other.stderr


def test_importing_the_database_in_use_is_refused_without_reading_it(path: Path, tmp_path: Path) -> None:
    from annotator.core.importer import Importer

    alias = tmp_path / "work.jsonl"
    alias.symlink_to(path)
    with Store.open(path) as store:
        report = Importer(store, actor="ana").run([alias])
        assert [p.reason for p in report.problems] == [f"it is the database in use ({path}): not imported"]
        assert store.article_count() == 1
