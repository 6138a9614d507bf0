"""Spans are drawn from the store for what is on screen, and only that."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from annotator.core.store import Store
from annotator.gui.article_pane import ArticlePane
from annotator.gui.article_view import ArticleView
from annotator.gui.highlighter import StoreSpans
from annotator.gui.label_style import LabelStyles


def _article(store: Store, lines: int) -> tuple[int, str]:
    text = "\n".join(f"Line {i} 😀 says the Kremlin denied it." for i in range(lines))
    article, _ = store.add_article(text, title="long", actor="t")
    return article.id, text


def test_only_visible_blocks_are_formatted_and_scrolling_formats_more(qtbot) -> None:  # type: ignore[no-untyped-def]
    store = Store.memory()
    aid, text = _article(store, 2000)
    for i in range(0, 2000, 2):
        start = text.index(f"Line {i} ") + len(f"Line {i} 😀 says the ")
        store.add_annotation(aid, start, start + 7, "claim", annotator="a")
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.set_article(text, StoreSpans(store, aid), LabelStyles(store.labels()))
    QApplication.processEvents()
    visible = view.visible_blocks()
    assert 0 < len(visible) < 100
    doc = view.document()
    # every even line holds a span: those on screen are formatted, and nothing far below them
    formatted = {n for n in range(doc.blockCount()) if doc.findBlockByNumber(n).layout().formats()}
    assert {n for n in visible if n % 2 == 0} <= formatted <= set(range(visible.start, visible.stop + 2))
    assert all(view.highlighter.rows_in_block(n) == [] for n in range(visible.stop + 2, 2000))
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    QApplication.processEvents()
    assert len(view.document().findBlockByNumber(1998).layout().formats()) == 1
    assert view.highlighter.rows_in_block(1998)[0].label == "claim"
    store.close()


def test_hidden_annotators_are_not_drawn(qtbot) -> None:  # type: ignore[no-untyped-def]
    store = Store.memory()
    aid, text = _article(store, 3)
    store.add_annotation(aid, 0, 4, "claim", annotator="ana")
    store.add_annotation(aid, 0, 6, "denial", annotator="bo")
    view = ArticleView()
    qtbot.addWidget(view)
    view.show()
    view.set_article(text, StoreSpans(store, aid), LabelStyles(store.labels()))
    QApplication.processEvents()
    assert [r.annotator for r in view.highlighter.rows_in_block(0)] == ["ana", "bo"]
    view.set_spans(StoreSpans(store, aid, hidden_annotators={"bo"}))
    QApplication.processEvents()
    assert [r.annotator for r in view.highlighter.rows_in_block(0)] == ["ana"]
    assert [r.annotator for r in view.spans_at_offset(1)] == ["ana"]
    store.close()


def test_identical_spans_show_the_best_verdict(qtbot) -> None:  # type: ignore[no-untyped-def]
    # A reviewer accepted one copy of a span two annotators agree on and rejected the other:
    # the text shows accepted (bold), whichever copy sorts first, never struck out.
    from PySide6.QtGui import QFont

    for accepted_first in (True, False):
        store = Store.memory()
        aid, text = _article(store, 2)
        uids = ("a-first", "b-second")
        for uid, who in zip(uids, ("ana", "bo"), strict=True):
            store.add_annotation(aid, 0, 4, "claim", annotator=who, uid=uid)
        keep, drop = uids if accepted_first else uids[::-1]
        store.set_status(keep, "accepted", actor="rev")
        store.set_status(drop, "rejected", actor="rev", reason="duplicate")
        view = ArticleView()
        qtbot.addWidget(view)
        view.show()
        view.set_article(text, StoreSpans(store, aid), LabelStyles(store.labels()))
        QApplication.processEvents()
        (piece,) = view.document().findBlockByNumber(0).layout().formats()
        assert (piece.start, piece.length) == (0, 4)
        assert piece.format.fontWeight() == QFont.Weight.DemiBold and not piece.format.fontStrikeOut()
        store.close()


def test_identical_spans_with_different_labels_show_both(qtbot) -> None:  # type: ignore[no-untyped-def]
    # ana says claim, bo says denial, over the same words: one label's tint, the other's underline.
    store = Store.memory()
    aid, text = _article(store, 2)
    store.add_annotation(aid, 0, 4, "claim", annotator="ana")
    store.add_annotation(aid, 0, 4, "denial", annotator="bo")
    styles = LabelStyles(store.labels())
    view = ArticleView()
    qtbot.addWidget(view)
    view.show()
    view.set_article(text, StoreSpans(store, aid), styles)
    QApplication.processEvents()
    (piece,) = view.document().findBlockByNumber(0).layout().formats()
    tint, line = piece.format.background().color(), piece.format.underlineStyle()
    looks = {name: (styles.get(name).tint(115).name(), styles.get(name).underline) for name in ("claim", "denial")}
    assert (tint.name(), line) in {(looks["claim"][0], looks["denial"][1]), (looks["denial"][0], looks["claim"][1])}
    assert looks["claim"][1] != looks["denial"][1]
    store.close()


def test_a_span_added_off_screen_shows_when_its_line_comes_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    # The first line was drawn (with no spans) and scrolled away; a span is then added to it.
    # The line must be drawn again when it comes back into view, not from what was drawn before.
    store = Store.memory()
    aid, text = _article(store, 2000)
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.set_article(text, StoreSpans(store, aid), LabelStyles(store.labels()))
    QApplication.processEvents()
    assert 0 in view.visible_blocks() and view.highlighter.rows_in_block(0) == []
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert 0 not in view.visible_blocks()
    added = store.add_annotation(aid, 0, 4, "claim", annotator="ana")
    view.span_changed([(added.start, added.end)], added.uid)
    bar.setValue(0)
    QApplication.processEvents()
    assert [r.uid for r in view.highlighter.rows_in_block(0)] == [added.uid]
    (piece,) = view.document().findBlockByNumber(0).layout().formats()
    assert (piece.start, piece.length) == (0, 4)
    store.close()


def test_a_view_given_another_article_draws_none_of_the_old_ones_spans(qtbot) -> None:  # type: ignore[no-untyped-def]
    """QA4-1: a pane scrolled down in one article was given another; putting the new text in scrolled back
    to the top, and the old article's spans were drawn there at the new text's offsets, for good."""
    from .helpers import stray_tints

    store = Store.memory()
    old_text = "\n".join(f"Old line {i}: the Kremlin said the report was false, and more." for i in range(60))
    old, _ = store.add_article(old_text, title="old", actor="t")
    for i in range(60):
        store.add_annotation(old.id, old_text.index(f"Old line {i}:"), old_text.index(f"Old line {i}:") + 8,
                             "background", annotator="ana")
    new, _ = store.add_article("\n".join(f"New {i}" for i in range(300)), title="new", actor="t")
    pane = ArticlePane()
    qtbot.addWidget(pane)
    pane.resize(300, 200)
    pane.show()
    styles = LabelStyles(store.labels())
    pane.show_article(old, old_text, StoreSpans(store, old.id), styles)
    QApplication.processEvents()
    pane.view.verticalScrollBar().setValue(pane.view.verticalScrollBar().maximum())
    QApplication.processEvents()
    pane.show_article(new, store.article_text(new.id), StoreSpans(store, new.id), styles)
    QApplication.processEvents()
    assert stray_tints(pane) == []
    # and the old article's spans cannot be put on the new text by another way in
    with pytest.raises(ValueError):
        pane.view.set_spans(StoreSpans(store, old.id))
    store.close()
