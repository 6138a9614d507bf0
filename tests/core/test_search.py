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


@given(st.text(), st.data())
def test_every_piece_of_a_text_is_found_in_it(text: str, data: st.DataObject) -> None:
    # Folding goes character by character (marks dropped, never composed), so a piece of a text
    # folds to a piece of the folded text: whatever a user copies out of an article finds it.
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert fold(text) == fold(text[:start]) + fold(text[start:])
    assert contains(text, fold(text[start:end]))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéçğş -'’", max_size=20), st.data())
def test_a_piece_typed_in_capitals_or_without_accents_is_found(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    piece = text[start:end]
    assert contains(text, fold(piece.upper()))
    plain = piece.translate(str.maketrans("äöüéçğş’", "aoueçgs'")).replace("ç", "c")
    assert contains(text, fold(plain))


@given(st.text(alphabet="abc ", min_size=1), st.text(alphabet="xyz", min_size=1))
def test_a_needle_that_is_not_there_is_not_found(haystack: str, needle: str) -> None:
    assert not contains(haystack, fold(needle))


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


def test_the_store_finds_titles_sources_and_typed_quotes() -> None:
    store = Store.memory()
    quote, _ = store.add_article('Peskov: they don’t comment on the “deal”.', title="Kremlin", source="TASS",
                                 actor="t")
    wire, _ = store.add_article("Nothing to see.", title="Ankara’s answer", origin="wire.jsonl", actor="t")
    assert store.search_articles("DON'T") == {quote.id}                 # typed quote, curly in the text
    assert store.search_articles('"deal"') == {quote.id}                # quotes in the needle are text
    assert store.search_articles("kreml") == {quote.id}                 # titles
    assert store.search_articles("tass") == {quote.id}                  # sources
    assert store.search_articles("wire.json") == {wire.id}             # the origin when there is no source
    assert store.search_articles("ankara's") == {wire.id}
    # One or two characters match titles and sources only: two letters are in nearly every text.
    assert store.search_articles("TA") == {quote.id}
    assert store.search_articles("e") == {quote.id, wire.id}
    assert store.search_articles("pe") == set()                         # "Peskov" is in a text, not a title
    with store.transaction():  # what a merge writes
        merged = store.insert_article_row("Erdoğan spoke.", uid="m1", sha256="x", title="merged", source=None,
                                          url=None, published=None, origin=None, created_at="2026-01-01T00:00:00Z")
    assert store.search_articles("erdogan") == {merged.id}
    store.close()



def test_the_index_follows_what_commits_and_what_rolls_back() -> None:
    # New articles' index rows wait for the end of the transaction; a savepoint rolled
    # back in between takes its article, and its id goes to the next one.
    store = Store.memory()
    with store.transaction():
        first, _ = store.add_article("Ankara spoke first.", title="Ankara report", actor="t")
        try:
            with store.transaction():
                store.add_article("Moscow spoke.", title="Moscow report", actor="t")
                raise RuntimeError("a bad record")
        except RuntimeError:
            pass
        third, _ = store.add_article("Washington spoke.", title="Washington report", actor="t")
        try:
            with store.transaction():  # the last one: no later article takes its id
                store.add_article("Lisbon spoke.", title="Lisbon report", actor="t")
                raise RuntimeError("another bad record")
        except RuntimeError:
            pass
    assert third.id == first.id + 1
    assert store.search_articles("moscow report") == store.search_articles("lisbon report") == set()
    assert store.search_articles("washington report") == {third.id}
    assert store.search_articles("ankara report") == {first.id}
    try:
        with store.transaction():
            store.add_article("Berlin spoke.", title="Berlin report", actor="t")
            raise RuntimeError("cancelled")
    except RuntimeError:
        pass
    fourth, _ = store.add_article("Paris spoke.", title="Paris report", actor="t")
    assert store.search_articles("berlin report") == set()
    assert store.search_articles("paris report") == {fourth.id}
    store.close()


def test_an_edited_title_or_source_is_searched_as_it_now_reads() -> None:
    store = Store.memory()
    article, _ = store.add_article("The Kremlin denied it.", title="Draft title", source="Wire", actor="t")
    store.edit_article(article.id, title="Erdoğan’s reply", source="Anadolu", actor="t")
    assert store.search_articles("erdogan's") == store.search_articles("anadolu") == {article.id}
    assert store.search_articles("draft") == store.search_articles("wire") == set()
    with store.transaction():  # what a merge writes
        store.write_article_details(article.uid, {"title": "Final", "source": None})
    assert store.search_articles("final") == {article.id}
    assert store.search_articles("anadolu") == set()
    with store.transaction():  # edited before the transaction that added it has ended
        fresh, _ = store.add_article("Another text.", title="First name", actor="t")
        store.edit_article(fresh.id, title="Second name", actor="t")
    assert store.search_articles("second name") == {fresh.id}
    assert store.search_articles("first name") == set()
    store.close()
