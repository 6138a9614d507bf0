"""Plain text and Markdown: one file, one article, titled by its first line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .base import Format, Problem, ReadItem, ReadOptions, RecordIn, read_text_file


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    decoded = read_text_file(path, options)
    if decoded.guessed:
        yield Problem(str(path), f"not UTF-8; decoded as {decoded.encoding} (a guess)", rejected=False)
    yield RecordIn(text=decoded.text, place=str(path), origin=path.name)


FORMAT = Format(
    name="text",
    description="plain text or Markdown, one article per file",
    extensions=(".txt", ".md", ".markdown", ".text"),
    read=read,
)
