"""Code points against UTF-16 units, the one conversion offsets ever need.

Stored offsets are code points. Qt and JavaScript tools count UTF-16 units,
in which every astral character (emoji, flags' halves, many CJK extensions)
takes two. A sorted table of the astral characters plus ``bisect`` converts
an offset in O(log n); scanning the text per offset would be O(n) each.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Converts offsets of one text between code points and UTF-16 units."""

    __slots__ = ("_astral", "_astral_u16", "length", "length_u16")

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # Where each astral character starts, counted in UTF-16 units.
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length_u16 = len(text) + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        return cp + bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int, *, snap: bool = False) -> int:
        """The code point offset of a UTF-16 offset.

        An offset between the two halves of a surrogate pair names no
        character boundary: it raises ValueError, or with ``snap`` moves
        back to the start of that character.
        """
        before = bisect_right(self._astral_u16, u16 - 2)
        if before < len(self._astral_u16) and self._astral_u16[before] == u16 - 1:
            if not snap:
                raise ValueError(f"UTF-16 offset {u16} falls inside a surrogate pair")
            return self._astral[before]
        return u16 - before
