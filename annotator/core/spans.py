"""Rules for turning a raw selection into a span: whole words, no surrounding whitespace.

All offsets are code points. Word characters are letters and digits of any
script, combining marks (so ``e`` + U+0301 stays whole) and connector
punctuation; an apostrophe or hyphen counts when it sits between two of them
("S-400", "Türkiye's").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

_JOINERS = frozenset("-'’\u2011\u00ad")


def _is_core_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Pc") or ch == "\u200d"


def is_word_char(text: str, i: int) -> bool:
    """Whether ``text[i]`` belongs to a word, joiners counting only inside one."""
    ch = text[i]
    if _is_core_word_char(ch):
        return True
    if ch in _JOINERS and 0 < i < len(text) - 1:
        return _is_core_word_char(text[i - 1]) and _is_core_word_char(text[i + 1])
    return False


def has_word(text: str) -> bool:
    """Whether ``text`` holds a letter or a digit: a span of only punctuation and spaces tags nothing a reader means."""
    return any(ch.isalnum() for ch in text)


def excerpt(text: str, limit: int = 40) -> str:
    """A span's text as quoted in messages and tables: one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The marks a quotation in an article starts or ends with: a span that is one is quoted once, not twice.
_QUOTE_MARKS = "\"'`“”„‟‘’‚‛«»‹›「」『』"


def quoted(text: str, limit: int = 32) -> str:
    """A span's text in “ ” for a message, as ``excerpt``: a span that opens with a quote mark (a quotation in
    the article) loses it, and the mark closing it at the span's end, so it reads “This topic was not…”, not
    “"This topic was not…”. A mark that only closes the span closes a quote inside it, and stays."""
    inner = " ".join(text.split())
    if len(inner) > 1 and inner[0] in _QUOTE_MARKS:
        inner = inner[1:-1] if inner[-1] in _QUOTE_MARKS else inner[1:]
    return f"“{excerpt(inner.strip() or text, limit)}”"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading and trailing whitespace from ``[start, end)``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words, then trim whitespace.

    A selection that is all whitespace comes back empty (start == end).
    """
    start, end = trim(text, max(0, start), min(len(text), end))
    if start >= end:
        return start, start
    while start > 0 and is_word_char(text, start - 1) and is_word_char(text, start):
        start -= 1
    while end < len(text) and is_word_char(text, end) and is_word_char(text, end - 1):
        end += 1
    return start, end


class Spanlike(Protocol):
    @property
    def uid(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanlike)


def spans_at(annotations: Iterable[S], offset: int) -> list[S]:
    """The annotations covering ``offset``, innermost (shortest) first."""
    return innermost_first(a for a in annotations if a.start <= offset < a.end)


def innermost_first(spans: Iterable[S]) -> list[S]:
    return sorted(spans, key=lambda a: (a.end - a.start, a.start, a.uid))


def next_in_cycle(hits: Sequence[S], current: str | None) -> S | None:
    """The span after ``current`` among overlapping ``hits``, wrapping round."""
    if not hits:
        return None
    uids = [a.uid for a in hits]
    if current in uids:
        return hits[(uids.index(current) + 1) % len(hits)]
    return hits[0]
