"""Apache Parquet: one row per span, and the articles in a second file beside it.

``--out dataset.parquet`` writes the spans table at ``dataset.parquet`` and
the articles table at ``dataset.articles.parquet``, both at once or neither.
The spans table is what pandas (``read_parquet``) and Hugging Face
``datasets`` (``load_dataset("parquet", data_files=...)``) load directly; its
``article_id`` joins the articles table, which holds the texts (articles with
no span are there too). Every field round-trips, offsets are code points
(Python ``str`` indices, which is what pandas' string slicing uses).
pyarrow is optional (``pip install 'annotator[parquet]'``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..atomic import atomic_outputs
from ..errors import ImportFileError
from .base import (
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    SpanIn,
    article_fields,
    missing_extra,
    optional_str,
    span_fields,
)

ARTICLES_SUFFIX = ".articles.parquet"
SPAN_COLUMNS = ("article_id", "article_uid", "uid", "start", "end", "label", "text", "annotator", "status", "note",
                "created_at", "updated_at")
ARTICLE_COLUMNS = ("id", "uid", "title", "source", "url", "published", "sha256", "text")
_BATCH = 200  # articles per row group: bounded memory, and row groups of a useful size


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise missing_extra("parquet", "parquet", "pyarrow") from None
    return pyarrow, pyarrow.parquet


def articles_path(path: Path) -> Path:
    """Where the articles table of the spans table at ``path`` lives."""
    stem = path.name[: -len(".parquet")] if path.name.lower().endswith(".parquet") else path.name
    return path.with_name(stem + ARTICLES_SUFFIX)


def _schemas(pa: Any) -> tuple[Any, Any]:
    string, int64 = pa.string(), pa.int64()
    spans = pa.schema([
        ("article_id", int64), ("article_uid", string), ("uid", string), ("start", int64), ("end", int64),
        ("label", string), ("text", string), ("annotator", string), ("status", string), ("note", string),
        ("created_at", string), ("updated_at", string),
    ])
    articles = pa.schema([(name, int64 if name == "id" else string) for name in ARTICLE_COLUMNS])
    return spans, articles


def write_path(records: Iterable[dict[str, Any]], path: Path) -> None:
    pa, pq = _pyarrow()
    span_schema, article_schema = _schemas(pa)
    with atomic_outputs([path, articles_path(path)]) as (span_file, article_file):
        with pq.ParquetWriter(span_file, span_schema) as spans_out, \
                pq.ParquetWriter(article_file, article_schema) as articles_out:
            span_cols: dict[str, list[Any]] = {name: [] for name in SPAN_COLUMNS}
            article_cols: dict[str, list[Any]] = {name: [] for name in ARTICLE_COLUMNS}
            pending = 0
            for record in records:
                for name in ARTICLE_COLUMNS:
                    article_cols[name].append(record[name])
                for span in record["spans"]:
                    span_cols["article_id"].append(record["id"])
                    span_cols["article_uid"].append(record["uid"])
                    for name in SPAN_COLUMNS[2:]:
                        span_cols[name].append(span[name])
                pending += 1
                if pending == _BATCH:
                    _flush(pa, spans_out, span_schema, span_cols)
                    _flush(pa, articles_out, article_schema, article_cols)
                    pending = 0
            _flush(pa, spans_out, span_schema, span_cols)
            _flush(pa, articles_out, article_schema, article_cols)


def _flush(pa: Any, writer: Any, schema: Any, columns: dict[str, list[Any]]) -> None:
    if not next(iter(columns.values())):
        return
    writer.write_table(pa.table(columns, schema=schema))
    for values in columns.values():
        values.clear()


def companions(path: Path) -> list[Path]:
    return [] if path.name.lower().endswith(ARTICLES_SUFFIX) else [articles_path(path)]


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    _, pq = _pyarrow()
    if path.name.lower().endswith(ARTICLES_SUFFIX):
        spans_path = path.with_name(path.name[: -len(ARTICLES_SUFFIX)] + ".parquet")
        articles = path
    else:
        spans_path, articles = path, articles_path(path)
    if not articles.is_file():
        raise ImportFileError(f"no {articles.name} beside it: the article texts are in that file")
    article_rows = _rows(pq, articles, ARTICLE_COLUMNS, options)
    span_rows = _rows(pq, spans_path, SPAN_COLUMNS, options) if spans_path.is_file() else []
    records: dict[Any, RecordIn] = {}
    for i, row in enumerate(article_rows):
        place = f"{articles}[{i}]"
        if not isinstance(row["text"], str):
            yield Problem(place, "no text")
            continue
        records[row["id"]] = RecordIn(
            text=row["text"], place=place, origin=spans_path.name, uid=optional_str(row["uid"]),
            **article_fields(row),
        )
    for i, row in enumerate(span_rows):
        place = f"{spans_path}[{i}]"
        record = records.get(row["article_id"])
        if record is None:
            yield Problem(place, f"article_id {row['article_id']} is not in {articles.name}")
            continue
        record.spans.append(SpanIn(
            start=row["start"], end=row["end"], label=row["label"], place=place, text=row["text"],
            uid=optional_str(row["uid"]), **span_fields(row),
        ))
    yield from records.values()


def _rows(pq: Any, path: Path, columns: tuple[str, ...], options: ReadOptions) -> list[dict[str, Any]]:
    size = path.stat().st_size
    if size > options.max_bytes * 4:
        raise ImportFileError(f"{path.name} too large ({size / 1048576:.1f} MB)")
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError... on a damaged file
        raise ImportFileError(f"{path.name} is not a readable Parquet file ({exc})") from exc
    missing = [name for name in columns if name not in table.column_names]
    if missing:
        raise ImportFileError(f"{path.name} lacks the columns {', '.join(missing)}")
    return table.select(list(columns)).to_pylist()


FORMAT = Format(
    name="parquet",
    description="Parquet: one row per span, articles in a .articles.parquet beside it (needs the 'parquet' extra)",
    extensions=(".parquet",),
    read=read,
    write=None,
    suffix=".parquet",
    companions=companions,
    write_path=write_path,
    extra="parquet",
    needs="pyarrow",
    binary=True,
)
