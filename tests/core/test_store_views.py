"""What the workspace reads from the store to draw an article: spans in a stretch of text, one span, counts."""

from __future__ import annotations

from pathlib import Path

from annotator.core.store import SpanRow, Store

TEXT = "Kremlin denied a Bloomberg report claiming that Erdogan raised the issue."


def _filled(store: Store) -> int:
    article, _ = store.add_article(TEXT, title="t", actor="t", uid="art-1")
    other, _ = store.add_article("Another article entirely.", title="o", actor="t")
    for uid, start, end, label, who in (("d", 0, 14, "denial", "ana"), ("c", 17, 33, "claim", "bo"),
                                         ("b", 17, 26, "background", "ana"), ("a", 48, 55, "claim", "cy")):
        store.add_annotation(article.id, start, end, label, annotator=who, uid=uid)
    store.add_annotation(other.id, 0, 7, "claim", annotator="ana", uid="elsewhere")
    store.set_note("c", "check", actor="bo")
    store.set_status("b", "accepted", actor="rita")
    return article.id


def test_spans_in_a_stretch_of_text(store: Store) -> None:
    aid = _filled(store)
    everything = store.spans_in_range(aid, 0, len(TEXT))
    assert [r.uid for r in everything] == ["d", "b", "c", "a"]  # by start, then end, then uid
    assert everything[2] == SpanRow("c", 17, 33, "claim", "pending", "bo", "check")
    assert everything[1] == SpanRow("b", 17, 26, "background", "accepted", "ana", "")
    # half-open on both sides: a span ending at lo or starting at hi is outside
    assert [r.uid for r in store.spans_in_range(aid, 14, 17)] == []
    assert [r.uid for r in store.spans_in_range(aid, 13, 18)] == ["d", "b", "c"]
    assert [r.uid for r in store.spans_in_range(aid, 26, 27)] == ["c"]
    assert [r.uid for r in store.spans_in_range(aid, 0, len(TEXT), hidden_annotators=["ana", "zed"])] == ["c", "a"]
    assert [r.uid for r in store.spans_in_range(aid, 0, len(TEXT), hidden_annotators=["bo"])] == ["d", "b", "a"]


def test_one_span_and_the_count(store: Store) -> None:
    aid = _filled(store)
    assert store.span_row("c") == SpanRow("c", 17, 33, "claim", "pending", "bo", "check")
    assert store.span_row("nope") is None
    assert store.span_count(aid) == 4
    assert store.span_count(aid, hidden_annotators=["ana"]) == 2
    assert store.span_count(aid, hidden_annotators=["ana", "bo", "cy"]) == 0


def test_an_article_by_uid(store: Store) -> None:
    _filled(store)
    found = store.article_by_uid("art-1")
    assert found is not None and (found.id, found.title, found.length) == (1, "t", len(TEXT))
    assert store.article_by_uid("art-9") is None


def test_the_data_version_moves_when_another_connection_commits(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as mine, Store.open(path) as other:
        before = mine.data_version()
        mine.add_article("Mine.", title="m", actor="t")
        assert mine.data_version() == before  # its own commits do not count
        other.add_article("Theirs.", title="o", actor="t")
        assert mine.data_version() != before
