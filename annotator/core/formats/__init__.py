"""The interchange formats, one module each, and the registry the CLI and GUI list."""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from . import csv, jsonl, text
from .base import DEFAULT_MAX_BYTES, Format, Problem, ReadOptions, RecordIn, SpanIn

FORMATS: dict[str, Format] = {f.name: f for f in (jsonl.FORMAT, csv.FORMAT, text.FORMAT)}


def get(name: str) -> Format:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise FormatError(f"unknown format {name!r} (formats: {', '.join(FORMATS)})") from None


def export_formats() -> list[Format]:
    return [f for f in FORMATS.values() if f.write is not None]


def import_formats() -> list[Format]:
    return [f for f in FORMATS.values() if f.read is not None]


def for_path(path: Path) -> Format | None:
    """The format that reads files with this name's extension, if any."""
    suffix = path.suffix.lower()
    for fmt in import_formats():
        if suffix in fmt.extensions:
            return fmt
    return None


__all__ = [
    "DEFAULT_MAX_BYTES", "FORMATS", "Format", "Problem", "ReadOptions", "RecordIn", "SpanIn",
    "export_formats", "for_path", "get", "import_formats",
]
