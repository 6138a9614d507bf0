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

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import ImportFileError
from ..tokens import is_punctuation, sentence_ends, tokenize
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
            out.append(f"{self.overlapped} of {self.spans} spans not written: they overlap or nest in another span, "
                       "and a flat BIO tagging keeps one label per token (the outermost span wins)")
        if self.punctuation:
            out.append(f"{self.punctuation} spans hold only punctuation or spaces, which is never tagged; not written")
        if self.trimmed:
            out.append(f"{self.trimmed} spans written without the punctuation or spaces at their edges")
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
    def __init__(self, path: Path, lineno: int) -> None:
        self.path = path
        self.place = f"{path}:{lineno}"
        self.sentences: list[list[tuple[str, str, int]]] = [[]]

    def add(self, token: str, tag: str, lineno: int) -> None:
        self.sentences[-1].append((token, tag, lineno))

    def end_sentence(self) -> None:
        if self.sentences[-1]:
            self.sentences.append([])

    def record(self, origin: str) -> tuple[RecordIn | None, int]:
        """The article rebuilt from the tokens, and how many I- tags began a span."""
        parts: list[str] = []
        offset = 0
        record = RecordIn(text="", place=self.place, origin=origin)
        loose = 0
        open_span: SpanIn | None = None
        for sentence in self.sentences:
            if not sentence:
                continue
            if parts:
                parts.append("\n")
                offset += 1
            open_span = None  # a span never runs across a sentence break
            for k, (token, tag, lineno) in enumerate(sentence):
                if k:
                    parts.append(" ")
                    offset += 1
                start, end = offset, offset + len(token)
                parts.append(token)
                offset = end
                match = _TAG.match(tag)
                assert match is not None  # checked when read
                scheme, label = match.groups()
                if scheme is None:
                    open_span = None
                    continue
                continues = open_span is not None and open_span.label == label and scheme in "IEL"
                if continues:
                    assert open_span is not None
                    open_span.end = end
                else:
                    loose += scheme in "IEL"
                    open_span = SpanIn(start=start, end=end, label=label, place=f"{self.path}:{lineno}")
                    record.spans.append(open_span)
                if scheme in "ELSU":
                    open_span = None
        if not parts:
            return None, 0
        record.text = "".join(parts)
        return record, loose


def read(path: Path, options: ReadOptions) -> Iterator[ReadItem]:
    decoded = read_text_file(path, options)
    yield from encoding_remark(str(path), decoded)
    documents: list[_Document] = []
    current: _Document | None = None
    bad = False
    for lineno, line in enumerate(decoded.text.splitlines(), 1):
        fields = line.split()
        if not fields:
            if current is not None:
                current.end_sentence()
            continue
        if fields[0] == DOCSTART:
            current = _Document(path, lineno)
            documents.append(current)
            continue
        if len(fields) < 2:
            yield Problem(f"{path}:{lineno}", f"expected 'token TAG', found {line[:60]!r}")
            bad = True
            continue
        if not _TAG.match(fields[-1]):
            yield Problem(f"{path}:{lineno}", f"{fields[-1]!r} is not a BIO tag (O, B-label, I-label)")
            bad = True
            continue
        if current is None:
            current = _Document(path, lineno)
            documents.append(current)
        current.add(fields[0], fields[-1], lineno)
    if bad:
        # The text is rebuilt from the tokens: with lines missing it would not be the article's text.
        raise ImportFileError("malformed lines (listed above); nothing of this file was imported")
    for document in documents:
        record, loose = document.record(path.name)
        if record is None:
            continue
        if loose:
            yield Problem(record.place, f"{loose} spans begin with an I- tag (IOB1 style); read as beginnings",
                          rejected=False)
        yield record


FORMAT = Format(
    name="conll",
    description="CoNLL BIO tags, one token per line (tokens and labels only; nested spans: outermost wins)",
    extensions=(".conll", ".bio", ".iob"),
    read=read,
    write=write,
    suffix=".conll",
)
