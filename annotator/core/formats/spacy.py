"""spaCy's DocBin (``.spacy``), the training-data file of ``spacy train``.

One ``Doc`` per article, its spans in the span group ``sc`` (spancat's
default key), each span's uid as its ``id_``. Docs are tokenised by the rule
in ``annotator.core.tokens``, split at every span edge, so
``Doc.char_span(start, end)`` finds every span; whitespace follows spaCy's
convention (one trailing space on the token, any other whitespace a token of
its own), so ``doc.text`` is the article's text exactly. Offsets are code
points, as in spaCy.

Everything else (article metadata; annotator, status, note and times per
span, in span order) rides in ``doc.user_data["annotator"]``, which DocBin
keeps. Read as well: other span groups and ``doc.ents`` of DocBins made
elsewhere. spaCy is optional (``pip install 'annotator[spacy]'``).
"""

from __future__ import annotations

import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import FormatError, ImportFileError
from ..hints import MAX_SIZE
from ..tokens import tokenize
from ..words import count, file_size
from .base import (
    ARTICLE_FIELDS,
    SPAN_FIELDS,
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    ShapeError,
    SpanIn,
    article_fields,
    guarded,
    kind,
    missing_extra,
    optional_str,
    read_limited,
    span_fields,
    uuid_or_none,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

SPANS_KEY = "sc"
USER_DATA_KEY = "annotator"


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise missing_extra("spacy", "spacy", "spaCy") from None
    return spacy


def words_and_spaces(text: str, spans: Iterable[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy's words and trailing-space flags for ``text``, with a token edge at every span edge."""
    spans = list(spans)
    starts = {s for s, _ in spans}
    ends = {e for _, e in spans}
    points = sorted(starts | ends)
    tokens = tokenize(text, points)
    words: list[str] = []
    spaces: list[bool] = []

    def gap(start: int, end: int) -> None:
        # Whitespace between tokens: a single space rides on the token before
        # it unless a span starts or ends in the gap or takes in its edge;
        # the rest becomes whitespace tokens, split where spans start or end.
        if start >= end:
            return
        inner = points[bisect_right(points, start):bisect_left(points, end)]
        if words and text[start] == " " and not inner and start not in starts and end not in ends:
            spaces[-1] = True
            start += 1
            if start == end:
                return
        edges = [start, *inner, end]
        for a, b in zip(edges, edges[1:], strict=False):
            words.append(text[a:b])
            spaces.append(False)

    edge = 0
    for start, end in tokens:
        gap(edge, start)
        words.append(text[start:end])
        spaces.append(False)
        edge = end
    gap(edge, len(text))
    return words, spaces


def _doc(vocab: Vocab, record: dict[str, Any]) -> Doc:
    from spacy.tokens import Doc

    text = record["text"]
    words, spaces = words_and_spaces(text, ((s["start"], s["end"]) for s in record["spans"]))
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != text:  # the words must rebuild the text, or every offset is off
        raise FormatError(f"spaCy tokens do not rebuild the text of article {record['id']} (a bug; please report it)")
    group = []
    for s in record["spans"]:
        span = doc.char_span(s["start"], s["end"], label=s["label"], span_id=s["uid"])
        if span is None:  # tokens are split at every span edge, so this is a bug
            raise FormatError(f"span {s['uid']} does not fall on spaCy token edges (a bug; please report it)")
        group.append(span)
    doc.spans[SPANS_KEY] = group
    doc.user_data[USER_DATA_KEY] = {
        "article": {key: record[key] for key in ("uid", *ARTICLE_FIELDS)},
        "spans": [{key: s[key] for key in SPAN_FIELDS} for s in record["spans"]],
    }
    return doc


def write(records: Iterable[dict[str, Any]], out: IO[bytes]) -> None:
    spacy = _spacy()
    from spacy.tokens import DocBin

    vocab = spacy.vocab.Vocab()
    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(_doc(vocab, record))
    out.write(docbin.to_bytes())


# What one string of a DocBin's table costs once spaCy has made it a lexeme of
# the vocabulary: a DocBin may hold one per this many bytes of the limit.
STRING_COST = 64


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    spacy = _spacy()
    import srsly
    from spacy.tokens import DocBin

    data = read_limited(path, options)
    # spaCy inflates the whole payload at once: a 1 MB file can hold gigabytes. Inflate it here a piece at a
    # time first, keeping at most the limit, and look at what it holds before spaCy builds anything from it.
    inflated = _inflate(data, options)
    try:
        msg = srsly.msgpack_loads(inflated)
    except Exception as exc:  # msgpack raises its own assorted errors on damaged data
        raise ImportFileError(f"not a spaCy DocBin ({type(exc).__name__}: {str(exc)[:200]})") from exc
    _check_shape(msg, options)
    del msg, inflated
    try:
        docbin = DocBin().from_bytes(data)
        docs = docbin.get_docs(spacy.vocab.Vocab())
    except Exception as exc:  # spaCy raises assorted errors (msgpack, zlib, ValueError) on damaged files
        raise ImportFileError(f"not a spaCy DocBin ({type(exc).__name__}: {str(exc)[:200]})") from exc
    i = 0
    while True:
        place = f"{path} doc[{i}]"
        try:
            doc = next(docs, None)
        except Exception as exc:  # a doc spaCy cannot rebuild ends the bin: a generator does not go on
            yield Problem(place, f"spaCy cannot rebuild this doc ({type(exc).__name__}: {str(exc)[:200]}); "
                                 "it and the docs after it were not read")
            return
        if doc is None:
            return
        try:
            # spaCy builds a doc's spans as they are asked for: a damaged span group fails only then.
            items = list(guarded(place, _record(doc, place, path.name, options)))
        except Exception as exc:
            items = [Problem(place, f"spaCy cannot read this doc's spans ({type(exc).__name__}: {str(exc)[:200]}); "
                                    "not imported")]
        yield from items
        i += 1


def _inflate(data: bytes, options: ReadOptions) -> bytes:
    inflater = zlib.decompressobj()
    pieces, size = [], 0
    try:
        while data:
            piece = inflater.decompress(data, 1 << 20)
            size += len(piece)
            if size > options.max_bytes:
                raise ImportFileError(f"once decompressed, it is larger than the limit of "
                                      f"{file_size(options.max_bytes)} ({MAX_SIZE.cli})")
            pieces.append(piece)
            data = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error as exc:
        raise ImportFileError(f"not a spaCy DocBin (its data does not inflate: {exc})") from exc
    return b"".join(pieces)


def _check_shape(msg: Any, options: ReadOptions) -> None:
    """Refuse a DocBin whose parts are not what spaCy expects, or would grow far past the limit in spaCy."""
    if not isinstance(msg, dict):
        raise ImportFileError(f"not a spaCy DocBin (its payload is {kind(msg)}, not a map)")
    for key, types in (("attrs", (list, tuple)), ("strings", (list, tuple)), ("lengths", (bytes,)),
                       ("spaces", (bytes,)), ("tokens", (bytes,)), ("cats", (list, tuple))):
        if not isinstance(msg.get(key), types):
            raise ImportFileError(f"not a spaCy DocBin ({key!r} is {kind(msg.get(key))})")
    strings = msg["strings"]
    if len(strings) > max(1024, options.max_bytes // STRING_COST):
        raise ImportFileError(f"{len(strings):,} strings in this DocBin: more than this size limit allows "
                              f"(one per {STRING_COST} bytes of it, {MAX_SIZE.cli})")
    if not all(isinstance(x, str) for x in strings) or not all(isinstance(x, int) for x in msg["attrs"]):
        raise ImportFileError("not a spaCy DocBin (its strings or attributes are of the wrong type)")


def _record(doc: Doc, place: str, origin: str, options: ReadOptions) -> Iterator[ReadItem]:
    ours = doc.user_data.get(USER_DATA_KEY)
    ours = ours if isinstance(ours, dict) else {}
    article = ours.get("article") if isinstance(ours.get("article"), dict) else {}
    record = RecordIn(text=doc.text, place=place, origin=origin,
                      uid=uuid_or_none(optional_str(article.get("uid"), "uid")), span_limit=options.span_limit,
                      **article_fields(article))
    groups = [(key, group) for key, group in doc.spans.items()]
    if ours and SPANS_KEY in doc.spans:
        groups = [(SPANS_KEY, doc.spans[SPANS_KEY])]
    elif doc.ents:
        groups.append(("ents", doc.ents))
    # msgpack gives lists back as tuples
    meta = list(ours["spans"]) if isinstance(ours.get("spans"), (list, tuple)) else None
    for key, spans in groups:
        if meta is not None and len(meta) != len(spans):
            yield Problem(place, f"user data describes {count(len(meta), 'span')} for {len(spans)} in the group;"
                                 " not used", rejected=False)
            meta = None
        for k, span in enumerate(spans):
            span_place = f"{place} {key}[{k}]"
            if not span.label_:
                yield Problem(span_place, "a span without a label; not imported")
                continue
            extra = meta[k] if meta is not None and isinstance(meta[k], dict) else {}
            try:
                record.add_span(SpanIn(start=span.start_char, end=span.end_char, label=span.label_,
                                       place=span_place, text=span.text, uid=uuid_or_none(span.id_),
                                       **span_fields(extra)))
            except ShapeError as exc:
                yield Problem(span_place, str(exc))
    yield record


FORMAT = Format(
    name="spacy",
    description="spaCy DocBin (.spacy), spans in the 'sc' span group (needs spaCy: the 'spacy' extra)",
    extensions=(".spacy",),
    read=read,
    write=write,
    suffix=".spacy",
    extra="spacy",
    needs="spacy",
    binary=True,
    carries_status=True,
)
