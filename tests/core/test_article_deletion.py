"""Deleting an article with its spans, links and rejected suggestions; undo restores exactly; verify after."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core.errors import ArticleError, NotFoundError
from annotator.core.store import Store

REPORT = "Turkey asked Russia to take back its S-400 systems, Bloomberg reported."
DENIAL = "The Kremlin denied the report on Friday."
EXTRA = "Background: Turkey bought the S-400 in 2017."


def everything(store: Store) -> dict[str, list[tuple]]:
    """Every row a deletion touches, read as SQLite holds it (row ids of spans and links aside)."""
    conn = store._conn
    return {
        "articles": conn.execute("SELECT * FROM articles ORDER BY id").fetchall(),
        "annotations": conn.execute(
            'SELECT uid, article_id, start, "end", label_id, text, note, annotator, status, created_at, updated_at,'
            " reviewer, reviewed_at, review_note FROM annotations ORDER BY uid").fetchall(),
        "links": conn.execute("SELECT uid, span_uid, claim_uid, role, created_by, created_at, article_id FROM links"
                              " ORDER BY uid").fetchall(),
        "rejections": conn.execute("SELECT * FROM claim_rejections ORDER BY uid").fetchall(),
        "claims": conn.execute("SELECT * FROM claims ORDER BY id").fetchall(),
    }


@pytest.fixture
def worked(store: Store) -> tuple[int, int]:
    """Two articles: spans on both (one reviewed, one with a note), a claim linking across them, a rejection."""
    report, _ = store.add_article(REPORT, title="report", source="Bloomberg", actor="ana")
    denial, _ = store.add_article(DENIAL, title="denial", source="TASS", actor="ana")
    claim = store.add_annotation(report.id, 0, 50, "claim", annotator="ana", note="the claim")
    store.set_status(claim.uid, "accepted", actor="rita")
    deny = store.add_annotation(denial.id, 4, 30, "denial", annotator="bo")
    store.add_annotation(report.id, 52, 61, "background", annotator="bo")
    change = store.link_spans([claim.uid, deny.uid], actor="ana")
    assert change.claim_uid is not None
    store.reject_suggestion(change.claim_uid, report.id, 52, 70, actor="ana")
    return report.id, denial.id


def test_delete_takes_spans_links_and_rejections_in_one_step(store: Store, worked: tuple[int, int]) -> None:
    report, denial = worked
    events = store.event_count()
    change = store.delete_article(report, actor="ana")
    (gone,) = change.articles_removed
    assert (len(gone.spans), len(gone.links), len(gone.rejections)) == (2, 1, 1)
    assert [a.id for a in store.articles()] == [denial]
    assert [a.article_id for a in store.annotations()] == [denial]
    assert len(store.links()) == 1 and store.rejections() == []   # the denial's link stays
    with pytest.raises(NotFoundError):
        store.article_text(report)
    added = list(store.events())[events:]
    assert [(e.action, e.entity) for e in added] == [
        ("delete", "link"), ("delete", "rejection"), ("delete", "annotation"), ("delete", "annotation"),
        ("delete", "article")]
    assert added[-1].before["sha256"] == gone.article.sha256 and added[-1].after is None
    assert audit.verify(store).ok


def test_undo_restores_exactly_and_redo_deletes_again(store: Store, worked: tuple[int, int]) -> None:
    report, _ = worked
    before = everything(store)
    change = store.delete_article(report, actor="ana")
    # Search and the article list's counts forget it (the index and the counts follow the rows).
    assert store.search_articles("Bloomberg") == set() and store.label_counts([report]) == {report: {}}
    restored = store.apply_article_change(change.inverse(), actor="ana")
    assert store.search_articles("Bloomberg") == {report}
    assert store.label_counts([report])[report] == {"claim": 1, "background": 1}
    assert restored.added_ids == {report}
    assert everything(store) == before
    assert store.article_text(report) == REPORT
    uid = change.articles_removed[0].spans[0].uid
    assert [e.action for e in audit.annotation_history(store, uid).entries] == [
        "create", "review", "delete", "restore"]
    assert audit.verify(store).ok
    store.apply_article_change(change, actor="ana")
    assert store.article_count() == 1 and audit.verify(store).ok
    store.apply_article_change(change.inverse(), actor="ana")
    assert everything(store) == before and audit.verify(store).ok


def test_an_article_comes_back_under_a_new_id_if_its_own_was_taken(store: Store, worked: tuple[int, int]) -> None:
    _, denial = worked
    change = store.delete_article(denial, actor="ana")
    other, _ = store.add_article(EXTRA, title="extra", actor="ana")
    assert other.id == denial   # SQLite hands out the highest id again
    assert store.article_text(other.id) == EXTRA   # not the deleted text, cached under that id
    restored = store.apply_article_change(change.inverse(), actor="ana")
    (back,) = restored.articles_added
    assert back.article.id != denial and back.article.uid == change.articles_removed[0].article.uid
    assert [a.article_id for a in store.annotations_for(back.article.id)] == [back.article.id]
    assert store.article_text(back.article.id) == DENIAL
    assert audit.verify(store).ok
    # Redo deletes it under the id it has now.
    store.apply_article_change(restored.inverse(), actor="ana")
    assert [a.id for a in store.articles()] == [1, other.id] and audit.verify(store).ok


def test_the_same_text_imported_again_blocks_the_undo(store: Store, worked: tuple[int, int]) -> None:
    report, _ = worked
    change = store.delete_article(report, actor="ana")
    store.add_article(REPORT, title="again", actor="bo")
    events = store.event_count()
    with pytest.raises(ArticleError, match="is here again"):
        store.apply_article_change(change.inverse(), actor="ana")
    assert store.event_count() == events and audit.verify(store).ok


def test_links_to_a_claim_deleted_meanwhile_stay_gone(store: Store, worked: tuple[int, int]) -> None:
    report, _ = worked
    change = store.delete_article(report, actor="ana")
    store.delete_claim(change.articles_removed[0].links[0].claim_uid, actor="ana")
    restored = store.apply_article_change(change.inverse(), actor="ana")
    assert restored.articles_added[0].links == () and store.links() == []
    assert len(store.annotations_for(report)) == 2 and audit.verify(store).ok


def test_verify_sees_an_article_deleted_outside_annotator(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        article, _ = store.add_article(DENIAL, title="denial", actor="ana")
        store.add_article(EXTRA, title="extra", actor="ana")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM articles WHERE title = 'denial'")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        report = audit.verify(store)
        assert not report.ok
        assert report.summary() == (f"article {article.uid}: the log says 'denial' is there, but it is gone from"
                                    " the table (deleted outside annotator)")
