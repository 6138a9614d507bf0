"""The one place where Qt positions meet code-point offsets.

A QPlainTextEdit counts UTF-16 units, and each line break is one block
separator. Stored text is already LF-only, so a document position equals the
UTF-16 offset into the stored text; within a block (as QSyntaxHighlighter
sees it) positions are UTF-16 units from the block's start. No widget does
this arithmetic itself.
"""

from __future__ import annotations

from ..core.offsets import Utf16Map


class PositionMap:
    """Offsets of one article: code points <-> Qt document positions."""

    __slots__ = ("_map",)

    def __init__(self, text: str) -> None:
        self._map = Utf16Map(text)

    @property
    def qt_length(self) -> int:
        return self._map.length_u16

    def to_qt(self, offset: int) -> int:
        """A code-point offset as a Qt document position."""
        return self._map.to_utf16(offset)

    def from_qt(self, position: int) -> int:
        """A Qt document position as a code-point offset (inside a surrogate pair: the character's start)."""
        return self._map.to_codepoint(max(0, min(position, self._map.length_u16)), snap=True)

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def selection_from_qt(self, anchor: int, position: int) -> tuple[int, int]:
        """A Qt selection (either direction) as an ordered code-point range."""
        a, b = self.from_qt(anchor), self.from_qt(position)
        return (a, b) if a <= b else (b, a)
