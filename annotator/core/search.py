"""Text search as a fact-checker types it: any case, with or without accents.

"turkiye" finds "Türkiye" and "TÜRKIYE"; "kremlin" finds "KREMLIN". Folding is
casefold, then canonical decomposition with the combining marks dropped (so it
also ignores Arabic and Hebrew vowel marks), applied to both sides.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``text`` without case or diacritics, for comparing, never for storing or offsets."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))


def contains(haystack: str, folded_needle: str) -> bool:
    """Whether ``haystack`` holds the needle (already folded with :func:`fold`)."""
    return folded_needle in fold(haystack)
