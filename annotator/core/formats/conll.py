"""CoNLL-style BIO: one ``token TAG`` line per token, a blank line between sentences.

Each article starts with a ``-DOCSTART- O`` line (the CoNLL-2003 convention
its readers skip). Tokens follow the rule in ``annotator.core.tokens``;
sentences end at line breaks and after ``.``, ``!``, ``?``, ``…`` before a
token that does not start in lower case, but never inside a span. Tags are
IOB2: ``B-label`` on a span's first token, ``I-label`` on the rest, ``O``
outside.

A flat tagging gives each token one tag, so of spans that overlap, the
outermost wins: the one that starts first (the longest, of those starting
together); the others are counted in a warning. A span's punctuation at its
edges is tagged ``O`` (Label Studio's CoNLL export starts spans on a bare
comma or quote), so a span holding nothing but punctuation is dropped and
counted too. Offsets, uids, annotators, notes and review status are not
written: this format is for training taggers.

On import the text is rebuilt from the tokens (one space between tokens, a
line break between sentences), so exporting it again gives the same file.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import ImportFileError
from ..tokens import is_punctuation, sentence_ends, tokenize
from ..words import count
from .base import (
    Format,
    Problem,
    ReadItem,
    ReadOptions,
    RecordIn,
    SpanIn,
    Warnings,
    encoding_remark,
    read_text_file,
    renamed_labels,
    spaceless_name,
)

DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"^(?:O|([BIESLU])-(\S+))$")


class _Counts:
    def __init__(self) -> None:
        self.spans = self.overlapped = self.punctuation = self.trimmed = 0
        self.renamed: dict[str, str] = {}

    def warnings(self) -> list[str]:
        out = []
        if self.overlapped:
            out.append(f"{self.overlapped} of {count(self.spans, 'span')} not written: overlapping or nested in"
                       " another span, and a flat BIO tagging keeps one label per token (the outermost span wins)")
        if self.punctuation:
            out.append(f"{count(self.punctuation, 'span')} holding only punctuation or spaces, which is never"
                       " tagged: not written")
        if self.trimmed:
            out.append(f"{count(self.trimmed, 'span')} written without the punctuation or spaces at the edges")
        if self.renamed:
            out.append(f"tags cannot hold spaces: {renamed_labels(self.renamed)}")
        if self.spans:
            out.append("CoNLL keeps tokens and labels only: offsets, uids, annotators, notes and review status "
                       "were not written")
        return out


def _outermost(spans: list[dict[str, Any]], counts: _Counts) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"], s["label"])):
        if kept and span["start"] < kept[-1]["end"]:
            counts.overlapped += 1
            continue
        kept.append(span)
    return kept


def _article(record: dict[str, Any], counts: _Counts) -> str:
    text = record["text"]
    counts.spans += len(record["spans"])
    kept = _outermost(record["spans"], counts)
    tokens = tokenize(text, [x for s in kept for x in (s["start"], s["end"])])
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    tags = ["O"] * len(tokens)
    inside = [False] * len(tokens)  # token i and i+1 in the same span: no sentence break between them
    for span in kept:
        # Tokens are split at every kept span's edges, so each lies wholly in or out of it.
        covered = range(bisect_left(starts, span["start"]), bisect_right(ends, span["end"]))
        words = [i for i in covered if not is_punctuation(text[tokens[i][0]:tokens[i][1]])]
        if not words:
            counts.punctuation += 1
            continue
        first, last = words[0], words[-1]
        if tokens[first][0] != span["start"] or tokens[last][1] != span["end"]:
            counts.trimmed += 1
        name = spaceless_name(span["label"], counts.renamed)
        tags[first] = f"B-{name}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{name}"
            inside[i - 1] = True
    breaks = sentence_ends(text, tokens, together=inside)
    lines = [f"{DOCSTART} O\n\n"]
    for i, (start, end) in enumerate(tokens):
        lines.append(f"{text[start:end]} {tags[i]}\n")
        if breaks[i]:
            lines.append("\n")
    if lines[-1] != "\n":
        lines.append("\n")
    return "".join(lines)


def write(records: Iterable[dict[str, Any]], out: IO[bytes]) -> Warnings:
    counts = _Counts()
    for record in records:
        out.write(_article(record, counts).encode("utf-8"))
    return Warnings(counts.warnings(), spans_left_out=counts.overlapped + counts.punctuation)


# -------------------------------------------------------------------- reading

class _Document:
    """One article being rebuilt from its tokens as they come, its text written out as it grows."""

    def __init__(self, path: Path, lineno: int, options: ReadOptions) -> None:
        self.path = path
        self.record = RecordIn(text="", place=f"{path}:{lineno}", origin=path.name, span_limit=options.span_limit)
        self.text = io.StringIO()
        self.offset = 0
        self.in_sentence = False
        self.open_span: SpanIn | None = None
        self.loose = 0  # spans begun by an I- tag

    def end_sentence(self) -> None:
        self.in_sentence = False

    def add(self, token: str, tag: str, lineno: int) -> None:
        if not self.in_sentence:
            if self.offset:
                self.text.write("\n")
                self.offset += 1
            self.in_sentence = True
            self.open_span = None  # a span never runs across a sentence break
        else:
            self.text.write(" ")
            self.offset += 1
        start, end = self.offset, self.offset + len(token)
        self.text.write(token)
        self.offset = end
        match = _TAG.match(tag)
        assert match is not None  # checked when read
        scheme, label = match.groups()
        if scheme is None:
            self.open_span = None
            return
        if self.open_span is not None and self.open_span.label == label and scheme in "IEL":
            self.open_span.end = end
        else:
            self.loose += scheme in "IEL"
            self.open_span = SpanIn(start=start, end=end, label=label, place=f"{self.path}:{lineno}")
            self.record.add_span(self.open_span)
        if scheme in "ELSU":
            self.open_span = None

    def finish(self) -> Iterator[ReadItem]:
        """The article, if it has any token."""
        if not self.offset:
            return
        self.record.text = self.text.getvalue()
        if self.loose:
            yield Problem(self.record.place, f"{count(self.loose, 'span')} beginning with an I- tag (IOB1 style):"
                                             " read as beginnings", rejected=False)
        yield self.record


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    # A line at a time, never a list of them all: a file of one-letter
    # tokens has a line every few bytes.
    start, lineno = 0, 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        lineno += 1
        yield lineno, text[start:end].split()
        start = end + 1


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    decoded = read_text_file(path, options)
    yield from encoding_remark(str(path), decoded)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in decoded.text else decoded.text
    # First every line is checked, holding nothing: the text is rebuilt from
    # the tokens, so with lines missing it would not be the article's text.
    bad = False
    for lineno, fields in _lines(text):
        if not fields or fields[0] == DOCSTART:
            continue
        if len(fields) < 2:
            yield Problem(f"{path}:{lineno}", f"expected 'token TAG', found {' '.join(fields)[:60]!r}")
            bad = True
        elif not _TAG.match(fields[-1]):
            yield Problem(f"{path}:{lineno}", f"{fields[-1][:60]!r} is not a BIO tag (O, B-label, I-label)")
            bad = True
    if bad:
        raise ImportFileError("malformed lines (listed above); nothing of this file was imported")
    # Then the articles, one at a time.
    document: _Document | None = None
    for lineno, fields in _lines(text):
        if not fields:
            if document is not None:
                document.end_sentence()
        elif fields[0] == DOCSTART:
            if document is not None:
                yield from document.finish()
            document = _Document(path, lineno, options)
        else:
            if document is None:
                document = _Document(path, lineno, options)
            document.add(fields[0], fields[-1], lineno)
    if document is not None:
        yield from document.finish()


FORMAT = Format(
    name="conll",
    description="CoNLL BIO tags, one token per line (tokens and labels only; nested spans: outermost wins)",
    extensions=(".conll", ".bio", ".iob"),
    read=read,
    write=write,
    suffix=".conll",
)
