"""A fuzz target per importer: whatever the bytes, a clean per-file report, never an exception.

Each target starts from the shape the format really has (what our exporter
writes, or the format's own grammar) and lets hypothesis break it: values
of any JSON type anywhere, keys removed or added, lines of near-miss syntax,
bytes flipped in zips, DocBins and Parquet files. Two things are checked
for every input: the reader alone yields records and problems and raises
nothing but the app's own errors; and a whole import of it returns a
report, with no problem that names a bug.

Bounded in the suite (``ANNOTATOR_FUZZ_EXAMPLES``, default 100 per target,
about half a second each). Longer by hand::

    ANNOTATOR_FUZZ_EXAMPLES=5000 python -m pytest tests/core/formats/test_fuzz.py
"""

from __future__ import annotations

import copy
import io
import json
import os
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.core import exporter, formats
from annotator.core.errors import AnnotatorError
from annotator.core.formats.base import ClaimIn, GuidelinesIn, Problem, ReadOptions, RecordIn
from annotator.core.importer import Importer
from annotator.core.store import Store

EXAMPLES = int(os.environ.get("ANNOTATOR_FUZZ_EXAMPLES", "100"))
# No example database: the parametrised targets share one inner function, whose saved examples would be
# replayed against another format's strategy. A failure prints the blob that reproduces it.
fuzz = settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
# Small, so a fuzzed file can also run into every limit.
OPTIONS = ReadOptions(max_bytes=64 * 1024)

TEXT = "Kremlin denied a report 😀 that Turkey asked.\r\nSecond line."


def _sample_store() -> Store:
    store = Store.memory()
    a, _ = store.add_article(TEXT.replace("\r\n", "\n"), title="Denial", actor="ana", source="Wire",
                             url="https://x.test/1", published="2025-12-18")
    text = store.article_text(a.id)
    store.add_annotation(a.id, 0, 7, "claim", annotator="ana", note="who?")
    store.add_annotation(a.id, text.index("Turkey"), text.index("Turkey") + 6, "denial", annotator="bo")
    ann = store.add_annotation(a.id, 0, text.index("report") + 6, "background", annotator="ana")
    store.set_status(ann.uid, "accepted", actor="rita")
    # A claim the span states, and guidelines, so the native format's links, claim lines and label-set
    # line are fuzzed too.
    store.create_claim_from_span(ann.uid, actor="ana")
    store.set_guidelines("# Guidelines\n\nTag what is *checkable*.", actor="ana")
    return store


SAMPLE = _sample_store()


def _exported(format_name: str) -> bytes:
    out = io.BytesIO()
    exporter.export(SAMPLE, format_name, out)
    return out.getvalue()


# ------------------------------------------------------------------ the check

def check(path: Path, format_name: str, store: Store) -> None:
    fmt = formats.get(format_name)
    assert fmt.read is not None
    try:
        for item in fmt.read(path, OPTIONS):
            assert isinstance(item, (RecordIn, ClaimIn, GuidelinesIn, Problem)), item
    except AnnotatorError:
        pass  # the file refused as a whole, with a reason: a clean report
    report = Importer(store, actor="fuzz", create_labels=True, max_bytes=OPTIONS.max_bytes,
                      format=format_name).run([path])
    bugs = [p for p in report.problems if "this is a bug" in p.reason]
    assert not bugs, bugs


# ------------------------------------------------------------------ strategies

SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True)
           | st.text(max_size=12) | st.sampled_from(["", " ", "claim", "pending", "accepted", "0", "-1", "urn:x",
                                                     "labels", "TextPositionSelector", "TextQuoteSelector"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["text", "start", "end", "label", "labels", "value", "type", "id", "source", "spans", "body",
                     "target", "selector", "data", "annotations", "result", "note", "uid", "exact", "x"]),
    inner, max_size=3), max_leaves=6)


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _places(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _places(inner, (*path, i))


# What breaks a reader that trusts a shape: a number or true where a list or an object belongs, a list
# where text belongs, values too large for 64 bits.
WRONG = st.sampled_from([5, -1, 0, 2.5, True, False, None, "x", "", [], {}, [5], [[]], {"a": 5}, [None], 2**64,
                         -(2**63) - 1, 1e308, "urn:x"])
# Deep-copied: sampled_from hands out the same list each time, and a later mutation would change it.
REPLACEMENT = (WRONG | JSON).map(copy.deepcopy)


def _container_places(doc: Any) -> list[tuple[Any, ...]]:
    return [path for path in _places(doc) if path and isinstance(_at(doc, path), (dict, list))]


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


@st.composite
def broken(draw: st.DrawFn, skeleton: Any) -> Any:
    """The skeleton with one to six of its values replaced, removed or given a new neighbour.

    Half the time the value hit is a list or an object, where trusting
    readers break: that is where the shape is.
    """
    doc = copy.deepcopy(skeleton)
    for _ in range(draw(st.integers(1, 6))):
        containers = _container_places(doc)
        places = containers if containers and draw(st.booleans()) else list(_places(doc))
        path = draw(st.sampled_from(places))
        if not path:
            doc = draw(JSON) if draw(st.booleans()) and draw(st.booleans()) else doc
            continue
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[key] = draw(REPLACEMENT)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, list):
            parent.insert(key, draw(REPLACEMENT))
        else:
            parent[draw(st.sampled_from(["text", "spans", "label", "documents", "comments", "relations",
                                         "predictions", "span_meta", "bodyValue", "refinedBy"]))] = draw(REPLACEMENT)
    return doc


@st.composite
def mangled(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes replaced, removed or inserted, or cut short."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert", "cut"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[at]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        else:
            del data[at:]
    return bytes(data)


def _json_lines(data: bytes) -> list[Any]:
    return [json.loads(line) for line in data.splitlines() if line.strip()]


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Store]:
    store = Store.memory()
    yield tmp_path, store
    store.close()


# ------------------------------------------------------------------ JSON formats

@pytest.mark.parametrize(("format_name", "name"), [("jsonl", "a.jsonl"), ("doccano", "a.jsonl")])
def test_json_lines_formats(workspace: tuple[Path, Store], format_name: str, name: str) -> None:
    folder, store = workspace
    lines = _json_lines(_exported(format_name))  # an article, and for the native format a claim

    @fuzz
    @given(docs=st.lists(st.sampled_from(lines).flatmap(broken), min_size=1, max_size=3), raw=st.booleans(),
           data=st.data())
    def run(docs: list[Any], raw: bool, data: st.DataObject) -> None:
        content = "\n".join(json.dumps(doc) for doc in docs).encode()
        if raw:
            content = data.draw(mangled(content))
        path = folder / name
        path.write_bytes(content)
        check(path, format_name, store)

    run()


@pytest.mark.parametrize(("format_name", "name"), [("jsonl", "a.json"), ("label-studio", "a.json"),
                                                   ("webanno", "a.jsonld")])
def test_json_file_formats(workspace: tuple[Path, Store], format_name: str, name: str) -> None:
    folder, store = workspace
    exported = _exported(format_name)
    skeleton = json.loads(exported) if format_name != "jsonl" else _json_lines(exported)

    @fuzz
    @given(doc=broken(skeleton), raw=st.booleans(), data=st.data())
    def run(doc: Any, raw: bool, data: st.DataObject) -> None:
        content = json.dumps(doc).encode()
        if raw:
            content = data.draw(mangled(content))
        path = folder / name
        path.write_bytes(content)
        check(path, format_name, store)

    run()


# ------------------------------------------------------------------ text formats

OFFSETS = st.sampled_from(["0 7", "0 7;8 14", "3 1", "-1 4", "0 99999", "0", "a b", "0 7;", "8 14;0 7", "1 2 3"])
ANN_LINES = st.one_of(
    st.builds(lambda i, label, offsets, text: f"{i}\t{label} {offsets}\t{text}",
              st.sampled_from(["T1", "T2", "T1", "R1", "E1", "A1", "M1", "N1", "*", "X1", "T"]),
              st.sampled_from(["claim", "denial", "", "new label", "x\x00"]), OFFSETS,
              st.sampled_from(["Kremlin", "", "denied a", "😀"]) | st.text(max_size=8)),
    st.builds(lambda target, note: f"#1\tAnnotatorNotes {target}\t{note}", st.sampled_from(["T1", "T9", ""]),
              st.text(max_size=8)),
    st.text(max_size=20),
)


@st.composite
def brat_pairs(draw: st.DrawFn) -> tuple[bytes, bytes]:
    text = draw(st.sampled_from([TEXT, "", "short", "\ufeffBOM text\r\nline"]) | st.text(max_size=30))
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
    raw = text.encode(encoding, errors="replace")
    ann = "\n".join(draw(st.lists(ANN_LINES, max_size=6))).encode("utf-8", errors="surrogatepass")
    return raw, ann


def test_brat_folder(workspace: tuple[Path, Store]) -> None:
    folder, store = workspace

    @fuzz
    @given(pair=brat_pairs())
    def run(pair: tuple[bytes, bytes]) -> None:
        (folder / "doc.txt").write_bytes(pair[0])
        (folder / "doc.ann").write_bytes(pair[1])
        check(folder / "doc.ann", "brat", store)

    run()


def test_brat_zip(workspace: tuple[Path, Store]) -> None:
    folder, store = workspace

    @fuzz
    @given(pairs=st.lists(brat_pairs(), min_size=1, max_size=3), names=st.lists(
        st.sampled_from(["doc", "../up", "/abs", "a/b", "x.y", "", "doc"]), min_size=3, max_size=3),
        raw=st.booleans(), data=st.data())
    def run(pairs: list[tuple[bytes, bytes]], names: list[str], raw: bool, data: st.DataObject) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for (text, ann), name in zip(pairs, dict.fromkeys(names), strict=False):  # a zip's names differ
                zf.writestr(f"{name}.txt", text)
                zf.writestr(f"{name}.ann", ann)
        content = buffer.getvalue()
        if raw:
            content = data.draw(mangled(content))
        path = folder / "corpus.zip"
        path.write_bytes(content)
        check(path, "brat", store)

    run()


CONLL_LINES = st.one_of(
    st.builds(lambda token, tag: f"{token} {tag}", st.sampled_from(["Kremlin", "denied", ".", "😀", "a"]),
              st.sampled_from(["O", "B-claim", "I-claim", "E-claim", "S-denial", "L-x", "U-x", "B-", "X-claim",
                               "I-denial", "b-claim", "O O"])),
    st.sampled_from(["", "", "-DOCSTART- O", "-DOCSTART-", "lonely", "\t", "a\tB-claim", "\r"]),
    st.text(max_size=12),
)


def test_conll(workspace: tuple[Path, Store]) -> None:
    folder, store = workspace

    @fuzz
    @given(lines=st.lists(CONLL_LINES, max_size=20), ending=st.sampled_from(["\n", "\r\n", "\r"]))
    def run(lines: list[str], ending: str) -> None:
        path = folder / "a.conll"
        path.write_bytes(ending.join(lines).encode("utf-8", errors="surrogatepass"))
        check(path, "conll", store)

    run()


CSV_CELLS = st.sampled_from(["text", "title", "uid", "source", "start", "end", "label", "article_id", "url", "",
                             '"', '""', "a,b", "line\nbreak", "../x", "=1+1", "\x00"]) | st.text(max_size=10)


def test_csv(workspace: tuple[Path, Store]) -> None:
    folder, store = workspace

    @fuzz
    @given(rows=st.lists(st.lists(CSV_CELLS, min_size=0, max_size=5), max_size=5), quote=st.booleans(),
           raw=st.booleans(), data=st.data())
    def run(rows: list[list[str]], quote: bool, raw: bool, data: st.DataObject) -> None:
        import csv

        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_ALL if quote else csv.QUOTE_MINIMAL).writerows(rows)
        content = buffer.getvalue().encode("utf-8", errors="surrogatepass")
        if raw:
            content = data.draw(mangled(content))
        path = folder / "a.csv"
        path.write_bytes(content)
        check(path, "csv", store)

    run()


def test_text(workspace: tuple[Path, Store]) -> None:
    folder, store = workspace
    boms = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"])

    @fuzz
    @given(bom=boms, body=st.binary(max_size=64) | st.text(max_size=40).map(lambda t: t.encode("utf-8", "replace")))
    def run(bom: bytes, body: bytes) -> None:
        path = folder / "a.txt"
        path.write_bytes(bom + body)
        check(path, "text", store)

    run()


HTML_PIECES = st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<article>", "<title>T</title>", "<script>",
                               "</div>", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "&#xD800;", "<meta charset=x>",
                               "Kremlin denied the report on Tuesday.", "\x00", "<", ">", "<a href='../../x'>"])


def test_html(workspace: tuple[Path, Store]) -> None:
    folder, store = workspace

    @settings(fuzz, max_examples=max(10, EXAMPLES // 2))  # trafilatura takes ~10 ms a page
    @given(pieces=st.lists(HTML_PIECES | st.text(max_size=10), max_size=25))
    def run(pieces: list[str]) -> None:
        path = folder / "a.html"
        path.write_bytes("".join(pieces).encode("utf-8", errors="surrogatepass"))
        check(path, "html", store)

    run()


# ------------------------------------------------------------------ binary formats

def test_spacy(workspace: tuple[Path, Store]) -> None:
    pytest.importorskip("spacy")
    import srsly

    folder, store = workspace
    exported = _exported("spacy")
    message = srsly.msgpack_loads(zlib.decompress(exported))
    blobs = st.binary(max_size=24) | st.sampled_from([b"", message["tokens"][:16], message["lengths"]])
    values = JSON | blobs | st.lists(blobs, max_size=2)

    @st.composite
    def docbins(draw: st.DrawFn) -> bytes:
        if draw(st.booleans()):
            return draw(mangled(exported))
        msg = dict(message)
        for _ in range(draw(st.integers(1, 3))):
            key = draw(st.sampled_from(sorted(msg)))
            if draw(st.booleans()):
                msg[key] = draw(values)
            else:
                msg.pop(key)
        try:
            return zlib.compress(srsly.msgpack_dumps(msg))
        except OverflowError:  # an integer msgpack cannot hold: not a file anyone can write
            assume(False)
            raise

    @fuzz
    @given(content=docbins())
    def run(content: bytes) -> None:
        path = folder / "a.spacy"
        path.write_bytes(content)
        check(path, "spacy", store)

    run()


def test_parquet(workspace: tuple[Path, Store]) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from annotator.core.formats.parquet import ARTICLE_COLUMNS, SPAN_COLUMNS

    folder, store = workspace
    exporter.export(SAMPLE, "parquet", folder / "good.parquet")
    good = {name: pq.read_table(folder / name) for name in ("good.parquet", "good.articles.parquet")}
    columns = {
        "int": st.lists(st.integers(-(2**63), 2**63 - 1) | st.none(), min_size=1, max_size=3).map(
            lambda v: pa.array(v, pa.int64())),
        "string": st.lists(st.text(max_size=8) | st.none(), min_size=1, max_size=3).map(pa.array),
        "float": st.lists(st.floats(), min_size=1, max_size=3).map(pa.array),
        "bool": st.lists(st.booleans(), min_size=1, max_size=3).map(pa.array),
        "list": st.lists(st.lists(st.integers(0, 9), max_size=2), min_size=1, max_size=3).map(pa.array),
        "null": st.integers(1, 3).map(pa.nulls),
    }

    @st.composite
    def tables(draw: st.DrawFn, names: tuple[str, ...], base: Any) -> Any:
        if draw(st.booleans()):
            return base
        rows = None
        arrays = {}
        for name in names:
            if draw(st.integers(0, 5)) == 0:
                continue  # a column missing
            if draw(st.booleans()):
                arrays[name] = base.column(name).combine_chunks()
            else:
                arrays[name] = draw(columns[draw(st.sampled_from(sorted(columns)))])
        if not arrays:
            return base
        rows = min(len(a) for a in arrays.values())
        return pa.table({name: a.slice(0, rows) for name, a in arrays.items()})

    @fuzz
    @given(spans=tables(SPAN_COLUMNS, good["good.parquet"]),
           articles=tables(ARTICLE_COLUMNS, good["good.articles.parquet"]),
           raw=st.sampled_from([None, "spans", "articles"]), data=st.data())
    def run(spans: Any, articles: Any, raw: str | None, data: st.DataObject) -> None:
        for table, name in ((spans, "a.parquet"), (articles, "a.articles.parquet")):
            buffer = pa.BufferOutputStream()
            pq.write_table(table, buffer)
            content = buffer.getvalue().to_pybytes()
            if raw and name.startswith("a.articles") == (raw == "articles"):
                content = data.draw(mangled(content))
            (folder / name).write_bytes(content)
        check(folder / "a.parquet", "parquet", store)

    run()


def test_every_importer_has_a_fuzz_target() -> None:
    targeted = {"jsonl", "doccano", "label-studio", "webanno", "brat", "conll", "csv", "text", "html", "spacy",
                "parquet"}
    assert {f.name for f in formats.import_formats()} == targeted
