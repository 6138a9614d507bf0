"""The writes of a team merge (``annotator.core.merge`` decides what they are).

These put rows in as they were on the colleague's machine (uids, times, review
fields) and append the colleague's events with their own uid, time and actor,
re-chained after this database's last event. None of them records an event of
its own: the caller appends the merged events in the same transaction, so every
row written here is explained by the log.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Annotation, Article, Label
from . import NewEvent, Store


def insert_article(store: Store, article: Article, text: str) -> Article:
    """Add a colleague's article under its own uid (a fresh one if this database uses it already)."""
    return store._insert_article(
        text, uid=article.uid, sha256=article.sha256, title=article.title, source=article.source, url=article.url,
        published=article.published, origin=article.origin, created_at=article.created_at,
    )


def insert_label(store: Store, label: Label, *, shortcut: str) -> Label:
    return store._insert_label(label.name, label.colour, shortcut, label.description)


def write_annotation(store: Store, annotation: Annotation) -> None:
    """Insert the annotation, or overwrite the one with its uid, with every column as given."""
    store._insert_annotations([annotation], overwrite=True)


def erase_annotation(store: Store, uid: str) -> None:
    store.db.conn.execute("DELETE FROM annotations WHERE uid = ?", (uid,))


def append_events(store: Store, events: Sequence[NewEvent]) -> int:
    """Append events (keeping any uid and time they carry), chained after the last one."""
    return store._append_events(events)


__all__ = ["append_events", "erase_annotation", "insert_article", "insert_label", "write_annotation"]
