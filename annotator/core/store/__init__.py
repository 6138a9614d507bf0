"""The store: the one place that speaks SQL.

Every method that changes data is one transaction that also appends its event
to the hash-chained audit log, and is committed (``synchronous=FULL``) before
it returns. Nothing else in the project touches the connection.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import (
    DatabaseError,
    LabelError,
    NewerDatabaseError,
    NotADatabaseError,
    NotFoundError,
    ReadOnlyError,
    SpanError,
)
from ..model import (
    Annotation,
    Article,
    ArticleCounts,
    Event,
    Label,
    check_span,
    check_status,
    new_uid,
    now_iso,
)
from .schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
GENESIS_HASH = "0" * 64
BUSY_TIMEOUT_MS = 5000

_ANNOTATION_COLUMNS = (
    'n.id, n.uid, n.article_id, n.start, n."end", l.name, n.text, n.annotator, '
    "n.note, n.status, n.created_at, n.updated_at, n.reviewer, n.reviewed_at, n.review_note"
)
# Annotations (n) with their label (l): the name a user sees is l.name.
_ANNOTATION_ROWS = "annotations n JOIN labels l ON l.id = n.label_id"
_SELECT_ANNOTATIONS = f"SELECT {_ANNOTATION_COLUMNS} FROM {_ANNOTATION_ROWS}"
_SPAN_ROW_COLUMNS = 'n.uid, n.start, n."end", l.name, n.status, n.annotator, n.note'
_EVENT_COLUMNS = "id, uid, at, actor, action, entity, entity_uid, before, after, prev_hash, hash"
_ARTICLE_COLUMNS = "id, uid, title, source, url, published, sha256, origin, created_at, length"
# A merge writes the colleague's version of an annotation over this one's.
_OVERWRITE_ANNOTATION = (
    ' ON CONFLICT (uid) DO UPDATE SET article_id = excluded.article_id, start = excluded.start,'
    ' "end" = excluded."end", label_id = excluded.label_id, text = excluded.text, note = excluded.note,'
    " annotator = excluded.annotator, status = excluded.status, created_at = excluded.created_at,"
    " updated_at = excluded.updated_at, reviewer = excluded.reviewer, reviewed_at = excluded.reviewed_at,"
    " review_note = excluded.review_note"
)


def _annotation(row: Sequence[Any]) -> Annotation:
    return Annotation(
        id=row[0], uid=row[1], article_id=row[2], start=row[3], end=row[4], label=row[5],
        text=row[6], annotator=row[7], note=row[8], status=row[9],
        created_at=row[10], updated_at=row[11], reviewer=row[12], reviewed_at=row[13], review_note=row[14],
    )


def _article(row: Sequence[Any]) -> Article:
    return Article(
        id=row[0], uid=row[1], title=row[2], source=row[3], url=row[4], published=row[5],
        sha256=row[6], origin=row[7], created_at=row[8], length=row[9],
    )


def event_hash(prev_hash: str, fields: Sequence[str | None]) -> str:
    """The chained hash of one event: its stored columns, in order, after the previous hash."""
    import hashlib  # write paths load hashlib and orjson on first use; reading starts the GUI faster

    h = hashlib.sha256(prev_hash.encode("ascii"))
    for value in fields:
        h.update(b"\x1f")
        h.update(("\x00" if value is None else value).encode("utf-8"))
    return h.hexdigest()


REVIEW_FIELDS = ("status", "review_note", "reviewer", "reviewed_at")


def _clearing_review(current: Annotation, **changes: Any) -> dict[str, Any]:
    """``changes`` to what was tagged, plus sending a reviewed span back to pending if they change it."""
    if current.status != "pending" and any(getattr(current, k) != v for k, v in changes.items()):
        changes.update(status="pending", review_note="", reviewer=None, reviewed_at=None)
    return changes


def _dump(values: dict[str, Any] | None) -> str | None:
    # The stored string is what the hash covers, so any stable serialisation
    # will do; orjson is ~10x faster than json on bulk imports.
    if values is None:
        return None
    import orjson

    return orjson.dumps(values, option=orjson.OPT_SORT_KEYS).decode("utf-8")


class SpanRow(NamedTuple):
    """What drawing a span needs, without the rest of the annotation."""

    uid: str
    start: int
    end: int
    label: str
    status: str
    annotator: str
    note: str


@dataclass(frozen=True)
class TableView:
    """Which annotations the table shows, and in what order."""

    article_ids: tuple[int, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    hidden_annotators: tuple[str, ...] = ()
    sort: str | None = None   # label, text, article, annotator, status, note
    descending: bool = False


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


def _is_writable(path: Path) -> bool:
    # Mode bits as well as access(): root passes access() on any file, but a file
    # the user made read-only should still be treated as read-only.
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(path, os.W_OK)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise DatabaseError(f"cannot read the database {path}: permission denied") from exc
    except OSError as exc:
        raise DatabaseError(f"cannot read the database {path}: {exc.strerror or exc}") from exc
    if head and head != SQLITE_MAGIC:
        raise NotADatabaseError(f"{path} is not an annotator database (not an SQLite file); it was left untouched")


def _schema_of(conn: sqlite3.Connection) -> tuple[int, bool]:
    """The file's schema version, and whether it holds tables of another program."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return version, bool(tables - {"_sqlite_migrations"})


def _check_schema(path: Path, version: int, foreign: bool, *, purpose: str) -> None:
    """Refuse a database from a newer annotator, or another program's, before anything touches it."""
    if version > SCHEMA_VERSION:
        raise NewerDatabaseError(
            f"{path} was written by a newer version of annotator (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); upgrade annotator to {purpose} it. The file was left untouched"
        )
    if version == 0 and foreign:
        raise NotADatabaseError(f"{path} is an SQLite database of another program; it was left untouched")


def _probe_version(path: Path) -> tuple[int, bool]:
    """Read user_version and whether the file holds other tables, without writing anything."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    for extra in ("", "&immutable=1"):
        try:
            conn = sqlite3.connect(uri + extra, uri=True)
            try:
                return _schema_of(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            last = exc
    if "not a database" in str(last) or "malformed" in str(last):
        raise NotADatabaseError(f"{path} is damaged or not a database ({last}); it was left untouched") from last
    raise DatabaseError(f"cannot open the database {path}: {last}") from last


class Store:
    """An open annotator database."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False) -> None:
        self._conn = conn
        self._db: Database | None = None
        self.path = path
        self.read_only = read_only
        self._texts: OrderedDict[int, str] = OrderedDict()
        self._labels: dict[str, Label] | None = None
        self._identity: tuple[int, int] | None = None
        if path is not None:
            st = path.stat()
            self._identity = (st.st_dev, st.st_ino)

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> Store:
        """Open (and if needed create or migrate) the database at ``path``.

        A file that is not an SQLite database, or one written by a newer
        version, is refused and never modified.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file")
        exists = path.exists()
        if not exists:
            if not create:
                raise DatabaseError(f"no database at {path}")
            if not path.parent.is_dir():
                raise DatabaseError(f"cannot create the database {path}: the folder {path.parent} does not exist")
            if not os.access(path.parent, os.W_OK):
                raise ReadOnlyError(f"cannot create the database {path}: the folder is read-only")
            version, foreign = 0, False
        else:
            _check_header(path)
            version, foreign = _probe_version(path)
        _check_schema(path, version, foreign, purpose="open")

        read_only = exists and not _is_writable(path)
        if read_only and version < SCHEMA_VERSION:
            raise ReadOnlyError(f"{path} is read-only and needs upgrading to this version; make it writable first")
        if read_only:
            conn = _connect_read_only(path)
        else:
            try:
                conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # 64 MB of page cache: random uids make index inserts touch many pages.
            conn.execute("PRAGMA cache_size = -65536")
            if not read_only:
                _use_rollback_journal(conn)
                conn.execute("PRAGMA synchronous = FULL")
            store = cls(conn, path, read_only=read_only)
            if 0 < version < SCHEMA_VERSION:
                store._backup(version)
            if version < SCHEMA_VERSION:
                store._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
        return store

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory database (tests and throwaway work)."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        store = cls(conn, None)
        store._migrate()
        return store

    @classmethod
    def open_read_only(cls, path: str | os.PathLike[str]) -> Store:
        """Open someone else's database to read it, never writing to its file.

        Without a ``-wal`` file beside it, the file is opened ``immutable``: a
        plain ``mode=ro`` open of a WAL database leaves new ``-wal`` and ``-shm``
        files in its folder. With one (its program is open, or crashed), ``mode=ro``
        is needed to see the pages still in the WAL. A database of an older
        schema is copied into memory and migrated there; the file stays as it was.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file")
        if not path.is_file():
            raise DatabaseError(f"no database at {path}")
        _check_header(path)
        uri = f"{path.resolve().as_uri()}?mode=ro"
        if not Path(f"{path}-wal").exists():
            uri += "&immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            version, foreign = _schema_of(conn)
        except sqlite3.DatabaseError as exc:
            raise NotADatabaseError(f"{path} is damaged or not a database ({exc}); it was left untouched") from exc
        try:
            _check_schema(path, version, foreign, purpose="read")
            if version < SCHEMA_VERSION:
                memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                conn.backup(memory)
                conn.close()
                conn = memory
                copy = cls(conn, None)
                copy._migrate()
                copy.read_only = True
                return copy
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, read_only=True)

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made on first use.

        Importing sqlite-utils also imports pandas and numpy when they are
        installed (~260 ms here), which the workspace must not pay before its
        first paint; it warms this up right after (gui.app).
        """
        if self._db is None:
            from sqlite_utils import Database

            # No plugin hooks: they scan every installed distribution's entry points.
            self._db = Database(self._conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _backup(self, version: int) -> Path:
        assert self.path is not None
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{self.path.name}.v{version}.{n}.bak")
        dest = sqlite3.connect(str(target))
        try:
            self._conn.backup(dest)
        finally:
            dest.close()
        return target

    def _migrate(self) -> None:
        # All pending steps and the version bump in one transaction: a failed
        # upgrade leaves the file as it was.
        from .schema import migrations

        with self.db.atomic():
            migrations().apply(self.db)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def data_version(self) -> int:
        """Changes whenever another connection (the command line, a merge) commits to this file."""
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    # ------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write. Nested calls join the outer transaction."""
        self._check_writable()
        try:
            with self.db.atomic():
                yield
        except BaseException as exc:
            # Rolled back: cached labels and texts may name rows that are gone.
            self._labels = None
            self._texts.clear()
            translated = _translate(exc, self.path)
            if translated is exc:
                raise
            raise translated from exc

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"the database {self.path} is read-only; nothing was saved")
        if self.path is None or self._conn.in_transaction:
            return
        try:
            st = self.path.stat()
        except OSError:
            raise DatabaseError(
                f"the database file {self.path} has been moved or deleted; nothing was saved"
            ) from None
        if (st.st_dev, st.st_ino) != self._identity:
            raise DatabaseError(f"the database file {self.path} has been replaced; nothing was saved")
        if not _is_writable(self.path):
            raise ReadOnlyError(f"the database {self.path} has become read-only; nothing was saved")

    # ------------------------------------------------------------------ events

    def _last_hash(self) -> str:
        row = self._conn.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS_HASH

    def _append_events(self, events: Iterable[NewEvent]) -> int:
        prev = self._last_hash()
        at = now_iso()
        rows = []
        for e in events:
            fields = (
                # Event uids only need to be unique (merge matches on them): 128 random bits.
                e.uid or os.urandom(16).hex(), e.at or at, e.actor, e.action, e.entity, e.entity_uid,
                _dump(e.before), _dump(e.after),
            )
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
        """Recompute the hash chain; name the first event altered, removed or moved."""
        prev = GENESIS_HASH
        checked = 0
        # Telling "removed" from "moved" needs every stored hash: a moved event
        # points at a hash that is still in the log, a survivor of a removal at
        # one that is gone.
        hashes = self.event_hashes()
        cursor = self._conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY id")
        for row in cursor:
            bad = {"first_bad_id": row[0], "first_bad_uid": row[1], "first_bad_at": row[2],
                   "first_bad_action": row[4], "head": prev}
            if row[9] != prev:
                if row[9] in hashes:
                    return ChainReport(False, checked, reason="it follows an event that sits elsewhere in the log:"
                                       " events were reordered, or one was inserted before it", kind="moved", **bad)
                return ChainReport(False, checked, reason="the event before it was removed, or rewritten with a new"
                                   " hash", kind="removed", **bad)
            if event_hash(prev, row[1:9]) != row[10]:
                return ChainReport(False, checked, reason="its content was altered", kind="altered", **bad)
            prev = row[10]
            checked += 1
        return ChainReport(True, checked, head=prev)

    def events(self, *, entity: str | None = None) -> Iterator[Event]:
        """Every event in chain order (optionally of one kind of entity)."""
        sql = f"SELECT {_EVENT_COLUMNS} FROM events" + (" WHERE entity = ?" if entity else "") + " ORDER BY id"
        for row in self._conn.execute(sql, (entity,) if entity else ()):
            yield _event(row)

    def missing_guards(self) -> list[str]:
        """The append-only triggers of the event log that are gone (someone dropped them)."""
        present = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        return [name for name in ("events_no_update", "events_no_delete") if name not in present]

    def event_hashes(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT hash FROM events")}

    def event_uids(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT uid FROM events")}

    def event_uids_by_entity(self, entity: str) -> dict[str, set[str]]:
        """For each entity uid of this kind, the uids of its events."""
        found: dict[str, set[str]] = {}
        for entity_uid, uid in self._conn.execute("SELECT entity_uid, uid FROM events WHERE entity = ?", (entity,)):
            found.setdefault(entity_uid, set()).add(uid)
        return found

    def find_annotation_uids(self, prefix: str) -> list[str]:
        """Annotation uids (current or only in the log) that start with ``prefix``."""
        prefix = prefix.strip().lower()
        if not prefix:
            return []
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._conn.execute(
            "SELECT uid FROM annotations WHERE uid LIKE ? ESCAPE '\\'"
            " UNION SELECT entity_uid FROM events WHERE entity = 'annotation' AND entity_uid LIKE ? ESCAPE '\\'"
            " ORDER BY 1",
            (pattern, pattern),
        )
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ labels

    def labels(self) -> list[Label]:
        rows = self._conn.execute(
            "SELECT id, name, colour, shortcut, description, position FROM labels ORDER BY position, id"
        ).fetchall()
        return [Label(*r) for r in rows]

    def _label_map(self) -> dict[str, Label]:
        if self._labels is None:
            self._labels = {label.name.casefold(): label for label in self.labels()}
        return self._labels

    def label(self, name: str) -> Label:
        """The label called ``name``, matched case-insensitively."""
        found = self._label_map().get(name.strip().casefold())
        if found is None:
            known = ", ".join(label.name for label in self.labels())
            raise LabelError(f"unknown label {name!r} (labels: {known})")
        return found

    def has_label(self, name: str) -> bool:
        return name.strip().casefold() in self._label_map()

    def add_label(self, name: str, colour: str, shortcut: str = "", description: str = "", *, actor: str) -> Label:
        name = name.strip()
        if not name:
            raise LabelError("a label needs a name")
        if self.has_label(name):
            raise LabelError(f"a label called {name!r} exists already")
        with self.transaction():
            label = self._insert_label(name, colour, shortcut, description)
            self._append_events([NewEvent("create", "label", name, None, {
                "name": name, "colour": colour, "shortcut": shortcut, "description": description}, actor)])
        return label

    def _insert_label(self, name: str, colour: str, shortcut: str, description: str) -> Label:
        """The label's row, placed last; no event (callers record their own)."""
        position = self._conn.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
        cur = self._conn.execute(
            "INSERT INTO labels (name, colour, shortcut, description, position) VALUES (?, ?, ?, ?, ?)",
            (name, colour, shortcut, description, position),
        )
        self._labels = None
        assert cur.lastrowid is not None
        return Label(cur.lastrowid, name, colour, shortcut, description, position)

    # ---------------------------------------------------------------- articles

    def add_article(
        self,
        text: str,
        *,
        title: str,
        actor: str,
        source: str | None = None,
        url: str | None = None,
        published: str | None = None,
        origin: str | None = None,
        uid: str | None = None,
        sha256: str | None = None,
    ) -> tuple[Article, bool]:
        """Store an article; return it and whether it is new (False: same text was there)."""
        import hashlib

        digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self.transaction():
            existing = self.article_by_sha(digest)
            if existing is not None:
                return existing, False
            article = self._insert_article(
                text, uid=uid or new_uid(), sha256=digest, title=title, source=source, url=url,
                published=published, origin=origin, created_at=now_iso(),
            )
            self._append_events([NewEvent("import", "article", article.uid, None, {
                "title": title, "source": source, "url": url, "published": published,
                "origin": origin, "sha256": digest}, actor, at=article.created_at)])
        return article, True

    def _insert_article(
        self, text: str, *, uid: str, sha256: str, title: str, source: str | None, url: str | None,
        published: str | None, origin: str | None, created_at: str,
    ) -> Article:
        """The article's row under ``uid``, or a fresh uid if another text has it; no event."""
        if self._conn.execute("SELECT 1 FROM articles WHERE uid = ?", (uid,)).fetchone():
            uid = new_uid()  # a different text under a reused uid: keep both, apart
        cur = self._conn.execute(
            "INSERT INTO articles (uid, sha256, title, source, url, published, origin, text, length, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (uid, sha256, title, source, url, published, origin, text, len(text), created_at),
        )
        assert cur.lastrowid is not None
        return Article(cur.lastrowid, uid, title, source, url, published, sha256, origin, created_at, len(text))

    def article(self, article_id: int) -> Article:
        row = self._conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return _article(row)

    def article_by_sha(self, sha256: str) -> Article | None:
        row = self._conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
        return _article(row) if row else None

    def article_by_uid(self, uid: str) -> Article | None:
        row = self._conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE uid = ?", (uid,)).fetchone()
        return _article(row) if row else None

    def article_text(self, article_id: int) -> str:
        """The stored text that offsets index (articles never change, so it is cached)."""
        text = self._texts.get(article_id)
        if text is None:
            row = self._conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no article with id {article_id}")
            text = row[0]
            self._texts[article_id] = text
            if len(self._texts) > 32:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(article_id)
        return text

    def articles(self) -> list[Article]:
        rows = self._conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY id").fetchall()
        return [_article(r) for r in rows]

    def search_articles(self, needle: str) -> set[int]:
        """Ids of the articles whose text contains ``needle``, ignoring case and accents in any script.

        SQLite's LIKE and lower() fold ASCII only ("Türkiye" would miss "TÜRKIYE"),
        so the comparison is ``search.fold`` over the texts.
        """
        from ..search import contains, fold

        needle = fold(needle.strip())
        if not needle:
            return set()
        return {aid for aid, text in self._conn.execute("SELECT id, text FROM articles") if contains(text, needle)}

    def article_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def articles_with_counts(self) -> list[ArticleCounts]:
        """Every article with its annotation count per label name."""
        counts: dict[int, dict[str, int]] = {}
        for article_id, label, n in self._conn.execute(
            f"SELECT n.article_id, l.name, count(*) FROM {_ANNOTATION_ROWS}"
            " GROUP BY n.article_id, l.name"
        ):
            counts.setdefault(article_id, {})[label] = n
        return [ArticleCounts(a, counts.get(a.id, {})) for a in self.articles()]

    # ------------------------------------------------------------- annotations

    def annotation(self, uid: str) -> Annotation:
        row = self._conn.execute(
            f"{_SELECT_ANNOTATIONS} WHERE n.uid = ?",
            (uid,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no annotation with uid {uid}")
        return _annotation(row)

    def has_annotation(self, uid: str) -> bool:
        return self._conn.execute("SELECT 1 FROM annotations WHERE uid = ?", (uid,)).fetchone() is not None

    def annotations_for(self, article_id: int) -> list[Annotation]:
        """An article's annotations sorted by (start, end)."""
        rows = self._conn.execute(
            f'{_SELECT_ANNOTATIONS} WHERE n.article_id = ? ORDER BY n.start, n."end", n.uid',
            (article_id,),
        ).fetchall()
        return [_annotation(r) for r in rows]

    def annotation_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM annotations").fetchone()[0]

    # Views over one article's spans that never load them all: the workspace asks
    # for the visible stretch of text, and the table for the rows on screen.

    def spans_in_range(self, article_id: int, lo: int, hi: int, *,
                       hidden_annotators: Sequence[str] = ()) -> list[SpanRow]:
        """Spans overlapping ``[lo, hi)`` (code points), sorted by (start, end, uid)."""
        sql = (f"SELECT {_SPAN_ROW_COLUMNS} FROM {_ANNOTATION_ROWS}"
               ' WHERE n.article_id = ? AND n.start < ? AND n."end" > ?')
        params: list[Any] = [article_id, hi, lo]
        if hidden_annotators:
            sql += f" AND {_in('n.annotator', hidden_annotators, negated=True)}"
            params += list(hidden_annotators)
        return [SpanRow(*r) for r in self._conn.execute(sql + ' ORDER BY n.start, n."end", n.uid', params)]

    def span_row(self, uid: str) -> SpanRow | None:
        row = self._conn.execute(
            f"SELECT {_SPAN_ROW_COLUMNS} FROM {_ANNOTATION_ROWS} WHERE n.uid = ?",
            (uid,)).fetchone()
        return SpanRow(*row) if row else None

    def span_count(self, article_id: int, *, hidden_annotators: Sequence[str] = ()) -> int:
        sql, params = "SELECT count(*) FROM annotations WHERE article_id = ?", [article_id]
        if hidden_annotators:
            sql += f" AND {_in('annotator', hidden_annotators, negated=True)}"
            params += list(hidden_annotators)
        return self._conn.execute(sql, params).fetchone()[0]

    def _table_query(self, view: TableView) -> tuple[str, str, list[Any]]:
        order_case = " ".join(f"WHEN {int(aid)} THEN {i}" for i, aid in enumerate(view.article_ids))
        article_order = f"(CASE n.article_id {order_case} END)" if view.article_ids else "0"
        where = f"n.article_id IN ({', '.join(str(int(a)) for a in view.article_ids)})" if view.article_ids \
            else "0"
        clause, params = self._table_filter(view)
        default = f'{article_order}, n.start, n."end", n.uid'
        column = {"label": "l.name COLLATE NOCASE", "text": "n.text", "article": article_order,
                  "annotator": "n.annotator COLLATE NOCASE", "status": "n.status",
                  "note": "n.note COLLATE NOCASE"}.get(view.sort or "")
        direction = " DESC" if view.descending else ""
        order = f"{column}{direction}, {default}" if column else default
        body = f" FROM {_ANNOTATION_ROWS} WHERE {where}{clause}"
        return body, order, params

    # In the table's own order (pane order, then text order) every query walks the
    # (article_id, start) index one article at a time: ~1 ms at 10,000 spans where
    # one query sorting by a CASE over the articles took 5-11 ms. Other orders,
    # chosen by clicking a column, sort in SQL.

    def _table_filter(self, view: TableView) -> tuple[str, list[Any]]:
        where, params = _in_clauses((
            ("l.name", list(view.hidden_labels)),
            ("n.annotator", list(view.hidden_annotators)),
        ), negated=True)
        return "".join(f" AND {condition}" for condition in where), params

    def table_counts(self, view: TableView) -> list[tuple[int, int]]:
        """(article id, rows shown) for each open article, in pane order."""
        if not view.article_ids:
            return []
        clause, params = self._table_filter(view)
        ids = ", ".join(str(int(a)) for a in view.article_ids)
        join = " JOIN labels l ON l.id = n.label_id" if view.hidden_labels else ""
        counts = dict(self._conn.execute(
            f"SELECT n.article_id, count(*) FROM annotations n{join}"
            f" WHERE n.article_id IN ({ids}){clause} GROUP BY n.article_id", params).fetchall())
        return [(a, counts.get(a, 0)) for a in dict.fromkeys(view.article_ids)]

    @staticmethod
    def _in_text_order(view: TableView) -> bool:
        return view.sort in (None, "article") and not view.descending

    def table_count(self, view: TableView) -> int:
        return sum(n for _a, n in self.table_counts(view))

    def table_rows(self, view: TableView, offset: int, limit: int,
                   counts: list[tuple[int, int]] | None = None) -> list[Annotation]:
        """One page of the annotations table: the open articles' spans, filtered and sorted in SQL."""
        if not self._in_text_order(view):
            body, order, params = self._table_query(view)
            rows = self._conn.execute(f"SELECT {_ANNOTATION_COLUMNS}{body} ORDER BY {order} LIMIT ? OFFSET ?",
                                      [*params, limit, offset]).fetchall()
            return [_annotation(r) for r in rows]
        clause, params = self._table_filter(view)
        out: list[Annotation] = []
        for article_id, n in counts if counts is not None else self.table_counts(view):
            if offset >= n:
                offset -= n
                continue
            rows = self._conn.execute(
                f'{_SELECT_ANNOTATIONS} WHERE n.article_id = ?{clause} ORDER BY n.start, n."end", n.uid'
                " LIMIT ? OFFSET ?",
                [article_id, *params, limit - len(out), offset]).fetchall()
            out += [_annotation(r) for r in rows]
            offset = 0
            if len(out) >= limit:
                break
        return out

    def table_row_number(self, view: TableView, uid: str,
                         counts: list[tuple[int, int]] | None = None) -> int | None:
        """Where ``uid`` sits in the table (0-based), or None if the filter hides it."""
        if not self._in_text_order(view):
            body, order, params = self._table_query(view)
            row = self._conn.execute(
                f"SELECT rn FROM (SELECT n.uid AS uid, row_number() OVER (ORDER BY {order}) - 1 AS rn{body})"
                " WHERE uid = ?", [*params, uid]).fetchone()
            return row[0] if row else None
        target = self.span_row(uid)
        if target is None:
            return None
        clause, params = self._table_filter(view)
        shown = self._conn.execute(
            f"SELECT count(*) FROM {_ANNOTATION_ROWS} WHERE n.uid = ?{clause}",
            [uid, *params]).fetchone()[0]
        article_id = self._conn.execute("SELECT article_id FROM annotations WHERE uid = ?", (uid,)).fetchone()[0]
        if not shown or article_id not in view.article_ids:
            return None
        before = 0
        for aid, n in counts if counts is not None else self.table_counts(view):
            if aid == article_id:
                break
            before += n
        s, e = target.start, target.end
        return before + self._conn.execute(
            f"SELECT count(*) FROM {_ANNOTATION_ROWS} WHERE n.article_id = ?"
            f' AND (n.start < ? OR (n.start = ? AND (n."end" < ? OR (n."end" = ? AND n.uid < ?)))){clause}',
            [article_id, s, s, e, e, uid, *params]).fetchone()[0]

    def annotators(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT DISTINCT annotator FROM annotations ORDER BY annotator")]

    def annotations(
        self,
        *,
        article_ids: Sequence[int] = (),
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> list[Annotation]:
        """Annotations matching every given filter (an empty filter matches all).

        Sorted by article, then (start, end), then uid: the review order, stable
        across calls and across machines, since uids travel with annotations.
        """
        where, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        rows = self._conn.execute(
            f'{_SELECT_ANNOTATIONS}{_where(where)} ORDER BY n.article_id, n.start, n."end", n.uid',
            params,
        ).fetchall()
        return [_annotation(r) for r in rows]

    def neighbour_annotation(
        self,
        key: tuple[int, int, int, str] | None,
        *,
        backwards: bool = False,
        article_ids: Sequence[int] = (),
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> Annotation | None:
        """The matching annotation just after (or before) ``key`` in review order.

        ``key`` is (article_id, start, end, uid); None means from the very start
        (or end). The key need not belong to a matching, or even existing,
        annotation: a reviewer moves on from a span that their verdict has just
        taken out of a "pending" queue.
        """
        where, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        if key is not None:
            where.append(f'(n.article_id, n.start, n."end", n.uid) {"<" if backwards else ">"} (?, ?, ?, ?)')
            params += list(key)
        order = "DESC" if backwards else "ASC"
        row = self._conn.execute(
            f"{_SELECT_ANNOTATIONS}{_where(where)}"
            f' ORDER BY n.article_id {order}, n.start {order}, n."end" {order}, n.uid {order} LIMIT 1',
            params,
        ).fetchone()
        return _annotation(row) if row else None

    def _annotation_filter(
        self, article_ids: Sequence[int], labels: Sequence[str], annotators: Sequence[str], statuses: Sequence[str],
    ) -> tuple[list[str], list[Any]]:
        for status in statuses:
            check_status(status)
        return _in_clauses((
            ("n.article_id", list(article_ids)),
            ("n.label_id", [self.label(name).id for name in labels]),
            ("n.annotator", list(annotators)),
            ("n.status", list(statuses)),
        ))

    def add_annotation(
        self,
        article_id: int,
        start: int,
        end: int,
        label: str,
        *,
        annotator: str,
        actor: str | None = None,
        note: str = "",
        text: str | None = None,
        uid: str | None = None,
        status: str = "pending",
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> Annotation:
        """Tag ``[start, end)`` of an article. ``text``, when given, must match the article."""
        annotation = self.build_annotation(
            article_id, start, end, label, annotator=annotator, note=note, text=text, uid=uid,
            status=status, created_at=created_at, updated_at=updated_at,
        )
        with self.transaction():
            if self.has_annotation(annotation.uid):
                raise SpanError(f"an annotation with uid {annotation.uid} exists already")
            if self.identical_span(article_id, annotation.start, annotation.end, annotation.label,
                                   annotation.annotator):
                raise SpanError(f"{annotation.annotator} has already tagged these characters as {annotation.label}")
            self._insert_annotations([annotation])
            self._append_events([NewEvent("create", "annotation", annotation.uid, None,
                                          annotation.as_values(), actor or annotator)])
        return self.annotation(annotation.uid)

    def identical_span(self, article_id: int, start: int, end: int, label: str, annotator: str) -> str | None:
        """The uid of a span with exactly these offsets, label and annotator, if there is one."""
        row = self._conn.execute(
            'SELECT n.uid FROM annotations n WHERE n.article_id = ? AND n.start = ? AND n."end" = ?'
            " AND n.label_id = ? AND n.annotator = ?",
            (article_id, start, end, self.label(label).id, annotator)).fetchone()
        return row[0] if row else None

    def build_annotation(
        self, article_id: int, start: int, end: int, label: str, *, annotator: str, note: str = "",
        text: str | None = None, uid: str | None = None, status: str = "pending",
        created_at: str | None = None, updated_at: str | None = None,
    ) -> Annotation:
        """Validate and build an annotation without storing it (``add_annotation``, and bulk imports)."""
        article_text = self.article_text(article_id)
        check_span(article_text, start, end, text)
        check_status(status)
        if not annotator.strip():
            raise SpanError("an annotation needs an annotator")
        at = now_iso()
        return Annotation(
            uid=uid or new_uid(), article_id=article_id, start=start, end=end,
            label=self.label(label).name, text=article_text[start:end], annotator=annotator,
            note=note or "", status=status, created_at=created_at or at,
            updated_at=updated_at or created_at or at,
        )

    def _insert_annotations(self, annotations: Sequence[Annotation], *, overwrite: bool = False) -> None:
        """The annotations' rows, every column as given; ``overwrite`` replaces a row with the same uid."""
        labels = self._label_map()
        self._conn.executemany(
            'INSERT INTO annotations (uid, article_id, start, "end", label_id, text, note, annotator, status,'
            " created_at, updated_at, reviewer, reviewed_at, review_note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + (_OVERWRITE_ANNOTATION if overwrite else ""),
            [
                (a.uid, a.article_id, a.start, a.end, labels[a.label.casefold()].id, a.text, a.note,
                 a.annotator, a.status, a.created_at, a.updated_at, a.reviewer, a.reviewed_at, a.review_note)
                for a in annotations
            ],
        )

    def add_annotations(self, annotations: Sequence[Annotation], *, actor: str) -> int:
        """Bulk insert annotations made by ``build_annotation`` (import). Returns how many."""
        for a in annotations:
            check_span(self.article_text(a.article_id), a.start, a.end, a.text)
        with self.transaction():
            self._insert_annotations(annotations)
            self._append_events(
                NewEvent("create", "annotation", a.uid, None, a.as_values(), actor) for a in annotations
            )
        return len(annotations)

    def _update(self, uid: str, action: str, actor: str, **changes: Any) -> Annotation:
        with self.transaction():
            before = self.annotation(uid)
            after = replace(before, **changes, updated_at=now_iso())
            old, new = before.as_values(), after.as_values()
            if new == old:
                return before
            label_id = self.label(after.label).id
            self._conn.execute(
                'UPDATE annotations SET start = ?, "end" = ?, label_id = ?, text = ?, note = ?, status = ?,'
                " updated_at = ?, reviewer = ?, reviewed_at = ?, review_note = ? WHERE uid = ?",
                (after.start, after.end, label_id, after.text, after.note, after.status, after.updated_at,
                 after.reviewer, after.reviewed_at, after.review_note, uid),
            )
            changed = [k for k, v in new.items() if old[k] != v]
            self._append_events([NewEvent(
                action, "annotation", uid, {k: old[k] for k in changed}, {k: new[k] for k in changed},
                actor, at=after.updated_at,
            )])
        return after

    def relabel(self, uid: str, label: str, *, actor: str) -> Annotation:
        """Change the label. A verdict given on the old label no longer holds: the span goes back to pending."""
        return self._update(uid, "relabel", actor, **_clearing_review(self.annotation(uid),
                                                                     label=self.label(label).name))

    def resize(self, uid: str, start: int, end: int, *, actor: str) -> Annotation:
        """Change the extent. A verdict given on the old extent no longer holds: the span goes back to pending."""
        current = self.annotation(uid)
        text = self.article_text(current.article_id)
        check_span(text, start, end)
        return self._update(uid, "resize", actor, **_clearing_review(current, start=start, end=end,
                                                                    text=text[start:end]))

    def restore_fields(self, state: Annotation, fields: Sequence[str], *, action: str, actor: str) -> Annotation:
        """Put back ``fields`` of an annotation as they were in ``state`` (an undo or redo): one event.

        Unlike relabel and resize this restores a verdict with the extent or label it was given on.
        """
        values = {f: getattr(state, f) for f in fields}
        if "label" in values:
            values["label"] = self.label(values["label"]).name
        if {"start", "end", "text"} & values.keys():
            current = self.annotation(state.uid)
            check_span(self.article_text(current.article_id), state.start, state.end, state.text)
        return self._update(state.uid, action, actor, **values)

    def set_note(self, uid: str, note: str, *, actor: str) -> Annotation:
        return self._update(uid, "note", actor, note=note)

    def set_status(self, uid: str, status: str, *, actor: str, reason: str = "") -> Annotation:
        """Record a review: accepted, rejected (with a reason) or back to pending."""
        check_status(status)
        reviewed = status != "pending"
        return self._update(uid, "review", actor, status=status, review_note=reason,
                            reviewer=actor if reviewed else None, reviewed_at=now_iso() if reviewed else None)

    def delete_annotation(self, uid: str, *, actor: str) -> Annotation:
        with self.transaction():
            before = self.annotation(uid)
            self._conn.execute("DELETE FROM annotations WHERE uid = ?", (uid,))
            self._append_events([NewEvent("delete", "annotation", uid, before.as_values(), None, actor)])
        return before

    def restore_annotation(self, annotation: Annotation, *, actor: str) -> Annotation:
        """Bring back a deleted annotation with its uid and times (undo of delete)."""
        check_span(self.article_text(annotation.article_id), annotation.start, annotation.end, annotation.text)
        with self.transaction():
            if self.has_annotation(annotation.uid):
                raise SpanError(f"an annotation with uid {annotation.uid} exists already")
            self._insert_annotations([annotation])
            self._append_events([NewEvent("restore", "annotation", annotation.uid, None,
                                          annotation.as_values(), actor)])
        return self.annotation(annotation.uid)

    # ------------------------------------------------------------------ export

    def export_counts(
        self,
        *,
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
        article_ids: Sequence[int] = (),
        all_articles: bool | None = None,
    ) -> tuple[int, int]:
        """How many articles and spans ``export_records`` with these filters yields, without reading texts."""
        where, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        spans, with_spans = self._conn.execute(
            f"SELECT count(*), count(DISTINCT n.article_id) FROM annotations n{_where(where)}", params).fetchone()
        if all_articles is None:
            all_articles = not (labels or annotators or statuses)
        if not all_articles:
            return with_spans, spans
        if article_ids:
            articles = self._conn.execute(
                f"SELECT count(*) FROM articles WHERE {_in('id', article_ids)}", list(article_ids)).fetchone()[0]
        else:
            articles = self.article_count()
        return articles, spans

    def export_records(
        self,
        *,
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
        article_ids: Sequence[int] = (),
        all_articles: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Articles in id order, each a dict in the native JSONL shape with its filtered spans.

        With no span filter every article is written (articles with no spans are
        examples too); with a filter, only articles holding a matching span,
        unless ``all_articles`` says otherwise.
        """
        where, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        if all_articles is None:
            all_articles = not (labels or annotators or statuses)
        span_sql = (
            'SELECT n.article_id, n.uid, n.start, n."end", l.name, n.text, n.annotator, n.status, n.note,'
            f" n.created_at, n.updated_at FROM {_ANNOTATION_ROWS}{_where(where)}"
            ' ORDER BY n.article_id, n.start, n."end", n.uid'
        )
        article_sql = "SELECT id, uid, title, source, url, published, sha256, text FROM articles"
        article_params: list[Any] = []
        if article_ids:
            article_sql += f" WHERE {_in('id', article_ids)}"
            article_params = list(article_ids)
        article_sql += " ORDER BY id"

        spans = self._conn.execute(span_sql, params)
        pending = spans.fetchone()
        # Two ordered cursors, merged: one pass over each table, no query per article.
        read = self._conn.cursor()
        for aid, uid, title, source, url, published, sha, text in read.execute(article_sql, article_params):
            article_spans = []
            while pending is not None and pending[0] < aid:
                pending = spans.fetchone()
            while pending is not None and pending[0] == aid:
                _, suid, start, end, label, stext, annotator, status, note, created, updated = pending
                article_spans.append({
                    "uid": suid, "start": start, "end": end, "label": label, "text": stext,
                    "annotator": annotator, "status": status, "note": note,
                    "created_at": created, "updated_at": updated,
                })
                pending = spans.fetchone()
            if article_spans or all_articles:
                yield {
                    "id": aid, "uid": uid, "title": title, "source": source, "url": url,
                    "published": published, "sha256": sha, "text": text, "spans": article_spans,
                }


def _in(column: str, values: Sequence[Any], *, negated: bool = False) -> str:
    """``column IN (?, ...)`` with a placeholder per value; the caller passes the values."""
    return f"{column} {'NOT IN' if negated else 'IN'} ({', '.join('?' * len(values))})"


def _in_clauses(
    filters: Sequence[tuple[str, list[Any]]], *, negated: bool = False,
) -> tuple[list[str], list[Any]]:
    """An ``IN`` (or ``NOT IN``) condition per filter with values, and their parameters; empty filters drop out."""
    where: list[str] = []
    params: list[Any] = []
    for column, values in filters:
        if values:
            where.append(_in(column, values, negated=negated))
            params += values
    return where, params


def _where(conditions: Sequence[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def _use_rollback_journal(conn: sqlite3.Connection) -> None:
    """A rollback journal rather than WAL, for a desktop app's safety.

    POSIX locks belong to the process, and closing any descriptor of a file
    drops them all. A WAL connection holds its locks for as long as it is open,
    so when anything else in the process reads the file (Qt's file dialog
    sniffs every file it lists), another process may checkpoint and delete the
    WAL under us and later commits are lost (tests/core/test_locks.py). A
    rollback journal holds locks only inside a transaction, a few
    milliseconds. Commits cost ~0.7 ms instead of ~0.2 ms (docs/benchmarks.md).
    A database left in WAL mode by an earlier version is switched back when no
    one else has it open.
    """
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError:
        pass  # another program has it open in WAL mode: keep it until next time


def _translate(exc: BaseException, path: Path | None) -> BaseException:
    """SQLite's errors, said in the user's words; anything else unchanged."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "readonly" in text:
            return ReadOnlyError(f"the database {path} is read-only; nothing was saved")
        if "locked" in text or "busy" in text:
            return DatabaseError(f"the database {path} is busy (another program is writing); nothing was saved")
        if "disk" in text and "full" in text:
            return DatabaseError(f"the disk holding {path} is full; nothing was saved")
        return DatabaseError(f"could not save to {path}: {exc}")
    if isinstance(exc, sqlite3.IntegrityError):
        return DatabaseError(f"refused by the database: {exc}")
    if isinstance(exc, sqlite3.DatabaseError):
        return DatabaseError(f"the database {path} is damaged: {exc}")
    return exc


def _event(row: Sequence[Any]) -> Event:
    return Event(
        id=row[0], uid=row[1], at=row[2], actor=row[3], action=row[4], entity=row[5], entity_uid=row[6],
        before=json.loads(row[7]) if row[7] is not None else None,
        after=json.loads(row[8]) if row[8] is not None else None,
        prev_hash=row[9], hash=row[10],
    )


def _connect_read_only(path: Path) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    for extra in ("", "&immutable=1"):
        try:
            conn = sqlite3.connect(uri + extra, uri=True, isolation_level=None, check_same_thread=False)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as exc:
            last = exc
    raise DatabaseError(f"cannot open the read-only database {path}: {last}") from last


__all__ = ["Store", "ChainReport", "NewEvent", "SpanRow", "TableView", "event_hash", "SCHEMA_VERSION"]
