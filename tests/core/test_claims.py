"""Claims, links and verdicts in the store: the rules, the events, undo as a change's inverse."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core.claims import ClaimChange, Link, link_uid
from annotator.core.errors import ClaimError, FieldError, NotFoundError
from annotator.core.store import Store

WIRE = "Turkey asked Russia to take back its S-400 systems, Bloomberg reported. Ankara wants its money back."
DENIAL = "The Kremlin denied the report on Friday. Peskov said the topic was not on the agenda."
BACKGROUND = "Turkey bought the S-400 in 2017 and was removed from the F-35 programme."


@pytest.fixture
def spans(store: Store) -> dict[str, str]:
    """Three articles and a span in each: a claim, a denial, background."""
    wire, _ = store.add_article(WIRE, title="wire", actor="ana", source="Bloomberg", published="2025-12-15")
    denial, _ = store.add_article(DENIAL, title="denial", actor="ana", source="TASS", published="2025-12-18")
    background, _ = store.add_article(BACKGROUND, title="background", actor="ana")
    return {
        "claim": store.add_annotation(wire.id, 0, 50, "claim", annotator="ana").uid,
        "money": store.add_annotation(wire.id, 73, 100, "claim", annotator="ana").uid,
        "denial": store.add_annotation(denial.id, 0, 40, "denial", annotator="bo").uid,
        "background": store.add_annotation(background.id, 0, 30, "background", annotator="bo").uid,
    }


def tables(store: Store) -> dict[str, list[tuple]]:
    """Everything claims are made of, as rows, to compare before and after an undo: row ids aside, but a
    claim's id is its number (badges, colour, the dock), which an undo or redo must give back."""
    conn = store._conn
    return {
        "claims": conn.execute("SELECT id, uid, summary, claimant, claim_date, rating_id, explanation, review_url,"
                               " reviewed_by, reviewed_at, created_by, created_at FROM claims ORDER BY uid").fetchall(),
        "links": conn.execute("SELECT uid, span_uid, claim_uid, role, created_by, created_at FROM links"
                              " ORDER BY uid").fetchall(),
        "rejections": conn.execute('SELECT uid, claim_uid, article_id, start, "end" FROM claim_rejections'
                                   " ORDER BY uid").fetchall(),
        "annotations": conn.execute("SELECT uid, start, \"end\" FROM annotations ORDER BY uid").fetchall(),
    }


def events_since(store: Store, count: int) -> list[tuple[str, str]]:
    return [(e.entity, e.action) for e in store.events()][count:]


def assert_verifies(store: Store) -> None:
    report = audit.verify(store)
    assert report.ok, report.summary()


# ------------------------------------------------------------------ press L


def test_linking_a_span_with_no_claim_makes_one_from_it_and_both_join(store: Store, spans: dict[str, str]) -> None:
    before = store.event_count()
    change = store.link_spans([spans["claim"], spans["denial"]], actor="ana")
    claim = store.claim(change.claim_uid)
    assert claim.summary == WIRE[:50].strip()
    assert claim.claimant == "Bloomberg"   # the first span's article's source
    assert claim.created_by == "ana"
    roles = {k.span_uid: k.role for k in store.links_of_claim(claim.uid)}
    assert roles == {spans["claim"]: "states", spans["denial"]: "denies"}
    assert events_since(store, before) == [("claim", "create"), ("link", "create"), ("link", "create")]
    assert change.claim == claim   # as stored, with the number it got
    assert_verifies(store)


def test_the_second_span_joins_the_first_spans_claim(store: Store, spans: dict[str, str]) -> None:
    first = store.link_spans([spans["claim"], spans["denial"]], actor="ana")
    again = store.link_spans([spans["denial"], spans["background"]], actor="bo")
    assert again.claim_uid == first.claim_uid and not again.claims_added
    assert again.skipped == (spans["denial"],)
    assert [k.role for k in again.links_added] == ["context"]
    assert len(store.claims()) == 1


def test_linking_to_a_named_claim_with_a_role(store: Store, spans: dict[str, str]) -> None:
    claim = store.create_claim("Türkiye asked Russia to take back the S-400", actor="ana").claim_uid
    change = store.link_spans([spans["background"]], actor="ana", claim_uid=claim, role="supports")
    at = change.links_added[0].created_at
    assert change.links_added == (Link(spans["background"], claim, "supports", "ana", at),)
    with pytest.raises(ClaimError, match="unknown role"):
        store.link_spans([spans["claim"]], actor="ana", claim_uid=claim, role="agrees")
    with pytest.raises(NotFoundError):
        store.link_spans(["nope"], actor="ana", claim_uid=claim)


def test_a_first_span_in_two_claims_needs_the_claim_named(store: Store, spans: dict[str, str]) -> None:
    store.create_claim_from_span(spans["claim"], actor="ana")
    other = store.create_claim("Another claim", actor="ana").claim_uid
    store.link_spans([spans["claim"]], actor="ana", claim_uid=other)
    with pytest.raises(ClaimError, match="linked to 2 claims"):
        store.link_spans([spans["claim"], spans["denial"]], actor="ana")


def test_the_same_span_and_claim_are_linked_once(store: Store, spans: dict[str, str]) -> None:
    change = store.create_claim_from_span(spans["claim"], actor="ana")
    link = change.links_added[0]
    assert link.uid == link_uid(spans["claim"], change.claim_uid)
    with pytest.raises(ClaimError, match="already linked"):
        store.apply_claim_change(ClaimChange(links_added=(link,)), actor="ana", action="redo")
    with pytest.raises(sqlite3.IntegrityError):
        store._conn.execute("INSERT INTO links (uid, span_uid, claim_uid, role, created_by, created_at)"
                            " VALUES ('x', ?, ?, 'denies', 'ana', '')", (spans["claim"], change.claim_uid))


# -------------------------------------------------------- each operation, undone


OPERATIONS = ["link", "unlink", "role", "edit", "verdict", "merge", "split", "delete", "reject"]


def _operation(store: Store, spans: dict[str, str], name: str) -> tuple[ClaimChange, list[tuple[str, str]]]:
    base = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    start = store.event_count()
    if name == "link":
        change = store.link_spans([spans["background"]], actor="bo", claim_uid=base)
    elif name == "unlink":
        change = store.unlink(spans["denial"], base, actor="bo")
    elif name == "role":
        change = store.set_role(spans["denial"], base, "context", actor="bo")
    elif name == "edit":
        change = store.edit_claim(base, actor="bo", summary="Türkiye wants to return its S-400s",
                                  claimant="Bloomberg, citing sources", claim_date="2025-12-15")
    elif name == "verdict":
        change = store.set_verdict(base, "False", "Denied by both sides; no evidence offered.", actor="bo")
    elif name == "merge":
        other = store.link_spans([spans["money"], spans["denial"]], actor="bo",
                                 new_claim_uid="c-money").claim_uid
        store.set_verdict(other, "unproven", actor="bo")
        store.reject_suggestion(other, 1, 0, 10, actor="bo")
        start = store.event_count()
        change = store.merge_claims(base, other, actor="bo")
    elif name == "split":
        change = store.split_span(spans["claim"], base, actor="bo")
    elif name == "delete":
        store.reject_suggestion(base, 3, 0, 10, actor="bo")
        start = store.event_count()
        change = store.delete_claim(base, actor="bo")
    else:
        change = store.reject_suggestion(base, 3, 0, 10, actor="bo")
    return change, events_since(store, start)


EXPECTED_EVENTS = {
    "link": [("link", "create")],
    "unlink": [("link", "delete")],
    "role": [("link", "role")],
    "edit": [("claim", "edit")],
    "verdict": [("claim", "verdict")],
    "merge": [("link", "delete"), ("link", "delete"), ("rejection", "delete"), ("claim", "delete"),
              ("claim", "edit"), ("link", "create"), ("rejection", "create")],
    "split": [("link", "delete"), ("claim", "create"), ("link", "create")],
    "delete": [("link", "delete"), ("link", "delete"), ("rejection", "delete"), ("claim", "delete")],
    "reject": [("rejection", "create")],
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_writes_its_events_verifies_and_undoes_exactly(
        store: Store, spans: dict[str, str], name: str) -> None:
    change, events = _operation(store, spans, name)
    assert events == EXPECTED_EVENTS[name]
    assert_verifies(store)
    after = tables(store)
    store.apply_claim_change(change.inverse(), actor="bo", action="undo")
    undone = tables(store)
    assert undone != after
    assert_verifies(store)
    store.apply_claim_change(change, actor="bo", action="redo")
    assert tables(store) == after
    store.apply_claim_change(change.inverse(), actor="bo", action="undo")
    assert tables(store) == undone
    assert_verifies(store)


def test_a_claim_brought_back_keeps_its_number(store: Store, spans: dict[str, str]) -> None:
    """QA: merging claim #1 into #2 and undoing made the restored claim #3 (another colour), for good."""
    first = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    second = store.link_spans([spans["money"]], actor="ana").claim_uid
    numbers = {store.claim(first).id, store.claim(second).id}
    assert numbers == {1, 2}
    merged = store.merge_claims(second, first, actor="ana")
    store.apply_claim_change(merged.inverse(), actor="ana", action="undo")
    assert (store.claim(first).id, store.claim(second).id) == (1, 2)
    deleted = store.delete_claim(first, actor="ana")
    store.apply_claim_change(deleted.inverse(), actor="ana", action="undo")
    assert store.claim(first).id == 1
    # a claim made, undone, then redone comes back under the number it was given
    split = store.split_span(spans["denial"], first, actor="ana")
    made = split.claim_uid
    number = store.claim(made).id
    store.apply_claim_change(split.inverse(), actor="ana", action="undo")
    store.apply_claim_change(split, actor="ana", action="redo")
    assert store.claim(made).id == number
    assert_verifies(store)


def test_merge_moves_links_drops_duplicates_and_fills_empty_fields(store: Store, spans: dict[str, str]) -> None:
    keep = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    absorb = store.link_spans([spans["money"], spans["denial"]], actor="bo", new_claim_uid="c2").claim_uid
    store.set_verdict(absorb, "mostly false", "Only one source.", actor="bo")
    store.edit_claim(keep, actor="ana", claimant="")
    change = store.merge_claims(keep, absorb, actor="ana")
    assert not store.has_claim(absorb)
    assert {k.span_uid for k in store.links_of_claim(keep)} == {spans["claim"], spans["denial"], spans["money"]}
    kept = store.claim(keep)
    assert (kept.verdict, kept.explanation, kept.reviewed_by) == ("mostly false", "Only one source.", "bo")
    assert kept.claimant == "Bloomberg"   # absorb's, since keep's was emptied
    assert len(change.links_removed) == 2 and len(change.links_added) == 1
    with pytest.raises(ClaimError, match="itself"):
        store.merge_claims(keep, keep, actor="ana")


def test_split_makes_a_claim_of_its_own_with_the_same_role(store: Store, spans: dict[str, str]) -> None:
    base = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    change = store.split_span(spans["denial"], base, actor="ana", summary="Kremlin: not on the agenda")
    assert change.claim_uid != base
    assert store.claim(change.claim_uid).summary == "Kremlin: not on the agenda"
    assert [k.role for k in store.links_of_claim(change.claim_uid)] == ["denies"]
    assert [k.span_uid for k in store.links_of_claim(base)] == [spans["claim"]]


def test_a_claim_with_no_span_left_stays(store: Store, spans: dict[str, str]) -> None:
    claim = store.create_claim_from_span(spans["claim"], actor="ana").claim_uid
    store.unlink(spans["claim"], claim, actor="ana")
    assert store.has_claim(claim) and store.links_of_claim(claim) == []
    with pytest.raises(NotFoundError, match="not linked"):
        store.unlink(spans["claim"], claim, actor="ana")


# -------------------------------------------------------------- fields


def test_claim_fields_are_checked_and_long_summaries_warned_not_refused(store: Store) -> None:
    claim = store.create_claim("Short", actor="ana").claim_uid
    with pytest.raises(ClaimError, match="needs a summary"):
        store.edit_claim(claim, actor="ana", summary="   ")
    with pytest.raises(FieldError, match="ISO 8601"):
        store.edit_claim(claim, actor="ana", claim_date="15/12/2025")
    with pytest.raises(FieldError, match="web address"):
        store.edit_claim(claim, actor="ana", review_url="javascript:alert(1)")
    with pytest.raises(ClaimError, match="cannot be edited"):
        store.edit_claim(claim, actor="ana", verdict="false")
    long = "Türkiye asked Russia to take back the S-400 air defence systems it bought in 2017, say sources"
    changed = store.edit_claim(claim, actor="ana", summary=long).claim
    assert changed is not None and changed.summary == long
    assert changed.warnings and "75" in changed.warnings[0]
    assert store.claim(claim).warnings == changed.warnings
    assert store.create_claim("Fine", actor="ana").claim.warnings == ()  # type: ignore[union-attr]


def test_an_edit_that_changes_nothing_writes_nothing(store: Store) -> None:
    claim = store.create_claim("Same", actor="ana").claim_uid
    count = store.event_count()
    assert store.edit_claim(claim, actor="ana", summary=" Same ").empty
    assert store.set_verdict(claim, None, actor="ana").empty
    assert store.event_count() == count


def test_verdicts_come_from_the_scale(store: Store) -> None:
    claim = store.create_claim("A claim", actor="ana").claim_uid
    with pytest.raises(ClaimError, match="unknown rating 'fake'"):
        store.set_verdict(claim, "fake", actor="rev")
    set_ = store.set_verdict(claim, "MOSTLY FALSE", "Half of it.", actor="rev").claim
    assert set_ is not None and (set_.verdict, set_.reviewed_by) == ("mostly false", "rev") and set_.reviewed_at
    cleared = store.set_verdict(claim, None, actor="rev").claim
    assert cleared is not None and (cleared.verdict, cleared.explanation, cleared.reviewed_by) == (None, "Half of it.",
                                                                                                   None)


def test_the_rating_scale_is_editable_and_audited(store: Store) -> None:
    assert [(r.name, r.value) for r in store.ratings()] == [
        ("true", 5), ("mostly true", 4), ("mixed", 3), ("mostly false", 2), ("false", 1), ("unproven", 0)]
    store.add_rating("satire", -1, "Not meant as fact.", actor="lead")
    store.edit_rating("unproven", value=-2, actor="lead")
    with pytest.raises(ClaimError, match="exists already"):
        store.add_rating("Satire", 1, actor="lead")
    claim = store.create_claim("A claim", actor="ana").claim_uid
    store.set_verdict(claim, "satire", actor="rev")
    with pytest.raises(ClaimError, match="verdict of 1 claim"):
        store.remove_rating("satire", actor="lead")
    store.remove_rating("mixed", actor="lead")
    assert [(e.entity, e.action, e.entity_uid) for e in store.events(entity="rating")] == [
        ("rating", "create", "satire"), ("rating", "edit", "unproven"), ("rating", "delete", "mixed")]
    assert_verifies(store)


def test_settings_are_checked_and_audited(store: Store) -> None:
    store.set_setting("organisation", "  Fact Desk ", actor="lead")
    store.set_setting("organisation_url", "https://factdesk.example", actor="lead")
    with pytest.raises(FieldError, match="web address"):
        store.set_setting("review_url", "factdesk", actor="lead")
    with pytest.raises(FieldError, match="unknown setting"):
        store.set_setting("colour", "red", actor="lead")
    store.set_setting("organisation", None, actor="lead")
    assert store.settings() == {"organisation_url": "https://factdesk.example"}
    assert [e.action for e in store.events(entity="setting")] == ["set", "set", "set"]
    assert_verifies(store)


# --------------------------------------------------------------- spans and links


def test_deleting_a_linked_span_takes_its_links_and_undo_brings_both(store: Store, spans: dict[str, str]) -> None:
    claim = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    before = tables(store)
    count = store.event_count()
    removed = store.remove_span(spans["denial"], actor="ana")
    assert [k.span_uid for k in removed.links] == [spans["denial"]]
    assert events_since(store, count) == [("link", "delete"), ("annotation", "delete")]
    assert [k.span_uid for k in store.links_of_claim(claim)] == [spans["claim"]]
    assert_verifies(store)
    store.restore_annotation(removed.annotation, actor="ana", links=removed.links)
    assert tables(store) == before
    assert_verifies(store)
    # delete_annotation (what the workspace called before claims) takes the links too
    store.delete_annotation(spans["claim"], actor="ana")
    assert store.links_of_claim(claim) == [Link(spans["denial"], claim, "denies", "ana",
                                                store.links_of_claim(claim)[0].created_at)]


def test_a_failed_span_delete_keeps_the_links(file_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    article, _ = file_store.add_article(WIRE, title="wire", actor="ana")
    span = file_store.add_annotation(article.id, 0, 50, "claim", annotator="ana").uid
    file_store.create_claim_from_span(span, actor="ana")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(file_store, "erase_annotation_row", broken)
    with pytest.raises(Exception, match="disk I/O"):
        file_store.remove_span(span, actor="ana")
    assert len(file_store.links_of_span(span)) == 1
    assert_verifies(file_store)


def test_verify_catches_a_tampered_link_and_claim(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        article, _ = store.add_article(WIRE, title="wire", actor="ana")
        span = store.add_annotation(article.id, 0, 50, "claim", annotator="ana").uid
        claim = store.create_claim_from_span(span, actor="ana").claim_uid
        store.set_verdict(claim, "false", actor="rev")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE links SET role = 'denies'")
    conn.execute("UPDATE claims SET rating_id = (SELECT id FROM ratings WHERE name = 'true')")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        report = audit.verify(store)
    assert not report.ok
    problems = {(m.entity, m.uid): m.problem for m in report.mismatches}
    assert "role is 'denies', the log says 'states'" in problems[("link", link_uid(span, claim))]
    assert "verdict is 'true', the log says 'false'" in problems[("claim", claim)]


def test_verify_catches_a_link_added_outside(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        article, _ = store.add_article(WIRE, title="wire", actor="ana")
        span = store.add_annotation(article.id, 0, 50, "claim", annotator="ana").uid
        claim = store.create_claim("x", actor="ana").claim_uid
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO links (uid, span_uid, claim_uid, role, created_by, created_at)"
                 " VALUES (?, ?, ?, 'states', 'eve', '')", (link_uid(span, claim), span, claim))
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        report = audit.verify(store)
    assert [m.entity for m in report.mismatches] == ["link"]
    assert "no event" in report.mismatches[0].problem


# ------------------------------------------------------------ article details


def test_article_details_are_editable_and_audited_the_text_is_not(store: Store, spans: dict[str, str]) -> None:
    article = store.edit_article(1, actor="ana", title=" Türkiye wants to return S-400 ", url="https://example.com/a",
                                 published="2025-12-15T08:00:00Z", source="")
    assert (article.title, article.url, article.published, article.source) == (
        "Türkiye wants to return S-400", "https://example.com/a", "2025-12-15T08:00:00Z", None)
    event = list(store.events(entity="article"))[-1]
    assert (event.action, event.before, event.after) == (
        "edit", {"title": "wire", "source": "Bloomberg", "url": None, "published": "2025-12-15"},
        {"title": "Türkiye wants to return S-400", "source": None, "url": "https://example.com/a",
         "published": "2025-12-15T08:00:00Z"})
    with pytest.raises(FieldError, match="cannot be edited"):
        store.edit_article(1, actor="ana", text="new text")
    with pytest.raises(FieldError, match="needs a title"):
        store.edit_article(1, actor="ana", title="")
    with pytest.raises(FieldError, match="ISO 8601"):
        store.edit_article(1, actor="ana", published="yesterday")
    with pytest.raises(FieldError, match="web address"):
        store.edit_article(1, actor="ana", url="ftp://example.com")
    count = store.event_count()
    store.edit_article(1, actor="ana", url="https://example.com/a")
    assert store.event_count() == count
    assert_verifies(store)


def test_verify_catches_article_details_changed_outside(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        store.add_article(WIRE, title="wire", actor="ana")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE articles SET url = 'https://evil.example'")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        report = audit.verify(store)
    assert [m.entity for m in report.mismatches] == ["article"]
    assert "url is 'https://evil.example', the log says -" in report.mismatches[0].problem


# ---------------------------------------------------------- the dock's queries


def test_claim_rows_count_articles_per_role_and_first_appearance(store: Store, spans: dict[str, str]) -> None:
    s400 = store.link_spans([spans["claim"], spans["money"], spans["denial"], spans["background"]],
                            actor="ana").claim_uid
    undated = store.create_claim_from_span(spans["background"], actor="bo", role="states").claim_uid
    lonely = store.create_claim("Nobody says this", actor="bo").claim_uid
    rows = {r.claim.uid: r for r in store.claim_rows()}
    assert rows[s400].counts == {"states": 1, "denies": 1, "context": 1}   # two stating spans, one article
    assert rows[s400].spans == 4
    assert (rows[s400].first_appearance, rows[s400].first_article_id) == ("2025-12-15", 1)
    # no published date: the earliest tag of a stating span
    span_time = store.annotation(spans["background"]).created_at
    assert (rows[undated].first_appearance, rows[undated].first_article_id) == (span_time, 3)
    assert (rows[lonely].counts, rows[lonely].first_appearance) == ({}, None)


def test_claim_rows_filter_sort_and_page(store: Store, spans: dict[str, str]) -> None:
    a = store.create_claim("Türkiye returns the S-400", actor="ana", claimant="Bloomberg").claim_uid
    b = store.create_claim("Kremlin denies", actor="ana").claim_uid
    c = store.create_claim("Sanctions lifted next year", actor="ana").claim_uid
    store.link_spans([spans["claim"], spans["money"]], actor="ana", claim_uid=c)
    store.link_spans([spans["background"]], actor="ana", claim_uid=b, role="states")
    store.set_verdict(b, "false", actor="rev")
    uids = lambda rows: [r.claim.uid for r in rows]  # noqa: E731
    assert uids(store.claim_rows(search="TURKIYE")) == [a]
    assert uids(store.claim_rows(search="bloomberg")) == [a]
    assert store.claim_count(search="turkiye") == 1
    assert uids(store.claim_rows(verdicts=["False"])) == [b]
    assert uids(store.claim_rows(verdicts=[None])) == [a, c]
    assert uids(store.claim_rows(sort="summary")) == [b, c, a]
    assert uids(store.claim_rows(sort="summary", descending=True, offset=1, limit=1)) == [c]
    assert uids(store.claim_rows(sort="spans", descending=True)) == [c, b, a]
    assert uids(store.claim_rows(sort="states", descending=True, limit=2)) == [b, c]   # ties keep creation order
    assert uids(store.claim_rows(sort="first_appearance")) == [c, b, a]   # a never appears: last
    with pytest.raises(ClaimError, match="unknown sort"):
        store.claim_rows(sort="colour")


def test_claim_uids_list_in_the_order_of_claim_rows_and_rows_come_by_uid(store: Store, spans: dict[str, str]) -> None:
    a = store.create_claim("Türkiye returns the S-400", actor="ana", claimant="Bloomberg").claim_uid
    b = store.create_claim("Kremlin denies", actor="ana").claim_uid
    c = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    for sort in ("created", "summary", "claimant", "verdict", "spans", "denies", "first_appearance"):
        for descending in (False, True):
            listed = [r.claim.uid for r in store.claim_rows(sort=sort, descending=descending)]
            assert store.claim_uids(sort=sort, descending=descending) == listed, (sort, descending)
    assert store.claim_uids(search="turkiye") == [a]
    assert store.claim_uids(verdicts=[None]) == [a, b, c]
    rows = store.claim_rows_of([c, a])
    assert [r.claim.uid for r in rows] == [c, a]
    assert rows[0].counts == {"states": 1, "denies": 1} and rows[0].spans == 2
    assert store.claim_row(b).spans == 0
    with pytest.raises(NotFoundError):
        store.claim_rows_of([a, "no-such-claim"])
    with pytest.raises(ClaimError, match="unknown sort"):
        store.claim_uids(sort="colour")


def test_claim_export_counts_follow_the_span_filter(store: Store, spans: dict[str, str]) -> None:
    linked = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    store.create_claim_from_span(spans["background"], actor="bo")
    judged_alone = store.create_claim("Nobody says this", actor="bo").claim_uid
    store.set_verdict(judged_alone, "false", actor="rev")
    store.set_verdict(linked, "mostly false", actor="rev")
    assert store.claim_export_counts() == (2, 3, 2)
    assert store.claim_export_counts(annotators=["bo"]) == (2, 2, 1)
    assert store.claim_export_counts(labels=["background"]) == (1, 1, 0)
    assert store.claim_export_counts(statuses=["accepted"]) == (0, 0, 0)


def test_claim_spans_matrix_and_marks(store: Store, spans: dict[str, str]) -> None:
    claim = store.link_spans([spans["denial"], spans["claim"], spans["background"]], actor="ana").claim_uid
    other = store.create_claim_from_span(spans["claim"], actor="ana", role="denies").claim_uid
    listed = store.claim_spans(claim)
    assert [(s.title, s.role) for s in listed] == [("wire", "states"), ("denial", "denies"), ("background", "context")]
    assert listed[0].text == WIRE[:50] and listed[0].source == "Bloomberg" and listed[0].published == "2025-12-15"
    assert [s.role for s in store.claim_spans(claim, roles=["denies"])] == ["denies"]
    assert [s.title for s in store.claim_spans(claim, offset=1, limit=1)] == ["denial"]
    matrix = store.claim_matrix([claim, other], [1, 2])
    assert matrix == {claim: {1: ("states",), 2: ("denies",)}, other: {1: ("denies",)}}
    assert [a.id for a in store.matrix_articles([claim])] == [1, 2, 3]
    marks = store.claim_marks(1)
    assert [(m.claim_uid, m.role) for m in marks] == [(claim, "states"), (other, "denies")]
    assert marks[0].number == store.claim(claim).id
    assert store.claim_marks(1, 60, 70) == []
    assert store.article_has_links(1) and not store.article_has_links(99)
    store.unlink(spans["background"], claim, actor="ana")
    assert not store.article_has_links(3)


# ------------------------------------------------------------------ suggestions


def test_accepting_a_suggestion_tags_and_links_in_one_step(store: Store, spans: dict[str, str]) -> None:
    claim = store.create_claim_from_span(spans["claim"], actor="ana").claim_uid
    count = store.event_count()
    accepted = store.accept_suggestion(claim, 2, 41, 85, annotator="bo", role="denies")
    assert accepted.span_created and accepted.annotation.label == "denial"
    assert events_since(store, count) == [("annotation", "create"), ("link", "create")]
    # the same characters again: the existing span is linked, not duplicated
    store.unlink(accepted.annotation.uid, claim, actor="bo")
    again = store.accept_suggestion(claim, 2, 41, 85, annotator="bo", role="denies")
    assert not again.span_created and again.annotation.uid == accepted.annotation.uid
    removed = store.remove_span(accepted.annotation.uid, actor="bo")
    assert store.links_of_claim(claim)[-1].span_uid == spans["claim"]
    store.restore_annotation(removed.annotation, actor="bo", links=removed.links)
    assert_verifies(store)


def test_rejecting_a_suggestion_is_remembered_once(store: Store, spans: dict[str, str]) -> None:
    claim = store.create_claim("x", actor="ana").claim_uid
    change = store.reject_suggestion(claim, 2, 0, 40, actor="ana")
    assert store.rejections(claim) == list(change.rejections_added)
    assert change.rejections_added[0].text == DENIAL[:40]
    with pytest.raises(ClaimError, match="already rejected"):
        store.reject_suggestion(claim, 2, 0, 40, actor="ana")


def test_the_matrix_as_a_table_and_csv(store: Store, spans: dict[str, str]) -> None:
    import csv
    import io

    from annotator.core.claim_matrix import matrix_table, write_csv

    claim = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    store.link_spans([spans["money"]], actor="ana", claim_uid=claim, role="denies")
    other = store.create_claim("=HYPERLINK(evil)", actor="ana").claim_uid
    store.link_spans([spans["background"]], actor="ana", claim_uid=other)
    table = matrix_table(store, [claim, other])
    assert table[0] == ["claim", "summary", "verdict", "wire | Bloomberg | 2025-12-15", "denial | TASS | 2025-12-18",
                        "background"]
    assert table[1][3:] == ["states+denies", "denies", ""]
    assert table[2][3:] == ["", "", "context"]
    out = io.BytesIO()
    assert write_csv(store, [claim, other], out) == 2
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert rows[2][1] == "'=HYPERLINK(evil)" and out.getvalue().count(b"\r\n") == 3


def test_sorted_claim_rows_follow_every_change(store: Store, spans: dict[str, str]) -> None:
    first = store.create_claim_from_span(spans["claim"], actor="ana").claim_uid
    second = store.create_claim_from_span(spans["denial"], actor="ana", role="states").claim_uid
    order = lambda: [r.claim.uid for r in store.claim_rows(sort="first_appearance")]  # noqa: E731
    assert order() == [first, second]   # published 2025-12-15 before 2025-12-18
    store.edit_article(2, actor="ana", published="2025-01-01")
    assert order() == [second, first]
    store.unlink(spans["denial"], second, actor="ana")
    assert order() == [first, second]
    assert store.claim_rows(sort="states")[0].counts == {}


def test_sorted_claim_rows_see_another_programs_changes(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with Store.open(path) as here, Store.open(path) as there:
        for text, published in ((WIRE, "2025-12-15"), (DENIAL, "2025-12-18")):
            article, _ = here.add_article(text, title=text[:10], actor="ana", published=published)
            span = here.add_annotation(article.id, 0, 20, "claim", annotator="ana").uid
            here.create_claim_from_span(span, actor="ana", uid=f"c{article.id}")
        assert [r.claim.uid for r in here.claim_rows(sort="first_appearance")] == ["c1", "c2"]
        there.edit_article(2, actor="bo", published="2024-01-01")
        assert [r.claim.uid for r in here.claim_rows(sort="first_appearance")] == ["c2", "c1"]


# ------------------------------------------------------- relabel and roles


def _roles(store: Store, span_uid: str) -> dict[str, str]:
    return {k.claim_uid: k.role for k in store.links_of_span(span_uid)}


def test_a_default_role_follows_a_relabel_and_its_undo(store: Store, spans: dict[str, str]) -> None:
    """A denial relabelled as a claim no longer denies its claim: it states it. Undo and redo follow."""
    from annotator.core.review import REVIEW_FIELDS

    claim = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    assert claim is not None and _roles(store, spans["denial"]) == {claim: "denies"}
    before = store.annotation(spans["denial"])
    count = store.event_count()
    after = store.relabel(spans["denial"], "claim", actor="bo")
    assert _roles(store, spans["denial"]) == {claim: "states"}
    assert events_since(store, count) == [("annotation", "relabel"), ("link", "relabel")]
    assert_verifies(store)
    store.restore_fields(before, ("label", *REVIEW_FIELDS), action="undo", actor="bo")   # what Ctrl+Z calls
    assert _roles(store, spans["denial"]) == {claim: "denies"}
    store.restore_fields(after, ("label", *REVIEW_FIELDS), action="redo", actor="bo")
    assert _roles(store, spans["denial"]) == {claim: "states"}
    assert_verifies(store)


def test_a_role_someone_chose_stays_through_a_relabel_and_its_undo(store: Store, spans: dict[str, str]) -> None:
    from annotator.core.review import REVIEW_FIELDS

    claim = store.link_spans([spans["claim"]], actor="ana").claim_uid
    assert claim is not None
    store.set_role(spans["claim"], claim, "denies", actor="ana")      # chosen: not the claim label's default
    before = store.annotation(spans["claim"])
    store.relabel(spans["claim"], "denial", actor="bo")
    assert _roles(store, spans["claim"]) == {claim: "denies"}
    store.restore_fields(before, ("label", *REVIEW_FIELDS), action="undo", actor="bo")
    assert _roles(store, spans["claim"]) == {claim: "denies"}         # not "states": it was never moved
    store.relabel(spans["claim"], "background", actor="bo")
    assert _roles(store, spans["claim"]) == {claim: "denies"}
    assert_verifies(store)


def test_a_date_shaped_like_one_that_is_none_does_not_date_a_claim(store: Store, spans: dict[str, str]) -> None:
    """"2025-13-45" sorts first as text; the first real date of the claim's articles is its first appearance."""
    from annotator.core.store import NewEvent

    claim = store.link_spans([spans["claim"], spans["denial"]], actor="ana").claim_uid
    assert claim is not None
    wire = store.annotation(spans["claim"]).article_id
    with store.transaction():   # as an older version, which did not check dates, would have written it
        store.write_article_details(store.article(wire).uid, {"published": "2025-13-45"})
        store.append_events([NewEvent("edit", "article", store.article(wire).uid, {"published": "2025-12-15"},
                                      {"published": "2025-13-45"}, "ana")])
    row = store.claim_row(claim)
    assert (row.first_appearance, row.first_article_id) == ("2025-12-18", store.annotation(spans["denial"]).article_id)
    assert [r.claim.uid for r in store.claim_rows(sort="first_appearance")] == [claim]
    assert_verifies(store)
