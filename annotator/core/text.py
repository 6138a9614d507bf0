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

from . import hints
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
    # The byte order mark the bytes began with, as a character ("\ufeff"), or "": decoding
    # drops it from ``text`` (a parser must not see it); a reader whose record is the
    # whole text gives it back, for ``normalise`` to drop with the offsets mapped.
    bom: str = ""


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode file bytes; raise ImportFileError for binary or undecodable input.

    ``encoding`` (a codec name the user gave) is used instead of any guess;
    a byte order mark of another encoding is refused rather than read as text.
    """
    forced = check_encoding(encoding) if encoding is not None else None
    for bom, name in _BOMS:
        if data.startswith(bom):
            if forced is not None and not _bom_fits(forced, name):
                raise ImportFileError(f"it starts with a {name} byte order mark,"
                                      f" {hints.ENCODING_GIVEN.say(encoding=str(encoding))}")
            try:
                return Decoded(data[len(bom):].decode(name), name, bom="\ufeff")
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"not valid {name} despite its byte order mark ({exc.reason} at byte {exc.start + len(bom)})"
                ) from exc
    if forced is not None:
        try:
            text = data.decode(forced)
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"not valid {encoding} ({exc.reason}: byte 0x{data[exc.start]:02X} at "
                                  f"{_where(data, exc.start, forced)})") from None
        except (UnicodeError, ValueError, LookupError) as exc:   # a codec's own refusal, in its words
            raise ImportFileError(f"cannot be read as {encoding} ({exc})") from None
        if "\x00" in text:
            raise ImportFileError(f"read as {encoding}, it holds the NUL character (U+0000), which no article"
                                  " text does: not text in that encoding")
        _refuse_controls(text)
        return Decoded(text, encoding or forced)
    if b"\x00" in data:
        raise ImportFileError("binary data (it contains NUL bytes), not text" + _utf16_hint(data))
    try:
        text = data.decode("utf-8")
        encoding, guessed = "utf-8", False
    except UnicodeDecodeError:
        _refuse_mostly_utf8(data)
        text, encoding = _guess(data)
        guessed = True
    _refuse_controls(text)
    return Decoded(text, encoding, guessed)


def check_encoding(name: str) -> str:
    """The codec's canonical name for an encoding the user named; ImportFileError for a name that is not one.

    Only text encodings: Python's codec registry also holds bytes-to-bytes
    transforms (base64, zlib) that are not a way to read text.
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        raise ImportFileError(f"unknown encoding {name!r} (say utf-8, cp1252, latin-1, cp1251, shift_jis...)") from None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _NOT_ENCODINGS:
        raise ImportFileError(f"{name!r} is not a text encoding (say utf-8, cp1252, latin-1, cp1251...)")
    return info.name


# Codecs Python counts as text encodings that are transforms of text, not ways of writing it:
# unicode_escape turns the four characters \x00 of a file into a real NUL, idna and punycode are
# for host names, undefined refuses everything.
_NOT_ENCODINGS = frozenset({"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined",
                            "unicode_internal"})


def _bom_fits(forced: str, bom_encoding: str) -> bool:
    """Whether a byte order mark of ``bom_encoding`` agrees with the encoding the user gave ("utf-16" fits either)."""
    family = bom_encoding.rsplit("-", 1)[0] if bom_encoding.count("-") == 2 else bom_encoding
    return forced in (bom_encoding, family, f"{family}-sig")


def _refuse_controls(text: str) -> None:
    if text and len(_CONTROL.findall(text[:65536])) > max(8, len(text[:65536]) // 100):
        raise ImportFileError("binary data (control characters), not text")


def _where(data: bytes, at: int, encoding: str = "utf-8") -> str:
    """Byte ``at`` as the line and column (in characters) a person finds it at in an editor."""
    line, line_start = data.count(b"\n", 0, at) + 1, data.rfind(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode(encoding, "replace")) + 1
    return f"line {line}, column {column}"


def _utf16_hint(data: bytes) -> str:
    """A hint when NUL bytes sit where UTF-16 without a byte order mark puts them (every other byte, on ASCII)."""
    sample = data[:4096] if len(data) % 2 == 0 or len(data) > 4096 else data[:-1]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return ""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for order, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= half * 0.3 and other == 0:
            try:
                text = sample.decode(order)
            except UnicodeDecodeError:
                continue
            if len(_CONTROL.findall(text)) <= max(2, len(text) // 100):
                return f"; it looks like UTF-16 without a byte order mark: {hints.ENCODING_GUESSED.say(encoding=order)}"
    return ""


# A file of UTF-8 in which some bytes are not (a Windows editor's é pasted into it, two files
# joined) is no legacy encoding: guessing one garbles every good character (cp1006 made
# the "é" of UTF-8 into "ﺣ۸"). Legacy text holds next to no well-formed multi-byte UTF-8
# character (tests/core/test_encoding_guess.py measures it): a file with at least as many
# of them as bad bytes is UTF-8 gone wrong, and refused with its bad bytes named.
_ESCAPED = re.compile("[\udc80-\udcff]")


def _refuse_mostly_utf8(data: bytes) -> None:
    good, bad = utf8_evidence(data)
    if not good or len(bad) > good:
        return
    shown = ", ".join(f"0x{data[at]:02X} at {_where(data, at)}" for at in bad[:3])
    more = f" and {len(bad) - 3:,} more" if len(bad) > 3 else ""
    raise ImportFileError(
        f"UTF-8 but for {'1 byte' if len(bad) == 1 else f'{len(bad):,} bytes'} ({shown}{more}); not read, as"
        f" guessing another encoding would garble the rest: correct the file, or {hints.ENCODING_ALL.cli}")


def utf8_evidence(data: bytes) -> tuple[int, list[int]]:
    """How many well-formed non-ASCII UTF-8 characters ``data`` holds, and where its bytes that are not UTF-8 are.

    Positions are given for the first three bad bytes (what a message shows); the others count, as -1.
    """
    text = data.decode("utf-8", "surrogateescape")  # each bad byte becomes one lone surrogate
    bad_chars = [m.start() for m in _ESCAPED.finditer(text)]
    good = sum(1 for ch in text if ch > "\x7f") - len(bad_chars)
    positions: list[int] = []
    done = at = 0
    for i in bad_chars[:3]:
        at += len(text[done:i].encode("utf-8", "surrogateescape"))
        positions.append(at)
        done = i
    return good, positions + [-1] * (len(bad_chars) - len(positions))


# charset-normalizer decodes its input once per encoding it tries and keeps
# the results: about 20 times the input in memory. It guesses from this much
# of the start (cut at a line end), and the guess then decodes the whole.
GUESS_SAMPLE = 64 * 1024


def _guess(data: bytes) -> tuple[str, str]:
    sample = data
    if len(data) > GUESS_SAMPLE:
        cut = data.rfind(b"\n", 0, GUESS_SAMPLE)
        sample = data[: cut + 1 if cut > 0 else GUESS_SAMPLE]
    encoding = guess_encoding(sample)
    if encoding is None:
        raise ImportFileError(f"not UTF-8, and no legacy encoding fits it ({hints.ENCODING_IF_KNOWN.cli})")
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        raise ImportFileError(f"not UTF-8; its start reads as {encoding}, but the rest does not"
                              f" ({hints.ENCODING_IF_KNOWN.cli})") from None


def guess_encoding(sample: bytes) -> str | None:
    """The legacy encoding ``sample`` (not UTF-8) is most likely in, or None.

    First the Windows Latin code pages, by how well the words read through
    each are spelled (``latin_reading``); else charset-normalizer's choice, the
    more common encoding first among those it finds equally clean.
    charset-normalizer alone read Western text as cp1257 or cp1250 (its first
    candidates tie on short text, and it kept cp1257 at 10 KB), Czech as
    cp1257 and 40 characters of cp1251 as mac_cyrillic: measured in
    tests/core/test_encoding_guess.py, with the corpus there.
    """
    latin = latin_reading(sample)
    if latin is not None:
        return latin
    matches = list(from_bytes(sample))
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    clean = [m for m in matches if m.chaos <= least + _CHAOS_TIE]
    return min(clean, key=lambda m: _PRIOR.get(m.encoding, len(_PRIOR))).encoding


# Legacy encodings by how common they still are (the web's legacy code pages): the tie-breaker
# between charset-normalizer's equally clean candidates.
_PRIOR = {name: i for i, name in enumerate((
    "cp1251", "koi8_r", "cp1253", "cp932", "shift_jis", "gb18030", "gbk", "big5", "cp949", "euc_kr", "euc_jp",
    "cp1255", "cp1256", "koi8_u", "cp1250", "cp1254", "cp1257", "cp1258",
))}
_CHAOS_TIE = 0.01

# The letters beyond ASCII of the languages each Windows Latin code page was made for,
# the most common code page first (the tie-breaker). Read through the wrong one, a word
# mixes letters of several languages (Czech "příliš" through cp1252 reads "pøíliš",
# Turkish "görüşme" "görüþme", French "déjà" through cp1257 "déją") or holds a sign where
# a letter belongs (Polish "zażółć" through cp1252 reads "za¿ó³æ").
_FRENCH, _GERMAN, _SWEDISH = "àâæçéèêëîïôœùûüÿ", "äöüß", "åäöéüšž"
_LATIN_PAGES: dict[str, tuple[frozenset[str], ...]] = {
    page: tuple(frozenset(letters) for letters in alphabets) for page, alphabets in {
        "cp1252": (
            _FRENCH, _GERMAN, _SWEDISH,
            "áéíóúüñ",  # Spanish, Galician, Irish
            "àçéèíïóòúü",  # Catalan
            "áâãàçéêíóôõúü",  # Portuguese
            "àèéìíîòóùú",  # Italian
            "áéíóúàèëïöüê",  # Dutch, Afrikaans
            "æøåéóôèòàü",  # Danish, Norwegian
            "äöõüšž",  # Estonian
            "áðéíóúýþæö",  # Icelandic, Faroese
        ),
        "cp1250": (
            _GERMAN,
            "ąćęłńóśźż",  # Polish
            "áčďéěíňóřšťúůýž",  # Czech
            "áäčďéíĺľňóôŕšťúýž",  # Slovak
            "áéíóöőúüű",  # Hungarian
            "čćđšž",  # Croatian, Bosnian, Slovene
            "ăâîşţ",  # Romanian
            "ëç",  # Albanian
        ),
        "cp1254": (_FRENCH, _GERMAN, "çğıöşüâîû"),  # Turkish; otherwise cp1252's letters
        "cp1257": (
            _GERMAN, _SWEDISH,
            "ąčęėįšųūž",  # Lithuanian
            "āčēģīķļņšūž",  # Latvian
            "äöõüšž",  # Estonian
        ),
    }.items()
}
# Signs that may stand between two letters of a word: apostrophes, Catalan's middle dot, a soft hyphen.
_INSIDE_WORDS = frozenset("’‘·\xad")
_WORD_PIECE = re.compile(r"\S+")
# Up to this share of the words with letters beyond ASCII may fit no alphabet (a name from
# elsewhere). Polish, Czech, Turkish and Lithuanian read through cp1252 miss more.
_ODD_WORDS = 0.1


def latin_reading(sample: bytes) -> str | None:
    """The Windows Latin code page whose reading of ``sample`` is spelled best, or None if none reads well.

    Scored on the words holding letters beyond ASCII: the share spelled with
    the letters of one language of that code page (with no sign inside), then
    the share that one language alone spells; ties go to the more common page.
    """
    best: tuple[float, float] | None = None
    chosen = None
    for page, alphabets in _LATIN_PAGES.items():
        try:
            text = sample.decode(page)
        except UnicodeDecodeError:
            continue
        score = _spelling_score(text, alphabets)
        if score is not None and score[0] >= 1 - _ODD_WORDS and (best is None or score > best):
            best, chosen = score, page
    return chosen


def _spelling_score(text: str, alphabets: tuple[frozenset[str], ...]) -> tuple[float, float] | None:
    words = [letters for piece in _WORD_PIECE.findall(text) if not piece.isascii()
             for letters in [_letters(piece)]]
    if not words:
        return None
    fits = sum(1 for letters in words if letters is not None and any(letters <= a for a in alphabets))
    alone = max(sum(1 for letters in words if letters is not None and letters <= a) for a in alphabets)
    return fits / len(words), alone / len(words)


def _letters(piece: str) -> set[str] | None:
    """The letters beyond ASCII of a word, lower-cased; None when a sign stands between two of its letters."""
    letters: set[str] = set()
    for i, ch in enumerate(piece):
        if ch.isascii():
            continue
        if ch.isalpha() and ch not in "ˆªº":
            letters.add(ch.lower())
        elif ch not in _INSIDE_WORDS and 0 < i < len(piece) - 1 and piece[i - 1].isalpha() and piece[i + 1].isalpha():
            return None
    return letters


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
