"""A 0-byte file is not a database: read commands refuse it, and say so when the shell's '>' emptied it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.paths import default_database
from annotator.core.store import Store

from .test_read_only_commands import READERS, run


@pytest.mark.parametrize("args", READERS.values(), ids=READERS.keys())
def test_a_read_command_refuses_an_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                              args: list[str]) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    code, out, err = run(capsys, "--db", str(empty), *args)
    assert code == 1 and out == "", err
    assert err.startswith(f"annotator: error: {empty} is empty (0 bytes): not an annotator database")
    assert err.count("\n") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["empty.db"] and empty.stat().st_size == 0


def test_a_write_command_refuses_a_named_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    (tmp_path / "a.txt").write_text("Kremlin denied the report.", encoding="utf-8")
    code, _out, err = run(capsys, "import", "--db", str(empty), str(tmp_path / "a.txt"))
    assert code == 1 and "is empty (0 bytes)" in err and "delete the empty file first" in err
    assert empty.stat().st_size == 0


def test_an_empty_default_database_is_a_first_start_cut_short(capsys: pytest.CaptureFixture[str]) -> None:
    default = default_database()
    default.parent.mkdir(parents=True)
    default.touch()  # what a first start killed before its first commit leaves
    code, out, err = run(capsys, "list")
    assert code == 0, err
    assert "S-400" in out  # made anew, with the seeds
    with Store.open_read_only(default) as store:
        assert store.article_count() == 5


def test_a_database_the_shell_emptied_is_said_as_such(tmp_path: Path) -> None:
    db = tmp_path / "work.db"
    with Store.open(db) as store:
        store.add_article("Kremlin denied the report.", title="Denial", actor="ana")
    with db.open("wb") as sink:  # 'annotator export --db work.db > work.db': the shell truncates it first
        done = subprocess.run([sys.executable, "-m", "annotator", "export", "--db", str(db), "--format", "jsonl"],
                              stdout=sink, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert "the shell emptied it before annotator started" in line and "Restore" in line and "backup" in line
    assert db.stat().st_size == 0


def test_the_default_database_the_shell_emptied_is_said_as_such_not_made_anew(tmp_path: Path) -> None:
    """'annotator export > "$(annotator where)"': an empty default database is otherwise a first start."""
    import os

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    subprocess.run([sys.executable, "-m", "annotator", "list"], env=env, capture_output=True, timeout=60, check=True)
    where = subprocess.run([sys.executable, "-m", "annotator", "where"], env=env, capture_output=True, text=True,
                           timeout=60, check=True).stdout.strip()
    db = Path(where)
    assert db.stat().st_size > 0
    with db.open("wb") as sink:
        done = subprocess.run([sys.executable, "-m", "annotator", "export", "--format", "jsonl"], env=env,
                              stdout=sink, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1 and "the shell emptied it before annotator started" in done.stderr
    assert db.stat().st_size == 0   # not made anew with the seeds behind the user's back
