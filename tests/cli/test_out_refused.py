"""``export --out`` never writes over the database in use, whatever path leads to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.store import Store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    store = Store.open(path)
    a, _ = store.add_article("Kremlin denied the report.", title="Denial", actor="ana")
    store.add_annotation(a.id, 0, 7, "claim", annotator="ana")
    store.close()
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def _refused(capsys: pytest.CaptureFixture[str], db: Path, fmt: str, out: str) -> str:
    before = _snapshot(db.parent)
    code = main(["export", "--db", str(db), "--format", fmt, "--out", out])
    _, err = capsys.readouterr()
    assert code == 1, err
    assert _snapshot(db.parent) == before  # nothing written, nothing replaced, no temporary file left
    [line] = err.splitlines()
    assert line.startswith("annotator: error: refusing to write") and "nothing was written" in line
    return line


def test_out_naming_the_database_is_refused(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert "the database in use" in _refused(capsys, db, "csv", str(db))


def test_out_naming_the_journal_or_wal_is_refused(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    for side in ("journal", "wal", "shm"):
        assert f"the database's {side} file" in _refused(capsys, db, "jsonl", f"{db}-{side}")
        assert not Path(f"{db}-{side}").exists()


def test_out_reaching_the_database_through_dots_or_links_is_refused(capsys: pytest.CaptureFixture[str],
                                                                    db: Path) -> None:
    (db.parent / "sub").mkdir()
    _refused(capsys, db, "csv", str(db.parent / "sub" / ".." / db.name))
    link = db.parent / "link.csv"
    link.symlink_to(db)
    _refused(capsys, db, "csv", str(link))
    assert link.is_symlink()
    hard = db.parent / "hard.csv"
    os.link(db, hard)
    _refused(capsys, db, "conll", str(hard))


def test_a_companion_file_naming_the_database_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    db = tmp_path / "data.articles.parquet"  # an odd name for a database, but a file the export would replace
    Store.open(db).close()
    assert "the database in use" in _refused(capsys, db, "parquet", str(tmp_path / "data.parquet"))


def test_a_folder_holding_the_database_is_refused(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert "is inside it" in _refused(capsys, db, "brat", str(db.parent))


def test_stdout_redirected_into_the_database_is_refused(db: Path) -> None:
    before = db.read_bytes()
    with db.open("ab") as sink:  # '>>' in a shell: the database is not truncated, only appended to
        done = subprocess.run([sys.executable, "-m", "annotator", "export", "--db", str(db), "--format", "csv"],
                              stdout=sink, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1 and "refusing to write the export into the database in use" in done.stderr
    assert db.read_bytes() == before


def test_other_paths_still_export(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(db.parent / "work.db.csv")]) == 0
    assert (db.parent / "work.db.csv").read_text(encoding="utf-8").startswith("article_id,")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_another_database_is_not_written_over(capsys: pytest.CaptureFixture[str], db: Path, fmt: str) -> None:
    """--out colleague.db for colleague.jsonl: a slip of the tab key must not cost a colleague's database."""
    colleague = db.parent / "colleague.db"
    with Store.open(colleague):
        pass
    line = _refused(capsys, db, fmt, str(colleague))
    assert line == (f"annotator: error: refusing to write {colleague}: it is an SQLite database (a colleague's"
                    " annotator database?); nothing was written. Name another file, or move it away first")
