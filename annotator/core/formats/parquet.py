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
from ..hints import MAX_SIZE
from ..words import file_size
from .base import (
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    ShapeError,
    SpanIn,
    article_fields,
    check_inside,
    missing_extra,
    optional_str,
    span_fields,
)

ARTICLES_SUFFIX = ".articles.parquet"
SPAN_COLUMNS = ("article_id", "article_uid", "uid", "start", "end", "label", "text", "annotator", "status", "note",
                "created_at", "updated_at", "reviewer", "reviewed_at", "review_note")
# Columns files written before they existed lack: read when present.
_LATER_SPAN_COLUMNS = ("reviewer", "reviewed_at", "review_note")
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
        ("created_at", string), ("updated_at", string), ("reviewer", string), ("reviewed_at", string),
        ("review_note", string),
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


# What a row costs held in memory besides its strings (a dict of its values
# while read, then a span or an article): a pair of files may hold one row
# per this many bytes of the limit (163,840 at 20 MB).
ROW_COST = 128
_BATCH_ROWS = 256
_INTEGER_COLUMNS = ("id", "article_id", "start", "end")


class _Budget:
    """How many bytes, strings and rows counted, both files of the pair may still hold."""

    def __init__(self, options: ReadOptions) -> None:
        self.left = options.max_bytes
        self.options = options

    def spend(self, cost: int, name: str) -> None:
        self.left -= cost
        if self.left < 0:
            raise ImportFileError(f"{name} holds more than the limit of {file_size(self.options.max_bytes)} "
                                  f"once read (its strings, and {ROW_COST} bytes a row; {MAX_SIZE.cli})")


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    _, pq = _pyarrow()
    if path.name.lower().endswith(ARTICLES_SUFFIX):
        spans_path = path.with_name(path.name[: -len(ARTICLES_SUFFIX)] + ".parquet")
        articles = path
    else:
        spans_path, articles = path, articles_path(path)
    if not articles.is_file():
        raise ImportFileError(f"no {articles.name} beside it: the article texts are in that file")
    budget = _Budget(options)
    records: dict[Any, RecordIn] = {}
    for i, row in enumerate(_rows(pq, articles, ARTICLE_COLUMNS, budget)):
        place = f"{articles}[{i}]"
        if not isinstance(row["text"], str):
            yield Problem(place, "no text")
            continue
        if row["id"] is None:
            yield Problem(place, "no id")
            continue
        try:
            records[row["id"]] = RecordIn(
                text=row["text"], place=place, origin=spans_path.name, uid=optional_str(row["uid"], "uid"),
                span_limit=options.span_limit, **article_fields(row),
            )
        except ShapeError as exc:
            yield Problem(place, str(exc))
    span_rows = _rows(pq, spans_path, SPAN_COLUMNS, budget, optional=_LATER_SPAN_COLUMNS) \
        if spans_path.is_file() else iter(())
    for i, row in enumerate(span_rows):
        place = f"{spans_path}[{i}]"
        record = records.get(row["article_id"])
        if record is None:
            yield Problem(place, f"article_id {row['article_id']} is not in {articles.name}")
            continue
        try:
            record.add_span(SpanIn(
                start=row["start"], end=row["end"], label=row["label"], place=place, text=row["text"],
                uid=optional_str(row["uid"], "uid"), **span_fields(row),
            ))
        except ShapeError as exc:
            yield Problem(place, str(exc))
    yield from records.values()


def _rows(pq: Any, path: Path, columns: tuple[str, ...], budget: _Budget,
          optional: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """The rows of one table, a batch at a time, each batch paid for before it becomes Python objects.

    Parquet compresses runs and repeats dictionary entries: 2.6 KB on disk
    can describe gigabytes of rows. The row count is checked against the
    budget before reading, and strings are counted as they will be once
    materialised (a dictionary entry once per row that uses it), kept
    dictionary-encoded until they are paid for.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    options = budget.options
    check_inside(path, options)
    size = path.stat().st_size
    if size > options.max_bytes:
        raise options.too_large(size, path.name)
    try:
        schema = pq.read_schema(path)
        strings = [name for name in columns if name in schema.names and name not in _INTEGER_COLUMNS]
        parquet = pq.ParquetFile(path, read_dictionary=strings)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError... on a damaged file
        raise ImportFileError(f"{path.name} is not a readable Parquet file ({str(exc)[:200]})") from exc
    missing = [name for name in columns if name not in schema.names and name not in optional]
    columns = tuple(name for name in columns if name in schema.names)
    if missing:
        raise ImportFileError(f"{path.name} lacks the columns {', '.join(missing)}")
    for name in columns:
        kind_ = schema.field(name).type
        base = kind_.value_type if pa.types.is_dictionary(kind_) else kind_
        wanted = pa.types.is_integer if name in _INTEGER_COLUMNS else (
            lambda t: pa.types.is_string(t) or pa.types.is_large_string(t))
        if not (wanted(base) or pa.types.is_null(base)):
            raise ImportFileError(f"{path.name}: column {name!r} holds {kind_}, not "
                                  f"{'integers' if name in _INTEGER_COLUMNS else 'strings'}")
    budget.spend(parquet.metadata.num_rows * ROW_COST, path.name)
    try:
        for batch in parquet.iter_batches(batch_size=_BATCH_ROWS, columns=list(columns), use_threads=False):
            cost = 0
            for column in batch.columns:
                if pa.types.is_dictionary(column.type):
                    lengths = pc.take(pc.binary_length(column.dictionary), column.indices)
                    cost += pc.sum(lengths).as_py() or 0
                else:
                    cost += column.nbytes
            budget.spend(cost, path.name)
            yield from batch.to_pylist()
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(f"{path.name} cannot be read ({type(exc).__name__}: {str(exc)[:200]})") from exc


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
    carries_status=True,
)
