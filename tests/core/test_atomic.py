from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from annotator.core import exporter
from annotator.core.atomic import MANIFEST, atomic_folder, atomic_outputs
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
    with atomic_folder(target) as folder:
        (folder / "x.ann").write_text("1")
    with atomic_folder(target) as folder:
        (folder / "y.ann").write_text("2")
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "y.ann"]
    (target / "keep.me").write_text("mine")
    with pytest.raises(AnnotatorError) as foreign:
        with atomic_folder(target):
            pass
    assert str(foreign.value) == (f"{target} holds files annotator did not write (keep.me); nothing was written:"
                                  " name a new or empty folder")
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "keep.me", "y.ann"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(AnnotatorError, match="is a file"):
        with atomic_folder(tmp_path / "file"):
            pass


def test_a_folder_of_the_users_own_files_is_never_replaced(tmp_path: Path) -> None:
    """A folder of .txt articles looks like a brat collection; without the manifest it is not ours."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(5):
        (articles / f"{n:03}.txt").write_text(f"article {n}")
    with pytest.raises(AnnotatorError) as refused:
        with atomic_folder(articles):
            pass
    assert "holds files annotator did not write here (000.txt, 001.txt, 002.txt and 2 more;" in str(refused.value)
    assert len(list(articles.iterdir())) == 5
    # A manifest that does not list them (or is not ours) changes nothing.
    (articles / MANIFEST).write_text('{"files": {"000.txt": "x"}}')
    with pytest.raises(AnnotatorError, match="did not write"):
        with atomic_folder(articles):
            pass
    (articles / MANIFEST).write_text("not json")
    with pytest.raises(AnnotatorError, match="did not write"):
        with atomic_folder(articles):
            pass
    assert len(list(articles.iterdir())) == 6


def test_an_export_edited_since_in_another_tool_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "brat"
    with atomic_folder(target) as folder:
        (folder / "a.ann").write_text("T1\tclaim 0 4\tThis\n")
        (folder / "a.txt").write_text("This is it.")
    (target / "a.ann").write_text("T1\tclaim 0 4\tThis\nT2\tdenial 5 7\tis\n")   # tagged in brat
    with pytest.raises(AnnotatorError) as edited:
        with atomic_folder(target):
            pass
    assert "holds files changed since annotator wrote them (a.ann): edited in another tool?" in str(edited.value)
    assert "T2" in (target / "a.ann").read_text()
    (target / "a.ann").unlink()   # files removed since: nothing of anyone's is lost by replacing the rest
    with atomic_folder(target) as folder:
        (folder / "b.ann").write_text("")
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "b.ann"]


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


def test_a_planted_manifest_with_the_right_digests_deletes_nothing(tmp_path: Path) -> None:
    """QA-5: a hidden manifest listing a folder of articles with their sha256s, planted by someone else
    (or a colleague's own export handed over): without this user's signature it is not ours."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(3):
        (articles / f"{n:03}.txt").write_text(f"article {n}")
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in articles.iterdir()}
    for signature in (None, "0" * 64):
        (articles / MANIFEST).write_text(json.dumps({"written_by": "annotator", "files": files,
                                                     "signature": signature}))
        with pytest.raises(AnnotatorError, match="did not write here"):
            with atomic_folder(articles):
                pass
        assert len(list(articles.glob("*.txt"))) == 3


def test_a_link_to_an_earlier_export_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with atomic_folder(target) as folder:
        (folder / "x.ann").write_text("1")
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(AnnotatorError, match="is a link"):
        with atomic_folder(link):
            pass
    assert link.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == ["link", "out"]
