"""The writes of a team merge (``annotator.core.merge`` decides what they are).

These put rows in as they were on the colleague's machine (uids, times, review
fields) and append the colleague's events with their own uid, time and actor,
re-chained after this database's last event. None of them records an event of
its own: the caller appends the merged events in the same transaction, so every
row written here is explained by the log.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Annotation, Article, Label, new_uid
from . import NewEvent, Store


def insert_article(store: Store, article: Article, text: str) -> Article:
    """Add a colleague's article under its own uid (a fresh one if this database uses it already)."""
    conn = store.db.conn
    uid = article.uid
    if conn.execute("SELECT 1 FROM articles WHERE uid = ?", (uid,)).fetchone():
        uid = new_uid()
    cur = conn.execute(
        "INSERT INTO articles (uid, sha256, title, source, url, published, origin, text, length, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (uid, article.sha256, article.title, article.source, article.url, article.published, article.origin,
         text, len(text), article.created_at),
    )
    assert cur.lastrowid is not None
    return Article(cur.lastrowid, uid, article.title, article.source, article.url, article.published,
                   article.sha256, article.origin, article.created_at, len(text))


def insert_label(store: Store, label: Label, *, shortcut: str) -> Label:
    conn = store.db.conn
    position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
    cur = conn.execute(
        "INSERT INTO labels (name, colour, shortcut, description, position) VALUES (?, ?, ?, ?, ?)",
        (label.name, label.colour, shortcut, label.description, position),
    )
    store._labels = None  # the store's label cache
    assert cur.lastrowid is not None
    return Label(cur.lastrowid, label.name, label.colour, shortcut, label.description, position)


def write_annotation(store: Store, annotation: Annotation) -> None:
    """Insert the annotation, or overwrite the one with its uid, with every column as given."""
    label_id = store.label(annotation.label).id
    a = annotation
    store.db.conn.execute(
        'INSERT INTO annotations (uid, article_id, start, "end", label_id, text, note, annotator, status,'
        " created_at, updated_at, reviewer, reviewed_at, review_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ' ON CONFLICT (uid) DO UPDATE SET article_id = excluded.article_id, start = excluded.start,'
        ' "end" = excluded."end", label_id = excluded.label_id, text = excluded.text, note = excluded.note,'
        " annotator = excluded.annotator, status = excluded.status, created_at = excluded.created_at,"
        " updated_at = excluded.updated_at, reviewer = excluded.reviewer, reviewed_at = excluded.reviewed_at,"
        " review_note = excluded.review_note",
        (a.uid, a.article_id, a.start, a.end, label_id, a.text, a.note, a.annotator, a.status, a.created_at,
         a.updated_at, a.reviewer, a.reviewed_at, a.review_note),
    )


def erase_annotation(store: Store, uid: str) -> None:
    store.db.conn.execute("DELETE FROM annotations WHERE uid = ?", (uid,))


def append_events(store: Store, events: Sequence[NewEvent]) -> int:
    """Append events (keeping any uid and time they carry), chained after the last one."""
    return store._append_events(events)


__all__ = ["append_events", "erase_annotation", "insert_article", "insert_label", "write_annotation"]
