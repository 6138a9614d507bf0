"""Plain text and Markdown: one file, one article, titled by its first line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .base import Format, ReadItem, ReadOptions, RecordIn, encoding_remark, read_text_file


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    decoded = read_text_file(path, options)
    yield from encoding_remark(str(path), decoded)
    # The file's byte order mark goes back in front, for the import's normalisation to drop:
    # it drops one, so a second U+FEFF (the text's own) is kept.
    yield RecordIn(text=decoded.bom + decoded.text, place=str(path), origin=path.name)


FORMAT = Format(
    name="text",
    description="plain text or Markdown, one article per file",
    extensions=(".txt", ".md", ".markdown", ".text"),
    read=read,
)
