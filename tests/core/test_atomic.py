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
