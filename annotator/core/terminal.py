"""Text on its way to a terminal: characters that would steer the terminal are shown, not sent.

Titles, sources, labels, notes and file names come from files anyone can
write. Sent raw, ``ESC ] 0 ;`` retitles the window, ``ESC [ 2 J`` clears the
screen, OSC 52 writes the clipboard, and bidi overrides show a line in
another order than it holds. Every printer of the command line passes its
text through ``printable``, on a terminal and through a pipe alike (a pipe
often ends in ``less -R`` or a terminal anyway).
"""

from __future__ import annotations

import codecs
import io
from typing import IO

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _table() -> dict[int, str]:
    # C0 controls, DEL, C1 controls (U+009B is CSI on its own), bidi embeddings,
    # overrides and isolates, line and paragraph separators; and the characters that
    # draw nothing at all (zero width space, word joiner, invisible operators, the
    # deprecated shaping controls, BOM, interlinear annotation marks), with which
    # "evil.txt" and "evil\u200b.txt" look alike. The joiners U+200C and U+200D stay:
    # Persian, Indic scripts and emoji sequences are written with them.
    codes = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
             *range(0x2066, 0x206A), 0x2028, 0x2029,
             0x180E, 0x200B, *range(0x2060, 0x2065), *range(0x206A, 0x2070), 0xFEFF, *range(0xFFF9, 0xFFFC)]
    return {code: _NAMED.get(chr(code), f"\\u{code:04x}") for code in codes}


_ESCAPES = _table()


def printable(text: str) -> str:
    """``text`` with every control, bidi and line-separator character written as an escape (``\\u001b``).

    The escapes are also valid inside a JSON string, so JSON output can go
    through it too. Applying it twice changes nothing more.
    """
    return text.translate(_ESCAPES)


def printable_lines(text: str) -> str:
    """Like ``printable``, but line breaks (LF, and CRLF) stay line breaks: for text shown as it is."""
    return "\n".join(printable(line[:-1]) + "\r" if line.endswith("\r") else printable(line)
                     for line in text.split("\n"))


class PrintableStream(io.RawIOBase):
    """A binary stream that shows UTF-8 written to it on ``raw`` a line at a time, through ``printable_lines``.

    For a dataset written to a terminal: the lines stay as they are, any
    control character inside them is escaped. (Written to a file or a pipe,
    a dataset is data and goes out byte for byte.)
    """

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        text = self._pending + self._decoder.decode(bytes(data))
        complete, newline, self._pending = text.rpartition("\n")
        if newline:
            self._raw.write((printable_lines(complete) + "\n").encode("utf-8"))
        return len(data)

    def flush(self) -> None:
        # A partial line waits for its end: a lone CR is escaped only once it is known not to end a line.
        self._raw.flush()

    def close(self) -> None:
        """Show what is left (a last line without a line break); ``raw`` stays open."""
        if not self.closed:
            rest = self._pending + self._decoder.decode(b"", final=True)
            self._pending = ""
            if rest:
                self._raw.write(printable(rest).encode("utf-8"))  # holds no line break: nothing to keep
            self._raw.flush()
        super().close()
