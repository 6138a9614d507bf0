"""The tokenisation rule of the token-based formats (CoNLL, spaCy).

Stated once, here, because a dataset's users need to know it:

1. Whitespace separates tokens and belongs to none.
2. A word is a run of letters, digits, underscores and combining marks;
   an apostrophe or hyphen between two such runs joins them ("don't",
   "S-400", "F-35"), and so does a point or comma between digits ("3.5",
   "1,000").
3. Any other character is a token of its own, together with the marks and
   modifiers that follow it, the characters a zero-width joiner glues to it,
   and for a flag, its second regional indicator: an emoji such as
   "👩‍💻" or "🇹🇷" is one token, never split inside.
4. The text is first cut at every span boundary and each piece tokenised
   on its own, so that every span starts and ends on token boundaries and no
   span is lost to tokenisation (a span ending inside "don't" makes "don",
   "'" and "t").

Tokens are code point ranges ``(start, end)`` of the article text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache

# Characters that end a sentence when a token of them is followed by one
# that does not start in lower case.
TERMINALS = frozenset(".!?…。！？")
CLOSERS = frozenset("\")]}»”›")


@cache
def _pattern() -> re.Pattern[str]:
    ranges: list[tuple[int, int]] = []
    start = prev = -1
    for cp in range(0x300, min(sys.maxunicode, 0xE01EF) + 1):
        if unicodedata.category(chr(cp))[0] == "M":
            if start < 0:
                start = cp
            prev = cp
        elif start >= 0:
            ranges.append((start, prev))
            start = -1
    if start >= 0:
        ranges.append((start, prev))
    marks = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" if a != b else re.escape(chr(a)) for a, b in ranges)
    # Emoji skin-tone modifiers and tag characters (subdivision flags) ride on the character before them.
    attached = marks + "\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F"
    word = rf"[\w{marks}]+(?:(?:['’\-]|(?<=\d)[.,](?=\d))[\w{marks}]+)*"
    flag = "[\U0001F1E6-\U0001F1FF]{2}"
    other = rf"\u200d?[^\s{attached}][{attached}]*(?:\u200d[^\s][{attached}]*)*|[{attached}]+"
    return re.compile(f"{word}|{flag}|{other}")


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """The tokens of ``text`` by the rule above, the text first cut at every offset in ``cuts``."""
    pattern = _pattern()
    edges = [0, *sorted({c for c in cuts if 0 < c < len(text)}), len(text)]
    tokens: list[tuple[int, int]] = []
    for a, b in zip(edges, edges[1:], strict=False):
        # Each piece on its own, as if spaces stood at the cuts: a text rebuilt
        # from the tokens with spaces between them tokenises the same way.
        tokens.extend((a + m.start(), a + m.end()) for m in pattern.finditer(text[a:b]))
    return tokens


def is_punctuation(token: str) -> bool:
    """True for a token made only of punctuation (and the marks riding on it)."""
    return all(unicodedata.category(ch)[0] in "PM" for ch in token) and unicodedata.category(token[0])[0] == "P"


def sentence_ends(text: str, tokens: list[tuple[int, int]], together: Sequence[bool] = ()) -> list[bool]:
    """For each token, whether a sentence ends after it.

    A sentence ends at a line break, and after ``.``, ``!``, ``?`` or ``…``
    (with any closing quotes or brackets right after them) when the next
    token does not start with a lower-case letter. A straight double quote
    closes when it is the second of a pair in the sentence. The rule reads
    tokens only, not the spaces between them, so a text rebuilt from the
    tokens splits into the same sentences. Where ``together[i]`` is true
    (tokens i and i + 1 lie in one span), no sentence ends.
    """
    pieces = [text[a:b] for a, b in tokens]
    ends = [False] * len(tokens)
    quotes = 0  # straight double quotes so far in this sentence
    after_terminal = False
    for i, piece in enumerate(pieces):
        if piece == '"':
            quotes += 1
        closing = piece in CLOSERS and (piece != '"' or quotes % 2 == 0)
        after_terminal = piece in TERMINALS or (closing and after_terminal)
        if i + 1 == len(pieces):
            ends[i] = True
            break
        following = pieces[i + 1]
        if "\n" in text[tokens[i][1]:tokens[i + 1][0]]:
            ends[i] = True
        elif after_terminal and following not in TERMINALS and not following[0].islower():
            next_closes = following in CLOSERS and (following != '"' or quotes % 2 == 1)
            ends[i] = not next_closes
        if ends[i] and i < len(together) and together[i]:
            ends[i] = False
        if ends[i]:
            quotes, after_terminal = 0, False
    return ends
