"""brat standoff: one ``.txt`` and one ``.ann`` per article, in a folder or a zip.

``T`` lines hold the spans (``T1<TAB>claim 0 42<TAB>text``), ``#`` lines of
type ``AnnotatorNotes`` their notes. brat's server is Python 3 and reads the
``.txt`` as ``str`` with universal newlines, so its offsets are code points
into the text with CRLF and CR read as LF (and a UTF-8 BOM, which it keeps,
counted as one character): the reader rebuilds that same text before it
takes the offsets.

A ``.ann`` line cannot hold a line break, so a span that crosses one is
written as brat itself writes it, as fragments around the breaks
(``0 10;11 20``), and read back as one span when only whitespace lies
between the fragments. Files are named by the article's uid, which an import
keeps; a uid that is not safe as a file name (see ``model.uid_problem``), or
that another article's uid equals but for case (one file on macOS and
Windows), is never used as one: that article is written as ``article-ID``.
brat has no annotator, review status, uid or time per span: those are not
written. Relations, events, attributes and normalisations have no place
here and are reported on import.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ..atomic import atomic_folder
from ..errors import ImportFileError
from ..hints import MAX_SIZE
from ..model import is_safe_uid
from ..text import decode
from ..words import count, file_size
from .base import (
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    SpanIn,
    check_inside,
    encoding_remark,
    read_limited,
    renamed_labels,
    spaceless_name,
    uuid_or_none,
)

_KINDS = {"R": "relation", "E": "event", "A": "attribute", "M": "attribute", "N": "normalisation", "*": "equivalence"}
_OFFSETS = re.compile(r"^\d+ \d+(?:;\d+ \d+)*$")
CONF = "annotation.conf"
# brat's configuration files, kept beside a collection's texts: not articles, passed over on import.
CONFIG_FILES = frozenset({CONF, "visual.conf", "tools.conf", "kb_shortcuts.conf"})


class _Written:
    """What the writer had to change to fit brat, for its warnings."""

    def __init__(self) -> None:
        self.spans = 0
        self.trimmed = 0
        self.dropped = 0
        self.notes_flattened = 0
        self.renamed: dict[str, str] = {}
        self.unsafe_uids = 0
        # Stems already written, case-folded: macOS and Windows file names ignore case.
        self.stems: set[str] = {CONF.rsplit(".", 1)[0].casefold()}

    def stem(self, record: dict[str, Any]) -> str:
        """The file name (without extension) for this article: its uid when that is safe, else article-ID."""
        uid = record["uid"]
        if is_safe_uid(uid) and uid.casefold() not in self.stems:
            stem = uid
        else:
            self.unsafe_uids += 1
            stem, n = f"article-{record['id']}", 1
            while stem.casefold() in self.stems:
                n += 1
                stem = f"article-{record['id']}-{n}"
        self.stems.add(stem.casefold())
        return stem

    def warnings(self) -> list[str]:
        out = []
        if self.unsafe_uids:
            out.append(f"{count(self.unsafe_uids, 'article')} written as article-ID: a uid not safe as a file name,"
                       " or equal to another's but for case")
        if self.renamed:
            out.append(f"brat types cannot hold spaces: {renamed_labels(self.renamed)}")
        if self.trimmed:
            out.append(f"{count(self.trimmed, 'span')} beginning or ending on a line break, which brat fragments"
                       " cannot: written without it")
        if self.dropped:
            out.append(f"{count(self.dropped, 'span')} holding only line breaks, which brat cannot show: not written")
        if self.notes_flattened:
            out.append(f"{count(self.notes_flattened, 'note')} holding line breaks: written on one line")
        if self.spans:
            out.append("brat keeps offsets, labels and notes: annotators, review status, uids and times "
                       "were not written")
        return out


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` between line breaks."""
    pieces, edge = [], start
    for i in range(start, end):
        if text[i] == "\n":
            if i > edge:
                pieces.append((edge, i))
            edge = i + 1
    if end > edge:
        pieces.append((edge, end))
    return pieces


def _ann(record: dict[str, Any], written: _Written, types: set[str]) -> str:
    text = record["text"]
    lines = []
    n = 0
    for span in record["spans"]:
        start, end = span["start"], span["end"]
        if "\n" in span["text"]:
            pieces = _fragments(text, start, end)
            if not pieces:
                written.dropped += 1
                continue
            if pieces[0][0] != start or pieces[-1][1] != end:
                written.trimmed += 1
        else:
            pieces = [(start, end)]
        n += 1
        written.spans += 1
        name = spaceless_name(span["label"], written.renamed)
        types.add(name)
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        lines.append(f"T{n}\t{name} {offsets}\t{' '.join(text[s:e] for s, e in pieces)}")
        if span["note"]:
            note = span["note"]
            if "\n" in note or "\r" in note:
                written.notes_flattened += 1
                note = " ".join(note.split())
            lines.append(f"#{n}\tAnnotatorNotes T{n}\t{note}")
    return "".join(line + "\n" for line in lines)


def _conf(types: set[str]) -> str:
    entities = "\n".join(sorted(types))
    return (f"[entities]\n{entities}\n\n[relations]\n"
            "# spans here nest and overlap freely\n"
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n")


def _files(records: Iterable[dict[str, Any]], written: _Written) -> Iterator[tuple[str, bytes]]:
    types: set[str] = set()
    for record in records:
        stem = written.stem(record)
        yield f"{stem}.txt", record["text"].encode("utf-8")
        yield f"{stem}.ann", _ann(record, written, types).encode("utf-8")
    yield CONF, _conf(types).encode("utf-8")


def write(records: Iterable[dict[str, Any]], out: IO[bytes]) -> list[str]:
    """A zip of the ``.txt``/``.ann`` pairs and an ``annotation.conf``."""
    written = _Written()
    # ZipFile needs to seek back to write its headers; stdout cannot.
    buffer = out if out.seekable() else io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in _files(records, written):
            zf.writestr(name, data)
    if buffer is not out:
        out.write(buffer.getvalue())
    return written.warnings()


def write_path(records: Iterable[dict[str, Any]], path: Path) -> list[str]:
    """A folder of ``.txt``/``.ann`` pairs, as brat keeps a collection."""
    written = _Written()
    with atomic_folder(path) as folder:
        for name, data in _files(records, written):
            (folder / name).write_bytes(data)
    return written.warnings()


# -------------------------------------------------------------------- reading

def companions(path: Path) -> list[Path]:
    return [path.with_suffix(".txt")] if path.suffix.lower() == ".ann" else []


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    suffix = path.suffix.lower()
    if suffix == ".zip":
        yield from _read_zip(path, options)
        return
    if suffix == ".conf":
        yield Problem(str(path), "brat configuration; its entity types are not needed here", rejected=False)
        return
    ann_path = path.with_suffix(".ann")
    txt_path = path.with_suffix(".txt")
    if not txt_path.is_file():
        raise ImportFileError(f"no {txt_path.name} beside it: a brat .ann needs its .txt, same name")
    raw_text = read_limited(txt_path, options)
    ann = read_limited(ann_path, options) if ann_path.is_file() else b""
    yield from _document(raw_text, ann, str(ann_path), path.stem, options)


# What a zip member costs before a byte of it is read (its directory entry,
# its place in every report): a zip may have one per this many bytes of the limit.
MEMBER_COST = 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
               RuntimeError, OSError)


def _read_zip(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    """The pairs of a brat zip, reading at most ``max_bytes`` decompressed from the whole zip.

    Sizes in a zip are claims: each member is read through a bounded read,
    so a member that inflates past the limit (whatever it declares) is cut
    off at the limit and refused, and one whose data does not match its CRC
    is reported, member by member.
    """
    size = path.stat().st_size
    check_inside(path, options)
    if size > options.max_bytes:
        raise options.too_large(size)
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise ImportFileError(f"not a valid zip file ({exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > max(64, options.max_bytes // MEMBER_COST):
            raise ImportFileError(f"{len(infos):,} files in this zip: more than this size limit allows "
                                  f"(one per {MEMBER_COST} bytes of it, {MAX_SIZE.cli})")
        # ZipInfo.is_dir() fails on an empty name, which a damaged zip can hold.
        members = {info.filename: info for info in infos if info.filename and not info.filename.endswith("/")}
        anns = [name for name in members if name.lower().endswith(".ann")]
        paired = {str(PurePosixPath(name).with_suffix(".txt")) for name in anns}
        # A .txt with no .ann beside it is an article nobody has tagged yet, as brat shows it:
        # a zip of plain articles imports too.
        bare = [name for name in members if name.lower().endswith(".txt") and name not in paired]
        names = sorted(anns + bare)
        if not names:
            raise ImportFileError("no brat .ann files and no .txt articles in this zip")
        budget = options.max_bytes  # decompressed bytes the rest of this zip may still take
        for n, name in enumerate(names):
            place = f"{path}!{name}"
            txt_name = str(PurePosixPath(name).with_suffix(".txt"))
            if txt_name not in members:
                yield Problem(place, f"no {PurePosixPath(txt_name).name} beside it: a brat .ann needs its .txt")
                continue
            reading = txt_name   # the member a refusal is about
            try:
                raw_text = _read_member(zf, members[txt_name], min(budget, options.max_bytes), options)
                budget -= len(raw_text)
                ann = b""
                if name != txt_name:
                    reading = name
                    ann = _read_member(zf, members[name], min(budget, options.max_bytes), options)
                    budget -= len(ann)
            except _ZipBudget as exc:
                if exc.per_file:
                    yield Problem(f"{path}!{reading}", str(exc))
                    continue
                yield Problem(f"{path}!{reading}",
                              f"{exc}; this and the {len(names) - n - 1} files after it were not read")
                return
            except ImportFileError as exc:
                yield Problem(f"{path}!{reading}", str(exc))
                continue
            yield from _document(raw_text, ann, place, PurePosixPath(name).stem, options)


class _ZipBudget(ImportFileError):
    def __init__(self, message: str, per_file: bool) -> None:
        super().__init__(message)
        self.per_file = per_file


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, allowed: int, options: ReadOptions) -> bytes:
    """A member's bytes, never more than ``allowed`` of them held; ImportFileError for a damaged member."""
    if info.file_size > options.max_bytes:
        raise _ZipBudget(f"{info.filename} too large ({file_size(info.file_size)}; the limit is "
                         f"{file_size(options.max_bytes)}, {MAX_SIZE.cli})", per_file=True)
    try:
        with zf.open(info) as fh:
            data = fh.read(allowed + 1)
            # zipfile stops at the declared size: read on, a little, so a member that says less than it
            # holds is caught by its CRC rather than taken cut short.
            more = fh.read(1) if len(data) <= allowed else b""
    except _ZIP_ERRORS as exc:
        raise ImportFileError(f"{info.filename} cannot be read from the zip ({exc})") from exc
    if len(data) > allowed or more:
        if allowed < options.max_bytes:
            raise _ZipBudget(f"the zip holds more than the limit of {file_size(options.max_bytes)} once "
                             f"decompressed ({MAX_SIZE.cli})", per_file=False)
        raise _ZipBudget(f"{info.filename} is larger than the limit once decompressed (whatever its header "
                         f"says; {MAX_SIZE.cli})", per_file=True)
    return data


def _document(raw_text: bytes, ann: bytes, place: str, stem: str, options: ReadOptions) -> Iterator[ReadItem]:
    try:
        decoded = decode(raw_text, options.encoding)
    except ImportFileError as exc:
        yield Problem(place, f"its text: {exc}")
        return
    yield from encoding_remark(place, decoded, of="text")
    # brat reads the text with universal newlines and keeps a UTF-8 BOM as a
    # character: rebuild that text so its offsets hold.
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    if raw_text.startswith(codecs.BOM_UTF8):
        text = "\ufeff" + text
    try:
        ann_text = decode(ann, options.encoding).text if ann else ""
    except ImportFileError as exc:
        yield Problem(place, str(exc))
        return
    record = RecordIn(text=text, place=place, origin=PurePosixPath(place).name, uid=uuid_or_none(stem),
                      span_limit=options.span_limit)
    spans: dict[str, SpanIn] = {}
    notes: list[tuple[str, str, str]] = []
    for lineno, line in enumerate(ann_text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        line_place = f"{place}:{lineno}"
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            span = _textbound(ident, rest, text, line_place)
            if isinstance(span, Problem):
                yield span
            else:
                if len(record.spans) < options.span_limit:
                    spans[ident] = span
                record.add_span(span)
        elif ident.startswith("#"):
            kind, _, tail = rest.partition("\t")
            parts = kind.split()
            if len(parts) == 2 and parts[0] == "AnnotatorNotes":
                if len(notes) < options.span_limit:
                    notes.append((parts[1], tail, line_place))
            else:
                yield Problem(line_place, f"a brat comment of type {parts[0][:40] if parts else '?'!r} has no "
                                          "place here; not imported (only AnnotatorNotes on spans are kept)",
                              rejected=False)
        elif ident[:1] in _KINDS:
            yield Problem(line_place, f"brat {_KINDS[ident[:1]]} {ident[:40]!r} not imported: spans here have no "
                                      f"{_KINDS[ident[:1]]}s", rejected=False)
        else:
            yield Problem(line_place, f"not a brat annotation line: {line[:60]!r}")
    for target, note, line_place in notes:
        if target in spans:
            span = spans[target]
            span.note = f"{span.note}\n{note}" if span.note else note
        else:
            yield Problem(line_place, f"a note on {target[:40]!r}, which is not a span of this file; not imported")
    yield record


def _textbound(ident: str, rest: str, text: str, place: str) -> SpanIn | Problem:
    kind, sep, span_text = rest.partition("\t")
    if not sep:
        return Problem(place, f"{ident}: no tab before the span text")
    label, _, offsets = kind.partition(" ")
    if not _OFFSETS.match(offsets):
        return Problem(place, f"{ident}: offsets {offsets!r} are not 'start end' pairs")
    pieces = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
    start, end = pieces[0][0], pieces[-1][1]
    if len(pieces) == 1:
        return SpanIn(start=start, end=end, label=label, place=place, text=span_text)
    # Fragments: one span when only whitespace (line breaks) lies between them.
    if any(e > len(text) for _, e in pieces):
        return SpanIn(start=start, end=end, label=label, place=place)
    joined = " ".join(text[s:e] for s, e in pieces)
    if joined != span_text:
        return Problem(place, f"{ident}: span text {span_text[:40]!r} does not match the article at {offsets}")
    gaps = [text[a[1]:b[0]] for a, b in zip(pieces, pieces[1:], strict=False)]
    if any(gap.strip() or b[0] < a[1] for gap, a, b in zip(gaps, pieces, pieces[1:], strict=False)):
        return Problem(place, f"{ident}: a discontinuous span ({offsets}); spans here are continuous, not imported")
    return SpanIn(start=start, end=end, label=label, place=place, text=text[start:end])


FORMAT = Format(
    name="brat",
    description="brat standoff: a .txt and an .ann per article (code points), in a folder or a .zip",
    extensions=(".ann", ".zip"),
    read=read,
    write=write,
    suffix=".zip",
    companions=companions,
    write_path=write_path,
    binary=True,
)
