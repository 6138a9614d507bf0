"""Merge and the workspace's new changes: labels renamed or edited on one side, articles deleted on one side."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core.merge import merge_database
from annotator.core.store import Store

from .review_support import fake_clock, shared_databases


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_clock(monkeypatch)


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """mine.db with two articles, spans on both (one background), a link; theirs.db a copy of it."""
    return shared_databases(tmp_path, [("wire", 0, 6, "claim", "n1"),
                                       ("wire", 7, 12, "background", "n2"),
                                       ("denial", 4, 11, "denial", "n3")], [("n1", "n3")])


def merged(into: Path, other: Path):  # type: ignore[no-untyped-def]
    with Store.open(into) as store:
        report = merge_database(store, other, actor="lead")
        assert audit.verify(store).ok, audit.verify(store).summary()
        again = merge_database(store, other, actor="lead")
        assert not again.changed and audit.verify(store).ok
        return report


# ------------------------------------------------------------------ labels


def test_a_label_renamed_there_keeps_its_name_here_and_brings_its_spans(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.edit_label("background", new_name="setting", actor="bo")
        store.add_annotation(2, 0, 3, "setting", annotator="bo", uid="b1")
    report = merged(mine, theirs)
    assert "label 'setting' there is 'background' here (renamed on one side): its spans from there come in as" \
           " 'background'" in report.notes
    with Store.open(mine) as store:
        assert [label.name for label in store.labels()] == ["claim", "denial", "background"]
        assert store.annotation("b1").label == "background" and store.annotation("n2").label == "background"


def test_a_label_renamed_here_takes_their_spans_under_the_name_here(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.edit_label("background", new_name="context", actor="ana")
    with Store.open(theirs) as store:
        store.add_annotation(2, 0, 3, "background", annotator="bo", uid="b1")
    report = merged(mine, theirs)
    assert report.labels_created == ()
    with Store.open(mine) as store:
        assert [label.name for label in store.labels()] == ["claim", "denial", "context"]
        assert store.annotation("b1").label == "context"
    # And the other way: their merge of mine finds the same label under its name there.
    report = merged(theirs, mine)
    with Store.open(theirs) as store:
        assert store.annotation("n2").label == "background" and report.labels_created == ()


def test_labels_recoloured_rekeyed_or_deleted_there_are_notes(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.create_label("quote", "#CC79A7", "4", actor="ana")
    shutil.copy(mine, theirs)
    with Store.open(theirs) as store:
        store.edit_label("claim", colour="#D55E00", shortcut="7", description="Anything checkable.", actor="bo")
        store.delete_label("quote", actor="bo")
    report = merged(mine, theirs)
    assert "label 'claim': coloured #D55E00 there; #E69F00 kept here" in report.notes
    assert "label 'quote': deleted there; kept here" in report.notes
    with Store.open(mine) as store:
        claim = store.label("claim")
        assert (claim.colour, claim.shortcut) == ("#E69F00", "1") and store.has_label("quote")


def test_guidelines_merge_as_a_setting(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.set_guidelines("# Rules\n\nTag whole clauses.", actor="bo")
    merged(mine, theirs)
    with Store.open(mine) as store:
        assert store.guidelines() == "# Rules\n\nTag whole clauses."


# ------------------------------------------------------------------ articles


def test_an_article_deleted_here_and_unchanged_there_stays_deleted(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.delete_article(1, actor="ana")
    report = merged(mine, theirs)
    assert report.articles_added == 0 and report.annotations_added == 0
    assert "article 'wire': deleted here, nothing new on it there; it stays deleted" in report.notes
    with Store.open(mine) as store:
        assert [a.title for a in store.articles()] == ["denial"] and [k.span_uid for k in store.links()] == ["n3"]


def test_an_article_deleted_here_and_tagged_there_comes_back_with_the_new_span(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.delete_article(1, actor="ana")
    with Store.open(theirs) as store:
        store.add_annotation(1, 13, 17, "claim", annotator="bo", uid="b1")
    report = merged(mine, theirs)
    assert report.articles_added == 1
    assert "article 'wire': deleted here, but changed there since; it is back" in report.notes
    with Store.open(mine) as store:
        (wire,) = [a for a in store.articles() if a.title == "wire"]
        assert [a.uid for a in store.annotations_for(wire.id)] == ["b1"]   # the spans deleted here stay deleted


def test_an_article_deleted_there_is_deleted_here(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.delete_article(1, actor="bo")
    report = merged(mine, theirs)
    assert report.articles_deleted == 1 and "1 article deleted" in report.summary()
    with Store.open(mine) as store:
        assert [a.title for a in store.articles()] == ["denial"]
        assert [a.uid for a in store.annotations()] == ["n3"] and [k.span_uid for k in store.links()] == ["n3"]
    # Merging back changes nothing there: both sides agree.
    assert not merged(theirs, mine).changed


def test_an_article_deleted_there_but_tagged_here_since_stays(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.delete_article(1, actor="bo")
    with Store.open(mine) as store:
        store.add_annotation(1, 13, 17, "claim", annotator="ana", uid="a1")
    report = merged(mine, theirs)
    assert report.articles_deleted == 0
    assert "article 'wire': deleted there, but worked on here since; it stays" in report.notes
    with Store.open(mine) as store:
        assert [a.uid for a in store.annotations_for(1)] == ["a1"]


def test_an_article_kept_against_a_deletion_there_is_logged_with_all_its_details(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.delete_article(1, actor="bo")
    with Store.open(mine) as store:
        store.add_annotation(1, 13, 17, "claim", annotator="ana", uid="a1")
    merged(mine, theirs)
    with Store.open(mine) as store:
        article = store.article(1)
        events = store.events_for(article.uid)
        assert [(e.actor, e.action) for e in events] == [("ana", "import"), ("bo", "delete"), ("lead", "merge")]
        assert events[-1].after == {"title": "wire", "source": None, "url": None, "published": None,
                                    "origin": None, "sha256": article.sha256}
