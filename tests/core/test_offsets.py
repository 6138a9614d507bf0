from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import Utf16Map

TRICKY = st.text(alphabet=st.sampled_from(["a", " ", "\n", "😀", "🇹", "🇷", "e", "\u0301", "ש", "\u200d", "𝔘"]),
                 max_size=60)


def _u16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


@given(TRICKY)
def test_round_trip_against_brute_force(text: str) -> None:
    m = Utf16Map(text)
    assert m.length_u16 == len(text.encode("utf-16-le")) // 2
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert u == _u16(text, cp)
        assert m.to_codepoint(u) == cp


def test_example_from_design() -> None:
    text = "a😀b\nc🇹🇷d"
    m = Utf16Map(text)
    assert len(text) == 8 and m.length_u16 == 11
    assert m.to_utf16(text.index("b")) == 3
    assert m.to_codepoint(10) == text.index("d")


def test_inside_a_surrogate_pair() -> None:
    m = Utf16Map("a😀b")
    with pytest.raises(ValueError, match="surrogate"):
        m.to_codepoint(2)
    assert m.to_codepoint(2, snap=True) == 1
