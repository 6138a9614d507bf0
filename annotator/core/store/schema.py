"""Schema steps, applied forward in order. ``PRAGMA user_version`` counts them.

Never edit a step that has shipped: add a new one. The steps are plain
functions registered here; ``migrations()`` hands them to sqlite-utils'
``Migrations`` only when a database needs them, so opening an up-to-date
database does not import sqlite-utils.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..claims import DEFAULT_RATINGS
from ..model import DEFAULT_LABELS

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

Step = Callable[["Database"], None]
STEPS: list[str] = []
_FUNCTIONS: list[Step] = []


def _step(name: str) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        STEPS.append(name)
        _FUNCTIONS.append(fn)
        return fn

    return register


def migrations() -> Migrations:
    from sqlite_utils import Migrations

    found = Migrations("annotator")
    for name, fn in zip(STEPS, _FUNCTIONS, strict=True):
        found(name=name)(fn)
    return found


def _run(db: Database, script: str) -> None:
    # Not executescript(): it commits first, and a migration must stay inside the
    # caller's single transaction. Statements are separated by ";;".
    for statement in script.split(";;"):
        if statement.strip():
            db.execute(statement)


@_step("0001_initial")
def _initial(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            source TEXT,
            url TEXT,
            published TEXT,
            origin TEXT,
            text TEXT NOT NULL,
            length INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );;
        CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            colour TEXT NOT NULL,
            shortcut TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );;
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label_id INTEGER NOT NULL REFERENCES labels(id),
            text TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'rejected')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start >= 0 AND start < "end")
        );;
        CREATE INDEX annotations_article_start ON annotations(article_id, start);;
        CREATE INDEX annotations_label ON annotations(label_id);;
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_uid TEXT NOT NULL,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );;
        CREATE INDEX events_entity ON events(entity_uid);;
        -- The audit log is append-only; the hash chain catches whoever drops these.
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;;
        """
    )
    db.conn.executemany(
        "INSERT INTO labels (name, colour, shortcut, description, position) VALUES (?, ?, ?, ?, ?)",
        [(name, colour, key, desc, i) for i, (name, colour, key, desc) in enumerate(DEFAULT_LABELS)],
    )



@_step("0002_review")
def _review(db: Database) -> None:
    # Who reviewed an annotation, when, and why it was rejected.
    _run(
        db,
        """
        ALTER TABLE annotations ADD COLUMN reviewer TEXT;;
        ALTER TABLE annotations ADD COLUMN reviewed_at TEXT;;
        ALTER TABLE annotations ADD COLUMN review_note TEXT NOT NULL DEFAULT '';;
        CREATE INDEX annotations_status ON annotations(status);;
        """,
    )



@_step("0003_text_order_index")
def _text_order_index(db: Database) -> None:
    # The workspace pages through an article's spans in text order (start, end,
    # uid); with only (article_id, start) indexed, each page sorted the rest in
    # a temporary b-tree. This index still serves every (article_id, start) lookup.
    _run(
        db,
        """
        CREATE INDEX annotations_article_order ON annotations(article_id, start, "end", uid);;
        DROP INDEX annotations_article_start;;
        """,
    )


@_step("0005_claims")
def _claims(db: Database) -> None:
    # Claims across articles (docs/claims.md). Links and rejections name spans and
    # claims by uid, as events and exports do; the foreign keys make a delete that
    # would leave a link behind fail instead of dangling.
    _run(
        db,
        """
        CREATE TABLE ratings (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            value REAL NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );;
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            summary TEXT NOT NULL,
            claimant TEXT NOT NULL DEFAULT '',
            claim_date TEXT,
            rating_id INTEGER REFERENCES ratings(id),
            explanation TEXT NOT NULL DEFAULT '',
            review_url TEXT,
            reviewed_by TEXT,
            reviewed_at TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );;
        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            span_uid TEXT NOT NULL REFERENCES annotations(uid),
            claim_uid TEXT NOT NULL REFERENCES claims(uid),
            role TEXT NOT NULL CHECK (role IN ('states', 'denies', 'supports', 'context')),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            -- The span's article, copied (a span never changes article): the claims list counts
            -- articles per role from this index alone; through the spans it took 3x longer at
            -- 45,000 links (docs/benchmarks.md).
            article_id INTEGER REFERENCES articles(id),
            UNIQUE (span_uid, claim_uid)
        );;
        CREATE INDEX links_claim ON links(claim_uid, role, article_id);;
        CREATE TABLE claim_rejections (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            claim_uid TEXT NOT NULL REFERENCES claims(uid),
            article_id INTEGER NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (claim_uid, article_id, start, "end")
        );;
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );;
        CREATE INDEX events_entity_kind ON events(entity, id);;
        """,
    )
    db.conn.executemany(
        "INSERT INTO ratings (name, value, description, position) VALUES (?, ?, ?, ?)",
        [(name, value, desc, i) for i, (name, value, desc) in enumerate(DEFAULT_RATINGS)],
    )


SCHEMA_VERSION: int = len(STEPS)
