"""History of an annotation, and verify catching every kind of tampering."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core.errors import AnnotatorError, NotFoundError
from annotator.core.store import Store

from .review_support import fake_clock, tamper

TEXT = "Kremlin denied a Bloomberg report claiming that Erdogan raised the issue."


def _history_db(path: Path) -> tuple[int, str]:
    """A small file database: one article, one annotation with five events after it."""
    with Store.open(path) as store:
        article, _ = store.add_article(TEXT, title="Kremlin denial", actor="ana")
        ann = store.add_annotation(article.id, 0, 7, "claim", annotator="ana")
        store.relabel(ann.uid, "denial", actor="ana")
        store.resize(ann.uid, 0, 14, actor="ana")
        store.set_note(ann.uid, "check the source", actor="ana")
        store.set_status(ann.uid, "rejected", actor="rita", reason="boundary too wide")
    # events: 1 import, 2 create, 3 relabel, 4 resize, 5 note, 6 review
    return article.id, ann.uid


# ------------------------------------------------------------------ history


def test_history_lists_who_when_what_before_and_after(store: Store, article: int, monkeypatch) -> None:
    fake_clock(monkeypatch)
    ann = store.add_annotation(article, 0, 7, "claim", annotator="ana")
    store.relabel(ann.uid, "denial", actor="ana")
    store.set_status(ann.uid, "rejected", actor="rita", reason="not a denial")
    found = audit.annotation_history(store, ann.uid)
    assert found.current is not None and found.current.label == "denial"
    assert found.article is not None and found.article.id == article
    assert [(e.actor, e.action) for e in found.entries] == [("ana", "create"), ("ana", "relabel"), ("rita", "review")]
    assert [e.at for e in found.entries] == sorted(e.at for e in found.entries)
    relabel = found.entries[1]
    assert relabel.changes == (audit.FieldChange("label", "claim", "denial"),)
    assert relabel.describe() == "label: 'claim' → 'denial'"
    review = found.entries[2]
    assert {c.field: (c.before, c.after) for c in review.changes} == {
        "status": ("pending", "rejected"), "review_note": ("", "not a denial")}
    assert found.entries[0].describe() == "created claim [0, 7) 'Kremlin' by ana"


def test_history_of_a_deleted_annotation_comes_from_the_log(store: Store, article: int) -> None:
    ann = store.add_annotation(article, 0, 7, "claim", annotator="ana")
    store.delete_annotation(ann.uid, actor="bo")
    found = audit.annotation_history(store, ann.uid)
    assert found.deleted
    assert found.article is not None and found.article.id == article  # from the events' article_id
    assert [e.action for e in found.entries] == ["create", "delete"]
    assert found.entries[1].describe() == "deleted claim [0, 7) 'Kremlin' by ana"


def test_unknown_uid_and_prefixes(store: Store, article: int) -> None:
    ann = store.add_annotation(article, 0, 7, "claim", annotator="ana", uid="abc-1")
    store.add_annotation(article, 8, 14, "claim", annotator="ana", uid="abd-2")
    assert audit.resolve_annotation_uid(store, "abc") == ann.uid
    assert audit.resolve_annotation_uid(store, "ABC-1") == ann.uid
    with pytest.raises(NotFoundError, match="2 annotations"):
        audit.resolve_annotation_uid(store, "ab")
    with pytest.raises(NotFoundError, match="no annotation"):
        audit.resolve_annotation_uid(store, "zz")
    with pytest.raises(NotFoundError):
        audit.annotation_history(store, "no-such-uid")
    # a LIKE wildcard in the prefix is taken literally
    with pytest.raises(NotFoundError):
        audit.resolve_annotation_uid(store, "a_c")


# ------------------------------------------------------------------- verify


def test_intact_log_verifies_with_count_and_head(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    with Store.open(path) as store:
        report = audit.verify(store)
        assert report.ok and report.events == 6 and report.chain.checked == 6
        head = report.chain.head
        assert head == list(store.events())[-1].hash
        assert "intact: 6 events" in report.summary()
        assert audit.verify(store, head=head).ok


def test_verify_names_an_edited_event(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    tamper(path, """UPDATE events SET after = '{"label":"background"}' WHERE id = 3""")
    with Store.open(path) as store:
        report = audit.verify(store)
    assert not report.ok
    assert (report.chain.first_bad_id, report.chain.kind, report.chain.checked) == (3, "altered", 2)
    assert report.chain.first_bad_action == "relabel"
    assert "event 3 (relabel" in report.summary() and "altered" in report.summary()


def test_verify_names_the_event_after_a_deleted_one(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    tamper(path, "DELETE FROM events WHERE id = 4")
    with Store.open(path) as store:
        report = audit.verify(store)
    assert not report.ok
    assert (report.chain.first_bad_id, report.chain.kind) == (5, "removed")
    assert "the event before it was removed" in report.summary()


def test_verify_names_reordered_events(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    # swap events 3 and 4: every row intact, only the order changed
    tamper(path, "UPDATE events SET id = -3 WHERE id = 3", "UPDATE events SET id = 3 WHERE id = 4",
           "UPDATE events SET id = 4 WHERE id = -3")
    with Store.open(path) as store:
        report = audit.verify(store)
    assert not report.ok
    assert (report.chain.first_bad_id, report.chain.kind) == (3, "moved")
    assert report.chain.first_bad_action == "resize"  # the event that now sits at 3
    assert "reordered" in report.summary()


def test_verify_catches_a_log_cut_short_at_its_end(tmp_path: Path) -> None:
    # Removing the last event leaves a valid chain; the tables no longer match the log.
    path = tmp_path / "a.db"
    _, uid = _history_db(path)
    tamper(path, "DELETE FROM events WHERE id = (SELECT max(id) FROM events)")
    with Store.open(path) as store:
        report = audit.verify(store)
    assert report.chain.ok and not report.ok
    [mismatch] = report.mismatches
    assert mismatch.uid == uid
    assert "status is 'rejected', the log says 'pending'" in mismatch.problem


def test_verify_catches_a_rewritten_log_against_a_noted_head(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    with Store.open(path) as store:
        noted = audit.verify(store).chain.head
        store.add_article("Another text.", title="t2", actor="ana")
        assert audit.verify(store, head=noted).ok  # the log only grew
    tamper(path, "DELETE FROM events WHERE id >= 6", "DELETE FROM articles WHERE id = 2",
           "UPDATE annotations SET status = 'pending', review_note = '', reviewer = NULL")
    with Store.open(path) as store:
        assert audit.verify(store).ok  # consistent on its own...
        report = audit.verify(store, head=noted)
    assert not report.ok and "not in the log" in report.summary()  # ...but not the log that was noted


def test_verify_catches_rows_changed_outside_annotator(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    article_id, uid = _history_db(path)
    tamper(path, "UPDATE annotations SET label_id = (SELECT id FROM labels WHERE name = 'claim')",
           "INSERT INTO annotations (uid, article_id, start, \"end\", label_id, text, annotator, created_at,"
           f" updated_at) VALUES ('forged', {article_id}, 0, 7, 1, 'Kremlin', 'eve', 'x', 'x')",
           "UPDATE articles SET text = replace(text, 'Erdogan', 'Someone')")
    with Store.open(path) as store:
        report = audit.verify(store)
    assert report.chain.ok and not report.ok
    problems = {m.uid: m.problem for m in report.mismatches}
    assert "label is 'claim', the log says 'denial'" in problems[uid]
    assert "no event in the log" in problems["forged"]
    assert any("no longer matches its sha256" in p for p in problems.values())


def test_history_survives_and_verify_passes_after_every_kind_of_change(store: Store, article: int) -> None:
    ann = store.add_annotation(article, 0, 7, "claim", annotator="ana")
    store.relabel(ann.uid, "denial", actor="ana")
    gone = store.delete_annotation(ann.uid, actor="ana")
    store.restore_annotation(gone, actor="ana")
    store.set_status(ann.uid, "accepted", actor="rita")
    assert audit.verify(store).ok
    assert audit.replay(store.events_for(ann.uid)) == store.annotation(ann.uid).as_values()


def test_verify_reports_dropped_guards(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    tamper(path, restore_guards=False)
    with Store.open(path) as store:
        report = audit.verify(store)
    assert report.chain.ok and not report.ok
    assert "append-only triggers were dropped" in report.summary()


def test_verify_head_takes_a_prefix_and_refuses_nonsense(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    with Store.open(path) as store:
        head = audit.verify(store).chain.head
        assert audit.verify(store, head=head[:16]).ok
        for weak in ("beef", head[:8], head[:15]):  # 8 digits: a forger finds a matching chain in minutes
            with pytest.raises(AnnotatorError, match="not a head hash.*at least its first 16"):
                audit.verify(store, head=weak)
        assert not audit.verify(store, head="deadbeefdeadbeef").ok


def test_a_resize_of_a_long_span_shows_where_the_texts_differ() -> None:
    from annotator.core.audit import FieldChange, HistoryEntry

    long = "Bloomberg had reported, citing sources, that Erdogan raised the possibility of returning the Russian-made"
    change = FieldChange("text", long + " S-400 systems", long)
    words = HistoryEntry(1, "e", "2026-01-01", "bo", "resize", (change,)).describe()
    assert words == "text: '…Russian-made S-400 systems' → '…Russian-made'"
    short = HistoryEntry(1, "e", "t", "bo", "resize", (FieldChange("end", 657, 603),)).describe()
    assert short == "end: 657 → 603"


def test_verify_reports_its_stages_and_can_be_cancelled(file_store) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.errors import Cancelled

    a, _ = file_store.add_article("Kremlin denied it.", title="t", actor="t")
    file_store.add_annotation(a.id, 0, 7, "denial", annotator="ana")
    heard: list[tuple[int, int, str]] = []
    report = audit.verify(file_store, progress=lambda *args: heard.append(args) or True)
    assert report.ok and [step for step, _total, _what in heard] == [0, 1, 3]
    with pytest.raises(Cancelled):
        audit.verify(file_store, progress=lambda step, _total, _what: step < 1)


def test_the_event_hash_format_is_pinned() -> None:
    # Every database written so far chains its events with this exact format (the previous hash,
    # then each stored column after a 0x1f separator, None as 0x00): changing it breaks every
    # existing chain, so a change must be deliberate (and migrate the logs), never silent.
    from annotator.core.store import GENESIS_HASH, event_hash

    fields = ("e1", "2026-01-01T00:00:00.000Z", "ana", "create", "annotation", "n1", None, '{"label":"claim"}')
    assert event_hash(GENESIS_HASH, fields) == "7b7d9d8945ededc371f35f530557dc6c4c1325f49fb7cb589e3d9aafe97bd7d6"
    assert event_hash("ab" * 32, ("é😀", "")) == "e0818a24e0a36e610919d014b7941da8f40a2fcce793986974d72d5c173eaa14"
    # the separators keep field boundaries, and a missing value apart from an empty one
    assert event_hash(GENESIS_HASH, ("ab", "c")) != event_hash(GENESIS_HASH, ("a", "bc"))
    assert event_hash(GENESIS_HASH, (None,)) != event_hash(GENESIS_HASH, ("",))


def test_verify_reports_in_words(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    with Store.open(path) as store:
        head = audit.verify(store).chain.head
        assert audit.verify(store).summary() == (f"the event log is intact: 6 events, head {head}\n"
                                                 "the file passes SQLite's integrity_check")
        assert audit.verify(store, head=head[:16].upper()).ok  # sixteen characters are enough, in any case
        with pytest.raises(AnnotatorError) as short:
            audit.verify(store, head=head[:15])
        assert str(short.value) == (f"{head[:15]!r} is not a head hash: give the one verify printed (at least its"
                                    " first 16 hexadecimal characters: fewer could be matched by a forged log)")
        with pytest.raises(AnnotatorError, match="not a head hash"):
            audit.verify(store, head="g" * 64)
    tamper(path, restore_guards=False)
    with Store.open(path) as store:
        report = audit.verify(store, head="deadbeefdeadbeef")
    assert [(m.entity, m.uid) for m in report.mismatches] == [
        ("log", "deadbeefdeadbeef"), ("log", "events_no_update, events_no_delete")]
    assert report.summary() == (
        "log deadbeefdeadbeef: this head hash noted earlier is not in the log: the log was rewritten or cut back\n"
        "log events_no_update, events_no_delete: the append-only triggers were dropped: the log could be edited"
        " without a trace in the tables (the chain above still checks every event)")


def test_a_broken_chain_in_words(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _history_db(path)
    tamper(path, """UPDATE events SET after = '{"label":"background"}' WHERE id = 3""")
    with Store.open(path) as store:
        report = audit.verify(store)
        bad = next(e for e in store.events() if e.id == 3)
    assert report.summary().split("\n")[0] == (
        f"event 3 (relabel at {bad.at}, uid {bad.uid}) is altered: its content was altered; the 2 events before"
        " it are intact")


def _forge(uid: str, label: str = "claim", text: str = "Kremlin") -> str:
    return ('INSERT INTO annotations (uid, article_id, start, "end", label_id, text, annotator, created_at, updated_at)'
            f" VALUES ('{uid}', 1, 0, 7, (SELECT id FROM labels WHERE name = '{label}'), '{text}', 'eve', 'x', 'x')")


def test_every_row_that_disagrees_with_the_log_in_words(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        article, _ = store.add_article(TEXT, title="t", actor="ana", uid="art-1")
        for uid in ("0-deleted", "a-gone", "b-back", "c-changed", "e-text"):
            store.add_annotation(article.id, 0, 7, "claim", annotator=uid, uid=uid)
        store.delete_annotation("0-deleted", actor="ana")  # gone from both: nothing to say, and the rest still checked
        store.delete_annotation("b-back", actor="ana")
        store.relabel("c-changed", "denial", actor="ana")
        store.set_note("c-changed", "check", actor="ana")
    tamper(path, "DELETE FROM annotations WHERE uid = 'a-gone'", _forge("b-back"), _forge("d-forged"),
           "UPDATE annotations SET label_id = (SELECT id FROM labels WHERE name = 'claim'), note = 'x'"
           " WHERE uid = 'c-changed'",
           "UPDATE annotations SET text = 'Kreml' WHERE uid = 'e-text'")
    with Store.open(path) as store:
        report = audit.verify(store)
    assert report.chain.ok
    assert [(m.entity, m.uid) for m in report.mismatches] == [
        ("annotation", u) for u in ("a-gone", "b-back", "c-changed", "d-forged", "e-text", "e-text")]
    assert report.summary().split("\n") == [
        "annotation a-gone: the log says it exists, but it is gone from the table (deleted outside annotator)",
        "annotation b-back: the log says it was deleted, but it is in the table (added outside annotator, or its last"
        " events were removed)",
        "annotation c-changed: label is 'claim', the log says 'denial'; note is 'x', the log says 'check' (changed"
        " outside annotator, or its last events were removed)",
        "annotation d-forged: it has no event in the log, but it is in the table (added outside annotator, or its"
        " last events were removed)",
        "annotation e-text: text is 'Kreml', the log says 'Kremlin' (changed outside annotator, or its last events"
        " were removed)",
        "annotation e-text: its text 'Kreml' is not the article text at [0, 7)",
    ]


def test_every_article_that_disagrees_with_the_log_in_words(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        store.add_article(TEXT, title="t", actor="ana", uid="art-1")
        store.add_article("Second text.", title="t", actor="ana", uid="art-2")
    swapped = "Swapped text."
    import hashlib

    digest = hashlib.sha256(swapped.encode("utf-8")).hexdigest()
    tamper(path, "UPDATE articles SET text = 'Edited.' WHERE uid = 'art-1'",
           f"UPDATE articles SET text = '{swapped}', sha256 = '{digest}' WHERE uid = 'art-2'",
           "INSERT INTO articles (uid, sha256, title, text, length, created_at) VALUES"
           f" ('art-3', '{hashlib.sha256(b'Forged.').hexdigest()}', 'f', 'Forged.', 7, 'x')")
    with Store.open(path) as store:
        report = audit.verify(store)
    assert report.summary().split("\n") == [
        "article art-1: (id 1) its text no longer matches its sha256: edited outside annotator",
        "article art-2: (id 2) its sha256 is not the one its import event recorded: text and hash were both replaced",
        "article art-3: (id 3) has no import event in the log",
    ]


def test_article_details_changed_outside_annotator_in_words(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        article, _ = store.add_article(TEXT, title="t", actor="ana", uid="art-1")
        store.edit_article(article.id, actor="ana", title="Wire report")
    tamper(path, "UPDATE articles SET url = 'https://evil.example/', title = 'Wire' WHERE uid = 'art-1'")
    with Store.open(path) as store:
        assert audit.verify(store).summary().split("\n")[-1] == (
            "article art-1: (id 1) its title is 'Wire', the log says 'Wire report'; its url is"
            " 'https://evil.example/', the log says - (changed outside annotator)")
