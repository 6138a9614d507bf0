"""Search ignores case and accents, in any script, on titles, sources and texts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.search import contains, fold
from annotator.core.store import Store


def test_fold_drops_case_and_accents() -> None:
    assert fold("Türkiye") == fold("TÜRKIYE") == fold("turkiye") == "turkiye"
    assert fold("Erdoğan") == "erdogan"
    assert fold("İstanbul") == "istanbul"          # the dotted capital I of Turkish
    assert fold("Peskov ﬁnds") == "peskov finds"   # compatibility forms (the fi ligature)
    assert fold("שָׁלוֹם") == "שלום"                  # Hebrew vowel points
    assert fold("مُحَمَّد") == "محمد"                   # Arabic harakat
    assert fold("S-400 😀") == "s-400 😀"


@given(st.text())
def test_folding_is_idempotent_and_a_text_contains_itself(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert contains(text, fold(text))
    assert contains(fold(text), fold(text))


def test_typeset_quotes_and_dashes_fold_to_what_a_keyboard_types() -> None:
    assert fold("Ankara’s “deal” — S‑400") == fold("ankara's \"deal\" - s-400") == "ankara's \"deal\" - s-400"
    assert contains("They don’t comment.", fold("DON'T"))


def test_compatibility_forms_fold_like_what_they_stand_for() -> None:
    assert fold("Apple™") == "appletm" and fold("ℌ") == "h" and fold("㎒") == "mhz"
    assert contains("Apple™ Watch", fold("TM"))


def test_the_store_finds_texts_without_accents() -> None:
    store = Store.memory()
    tr, _ = store.add_article("Türkiye wants to return the S-400s, says Erdoğan.", title="a", actor="t")
    store.add_article("The Kremlin denied the report.", title="b", actor="t")
    assert store.search_articles("turkiye") == {tr.id}
    assert store.search_articles("ERDOGAN") == store.search_articles("erdoğan") == {tr.id}
    assert store.search_articles("  ") == set()
    assert store.search_articles("nowhere") == set()
    store.close()
