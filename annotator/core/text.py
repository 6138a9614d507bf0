"""Turning bytes into the stored text, and nothing more.

Decoding: a byte order mark decides; else strict UTF-8; else charset-normalizer
guesses a legacy encoding and says so. Normalisation: drop a leading BOM and
turn CRLF and lone CR into LF; offsets given against the raw text are mapped
through it. No Unicode normalisation, no trimming: the stored text is what
every offset indexes.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left
from dataclasses import dataclass

from charset_normalizer import from_bytes

from .errors import ImportFileError

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    guessed: bool = False


def decode(data: bytes) -> Decoded:
    """Decode file bytes; raise ImportFileError for binary or undecodable input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"not valid {encoding} despite its byte order mark ({exc.reason} at byte {exc.start + len(bom)})"
                ) from exc
    if b"\x00" in data:
        raise ImportFileError("binary data (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
        encoding, guessed = "utf-8", False
    except UnicodeDecodeError:
        text, encoding = _guess(data)
        guessed = True
    if text and len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise ImportFileError("binary data (control characters), not text")
    return Decoded(text, encoding, guessed)


# charset-normalizer decodes its input once per encoding it tries and keeps
# the results: about 20 times the input in memory. It guesses from this much
# of the start (cut at a line end), and the guess then decodes the whole.
GUESS_SAMPLE = 64 * 1024


def _guess(data: bytes) -> tuple[str, str]:
    sample = data
    if len(data) > GUESS_SAMPLE:
        cut = data.rfind(b"\n", 0, GUESS_SAMPLE)
        sample = data[: cut + 1 if cut > 0 else GUESS_SAMPLE]
    best = from_bytes(sample).best()
    if best is None:
        raise ImportFileError("not UTF-8, and no legacy encoding fits it")
    if sample is data:
        return str(best), best.encoding
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        raise ImportFileError(f"not UTF-8; its start reads as {best.encoding}, but the rest does not") from None


@dataclass(frozen=True)
class Normalised:
    """Normalised text and the raw positions that normalisation removed."""

    text: str
    removed: tuple[int, ...] = ()

    def offset(self, raw: int) -> int:
        """Map an offset into the raw text onto the normalised text."""
        if not self.removed:
            return raw
        return raw - bisect_left(self.removed, raw)


def normalise(raw: str) -> Normalised:
    """Drop a leading BOM, turn CRLF and lone CR into LF."""
    removed: list[int] = []
    text = raw
    if text.startswith("\ufeff"):
        removed.append(0)
    if "\r" in text:
        removed.extend(m.start() for m in re.finditer("\r\n", raw))
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if removed and removed[0] == 0 and raw.startswith("\ufeff"):
        text = text[1:]
    return Normalised(text, tuple(removed))


def title_from(text: str, limit: int = 200) -> str:
    """The first non-empty line, without Markdown heading marks, cut to ``limit``."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""
