"""Commands that only read never create, migrate or write anything: not a typo's file, not a .bak, not a journal."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.cli import main
from annotator.core.paths import seeds_dir
from annotator.core.store import Store
from annotator.core.store.schema import STEPS, migrations

from ..faults import die_in_mid_transaction

READERS = {
    "list": ["list"],
    "list --json": ["list", "--json"],
    "verify": ["verify"],
    "export": ["export", "--format", "jsonl"],
    "queue": ["queue"],
    "history": ["history", "abc"],
    "claims": ["claims"],
    "agreement": ["agreement"],
    "labels": ["labels"],
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _folder(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("args", READERS.values(), ids=READERS.keys())
def test_a_missing_database_is_an_error_naming_it(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  args: list[str]) -> None:
    typo = tmp_path / "anotations.db"
    code, out, err = run(capsys, "--db", str(typo), *args)
    assert code == 1 and out == ""
    assert err.startswith(f"annotator: error: no database at {typo}") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", READERS.values(), ids=READERS.keys())
def test_another_programs_file_is_left_as_it_was(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                 args: list[str]) -> None:
    path = tmp_path / "recipes.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    before = _folder(tmp_path)
    code, _, err = run(capsys, "--db", str(path), *args)
    assert code == 1 and "another program" in err and "newer version" not in err
    assert _folder(tmp_path) == before


def test_an_older_database_is_read_without_being_upgraded(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    with db.atomic():
        migrations().apply(db, stop_before=STEPS[2])
        conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO articles (uid, sha256, title, text, length, created_at)"
                 " VALUES ('u1', 's', 'From an older annotator', 'Old text', 8, 'now')")
    conn.close()
    before = _folder(tmp_path)
    for args in READERS.values():
        code, out, err = run(capsys, "--db", str(path), *args)
        assert "another program" not in err, args
    code, out, _ = run(capsys, "--db", str(path), "list", "--json")
    assert code == 0 and json.loads(out)["title"] == "From an older annotator"
    assert _folder(tmp_path) == before


def test_a_database_whose_writer_died_is_read_as_committed_and_left_for_its_writer(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "work.db"
    code, _, err = run(capsys, "--db", str(path), "import", str(seeds_dir()))
    assert code == 0, err
    die_in_mid_transaction(path)
    before = _folder(tmp_path)
    code, out, err = run(capsys, "--db", str(path), "list", "--json")
    assert code == 0, err
    assert len(out.splitlines()) == 5  # the seeds; none of the 2,000 uncommitted articles
    code, out, _ = run(capsys, "--db", str(path), "verify")
    assert code == 0 and "intact" in out
    assert _folder(tmp_path) == before  # the journal is still there, for the next writer to roll back
    with Store.open(path) as store:  # which it does
        assert store.article_count() == 5
    assert not Path(f"{path}-journal").exists()
