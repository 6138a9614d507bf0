"""Claims in the store, the corners: typing part of a uid, settings and verdicts in the log, refusals in words."""

from __future__ import annotations

import pytest

from annotator.core import audit
from annotator.core.errors import ClaimError, FieldError, NotFoundError
from annotator.core.store import Store
from annotator.core.store.claims import SETTINGS


def test_typing_part_of_a_claim_uid(store: Store) -> None:
    for uid in ("a_b1", "axb2", "a%c", "q1", "q2", "q3", "q4", "q5", "q6"):
        store.create_claim(f"claim {uid}", actor="ana", uid=uid)
    assert store.find_claim_uids(" A_ ") == ["a_b1"]  # _ and % are the characters typed, not wildcards
    assert store.find_claim_uids("a%") == ["a%c"]
    assert store.find_claim_uids("  ") == []
    assert audit.resolve_claim_uid(store, "AXB") == "axb2"
    with pytest.raises(NotFoundError) as six:
        audit.resolve_claim_uid(store, "q")
    assert str(six.value) == ("6 claims have a uid matching 'q' (q1, q2, q3, q4, q5, ...);"
                              " type more of it")
    with pytest.raises(NotFoundError) as none:
        audit.resolve_claim_uid(store, "zz")
    assert str(none.value) == ("no claim with a uid matching 'zz'"
                               " (type the start or the end of the uid a table shows, or all of it)")
    store.delete_claim("q6", actor="ana")
    assert store.find_claim_uids("q6") == ["q6"]  # still in the log


def test_settings_and_verdicts_in_the_log(store: Store) -> None:
    key = next(k for k in SETTINGS if not k.endswith("url"))
    store.set_setting(key, "  First   value ", actor="ana")
    store.set_setting(key, "Second", actor="bo")
    store.set_setting(key, None, actor="cy")
    assert [(e.before, e.after, e.actor) for e in store.events(entity="setting")] == [
        (None, {"value": "First value"}, "ana"), ({"value": "First value"}, {"value": "Second"}, "bo"),
        ({"value": "Second"}, None, "cy")]
    with pytest.raises(FieldError) as unknown:
        store.set_setting("colour", "x", actor="ana")
    assert str(unknown.value) == f"unknown setting 'colour' (settings: {', '.join(SETTINGS)})"
    change = store.create_claim("Turkey asked Russia", actor="ana")
    uid = change.claim_uid
    store.set_verdict(uid, "false", "Both denied it.", actor="rita")
    claim = store.claim(uid)
    assert (claim.verdict, claim.explanation, claim.reviewed_by) == ("false", "Both denied it.", "rita")
    assert claim.reviewed_at is not None
    store.set_verdict(uid, None, actor="rita")
    cleared = store.claim(uid)
    assert (cleared.verdict, cleared.reviewed_by, cleared.reviewed_at, cleared.explanation) == (
        None, None, None, "Both denied it.")
    assert audit.verify(store).ok


def test_claim_refusals_in_words(store: Store) -> None:
    with pytest.raises(FieldError) as date:
        store.create_claim("s", actor="ana", claim_date="yesterday")
    assert str(date.value).startswith("the claim date 'yesterday' is not an ISO 8601 date")
    with pytest.raises(FieldError) as url:
        store.create_claim("s", actor="ana", review_url="ftp://example.org/x")
    assert str(url.value) == ("the fact-check url 'ftp://example.org/x' is not a web address (http:// or https://"
                              " and a host)")
    with pytest.raises(ClaimError) as nothing:
        store.link_spans([], actor="ana")
    assert str(nothing.value) == "name at least one span to link"
    assert store.claim_count() == 0


def test_an_accepted_suggestion_takes_the_role_given(store: Store) -> None:
    article, _ = store.add_article("The Kremlin denied the report on Friday.", title="t", actor="ana")
    uid = store.create_claim("Turkey asked Russia", actor="ana").claim_uid
    # "supports" tags a claim, whose own default role would be "states": the role given wins
    made = store.accept_suggestion(uid, article.id, 4, 18, annotator="ana", role="supports")
    assert [(k.role, k.claim_uid) for k in store.links_of_span(made.annotation.uid)] == [("supports", uid)]
    assert made.annotation.label == "claim"
    # the same characters again, with the label the role gives: linked, not tagged twice
    other = store.create_claim("Another", actor="ana").claim_uid
    linked = store.accept_suggestion(other, article.id, 4, 18, annotator="ana", role="supports")
    assert linked.annotation.uid == made.annotation.uid and store.annotation_count() == 1
    assert [(k.role, k.claim_uid) for k in store.links_of_span(linked.annotation.uid)] == [
        ("supports", uid), ("supports", other)]
