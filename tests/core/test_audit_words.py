"""How a history reads, word for word: what a reviewer sees in ``annotator history`` and the GUI."""

from __future__ import annotations

import pytest

from annotator.core import audit
from annotator.core.audit import FieldChange, HistoryEntry
from annotator.core.errors import NotFoundError
from annotator.core.model import Event
from annotator.core.store import Store

SPAN = {"article_id": 1, "start": 0, "end": 7, "label": "claim", "text": "Kremlin", "annotator": "ana",
        "note": "", "status": "pending", "review_note": ""}


def _entry(action: str, before: dict | None, after: dict | None, *, event_id: int = 3) -> HistoryEntry:
    event = Event(id=event_id, uid=f"event-{event_id}", at="2026-01-01T00:00:01.000Z", actor="ana", action=action,
                  entity="annotation", entity_uid="n1", before=before, after=after, prev_hash="0" * 64,
                  hash="1" * 64)
    return audit.history_entry(event)


@pytest.mark.parametrize(("action", "before", "after", "words"), [
    ("create", None, SPAN, "created claim [0, 7) 'Kremlin' by ana"),
    ("restore", None, {**SPAN, "status": "accepted"}, "restored claim [0, 7) 'Kremlin' by ana, accepted"),
    ("delete", {**SPAN, "status": "rejected"}, None, "deleted claim [0, 7) 'Kremlin' by ana, rejected"),
    ("create", None, {}, "created ? [?, ?)"),
    ("create", None, {**SPAN, "text": None, "annotator": ""}, "created claim [0, 7)"),
    ("merge", SPAN, None, "kept the deletion of claim [0, 7) 'Kremlin' by ana"),
    ("merge", None, SPAN, "kept claim [0, 7) 'Kremlin' by ana"),
    ("merge", SPAN, {**SPAN, "label": "denial", "note": "why"},
     "merge kept: label: 'claim' → 'denial'; note: '' → 'why'"),
    ("merge", SPAN, SPAN, "merge kept this version"),
    ("relabel", {"label": "claim"}, {"label": "denial"}, "label: 'claim' → 'denial'"),
    ("resize", {"start": 0, "end": 7, "text": "Kremlin"}, {"start": 0, "end": 14, "text": "Kremlin denied"},
     "end: 7 → 14; text: 'Kremlin' → 'Kremlin denied'"),
    ("review", {"status": "pending", "review_note": None}, {"status": "rejected", "review_note": "too wide"},
     "status: 'pending' → 'rejected'; review_note: - → 'too wide'"),
    ("note", {"note": "same"}, {"note": "same"}, "no change"),
], ids=["create", "restore", "delete", "create-empty", "create-bare", "merge-kept-deletion", "merge-kept-new",
        "merge-parts", "merge-same", "relabel", "resize", "review", "no-change"])
def test_each_kind_of_event_in_words(action: str, before: dict | None, after: dict | None, words: str) -> None:
    assert _entry(action, before, after).describe() == words


def test_an_entry_keeps_its_event_and_lists_fields_in_display_order() -> None:
    entry = _entry("relabel", {"zeta": 1, "label": "claim", "start": 0}, {"alpha": 2, "label": "denial", "start": 0},
                   event_id=9)
    assert (entry.event_id, entry.event_uid, entry.at, entry.actor, entry.action) == (
        9, "event-9", "2026-01-01T00:00:01.000Z", "ana", "relabel")
    # value fields in their order, unchanged ones left out, then the others by name, from either side
    assert entry.changes == (FieldChange("label", "claim", "denial"), FieldChange("alpha", None, 2),
                             FieldChange("zeta", 1, None))
    # a whole state lists every field, changed or not
    created = _entry("create", None, SPAN)
    assert [c.field for c in created.changes] == list(audit.VALUE_FIELDS)


def test_long_values_are_cut_to_sixty_characters() -> None:
    sixty, sixty_one = "x" * 60, "y" * 61
    assert HistoryEntry(1, "e", "t", "a", "note", (FieldChange("note", sixty, None),)).describe() == (
        f"note: {sixty!r} → -")
    assert HistoryEntry(1, "e", "t", "a", "note", (FieldChange("note", None, sixty_one),)).describe() == (
        "note: - → " + repr("y" * 59 + "…"))


def test_a_long_text_shows_where_the_two_versions_differ() -> None:
    a, b = "A" * 30, "B" * 30

    def words(before: str, after: str) -> str:
        return HistoryEntry(1, "e", "t", "a", "resize", (FieldChange("text", before, after),)).describe()

    # 30 shared characters each side: 12 of them kept around the difference, the rest cut
    assert words(a + "xyz" + b, a + "q" + b) == (
        "text: '…" + "A" * 12 + "xyz" + "B" * 12 + "…' → '…" + "A" * 12 + "q" + "B" * 12 + "…'")
    # at most 12 shared at an end: nothing cut there
    assert words("A" * 12 + "x" * 50, "A" * 12 + "y" * 50) == f"text: {'A' * 12 + 'x' * 47 + '…'!r} → " + repr(
        "A" * 12 + "y" * 47 + "…")
    assert words("x" * 49 + "B" * 12, "y" * 49 + "B" * 12) == (
        f"text: {'x' * 49 + 'B' * 10 + '…'!r} → {'y' * 49 + 'B' * 10 + '…'!r}")
    # 13 shared: one character cut, and marked
    assert words("A" * 13 + "x" * 48, "A" * 13 + "y" * 48) == (
        f"text: {'…' + 'A' * 12 + 'x' * 46 + '…'!r} → {'…' + 'A' * 12 + 'y' * 46 + '…'!r}")
    assert words("x" * 48 + "B" * 13, "y" * 48 + "B" * 13) == (
        f"text: {'x' * 48 + 'B' * 11 + '…'!r} → {'y' * 48 + 'B' * 11 + '…'!r}")
    # exactly 12 shared at the end of a text short enough to show whole: no mark
    assert words("x" * 49 + "B" * 12, "y" * 10 + "B" * 12) == f"text: {'x' * 49 + 'B' * 10 + '…'!r} → " + repr(
        "y" * 10 + "B" * 12)
    # sixty characters or fewer: shown whole
    assert words("A" * 30 + "x" * 30, "A" * 30 + "y" * 30) == f"text: {'A' * 30 + 'x' * 30!r} → {'A' * 30 + 'y' * 30!r}"
    # only text against text is compared this way
    assert words(None, "z" * 70) == "text: - → " + repr("z" * 59 + "…")  # type: ignore[arg-type]


def test_typing_part_of_a_uid(store: Store, article: int) -> None:
    for uid in ("abc1", "abc12", "abd", "abe", "abf", "abg"):
        store.add_annotation(article, 0, 7, "claim", annotator=uid, uid=uid)
    assert audit.resolve_annotation_uid(store, " ABC1 ") == "abc1"  # the whole uid, even when others extend it
    assert audit.resolve_annotation_uid(store, "abc12") == "abc12"
    assert audit.resolve_annotation_uid(store, "abd") == "abd"
    with pytest.raises(NotFoundError) as six:
        audit.resolve_annotation_uid(store, "ab")
    assert str(six.value) == ("6 annotations have a uid matching 'ab' (abc1, abc12, abd, abe, abf, ...);"
                              " type more of it")
    store.delete_annotation("abg", actor="t")  # still in the log: still found
    store.add_annotation(article, 8, 14, "claim", annotator="x", uid="zz1")
    store.add_annotation(article, 8, 14, "claim", annotator="y", uid="zz2")
    with pytest.raises(NotFoundError) as two:
        audit.resolve_annotation_uid(store, "zz")
    assert str(two.value) == "2 annotations have a uid matching 'zz' (zz1, zz2); type more of it"
    with pytest.raises(NotFoundError) as none:
        audit.resolve_annotation_uid(store, "q")
    assert str(none.value) == ("no annotation with a uid matching 'q'"
                               " (type the start or the end of the uid a table shows, or all of it)")


def test_five_matches_are_all_shown(store: Store, article: int) -> None:
    for uid in ("ab1", "ab2", "ab3", "ab4", "ab5"):
        store.add_annotation(article, 0, 7, "claim", annotator=uid, uid=uid)
    with pytest.raises(NotFoundError) as five:
        audit.resolve_annotation_uid(store, "ab")
    assert str(five.value) == ("5 annotations have a uid matching 'ab' (ab1, ab2, ab3, ab4, ab5);"
                               " type more of it")


def test_the_history_of_an_unknown_uid_says_so(store: Store) -> None:
    with pytest.raises(NotFoundError) as found:
        audit.annotation_history(store, "nope")
    assert str(found.value) == "no annotation with uid nope, and none in the event log"


def _other(entity: str, action: str, before: dict | None, after: dict | None) -> str:
    event = Event(id=1, uid="e", at="t", actor="ana", action=action, entity=entity, entity_uid="x", before=before,
                  after=after, prev_hash="0" * 64, hash="1" * 64)
    return audit.history_entry(event).describe()


def test_a_claim_link_or_rejection_event_in_words() -> None:
    claim = {"summary": "Turkey asked Russia", "claimant": "", "verdict": None, "claim_date": "2025-12-18"}
    assert _other("claim", "create", None, claim) == (
        "created claim: claim_date '2025-12-18', summary 'Turkey asked Russia'")
    assert _other("link", "restore", None, {"role": "states", "claim_uid": "c1"}) == (
        "restored link: claim_uid 'c1', role 'states'")
    assert _other("link", "delete", {"role": "denies"}, None) == "deleted link: role 'denies'"
    assert _other("link", "merge", {"role": "denies"}, {"role": None}) == (
        "merge kept the deletion of link: role 'denies'")
    assert _other("claim", "edit", {"summary": "a", "claimant": "x"}, {"summary": "b", "claimant": "x"}) == (
        "claim summary: 'a' → 'b'")
    assert _other("claim", "merge", {"summary": "a"}, {"summary": "b"}) == "claim summary: 'a' → 'b'"
    assert _other("rejection", "edit", {"start": 1}, {"start": 1}) == "rejection no change"
