"""What a cell may hold, checked where rows become values, and every wrong cell of a file found for verify.

SQLite stores whatever it is given in any column unless the table is STRICT:
the sqlite3 shell (or another program) can put 'abc' in a span's start, a BLOB
in an article's text, or a label id that names no label. Read as they are,
such cells crashed the commands meant to diagnose them ("unexpected TypeError:
slice indices must be integers"). Where the store turns a row into a value
(``sql.annotation_from``, ``sql.article_from``, an article's text) each cell is
checked against what its column declares, and a wrong one is said as the
damage it is, naming the row (``BadRowError``). ``Cells.cell_problems`` finds
every wrong cell and every reference to a row that is gone, for verify, which
reports them and goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import DamagedError
from ..words import count
from .connection import Connection
from .identity import column_types

ENTITIES = {
    "articles": "article", "annotations": "annotation", "labels": "label", "events": "event", "claims": "claim",
    "links": "link", "claim_rejections": "rejection", "ratings": "rating", "settings": "setting",
    "suggestions": "suggestion", "cues": "cue", "models": "model", "merges": "merge",
}
"""The word a reader knows each table's rows by."""

# What each declared type takes (SQLite's typeof), besides NULL where the column allows it.
_TYPES = {"INTEGER": ("integer",), "TEXT": ("text",), "REAL": ("real", "integer"), "BLOB": ("blob",)}
_WANTED = {"INTEGER": "a whole number", "TEXT": "text", "REAL": "a number", "BLOB": "bytes"}

# What a reference names, in words: (table, column) -> what the row lacks when it is gone.
_REFERENCES = {
    ("annotations", "article_id"): "article", ("annotations", "label_id"): "label",
    ("links", "span_uid"): "span", ("links", "claim_uid"): "claim", ("claims", "rating_id"): "rating",
    ("suggestions", "article_id"): "article", ("suggestions", "label_id"): "label", ("cues", "label_id"): "label",
}


class BadRowError(DamagedError):
    """A row whose cell is not what its column holds (or that names a row that is gone): the file is damaged there."""


def shown(value: Any) -> str:
    """A cell's value as a message quotes it: short, and a BLOB by its size."""
    if isinstance(value, bytes):
        return f"a BLOB of {count(len(value), 'byte')}"
    if value is None:
        return "empty (NULL)"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    return repr(value)


def cell_problem(value: Any, declared: str, not_null: bool) -> str | None:
    """What is wrong with ``value`` in a column declared ``declared`` (None: nothing): "'abc', not a whole number"."""
    if value is None:
        return "empty (NULL)" if not_null else None
    wanted = _WANTED.get(declared)
    if wanted is None:
        return None
    fits = {"INTEGER": isinstance(value, int), "TEXT": isinstance(value, str),
            "REAL": isinstance(value, int | float), "BLOB": isinstance(value, bytes)}[declared]
    return None if fits else f"{shown(value)}, not {wanted}"


def damaged_row(path: Path | None, what: str) -> BadRowError:
    """The error for a damaged row: ``what`` says which, and how ("annotation X has start 'abc', not ...")."""
    where = f"the database {path}" if path is not None else "the database"
    verify = f"annotator verify --db {path}" if path is not None else "annotator verify"
    reason = f"{where} is damaged: {what}"
    return BadRowError(f"{reason}; '{verify}' lists every such row", reason)


_PYTHON = {"INTEGER": (int,), "TEXT": (str,), "REAL": (int, float), "BLOB": (bytes,), "": (object,)}


class CellSpec:
    """The columns of a row as a conversion reads them: (name, declared type, NOT NULL) each."""

    def __init__(self, columns: Sequence[tuple[str, str, bool]]) -> None:
        self.columns = tuple(columns)
        # What isinstance takes per cell: checking a row is one map() (85,000 rows: 0.1 s, not 1.3 s).
        self.types = tuple(_PYTHON[declared] + (() if not_null else (type(None),))
                           for _name, declared, not_null in self.columns)


def checked(row: Sequence[Any], spec: CellSpec, entity: str, path: Path | None, key: int = 1) -> Sequence[Any]:
    """``row`` itself when each cell fits its column; else ``BadRowError`` naming the row and the cell."""
    if all(map(isinstance, row, spec.types)):
        return row
    for value, (name, declared, not_null) in zip(row, spec.columns, strict=True):
        problem = cell_problem(value, declared, not_null)
        if problem is not None:
            raise damaged_row(path, f"{entity} {shown(row[key]) if not isinstance(row[key], str) else row[key]}"
                                    f" has {name} {problem}")
    return row


class Cells(Connection):
    def cell_problems(self) -> list[tuple[str, str, str]]:
        """Every cell of annotator's tables that is not what its column holds, and every reference to a row
        that is gone: (entity, which row, problem in words), table by table. One pass over each table."""
        found: list[tuple[str, str, str]] = []
        version = self.schema_version
        if version == 0:
            return found
        present = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        virtual = [name for name, in self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
        for table, columns in column_types(version).items():
            if table not in present or any(table.startswith(f"{v}_") for v in virtual):
                continue
            found += self._wrong_cells(table, columns)
        found += self._references_gone()
        return found

    def _wrong_cells(self, table: str, columns: Sequence[tuple[str, str, bool]]) -> list[tuple[str, str, str]]:
        checks, kept = [], []
        for name, declared, not_null in columns:
            types = _TYPES.get(declared)
            if types is None and not not_null:
                continue
            allowed = (*(types or ()), *(() if not_null else ("null",)))
            condition = (f'typeof("{name}") NOT IN ({", ".join(repr(t) for t in allowed)})' if types
                         else f'"{name}" IS NULL')
            checks.append(condition)
            kept.append((name, declared, not_null))
        if not checks:
            return []
        names = [c[0] for c in columns]
        key = next((k for k in ("uid", "name", "key") if k in names), None)
        select = ", ".join(f'"{c[0]}"' for c in kept)
        label = f'"{key}"' if key else "NULL"
        found = []
        rows = self._conn.execute(f'SELECT {label}, {select} FROM "{table}" WHERE {" OR ".join(checks)}')
        for row in rows:
            which = row[0] if isinstance(row[0], str) else shown(row[0])
            entity = ENTITIES.get(table, f"row of {table}")
            for value, (name, declared, not_null) in zip(row[1:], kept, strict=True):
                problem = cell_problem(value, declared, not_null)
                if problem is not None:
                    found.append((entity, which if key else "", f"its {name} is {problem}"))
        return found

    def _references_gone(self) -> list[tuple[str, str, str]]:
        """Rows naming a row that is gone (written with foreign keys off): a span whose label or article is gone."""
        found = []
        for table, rowid, parent, fkid in self._conn.execute("PRAGMA foreign_key_check").fetchall():
            columns = [row for row in self._conn.execute(f'PRAGMA foreign_key_list("{table}")') if row[0] == fkid]
            column = columns[0][3] if columns else "?"
            names = [row[1] for row in self._conn.execute(f'PRAGMA table_info("{table}")')]
            key = next((k for k in ("uid", "name", "key") if k in names), None)
            which, value = "", None
            if rowid is not None:
                row = self._conn.execute(f'SELECT {f"{chr(34)}{key}{chr(34)}" if key else "NULL"}, "{column}"'
                                         f' FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
                if row is not None:
                    which, value = (row[0] if isinstance(row[0], str) else shown(row[0])), row[1]
            thing = _REFERENCES.get((table, column), parent)
            found.append((ENTITIES.get(table, f"row of {table}"), which,
                          f"its {thing} ({column} {shown(value)}) is gone: deleted outside annotator"))
        return found


__all__ = ["ENTITIES", "BadRowError", "CellSpec", "Cells", "cell_problem", "checked", "damaged_row", "shown"]
