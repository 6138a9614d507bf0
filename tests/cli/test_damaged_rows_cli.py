"""Damaged rows on the command line: export writes what is sound and exits 1, verify names each row, others
refuse in one line; never "unexpected TypeError"."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..core.test_damaged_rows import _damage, _database
from .test_read_only_commands import run


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, list[str]]:
    path, uids = _database(tmp_path / "damaged.db")
    _damage(path, f"UPDATE annotations SET start = 'abc' WHERE uid = '{uids[0]}'",
            f"UPDATE annotations SET label_id = 999 WHERE uid = '{uids[1]}'")
    return path, uids


def test_export_writes_the_sound_spans_names_the_others_and_exits_1(capsys: pytest.CaptureFixture[str],
                                                                     damaged: tuple[Path, list[str]]) -> None:
    path, uids = damaged
    code, out, err = run(capsys, "export", "--db", str(path), "--format", "jsonl")
    assert code == 1
    assert out.count(uids[2]) == 1 and uids[0] not in out and uids[1] not in out
    lines = err.splitlines()
    assert lines[0] == "wrote 2 articles, 1 span"
    assert f"annotator: warning: span {uids[0]} of article 1 left out: its start is 'abc', not a whole number" in lines
    assert f"annotator: warning: span {uids[1]} of article 1 left out: its label is gone (deleted outside annotator)" \
        in lines
    assert lines[-1] == (f"annotator: error: 2 spans left out: the database holds them damaged; 'annotator verify"
                         f" --db {path}' says more")


def test_verify_and_list_say_the_damage_in_words(capsys: pytest.CaptureFixture[str],
                                                 damaged: tuple[Path, list[str]]) -> None:
    path, uids = damaged
    code, out, err = run(capsys, "verify", "--db", str(path))
    assert code == 1 and "unexpected" not in out + err
    assert f"annotation {uids[0]}: its start is 'abc', not a whole number" in out
    assert f"annotation {uids[1]}: its label (label_id 999) is gone: deleted outside annotator" in out
    code, out, err = run(capsys, "list", "--db", str(path))
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"annotator: error: the database {path} is damaged: annotation {uids[1]} has a label"
                           " that is gone (label id 999")
