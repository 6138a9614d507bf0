"""SQL fragments and row conversions shared by the store's rooms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Annotation, Article

ANNOTATION_COLUMNS = (
    'n.id, n.uid, n.article_id, n.start, n."end", l.name, n.text, n.annotator, '
    "n.note, n.status, n.created_at, n.updated_at, n.reviewer, n.reviewed_at, n.review_note"
)
# Annotations (n) with their label (l): the name a user sees is l.name.
ANNOTATION_ROWS = "annotations n JOIN labels l ON l.id = n.label_id"
SELECT_ANNOTATIONS = f"SELECT {ANNOTATION_COLUMNS} FROM {ANNOTATION_ROWS}"
ARTICLE_COLUMNS = "id, uid, title, source, url, published, sha256, origin, created_at, length"


def annotation_from(row: Sequence[Any]) -> Annotation:
    return Annotation(
        id=row[0], uid=row[1], article_id=row[2], start=row[3], end=row[4], label=row[5],
        text=row[6], annotator=row[7], note=row[8], status=row[9],
        created_at=row[10], updated_at=row[11], reviewer=row[12], reviewed_at=row[13], review_note=row[14],
    )


def article_from(row: Sequence[Any]) -> Article:
    return Article(
        id=row[0], uid=row[1], title=row[2], source=row[3], url=row[4], published=row[5],
        sha256=row[6], origin=row[7], created_at=row[8], length=row[9],
    )


def search_row(article_id: int, title: str, source: str | None, origin: str | None,
               text: str) -> tuple[int, str, str, str]:
    """An article's row of the search index: what the list shows, folded as search folds what is typed."""
    from ..search import fold

    return article_id, fold(title), fold(source or origin or ""), fold(text)


def in_list(column: str, values: Sequence[Any], *, negated: bool = False) -> str:
    """``column IN (?, ...)`` with a placeholder per value; the caller passes the values."""
    return f"{column} {'NOT IN' if negated else 'IN'} ({', '.join('?' * len(values))})"


def in_clauses(
    filters: Sequence[tuple[str, list[Any]]], *, negated: bool = False,
) -> tuple[list[str], list[Any]]:
    """An ``IN`` (or ``NOT IN``) condition per filter with values, and their parameters; empty filters drop out."""
    where: list[str] = []
    params: list[Any] = []
    for column, values in filters:
        if values:
            where.append(in_list(column, values, negated=negated))
            params += values
    return where, params


# How many rows a long read takes per statement. A statement still stepping holds
# SQLite's shared lock, and with a rollback journal a writer cannot commit while
# any reader holds one: a verify or an export running in a worker, read as one
# cursor, would keep a fact-checker's tag waiting for seconds. Between chunks
# the lock is free. Patched smaller by tests.
CHUNK = 2000
ARTICLE_CHUNK = 200   # articles are read with their texts


def uid_like(column: str, typed: str) -> tuple[str, list[str]]:
    """A condition matching the uids a user may mean by what they typed, and its parameters.

    Uids are UUIDv7: their first twelve hex digits are a time, shared by every uid
    made in the same minute, and their last twelve are random. Tables print the
    tail (``words.short_uid``). What a user types back is the start or the end of
    that tail (as with git, people type the first few characters they see), or
    the start of the whole uid.
    """
    escaped = typed.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (f"({column} LIKE ? ESCAPE '\\' OR substr({column}, -12) LIKE ? ESCAPE '\\'"
            f" OR {column} LIKE ? ESCAPE '\\')",
            [escaped + "%", escaped + "%", "%" + escaped])


def where(conditions: Sequence[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""
