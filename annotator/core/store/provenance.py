"""Where merged events came from: which file (its path and sha256), when, merged by whom.

A merge re-chains a colleague's events here, and a chain recomputed
consistently elsewhere verifies as well as an honest one (docs/review.md): the
log cannot say whose word an event is. What this database can say is where it
got it. Each merge that brings events adds a row to ``merges`` and one row per
event to ``merged_events`` (both append-only, like the log), and an event of
its own to the chain, with the same source, digest and count: verify holds
table and log together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import new_uid, now_iso
from ..words import count
from .events import EventLog, NewEvent


@dataclass(frozen=True)
class MergeRecord:
    """One merge that brought events: from which file, when, by whom, and how many events."""

    uid: str
    source: str
    sha256: str
    merged_at: str
    merged_by: str
    events: int

    def describe(self) -> str:
        """"12 events came from colleague.db (sha256 3f2a…), merged 2026-12-01 by lead"."""
        noun = "event" if self.events == 1 else "events"
        return (f"{self.events} {noun} came from {self.source} (sha256 {self.sha256[:16]}…), merged"
                f" {self.merged_at[:10]} by {self.merged_by}")

    def short(self) -> str:
        """"from colleague.db, merged 2026-12-01 by lead": what a history line adds to an event."""
        return f"from {self.source}, merged {self.merged_at[:10]} by {self.merged_by}"


_MERGE_COLUMNS = "uid, source, sha256, merged_at, merged_by, events"


class Provenance(EventLog):
    def record_merge(self, source: str, sha256: str, event_uids: Iterable[str], *, actor: str) -> MergeRecord:
        """Note that the events ``event_uids`` (already appended) came from ``source``; one event of its own.

        Call inside the merge's transaction.
        """
        uids = list(dict.fromkeys(event_uids))
        record = MergeRecord(new_uid(), source, sha256, now_iso(), actor, len(uids))
        with self.transaction():
            cur = self._conn.execute(f"INSERT INTO merges ({_MERGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                                     (record.uid, record.source, record.sha256, record.merged_at, record.merged_by,
                                      record.events))
            self._conn.executemany("INSERT INTO merged_events (event_uid, merge_id) VALUES (?, ?)",
                                   ((uid, cur.lastrowid) for uid in uids))
            self.append_events([NewEvent("merge", "merge", record.uid, None, {
                "source": source, "sha256": sha256, "events": record.events}, actor, at=record.merged_at)])
        return record

    def merges(self) -> list[MergeRecord]:
        """Every merge that brought events, oldest first."""
        return [MergeRecord(*row) for row in self._conn.execute(f"SELECT {_MERGE_COLUMNS} FROM merges ORDER BY id")]

    def event_origins(self, event_uids: Iterable[str]) -> dict[str, MergeRecord]:
        """For each of these events that a merge brought, that merge (events made here are left out)."""
        wanted = list(dict.fromkeys(event_uids))
        found: dict[str, MergeRecord] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for row in self._conn.execute(
                    f"SELECT e.event_uid, {', '.join('m.' + c.strip() for c in _MERGE_COLUMNS.split(','))}"
                    " FROM merged_events e JOIN merges m ON m.id = e.merge_id"
                    f" WHERE e.event_uid IN ({', '.join('?' * len(chunk))})", chunk):
                found[row[0]] = MergeRecord(*row[1:])
        return found

    def provenance_problems(self) -> list[tuple[str, str]]:
        """Where the merge record and the log disagree (rows added or dropped outside annotator): (uid, problem)."""
        problems: list[tuple[str, str]] = []
        # The merges made here; a colleague's own merge events came in as any event does.
        brought = {row[0] for row in self._conn.execute(
            "SELECT v.uid FROM events v JOIN merged_events e ON e.event_uid = v.uid WHERE v.entity = 'merge'")}
        logged = {e.entity_uid: e for e in self.events(entity="merge") if e.uid not in brought}
        counts = dict(self._conn.execute(
            "SELECT m.uid, count(e.event_uid) FROM merges m LEFT JOIN merged_events e ON e.merge_id = m.id"
            " GROUP BY m.id").fetchall())
        for record in self.merges():
            event = logged.pop(record.uid, None)
            if event is None or event.after != {"source": record.source, "sha256": record.sha256,
                                                 "events": record.events}:
                problems.append((record.uid, f"its record ({record.describe()}) is not what the log says"
                                             " (changed outside annotator)"))
            elif counts.get(record.uid) != record.events:
                problems.append((record.uid, f"{count(counts.get(record.uid, 0), 'event')} noted as coming from"
                                             f" {record.source}, the log says {record.events}"))
        for uid in logged:
            problems.append((uid, "in the log, but its record is gone from the table (deleted outside annotator)"))
        orphans = self._conn.execute("SELECT count(*) FROM merged_events e LEFT JOIN events v"
                                     " ON v.uid = e.event_uid WHERE v.uid IS NULL").fetchone()[0]
        if orphans:
            problems.append(("", f"{count(orphans, 'event')} noted as merged but not in the log"))
        return problems
