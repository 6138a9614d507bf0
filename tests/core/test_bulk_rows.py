"""The store's row writers that import and merge use: bulk inserts, plain inserts against upserts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.core.errors import DatabaseError, SpanError
from annotator.core.store import Store

TEXT = "abcdefghij" * 30   # 300 characters: room for more spans than a bulk insert stages


def _spans(store: Store, article_id: int, starts: range, prefix: str) -> list:
    return [store.build_annotation(article_id, s, s + 2, "claim", annotator="ana", uid=f"{prefix}{s}")
            for s in starts]


@pytest.fixture
def store(tmp_path: Path):  # noqa: ANN201
    with Store.open(tmp_path / "a.db") as s:
        yield s


def test_two_bulk_inserts_in_one_transaction_each_write_their_own_rows(store: Store) -> None:
    # Over 50 rows go through a temporary table: the second insert must not bring the first's rows again.
    article, _ = store.add_article(TEXT, title="t", actor="ana")
    with store.transaction():
        store.insert_annotation_rows(_spans(store, article.id, range(0, 120, 2), "a"))
        store.insert_annotation_rows(_spans(store, article.id, range(120, 240, 2), "b"))
    assert store.span_count(article.id) == 120
    assert sorted(a.uid for a in store.annotations()) == sorted(
        [f"a{s}" for s in range(0, 120, 2)] + [f"b{s}" for s in range(120, 240, 2)])


@pytest.mark.parametrize("size", [1, 3, 60], ids=["one", "few", "staged"])
def test_a_plain_insert_of_a_uid_already_there_fails_and_changes_nothing(store: Store, size: int) -> None:
    article, _ = store.add_article(TEXT, title="t", actor="ana")
    first = _spans(store, article.id, range(0, 2 * size, 2), "u")
    store.add_annotations(first, actor="ana")
    moved = [store.build_annotation(article.id, a.start + 1, a.end + 1, "denial", annotator="bo", uid=a.uid)
             for a in first]
    with pytest.raises(DatabaseError, match="UNIQUE constraint failed: annotations.uid"), store.transaction():
        store.insert_annotation_rows(moved)
    assert [(a.start, a.label, a.annotator) for a in store.annotations()] == [
        (a.start, "claim", "ana") for a in first]


def test_an_upsert_replaces_the_row_with_the_same_uid(store: Store) -> None:
    article, _ = store.add_article(TEXT, title="t", actor="ana")
    first = _spans(store, article.id, range(0, 120, 2), "u")
    store.add_annotations(first, actor="ana")
    moved = [store.build_annotation(article.id, a.start + 1, a.end + 1, "denial", annotator="bo", uid=a.uid)
             for a in first]
    with store.transaction():
        store.insert_annotation_rows(moved, overwrite=True)
    assert {(a.uid, a.start, a.label, a.annotator) for a in store.annotations()} == {
        (a.uid, a.start, "denial", "bo") for a in moved}


def test_a_bulk_insert_refuses_a_span_whose_text_is_not_the_articles_in_words(store: Store) -> None:
    article, _ = store.add_article(TEXT, title="t", actor="ana")
    bad = replace(store.build_annotation(article.id, 0, 3, "claim", annotator="ana"), text="xyz")
    with pytest.raises(SpanError) as raised:
        store.add_annotations([bad], actor="ana")
    assert str(raised.value) == "span text 'xyz' does not match the article text at [0, 3): 'abc'"
    assert store.span_count(article.id) == 0
