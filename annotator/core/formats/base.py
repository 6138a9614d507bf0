"""What every format reader yields and every writer consumes.

Readers turn a file into ``RecordIn`` (an article with its spans, offsets as
the file gave them, against the raw text) and ``Problem`` (a place and a
reason). Writers take the store's export records: dicts in the native JSONL
shape (see ``Store.export_records``).
"""

from __future__ import annotations

import codecs
import importlib.util
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from ..errors import FormatError, ImportFileError
from ..text import Decoded, decode

if TYPE_CHECKING:
    from ..exporter import ExportFilter
    from ..store import Store

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# An article's metadata besides its text and uid, and a span's besides its
# offsets, label and text: what a format with room for them carries.
ARTICLE_FIELDS = ("title", "source", "url", "published")
SPAN_FIELDS = ("uid", "annotator", "status", "note", "created_at", "updated_at")


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
    # The claims this span is linked to, as the file gave them ({"claim", "role", ...}).
    links: list[Any] = field(default_factory=list)
    # A model's confidence, where the format has one (Label Studio predictions, a native or doccano
    # ``score``): read only by an import of suggestions (annotator import --as-suggestions).
    score: Any = None


@dataclass
class ClaimIn:
    """A claim read from a file (the native JSONL's claim lines); its links travel with the spans."""

    values: dict[str, Any]
    place: str


@dataclass
class GuidelinesIn:
    """The label set and guidelines a file declares (the native JSONL's first line; label_set_file.py)."""

    values: dict[str, Any]
    place: str


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
    # Also read what a format keeps apart as a model's predictions (Label Studio's ``predictions``):
    # an import of suggestions takes them; an import of annotations reports and skips them.
    predictions: bool = False


ReadItem = RecordIn | ClaimIn | GuidelinesIn | Problem
Reader = Callable[[Path, ReadOptions], Iterator[ReadItem]]
RecordReader = Callable[[Any, str, str], Iterator[ReadItem]]
"""Turns one parsed JSON value, its place and the file's name into records and problems."""
class Warnings(list[str]):
    """What a writer could not keep, said as warnings, and how many spans it left out altogether."""

    def __init__(self, warnings: Iterable[str] = (), *, spans_left_out: int = 0) -> None:
        super().__init__(warnings)
        self.spans_left_out = spans_left_out


Writer = Callable[[Iterable[dict[str, Any]], IO[bytes]], "list[str] | None"]
"""Writes export records to a binary stream; returns warnings (what the format could not keep)."""
PathWriter = Callable[[Iterable[dict[str, Any]], Path], "list[str] | None"]
"""Writes export records as more than one file at a path, atomically; returns warnings."""


@dataclass
class ClaimsWritten:
    """What a claims format wrote: claims, rows (lines or objects), and what it could not keep."""

    claims: int = 0
    rows: int = 0
    warnings: list[str] = field(default_factory=list)


ClaimsWriter = Callable[["Store", "ExportFilter", IO[bytes]], ClaimsWritten]
"""Writes a dataset made of claims (not of articles) from the store to a binary stream."""


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None
    # What the written file is called by default, given the export's stem.
    suffix: str = ""
    # Formats sharing an extension (.json, .jsonl) tell their files apart by
    # content: True when the file at this path looks like this format.
    detect: Callable[[Path], bool] | None = None
    # Files this file's reader reads too (brat's .txt beside its .ann), so a
    # folder walk does not import them a second time on their own.
    companions: Callable[[Path], list[Path]] | None = None
    # Formats made of several files (a brat folder, Parquet's two tables)
    # write them at a path; used for a path unless it ends in ``suffix`` and
    # ``write`` exists.
    write_path: PathWriter | None = None
    # The optional extra a format needs ("spacy", "parquet") and the module
    # that extra installs: a GUI can grey the format out when it is missing.
    extra: str | None = None
    needs: str | None = None
    # Writes bytes that are not text (a DocBin, a zip): never to a terminal.
    binary: bool = False
    # A dataset made of claims rather than articles (ClaimReview, the stance dataset).
    write_claims: ClaimsWriter | None = None
    # Writes claims and links along with the articles (the native JSONL); every
    # other format says in a warning that it left them out.
    carries_claims: bool = False

    @property
    def can_write(self) -> bool:
        return self.write is not None or self.write_path is not None or self.write_claims is not None

    @property
    def available(self) -> bool:
        """Whether the module this format needs is installed (without importing it)."""
        return self.needs is None or importlib.util.find_spec(self.needs) is not None


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


def encoding_remark(place: str, decoded: Decoded, *, of: str = "") -> Iterator[Problem]:
    """A remark, rejecting nothing, when the text's encoding had to be guessed: the user should look at it."""
    if decoded.guessed:
        subject = f"{of} not UTF-8" if of else "not UTF-8"
        yield Problem(place, f"{subject}; decoded as {decoded.encoding} (a guess)", rejected=False)


def load_json(path: Path, options: ReadOptions) -> Any:
    """A whole JSON file, parsed; a file that is not JSON is refused as a whole."""
    decoded = read_text_file(path, options)
    try:
        return orjson.loads(decoded.text)
    except orjson.JSONDecodeError as exc:
        raise ImportFileError(f"not valid JSON ({exc})") from exc


def read_json_lines(path: Path, options: ReadOptions, record: RecordReader) -> Iterator[ReadItem]:
    """A JSON-lines file a line at a time, each value through ``record``.

    A line too large or not JSON is reported and skipped, so one bad line
    costs one article, not the file.
    """
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if lineno == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            place = f"{path}:{lineno}"
            if len(line) > options.max_bytes * 2:
                yield Problem(place, f"line too large ({len(line) / 1048576:.1f} MB)")
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Problem(place, f"not valid JSON ({exc})")
                continue
            yield from record(value, place, path.name)


def json_prefix(path: Path, limit: int = 1 << 20) -> str:
    """The start of a JSON file as text, for telling formats apart by their keys."""
    with path.open("rb") as fh:
        head = fh.read(limit)
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")


def has_json_key(head: str, key: str) -> bool:
    """Whether ``"key":`` appears as an object key in a JSON text.

    Inside a JSON string a quote is always escaped, so a quote right after
    ``{`` or ``,`` (whitespace aside) can only open a key: text that merely
    mentions the word never matches.
    """
    return re.search(r'[{,]\s*"' + re.escape(key) + r'"\s*:', head) is not None


def missing_extra(format_name: str, extra: str, module: str) -> FormatError:
    return FormatError(
        f"the {format_name} format needs {module}, which is not installed "
        f"(pip install 'annotator[{extra}]')"
    )


def article_fields(values: Mapping[str, Any]) -> dict[str, str | None]:
    """An article's title, source, url and published date from a mapping that may lack any of them."""
    return {key: optional_str(values.get(key)) for key in ARTICLE_FIELDS}


def span_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """A span's annotator, review status, note and times from a mapping that may lack any of them.

    The uid is left out: formats carry it in places of their own.
    """
    return {
        "annotator": optional_str(values.get("annotator")),
        "status": values.get("status") or "pending",
        "note": values.get("note") or "",
        "created_at": optional_str(values.get("created_at")),
        "updated_at": optional_str(values.get("updated_at")),
    }


def spaceless_name(label: str, renamed: dict[str, str]) -> str:
    """``label`` with each run of whitespace as ``_``, for names that cannot hold spaces (brat types, BIO tags).

    A label that had to change is noted in ``renamed``, for the writer's warning.
    """
    name = re.sub(r"\s+", "_", label.strip())
    if name != label:
        renamed[label] = name
    return name


def renamed_labels(renamed: dict[str, str]) -> str:
    """What ``spaceless_name`` changed, said for a warning."""
    return "labels written as " + ", ".join(f"{a!r} as {b!r}" for a, b in sorted(renamed.items()))


def uuid_or_none(value: Any) -> str | None:
    """The UUID in ``value`` (bare or as a ``urn:uuid:`` IRI) in canonical form, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value.lower().startswith("urn:uuid:"):
        value = value[9:]
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def optional_str(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None
