"""Counts kept in SQL (schema step 0004): the article list's and the review queue's, right after every write."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from annotator.core.errors import AnnotatorError
from annotator.core.review import review_key
from annotator.core.store import ArticleOrder, Store
from annotator.core.store.schema import migrations

TEXTS = ("Kremlin denied a Bloomberg report on the S-400 systems.", "Ankara said nothing about the systems.")
LABELS = ("claim", "denial", "background")
ANNOTATORS = ("ana", "bo")
FILTERS = (
    {}, {"statuses": ("pending",)}, {"statuses": ("accepted", "rejected")}, {"annotators": ("bo",)},
    {"labels": ("denial",), "statuses": ("pending",)}, {"article_ids": (2,), "annotators": ("ana",)},
)

operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 1), st.integers(0, 30), st.integers(1, 8),
              st.sampled_from(LABELS), st.sampled_from(ANNOTATORS)),
    st.tuples(st.just("relabel"), st.integers(0, 50), st.sampled_from(LABELS)),
    st.tuples(st.just("review"), st.integers(0, 50), st.sampled_from(("accepted", "rejected", "pending"))),
    st.tuples(st.just("resize"), st.integers(0, 50), st.integers(0, 20)),
    st.tuples(st.just("delete_and_undo"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("merge_over"), st.integers(0, 50), st.sampled_from(ANNOTATORS), st.sampled_from(LABELS)),
    st.tuples(st.just("shell"), st.integers(0, 50), st.sampled_from(ANNOTATORS)),
)


def _apply(store: Store, op: tuple) -> None:
    uids = [a.uid for a in store.annotations()]
    if op[0] == "add":
        _, article, start, length, label, annotator = op
        try:
            store.add_annotation(article + 1, start, start + length, label, annotator=annotator)
        except AnnotatorError:
            pass  # the same span twice
        return
    if not uids:
        return
    uid = uids[op[1] % len(uids)]
    if op[0] == "relabel":
        store.relabel(uid, op[2], actor="ed")
    elif op[0] == "review":
        store.set_status(uid, op[2], actor="rita", reason="why")
    elif op[0] == "resize":
        a = store.annotation(uid)
        store.resize(uid, op[2], op[2] + 3, actor="ed") if a.start != op[2] else None
    elif op[0] == "delete_and_undo":
        gone = store.delete_annotation(uid, actor="ed")
        if op[2]:
            store.restore_annotation(gone, actor="ed")
    elif op[0] == "merge_over":
        # what a merge writes: the colleague's version over this one's row
        with store.transaction():
            store.insert_annotation_rows([replace(store.annotation(uid), annotator=op[2], label=op[3],
                                                  status="accepted")], overwrite=True)
    elif op[0] == "shell":
        # someone with the sqlite3 shell: no Python code knows
        store.db.conn.execute("UPDATE annotations SET annotator = ?, status = 'rejected' WHERE uid = ?",
                              (op[2], uid))


def _check_counts(store: Store) -> None:
    everything = store.annotations()
    truth: dict[int, Counter[str]] = {1: Counter(), 2: Counter()}
    for a in everything:
        truth[a.article_id][a.label] += 1
    assert store.label_counts([1, 2]) == {k: dict(v) for k, v in truth.items()}
    assert store.annotators() == sorted({a.annotator for a in everything})
    for status in ("pending", "accepted", "rejected"):
        assert store.count_annotations(statuses=(status,)) == sum(a.status == status for a in everything)
    assert store.count_annotations() == len(everything)
    for flt in FILTERS:
        listed = store.annotations(**flt)
        assert store.count_annotations(**flt) == len(listed), flt
        assert len(list(store.iter_annotations(**flt))) == len(listed)
        for probe in everything:
            key = review_key(probe)
            before = [a for a in listed if review_key(a) < key]
            after = [a for a in listed if review_key(a) > key]
            assert store.count_annotations_before(key, **flt) == len(before), flt
            assert store.annotation_matches(probe.uid, **flt) == (probe in listed)
            nxt = store.neighbour_annotation(key, **flt)
            prev = store.neighbour_annotation(key, backwards=True, **flt)
            assert (nxt.uid if nxt else None) == (after[0].uid if after else None), flt
            assert (prev.uid if prev else None) == (before[-1].uid if before else None), flt
        first = store.neighbour_annotation(None, **flt)
        last = store.neighbour_annotation(None, backwards=True, **flt)
        assert (first and first.uid) == (listed[0].uid if listed else None)
        assert (last and last.uid) == (listed[-1].uid if listed else None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, max_size=14))
def test_counts_follow_every_write(ops: list[tuple]) -> None:
    store = Store.memory()
    for text in TEXTS:
        store.add_article(text, title=text[:10], actor="ana")
    for op in ops:
        _apply(store, op)
    _check_counts(store)
    store.close()


def test_the_migration_counts_and_indexes_what_was_there(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    with db.atomic():
        migrations().apply(db, stop_before="0004_counts_and_search")
        conn.execute("PRAGMA user_version = 3")
    conn.execute("INSERT INTO articles (uid, sha256, title, source, text, length, created_at)"
                 " VALUES ('a1', 's1', 'Türkiye', NULL, 'They don’t deny it.', 19, 'now'),"
                 " ('a2', 's2', 'Other', 'Daily Wire', 'Nothing here.', 13, 'now')")
    conn.executemany(
        'INSERT INTO annotations (uid, article_id, start, "end", label_id, text, annotator, status,'
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'now', 'now')",
        [("u1", 1, 0, 4, 1, "They", "ana", "pending"), ("u2", 1, 5, 10, 1, "don’t", "bo", "accepted"),
         ("u3", 1, 5, 10, 2, "don’t", "bo", "pending"), ("u4", 2, 0, 7, 3, "Nothing", "ana", "pending")])
    conn.close()
    with Store.open(path) as store:
        assert store.label_counts([1, 2, 3]) == {1: {"claim": 2, "denial": 1}, 2: {"background": 1}, 3: {}}
        assert store.count_annotations(statuses=("pending",)) == 3
        assert store.count_annotations(annotators=("bo",), labels=("claim",)) == 1
        assert store.search_articles("turkiye") == {1}
        assert store.search_articles("DON'T") == {1}
        assert store.search_articles("daily") == {2}
        store.add_annotation(2, 8, 12, "claim", annotator="ana")  # and the triggers are in place
        assert store.label_counts([2]) == {2: {"background": 1, "claim": 1}}


@pytest.fixture
def newsroom(store: Store) -> Store:
    """Four articles: titles, sources (one only an origin) and spans chosen so that every order differs."""
    rows = [("beta", "Wire", None, 2, 1), ("Alpha", None, "feed.jsonl", 0, 3), ("gamma", "agency", None, 1, 0),
            ("delta", "Wire", None, 2, 2)]
    for i, (title, source, origin, claims, denials) in enumerate(rows):
        text = f"Article {i}: the Kremlin denied a Bloomberg report on Friday."
        article, _ = store.add_article(text, title=title, source=source, origin=origin, actor="ana")
        for k in range(claims):
            store.add_annotation(article.id, k, k + 5, "claim", annotator="ana")
        for k in range(denials):
            store.add_annotation(article.id, k, k + 6, "denial", annotator="ana")
    return store


def test_the_article_list_sorts_and_searches_in_sql(newsroom: Store) -> None:
    ids = newsroom.article_ids
    assert ids() == [1, 2, 3, 4]
    assert ids(ArticleOrder(descending=True)) == [4, 3, 2, 1]
    assert ids(ArticleOrder("title")) == [2, 1, 4, 3]                     # case-blind: Alpha, beta, delta, gamma
    assert ids(ArticleOrder("source")) == [3, 2, 1, 4]                    # agency, feed.jsonl (origin), Wire, Wire
    assert ids(ArticleOrder("source", descending=True)) == [4, 1, 2, 3]   # ties by id, the same way round
    assert ids(ArticleOrder("label", "claim")) == [2, 3, 1, 4]
    assert ids(ArticleOrder("label", "DENIAL", descending=True)) == [2, 4, 1, 3]
    assert ids(ArticleOrder("total")) == [3, 1, 2, 4]                     # 1, 3, 3, 4 spans
    assert ids(ArticleOrder("title"), needle="wire") == [1, 4]
    assert ids(ArticleOrder("total", descending=True), needle="article 2") == [3]
    assert ids(needle="   ") == [1, 2, 3, 4]
    assert ids(needle="nowhere") == []
    with pytest.raises(AnnotatorError, match="cannot sort"):
        ArticleOrder("length")
    with pytest.raises(AnnotatorError, match="needs the label"):
        ArticleOrder("label")


def test_rows_and_counts_for_the_ids_asked(newsroom: Store) -> None:
    rows = newsroom.article_rows([4, 99, 2])
    assert [(r.article.id, r.article.title, r.counts, r.total) for r in rows] == [
        (4, "delta", {"claim": 2, "denial": 2}, 4), (2, "Alpha", {"denial": 3}, 3)]
    assert newsroom.article_rows([]) == []
    assert newsroom.label_counts([3, 1]) == {3: {"claim": 1}, 1: {"claim": 2, "denial": 1}}
    assert [r.counts for r in newsroom.articles_with_counts()] == [
        {"claim": 2, "denial": 1}, {"denial": 3}, {"claim": 1}, {"claim": 2, "denial": 2}]
