"""Text search as a fact-checker types it: any case, with or without accents.

"turkiye" finds "Türkiye" and "TÜRKIYE"; "kremlin" finds "KREMLIN"; "tm" finds
"™"; "don't" finds "don’t". Folding drops case and compatibility differences, then
the combining marks (so it also ignores Arabic and Hebrew vowel marks), and types
curly quotes and dashes as the keyboard does; both sides are folded.
"""

from __future__ import annotations

import unicodedata

# What people type on a keyboard for what typesetting prints: "ankara's" finds "Ankara’s".
_TYPED = str.maketrans({
    **dict.fromkeys("‘’‚‛′ʼ", "'"), **dict.fromkeys("“”„‟″", '"'), **dict.fromkeys("‐‑‒–—―−", "-"),
})


def fold(text: str) -> str:
    """``text`` without case or diacritics, for comparing, never for storing or offsets.

    Unicode's compatibility caseless match (casefold and NFKD twice: decomposing "™"
    gives capitals to fold again), then the combining marks dropped. Idempotent.
    """
    if text.isascii():
        return text.casefold()
    once = unicodedata.normalize("NFKD", text.casefold())
    twice = unicodedata.normalize("NFKD", once.casefold())
    return "".join(ch for ch in twice if not unicodedata.combining(ch)).translate(_TYPED)


def contains(haystack: str, folded_needle: str) -> bool:
    """Whether ``haystack`` holds the needle (already folded with :func:`fold`)."""
    return folded_needle in fold(haystack)
