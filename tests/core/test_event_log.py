"""Every kind of change writes the events it should (entity, action, actor), and the log still verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import audit
from annotator.core.errors import AnnotatorError, DatabaseError, SpanError
from annotator.core.importer import Importer
from annotator.core.store import Store

from .review_support import fake_clock

TEXT = "Kremlin denied a Bloomberg report claiming that Erdogan raised the issue."


def _log(store: Store, since: int = 0) -> list[tuple[str, str, str]]:
    return [(e.entity, e.action, e.actor) for e in store.events() if e.id > since]


def _last_id(store: Store) -> int:
    return max((e.id for e in store.events()), default=0)


def test_every_change_to_a_span_writes_its_event(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_clock(monkeypatch)  # every stamp its own: an event stamped apart from its edit shows
    article, _ = store.add_article(TEXT, title="t", actor="ana", uid="art-1")
    assert _log(store) == [("article", "import", "ana")]
    [event] = store.events()
    assert event.after == {"title": "t", "source": None, "url": None, "published": None, "origin": None,
                           "sha256": article.sha256}
    mark = _last_id(store)
    made = store.add_annotation(article.id, 0, 7, "claim", annotator="ana", uid="n1")
    assert made.id is not None and made == store.annotation("n1")
    store.relabel("n1", "denial", actor="bo")
    resized = store.resize("n1", 0, 14, actor="bo")
    store.set_note("n1", "why?", actor="bo")
    store.set_status("n1", "accepted", actor="rita")
    gone = store.delete_annotation("n1", actor="bo")
    store.restore_annotation(gone, actor="bo")
    assert _log(store, mark) == [("annotation", "create", "ana"), ("annotation", "relabel", "bo"),
                                 ("annotation", "resize", "bo"), ("annotation", "note", "bo"),
                                 ("annotation", "review", "rita"), ("annotation", "delete", "bo"),
                                 ("annotation", "restore", "bo")]
    # an edit's event carries the edit's time: the span's new updated_at
    resize = next(e for e in store.events_for("n1") if e.action == "resize")
    assert resize.at == resized.updated_at
    assert audit.annotation_history(store, "n1").entries[-1].describe().startswith("restored denial [0, 14)")
    assert audit.verify(store).ok


def test_a_bulk_import_writes_one_create_event_a_span(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": TEXT, "spans": [
        {"start": 0, "end": 7, "label": "claim"}, {"start": 8, "end": 14, "label": "denial", "annotator": "bo"}]}),
        encoding="utf-8")
    Importer(store, actor="lead").run([path])
    assert _log(store) == [("article", "import", "lead"), ("annotation", "create", "lead"),
                           ("annotation", "create", "lead")]
    created = [e for e in store.events() if e.entity == "annotation"]
    assert [(e.after["label"], e.after["text"], e.after["annotator"]) for e in created] == [
        ("claim", "Kremlin", "unknown"), ("denial", "denied", "bo")]
    assert all(len(e.uid) == 32 for e in store.events())  # a uid without dashes each
    assert audit.verify(store).ok


def test_span_refusals_in_words(store: Store) -> None:
    article, _ = store.add_article(TEXT, title="t", actor="ana")
    store.add_annotation(article.id, 0, 7, "claim", annotator="ana", uid="n1")
    with pytest.raises(SpanError) as taken:
        store.add_annotation(article.id, 8, 14, "claim", annotator="ana", uid="n1")
    assert str(taken.value) == "an annotation with uid n1 exists already"
    with pytest.raises(SpanError) as twice:
        store.add_annotation(article.id, 0, 7, "claim", annotator="ana")
    assert str(twice.value) == "ana has already tagged these characters as claim"
    assert twice.value.uid == "n1"  # type: ignore[attr-defined]  (the GUI selects it)
    note = store.build_annotation(article.id, 0, 7, "claim", annotator="ana")
    assert note.note == "" and note.status == "pending"


def test_opening_refusals_in_words(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(DatabaseError) as nothing:
        Store.open(missing, create=False)
    assert str(nothing.value) == f"no database at {missing}"
    with pytest.raises(DatabaseError) as folder:
        Store.open(tmp_path)
    assert str(folder.value) == f"{tmp_path} is a folder, not a database file"
    with pytest.raises(DatabaseError) as nowhere:
        Store.open(tmp_path / "no" / "x.db")
    assert str(nowhere.value) == (f"cannot create the database {tmp_path / 'no' / 'x.db'}: the folder"
                                  f" {tmp_path / 'no'} does not exist")
    with pytest.raises(DatabaseError) as read_missing:
        Store.open_read_only(missing)
    assert str(read_missing.value) == f"no database at {missing}"
    made = tmp_path / "made.db"
    Store.open(made).close()
    with Store.open_read_only(made) as other:
        assert other.path == made and other.read_only


def test_formats_and_exports_refused_in_words(store: Store, tmp_path: Path) -> None:
    from annotator.core import exporter, formats

    with pytest.raises(AnnotatorError) as unknown:
        formats.get("excel")
    assert str(unknown.value) == f"unknown format 'excel' (formats: {', '.join(formats.FORMATS)})"
    readable_only = next(f for f in formats.FORMATS.values() if not f.can_write)
    with pytest.raises(AnnotatorError) as unwritable:
        exporter.export(store, readable_only.name, tmp_path / "x")
    assert str(unwritable.value) == f"the {readable_only.name} format can be read but not written"
