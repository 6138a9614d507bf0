"""SQL fragments and row conversions shared by the store's rooms."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model import Annotation, Article
from .cells import CellSpec, checked, damaged_row, shown

ANNOTATION_COLUMNS = (
    'n.id, n.uid, n.article_id, n.start, n."end", l.name, n.text, n.annotator, '
    "n.note, n.status, n.created_at, n.updated_at, n.reviewer, n.reviewed_at, n.review_note, n.label_id"
)
# Annotations (n) with their label (l): the name a user sees is l.name. A left join: a span
# whose label is gone (deleted with foreign keys off) is damage to say, not a row to drop.
ANNOTATION_ROWS = "annotations n LEFT JOIN labels l ON l.id = n.label_id"
SELECT_ANNOTATIONS = f"SELECT {ANNOTATION_COLUMNS} FROM {ANNOTATION_ROWS}"
ARTICLE_COLUMNS = "id, uid, title, source, url, published, sha256, origin, created_at, length"

_TEXT, _TEXT_OR_NULL, _WHOLE = ("TEXT", True), ("TEXT", False), ("INTEGER", True)
_ANNOTATION_CELLS = CellSpec(tuple((name, *kind) for name, kind in (
    ("id", _WHOLE), ("uid", _TEXT), ("article_id", _WHOLE), ("start", _WHOLE), ("end", _WHOLE), ("label", _TEXT),
    ("text", _TEXT), ("annotator", _TEXT), ("note", _TEXT), ("status", _TEXT), ("created_at", _TEXT),
    ("updated_at", _TEXT), ("reviewer", _TEXT_OR_NULL), ("reviewed_at", _TEXT_OR_NULL),
    ("review_note", _TEXT_OR_NULL))))
_ARTICLE_CELLS = CellSpec(tuple((name, *kind) for name, kind in (
    ("id", _WHOLE), ("uid", _TEXT), ("title", _TEXT), ("source", _TEXT_OR_NULL), ("url", _TEXT_OR_NULL),
    ("published", _TEXT_OR_NULL), ("sha256", _TEXT), ("origin", _TEXT_OR_NULL), ("created_at", _TEXT),
    ("length", _WHOLE))))


def annotation_from(row: Sequence[Any], path: Path | None = None) -> Annotation:
    """The annotation of a ``SELECT_ANNOTATIONS`` row; a damaged row (``path``'s) raises ``cells.BadRowError``."""
    if row[5] is None:
        raise damaged_row(path, f"annotation {row[1]} has a label that is gone (label id {shown(row[15])},"
                                " deleted outside annotator)")
    checked(row[:15], _ANNOTATION_CELLS, "annotation", path)
    return Annotation(
        id=row[0], uid=row[1], article_id=row[2], start=row[3], end=row[4], label=row[5],
        text=row[6], annotator=row[7], note=row[8], status=row[9],
        created_at=row[10], updated_at=row[11], reviewer=row[12], reviewed_at=row[13], review_note=row[14],
    )


def article_from(row: Sequence[Any], path: Path | None = None) -> Article:
    """The article of an ``ARTICLE_COLUMNS`` row; a damaged row (``path``'s) raises ``cells.BadRowError``."""
    checked(row, _ARTICLE_CELLS, "article", path)
    return Article(
        id=row[0], uid=row[1], title=row[2], source=row[3], url=row[4], published=row[5],
        sha256=row[6], origin=row[7], created_at=row[8], length=row[9],
    )


def article_text_from(article_id: int, text: Any, path: Path | None = None) -> str:
    """An article's stored text, which must be text (a BLOB there is damage: raises ``cells.BadRowError``)."""
    if not isinstance(text, str):
        raise damaged_row(path, f"article {article_id} has a text that is {shown(text)}, not text")
    return text


def offsets(uid: str, start: Any, end: Any, path: Path | None = None) -> tuple[int, int]:
    """A span's (start, end), which must be whole numbers (else ``cells.BadRowError``)."""
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int):
            raise damaged_row(path, f"annotation {uid} has {name} {shown(value)}, not a whole number")
    return start, end


def label_name(names: dict[int, str], label_id: Any, what: str, path: Path | None = None) -> str:
    """The name of label ``label_id`` among ``names`` (id -> name); a label that is gone raises ``BadRowError``.

    ``what`` names the row that holds the label id ("annotation X").
    """
    name = names.get(label_id)
    if name is None:
        raise damaged_row(path, f"{what} has a label that is gone (label id {shown(label_id)}, deleted outside"
                                " annotator)")
    return name


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
