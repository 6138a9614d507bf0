"""The import command's options: --encoding and --max-size are checked before anything is read."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import main
from annotator.core.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_encoding_reads_a_file_the_guess_gets_wrong(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "Vyriausybė paneigė"  # 20 bytes of cp1257 read as cp1252 when guessed
    (tmp_path / "lt.txt").write_bytes(text.encode("cp1257"))
    db = str(tmp_path / "a.db")
    code, out, err = run(capsys, "import", "--db", db, "--encoding", "cp1257", str(tmp_path / "lt.txt"))
    assert (code, err) == (0, "")
    store = Store.open(tmp_path / "a.db")
    assert [store.article_text(a.id) for a in store.articles()] == [text]


@pytest.mark.parametrize(("value", "said"), [
    ("klingon", "unknown encoding 'klingon'"),
    ("base64", "'base64' is not a text encoding"),
])
def test_an_encoding_that_is_none_is_refused_before_the_database_is_made(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str, said: str) -> None:
    (tmp_path / "a.txt").write_text("abc", encoding="utf-8")
    code, _out, err = run(capsys, "import", "--db", str(tmp_path / "a.db"), "--encoding", value,
                          str(tmp_path / "a.txt"))
    assert code == 2
    assert err.startswith(f"annotator: error: Invalid value for '--encoding': {said}")
    assert err.count("\n") == 1
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e30", "0.00001", "0", "-1", "4097"])
def test_max_size_outside_its_range_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                               value: str) -> None:
    (tmp_path / "a.jsonl").write_bytes(orjson.dumps({"text": "hello"}) + b"\n")
    code, _out, err = run(capsys, "import", "--db", str(tmp_path / "a.db"), f"--max-size={value}",
                          str(tmp_path / "a.jsonl"))
    assert code == 2, err
    assert err.startswith("annotator: error: Invalid value for '--max-size'")
    assert "unexpected" not in err and err.count("\n") == 1


def test_a_small_max_size_is_said_in_a_unit_that_shows_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(orjson.dumps({"text": "x" * 3000}) + b"\n")
    code, _out, err = run(capsys, "import", "--db", str(tmp_path / "a.db"), "--max-size", "0.001",
                          str(tmp_path / "a.jsonl"))
    assert code == 1
    assert "line too large (2.9 KB; a line may be twice the limit of 1.0 KB, see --max-size)" in err  # was "0.0 MB"


@pytest.mark.parametrize(("n", "said"), [
    (0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1.0 KB"), (100_000, "97.7 KB"),
    (200_000, "195.3 KB"), (1 << 20, "1.0 MB"), (20 << 20, "20.0 MB"), (10 << 30, "10.0 GB"),
    (5000 << 30, "5,000.0 GB"),
])
def test_sizes_are_said_in_a_unit_that_shows_them(n: int, said: str) -> None:
    from annotator.core.words import file_size

    assert file_size(n) == said
