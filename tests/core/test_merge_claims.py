"""Team merge of claims, links, verdicts, ratings, settings and article details: by uid, conflicts reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core.claims import link_uid
from annotator.core.merge import merge_database
from annotator.core.store import NewEvent, Store

from .review_support import fake_clock, shared_databases


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_clock(monkeypatch)


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """mine.db with two articles, three spans and one claim linking two of them; theirs.db a copy."""
    return shared_databases(tmp_path, [("wire", 0, 50, "claim", "n1"),
                                       ("wire", 52, 70, "claim", "n2"),
                                       ("denial", 4, 18, "denial", "n3")], [("n1", "n3")], "c1")


def merged(mine: Path, theirs: Path, **kwargs: object):  # noqa: ANN201
    with Store.open(mine) as store:
        report = merge_database(store, theirs, actor="lead", **kwargs)
        assert audit.verify(store).ok, audit.verify(store).summary()
    return report


def test_a_colleagues_claims_links_and_verdicts_come_in_with_their_events(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.link_spans(["n2"], actor="bo", claim_uid="c1", role="supports")
        store.set_verdict("c1", "false", "Denied twice.", actor="rita")
        store.create_claim_from_span("n2", actor="bo", uid="c2")
        store.add_rating("satire", -1, actor="bo")
        store.set_verdict("c2", "satire", actor="rita")
        store.set_setting("organisation", "Fact Desk", actor="bo")
        store.edit_article(1, actor="bo", url="https://example.com/wire")
    report = merged(mine, theirs)
    assert report.claim_conflicts == ()
    assert report.claims.added == {"claim": 1, "link": 2, "rating": 1, "setting": 1}
    assert report.claims.updated == {"claim": 1, "article": 1}
    assert "1 new claim" in report.summary() and "2 new links" in report.summary()
    with Store.open(mine) as store:
        c1 = store.claim("c1")
        assert (c1.verdict, c1.explanation, c1.reviewed_by) == ("false", "Denied twice.", "rita")
        assert store.claim("c2").verdict == "satire"
        assert {(k.span_uid, k.role) for k in store.links_of_claim("c1")} == {
            ("n1", "states"), ("n3", "denies"), ("n2", "supports")}
        assert store.setting("organisation") == "Fact Desk"
        assert store.article(1).url == "https://example.com/wire"
    again = merged(mine, theirs)
    assert not again.changed and again.events_added == 0


def test_two_verdicts_for_one_claim_are_a_conflict_the_later_kept(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.set_verdict("c1", "mostly false", "One source only.", actor="ana")
    with Store.open(theirs) as store:
        store.set_verdict("c1", "false", "Denied by both.", actor="bo")   # later (the clock ticks on)
    report = merged(mine, theirs)
    (conflict,) = report.claim_conflicts
    assert (conflict.entity, conflict.uid, conflict.kind, conflict.kept) == ("claim", "c1", "edited on both sides",
                                                                             "there")
    assert conflict.parts == ("verdict from there (changed on both sides; the later kept)",)
    assert "claim “Turkey asked Russia to take back its S-400 systems”: edited on both sides" in conflict.describe()
    with Store.open(mine) as store:
        c1 = store.claim("c1")
        assert (c1.verdict, c1.explanation, c1.reviewed_by) == ("false", "Denied by both.", "bo")
        actions = [(e.actor, e.action) for e in store.events_for("c1")]
        assert actions[-3:] == [("ana", "verdict"), ("bo", "verdict"), ("lead", "merge")]


def test_different_parts_edited_on_both_sides_are_combined(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.edit_claim("c1", actor="ana", summary="Türkiye asked Russia to take back the S-400")
    with Store.open(theirs) as store:
        store.set_verdict("c1", "unproven", actor="bo")
        store.set_role("n3", "c1", "context", actor="bo")
    report = merged(mine, theirs)
    assert [c.kept for c in report.claim_conflicts] == ["both"]
    with Store.open(mine) as store:
        c1 = store.claim("c1")
        assert (c1.summary, c1.verdict, c1.reviewed_by) == ("Türkiye asked Russia to take back the S-400", "unproven",
                                                            "bo")
        assert store.link("n3", "c1").role == "context"


def test_the_same_spans_linked_to_different_claims_keep_both_and_say_so(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.link_spans(["n2", "n3"], actor="ana", claim_uid=store.create_claim("Money back", actor="ana",
                                                                                uid="c-ana").claim_uid)
    with Store.open(theirs) as store:
        store.link_spans(["n2"], actor="bo", new_claim_uid="c-bo")
    report = merged(mine, theirs)
    (conflict,) = report.claim_conflicts
    assert (conflict.entity, conflict.uid, conflict.kept) == ("span", "n2", "both")
    assert conflict.kind == "linked to claim c-ana here and to claim c-bo there"
    with Store.open(mine) as store:
        assert {k.claim_uid for k in store.links_of_span("n2")} == {"c-ana", "c-bo"}


def test_the_same_link_made_on_both_sides_is_one_link(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    for path, who in ((mine, "ana"), (theirs, "bo")):
        with Store.open(path) as store:
            store.link_spans(["n2"], actor=who, claim_uid="c1")
    report = merged(mine, theirs)
    assert report.claim_conflicts == ()
    with Store.open(mine) as store:
        assert [k.span_uid for k in store.links_of_claim("c1")].count("n2") == 1
        # both creations stay in the history; the merge event says which one the row holds
        assert [(e.actor, e.action) for e in store.events_for(link_uid("n2", "c1"))] == [
            ("ana", "create"), ("bo", "create"), ("lead", "merge")]


def test_a_span_deleted_there_takes_its_links_here(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.delete_annotation("n3", actor="bo")
    report = merged(mine, theirs)
    assert report.annotations_deleted == 1 and report.claims.deleted == {"link": 1}
    with Store.open(mine) as store:
        assert [k.span_uid for k in store.links_of_claim("c1")] == ["n1"]


def test_a_claim_deleted_there_but_linked_again_here(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.delete_claim("c1", actor="bo")
    with Store.open(mine) as store:
        store.set_verdict("c1", "false", actor="ana")   # later than the deletion: the claim stays
    report = merged(mine, theirs)
    kinds = {(c.entity, c.kind, c.kept) for c in report.claim_conflicts}
    assert ("claim", "edited here, deleted there", "here") in kinds
    with Store.open(mine) as store:
        assert store.has_claim("c1")


def test_a_deletion_there_later_than_an_edit_here_wins_and_its_links_go(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.set_verdict("c1", "false", actor="ana")
    with Store.open(theirs) as store:
        store.delete_claim("c1", actor="bo")
    merged(mine, theirs)
    with Store.open(mine) as store:
        assert not store.has_claim("c1") and store.links() == []


def test_article_details_edited_on_both_sides(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.edit_article(1, actor="ana", title="Wire report", published="2025-12-15")
    with Store.open(theirs) as store:
        store.edit_article(1, actor="bo", title="The wire", url="https://example.com/w")
    report = merged(mine, theirs)
    (conflict,) = report.claim_conflicts
    assert (conflict.entity, conflict.label) == ("article", "'Wire report'")
    assert set(conflict.parts) == {"title from there (changed on both sides; the later kept)",
                                   "url from there (changed there only)", "published from here (changed here only)"}
    with Store.open(mine) as store:
        a = store.article(1)
        assert (a.title, a.url, a.published) == ("The wire", "https://example.com/w", "2025-12-15")


def test_dry_run_changes_nothing(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.set_verdict("c1", "false", actor="bo")
    before = mine.read_bytes()
    report = merged(mine, theirs, dry_run=True)
    assert report.claims.updated == {"claim": 1} and mine.read_bytes() == before


def test_a_copy_made_by_export_and_import_merges_part_by_part(shared: tuple[Path, Path], tmp_path: Path) -> None:
    """Their events are all new (an import), yet their first version is one this side had: the shared base.

    The colleague changed only the verdict: the summary changed here only, not "on both sides".
    """
    import io

    from annotator.core import exporter
    from annotator.core.importer import Importer

    mine, theirs = shared
    theirs.unlink()
    with Store.open(mine) as store:
        store.set_verdict("c1", "false", "Denied.", actor="ana")
        out = io.BytesIO()
        exporter.export(store, "jsonl", out)
    (tmp_path / "copy.jsonl").write_bytes(out.getvalue())
    with Store.open(theirs) as store:
        assert Importer(store, actor="bo").run([tmp_path / "copy.jsonl"]).ok
        store.set_verdict("c1", "mostly false", actor="bo")
    with Store.open(mine) as store:
        store.edit_claim("c1", actor="ana", summary="Türkiye asked Russia to take back the S-400")
    report = merged(mine, theirs, dry_run=True)
    (conflict,) = report.claim_conflicts
    assert conflict.parts == ("summary from here (changed here only)", "verdict from there (changed there only)")
    assert report.conflicts == ()
    with Store.open(theirs) as store:
        brought = sum(1 for e in store.events() if e.entity not in ("suggestion", "cue", "model", "merge"))
    # What the preview says came from the file is what verify later says did.
    assert f"{brought} events from the file" in report.summary() and report.events_added == brought
    report = merged(mine, theirs)
    with Store.open(mine) as store:
        assert f"{report.events_added} events came from {theirs}" in audit.verify(store).summary()
        c1 = store.claim("c1")
        assert (c1.summary, c1.verdict) == ("Türkiye asked Russia to take back the S-400", "mostly false")


# ------------------------------------------------------- ratings, rejections, links left without a span


def test_a_rating_edited_there_comes_in_whole(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.edit_rating("false", actor="bo", value=0.5, description="Wrong.")
    report = merged(mine, theirs)
    assert report.source == str(theirs)
    assert report.claims.updated == {"rating": 1} and report.claim_conflicts == ()
    with Store.open(mine) as store:
        rating = store.rating("false")
        assert (rating.value, rating.description, rating.position) == (0.5, "Wrong.", 4)


def test_a_rating_edited_on_both_sides_is_a_conflict_named_by_the_rating(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.edit_rating("false", actor="ana", description="Not so.")
    with Store.open(theirs) as store:
        store.edit_rating("false", actor="bo", description="Wrong.")   # later
    (conflict,) = merged(mine, theirs).claim_conflicts
    assert (conflict.entity, conflict.label, conflict.kept) == ("rating", "'false'", "there")
    assert conflict.describe().startswith("rating 'false': edited on both sides")


def test_a_new_rating_there_keeps_its_place_on_the_scale(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.remove_rating("unproven", actor="ana")
    with Store.open(theirs) as store:
        place = store.add_rating("satire", -1, actor="bo").position
    merged(mine, theirs)
    with Store.open(mine) as store:
        assert place == 6 and store.rating("satire").position == 6
        assert [r.name for r in store.ratings()][-2:] == ["false", "satire"]


def test_a_suggestion_rejected_there_comes_in(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.reject_suggestion("c1", 2, 4, 11, actor="bo")
    report = merged(mine, theirs)
    assert report.claims.added == {"rejection": 1}
    with Store.open(mine) as store:
        assert [(r.claim_uid, r.article_id, r.start, r.end, r.text, r.created_by) for r in store.rejections()] == [
            ("c1", 2, 4, 11, "Kremlin", "bo")]


def test_links_made_here_to_a_span_deleted_there_are_dropped_and_said(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        store.link_spans(["n2"], actor="ana", claim_uid="c1")
        store.create_claim("Money back", actor="ana", uid="c2")
        store.link_spans(["n2"], actor="ana", claim_uid="c2")
    with Store.open(theirs) as store:
        store.delete_annotation("n2", actor="bo")
    report = merged(mine, theirs)
    assert report.annotations_deleted == 1 and report.claims.deleted == {"link": 2}
    assert [n for n in report.claims.notes if n.startswith("link")] == [
        "link of span n2 to claim c1 dropped: its span was deleted",
        "link of span n2 to claim c2 dropped: its span was deleted"]
    with Store.open(mine) as store:
        assert store.links_of_span("n2") == []
        assert [(e.actor, e.action) for e in store.events_for(link_uid("n2", "c2"))] == [
            ("ana", "create"), ("lead", "merge")]


def test_a_suggestion_rejected_here_goes_with_its_claim_deleted_there(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(mine) as store:
        (rejection,) = store.reject_suggestion("c1", 2, 4, 11, actor="ana").rejections_added
    with Store.open(theirs) as store:
        store.delete_claim("c1", actor="bo")
    merged(mine, theirs)
    with Store.open(mine) as store:
        assert not store.has_claim("c1") and store.rejections() == []
        assert [(e.entity, e.actor, e.action) for e in store.events_for(rejection.uid)] == [
            ("rejection", "ana", "create"), ("rejection", "lead", "merge")]


def test_a_default_rating_edited_here_only_is_no_conflict(shared: tuple[Path, Path]) -> None:
    """The colleague's scale has no event for the rating: it is still the one both began with."""
    mine, theirs = shared
    with Store.open(mine) as store:
        store.edit_rating("false", actor="ana", description="Wrong.")
    with Store.open(theirs) as store:
        store.set_verdict("c1", "false", actor="bo")
    report = merged(mine, theirs)
    assert report.claim_conflicts == () and report.claims.updated == {"claim": 1}
    with Store.open(mine) as store:
        assert store.rating("false").description == "Wrong."
        assert not merge_database(store, theirs, actor="lead").changed


def test_an_article_detail_of_theirs_this_app_refuses_stays_out_and_is_said(shared: tuple[Path, Path]) -> None:
    mine, theirs = shared
    with Store.open(theirs) as store:
        store.edit_article(1, actor="bo", title="The wire")
        # what another program (or an older version) could write: a url this app refuses, with its event
        with store.transaction():
            store.db.conn.execute("UPDATE articles SET url = 'javascript:alert(1)' WHERE id = 1")
            store.append_events([NewEvent("edit", "article", store.article(1).uid, {"url": None},
                                          {"url": "javascript:alert(1)"}, "bo")])
    report = merged(mine, theirs)
    assert [n for n in report.claims.notes if n.startswith("article")] == [
        "article 'The wire' from the other database: the url 'javascript:alert(1)' is not a web address"
        " (http:// or https:// and a host); dropped"]
    with Store.open(mine) as store:
        assert (store.article(1).title, store.article(1).url) == ("The wire", None)
