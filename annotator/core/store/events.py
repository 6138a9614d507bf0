"""The audit log: append-only events, each hash-chained to the one before it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Event, new_uid, now_iso
from . import sql
from .transactions import Transactions

GENESIS_HASH = "0" * 64
_EVENT_COLUMNS = "id, uid, at, actor, action, entity, entity_uid, before, after, prev_hash, hash"


def event_hash(prev_hash: str, fields: Sequence[str | None]) -> str:
    """The chained hash of one event: its stored columns, in order, after the previous hash.

    The sha256 of the previous hash, then each column after a unit separator
    (0x1f), None written as NUL, in UTF-8, hashed as one message.
    """
    import hashlib  # write paths load hashlib and orjson on first use; reading starts the GUI faster

    parts = [prev_hash]
    parts += ["\x00" if value is None else value for value in fields]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def dump_values(values: dict[str, Any] | None) -> str | None:
    # The stored string is what the hash covers, so any stable serialisation
    # will do; orjson is ~10x faster than json on bulk imports.
    if values is None:
        return None
    import orjson

    return orjson.dumps(values, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _event(row: Sequence[Any]) -> Event:
    return Event(
        id=row[0], uid=row[1], at=row[2], actor=row[3], action=row[4], entity=row[5], entity_uid=row[6],
        before=json.loads(row[7]) if row[7] is not None else None,
        after=json.loads(row[8]) if row[8] is not None else None,
        prev_hash=row[9], hash=row[10],
    )


@dataclass(frozen=True)
class NewEvent:
    action: str
    entity: str
    entity_uid: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    actor: str
    at: str = ""
    uid: str = ""


@dataclass(frozen=True)
class ChainReport:
    """What ``verify_events`` found: ``ok``, or the first broken event.

    ``kind`` says how the first bad event is broken: ``altered`` (its content no
    longer matches its hash), ``removed`` (it follows an event that is not in
    the log any more, or that was rewritten) or ``moved`` (it follows an event
    that sits elsewhere in the log: events reordered, or one inserted).
    ``head`` is the hash of the last event checked; noted down outside the
    database, it also catches a log cut short or rewritten from scratch.
    """

    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    kind: str = ""
    first_bad_uid: str | None = None
    first_bad_at: str | None = None
    first_bad_action: str | None = None
    head: str = GENESIS_HASH


class EventLog(Transactions):
    def _last_hash(self) -> str:
        row = self._conn.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS_HASH

    def append_events(self, events: Iterable[NewEvent]) -> int:
        """Chain ``events`` after the last one (keeping any uid and time they carry). Call inside a transaction."""
        at = now_iso()
        return self.append_event_fields(
            (e.uid, e.at or at, e.actor, e.action, e.entity, e.entity_uid, dump_values(e.before), dump_values(e.after))
            for e in events)

    def append_event_fields(self, events: Iterable[tuple[str, str, str, str, str, str, str | None, str | None]]
                            ) -> int:
        """``append_events`` for bulk writers: each event as its stored columns (uid, at, actor, action,
        entity, entity_uid, before and after as JSON), hashed in one pass and written in one executemany.

        An empty uid gets a fresh one. Call inside a transaction.
        """
        prev = self._last_hash()
        rows = []
        for fields in events:
            if not fields[0]:
                # Event uids only need to be unique (merge matches on them); time-ordered
                # ones land at the end of their index.
                fields = (new_uid().replace("-", ""), *fields[1:])
            digest = event_hash(prev, fields)
            rows.append((*fields, prev, digest))
            prev = digest
        self._conn.executemany(
            "INSERT INTO events (uid, at, actor, action, entity, entity_uid, before, after, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return len(rows)

    def events_for(self, entity_uid: str) -> list[Event]:
        rows = self._conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE entity_uid = ? ORDER BY id",
            (entity_uid,),
        ).fetchall()
        return [_event(r) for r in rows]

    def event_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM events").fetchone()[0]

    def verify_events(self) -> ChainReport:
        """Recompute the hash chain; name the first event altered, removed or moved.

        Streamed in log order, holding nothing but the previous hash: a million
        events verify in the memory of one. Only a break looks further.
        """
        prev = GENESIS_HASH
        checked = 0
        cursor = self._conn.cursor().execute(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY id")
        for row in cursor:
            if row[9] != prev or event_hash(prev, row[1:9]) != row[10]:
                return self._broken_chain(row, prev, checked)
            prev = row[10]
            checked += 1
        return ChainReport(True, checked, head=prev)

    def _broken_chain(self, row: Sequence[Any], prev: str, checked: int) -> ChainReport:
        bad = {"first_bad_id": row[0], "first_bad_uid": row[1], "first_bad_at": row[2],
               "first_bad_action": row[4], "head": prev}
        if row[9] == prev:
            return ChainReport(False, checked, reason="its content was altered", kind="altered", **bad)
        # A moved event points at a hash that is still in the log; the survivor of a
        # removal at one that is gone.
        if self.has_event_hash(row[9]):
            return ChainReport(False, checked, reason="it follows an event that sits elsewhere in the log:"
                               " events were reordered, or one was inserted before it", kind="moved", **bad)
        return ChainReport(False, checked, reason="the event before it was removed, or rewritten with a new"
                           " hash", kind="removed", **bad)

    def has_event_hash(self, digest: str) -> bool:
        return self._conn.execute("SELECT 1 FROM events WHERE hash = ? LIMIT 1", (digest,)).fetchone() is not None

    def has_event_hash_prefix(self, prefix: str) -> bool:
        """Whether some event's hash starts with ``prefix`` (a head noted down from an earlier verify)."""
        return self._conn.execute("SELECT 1 FROM events WHERE substr(hash, 1, ?) = ? LIMIT 1",
                                  (len(prefix), prefix)).fetchone() is not None

    def last_events(self, entity: str) -> Iterator[tuple[str, str, str | None, int]]:
        """For each entity of this kind, by uid: the (uid, action, after as stored, id) of its last event, streamed."""
        # SQLite takes the bare columns of an aggregate's row from the row max() chose.
        # "+entity": walk the entity_uid index in order, as GROUP BY wants, rather than
        # the (entity, id) index and a sort of a million rows in a temporary b-tree.
        yield from self._conn.cursor().execute(
            "SELECT entity_uid, action, after, max(id) FROM events WHERE +entity = ?"
            " GROUP BY entity_uid ORDER BY entity_uid", (entity,))

    def events(self, *, entity: str | None = None) -> Iterator[Event]:
        """Every event in chain order (optionally of one kind of entity), a chunk per statement (sql.CHUNK)."""
        query = (f"SELECT {_EVENT_COLUMNS} FROM events WHERE id > ?" + (" AND entity = ?" if entity else "")
                 + " ORDER BY id LIMIT ?")
        last = 0
        while True:
            rows = self._conn.execute(query, (last, entity, sql.CHUNK) if entity else (last, sql.CHUNK)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for row in rows:
                yield _event(row)

    def missing_guards(self) -> list[str]:
        """The append-only triggers of the event log that are gone (someone dropped them)."""
        present = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        return [name for name in ("events_no_update", "events_no_delete") if name not in present]

    def event_uids(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT uid FROM events")}

    def event_uids_by_entity(self, entity: str) -> dict[str, set[str]]:
        """For each entity uid of this kind, the uids of its events."""
        found: dict[str, set[str]] = {}
        for entity_uid, uid in self._conn.execute("SELECT entity_uid, uid FROM events WHERE entity = ?", (entity,)):
            found.setdefault(entity_uid, set()).add(uid)
        return found

    def find_annotation_uids(self, typed: str) -> list[str]:
        """Annotation uids (current or only in the log) that start or end with ``typed``."""
        return self.find_uids("annotations", "annotation", typed)

    def find_uids(self, table: str, entity: str, typed: str) -> list[str]:
        """Uids of ``table``'s rows, or of ``entity``'s events (deleted rows too), that start or end with ``typed``."""
        if not typed.strip():
            return []
        in_rows, params = sql.uid_like("uid", typed)
        in_log, log_params = sql.uid_like("entity_uid", typed)
        rows = self._conn.execute(
            f"SELECT uid FROM {table} WHERE {in_rows}"
            f" UNION SELECT entity_uid FROM events WHERE entity = ? AND {in_log} ORDER BY 1",
            [*params, entity, *log_params])
        return [r[0] for r in rows]
