"""What every format reader yields and every writer consumes.

Readers turn a file into ``RecordIn`` (an article with its spans, offsets as
the file gave them, against the raw text) and ``Problem`` (a place and a
reason). Writers take the store's export records: dicts in the native JSONL
shape (see ``Store.export_records``).
"""

from __future__ import annotations

import codecs
import importlib.util
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

import orjson

from ..errors import FormatError, ImportFileError
from ..hints import ENCODING_IF_OTHER, MAX_SIZE
from ..model import label_key
from ..text import Decoded, check_encoding, decode
from ..words import file_size

if TYPE_CHECKING:
    from ..export_check import LeftOut
    from ..exporter import ExportFilter
    from ..store import Store

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# An article's metadata besides its text and uid, and a span's besides its
# offsets, label and text: what a format with room for them carries.
ARTICLE_FIELDS = ("title", "source", "url", "published")
SPAN_FIELDS = ("uid", "annotator", "status", "note", "created_at", "updated_at", "reviewer", "reviewed_at",
               "review_note")


@dataclass(frozen=True)
class Problem:
    """Something that could not be imported (or a remark), with where it is."""

    place: str
    reason: str
    # False for a remark that rejects nothing (say, a guessed encoding).
    rejected: bool = True

    def __str__(self) -> str:
        return f"{self.place}: {self.reason}"


@dataclass(slots=True)
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
    # The review: who gave the verdict (``status``), when, and why (a rejection's reason).
    reviewer: str | None = None
    reviewed_at: str | None = None
    review_note: str = ""
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
    # How many spans this record may hold (``ReadOptions.span_limit``); the
    # ones past it are counted, not kept, and reported by the importer.
    span_limit: int | None = None
    spans_dropped: int = 0

    def add_span(self, span: SpanIn) -> None:
        """Keep ``span``, unless the record holds as many as it may: then only count it."""
        if self.span_limit is not None and len(self.spans) >= self.span_limit:
            self.spans_dropped += 1
        else:
            self.spans.append(span)


# What one span read from a file costs in memory, with its place and label,
# counted against the size limit: an article may carry one span per this many
# bytes of the limit (81,920 at the default 20 MB).
SPAN_COST = 256
# What a JSON object or list costs in memory (a dict is 64 bytes empty), and
# any JSON value (a pointer and a small object): a file may hold one per
# this many bytes of the limit. Real files stay far below both.
JSON_CONTAINER_COST = 32
JSON_VALUE_COST = 8
# Problems listed per file: a file of a million bad lines is one problem
# many times over, and listing it must not cost more than reading it.
LISTED_PROBLEMS = 100


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may hold: ``max_bytes`` of a file, decompressed, and what follows from it."""

    max_bytes: int = DEFAULT_MAX_BYTES
    # Also read what a format keeps apart as a model's predictions (Label Studio's ``predictions``):
    # an import of suggestions takes them; an import of annotations reports and skips them.
    predictions: bool = False
    # The folder being imported, resolved, when the file was found in it: a
    # reader that opens files beside it (brat's .txt, Parquet's articles)
    # must not be led out of it by a link.
    root: Path | None = None
    # The encoding the user named for every file (``text.check_encoding``), instead of the byte order mark,
    # UTF-8 or a guess.
    encoding: str | None = None
    # Where a refusal over the limit sends the user ("" when the limit cannot be changed).
    limit_hint: str = MAX_SIZE.cli

    @property
    def span_limit(self) -> int:
        return max(1000, self.max_bytes // SPAN_COST)

    def too_large(self, size: float, what: str = "") -> ImportFileError:
        """The error for ``size`` bytes when at most ``max_bytes`` may be read."""
        subject = f"{what} too large" if what else "too large"
        hint = f", {self.limit_hint}" if self.limit_hint else ""
        return ImportFileError(f"{subject} ({file_size(size)}; the limit is {file_size(self.max_bytes)}{hint})")




class ShapeError(ImportFileError):
    """A value of a type the format does not allow there (a number where a list belongs...)."""


def kind(value: Any) -> str:
    """What a parsed value is, in JSON's words, for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def as_list(value: Any, what: str) -> list[Any]:
    """``value`` when it is a list (None and absent count as empty); else ShapeError naming ``what``."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    raise ShapeError(f"{what} is {kind(value)}, not a list")


def ignored_list(value: Any, what: str, place: str) -> tuple[list[Any], list[Problem]]:
    """A list the reader only reports (relations, comments, predictions); any other type is a remark, not a stop."""
    try:
        return as_list(value, what), []
    except ShapeError as exc:
        return [], [Problem(place, f"{exc}; ignored", rejected=False)]


def as_dict(value: Any, what: str) -> dict[Any, Any]:
    """``value`` when it is an object (None counts as empty); else ShapeError naming ``what``."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise ShapeError(f"{what} is {kind(value)}, not an object")


def guarded(place: str, items: Iterator[ReadItem]) -> Iterator[ReadItem]:
    """The items of one record; a wrong-typed value inside becomes a problem at ``place`` and the file goes on."""
    try:
        yield from items
    except ShapeError as exc:
        yield Problem(place, str(exc))


ReadItem = RecordIn | ClaimIn | GuidelinesIn | Problem
Reader = Callable[[Path, ReadOptions], Iterator[ReadItem]]
RecordReader = Callable[[Any, str, str, "ReadOptions"], Iterator[ReadItem]]
"""Turns one parsed JSON value, its place, the file's name and the read options into records and problems."""


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
    damaged: LeftOut = field(default_factory=lambda: _left_out())
    """Rows left out because the database holds their span damaged (``export_check``)."""


def _left_out() -> LeftOut:
    from ..export_check import LeftOut  # the formats load without the store

    return LeftOut()


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
    # Writes each span's review status, so a reader can tell a rejected span from a good one.
    # A format that cannot (brat, CoNLL, Label Studio) leaves rejected spans out unless asked
    # for them (exporter.as_written): a rejected span written as B-claim is a wrong example.
    carries_status: bool = False
    # Writes one row per span and nothing else of an article: an article with no matching span leaves no
    # trace, so "include articles with no matching span" (ExportFilter.all_articles) changes nothing.
    one_row_per_span: bool = False

    @property
    def keeps_empty_articles(self) -> bool:
        """Whether it can write an article with no matching span (the export dialog offers that only then)."""
        return self.write_claims is None and not self.one_row_per_span

    @property
    def can_write(self) -> bool:
        return self.write is not None or self.write_path is not None or self.write_claims is not None

    @property
    def available(self) -> bool:
        """Whether the module this format needs is installed (without importing it)."""
        return self.needs is None or importlib.util.find_spec(self.needs) is not None


def check_inside(path: Path, options: ReadOptions) -> None:
    """Raise ImportFileError if ``path`` leads out of the folder being imported (through a link)."""
    if options.root is None:
        return
    target = Path(os.path.realpath(path))
    if target != options.root and options.root not in target.parents:
        raise ImportFileError(f"{path.name} is a link to {target}, outside the folder being imported; not followed")


def read_limited(path: Path, options: ReadOptions) -> bytes:
    """A whole file's bytes, refusing files over the size limit (or outside the folder) before reading them.

    Read with a bound too: a file may grow after its size was asked, and
    some report none (``/proc``).
    """
    check_inside(path, options)
    size = path.stat().st_size
    if size > options.max_bytes:
        raise options.too_large(size)
    with path.open("rb") as fh:
        data = fh.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        hint = f" ({options.limit_hint})" if options.limit_hint else ""
        raise ImportFileError(f"it grew past the limit of {file_size(options.max_bytes)} while being read{hint}")
    return data


def read_named_file(path: Path, options: ReadOptions) -> Decoded:
    """A text file a person named, read by the import's rules: a regular file, within the limit, decoded as any.

    A FIFO or a device (``/dev/zero``) would block or never end: refused by
    its type before it is opened, and read with a bound all the same.
    """
    if path.is_dir():
        raise ImportFileError("a folder, not a file")
    if not path.exists():
        raise ImportFileError("a dangling link" if path.is_symlink() else "no such file")
    if not path.is_file():
        raise ImportFileError("not a regular file (a FIFO, socket or device)")
    return read_text_file(path, options)


def read_text_file(path: Path, options: ReadOptions) -> Decoded:
    return decode(read_limited(path, options), options.encoding)


def encoding_remark(place: str, decoded: Decoded, *, of: str = "") -> Iterator[Problem]:
    """A remark, rejecting nothing, when the text's encoding had to be guessed: the user should look at it."""
    if decoded.guessed:
        subject = f"{of} not UTF-8" if of else "not UTF-8"
        yield Problem(place, f"{subject}; decoded as {decoded.encoding} (a guess)", rejected=False)


def parse_json(data: bytes | str, options: ReadOptions) -> Any:
    """Parse JSON no larger than the limit, refusing before it what would take far more memory than its size.

    Parsed, ``[{},{},...]`` takes 70 bytes per 3 on disk; counting brackets
    and commas first (quotes included: an over-count only errs on the safe
    side) bounds the objects and values the parse can make.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > options.max_bytes * 2:
        raise options.too_large(len(raw))
    containers = raw.count(b"{") + raw.count(b"[")
    if containers > max(1024, options.max_bytes // JSON_CONTAINER_COST):
        raise ImportFileError(f"{containers:,} JSON objects and lists: more than this size limit allows "
                              f"(one per {JSON_CONTAINER_COST} bytes of it, {MAX_SIZE.cli})")
    values = raw.count(b",")
    if values > max(4096, options.max_bytes // JSON_VALUE_COST):
        raise ImportFileError(f"{values:,} JSON values: more than this size limit allows "
                              f"(one per {JSON_VALUE_COST} bytes of it, {MAX_SIZE.cli})")
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        bad = next((i for i, ch in enumerate(raw.decode("utf-8", "surrogateescape")) if "\udc80" <= ch <= "\udcff"),
                   None) if "not valid UTF-8" in str(exc) else None
        if bad is not None:
            raise ImportFileError(f"not UTF-8, which JSON is (character {bad + 1} is a byte that is not); "
                                  f"{ENCODING_IF_OTHER.cli}") from None
        raise ImportFileError(f"not valid JSON ({exc})") from exc
    if isinstance(value, (dict, list)):
        _refuse_twice_given_keys(raw, value)
    return value


# Where a key ends: its closing quote and a colon. Inside a string a quote is always escaped, so
# text can only add ``\":`` (a false alarm, which costs only the exact check below).
_KEY_END = re.compile(rb'"[ \t\r\n]*:')


def _refuse_twice_given_keys(raw: bytes, value: Any) -> None:
    """ImportFileError for an object giving one key twice (``{"text": "a", "text": "b"}``).

    A parser keeps the last silently; the file means one of them, and which
    is unknown. Re-serialised, the parsed value holds each key once: fewer
    key ends there than in the file is the sign (a cheap count, 1-2 ms a MB);
    only then is the file parsed again, slowly, to name the key.
    """
    if len(_KEY_END.findall(raw)) <= orjson.dumps(value).count(b'":'):
        return
    import json

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                shown = key if len(key) <= 40 else key[:39] + "…"
                raise ImportFileError(f"the key {shown!r} is given twice in one object; which one is meant is"
                                      " unknown")
            seen.add(key)
        return dict(items)

    json.loads(raw, object_pairs_hook=pairs)


def load_json(path: Path, options: ReadOptions) -> Any:
    """A whole JSON file, parsed; a file that is not JSON is refused as a whole."""
    return parse_json(read_text_file(path, options).text, options)


class Line(NamedTuple):
    """A line of a binary file (``bounded_lines``): its number, its bytes, or None when too long to hold."""

    number: int
    data: bytes | None
    length: int
    # False for a line too long to hold whose end was not looked for (``bounded_lines``' ``skip``).
    ended: bool = True


def bounded_lines(fh: IO[bytes], limit: int, skip: int | None = None) -> Iterator[Line]:
    """The lines of a binary file; a line over ``limit`` bytes comes without its bytes, never held.

    ``for line in fh`` would hold a 400 MB line whole before anyone could
    look at its length. The rest of a line too long is read past, a piece
    at a time, to reach the next line: for at most ``skip`` more bytes, when
    given. Past them the line comes with ``ended`` False and the lines stop:
    finding the end of a 10 GB line took 41 s.
    """
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) <= limit or line.endswith(b"\n"):
            yield Line(lineno, line, len(line))
            continue
        length = len(line)
        while not line.endswith(b"\n"):  # skip the rest of the line a piece at a time
            if skip is not None and length - (limit + 1) >= skip:
                yield Line(lineno, None, length, ended=False)
                return
            piece = 1 << 20 if skip is None else min(1 << 20, skip - (length - (limit + 1)))
            line = fh.readline(piece)
            if not line:
                break
            length += len(line)
        yield Line(lineno, None, length)


def read_json_lines(path: Path, options: ReadOptions, record: RecordReader) -> Iterator[ReadItem]:
    """A JSON-lines file a line at a time, each value through ``record``.

    A line too large or not JSON is reported and skipped, so one bad line
    costs one article, not the file.
    """
    # A line carries an article's text and its spans (which repeat their
    # words): it may be twice the limit.
    encoding = _line_encoding(options.encoding)
    with path.open("rb") as fh:
        wide = _wide_bom(fh.read(4))
        if wide:
            # Said once for the file: line by line it was "not UTF-8" twice over, then a stray line.
            raise ImportFileError(f"it is {wide} (its byte order mark says so), and JSON lines are UTF-8:"
                                  f" convert it first (iconv -f {wide.upper()} -t UTF-8)")
        fh.seek(0)
        for lineno, line, length, ended in bounded_lines(fh, options.max_bytes * 2, skip=options.max_bytes * 2):
            place = f"{path}:{lineno}"
            if line is None:
                seen = file_size(length) if ended else f"over {file_size(length)}"
                rest = "" if ended else "; the rest of the file was not read (this line goes on past the point where"\
                                        " a next line is looked for)"
                yield Problem(place, f"line too large ({seen}; a line may be twice the limit of "
                                     f"{file_size(options.max_bytes)}, {MAX_SIZE.cli}){rest}")
                continue
            if lineno == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            try:
                value = parse_json(line if encoding is None else decode(line, encoding).text, options)
            except ImportFileError as exc:
                yield Problem(place, str(exc))
                continue
            yield from guarded(place, record(value, place, path.name, options))


def _wide_bom(head: bytes) -> str:
    """The UTF-16 or UTF-32 a byte order mark at ``head`` announces, or ""."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return name
    return ""


def _line_encoding(encoding: str | None) -> str | None:
    """The encoding to decode each line of a JSON-lines file with (None: the UTF-8 JSON requires).

    Lines are cut at the byte 0x0A before they are decoded, which only an
    encoding that writes ASCII as ASCII allows (not UTF-16 or UTF-32).
    """
    if encoding is None:
        return None
    name = check_encoding(encoding)
    if "\n".encode(name) != b"\n":
        raise ImportFileError(f"a JSON-lines file is read a line at a time, which {encoding} does not allow:"
                              f" convert it to UTF-8 first (iconv -f {encoding} -t UTF-8)")
    return None if name in ("utf-8", "utf-8-sig") else name


def json_prefix(path: Path, limit: int = 1 << 20) -> str:
    """The start of a JSON file as text, for telling formats apart by their keys."""
    with path.open("rb") as fh:
        head = fh.read(limit)
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")


def first_line_keys(path: Path, keys: Iterable[str], chunk: int = 1 << 20, give_up: int = 256 << 20) -> set[str]:
    """Which of ``keys`` appear as object keys in the first non-empty line, read a piece at a time.

    For telling JSON-lines formats apart: a first line of any length is
    scanned without being held (pieces overlap so a key on a boundary is
    seen), up to ``give_up`` bytes.
    """
    wanted = set(keys)
    # Keys are ASCII: sought in the bytes, the pieces are never decoded (decoding each
    # megabyte made a 10 GB line's first 256 MB take 6.4 s; this, a fraction of a second).
    key = re.compile(rb'[{,]\s*"(' + b"|".join(re.escape(k.encode()) for k in sorted(wanted)) + rb')"\s*:')
    found: set[str] = set()
    tail = b""
    read = 0
    started = False
    with path.open("rb") as fh:
        while read < give_up and found != wanted:
            piece = fh.read(chunk)
            if not piece:
                break
            read += len(piece)
            if not started:
                piece = (piece.removeprefix(codecs.BOM_UTF8) if read == len(piece) else piece).lstrip()
                started = bool(piece)
            end = piece.find(b"\n")
            window = tail + (piece if end < 0 else piece[:end])
            found |= {m.group(1).decode() for m in key.finditer(window)}
            if end >= 0 and started:
                break
            tail = piece[-256:]
    return found


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
    """An article's title, source, url and published date from a mapping that may lack any of them.

    ShapeError when one is there but is not text (or a number).
    """
    return {key: optional_str(values.get(key), key) for key in ARTICLE_FIELDS}


def span_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """A span's annotator, review (status, reviewer, time, reason), note and times from a mapping that may lack any.

    The uid is left out: formats carry it in places of their own. ShapeError
    when one is there but is not text.
    """
    note, review_note = values.get("note"), values.get("review_note")
    return {
        "annotator": optional_str(values.get("annotator"), "annotator"),
        "status": optional_str(values.get("status"), "status") or "pending",
        "note": "" if note is None else text_value(note, "note"),
        "created_at": optional_str(values.get("created_at"), "created_at"),
        "updated_at": optional_str(values.get("updated_at"), "updated_at"),
        "reviewer": optional_str(values.get("reviewer"), "reviewer"),
        "reviewed_at": optional_str(values.get("reviewed_at"), "reviewed_at"),
        "review_note": "" if review_note is None else text_value(review_note, "review_note"),
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
    """What ``spaceless_name`` changed, said for a warning (an import reads them back: ``spaced_name``)."""
    return "; ".join(f"label {a!r} written as {b!r}" for a, b in sorted(renamed.items())) + \
        " (an import into a database with that label reads it back)"


def spaced_name(name: str, labels: Iterable[str]) -> str | None:
    """The one label of ``labels`` that ``spaceless_name`` writes as ``name`` ("half true" for "half_true"), or None."""
    if "_" not in name:
        return None
    found = {label for label in labels if label_key(re.sub(r"\s+", "_", label.strip())) == label_key(name)}
    return found.pop() if len(found) == 1 else None


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


def text_value(value: Any, what: str) -> str:
    """``value`` as text: text as it is, a number written out; ShapeError for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ShapeError(f"{what!r} is {kind(value)}, not a string")


def optional_str(value: Any, what: str = "a field") -> str | None:
    """Text without surrounding whitespace, None for nothing; ShapeError for a list, an object or true/false."""
    if value is None:
        return None
    return text_value(value, what).strip() or None
