"""What every format reader yields and every writer consumes.

Readers turn a file into ``RecordIn`` (an article with its spans, offsets as
the file gave them, against the raw text) and ``Problem`` (a place and a
reason). Writers take the store's export records: dicts in the native JSONL
shape (see ``Store.export_records``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import ImportFileError
from ..text import Decoded, decode

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """Something that could not be imported (or a remark), with where it is."""

    place: str
    reason: str
    # False for a remark that rejects nothing (say, a guessed encoding).
    rejected: bool = True

    def __str__(self) -> str:
        return f"{self.place}: {self.reason}"


@dataclass
class SpanIn:
    start: Any
    end: Any
    label: Any
    place: str
    text: str | None = None
    uid: str | None = None
    annotator: str | None = None
    note: str = ""
    status: str = "pending"
    created_at: str | None = None
    updated_at: str | None = None


@dataclass
class RecordIn:
    text: str
    place: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    uid: str | None = None
    origin: str | None = None
    spans: list[SpanIn] = field(default_factory=list)
    # Spans whose offsets count UTF-16 units rather than code points may be
    # read either way; readers of such formats set this (see the importer).
    utf16_fallback: bool = False


@dataclass(frozen=True)
class ReadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES


ReadItem = RecordIn | Problem
Reader = Callable[[Path, ReadOptions], Iterator[ReadItem]]
Writer = Callable[[Iterable[dict[str, Any]], IO[bytes]], "list[str] | None"]
"""Writes export records to a binary stream; returns warnings (what the format could not keep)."""


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None
    # What the written file is called by default, given the export's stem.
    suffix: str = ""


def read_limited(path: Path, options: ReadOptions) -> bytes:
    """A whole file's bytes, refusing files over the size limit before reading them."""
    size = path.stat().st_size
    if size > options.max_bytes:
        raise ImportFileError(
            f"too large ({size / 1048576:.1f} MB; the limit is {options.max_bytes / 1048576:.0f} MB, see --max-size)"
        )
    return path.read_bytes()


def read_text_file(path: Path, options: ReadOptions) -> Decoded:
    return decode(read_limited(path, options))


def optional_str(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None
