"""The interchange formats, one module each, and the registry the CLI and GUI list."""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError
from . import brat, claimreview, claims, conll, csv, doccano, html, jsonl, label_studio, parquet, spacy, text, webanno
from .base import DEFAULT_MAX_BYTES, ClaimIn, Format, Problem, ReadOptions, RecordIn, SpanIn

FORMATS: dict[str, Format] = {f.name: f for f in (
    jsonl.FORMAT, csv.FORMAT, text.FORMAT, html.FORMAT, doccano.FORMAT, label_studio.FORMAT, brat.FORMAT,
    webanno.FORMAT, spacy.FORMAT, conll.FORMAT, parquet.FORMAT, claims.FORMAT, claimreview.FORMAT,
)}


def get(name: str) -> Format:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise FormatError(f"unknown format {name!r} (formats: {', '.join(FORMATS)})") from None


def export_formats() -> list[Format]:
    return [f for f in FORMATS.values() if f.can_write]


def import_formats() -> list[Format]:
    return [f for f in FORMATS.values() if f.read is not None]


def for_path(path: Path) -> Format | None:
    """The format that reads this file: by its extension, and by its content where formats share one.

    Of the formats sharing an extension, the first whose ``detect`` accepts
    the file wins; the one without ``detect`` (the native format) is the
    fallback, so an unrecognised ``.json`` is read, and reported, as native.
    """
    suffix = path.suffix.lower()
    candidates = [fmt for fmt in import_formats() if suffix in fmt.extensions]
    if len(candidates) > 1:
        for fmt in candidates:
            if fmt.detect is not None and _detects(fmt, path):
                return fmt
        candidates = [fmt for fmt in candidates if fmt.detect is None] or candidates
    return candidates[0] if candidates else None


def _detects(fmt: Format, path: Path) -> bool:
    assert fmt.detect is not None
    try:
        return fmt.detect(path)
    except OSError:
        # Unreadable here; the reader reports it properly.
        return False


__all__ = [
    "DEFAULT_MAX_BYTES", "FORMATS", "ClaimIn", "Format", "Problem", "ReadOptions", "RecordIn", "SpanIn",
    "export_formats", "for_path", "get", "import_formats",
]
