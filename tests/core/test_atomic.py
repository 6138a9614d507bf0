from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import exporter
from annotator.core.atomic import atomic_folder, atomic_outputs
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store


def _fill(store: Store, n: int = 120) -> None:
    for i in range(n):
        article, _ = store.add_article(f"Article {i} text", title=f"A{i}", actor="t")
        store.add_annotation(article.id, 0, 7, "claim", annotator="ana")


@pytest.mark.parametrize(("fmt", "name"), [("brat", "folder"), ("brat", "b.zip"), ("parquet", "p.parquet"),
                                           ("conll", "c.conll"), ("label-studio", "l.json")])
def test_a_cancelled_export_leaves_nothing(fmt: str, name: str, store: Store, tmp_path: Path) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    _fill(store)
    with pytest.raises(exporter.ExportCancelled):
        exporter.export(store, fmt, tmp_path / name, progress=lambda done: done < 100)
    assert list(tmp_path.iterdir()) == []


def test_several_files_appear_together_or_not_at_all(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    b.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_outputs([a, b]) as (fa, fb):
            fa.write(b"new a")
            fb.write(b"new b")
            raise RuntimeError
    assert not a.exists() and b.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["b"]
    with atomic_outputs([a, b]) as (fa, fb):
        fa.write(b"new a")
        fb.write(b"new b")
    assert a.read_bytes() == b"new a" and b.read_bytes() == b"new b"


def test_a_folder_is_replaced_only_if_it_holds_an_earlier_export(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with atomic_folder(target, replaceable=(".ann",)) as folder:
        (folder / "x.ann").write_text("1")
    with atomic_folder(target, replaceable=(".ann",)) as folder:
        (folder / "y.ann").write_text("2")
    assert [p.name for p in target.iterdir()] == ["y.ann"]
    (target / "keep.me").write_text("mine")
    with pytest.raises(AnnotatorError, match="holds other files"):
        with atomic_folder(target, replaceable=(".ann",)):
            pass
    assert sorted(p.name for p in target.iterdir()) == ["keep.me", "y.ann"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(AnnotatorError, match="is a file"):
        with atomic_folder(tmp_path / "file", replaceable=(".ann",)):
            pass


_KILLED_EXPORT = """
import os, sys
from pathlib import Path
from annotator.core import exporter
from annotator.core.store import Store
store = Store.open(sys.argv[1])
# Dies as kill -9 would, in the middle of writing: nothing gets to clean up.
exporter.export(store, sys.argv[2], Path(sys.argv[3]), progress=lambda done: os._exit(9))
"""


def test_a_killed_export_leaves_a_temporary_that_the_next_export_removes(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from annotator.core.atomic import STALE_AFTER

    db = tmp_path / "db" / "a.db"
    db.parent.mkdir()
    store = Store.open(db)
    _fill(store, 60)
    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in (("jsonl", "data.jsonl"), ("brat", "folder")):
        done = subprocess.run([sys.executable, "-c", _KILLED_EXPORT, str(db), fmt, str(out / name)], timeout=60)
        assert done.returncode == 9
    left = sorted(p.name for p in out.iterdir())
    # Two killed runs, two hidden leftovers (a file, a folder); no finished file.
    assert len(left) == 2 and all(name.startswith((".data.jsonl.", ".folder.")) for name in left), left
    assert all(name.endswith(".annotator-part") for name in left)
    # Someone else's files with a similar look, and an export running right now, are never touched.
    foreign = [".data.jsonl.abcdefgh.part", "data.jsonl.abcdefgh.annotator-part", ".x.abcdefgh.annotator-part.keep",
               ".x.ABCDEFGH.annotator-part"]
    for name in foreign:
        (out / name).write_text("not ours")
    long_ago = os.stat(out).st_mtime - STALE_AFTER - 60
    for name in [*left, *foreign]:
        os.utime(out / name, (long_ago, long_ago))
    running = out / ".other.csv.k3j4h5g6.annotator-part"
    running.write_text("an export in progress")
    exporter.export(store, "csv", out / "data.csv")
    assert sorted(p.name for p in out.iterdir()) == sorted([*foreign, running.name, "data.csv"])
