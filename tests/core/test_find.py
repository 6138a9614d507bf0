"""Find in an article: matches as code points of the stored text, with the list search's folding."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.find import FoldedText
from annotator.core.search import fold


def texts(found: list[tuple[int, int]], text: str) -> list[str]:
    return [text[s:e] for s, e in found]


def test_case_accents_and_typed_quotes_are_ignored() -> None:
    text = "Türkiye asked; TÜRKIYE denied. Turkiye’s don’t — the Kremlin's KREMLIN"
    folded = FoldedText(text)
    assert texts(folded.find_all("turkiye"), text) == ["Türkiye", "TÜRKIYE", "Turkiye"]
    assert texts(folded.find_all("don't"), text) == ["don’t"]
    assert texts(folded.find_all("kremlin"), text) == ["Kremlin", "KREMLIN"]
    assert folded.find_all("") == [] and folded.find_all("   ") == []
    assert folded.find_all("absent") == []


def test_offsets_are_code_points_after_emoji_and_in_right_to_left_text() -> None:
    text = "😀🇹🇷 Ankara said: قال الكرملين إن 😀 Ankara"
    found = FoldedText(text).find_all("ankara")
    assert texts(found, text) == ["Ankara", "Ankara"]
    assert found[0] == (4, 10)
    arabic = FoldedText(text).find_all("الكرملين")
    assert texts(arabic, text) == ["الكرملين"]


def test_a_match_keeps_its_combining_marks_and_whole_characters() -> None:
    decomposed = "cafe\u0301 and Stra\u00dfe"  # é as e + combining acute; ß folds to "ss"
    folded = FoldedText(decomposed)
    assert texts(folded.find_all("cafe"), decomposed) == ["cafe\u0301"]
    assert texts(folded.find_all("strasse"), decomposed) == ["Stra\u00dfe"]
    # half of what ß folds to still finds the whole ß: offsets never cut a character's folding
    assert texts(folded.find_all("stras"), decomposed) == ["Stra\u00df"]


def test_matches_do_not_overlap_and_come_in_text_order() -> None:
    text = "aaaa"
    assert FoldedText(text).find_all("aa") == [(0, 2), (2, 4)]


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
       st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6),
       st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_an_inserted_needle_is_found_where_it_was_put(before: str, needle: str, after: str) -> None:
    if not fold(needle).strip():
        return
    text = before + needle + after
    found = FoldedText(text).find_all(needle)
    assert found, (text, needle)
    for start, end in found:
        assert 0 <= start < end <= len(text)
        # what a match covers folds to something holding the needle
        assert fold(needle) in fold(text[start:end])
        # and it never starts on a combining mark left of its letter
        assert not unicodedata.combining(text[start]) or start == 0 or fold(text[start - 1]) == ""
