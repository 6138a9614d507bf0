"""CSV: read articles (a ``text`` column), write one row per span.

Written files are RFC 4180 (CRLF rows, quotes doubled, multi-line cells
quoted), UTF-8 without a BOM (pandas and csv readers would keep it in the
first column's name), and every text cell that starts like a formula is
prefixed with ``'`` (``safe_row``: the one rule for every CSV the app writes).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import ImportFileError
from ..hints import MAX_SIZE
from ..words import count
from .base import (
    JSON_VALUE_COST,
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    encoding_remark,
    optional_str,
    read_text_file,
)

COLUMNS = ("article_id", "title", "source", "start", "end", "label", "text", "annotator", "status", "note", "uid")
_FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))
_METADATA = ("title", "source", "url", "published", "uid")
MAX_COLUMNS = 1000


def safe_row(cells: Iterable[Any]) -> list[Any]:
    """The row with every text cell that starts like a formula prefixed with ``'`` (CSV injection).

    Every CSV the app writes passes each row through here, so that no column
    (a uid or an annotator's name comes from imported files too) is left out.
    One comprehension rather than a call per cell: it runs for every cell of
    every span exported.
    """
    return ["'" + cell if isinstance(cell, str) and cell[:1] in _FORMULA_STARTS else cell for cell in cells]


def write(records: Iterable[dict[str, Any]], out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(safe_row(COLUMNS))
        for record in records:
            aid, title, source = record["id"], record["title"], record["source"] or ""
            writer.writerows(
                safe_row((aid, title, source, s["start"], s["end"], s["label"], s["text"], s["annotator"],
                          s["status"], s["note"], s["uid"]))
                for s in record["spans"]
            )
        text.flush()
    finally:
        text.detach()


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    decoded = read_text_file(path, options)
    yield from encoding_remark(str(path), decoded)
    # A cell of two letters is a 50-byte string: bound the cells (by the commas, quoted ones included, which
    # only errs on the safe side) before the reader makes them.
    commas = decoded.text.count(",")
    if commas > max(4096, options.max_bytes // JSON_VALUE_COST):
        raise ImportFileError(f"{commas:,} commas: more cells than this size limit allows "
                              f"(one per {JSON_VALUE_COST} bytes of it, {MAX_SIZE.cli})")
    csv.field_size_limit(min(sys.maxsize, options.max_bytes * 4))
    source = io.StringIO(decoded.text, newline="")
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("empty CSV file") from None
    except csv.Error as exc:
        raise ImportFileError(f"not valid CSV ({exc})") from exc
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(f"{len(header):,} columns; a CSV of articles has a few (at most {MAX_COLUMNS} are read)")
    columns = _columns(header)
    if {"start", "end", "label", "article_id"} <= columns.keys():
        raise ImportFileError(
            "this is a span export (one row per span), not articles; import the JSONL export instead"
        )
    line = reader.line_num + 1
    while True:
        place = f"{path}:{line}"
        start = source.tell()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Problem(place, f"not valid CSV ({exc}); the rest of the file was not read")
            break
        if source.tell() >= len(decoded.text) and _unclosed(decoded.text[start:]):
            lines = reader.line_num - line + 1
            yield Problem(place, f"a quote opened on line {line} is never closed, so the rest of the file"
                                 f" ({count(lines, 'line')}) reads as one cell; not imported")
            break
        line = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Problem(place, f"{count(len(row), 'cell')} where the header has {len(header)}")
            continue
        metadata = {key: optional_str(row[columns[key]]) if key in columns else None for key in _METADATA}
        yield RecordIn(text=row[columns["text"]], place=place, origin=path.name, **metadata)


def _unclosed(row: str) -> bool:
    """Whether the (last) row's text opens a quote it never closes.

    Python's lenient reader takes such a quote to run to the end of the file:
    one cell, no error. Its strict reader says so ("unexpected end of data").
    """
    if '"' not in row:
        return False
    try:
        list(csv.reader(io.StringIO(row, newline=""), strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _columns(header: list[str]) -> dict[str, int]:
    """Where each column is, by its name; ImportFileError with no ``text`` column, or a column read given twice."""
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().casefold()
        if key in columns and key in ("text", *_METADATA):
            raise ImportFileError(f"the column {key!r} is given twice (columns {columns[key] + 1} and {i + 1});"
                                  " which one is meant is unknown")
        columns.setdefault(key, i)
    if "text" not in columns:
        hint = next((f"; it looks separated by {sep!r}, and annotator reads comma-separated CSV (save it with"
                     " commas)" for sep in (";", "\t", "|")
                     if len(header) == 1 and "text" in (c.strip().casefold() for c in header[0].split(sep))), "")
        raise ImportFileError(f"no 'text' column (columns: {', '.join(header)}){hint}")
    return columns


FORMAT = Format(
    name="csv",
    description="CSV: one row per span on export; articles from a 'text' column on import",
    extensions=(".csv",),
    read=read,
    write=write,
    suffix=".csv",
    carries_status=True,
    one_row_per_span=True,
)
