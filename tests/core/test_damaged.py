"""A database file damaged on disk or under an open store: noticed, said, and never written to again."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import audit
from annotator.core.errors import DamagedError
from annotator.core.importer import Importer
from annotator.core.paths import seeds_dir
from annotator.core.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    with Store.open(path) as store:
        Importer(store, actor="ana").run([seeds_dir()])
        store.add_annotations([store.build_annotation(article.id, start, start + 2, "claim", annotator="ana")
                               for article in store.articles() for start in range(0, 300, 3)], actor="ana")
    return path


def _quick_check(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("PRAGMA quick_check")]
    finally:
        conn.close()


def _corrupt_a_page(path: Path) -> None:
    """Scribble over the cells of a b-tree page in the middle of the file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    for page in range(pages // 2, pages):
        broken = bytearray(data)
        at = (page - 1) * 4096
        broken[at + 8:at + 200] = bytes((i * 37 + 11) % 256 for i in range(192))
        path.write_bytes(bytes(broken))
        if _quick_check(path) != ["ok"]:
            return
    raise AssertionError("no page of the file could be damaged")


def test_a_file_truncated_under_an_open_store_takes_no_more_writes(path: Path) -> None:
    store = Store.open(path)
    article = store.articles()[0]
    store.article_text(article.id)  # cached, as the workspace has it
    os.truncate(path, path.stat().st_size // 2)
    size = path.stat().st_size
    errors = []
    for start in (400, 410, 420):
        with pytest.raises(DamagedError) as refused:
            store.add_annotation(article.id, start, start + 3, "claim", annotator="ana")
        errors.append(str(refused.value))
    assert errors[0].startswith(f"the database {path} is damaged; nothing more will be written: ")
    assert errors[1] == errors[2] == errors[0]
    assert store.damaged is not None
    assert path.stat().st_size == size
    store.close()


def test_a_replaced_file_takes_no_more_writes(path: Path, tmp_path: Path) -> None:
    store = Store.open(path)
    other = tmp_path / "other.db"
    shutil.copy(path, other)
    os.replace(other, path)  # a sync tool put another copy in its place
    with pytest.raises(DamagedError, match="replaced by another one since it was opened"):
        store.add_article("A new text.", title="t", actor="ana")
    with pytest.raises(DamagedError, match="replaced by another one"):
        store.add_article("Another new text.", title="t", actor="ana")
    store.close()


def test_pages_corrupted_on_disk_are_noticed_at_open_and_by_verify(capsys: pytest.CaptureFixture[str],
                                                                   path: Path, tmp_path: Path) -> None:
    _corrupt_a_page(path)
    with Store.open(path) as store:
        assert store.damaged is not None and store.damaged.startswith("PRAGMA quick_check: ")
        with pytest.raises(DamagedError, match="is damaged; nothing more will be written: PRAGMA quick_check"):
            store.add_article("A new text.", title="t", actor="ana")
    source = tmp_path / "new.txt"
    source.write_text("Ankara said the systems would stay.", encoding="utf-8")
    code, out, err = run(capsys, "--db", str(path), "import", str(source))
    assert code == 1 and out == ""
    assert err.startswith(f"annotator: error: the database {path} is damaged; nothing more will be written:")
    assert err.strip().endswith("nothing was imported")
    code, out, err = run(capsys, "--db", str(path), "verify")
    assert code == 1, err
    assert out.startswith("the file is damaged (PRAGMA integrity_check): ")
    assert "intact" not in out


def test_verify_reports_sqlites_check(path: Path) -> None:
    with Store.open(path) as store:
        report = audit.verify(store)
        assert report.ok and report.integrity == "integrity_check"
        assert "the file passes SQLite's integrity_check" in report.summary()
