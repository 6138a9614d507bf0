"""Find in an article: every place a typed needle occurs, as code-point ranges of the stored text.

The same folding as the article list's search (``search.fold``): "turkiye"
finds "Türkiye", "don't" finds "don’t". Folding changes lengths ("ß" is "ss",
a combining accent folds to nothing), so a folded copy keeps, for every
character of the text, where its folding starts; a match in the folded copy
maps back to the characters it came from, and takes in the combining marks
that follow its last letter, so that tagging a match keeps "é" whole.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right

from .search import fold

_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


class FoldedText:
    """One article's text folded for finding, with the way back to its code points."""

    def __init__(self, text: str) -> None:
        self.text = text
        if text.isascii():
            # Most news text: folding is lower-casing, one character for one.
            self.folded = text.casefold()
            self._starts: array[int] | None = None
            return
        pieces: list[str] = []
        starts = array("q")
        at = 0
        i = 0
        for run in _ASCII_RUN.finditer(text):
            at = self._fold_one_by_one(text[i:run.start()], pieces, starts, at)
            chunk = run.group().casefold()
            starts.extend(range(at, at + len(chunk)))
            pieces.append(chunk)
            at += len(chunk)
            i = run.end()
        at = self._fold_one_by_one(text[i:], pieces, starts, at)
        starts.append(at)
        self.folded = "".join(pieces)
        self._starts = starts

    @staticmethod
    def _fold_one_by_one(stretch: str, pieces: list[str], starts: array[int], at: int) -> int:
        for ch in stretch:
            folded = fold(ch)
            starts.append(at)
            pieces.append(folded)
            at += len(folded)
        return at

    def _start_of(self, position: int) -> int:
        """The character whose folding holds folded position ``position``."""
        if self._starts is None:
            return position
        return bisect_right(self._starts, position) - 1

    def _end_of(self, position: int) -> int:
        """Just past the character whose folding holds ``position - 1``, and past any marks after it."""
        if self._starts is None:
            return position
        end = bisect_left(self._starts, position)
        while end < len(self.text) and self._starts[end] == self._starts[end + 1]:
            end += 1  # a character that folds to nothing (a combining mark) belongs to the one before it
        return end

    def find_all(self, needle: str, *, limit: int = 100_000) -> list[tuple[int, int]]:
        """Every non-overlapping match of ``needle`` in text order, as ``(start, end)`` code points."""
        folded_needle = fold(needle)
        if not folded_needle.strip():
            return []
        found: list[tuple[int, int]] = []
        position = self.folded.find(folded_needle)
        while position >= 0 and len(found) < limit:
            end = position + len(folded_needle)
            found.append((self._start_of(position), self._end_of(end)))
            position = self.folded.find(folded_needle, end)
        return found


__all__ = ["FoldedText"]
