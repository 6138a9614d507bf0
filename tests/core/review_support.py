"""Helpers shared by the review, audit and merge tests."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

import annotator.core.store.annotations
import annotator.core.store.articles
import annotator.core.store.claims
import annotator.core.store.events
from annotator.core.store import Store

WIRE = "Turkey asked Russia to take back its S-400 systems, Bloomberg reported."
DENIAL = "The Kremlin denied the report on Friday."


class FakeClock:
    """Every store timestamp one second after the previous: "later" in a test is what happens later.

    Inside ``frozen()`` the clock stands still, so that edits on two sides can carry the same
    stamp and the rules for ties get exercised.
    """

    def __init__(self) -> None:
        self.ticks = 0
        self.stopped = False

    def __call__(self) -> str:
        if not self.stopped:
            self.ticks += 1
        n = self.ticks
        return f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000Z"

    @contextlib.contextmanager
    def frozen(self) -> Iterator[None]:
        self.ticks += 1
        self.stopped = True
        try:
            yield
        finally:
            self.stopped = False


def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    for module in (annotator.core.store.annotations, annotator.core.store.articles, annotator.core.store.claims,
                   annotator.core.store.events):
        monkeypatch.setattr(module, "now_iso", clock)
    return clock


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file of a folder with the sha256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def tamper(path: Path, *statements: str, restore_guards: bool = True) -> None:
    """What a malicious user does with the sqlite3 shell: drop the guards, rewrite the log,
    and (a careful one) put the guards back so that nothing looks touched."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS events_no_update")
    conn.execute("DROP TRIGGER IF EXISTS events_no_delete")
    for statement in statements:
        conn.execute(statement)
    if restore_guards:
        for name, action in (("events_no_update", "UPDATE"), ("events_no_delete", "DELETE")):
            conn.execute(f"CREATE TRIGGER {name} BEFORE {action} ON events"
                         " BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END")
    conn.close()


def shared_databases(tmp_path: Path, spans: Sequence[tuple[str, int, int, str, str]],
                     links: Sequence[Sequence[str]] = (), claim_uid: str | None = None) -> tuple[Path, Path]:
    """mine.db holding the wire report and the Kremlin's denial with ``spans`` (article title, start, end,
    label, uid), each of ``links`` a set of span uids linked to one new claim; theirs.db a colleague's copy."""
    mine = tmp_path / "mine" / "annotations.db"
    theirs = tmp_path / "theirs" / "annotations.db"
    mine.parent.mkdir()
    theirs.parent.mkdir()
    with Store.open(mine) as store:
        wire, _ = store.add_article(WIRE, title="wire", actor="ana")
        denial, _ = store.add_article(DENIAL, title="denial", actor="ana")
        ids = {"wire": wire.id, "denial": denial.id}
        for title, start, end, label, uid in spans:
            store.add_annotation(ids[title], start, end, label, annotator="ana", uid=uid)
        for uids in links:
            store.link_spans(list(uids), actor="ana", new_claim_uid=claim_uid)
    shutil.copy(mine, theirs)
    return mine, theirs
