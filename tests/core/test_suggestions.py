"""Suggested spans in the store: accept (as any label), reject, undo of both, the queue, verify, export, merge."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import orjson
import pytest

from annotator.core import audit, exporter
from annotator.core.errors import NotFoundError, SpanError
from annotator.core.merge import merge_database
from annotator.core.store import Store
from annotator.core.suggestions import Candidate, SuggestionError

from .review_support import tamper

TEXT = ("Kremlin denied a report claiming that Erdogan raised the issue. "
        "Turkey bought the S-400 in 2017 😀. Bloomberg reported it.")


@pytest.fixture
def article(store: Store) -> int:
    a, _ = store.add_article(TEXT, title="t", actor="ana")
    return a.id


def put(store: Store, article_id: int, *candidates: Candidate, source: str = "rules") -> list[str]:
    """Store candidates; the uids of the open suggestions of the article, in text order."""
    store.put_suggestions(source, {article_id: list(candidates)}, actor="ana")
    return [s.uid for s in store.suggestion_rows(article_ids=[article_id], order="position")]


def assert_verifies(store: Store) -> None:
    report = audit.verify(store)
    assert report.ok, report.summary()


# ------------------------------------------------------------------ accept


def test_a_label_key_accepts_a_suggestion_as_another_label(store: Store, article: int) -> None:
    (uid,) = put(store, article, Candidate(0, 63, "denial", 0.7, 'cue "denied"'))
    change = store.accept_span_suggestion(uid, annotator="bo", label="claim")

    annotation = change.annotation
    assert annotation is not None
    stored = store.annotation(annotation.uid)
    assert (stored.start, stored.end, stored.label, stored.annotator, stored.text) == (0, 63, "claim", "bo",
                                                                                       TEXT[:63])
    suggestion = store.suggestion(uid)
    assert (suggestion.state, suggestion.decided_by, suggestion.annotation_uid) == ("accepted", "bo", annotation.uid)
    assert suggestion.label == "denial"   # what was suggested stays as it was
    assert suggestion.decided_at is not None
    assert_verifies(store)


def test_an_accepted_suggestions_event_names_its_source_and_score(store: Store, article: int) -> None:
    (uid,) = put(store, article, Candidate(0, 63, "denial", 0.7), source="model:local")
    change = store.accept_span_suggestion(uid, annotator="bo")
    assert change.annotation is not None
    (created,) = store.events_for(change.annotation.uid)
    assert (created.action, created.actor) == ("create", "bo")
    assert created.after is not None
    assert created.after["suggestion"] == {"uid": uid, "source": "model:local", "score": 0.7, "label": "denial"}
    (entry,) = audit.annotation_history(store, change.annotation.uid).entries
    assert "accepting a suggestion of model:local (score 0.70)" in entry.describe()


def test_accepting_where_the_same_span_is_tagged_already_makes_nothing_new(store: Store, article: int) -> None:
    tagged = store.add_annotation(article, 0, 63, "denial", annotator="bo")
    (uid,) = put(store, article, Candidate(0, 63, "claim", 0.7))
    change = store.accept_span_suggestion(uid, annotator="bo", label="denial")
    assert change.annotations_added == ()
    assert store.suggestion(uid).annotation_uid == tagged.uid
    store.apply_suggestion_change(change.inverse(), actor="bo")
    assert store.has_annotation(tagged.uid)   # the undo reopens; the span the person made stays
    assert store.suggestion(uid).state == "open"


def test_a_decided_suggestion_cannot_be_decided_again(store: Store, article: int) -> None:
    first, second = put(store, article, Candidate(0, 63, "denial"), Candidate(64, 99, "background"))
    store.accept_span_suggestion(first, annotator="bo")
    store.reject_span_suggestion(second, actor="bo")
    with pytest.raises(SuggestionError, match="accepted by bo already"):
        store.accept_span_suggestion(first, annotator="cy")
    with pytest.raises(SuggestionError, match="rejected by bo already"):
        store.accept_span_suggestion(second, annotator="cy")
    with pytest.raises(NotFoundError):
        store.reject_span_suggestion("nope", actor="cy")


# ------------------------------------------------------------ undo and redo


def test_undo_of_accept_deletes_the_annotation_and_reopens_the_suggestion(store: Store, article: int) -> None:
    (uid,) = put(store, article, Candidate(0, 63, "denial", 0.7))
    change = store.accept_span_suggestion(uid, annotator="bo", label="claim")
    assert change.annotation is not None
    events = store.event_count()

    store.apply_suggestion_change(change.inverse(), actor="bo")
    assert not store.has_annotation(change.annotation.uid)
    reopened = store.suggestion(uid)
    assert (reopened.state, reopened.decided_by, reopened.decided_at, reopened.annotation_uid) == (
        "open", None, None, None)
    assert [(e.entity, e.action) for e in store.events()][events:] == [("annotation", "delete"),
                                                                       ("suggestion", "undo")]
    assert_verifies(store)

    store.apply_suggestion_change(change, actor="bo", action="redo")
    back = store.annotation(change.annotation.uid)
    assert (back.label, back.created_at) == ("claim", change.annotation.created_at)
    assert store.suggestion(uid).state == "accepted"
    assert store.events_for(back.uid)[-1].after["suggestion"]["uid"] == uid
    assert_verifies(store)


def test_undo_of_accept_is_one_transaction(store: Store, article: int) -> None:
    (uid,) = put(store, article, Candidate(0, 63, "denial", 0.7))
    change = store.accept_span_suggestion(uid, annotator="bo")
    # Someone else rejects meanwhile (the command line): the undo is refused as a whole.
    store._conn.execute("UPDATE suggestions SET state = 'rejected' WHERE uid = ?", (uid,))
    with pytest.raises(SuggestionError, match="rejected meanwhile"):
        store.apply_suggestion_change(change.inverse(), actor="bo")
    assert change.annotation is not None and store.has_annotation(change.annotation.uid)


def test_undo_of_reject_reopens_it(store: Store, article: int) -> None:
    (uid,) = put(store, article, Candidate(0, 63, "denial", 0.7))
    change = store.reject_span_suggestion(uid, actor="bo")
    assert (store.suggestion(uid).state, store.suggestion(uid).decided_by) == ("rejected", "bo")
    store.apply_suggestion_change(change.inverse(), actor="bo")
    assert store.suggestion(uid).state == "open"
    store.apply_suggestion_change(change, actor="bo", action="redo")
    assert store.suggestion(uid).state == "rejected"
    assert [e.action for e in store.events_for(uid)] == ["create", "reject", "undo", "redo"]
    assert_verifies(store)


def test_undo_of_accept_is_refused_while_the_span_is_linked_to_a_claim(store: Store, article: int) -> None:
    (uid,) = put(store, article, Candidate(0, 63, "denial", 0.7))
    change = store.accept_span_suggestion(uid, annotator="bo")
    assert change.annotation is not None
    store.link_spans([change.annotation.uid], actor="bo")
    with pytest.raises(SuggestionError, match="linked to a claim"):
        store.apply_suggestion_change(change.inverse(), actor="bo")
    assert store.suggestion(uid).state == "accepted"


# ------------------------------------------------------- made, remembered


def test_a_rejected_suggestion_is_not_made_again(store: Store, article: int) -> None:
    (uid,) = put(store, article, Candidate(0, 63, "denial", 0.7))
    store.reject_span_suggestion(uid, actor="bo")
    report = store.put_suggestions("rules", {article: [Candidate(0, 63, "denial", 0.9)]}, actor="ana")
    assert (report.total, report.decided_before) == (0, 1)
    assert store.suggestion_count(states=()) == 1
    # Another kind of source may propose it: the rejection was of the rules' guess.
    report = store.put_suggestions("model:local", {article: [Candidate(0, 63, "denial", 0.9)]}, actor="ana")
    assert report.created == {"denial": 1}


def test_a_new_run_rescores_and_withdraws_open_suggestions_of_its_kind(store: Store, article: int) -> None:
    kept, gone = put(store, article, Candidate(0, 63, "denial", 0.6), Candidate(64, 99, "background", 0.6))
    imported = put(store, article, Candidate(100, 121, "claim", 0.5), source="import:preds.json")
    report = store.put_suggestions("rules", {article: [Candidate(0, 63, "denial", 0.84)]}, actor="ana")
    assert (report.total, report.rescored, report.withdrawn) == (0, 1, 1)
    assert store.suggestion(kept).score == 0.84
    assert not store.has_suggestion(gone)
    assert len(imported) == 3 and store.suggestion_count() == 2   # the import's stays
    assert_verifies(store)


def test_no_suggestion_where_a_span_of_its_label_is_tagged(store: Store, article: int) -> None:
    store.add_annotation(article, 0, 7, "denial", annotator="bo")
    report = store.put_suggestions("rules", {article: [Candidate(0, 63, "denial"), Candidate(0, 63, "claim")]},
                                   actor="ana")
    assert (report.created, report.tagged_already) == ({"claim": 1}, 1)


def test_suggestion_offsets_are_code_points_checked_like_spans(store: Store, article: int) -> None:
    emoji = TEXT.index("😀")
    (uid,) = put(store, article, Candidate(emoji, emoji + 1, "background"))
    assert store.suggestion(uid).text == "😀"
    for bad in (Candidate(0, len(TEXT) + 1, "claim"), Candidate(5, 5, "claim"), Candidate(-1, 3, "claim")):
        with pytest.raises(SpanError):
            store.put_suggestions("rules", {article: [bad]}, actor="ana")
    with pytest.raises(SuggestionError, match="from 0 to 1"):
        store.put_suggestions("rules", {article: [Candidate(0, 7, "claim", 1.5)]}, actor="ana")
    with pytest.raises(SuggestionError, match="unknown suggestion source"):
        store.put_suggestions("oracle", {article: [Candidate(0, 7, "claim")]}, actor="ana")


# ------------------------------------------------------------------ queue


def test_the_queue_filters_orders_by_uncertainty_and_pages(store: Store, article: int) -> None:
    second, _ = store.add_article("Another text, with words enough for spans.", title="u", actor="ana")
    put(store, article, Candidate(0, 7, "denial", 0.9), Candidate(8, 14, "claim", 0.45),
        Candidate(15, 21, "claim", 0.2))
    put(store, second.id, Candidate(0, 7, "background", 0.55), Candidate(8, 12, "claim", None),
        source="import:x.jsonl")

    assert [s.score for s in store.suggestion_rows()] == [0.45, 0.55, 0.2, 0.9, None]
    assert [s.score for s in store.suggestion_rows(order="score")] == [0.9, 0.55, 0.45, 0.2, None]
    assert [s.score for s in store.suggestion_rows(order="score", offset=1, limit=2)] == [0.55, 0.45]
    assert [s.score for s in store.suggestion_rows(labels=["claim"], min_score=0.3)] == [0.45]
    assert [s.score for s in store.suggestion_rows(sources=["import"])] == [0.55, None]
    assert [s.score for s in store.suggestion_rows(sources=["rules", "import:x.jsonl"], max_score=0.5)] == [0.45, 0.2]
    assert store.suggestion_count(labels=["claim"]) == 3
    assert store.suggestion_count(article_ids=[second.id]) == 2
    assert store.suggestion_counts() == {("rules", "denial"): 1, ("rules", "claim"): 2,
                                         ("import:x.jsonl", "background"): 1, ("import:x.jsonl", "claim"): 1}
    with pytest.raises(SuggestionError, match="unknown order"):
        store.suggestion_rows(order="random")


def test_ghost_spans_of_the_visible_range_and_tab_to_the_next(store: Store, article: int) -> None:
    first, middle, last = put(store, article, Candidate(0, 7, "denial"), Candidate(8, 14, "claim"),
                              Candidate(64, 70, "background"))
    assert [s.uid for s in store.suggestions_in_range(article, 5, 9)] == [first, middle]
    assert [s.uid for s in store.suggestions_in_range(article, 14, 64)] == []
    assert store.next_suggestion(article, 0).uid == middle
    assert store.next_suggestion(article, 8).uid == last
    assert store.next_suggestion(article, 64) is None
    assert store.next_suggestion(article, 64, backwards=True).uid == middle
    store.reject_span_suggestion(middle, actor="bo")
    assert store.next_suggestion(article, 0).uid == last
    assert [s.uid for s in store.suggestions_in_range(article, 0, 100, states=("rejected",))] == [middle]


# ------------------------------------------------------------ kept apart


def test_a_suggestion_never_appears_in_an_export(store: Store, article: int) -> None:
    accepted, _open = put(store, article, Candidate(0, 63, "denial", 0.7), Candidate(64, 99, "background", 0.6))
    store.accept_span_suggestion(accepted, annotator="bo")
    out = io.BytesIO()
    exporter.export(store, "jsonl", out)
    (record,) = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [(0, 63, "denial")]


def test_verify_finds_a_suggestion_changed_outside_annotator(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        a, _ = store.add_article(TEXT, title="t", actor="ana")
        (uid,) = put(store, a.id, Candidate(0, 63, "denial", 0.7))
    tamper(path, f"UPDATE suggestions SET state = 'accepted', score = 1 WHERE uid = '{uid}'")
    with Store.open(path) as store:
        report = audit.verify(store)
    assert not report.ok
    assert f"suggestion {uid}: score is 1.0, the log says 0.7; state is 'accepted', the log says 'open'" in \
        report.summary()


def test_verify_finds_a_cue_added_outside_annotator_and_allows_edited_defaults(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        store.remove_cue("denial", "denied", actor="ana")
        store.add_cue("denial", "dementi*", language="DE", actor="ana")
        assert_verifies(store)
        assert [c.phrase for c in store.cues(label="denial", language="de")] == ["dementi*"]
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO cues (uid, label_id, language, phrase) VALUES ('x', 1, 'en', 'sneaky')")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert "cue x: it has no event in the log" in audit.verify(store).summary()


def test_merge_brings_accepted_spans_but_no_suggestion_cue_or_model(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    with Store.open(mine) as store:
        store.add_article(TEXT, title="t", actor="ana")
    with Store.open(theirs) as other:
        a, _ = other.add_article(TEXT, title="t", actor="bo")
        accepted, _open = put(other, a.id, Candidate(0, 63, "denial", 0.7), Candidate(64, 99, "background", 0.6))
        made = other.accept_span_suggestion(accepted, annotator="bo").annotation
        other.add_cue("denial", "nope", actor="bo")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="ana")
        assert report.annotations_added == 1 and made is not None
        assert store.annotation(made.uid).label == "denial"
        assert store.suggestion_count(states=()) == 0
        assert "nope" not in [c.phrase for c in store.cues()]
        # (and the merge's own record of where those events came from: store/provenance.py)
        assert {e.entity for e in store.events()} == {"article", "annotation", "merge"}
        assert [e.action for e in store.events_for(made.uid)] == ["create"]   # no merge event: values agree
        assert_verifies(store)


# ------------------------------------------------ when labels and articles go


def test_a_renamed_label_renames_its_suggestions_and_cues_and_verify_follows(store: Store, article: int) -> None:
    (uid,) = put(store, article, Candidate(0, 63, "denial", 0.7))
    store.edit_label("denial", new_name="refutation", actor="ana")
    assert store.suggestion(uid).label == "refutation"
    assert "denied" in [c.phrase for c in store.cues(label="refutation")]
    assert_verifies(store)


def test_a_deleted_label_takes_its_cues_and_suggestions_and_its_undo_brings_them_back(store: Store,
                                                                                        article: int) -> None:
    open_one, rejected = put(store, article, Candidate(0, 63, "denial", 0.7), Candidate(64, 99, "denial", 0.6))
    store.reject_span_suggestion(rejected, actor="bo")
    cues = store.cues(label="denial")
    change = store.delete_label("denial", actor="ana")
    assert (len(change.cues_removed), len(change.suggestions_removed)) == (len(cues), 2)
    assert store.suggestion_count(states=()) == 0 and not store.has_label("denial")
    assert_verifies(store)
    store.apply_label_change(change.inverse(), actor="ana")
    assert [c.phrase for c in store.cues(label="denial")] == [c.phrase for c in cues]
    assert (store.suggestion(open_one).state, store.suggestion(rejected).state) == ("open", "rejected")
    assert_verifies(store)
    store.apply_label_change(change, actor="ana", action="redo")
    assert store.suggestion_count(states=()) == 0
    assert_verifies(store)


def test_a_deleted_article_takes_its_suggestions_and_its_undo_brings_them_back(store: Store, article: int) -> None:
    accepted, open_one = put(store, article, Candidate(0, 63, "denial", 0.7), Candidate(64, 99, "background"))
    store.accept_span_suggestion(accepted, annotator="bo")
    change = store.delete_article(article, actor="ana")
    assert store.suggestion_count(states=()) == 0
    assert_verifies(store)
    back = store.apply_article_change(change.inverse(), actor="ana")
    (content,) = back.articles_added
    assert {s.uid: s.state for s in store.suggestion_rows(states=())} == {accepted: "accepted", open_one: "open"}
    assert {s.article_id for s in store.suggestion_rows(states=())} == {content.article.id}
    assert_verifies(store)


def test_an_article_deleted_there_goes_here_with_its_open_suggestions_not_with_decided_ones(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    with Store.open(mine) as store:
        first, _ = store.add_article(TEXT, title="t", actor="ana")
        second, _ = store.add_article("Another text, long enough.", title="u", actor="ana")
    theirs.write_bytes(mine.read_bytes())
    with Store.open(theirs) as other:
        other.delete_article(first.id, actor="bo")
        other.delete_article(second.id, actor="bo")
    with Store.open(mine) as store:
        put(store, first.id, Candidate(0, 63, "denial", 0.7))
        (decided,) = put(store, second.id, Candidate(0, 7, "claim", 0.6))
        store.reject_span_suggestion(decided, actor="ana")
        report = merge_database(store, theirs, actor="ana")
        assert [a.id for a in store.articles()] == [second.id]   # the one with a person's decision stays
        assert any("worked on here" in note for note in report.notes)
        assert [s.uid for s in store.suggestion_rows(states=())] == [decided]
        assert_verifies(store)
