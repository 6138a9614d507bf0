"""The compare view's disagreement list on a constructed pair, and adopting a side into the gold set."""

from __future__ import annotations

import pytest

from annotator.core import compare
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store

TEXT = "0123456789" * 4  # 40 characters; offsets are easy to read


@pytest.fixture
def pair(store: Store) -> int:
    a, _ = store.add_article(TEXT, title="constructed", actor="lead")
    spans = [
        # ana                                   bo
        ("ana", 0, 5, "claim", "a-agree"),      ("bo", 0, 5, "claim", "b-agree"),       # agree exactly
        ("ana", 6, 10, "denial", "a-label"),    ("bo", 6, 10, "claim", "b-label"),      # label mismatch
        ("ana", 12, 20, "background", "a-bnd"),                                         # boundary, one
        ("bo", 14, 17, "background", "b-bnd1"), ("bo", 18, 22, "background", "b-bnd2"),  # against two
        ("ana", 25, 30, "claim", "a-only"),                                             # overlaps bo's
        ("bo", 27, 33, "denial", "b-only"),                                             # with other label
        ("ana", 35, 40, "claim", "a-nested"),   ("ana", 36, 38, "denial", "a-inner"),   # only ana
        ("cy", 0, 40, "claim", "c-all"),                                                # not compared
    ]
    for who, start, end, label, uid in spans:
        store.add_annotation(a.id, start, end, label, annotator=who, uid=uid)
    return a.id


def test_disagreements_in_text_order_with_both_sides(store: Store, pair: int) -> None:
    result = compare.compare(store, pair, "ana", "bo")
    assert [(x.uid, y.uid) for x, y in result.agreements] == [("a-agree", "b-agree")]
    got = [(d.kind, d.start, d.end, [x.uid for x in d.a], [y.uid for y in d.b]) for d in result.disagreements]
    assert got == [
        ("label", 6, 10, ["a-label"], ["b-label"]),
        ("boundary", 12, 22, ["a-bnd"], ["b-bnd1", "b-bnd2"]),
        ("only_a", 25, 30, ["a-only"], []),
        ("only_b", 27, 33, [], ["b-only"]),
        ("only_a", 35, 40, ["a-nested"], []),
        ("only_a", 36, 38, ["a-inner"], []),
    ]
    assert result.disagreements[1].describe() == (
        "[12, 22) same label, different boundaries: ana: background [12, 20); "
        "bo: background [14, 17), background [18, 22)")


def test_after_a_verdict_the_next_undecided_disagreement_then_one_skipped_before(store: Store, pair: int) -> None:
    compare.adopt(store, compare.compare(store, pair, "ana", "bo").disagreements[2], "a", reviewer="rita")
    result = compare.compare(store, pair, "ana", "bo")
    assert [d.decided for d in result.disagreements] == [False, False, True, False, False, False]
    assert result.next_undecided(1) == 3   # the decided one is stepped over
    assert result.next_undecided(5) == 0   # none after the last: the first one skipped
    for d in result.disagreements:
        if not d.decided:
            compare.adopt(store, d, "b", reviewer="rita")
    assert compare.compare(store, pair, "ana", "bo").next_undecided(0) is None
    assert result.involves("Ana") and result.involves("bo") and not result.involves("rita")


def test_comparison_is_symmetric(store: Store, pair: int) -> None:
    ab = compare.compare(store, pair, "ana", "bo")
    ba = compare.compare(store, pair, "bo", "ana")
    flip = {"only_a": "only_b", "only_b": "only_a", "label": "label", "boundary": "boundary"}
    assert sorted((flip[d.kind], d.start, d.end) for d in ab.disagreements) == sorted(
        (d.kind, d.start, d.end) for d in ba.disagreements)


def test_duplicate_spans_pair_one_to_one() -> None:
    from annotator.core.model import Annotation

    def span(uid: str, who: str, start: int, end: int, label: str) -> Annotation:
        return Annotation(uid=uid, article_id=1, start=start, end=end, label=label, text="x", annotator=who)

    agree, found = compare.disagreements(
        [span("a1", "A", 0, 5, "claim"), span("a2", "A", 0, 5, "claim")], [span("b1", "B", 0, 5, "claim")])
    assert [(x.uid, y.uid) for x, y in agree] == [("a1", "b1")]
    assert [(d.kind, [x.uid for x in d.a]) for d in found] == [("only_a", ["a2"])]


def test_same_annotator_twice_is_refused(store: Store, pair: int) -> None:
    with pytest.raises(AnnotatorError, match="two different annotators"):
        compare.compare(store, pair, "ana", "ana")


def test_adopt_accepts_one_side_and_rejects_the_other(store: Store, pair: int) -> None:
    found = compare.compare(store, pair, "ana", "bo").disagreements
    label, boundary, only_a = found[0], found[1], found[2]

    changed = compare.adopt(store, label, "b", reviewer="rita")
    assert [(x.uid, x.status) for x in changed] == [("b-label", "accepted"), ("a-label", "rejected")]
    assert store.annotation("a-label").review_note == "compared with bo, whose span was adopted instead"
    assert store.events_for("b-label")[-1].actor == "rita"

    compare.adopt(store, boundary, "a", reviewer="rita")
    assert [store.annotation(u).status for u in ("a-bnd", "b-bnd1", "b-bnd2")] == ["accepted", "rejected", "rejected"]

    # adopting the empty side: the reviewer agrees there is no span
    compare.adopt(store, only_a, "b", reviewer="rita")
    assert store.annotation("a-only").status == "rejected"
    assert "has no span here" in store.annotation("a-only").review_note

    compare.accept_agreements(store, compare.compare(store, pair, "ana", "bo"), reviewer="rita")
    assert (store.annotation("a-agree").status, store.annotation("b-agree").status) == ("accepted", "rejected")

    # the gold set is what `export --status accepted` writes
    [record] = list(store.export_records(statuses=["accepted"]))
    assert [(s["uid"], s["start"], s["end"], s["label"]) for s in record["spans"]] == [
        ("a-agree", 0, 5, "claim"), ("b-label", 6, 10, "claim"), ("a-bnd", 12, 20, "background")]


def test_adopt_is_one_transaction(store: Store, pair: int) -> None:
    boundary = compare.compare(store, pair, "ana", "bo").disagreements[1]
    store.delete_annotation("b-bnd2", actor="bo")  # gone since the comparison was made
    events = store.event_count()
    with pytest.raises(AnnotatorError):
        compare.adopt(store, boundary, "a", reviewer="rita")
    assert store.annotation("a-bnd").status == "pending"
    assert store.event_count() == events


def test_every_kind_of_disagreement_in_words(store: Store, pair: int) -> None:
    result = compare.compare(store, pair, "ana", "bo")
    assert (result.article_id, result.annotator_a, result.annotator_b) == (pair, "ana", "bo")
    assert [d.describe() for d in result.disagreements] == [
        "[6, 10) same offsets, different labels: ana: denial [6, 10); bo: claim [6, 10)",
        "[12, 22) same label, different boundaries: ana: background [12, 20); bo: background [14, 17),"
        " background [18, 22)",
        "[25, 30) only ana has a span: ana: claim [25, 30); bo: nothing",
        "[27, 33) only bo has a span: ana: nothing; bo: denial [27, 33)",
        "[35, 40) only ana has a span: ana: claim [35, 40); bo: nothing",
        "[36, 38) only ana has a span: ana: denial [36, 38); bo: nothing",
    ]
    # the names are the caller's: A and B unless told
    from annotator.core.model import Annotation

    lone = Annotation(uid="x", article_id=1, start=0, end=2, label="claim", text="01", annotator="ana")
    _, [d] = compare.disagreements([lone], [])
    assert (d.annotator_a, d.annotator_b) == ("A", "B")
    assert d.describe() == "[0, 2) only A has a span: A: claim [0, 2); B: nothing"


def test_touching_spans_of_one_label_are_no_boundary_disagreement() -> None:
    from annotator.core.model import Annotation

    def span(uid: str, start: int, end: int) -> Annotation:
        return Annotation(uid=uid, article_id=1, start=start, end=end, label="claim", text="x", annotator=uid)

    _, found = compare.disagreements([span("a", 0, 5)], [span("b", 5, 9)])
    assert [d.kind for d in found] == ["only_a", "only_b"]
    _, found = compare.disagreements([span("a", 5, 9)], [span("b", 0, 5)])
    assert [d.kind for d in found] == ["only_b", "only_a"]


def test_only_the_article_asked_for_is_compared(store: Store, pair: int) -> None:
    other, _ = store.add_article("Another article, tagged too.", title="other", actor="lead")
    store.add_annotation(other.id, 0, 7, "claim", annotator="ana", uid="elsewhere-a")
    store.add_annotation(other.id, 0, 7, "claim", annotator="bo", uid="elsewhere-b")
    result = compare.compare(store, pair, "ana", "bo")
    assert [(x.uid, y.uid) for x, y in result.agreements] == [("a-agree", "b-agree")]


def test_refusals_in_words(store: Store, pair: int) -> None:
    with pytest.raises(AnnotatorError) as same:
        compare.compare(store, pair, "ana", "ana")
    assert str(same.value) == "compare needs two different annotators"
    with pytest.raises(AnnotatorError) as unknown:
        compare.compare(store, pair, "ana", "zed")
    assert str(unknown.value) == "no annotations by 'zed' in this database (annotators: ana, bo, cy)"
    empty = Store.memory()
    article, _ = empty.add_article("Text.", title="t", actor="lead")
    with pytest.raises(AnnotatorError) as none:
        compare.compare(empty, article.id, "ana", "bo")
    assert str(none.value) == "no annotations by 'ana' in this database (annotators: none)"
    label = compare.compare(store, pair, "ana", "bo").disagreements[0]
    with pytest.raises(AnnotatorError) as side:
        compare.adopt(store, label, "c", reviewer="rita")  # type: ignore[arg-type]
    assert str(side.value) == "side must be 'a' or 'b', not 'c'"
    with pytest.raises(AnnotatorError) as nameless:
        compare.adopt(store, label, "a", reviewer=" ")
    assert str(nameless.value) == "adopting a span needs the reviewer's name"
    with pytest.raises(AnnotatorError) as nameless_too:
        compare.accept_agreements(store, compare.compare(store, pair, "ana", "bo"), reviewer="")
    assert str(nameless_too.value) == "accepting spans needs the reviewer's name"


def test_adopting_side_a_and_keeping_b_of_the_agreements(store: Store, pair: int) -> None:
    label = compare.compare(store, pair, "ana", "bo").disagreements[0]
    assert [(x.uid, x.status) for x in compare.adopt(store, label, "a", reviewer="rita")] == [
        ("a-label", "accepted"), ("b-label", "rejected")]
    assert store.annotation("b-label").review_note == "compared with ana, whose span was adopted instead"
    only_b = compare.compare(store, pair, "ana", "bo").disagreements[3]
    compare.adopt(store, only_b, "a", reviewer="rita")
    assert store.annotation("b-only").review_note == "compared with ana, who has no span here; the reviewer agreed"
    changed = compare.accept_agreements(store, compare.compare(store, pair, "ana", "bo"), reviewer="rita", side="b")
    assert [(x.uid, x.status) for x in changed] == [("b-agree", "accepted"), ("a-agree", "rejected")]
    assert store.annotation("a-agree").review_note == "duplicate of bo's identical span, accepted"
