"""Hostile files, built small on disk: decompression bombs and files dense in what a reader expands.

Each builder takes a folder and the size limit (bytes) the import will run
with, writes one file (or a pair) that would need far more memory than that
limit if read naively, and returns the path to import. Used by the memory
test (``test_bombs.py``) and by ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

MB = 1 << 20


def _deflate_repeat(prefix: bytes, chunk: bytes, times: int, suffix: bytes = b"") -> tuple[bytes, int, int]:
    """A raw deflate stream of ``prefix + chunk * times + suffix``, its CRC-32 and size, built without the whole.

    A full flush after each piece empties the compressor's window, so the
    compressed chunk stands alone and can simply be repeated.
    """
    def piece(data: bytes) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)

    body = piece(prefix) + piece(chunk) * times + piece(suffix)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    body += end.flush(zlib.Z_FINISH)  # a final, empty block
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return body, crc, len(prefix) + len(chunk) * times + len(suffix)


def _zlib_repeat(prefix: bytes, chunk: bytes, times: int, suffix: bytes = b"") -> bytes:
    """The same, in zlib's wrapper (what ``zlib.decompress`` and spaCy's DocBin read)."""
    body, _crc, _size = _deflate_repeat(prefix, chunk, times, suffix)
    adler = zlib.adler32(prefix)
    for _ in range(times):
        adler = zlib.adler32(chunk, adler)
    adler = zlib.adler32(suffix, adler)
    return b"\x78\xda" + body + struct.pack(">I", adler)


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip of (name, deflated data, crc, declared size, ...) written by hand: sizes may lie."""
    local, central = bytearray(), bytearray()
    for name, data, crc, declared, _real in members:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded), 0)
        local += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), declared,
                               len(encoded), 0, 0, 0, 0, 0, offset)
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def _member(name: str, prefix: bytes, chunk: bytes, times: int, declared: int | None = None) -> tuple:
    data, crc, size = _deflate_repeat(prefix, chunk, times)
    return (name, data, crc, size if declared is None else declared, size)


# --------------------------------------------------------------------- builders

def zip_lying_about_its_size(folder: Path, limit: int) -> Path:
    """A brat zip whose text declares 20 bytes and inflates to 200 times the limit."""
    return raw_zip(folder / "lying.zip", [
        _member("doc.ann", b"T1\tclaim 0 4\taaaa\n", b"", 0),
        _member("doc.txt", b"", b"a" * MB, max(1, 200 * limit // MB), declared=20),
    ])


def zip_declaring_its_size(folder: Path, limit: int) -> Path:
    """A brat zip whose text says it inflates to 200 times the limit, and does."""
    return raw_zip(folder / "honest.zip", [
        _member("doc.ann", b"T1\tclaim 0 4\taaaa\n", b"", 0),
        _member("doc.txt", b"", b"a" * MB, max(1, 200 * limit // MB)),
    ])


def zip_of_many_members(folder: Path, limit: int) -> Path:
    """250 distinct brat articles, each under half the limit, together about 100 times it (a few hundred KB)."""
    pairs = 250
    each = max(1, limit * 2 // 5 // 65536)  # 64 KB pieces of text per article
    members = []
    for i in range(pairs):
        members.append(_member(f"doc{i}.ann", b"", b"", 0))
        members.append(_member(f"doc{i}.txt", f"Article {i}\n".encode(), b"a" * 65536, each))
    return raw_zip(folder / "many.zip", members)


def zip_of_empty_members(folder: Path, limit: int) -> Path:
    """As many empty members as fit in the limit: the zip's directory itself is the load."""
    members = [(f"{i:x}", b"\x03\x00", 0, 0, 0) for i in range(limit // 100)]
    return raw_zip(folder / "empty-members.zip", members)


def jsonl_giant_line(folder: Path, limit: int) -> Path:
    """One JSON line 32 times the limit (large on disk: the only way to have a long line)."""
    path = folder / "giant.jsonl"
    with path.open("wb") as fh:
        fh.write(b'{"text": "')
        for _ in range(32 * limit // MB):
            fh.write(b"a" * MB)
        fh.write(b'"}\n')
    return path


def json_of_empty_objects(folder: Path, limit: int) -> Path:
    """A JSON list just under the limit of empty objects: 3 bytes each on disk, ~70 in memory."""
    path = folder / "objects.json"
    path.write_bytes(b"[" + b"{}," * (limit // 3 - 2) + b"{}]")
    return path


def json_of_short_strings(folder: Path, limit: int) -> Path:
    """A Label Studio file under the limit whose one task holds a list of short distinct strings."""
    n = limit // 12
    head = b'[{"data": {"text": "x"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 1, ' \
           b'"labels": ['
    items = b",".join(b'"%06x"' % (i % 0xFFFFFF) for i in range(n - 20))
    path = folder / "strings.json"
    path.write_bytes(head + items + b']}}]}]}]')
    return path


def jsonl_of_numbers(folder: Path, limit: int) -> Path:
    """Two-byte lines, each a JSON value that is not a record: one reported problem each (300 bytes)."""
    path = folder / "numbers.jsonl"
    path.write_bytes(b"1\n" * (limit // 16))
    return path


def csv_of_tiny_cells(folder: Path, limit: int) -> Path:
    """A CSV whose header and one row are hundreds of thousands of two-letter cells."""
    n = limit // 6
    path = folder / "cells.csv"
    path.write_bytes(b"text," + b",".join(b"c%d" % i for i in range(n // 2)) + b"\r\n"
                     + b"a," + b"ab," * (n // 2) + b"\r\n")
    return path


def conll_of_one_letter_spans(folder: Path, limit: int) -> Path:
    """Six bytes a span: every token begins a span."""
    path = folder / "spans.conll"
    path.write_bytes(b"a B-claim\n" * (limit // 10))
    return path


def brat_of_tiny_spans(folder: Path, limit: int) -> Path:
    """A brat .ann of one-character spans, as many as fit in the limit."""
    text = "a" * 1000
    lines = b"".join(b"T%d\tclaim %d %d\ta\n" % (i, i % 1000, i % 1000 + 1) for i in range(limit // 24))
    (folder / "tiny.txt").write_text(text, encoding="utf-8")
    path = folder / "tiny.ann"
    path.write_bytes(lines)
    return path


def html_of_empty_elements(folder: Path, limit: int) -> Path:
    """A page of nested and empty elements, as many as fit in the limit."""
    path = folder / "tags.html"
    page = b"<html><body><p>Some text of the article here.</p>" + b"<b></b>" * (limit // 8) + b"</body></html>"
    path.write_bytes(page)
    return path


def spacy_inflating(folder: Path, limit: int) -> Path:
    """A DocBin whose zlib payload inflates to 200 times the limit."""
    import srsly

    tokens = 200 * limit // MB
    header = srsly.msgpack_dumps({"attrs": [65], "strings": [], "lengths": b"", "spaces": b"", "cats": [],
                                  "flags": []})
    # The map above, then one more key: a bin32 of zeros, the inflated mass.
    head = (bytes([header[0] + 1]) + header[1:] + srsly.msgpack_dumps("tokens") + b"\xc6"
            + struct.pack(">I", tokens * MB))
    path = folder / "inflating.spacy"
    path.write_bytes(_zlib_repeat(head, bytes(MB), tokens))
    return path


def spacy_of_many_strings(folder: Path, limit: int) -> Path:
    """A DocBin under the limit once inflated, whose string table is tens of thousands of short strings."""
    import srsly

    n = limit // 9
    msg = {"attrs": [65], "strings": [f"{i:06x}" for i in range(n)], "lengths": b"", "spaces": b"",
           "tokens": b"", "cats": [], "flags": [], "user_data": [], "span_groups": []}
    path = folder / "strings.spacy"
    path.write_bytes(zlib.compress(srsly.msgpack_dumps(msg)))
    return path


def spacy_of_many_tokens(folder: Path, limit: int) -> Path:
    """A real DocBin whose one Doc has as many one-letter tokens as fit in the limit."""
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

    doc = Doc(Vocab(), words=["a"] * (limit // 200))
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    path = folder / "tokens.spacy"
    path.write_bytes(bin_.to_bytes())
    return path


def text_at_the_limit(folder: Path, limit: int) -> Path:
    """Plain text just under the limit, with CRLF line ends to normalise: the cost of an honest large file."""
    path = folder / "large.txt"
    path.write_bytes(b"A line of an honest article.\r\n" * (limit // 31))
    return path


def legacy_text_at_the_limit(folder: Path, limit: int) -> Path:
    """Latin-1 text just under the limit: not UTF-8, so the encoding is guessed."""
    path = folder / "legacy.txt"
    path.write_bytes("Déclaration du ministère à Ankara.\n".encode("latin-1") * (limit // 36))
    return path


def webanno_of_many_annotations(folder: Path, limit: int) -> Path:
    """One document and as many one-character annotations as the limit allows."""
    one = b'{"target":{"source":"urn:x","selector":{"type":"TextPositionSelector","start":0,"end":1}},"body":"claim"},'
    n = limit // 40 // 3  # three objects each: under the bound on objects and lists
    path = folder / "annotations.jsonld"
    path.write_bytes(b'{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection","first":{"items":['
                     + one * n + one[:-1] + b']},"documents":[{"id":"urn:x","value":"' + b"a" * 1000 + b'"}]}')
    return path


def doccano_of_many_triples(folder: Path, limit: int) -> Path:
    """A doccano line of as many [start, end, label] triples as the limit allows."""
    n = limit // 40
    path = folder / "triples.jsonl"
    path.write_bytes(b'{"text": "' + b"a" * 1000 + b'", "label": [' + b'[0, 1, "claim"],' * n + b'[0, 1, "claim"]]}\n')
    return path


def _parquet_pair(folder: Path, name: str, articles: object) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from annotator.core.formats.parquet import SPAN_COLUMNS, _schemas

    span_schema, _ = _schemas(pa)
    pq.write_table(pa.table({c: [] for c in SPAN_COLUMNS}, schema=span_schema), folder / f"{name}.parquet")
    pq.write_table(articles, folder / f"{name}.articles.parquet", compression="zstd")
    return folder / f"{name}.parquet"


def parquet_repeating_a_dictionary(folder: Path, limit: int) -> Path:
    """Articles whose text is one dictionary entry half the limit long, repeated in 400 rows."""
    import pyarrow as pa

    from annotator.core.formats.parquet import ARTICLE_COLUMNS

    rows = 400
    text = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array(["a" * (limit // 2)]))
    columns = {c: pa.array([f"t{i}" for i in range(rows)]) for c in ARTICLE_COLUMNS}
    columns["id"] = pa.array(range(rows), pa.int64())
    columns["text"] = text
    return _parquet_pair(folder, "dictionary", pa.table(columns))


def parquet_of_endless_rows(folder: Path, limit: int) -> Path:
    """Articles of millions of null rows: a few kilobytes on disk."""
    import pyarrow as pa

    from annotator.core.formats.parquet import ARTICLE_COLUMNS

    rows = 2 * limit
    columns = {c: pa.nulls(rows, pa.int64() if c == "id" else pa.string()) for c in ARTICLE_COLUMNS}
    return _parquet_pair(folder, "rows", pa.table(columns))


BUILDERS: dict[str, Callable[[Path, int], Path]] = {f.__name__: f for f in (
    zip_lying_about_its_size, zip_declaring_its_size, zip_of_many_members, zip_of_empty_members,
    jsonl_giant_line, json_of_empty_objects, json_of_short_strings, jsonl_of_numbers, csv_of_tiny_cells,
    conll_of_one_letter_spans, brat_of_tiny_spans, html_of_empty_elements, spacy_inflating, spacy_of_many_strings,
    spacy_of_many_tokens, parquet_repeating_a_dictionary, parquet_of_endless_rows, text_at_the_limit,
    legacy_text_at_the_limit, webanno_of_many_annotations, doccano_of_many_triples,
)}


# ------------------------------------------------------------------ measuring

_CHILD = r"""
import ctypes, gc, json, re, sys, tempfile, time
from pathlib import Path

from annotator.core.importer import Importer
from annotator.core.store import Store

def status(key):
    return int(re.search(key + r":\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) * 1024

try:
    trim = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):
    trim = lambda pad: 0

def settle():
    # Hand freed memory back to the system and restart the high-water mark
    # from here, so what the next import takes shows, however high the last went.
    gc.collect()
    trim(0)
    Path("/proc/self/clear_refs").write_text("5")
    return status("VmRSS")

limit, warm, paths = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
with tempfile.TemporaryDirectory() as tmp:
    store = Store.open(Path(tmp) / "a.db")
    # Load what every reader loads once (spaCy's and Arrow's libraries, trafilatura's models): what
    # follows is what the hostile files cost.
    Importer(store, actor="t", max_bytes=limit).run([warm])
    results = []
    for path in paths:
        before = settle()
        started = time.perf_counter()
        try:
            report = Importer(store, actor="t", max_bytes=limit).run([path])
            problems, added = [p.reason[:300] for p in report.problems], report.articles_added
        except Exception as exc:  # an importer that lets an error out: the test says so, with the memory
            problems, added = [f"crashed: {exc!r}"[:300]], 0
        results.append({"path": path, "growth": status("VmHWM") - before, "problems": problems, "articles": added,
                        "seconds": time.perf_counter() - started})
    print(json.dumps(results))
"""


def can_measure() -> bool:
    """Whether this system lets a process restart its own high-water mark of memory (Linux 4.0+)."""
    import os

    return os.access("/proc/self/clear_refs", os.W_OK) and Path("/proc/self/status").is_file()


def warm_up_folder(folder: Path) -> Path:
    """One small good file of each kind the hostile files use, read before the baseline is taken."""
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("A small article.", encoding="utf-8")
    (folder / "c.json").write_text('[{"data": {"text": "x"}, "annotations": []}]', encoding="utf-8")
    (folder / "d.csv").write_text("text\nhello\n", encoding="utf-8")
    (folder / "e.conll").write_text("a B-claim\n", encoding="utf-8")
    (folder / "f.jsonl").write_text('{"text": "y"}\n', encoding="utf-8")
    for builder in (spacy_of_many_tokens, parquet_repeating_a_dictionary):
        builder(folder, 4096)
    return folder


def measure(paths: list[Path], limit: int, warm: Path) -> list[dict]:
    """Import each of ``paths`` in turn in a fresh process: how much memory each took at its peak (bytes)."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _CHILD, str(limit), str(warm), *map(str, paths)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"the import process failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)
