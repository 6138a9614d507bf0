"""Long reads (export, agreement, verify's walk of the log, indexes over every text) leave room for writes.

With a rollback journal a writer cannot commit while any statement is still
reading: a verify or an export running in a worker must not keep the window's
next tag waiting. Each long read takes a chunk per statement and lets go between.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.core.store import Store, sql

TEXT = "Kremlin denied a Bloomberg report on Thursday."


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        for i in range(7):
            a, _ = store.add_article(f"{TEXT} ({i})", title=f"t{i}", actor="t")
            store.add_annotation(a.id, 0, 7, "denial", annotator="ana")
            store.add_annotation(a.id, 17, 33, "claim", annotator="bo")
    return path


READS: dict[str, Callable[[Store], Iterator[Any]]] = {
    "export": lambda s: s.export_records(),
    "export, filtered": lambda s: s.export_records(labels=["claim"], article_ids=[2, 3, 4, 5]),
    "spans by article": lambda s: s.spans_by_article(),
    "events": lambda s: s.events(),
    "events of a kind": lambda s: s.events(entity="annotation"),
    "texts": lambda s: s.article_texts(),
}


@pytest.mark.parametrize("name", READS)
def test_a_writer_commits_between_the_chunks_of_a_long_read(name: str, filled: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql, "CHUNK", 2)
    monkeypatch.setattr(sql, "ARTICLE_CHUNK", 2)
    with Store.open(filled) as store:
        everything = list(READS[name](store))
        reading = READS[name](store)
        got = [next(reading)]
        writer = sqlite3.connect(filled, timeout=0, isolation_level=None)   # no waiting: a held lock fails at once
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE articles SET origin = origin WHERE id = 1")
            writer.execute("COMMIT")
        finally:
            writer.close()
        got += list(reading)
    assert got == everything and len(everything) > 2
