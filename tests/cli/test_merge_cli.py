"""``annotator merge A B``: every file is checked before any is merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.store import Store

from ..core.test_damaged_rows import _damage, _database
from .test_read_only_commands import run


@pytest.mark.parametrize("last", ["missing", "damaged", "not a database"])
def test_a_bad_file_named_last_stops_the_merge_before_the_first_is_merged(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, last: str) -> None:
    good, _uids = _database(tmp_path / "good.db")
    bad = tmp_path / "bad.db"
    if last == "damaged":
        _database(bad)
        _damage(bad, "UPDATE annotations SET start = 'abc' WHERE id = 1")
    elif last == "not a database":
        bad.write_bytes(b"not a database at all" * 100)
    mine = tmp_path / "mine.db"
    Store.open(mine).close()
    code, out, err = run(capsys, "merge", "--db", str(mine), str(good), str(bad))
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert str(bad) in line and line.endswith("(no file was merged: each is checked before any is)")
    with Store.open_read_only(mine) as store:
        assert store.article_count() == 0 and store.event_count() == 0
    second = tmp_path / "second.db"
    with Store.open(second) as store:
        store.add_article("A third text.", title="Third", actor="bo")
    code, out, _err = run(capsys, "merge", "--db", str(mine), str(good), str(second))
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines()] == [str(good), str(second)]
    with Store.open_read_only(mine) as store:
        assert store.article_count() == 3
