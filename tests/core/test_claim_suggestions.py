"""Same-claim suggestions: the sentence rule, the ranking on the seeds, rejections and acceptance."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.claim_suggestions import SentenceIndex, index_for, role_hint, sentences, suggest_same_claim
from annotator.core.errors import ClaimError
from annotator.core.paths import load_seeds
from annotator.core.store import Store


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


def test_sentences_end_at_line_breaks_and_full_stops_not_abbreviations() -> None:
    text = ("Erdogan and Putin met in Ashgabat, Turkmenistan, on Dec. 12 on the sidelines.  The U.S. said no.\n"
            '"This topic was not on the agenda," Peskov said. Really? Yes! 2019 was the year…\n\n'
            "Mr. Barrack, who is ambassador, spoke. e.g. this stays\n   \n- Cost: $2.5 billion")
    assert texts(text) == [
        "Erdogan and Putin met in Ashgabat, Turkmenistan, on Dec. 12 on the sidelines.",
        "The U.S. said no.",
        '"This topic was not on the agenda," Peskov said.',
        "Really?", "Yes!", "2019 was the year…",
        "Mr. Barrack, who is ambassador, spoke.", "e.g. this stays",
        "- Cost: $2.5 billion",
    ]


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\"U“”…1")), max_size=80))
def test_sentences_are_trimmed_ordered_disjoint_and_hold_a_word(text: str) -> None:
    previous = 0
    for start, end in sentences(text):
        assert previous <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and any(c.isalnum() for c in piece)
        assert "\n" not in piece
        previous = end


def test_role_hints() -> None:
    assert role_hint("The Kremlin has firmly rejected reports suggesting that Türkiye intends to return") == "denies"
    assert role_hint("Kremlin Denies Claims of Türkiye Returning S-400 Missiles to Russia") == "denies"
    assert role_hint("According to Bloomberg, Erdogan asked Putin to take back the missile systems") == "states"


@pytest.fixture
def seeds() -> Store:
    store = Store.memory()
    load_seeds(store, "tester")
    yield store
    store.close()


def seed_claim(store: Store) -> tuple[str, str]:
    """The S-400 claim as a fact-checker makes it: from the report in 002, summary rewritten."""
    text = store.article_text(3)
    phrase = "Türkiye plans to return the S-400 air defense systems to Russia"
    start = text.index(phrase)
    span = store.add_annotation(3, start, start + len(phrase), "claim", annotator="ana").uid
    claim = store.create_claim_from_span(span, actor="ana").claim_uid
    store.edit_claim(claim, actor="ana", summary="Erdoğan asked Putin to take back Türkiye's S-400 systems")
    return claim, span


def test_the_s400_claim_finds_its_reports_and_denials_on_the_seeds(seeds: Store) -> None:
    claim, _span = seed_claim(seeds)
    found = suggest_same_claim(seeds, claim, limit=10)

    def role(article_id: int, beginning: str) -> str:
        return next(s.role for s in found if s.article_id == article_id and s.text.startswith(beginning))

    # the other reports: 002's headline and 003's Bloomberg sentence
    assert role(3, "Türkiye wants to return S-400 air defense systems") == "states"
    assert role(4, "According to Bloomberg, Erdogan asked Putin") == "states"
    # the denials: the Kremlin's in 000 and 001
    assert role(1, "Kremlin denied a Bloomberg report") == "denies"
    assert role(2, "Kremlin Denies Claims of Türkiye") == "denies"
    assert role(2, "The Kremlin has firmly rejected reports") == "denies"
    scores = [s.score for s in found]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    # the linked span's own sentence is not suggested back
    assert not any(s.article_id == 3 and s.text.startswith("Türkiye plans to return") for s in found)
    for s in found:
        assert seeds.article_text(s.article_id)[s.start:s.end] == s.text


def test_a_rejected_suggestion_is_not_offered_again(seeds: Store) -> None:
    claim, _span = seed_claim(seeds)
    first = suggest_same_claim(seeds, claim, limit=3)[0]
    seeds.reject_suggestion(claim, first.article_id, first.start, first.end, actor="ana")
    again = suggest_same_claim(seeds, claim, limit=3)
    assert (first.article_id, first.start) not in {(s.article_id, s.start) for s in again}


def test_an_accepted_suggestion_becomes_a_linked_span_and_leaves_the_list(seeds: Store) -> None:
    claim, _span = seed_claim(seeds)
    denial = next(s for s in suggest_same_claim(seeds, claim, limit=10) if s.article_id == 1)
    accepted = seeds.accept_suggestion(claim, denial.article_id, denial.start, denial.end, annotator="ana",
                                       role=denial.role)
    assert accepted.annotation.label == "denial" and accepted.annotation.text == denial.text
    assert [(k.span_uid, k.role) for k in seeds.links_of_claim(claim)][-1] == (accepted.annotation.uid, "denies")
    assert denial.text not in {s.text for s in suggest_same_claim(seeds, claim, limit=10)}


def test_the_index_catches_up_with_new_articles_only(seeds: Store) -> None:
    index = index_for(seeds)
    rows = len(index)
    assert index.refresh(seeds) == 0 and len(index) == rows
    seeds.add_article("Ankara denies it will return the S-400. Officials said nothing else.", title="new",
                      actor="ana")
    assert index_for(seeds) is index and len(index) == rows + 2
    claim = seeds.create_claim("Ankara will return the S-400", actor="ana").claim_uid
    assert suggest_same_claim(seeds, claim, limit=1)[0].article_id == 6


def test_a_deleted_article_is_not_suggested_and_comes_back_with_undo(seeds: Store) -> None:
    claim, _span = seed_claim(seeds)
    assert 2 in {s.article_id for s in suggest_same_claim(seeds, claim, limit=10)}
    change = seeds.delete_article(2, actor="ana")
    assert 2 not in {s.article_id for s in suggest_same_claim(seeds, claim, limit=10)}
    seeds.apply_article_change(change.inverse(), actor="ana")
    assert 2 in {s.article_id for s in suggest_same_claim(seeds, claim, limit=10)}


def test_no_articles_or_no_shared_word_suggests_nothing(store: Store) -> None:
    claim = store.create_claim("Anything at all", actor="ana").claim_uid
    assert suggest_same_claim(store, claim) == []
    store.add_article("Completely unrelated words here.", title="t", actor="ana")
    assert suggest_same_claim(store, claim, index=SentenceIndex()) == []
    with pytest.raises(ClaimError, match="at least one"):
        suggest_same_claim(store, claim, limit=0)


def test_a_suggestion_rejected_for_another_claim_is_still_offered_for_this_one(seeds: Store) -> None:
    claim, _span = seed_claim(seeds)
    other = seeds.create_claim("Erdoğan asked Putin to take back the S-400 systems", actor="bo").claim_uid
    first = suggest_same_claim(seeds, claim, limit=3)[0]
    seeds.reject_suggestion(other, first.article_id, first.start, first.end, actor="bo")
    assert suggest_same_claim(seeds, claim, limit=3)[0] == first
    assert (first.article_id, first.start) not in {(s.article_id, s.start) for s in suggest_same_claim(seeds, other)}
