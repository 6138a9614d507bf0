"""The review queue: filters, stable order, next/previous, verdicts recorded as events."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core import review
from annotator.core.errors import LabelError, SpanError
from annotator.core.store import REVIEW_FIELDS, Store

from .review_support import fake_clock


@pytest.fixture
def two_articles(store: Store) -> tuple[int, int]:
    a, _ = store.add_article("Kremlin denied a Bloomberg report on the S-400.", title="a", actor="ana")
    b, _ = store.add_article("Ankara said nothing about the systems.", title="b", actor="ana")
    # Added out of text order on purpose: the queue sorts, insertion order must not matter.
    store.add_annotation(b.id, 0, 6, "claim", annotator="bo", uid="u5")
    store.add_annotation(a.id, 17, 26, "claim", annotator="ana", uid="u3")
    store.add_annotation(a.id, 0, 7, "denial", annotator="ana", uid="u1")
    store.add_annotation(a.id, 0, 14, "denial", annotator="bo", uid="u2")
    store.add_annotation(a.id, 17, 26, "background", annotator="bo", uid="u4")
    return a.id, b.id


def uids(items) -> list[str]:
    return [x.uid for x in items]


def test_queue_order_is_article_then_offsets_then_uid(store: Store, two_articles) -> None:
    assert uids(review.queue(store)) == ["u1", "u2", "u3", "u4", "u5"]


def test_queue_filters(store: Store, two_articles) -> None:
    a, b = two_articles
    assert uids(review.queue(store, review.QueueFilter(article_ids=(b,)))) == ["u5"]
    assert uids(review.queue(store, review.QueueFilter(labels=("DENIAL",)))) == ["u1", "u2"]
    assert uids(review.queue(store, review.QueueFilter(annotators=("bo",)))) == ["u2", "u4", "u5"]
    assert uids(review.queue(store, review.QueueFilter(annotators=("bo",), labels=("claim", "background"),
                                                       article_ids=(a,)))) == ["u4"]
    review.accept(store, "u2", reviewer="rita")
    assert uids(review.queue(store, review.PENDING)) == ["u1", "u3", "u4", "u5"]
    assert uids(review.queue(store, review.QueueFilter(statuses=("accepted",)))) == ["u2"]
    with pytest.raises(SpanError, match="unknown status"):
        review.QueueFilter(statuses=("done",))
    with pytest.raises(LabelError):
        review.queue(store, review.QueueFilter(labels=("opinion",)))


def test_next_and_previous_walk_the_queue_and_stop_at_the_ends(store: Store, two_articles) -> None:
    q = review.ReviewQueue(store, review.QueueFilter(), reviewer="rita")
    assert q.current is None
    assert q.previous().uid == "u5"  # before the first step, "previous" starts from the end
    assert q.first().uid == "u1" and q.last().uid == "u5"
    q = review.ReviewQueue(store, review.QueueFilter(), reviewer="rita")
    walked = [q.next().uid for _ in range(5)]
    assert walked == ["u1", "u2", "u3", "u4", "u5"]
    assert q.next() is None and q.current.uid == "u5"  # stays on the last one
    assert [q.previous().uid for _ in range(4)] == ["u4", "u3", "u2", "u1"]
    assert q.previous() is None and q.current.uid == "u1"
    assert q.position() == (1, 5)
    q.go_to("u4")
    assert q.next().uid == "u5"
    assert q.first().uid == "u1"


def test_verdicts_move_on_in_a_pending_queue(store: Store, two_articles) -> None:
    q = review.ReviewQueue(store, reviewer="rita")  # pending only
    assert q.next().uid == "u1"
    assert q.accept().status == "accepted"
    assert q.position() == (0, 4)  # out of the pending queue now, but still the place to go on from
    assert q.next().uid == "u2"
    assert q.reject("boundary too wide").status == "rejected"
    assert q.next().uid == "u3"
    assert q.relabel("background", accept=True).label == "background"
    assert uids(q.items()) == ["u4", "u5"]


def test_previous_goes_back_to_the_spans_judged_here_though_they_left_the_queue(store: Store,
                                                                                 two_articles) -> None:
    """The usual "oops" in review: P returns to the span just judged, to take the verdict back."""
    q = review.ReviewQueue(store, reviewer="rita")  # pending only
    q.next()
    q.accept()
    q.next()
    q.reject("boundary too wide")
    assert q.next().uid == "u3" and q.position() == (1, 3)
    assert q.previous().uid == "u2" and q.position() == (0, 3)   # rejected: no longer pending, still visited
    assert q.reopen().status == "pending" and q.position() == (1, 4)
    assert q.previous().uid == "u1" and q.current.status == "accepted"
    assert q.previous() is None
    assert [q.next().uid for _ in range(4)] == ["u2", "u3", "u4", "u5"]   # forwards too, in text order
    # a span judged elsewhere (another queue, the command line) is not this queue's to revisit
    review.accept(store, "u4", reviewer="sam")
    assert q.previous().uid == "u3" and q.previous().uid == "u2"
    # and a new queue starts with no history
    fresh = review.ReviewQueue(store, reviewer="rita")
    fresh.go_to("u3")
    assert fresh.previous().uid == "u2" and fresh.previous() is None


def test_verdicts_are_events_with_reviewer_and_time(store: Store, two_articles, monkeypatch) -> None:
    fake_clock(monkeypatch)
    accepted = review.accept(store, "u1", reviewer="rita")
    assert (accepted.reviewer, accepted.status) == ("rita", "accepted") and accepted.reviewed_at
    rejected = review.reject(store, "u2", reviewer="rita", reason="  not a denial ")
    assert (rejected.status, rejected.review_note, rejected.reviewer) == ("rejected", "not a denial", "rita")
    review.relabel(store, "u3", "denial", reviewer="sam", accept=True)

    [_, e1] = store.events_for("u1")
    assert (e1.action, e1.actor, e1.after) == ("review", "rita", {"status": "accepted"})
    [_, e2] = store.events_for("u2")
    assert e2.after == {"status": "rejected", "review_note": "not a denial"} and e2.actor == "rita"
    [_, relabel, verdict] = store.events_for("u3")
    assert (relabel.action, relabel.actor, relabel.after) == ("relabel", "sam", {"label": "denial"})
    assert (verdict.action, verdict.actor, verdict.after) == ("review", "sam", {"status": "accepted"})
    assert e1.at < e2.at < relabel.at < verdict.at

    reopened = review.reopen(store, "u2", reviewer="rita")
    assert (reopened.status, reopened.reviewer, reopened.review_note) == ("pending", None, "")
    assert [e.action for e in store.events_for("u2")] == ["create", "review", "review"]


def test_rejection_needs_a_reason_and_a_verdict_a_reviewer(store: Store, two_articles) -> None:
    with pytest.raises(SpanError, match="needs a reason"):
        review.reject(store, "u1", reviewer="rita", reason="   ")
    with pytest.raises(SpanError, match="reviewer"):
        review.accept(store, "u1", reviewer=" ")
    assert store.annotation("u1").status == "pending"
    assert [e.action for e in store.events_for("u1")] == ["create"]


def test_relabel_and_accept_is_one_transaction(store: Store, two_articles) -> None:
    with pytest.raises(LabelError):
        review.relabel(store, "u1", "opinion", reviewer="rita", accept=True)
    events = store.event_count()
    # a failure after the relabel rolls the relabel back too
    store.add_label("quote", "#000000", actor="lead")
    events = store.event_count()
    original = store.set_status

    def failing(*args, **kwargs):
        raise SpanError("disk on fire")

    store.set_status = failing  # type: ignore[method-assign]
    try:
        with pytest.raises(SpanError):
            review.relabel(store, "u1", "quote", reviewer="rita", accept=True)
    finally:
        store.set_status = original  # type: ignore[method-assign]
    assert store.annotation("u1").label == "denial"
    assert store.event_count() == events


def test_queue_without_a_current_annotation_refuses_verdicts(store: Store, two_articles) -> None:
    q = review.ReviewQueue(store, reviewer="rita")
    with pytest.raises(SpanError, match="no annotation is selected"):
        q.accept()
    q.next()
    store.delete_annotation("u1", actor="ana")
    with pytest.raises(SpanError, match="no annotation is selected"):
        q.reject("gone")
    assert q.next().uid == "u2"  # the deleted span's place still leads on


def test_a_verdict_holds_for_the_span_it_was_given_on(store: Store, two_articles) -> None:
    store.set_status("u1", "accepted", actor="rita")
    store.set_status("u2", "rejected", actor="rita", reason="too long")
    store.set_status("u3", "accepted", actor="rita")
    # A note changes nothing that was judged: the verdict stays.
    assert store.set_note("u3", "checked twice", actor="bo").status == "accepted"
    # A new label or a new extent is a span nobody has judged: back to pending, reviewer cleared.
    relabelled = store.relabel("u1", "claim", actor="bo")
    resized = store.resize("u2", 0, 7, actor="bo")
    for a in (relabelled, resized):
        assert (a.status, a.reviewer, a.reviewed_at, a.review_note) == ("pending", None, None, "")
    # The event says so, so history, verify and merge see the verdict go.
    event = store.events_for("u1")[-1]
    assert (event.action, event.before["status"], event.after["status"]) == ("relabel", "accepted", "pending")
    # Relabelling to the same label, or resizing to the same extent, is no change at all.
    store.set_status("u1", "accepted", actor="rita")
    assert store.relabel("u1", "claim", actor="bo").status == "accepted"
    assert store.resize("u1", 0, 7, actor="bo").status == "accepted"
    # Putting back an earlier state (undo) restores its verdict with it, as one event.
    before = store.event_count()
    earlier = replace(resized, start=0, end=14, text="Kremlin denied", status="rejected", review_note="too long",
                      reviewer="rita", reviewed_at="2026-01-01T00:00:00.000Z")
    back = store.restore_fields(earlier, ("start", "end", "text", *REVIEW_FIELDS), action="resize", actor="bo")
    assert (back.end, back.status, back.reviewer) == (14, "rejected", "rita")
    assert store.event_count() == before + 1


def test_verdicts_through_the_queue_and_their_words(store: Store, two_articles) -> None:
    q = review.ReviewQueue(store, review.QueueFilter(), reviewer=" rita ")
    assert q.reviewer == "rita" and q.current is None and q.position() == (0, 5)
    assert q.next().uid == "u1" and q.position() == (1, 5)
    accepted = q.accept("checked")
    assert (accepted.status, accepted.reviewer, accepted.review_note) == ("accepted", "rita", "checked")
    assert q.next().uid == "u2"
    rejected = q.reject("  too wide  ")
    assert (rejected.status, rejected.review_note) == ("rejected", "too wide")
    assert q.reopen().status == "pending"
    relabelled = q.relabel("claim", accept=True)
    assert (relabelled.label, relabelled.status, relabelled.reviewer) == ("claim", "accepted", "rita")
    assert q.relabel("background").status == "pending"  # relabelled again: the verdict no longer holds
    assert review.accept(store, "u3", reviewer="rita", note="fine").review_note == "fine"
    with pytest.raises(SpanError) as reason:
        review.reject(store, "u1", reviewer="rita", reason=" ")
    assert str(reason.value) == "a rejection needs a reason"
    with pytest.raises(SpanError) as nameless:
        review.ReviewQueue(store, reviewer="  ")
    assert str(nameless.value) == "a verdict needs the reviewer's name"
    with pytest.raises(SpanError) as nothing:
        review.ReviewQueue(store, reviewer="rita").accept()
    assert str(nothing.value) == "no annotation is selected in the review queue"


def test_the_first_and_last_of_the_queue_and_going_to_one(store: Store, two_articles) -> None:
    q = review.ReviewQueue(store, reviewer="rita")
    assert q.last().uid == "u5" and q.first().uid == "u1"
    assert q.go_to("u3").uid == "u3" and q.next().uid == "u4" and q.previous().uid == "u3"
    assert len(q) == 5 and uids(q.items()) == ["u1", "u2", "u3", "u4", "u5"]
