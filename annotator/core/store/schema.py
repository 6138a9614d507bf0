"""Schema steps, applied forward in order. ``PRAGMA user_version`` counts them.

Never edit a step that has shipped: add a new one. The steps are plain
functions registered here; ``migrations()`` hands them to sqlite-utils'
``Migrations`` only when a database needs them, so opening an up-to-date
database does not import sqlite-utils.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from ..claims import DEFAULT_RATINGS
from ..model import DEFAULT_LABELS
from ..suggestions import default_cues

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


def load_sqlite_utils() -> ModuleType:
    """``sqlite_utils``, imported without pandas and numpy coming along.

    ``import sqlite_utils`` imports pandas and numpy whenever they are installed,
    only to map their column types for ``insert()``, which the store never gives
    them: 0.7-0.8 s and +84 MB in the app's process (issue 9). They are made
    unimportable while sqlite-utils loads and importable again right after, so
    that code wanting pandas later (a notebook, a format) still gets it.
    """
    if "sqlite_utils" not in sys.modules:
        blocked = [name for name in ("pandas", "numpy") if name not in sys.modules]
        for name in blocked:
            sys.modules[name] = None  # type: ignore[assignment]  # "import pandas" raises ImportError
        try:
            import sqlite_utils  # noqa: F401
        finally:
            for name in blocked:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]
    return sys.modules["sqlite_utils"]


def migrations() -> Migrations:
    found = load_sqlite_utils().Migrations("annotator")
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


@_step("0004_counts_and_search")
def _counts_and_search(db: Database) -> None:
    from .sql import search_row

    # Counts kept in step by triggers, so that every path that writes annotations
    # (tagging, undo, import, merge, the sqlite3 shell) keeps them right without
    # Python code remembering to. ``label_counts`` serves the article list (spans
    # per article and label); ``queue_counts`` the review queue, whose count and
    # place for any filter sum a few rows per article instead of counting up to a
    # million spans (at 1M spans: 25 ms for "pending", 120 ms with an annotator
    # too; 4 ms summed from these rows).
    _run(
        db,
        """
        CREATE TABLE label_counts (
            article_id INTEGER NOT NULL,
            label_id INTEGER NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (article_id, label_id)
        ) WITHOUT ROWID;;
        CREATE TABLE queue_counts (
            status TEXT NOT NULL,
            article_id INTEGER NOT NULL,
            label_id INTEGER NOT NULL,
            annotator TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (status, article_id, label_id, annotator)
        ) WITHOUT ROWID;;
        INSERT INTO label_counts (article_id, label_id, n)
            SELECT article_id, label_id, count(*) FROM annotations GROUP BY article_id, label_id;;
        INSERT INTO queue_counts (status, article_id, label_id, annotator, n)
            SELECT status, article_id, label_id, annotator, count(*) FROM annotations
            GROUP BY status, article_id, label_id, annotator;;
        CREATE TRIGGER annotations_count_insert AFTER INSERT ON annotations BEGIN
            INSERT INTO label_counts (article_id, label_id, n) VALUES (new.article_id, new.label_id, 1)
                ON CONFLICT (article_id, label_id) DO UPDATE SET n = n + 1;
            INSERT INTO queue_counts (status, article_id, label_id, annotator, n)
                VALUES (new.status, new.article_id, new.label_id, new.annotator, 1)
                ON CONFLICT (status, article_id, label_id, annotator) DO UPDATE SET n = n + 1;
        END;;
        CREATE TRIGGER annotations_count_delete AFTER DELETE ON annotations BEGIN
            UPDATE label_counts SET n = n - 1 WHERE article_id = old.article_id AND label_id = old.label_id;
            DELETE FROM label_counts WHERE article_id = old.article_id AND label_id = old.label_id AND n <= 0;
            UPDATE queue_counts SET n = n - 1 WHERE status = old.status AND article_id = old.article_id
                AND label_id = old.label_id AND annotator = old.annotator;
            DELETE FROM queue_counts WHERE status = old.status AND article_id = old.article_id
                AND label_id = old.label_id AND annotator = old.annotator AND n <= 0;
        END;;
        CREATE TRIGGER annotations_count_update AFTER UPDATE OF status, article_id, label_id, annotator ON annotations
        WHEN old.status IS NOT new.status OR old.article_id IS NOT new.article_id OR old.label_id IS NOT new.label_id
            OR old.annotator IS NOT new.annotator
        BEGIN
            UPDATE label_counts SET n = n - 1 WHERE article_id = old.article_id AND label_id = old.label_id;
            DELETE FROM label_counts WHERE article_id = old.article_id AND label_id = old.label_id AND n <= 0;
            INSERT INTO label_counts (article_id, label_id, n) VALUES (new.article_id, new.label_id, 1)
                ON CONFLICT (article_id, label_id) DO UPDATE SET n = n + 1;
            UPDATE queue_counts SET n = n - 1 WHERE status = old.status AND article_id = old.article_id
                AND label_id = old.label_id AND annotator = old.annotator;
            DELETE FROM queue_counts WHERE status = old.status AND article_id = old.article_id
                AND label_id = old.label_id AND annotator = old.annotator AND n <= 0;
            INSERT INTO queue_counts (status, article_id, label_id, annotator, n)
                VALUES (new.status, new.article_id, new.label_id, new.annotator, 1)
                ON CONFLICT (status, article_id, label_id, annotator) DO UPDATE SET n = n + 1;
        END;;
        -- The review queue in its order for one status ("pending"): next, previous
        -- and the place within an article walk this index; it replaces the plain one.
        CREATE INDEX annotations_status_order ON annotations(status, article_id, start, "end", uid);;
        DROP INDEX annotations_status;;
        -- Nothing reads by label alone any more (counts come from the tables above, a
        -- label filter rides on another index); one index fewer to keep on every insert.
        DROP INDEX annotations_label;;
        -- The article list sorted by title or source reads an index, not every text.
        CREATE INDEX articles_title ON articles(title COLLATE NOCASE, id);;
        CREATE INDEX articles_source ON articles(coalesce(source, origin, '') COLLATE NOCASE, id);;
        -- Titles, sources and texts folded as search folds what is typed (search.fold),
        -- so that a trigram index serves accent- and case-blind substring search.
        -- SQLite 3.45's remove_diacritics for trigrams is not to be had everywhere
        -- (3.40 here), and it would not fold "™" or typeset quotes anyway.
        -- The rowid is the article's id; the store adds each new article's row.
        CREATE VIRTUAL TABLE article_search USING fts5(title, source, text, tokenize = 'trigram case_sensitive 1');;
        CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
            DELETE FROM article_search WHERE rowid = old.id;
        END;;
        """,
    )
    rows = db.conn.execute("SELECT id, title, source, origin, text FROM articles ORDER BY id")
    db.conn.executemany(
        "INSERT INTO article_search (rowid, title, source, text) VALUES (?, ?, ?, ?)",
        (search_row(*row) for row in rows),
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


@_step("0006_suggestions")
def _suggestions(db: Database) -> None:
    # Suggestions are not annotations (docs/suggestions.md): a table of their own that no export
    # reads. One per (article, offsets, label, source kind) whatever its state: a rejected
    # suggestion is remembered by staying here, and the same one is never created again.
    # The annotation an accept made is named by uid without a foreign key: deleting that
    # annotation later leaves the suggestion accepted (decided once), not dangling.
    # Models are data (coefficients as arrays, parameters as JSON), never a pickle: a pickle
    # from a colleague's file would run code when loaded.
    _run(
        db,
        """
        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label_id INTEGER NOT NULL REFERENCES labels(id),
            text TEXT NOT NULL,
            source TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('rules', 'model', 'import')),
            score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
            reason TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),
            created_at TEXT NOT NULL,
            decided_by TEXT,
            decided_at TEXT,
            annotation_uid TEXT,
            CHECK (start >= 0 AND start < "end"),
            UNIQUE (article_id, start, "end", label_id, kind)
        );;
        CREATE INDEX suggestions_state_article ON suggestions(state, article_id, start);;
        CREATE TABLE cues (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            label_id INTEGER NOT NULL REFERENCES labels(id),
            language TEXT NOT NULL DEFAULT 'en',
            phrase TEXT NOT NULL,
            UNIQUE (label_id, language, phrase)
        );;
        CREATE TABLE models (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            params TEXT NOT NULL,
            weights BLOB NOT NULL,
            sha256 TEXT NOT NULL,
            examples INTEGER NOT NULL,
            metrics TEXT NOT NULL,
            trained_by TEXT NOT NULL,
            trained_at TEXT NOT NULL
        );;
        """,
    )
    _default_cues(db)


def _default_cues(db: Database) -> None:
    # The default cues of the labels this database has (a label renamed or removed before
    # this step keeps no defaults).
    labels = {name.casefold(): label_id for label_id, name in db.execute("SELECT id, name FROM labels")}
    db.conn.executemany(
        "INSERT INTO cues (uid, label_id, language, phrase) VALUES (?, ?, ?, ?)",
        [(c.uid, labels[c.label], c.language, c.phrase) for c in default_cues() if c.label in labels],
    )


@_step("0007_annotator_and_status_counts")
def _annotator_and_status_counts(db: Database) -> None:
    # Who has spans, and how many spans each status has, kept by triggers: the reviewer's
    # filters and the queue's count for "pending" read a handful of rows. Summed from
    # queue_counts instead (a row per status, article, label and annotator), listing
    # the annotators took 40 ms at 10,000 articles, three times over when reviewer mode
    # opened, and the pending count 7 ms on every step.
    _run(
        db,
        """
        CREATE TABLE annotator_counts (annotator TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;;
        CREATE TABLE status_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;;
        INSERT INTO annotator_counts (annotator, n) SELECT annotator, count(*) FROM annotations GROUP BY annotator;;
        INSERT INTO status_counts (status, n) SELECT status, count(*) FROM annotations GROUP BY status;;
        CREATE TRIGGER annotations_people_insert AFTER INSERT ON annotations BEGIN
            INSERT INTO annotator_counts (annotator, n) VALUES (new.annotator, 1)
                ON CONFLICT (annotator) DO UPDATE SET n = n + 1;
            INSERT INTO status_counts (status, n) VALUES (new.status, 1)
                ON CONFLICT (status) DO UPDATE SET n = n + 1;
        END;;
        CREATE TRIGGER annotations_people_delete AFTER DELETE ON annotations BEGIN
            UPDATE annotator_counts SET n = n - 1 WHERE annotator = old.annotator;
            DELETE FROM annotator_counts WHERE annotator = old.annotator AND n <= 0;
            UPDATE status_counts SET n = n - 1 WHERE status = old.status;
            DELETE FROM status_counts WHERE status = old.status AND n <= 0;
        END;;
        CREATE TRIGGER annotations_people_update AFTER UPDATE OF status, annotator ON annotations
        WHEN old.status IS NOT new.status OR old.annotator IS NOT new.annotator
        BEGIN
            UPDATE annotator_counts SET n = n - 1 WHERE annotator = old.annotator;
            DELETE FROM annotator_counts WHERE annotator = old.annotator AND n <= 0;
            INSERT INTO annotator_counts (annotator, n) VALUES (new.annotator, 1)
                ON CONFLICT (annotator) DO UPDATE SET n = n + 1;
            UPDATE status_counts SET n = n - 1 WHERE status = old.status;
            DELETE FROM status_counts WHERE status = old.status AND n <= 0;
            INSERT INTO status_counts (status, n) VALUES (new.status, 1)
                ON CONFLICT (status) DO UPDATE SET n = n + 1;
        END;;
        """,
    )


@_step("0008_provenance")
def _provenance(db: Database) -> None:
    from .identity import APPLICATION_ID

    # The annotator marker (store/identity.py): from here on a database is known as
    # ours by it, not by a user_version any program may set.
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    # Where merged events came from (docs/review.md): one row per merge that brought
    # events, and for each event it brought, that merge. The merge's own event in the
    # chain records the same (source, sha256, count), so verify can hold them together.
    _run(
        db,
        """
        CREATE TABLE merges (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            merged_at TEXT NOT NULL,
            merged_by TEXT NOT NULL,
            events INTEGER NOT NULL
        );;
        CREATE TABLE merged_events (
            event_uid TEXT PRIMARY KEY,
            merge_id INTEGER NOT NULL REFERENCES merges(id)
        ) WITHOUT ROWID;;
        CREATE INDEX merged_events_merge ON merged_events(merge_id);;
        CREATE TRIGGER merges_no_update BEFORE UPDATE ON merges
            BEGIN SELECT RAISE(ABORT, 'the merge record is append-only'); END;;
        CREATE TRIGGER merges_no_delete BEFORE DELETE ON merges
            BEGIN SELECT RAISE(ABORT, 'the merge record is append-only'); END;;
        CREATE TRIGGER merged_events_no_update BEFORE UPDATE ON merged_events
            BEGIN SELECT RAISE(ABORT, 'the merge record is append-only'); END;;
        CREATE TRIGGER merged_events_no_delete BEFORE DELETE ON merged_events
            BEGIN SELECT RAISE(ABORT, 'the merge record is append-only'); END;;
        """,
    )


@_step("0009_article_ids_index")
def _article_ids_index(db: Database) -> None:
    # Every article's id, in order, without reading the articles themselves: listing
    # 10,000 ids from the table pulled its ~40 MB of pages (texts) through the page
    # cache, 40 ms at the window's first paint; this index holds the ids alone.
    _run(db, "CREATE INDEX articles_ids ON articles(id);;")


SCHEMA_VERSION: int = len(STEPS)
MARKED_FROM: int = STEPS.index("0008_provenance") + 1
"""The first schema version whose databases carry the annotator marker (``PRAGMA application_id``)."""
