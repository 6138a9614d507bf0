"""Details of the store a caller can see that no other test reads: refusals in words, values the log
keeps, what undo brings back, ratings' rows, label positions, search and the review queue's end."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.claims import ClaimChange
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store

from .review_support import DENIAL, WIRE, fake_clock


@pytest.fixture
def store(tmp_path: Path):  # noqa: ANN201
    with Store.open(tmp_path / "a.db") as s:
        yield s


def _wire(store: Store) -> int:
    article, _ = store.add_article(WIRE, title="Wire report", actor="ana", source="Bloomberg",
                                   url="https://example.com/wire", published="2025-12-15", origin="wire.txt")
    return article.id


# ------------------------------------------------------------- articles


def test_deleting_an_article_logs_its_details_under_their_names_and_undo_brings_them_back(store: Store) -> None:
    article_id = _wire(store)
    article = store.article(article_id)
    change = store.delete_article(article_id, actor="ana")
    assert change.describe() == "Delete “Wire report”"
    assert change.inverse().describe() == "Restore “Wire report”"
    (deleted,) = [e for e in store.events_for(article.uid) if e.action == "delete"]
    assert deleted.before == {"title": "Wire report", "source": "Bloomberg", "url": "https://example.com/wire",
                              "published": "2025-12-15", "origin": "wire.txt", "sha256": article.sha256}
    store.apply_article_change(change.inverse(), actor="ana")
    back = store.article_by_uid(article.uid)
    assert back is not None
    assert (back.title, back.source, back.url, back.published, back.origin) == (
        "Wire report", "Bloomberg", "https://example.com/wire", "2025-12-15", "wire.txt")


def test_a_bad_published_date_is_refused_in_words(store: Store) -> None:
    article_id = _wire(store)
    with pytest.raises(AnnotatorError) as raised:
        store.edit_article(article_id, actor="ana", published="15/12/2025")
    assert str(raised.value) == ("the published date '15/12/2025' is not an ISO 8601 date such as 2025-12-18"
                                 " (or a date and time such as 2025-12-18T09:30:00Z)")


def test_an_article_with_no_source_or_origin_is_not_found_by_letters_it_does_not_hold(store: Store) -> None:
    article, _ = store.add_article(DENIAL, title="Denial", actor="ana")
    assert store.search_articles("kremlin") == {article.id}
    assert store.search_articles("xxxx") == set()
    assert store.search_articles("xx") == set()


# --------------------------------------------------------------- claims


def test_a_bad_claim_date_is_refused_in_words(store: Store) -> None:
    claim = store.create_claim("Turkey returns the S-400", actor="ana")
    with pytest.raises(AnnotatorError) as raised:
        store.edit_claim(claim.claim_uid, actor="ana", claim_date="last week")
    assert str(raised.value) == ("the claim date 'last week' is not an ISO 8601 date such as 2025-12-18"
                                 " (or a date and time such as 2025-12-18T09:30:00Z)")


def test_a_claim_is_not_deleted_from_under_its_links_or_rejections(store: Store) -> None:
    article_id = _wire(store)
    store.add_annotation(article_id, 0, 6, "claim", annotator="ana", uid="s1")
    linked = store.create_claim_from_span("s1", actor="ana", uid="c1")
    rejected = store.create_claim("Russia takes them back", actor="ana", uid="c2")
    store.reject_suggestion("c2", article_id, 7, 12, actor="ana")
    for uid, left in (("c1", "1 link"), ("c2", "1 rejected suggestion")):
        with pytest.raises(AnnotatorError) as raised:
            store.apply_claim_change(ClaimChange(claims_removed=(store.claim(uid),)), actor="ana")
        assert str(raised.value) == f"claim {uid} still has {left}; delete the claim to take them with it"
        assert store.has_claim(uid)
    assert linked.claim_uid == "c1" and rejected.claim_uid == "c2"


def test_a_span_brought_back_logs_its_links_as_restored_when_it_happened(store: Store,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    fake_clock(monkeypatch)
    article_id = _wire(store)
    store.add_annotation(article_id, 0, 6, "claim", annotator="ana", uid="s1")
    store.create_claim_from_span("s1", actor="ana", uid="c1")
    removed = store.remove_span("s1", actor="bo")
    store.restore_annotation(removed.annotation, actor="bo", links=removed.links)
    (link,) = store.links_of_span("s1")
    events = store.events_for(link.uid)
    assert [(e.actor, e.action) for e in events] == [("ana", "create"), ("bo", "delete"), ("bo", "restore")]
    assert events[0].at == link.created_at < events[1].at < events[2].at   # the undo's time, not the link's


# -------------------------------------------------------------- ratings


def test_a_new_rating_is_returned_as_stored_with_its_id(store: Store) -> None:
    added = store.add_rating("satire", -1, "Not meant as fact", actor="ana")
    assert added == store.rating("satire")
    assert added.id is not None and added.position == len(store.ratings()) - 1


def test_a_ratings_row_is_overwritten_whole(store: Store) -> None:
    store.add_rating("satire", -1, actor="ana")
    with store.transaction():
        store.update_rating_row("SATIRE", {"value": 0.5, "description": "A joke", "position": 0})
    rating = store.rating("satire")
    assert (rating.value, rating.description, rating.position) == (0.5, "A joke", 0)


# --------------------------------------------------------------- labels


def test_a_label_in_use_is_not_deleted_in_words(store: Store) -> None:
    article_id = _wire(store)
    for start in (0, 7):
        store.add_annotation(article_id, start, start + 5, "denial", annotator="ana")
    with pytest.raises(AnnotatorError) as raised:
        store.delete_label("denial", actor="ana")
    assert str(raised.value) == "the label 'denial' is used by 2 spans; relabel or delete them first"


def test_a_label_moves_to_the_position_given(store: Store) -> None:
    store.edit_label("claim", actor="ana", position=9)
    assert [label.name for label in store.labels()] == ["denial", "background", "claim"]
    assert store.label("claim").position == 9


# ---------------------------------------------------------------- queue


def test_the_queue_ends_when_the_filter_leaves_no_article(store: Store) -> None:
    article_id = _wire(store)
    store.add_annotation(article_id, 0, 6, "claim", annotator="ana")
    assert store.neighbour_annotation(None, labels=["claim"]) is not None
    assert store.neighbour_annotation(None, labels=["denial"]) is None
    assert store.neighbour_annotation(None, backwards=True, annotators=["bo"]) is None


def test_a_rejected_suggestion_is_logged_with_where_it_was(store: Store) -> None:
    article_id = _wire(store)
    claim = store.create_claim("Turkey returns the S-400", actor="ana", uid="c1").claim_uid
    (rejection,) = store.reject_suggestion(claim, article_id, 7, 12, actor="bo").rejections_added
    (event,) = store.events_for(rejection.uid)
    assert (event.entity, event.action, event.actor, event.before) == ("rejection", "create", "bo", None)
    assert event.after == {"claim_uid": "c1", "article_id": article_id, "start": 7, "end": 12, "text": "asked",
                           "created_by": "bo"}


def test_an_article_brought_back_logs_its_rejected_suggestions_when_it_happened(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_clock(monkeypatch)
    article_id = _wire(store)
    store.create_claim("Turkey returns the S-400", actor="ana", uid="c1")
    (rejection,) = store.reject_suggestion("c1", article_id, 7, 12, actor="bo").rejections_added
    change = store.delete_article(article_id, actor="ana")
    store.apply_article_change(change.inverse(), actor="ana")
    events = store.events_for(rejection.uid)
    assert [e.action for e in events] == ["create", "delete", "restore"]
    assert events[0].at == rejection.created_at < events[1].at < events[2].at
