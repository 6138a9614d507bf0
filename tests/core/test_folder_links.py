"""A folder import reads the folder: links out of it, loops, dangling links and FIFOs are reported, never read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core.importer import Importer
from annotator.core.store import Store

SECRET = "root:x:0:0:the secret outside the folder\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "more").mkdir()
    (outside / "more" / "deep.txt").write_text(SECRET + "deeper", encoding="utf-8")
    root = tmp_path / "import"
    (root / "sub").mkdir(parents=True)
    (root / "good.txt").write_text("A good article.", encoding="utf-8")
    (root / "sub" / "real.txt").write_text("An article in a subfolder.", encoding="utf-8")
    links = {
        "secret.txt": outside / "secret.txt",            # a file outside
        "passwd.txt": Path("/etc/passwd"),               # an absolute link to the system
        "up.txt": Path("..") / "outside" / "secret.txt",  # a relative link climbing out
        "outdir": outside / "more",                       # a folder outside
        "dangling.txt": root / "missing.txt",
        "loop-a.txt": root / "loop-b.txt",
        "loop-b.txt": root / "loop-a.txt",
        "self.txt": root / "self.txt",
        "parent": root,                                   # a folder above itself: a cycle for a walker
        "inside.txt": root / "sub" / "real.txt",          # inside: read
    }
    for name, target in links.items():
        (root / name).symlink_to(target)
    # A brat pair whose text is a link out of the folder: the .ann must not pull it in.
    (root / "doc.ann").write_text("T1\tclaim 0 4\troot\n", encoding="utf-8")
    (root / "doc.txt").symlink_to(outside / "secret.txt")
    os.mkfifo(root / "pipe.txt")  # opening it would wait for a writer for ever
    return root


def test_links_out_of_the_folder_are_reported_and_not_read(store: Store, folder: Path) -> None:
    report = Importer(store, actor="ana").run([folder])
    texts = {store.article_text(a.id) for a in store.articles()}
    assert texts == {"A good article.", "An article in a subfolder."}
    assert not any("root:" in text for text in texts)
    reasons = {Path(p.place).name: (p.reason, p.rejected) for p in report.problems}
    for name in ("secret.txt", "passwd.txt", "up.txt", "outdir"):
        assert "outside the folder being imported; not followed" in reasons[name][0] and reasons[name][1], name
    assert reasons["dangling.txt"][0].startswith("a dangling link (to ") and reasons["dangling.txt"][1]
    for name in ("loop-a.txt", "loop-b.txt", "self.txt"):
        assert reasons[name] == ("a loop of links; not followed", True), name
    assert reasons["parent"][0].startswith("a link to the folder ") and not reasons["parent"][1]
    assert reasons["pipe.txt"] == ("not a regular file (a FIFO, socket or device); not read", True)
    # The brat .ann is reported for its text, which leads outside.
    assert "doc.txt is a link to " in reasons["doc.ann"][0] and "outside the folder" in reasons["doc.ann"][0]
    # Nothing skipped in silence: every entry of the folder was imported or named in the report.
    imported = {"good.txt", "inside.txt", "sub"}
    assert {p.name for p in folder.iterdir()} - imported == set(reasons)
    assert not report.ok


def test_a_link_named_on_the_command_line_is_followed(store: Store, folder: Path) -> None:
    # The user named it: that is a choice, not a walk wandering off.
    report = Importer(store, actor="ana").run([folder / "secret.txt"])
    assert report.ok and report.articles_added == 1
    report = Importer(store, actor="ana").run([folder / "dangling.txt"])
    assert [p.reason.split(" (")[0] for p in report.rejected] == ["a dangling link"]
