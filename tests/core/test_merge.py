"""Team merge: idempotence, conflicts, deletions, labels, the other file untouched, the chain still verifying."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core.errors import AnnotatorError, DatabaseError
from annotator.core.merge import MergeConflict, MergeReport, merge_database
from annotator.core.store import Store

from .review_support import DENIAL, WIRE, FakeClock, fake_clock, folder_digest, shared_databases, tamper

EXTRA = "Background: Turkey bought the S-400 in 2017."


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    return fake_clock(monkeypatch)


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """mine.db with two articles and three annotations, and theirs.db: a colleague's copy of it."""
    return shared_databases(tmp_path, [("wire", 0, 6, "claim", "n1"),
                                       ("wire", 7, 12, "claim", "n2"),
                                       ("denial", 4, 11, "denial", "n3")])


def snapshot(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("articles", "labels", "annotations", "events")}
    finally:
        conn.close()


def own_merge_records(store: Store) -> set[str]:
    return {e.uid for e in store.events(entity="merge")}


def states(store: Store) -> dict[str, dict]:
    return {a.uid: a.as_values() for a in store.annotations()}


# ------------------------------------------------------------- bringing in


def test_merge_brings_articles_by_sha_and_annotations_with_their_events(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    with Store.open(mine) as store:
        store.add_article(WIRE, title="wire", actor="ana")
        store.add_article(DENIAL, title="denial", actor="ana")
    with Store.open(theirs) as store:  # imported in another order: other ids, other uids
        extra, _ = store.add_article(EXTRA, title="extra", actor="bo")
        denial, _ = store.add_article(DENIAL, title="the denial", actor="bo")
        assert denial.id == 2
        store.add_annotation(denial.id, 4, 11, "denial", annotator="bo", uid="b1")
        store.add_annotation(extra.id, 0, 10, "background", annotator="bo", uid="b2")
        store.relabel("b1", "claim", actor="bo")
        theirs_events = [(e.uid, e.at, e.actor, e.action) for e in store.events()]

    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert (report.articles_added, report.annotations_added, report.conflicts) == (1, 2, ())
        assert report.events_added == len(theirs_events)
        local_denial = store.article_by_sha(Store.memory().add_article(DENIAL, title="x", actor="x")[0].sha256)
        assert local_denial is not None and local_denial.id == 2 and local_denial.title == "denial"
        b1 = store.annotation("b1")
        assert (b1.article_id, b1.text, b1.label) == (local_denial.id, "Kremlin", "claim")
        assert store.annotation("b2").article_id == store.article_by_sha(
            Store.memory().add_article(EXTRA, title="x", actor="x")[0].sha256).id
        # the colleague's events keep their uid, time and actor, re-chained here
        merged = [(e.uid, e.at, e.actor, e.action) for e in store.events()
                  if e.entity != "merge"][-len(theirs_events):]
        assert merged == theirs_events
        # their article ids were translated to ours in the event payloads
        assert store.events_for("b1")[0].after["article_id"] == local_denial.id
        assert [e.action for e in audit.annotation_history(store, "b1").entries] == ["create", "relabel"]
        assert audit.verify(store).ok


def test_merging_twice_changes_nothing(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.add_article(EXTRA, title="extra", actor="bo")
        store.relabel("n1", "background", actor="bo")
        store.add_annotation(1, 20, 26, "claim", annotator="bo", uid="b1")
    with Store.open(mine) as store:
        store.set_note("n1", "mine", actor="ana")  # a conflict too
        first = merge_database(store, theirs, actor="lead")
        assert first.changed and len(first.conflicts) == 1
    before = snapshot(mine)
    with Store.open(mine) as store:
        second = merge_database(store, theirs, actor="lead")
    assert not second.changed
    assert (second.events_added, second.annotations_added, second.annotations_updated, second.conflicts) == (
        0, 0, 0, ())
    assert second.summary().endswith("nothing new to merge")
    assert snapshot(mine) == before


def test_the_other_file_is_never_modified(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.add_annotation(1, 20, 26, "claim", annotator="bo", uid="b1")
    theirs.chmod(0o444)
    before = folder_digest(theirs.parent)
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="lead")
        merge_database(store, theirs, actor="lead", dry_run=True)
        assert store.has_annotation("b1")
    assert folder_digest(theirs.parent) == before  # byte for byte, and no -wal / -shm left beside it


def test_a_colleague_database_still_open_is_read_with_its_wal(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    open_there = Store.open(theirs)
    # annotator itself now uses a rollback journal; a file from an earlier version may be in WAL mode
    open_there.db.conn.execute("PRAGMA journal_mode = WAL")
    try:
        open_there.add_annotation(1, 20, 26, "claim", annotator="bo", uid="b1")  # still in theirs' -wal
        assert Path(f"{theirs}-wal").stat().st_size > 0
        main_bytes = theirs.read_bytes()
        with Store.open(mine) as store:
            assert merge_database(store, theirs, actor="lead").annotations_added == 1
        assert theirs.read_bytes() == main_bytes
    finally:
        open_there.close()


# --------------------------------------------------------------- conflicts


def test_edit_only_there_is_taken_without_a_conflict(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.resize("n1", 0, 12, actor="bo")
        store.set_status("n2", "rejected", actor="rita", reason="duplicate")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert report.conflicts == () and report.annotations_updated == 2
        assert store.annotation("n1").text == "Turkey asked"
        n2 = store.annotation("n2")
        assert (n2.status, n2.reviewer, n2.review_note) == ("rejected", "rita", "duplicate")
        assert [e.action for e in store.events_for("n1")] == ["create", "resize"]  # no merge event needed
        assert audit.verify(store).ok


def test_edits_to_different_parts_on_both_sides_are_combined(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.relabel("n1", "background", actor="ana")
        store.set_note("n1", "is this really a claim?", actor="ana")
    with Store.open(theirs) as store:
        store.resize("n1", 0, 12, actor="bo")  # later, but only the extent
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        [conflict] = report.conflicts
        assert (conflict.uid, conflict.kind, conflict.kept) == ("n1", "edited on both sides", "both")
        assert conflict.parts == ("extent from there (changed there only)", "label from here (changed here only)",
                                  "note from here (changed here only)")
        assert "merged part by part" in conflict.describe() and "is this really a claim?" in conflict.describe()
        current = store.annotation("n1")
        assert (current.label, current.start, current.end, current.note) == (
            "background", 0, 12, "is this really a claim?")
        entries = audit.annotation_history(store, "n1").entries
        assert [(e.actor, e.action) for e in entries] == [
            ("ana", "create"), ("ana", "relabel"), ("ana", "note"), ("bo", "resize"), ("lead", "merge")]
        assert audit.verify(store).ok
    # merging back the other way gives the colleague the same annotation
    with Store.open(theirs) as store:
        merge_database(store, mine, actor="lead")
        assert store.annotation("n1").as_values() == Store.open(mine).annotation("n1").as_values()


def test_a_review_here_does_not_cover_a_resize_there(shared: tuple[Path, Path]) -> None:
    # Rita accepted the span as it was; Bo, elsewhere, made it longer. The merged span has
    # Bo's extent, which nobody has judged: it goes back to pending, and the report says why.
    mine, theirs = shared
    with Store.open(mine) as store:
        store.set_status("n1", "accepted", actor="rita")
        store.set_note("n2", "checked", actor="ana")
        store.set_status("n2", "accepted", actor="rita")
    with Store.open(theirs) as store:
        store.resize("n1", 0, 12, actor="bo")  # later
        store.relabel("n2", "background", actor="bo")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        for uid in ("n1", "n2"):
            current = store.annotation(uid)
            assert (current.status, current.reviewer) == ("pending", None)
        assert store.annotation("n1").end == 12 and store.annotation("n2").label == "background"
        assert all(any("review cleared" in part for part in c.parts) for c in report.conflicts)
        assert audit.verify(store).ok


def test_a_review_there_of_an_unchanged_span_is_kept(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.set_note("n1", "source: Bloomberg", actor="ana")
    with Store.open(theirs) as store:
        store.set_status("n1", "accepted", actor="rita")  # the note does not change what was judged
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="lead")
        current = store.annotation("n1")
        assert (current.status, current.reviewer, current.note) == ("accepted", "rita", "source: Bloomberg")


def test_the_same_part_changed_on_both_sides_goes_to_the_later(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.relabel("n1", "background", actor="ana")  # earlier
    with Store.open(theirs) as store:
        store.relabel("n1", "denial", actor="bo")  # later: wins
    with Store.open(mine) as store:
        [conflict] = merge_database(store, theirs, actor="lead").conflicts
        assert conflict.kept == "there"
        assert conflict.parts == ("label from there (changed on both sides; the later kept)",)
        assert store.annotation("n1").label == "denial"
        entries = audit.annotation_history(store, "n1").entries
        assert entries[-1].describe() == "merge kept: label: 'background' → 'denial'"
        assert audit.verify(store).ok


def test_edited_on_both_sides_later_here_keeps_this_version(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.relabel("n1", "denial", actor="bo")  # earlier
    with Store.open(mine) as store:
        store.relabel("n1", "background", actor="ana")  # later: wins
        [conflict] = merge_database(store, theirs, actor="lead").conflicts
        assert conflict.kept == "here"
        assert store.annotation("n1").label == "background"
        assert [(e.actor, e.action) for e in store.events_for("n1")] == [
            ("ana", "create"), ("ana", "relabel"), ("bo", "relabel"), ("lead", "merge")]  # log order
        assert [(e.actor, e.action) for e in audit.annotation_history(store, "n1").entries] == [
            ("ana", "create"), ("bo", "relabel"), ("ana", "relabel"), ("lead", "merge")]  # time order
        assert audit.verify(store).ok


def test_deleted_here_and_edited_there_later_comes_back(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.delete_annotation("n2", actor="ana")
    with Store.open(theirs) as store:
        store.set_status("n2", "accepted", actor="rita")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        [conflict] = report.conflicts
        assert (conflict.kind, conflict.kept, conflict.here) == ("deleted here, edited there", "there", None)
        assert store.annotation("n2").status == "accepted"
        assert report.annotations_added == 1
        assert audit.verify(store).ok


def test_deleted_here_after_the_edit_there_stays_deleted(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.set_note("n2", "their note", actor="bo")
    with Store.open(mine) as store:
        store.delete_annotation("n2", actor="ana")
        [conflict] = merge_database(store, theirs, actor="lead").conflicts
        assert (conflict.kind, conflict.kept) == ("deleted here, edited there", "here")
        assert not store.has_annotation("n2")
        # their note is not lost: it is in the history
        assert any(c.after == "their note" for e in audit.annotation_history(store, "n2").entries
                   for c in e.changes)
        assert audit.verify(store).ok


def test_edited_here_and_deleted_there_later_is_deleted(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.set_note("n3", "mine", actor="ana")
    with Store.open(theirs) as store:
        store.delete_annotation("n3", actor="bo")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        [conflict] = report.conflicts
        assert (conflict.kind, conflict.kept, conflict.there) == ("edited here, deleted there", "there", None)
        assert report.annotations_deleted == 1 and not store.has_annotation("n3")
        assert audit.annotation_history(store, "n3").entries[-1].describe().startswith(
            "kept the deletion of denial [4, 11)")
        assert audit.verify(store).ok


def test_the_same_part_changed_on_both_sides_at_the_same_time_keeps_this_side(
        shared: tuple[Path, Path], clock: FakeClock) -> None:
    mine, theirs = shared
    with clock.frozen():
        with Store.open(mine) as store:
            store.relabel("n1", "background", actor="ana")
        with Store.open(theirs) as store:
            store.relabel("n1", "denial", actor="bo")
            tie = store.annotation("n1").updated_at
    with Store.open(mine) as store:
        assert store.annotation("n1").updated_at == tie
        [conflict] = merge_database(store, theirs, actor="lead").conflicts
        assert (conflict.kept, conflict.here_at, conflict.there_at) == ("here", tie, tie)
        assert conflict.parts == ("label from here (changed on both sides; the later kept)",)
        assert store.annotation("n1").label == "background"
        assert audit.verify(store).ok


def test_deleted_here_and_edited_there_at_the_same_time_stays_deleted(
        shared: tuple[Path, Path], clock: FakeClock) -> None:
    mine, theirs = shared
    with clock.frozen():
        with Store.open(mine) as store:
            store.delete_annotation("n2", actor="ana")
        with Store.open(theirs) as store:
            store.set_note("n2", "their note", actor="bo")
    with Store.open(mine) as store:
        [conflict] = merge_database(store, theirs, actor="lead").conflicts
        assert (conflict.kind, conflict.kept) == ("deleted here, edited there", "here")
        assert conflict.here_at == conflict.there_at
        assert not store.has_annotation("n2")
        assert audit.verify(store).ok


def test_edited_here_and_deleted_there_at_the_same_time_is_kept(
        shared: tuple[Path, Path], clock: FakeClock) -> None:
    mine, theirs = shared
    with clock.frozen():
        with Store.open(theirs) as store:
            store.delete_annotation("n3", actor="bo")
        with Store.open(mine) as store:
            store.set_note("n3", "mine", actor="ana")
    with Store.open(mine) as store:
        [conflict] = merge_database(store, theirs, actor="lead").conflicts
        assert (conflict.kind, conflict.kept) == ("edited here, deleted there", "here")
        assert conflict.here_at == conflict.there_at
        assert store.annotation("n3").note == "mine"
        assert audit.verify(store).ok


def test_deleted_only_there_is_deleted_without_a_conflict(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.delete_annotation("n3", actor="bo")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert report.conflicts == () and report.annotations_deleted == 1
        assert not store.has_annotation("n3")
        assert audit.verify(store).ok


def test_merging_both_ways_converges(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.relabel("n1", "background", actor="ana")
        store.delete_annotation("n2", actor="ana")
        store.add_annotation(2, 0, 3, "claim", annotator="ana", uid="a-new")
    with Store.open(theirs) as store:
        store.resize("n1", 0, 12, actor="bo")
        store.set_note("n3", "bo's note", actor="bo")
        store.add_annotation(1, 20, 26, "claim", annotator="bo", uid="b-new")
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="ana")
    with Store.open(theirs) as store:
        merge_database(store, mine, actor="bo")
    with Store.open(mine) as a, Store.open(theirs) as b:
        assert states(a) == states(b)
        assert set(states(a)) == {"n1", "n3", "a-new", "b-new"}
        # the same events, but for where each database noted it got the other's (store/provenance.py)
        assert a.event_uids() - own_merge_records(a) == b.event_uids() - own_merge_records(b)
        assert audit.verify(a).ok and audit.verify(b).ok
        # and once more each way: nothing left to do
        assert not merge_database(a, theirs, actor="ana").changed
        assert not merge_database(b, mine, actor="bo").changed


# ------------------------------------------------------------ labels, refusals


def test_missing_labels_are_created_and_reported(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.add_label("quote", "#CC79A7", "4", "Words in quotation marks.", actor="bo")
        store.edit_label("claim", shortcut="9", actor="bo")
        store.add_label("rumour", "#D55E00", "1", actor="bo")  # shortcut 1 is claim's here
        store.add_annotation(1, 0, 6, "quote", annotator="bo", uid="q1")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert report.labels_created == ("quote", "rumour")
        assert any("shortcut '1' is taken" in note for note in report.notes)
        labels = {label.name: label for label in store.labels()}
        assert (labels["quote"].shortcut, labels["quote"].colour) == ("4", "#CC79A7")
        assert labels["rumour"].shortcut == ""
        assert store.annotation("q1").label == "quote"
        assert "labels created: quote, rumour" in report.summary()
        assert audit.verify(store).ok


def test_names_that_differ_keep_this_side_and_are_reported(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    with Store.open(mine) as store:
        store.add_article(DENIAL, title="denial", source="Reuters", actor="ana")
        store.add_label("quote", "#CC79A7", "4", actor="ana")
    with Store.open(theirs) as store:  # the same text and label name, named and coloured otherwise
        store.add_article(DENIAL, title="The Kremlin's denial", source="TASS", actor="bo")
        store.add_label("quote", "#D55E00", "5", actor="bo")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert report.notes == (
            "label 'quote': coloured #D55E00 there; #CC79A7 kept here",
            "article 'denial': titled \"The Kremlin's denial\" there; the title here is kept",
            "article 'denial': source 'TASS' there; 'Reuters' is kept here",
        )
        (article,) = store.articles()
        assert (article.title, article.source) == ("denial", "Reuters")
        assert store.label("quote").colour == "#CC79A7"
        # Merging again reports the same differences and changes nothing.
        again = merge_database(store, theirs, actor="lead")
        assert not again.changed and again.notes == report.notes
    # No source on either side, however it is stored, is no difference.
    with Store.open(theirs) as store:
        store.add_article(EXTRA, title="extra", source="", actor="bo")
    with Store.open(mine) as store:
        store.add_article(EXTRA, title="extra", actor="ana")
        assert not any("extra" in note for note in merge_database(store, theirs, actor="lead").notes)


def test_dry_run_reports_and_changes_nothing(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.add_annotation(1, 20, 26, "claim", annotator="bo", uid="b1")
    before = snapshot(mine)
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead", dry_run=True)
        assert report.dry_run and report.annotations_added == 1 and "would merge" in report.summary()
        assert not store.has_annotation("b1")
    assert snapshot(mine) == before


def test_a_tampered_database_is_refused(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    tamper(theirs, "UPDATE events SET actor = 'mallory' WHERE id = 3")
    before = snapshot(mine)
    with Store.open(mine) as store, pytest.raises(DatabaseError, match="does not verify"):
        merge_database(store, theirs, actor="lead")
    assert snapshot(mine) == before


def test_merging_a_database_into_itself_or_a_missing_file_is_refused(shared: tuple[Path, Path]) -> None:
    mine, _ = shared
    with Store.open(mine) as store:
        with pytest.raises(DatabaseError, match="being merged into"):
            merge_database(store, mine, actor="lead")
        with pytest.raises(DatabaseError, match="no database"):
            merge_database(store, mine.parent / "nope.db", actor="lead")


def test_an_older_schema_database_is_migrated_in_memory(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.add_annotation(1, 20, 26, "claim", annotator="bo", uid="b1")
    # Take theirs back to schema 1, as an older annotator left it.
    conn = sqlite3.connect(theirs, isolation_level=None)
    conn.execute("DROP INDEX annotations_status_order")  # step 0002 makes annotations_status again
    for column in ("reviewer", "reviewed_at", "review_note"):
        conn.execute(f"ALTER TABLE annotations DROP COLUMN {column}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0002_review'")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = folder_digest(theirs.parent)
    with Store.open(mine) as store:
        assert merge_database(store, theirs, actor="lead").annotations_added == 1
        assert store.annotation("b1").review_note == ""
    assert folder_digest(theirs.parent) == before


def test_events_arriving_by_two_routes_are_added_once(shared: tuple[Path, Path], tmp_path: Path) -> None:
    mine, theirs = shared
    third = tmp_path / "third.db"
    shutil.copy(mine, third)
    with Store.open(theirs) as store:
        store.add_annotation(1, 20, 26, "claim", annotator="bo", uid="b1")
        store.relabel("b1", "denial", actor="bo")
    with Store.open(third) as store:  # cy merged bo's work, then edited it
        merge_database(store, theirs, actor="cy")
        store.set_note("b1", "cy's note", actor="cy")
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="ana")
        report = merge_database(store, third, actor="ana")
        assert report.events_added == 1 and report.conflicts == ()  # only cy's note is new
        actions = [e.action for e in store.events_for("b1")]
        assert actions == ["create", "relabel", "note"]
        assert store.annotation("b1").note == "cy's note"
        uids = [e.uid for e in store.events()]
        assert len(uids) == len(set(uids))
        assert audit.verify(store).ok


def test_notes_written_on_both_sides_are_both_kept_with_their_authors(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.set_note("n1", "Peskov said this on Thursday", actor="ana")
    with Store.open(theirs) as store:
        store.set_note("n1", "check the Bloomberg original", actor="bo")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert store.annotation("n1").note == "ana: Peskov said this on Thursday\nbo: check the Bloomberg original"
        [conflict] = report.conflicts
        assert "note from both sides" in conflict.describe()
        assert audit.verify(store).ok
    with Store.open(theirs) as store:   # and back: both sides end with both notes
        merge_database(store, mine, actor="bo")
        assert store.annotation("n1").note.splitlines() == ["ana: Peskov said this on Thursday",
                                                            "bo: check the Bloomberg original"]
    # a side that removed its note while the other edited it adds nothing but keeps the other's words
    with Store.open(mine) as store:
        store.set_note("n2", "first look", actor="ana")
    with Store.open(theirs) as store:
        merge_database(store, mine, actor="bo")   # both sides share "first look" now
    with Store.open(mine) as store:
        store.set_note("n2", "", actor="ana")
    with Store.open(theirs) as store:
        store.set_note("n2", "a second look", actor="bo")
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="lead")
        assert store.annotation("n2").note == "bo: a second look"


# ------------------------------------------------------------- in words


def _report(**changes: object) -> MergeReport:
    values: dict[str, object] = {"source": "theirs.db", "dry_run": False, "articles_added": 0,
                                 "annotations_added": 0, "annotations_updated": 0, "annotations_deleted": 0,
                                 "events_added": 0, "labels_created": (), "conflicts": (), "notes": ()}
    return MergeReport(**{**values, **changes})  # type: ignore[arg-type]


def test_the_summary_in_words() -> None:
    assert _report().summary() == "theirs.db: nothing new to merge"
    assert not _report(notes=("a difference noted",)).changed
    for field, value in (("events_added", 1), ("articles_added", 1), ("annotations_added", 1),
                         ("annotations_updated", 1), ("annotations_deleted", 1), ("labels_created", ("x",))):
        assert _report(**{field: value}).changed, field
    conflict = MergeConflict("n1", "edited on both sides", "here", None, None, "t", "t")
    assert _report(articles_added=1, annotations_added=2, annotations_updated=3, events_added=5,
                   conflicts=(conflict,), labels_created=("quote", "rumour")).summary() == (
        "theirs.db: merged 1 new article, 2 new annotations, 3 updated, 0 deleted, 5 events from the file, 1 conflict,"
        " labels created: quote, rumour")
    assert _report(dry_run=True, articles_added=2, annotations_deleted=1, events_added=1).summary() == (
        "theirs.db: would merge 2 new articles, 0 new annotations, 0 updated, 1 deleted, 1 event from the file,"
        " 0 conflicts")


def test_each_conflict_in_words() -> None:
    from annotator.core.model import Annotation

    def a(label: str, note: str = "", status: str = "pending") -> Annotation:
        return Annotation(uid="n1", article_id=1, start=0, end=6, label=label, text="Turkey", annotator="ana",
                          note=note, status=status)

    here, there = a("claim", note="why?"), a("denial", status="accepted")
    t1, t2 = "2026-01-01T10:00:00.000Z", "2026-01-02T11:30:15.123Z"
    assert MergeConflict("n1", "edited on both sides", "there", here, there, t1, t2).describe() == (
        "ana's “Turkey”: edited on both sides; kept the other's (the later). "
        "Here: claim “Turkey” [0, 6) pending, note 'why?', changed 2026-01-01 10:00:00. "
        "There: denial “Turkey” [0, 6) accepted, changed 2026-01-02 11:30:15. (annotation n1)")
    assert MergeConflict("n1", "edited here, deleted there", "here", here, None, t2, t1).describe() == (
        "ana's “Turkey”: edited here, deleted there; kept this database's (the later). "
        "Here: claim “Turkey” [0, 6) pending, note 'why?', changed 2026-01-02 11:30:15. "
        "There: deleted 2026-01-01 10:00:00. (annotation n1)")
    assert MergeConflict("n1", "deleted here, edited there", "there", None, there, t1, t2,
                         ("label from there (changed there only)", "note from here (changed here only)")
                         ).describe() == (
        "ana's “Turkey”: deleted here, edited there; merged part by part: label from there (changed there only);"
        " note from here (changed here only). Here: deleted 2026-01-01 10:00:00. There: denial “Turkey” [0, 6)"
        " accepted, changed 2026-01-02 11:30:15. (annotation n1)")
    assert MergeConflict("n1", "edited on both sides", "both", None, None, t1, t2).describe().startswith(
        "annotation: edited on both sides; kept the other's")


def test_labels_brought_in_with_their_events(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.add_label("quote", "#cc79a7", "Q", actor="ana")
    with Store.open(theirs) as store:
        store.add_label("quote", "#CC79A7", "4", actor="bo")  # the same colour, written otherwise: no note
        store.add_label("rumour", "#D55E00", "q", actor="bo")  # shortcuts match in any case
        with store.transaction():  # a label with no event of its own (an older version made them so)
            store.insert_label_row("silent", "#000000", "", "")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        assert report.labels_created == ("rumour", "silent")
        assert report.notes == ("label 'rumour': its shortcut 'Q' is taken here; it has none",)
        assert [(e.entity_uid, e.actor) for e in store.events(entity="label")] == [
            ("quote", "ana"), ("quote", "bo"), ("rumour", "bo"), ("silent", "lead")]
        silent = next(e for e in store.events(entity="label") if e.entity_uid == "silent")
        assert silent.after == {"name": "silent", "colour": "#000000", "shortcut": "", "description": ""}
        assert audit.verify(store).ok


def test_an_article_whose_uid_is_taken_here_gets_another(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    with Store.open(mine) as store:
        store.add_article(WIRE, title="wire", actor="ana", uid="same-uid")
    with Store.open(theirs) as store:
        store.add_article(DENIAL, title="denial", actor="bo", uid="same-uid")
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead")
        given = store.article(2).uid
        assert given != "same-uid"
        assert report.notes == (f"article uid same-uid of {theirs} names a different text here; its article was"
                                f" brought in as {given}",)
        [event] = [e for e in store.events(entity="article") if e.entity_uid == given]
        assert (event.actor, event.action, event.after["title"]) == ("bo", "import", "denial")  # theirs, renamed


def test_an_article_that_got_another_uid_leaves_the_one_here_alone(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    with Store.open(mine) as store:
        store.add_article(WIRE, title="wire", actor="ana", uid="same-uid")
    with Store.open(theirs) as store:
        store.add_article(DENIAL, title="denial", actor="bo", uid="same-uid")
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="lead")
        assert store.article(1).title == "wire"
        assert audit.verify(store).ok


def test_merge_refusals_in_words(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        with pytest.raises(AnnotatorError) as nameless:
            merge_database(store, theirs, actor="  ")
        assert str(nameless.value) == "a merge needs the name of who merges"
        with pytest.raises(DatabaseError) as itself:
            merge_database(store, mine, actor="lead")
        assert str(itself.value) == f"{mine} is the database being merged into"
    tamper(theirs, """UPDATE events SET actor = 'eve' WHERE id = 3""")
    with Store.open(mine) as store, pytest.raises(DatabaseError) as tampered:
        merge_database(store, theirs, actor="lead")
    first = str(tampered.value)
    assert first.startswith(f"the event log of {theirs} does not verify (event 3 (")
    assert first.endswith(f" is altered: its content was altered; the 2 events before it are intact); nothing was"
                          f" merged. Run 'annotator verify --db {theirs}' for details")


def test_the_claims_part_of_a_merge_in_words() -> None:
    from annotator.core.merge_claims import ClaimMergeReport, EntityConflict

    report = ClaimMergeReport(added={"claim": 2, "link": 1, "rejection": 1}, updated={"claim": 1, "article": 1},
                              deleted={"link": 3, "setting": 1, "rating": 1})
    assert report.changed and not ClaimMergeReport(deleted={"link": 0}).changed
    assert report.summary() == ("2 new claims, 1 claim updated, 1 new link, 3 links deleted, 1 rating deleted,"
                                " 1 new rejected suggestion, 1 setting deleted, 1 article's details updated")
    assert ClaimMergeReport(updated={"rating": 1}).changed and ClaimMergeReport(added={"setting": 1}).changed
    parts = EntityConflict("claim", "c1", "edited on both sides", "both", {}, {}, ("summary from there",), "“S”")
    assert parts.describe() == ("claim “S”: edited on both sides; merged part by part: summary from there."
                                " (claim c1)")
    assert EntityConflict("link", "k1", "deleted here", "both", None, {}).describe() == (
        "link k1: deleted here; both kept. (link k1)")
    assert EntityConflict("rating", "r", "edited", "here", {}, {}).describe().endswith(
        "kept this database's (the later). (rating r)")
    assert EntityConflict("rating", "r", "edited", "there", {}, {}).describe().endswith(
        "kept the other's (the later). (rating r)")


def test_several_articles_details_in_the_claims_summary() -> None:
    from annotator.core.merge_claims import ClaimMergeReport

    assert ClaimMergeReport(updated={"article": 2}).summary() == "2 articles' details updated"
    assert ClaimMergeReport(updated={"article": 1}).summary() == "1 article's details updated"
    assert ClaimMergeReport(added={"rejection": 2}).summary() == "2 new rejected suggestions"
