"""Suggestions in the workspace: ghost spans, their keys in the panes, undo, the queue, sources and training.

Each test acts as a user (keys, clicks, menu actions) and reads SQLite through
a separate connection.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from annotator.core.importer import Importer
from annotator.core.store import Store
from annotator.core.suggest_rules import sentences, suggest_with_rules
from annotator.gui import suggestion_dock, theme
from annotator.gui.article_pane import ArticlePane
from annotator.gui.main_window import MainWindow

from .helpers import find, press, rows

GOLD = Path(__file__).resolve().parent.parent / "data" / "seeds_gold.jsonl"
KREMLIN = "000_2fd0f5c64ad6bf09.txt"
DENIAL = "Kremlin denied a Bloomberg report claiming that"
SUGGESTIONS = ('SELECT s.start, s."end", l.name, s.state, s.decided_by, s.annotation_uid, s.source'
               " FROM suggestions s JOIN labels l ON l.id = s.label_id ORDER BY s.article_id, s.start, s.\"end\"")


@pytest.fixture
def suggested(db_path: Path) -> Path:
    """The seeds with the cue rules' suggestions (43: 12 denial, 24 claim, 7 background)."""
    with Store.open(db_path) as store:
        suggest_with_rules(store, actor="rules-bot")
    return db_path


@pytest.fixture
def window(make_window, suggested: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    return make_window(suggested)


def kremlin_pane(window: MainWindow) -> ArticlePane:
    pane = next(p for p in window.panes.panes if p.article and p.article.origin == KREMLIN)
    window.panes.set_current(pane)
    pane.view.setFocus()
    return pane


def suggestion_at(db: Path, start: int, label: str) -> tuple:  # type: ignore[type-arg]
    return next(r for r in rows(db, SUGGESTIONS) if r[0] == start and r[2] == label)


def spans(db: Path) -> list[tuple]:  # type: ignore[type-arg]
    return rows(db, 'SELECT n.start, n."end", l.name, n.annotator, n.uid FROM annotations n'
                    " JOIN labels l ON l.id = n.label_id ORDER BY n.start")


def list_count(window: MainWindow, article_id: int, label: str) -> int:
    """The article list's count of ``label`` for an article, as its row shows it."""
    model = window.article_model
    row = model.row_of(article_id)
    assert row is not None
    counts = model.counts_at(row)
    assert counts is not None
    return counts.counts.get(label, 0)


def ink_pixels(pane: ArticlePane, start: int, end: int, label: str) -> int:
    """Pixels of the label's ghost ink on the left and right edges of the outline around ``[start, end)``.

    The side edges, not the top and bottom: those of the suggestions on the lines above and below run there too.
    """
    view = pane.view
    QApplication.processEvents()
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    ink = theme.current().ink(view.styles.get(label).colour, 150)
    found = 0
    for rect in view._range_rects(start, end):
        columns = [*range(int(rect.left()) - 5, int(rect.left())), *range(int(rect.right()) + 1, int(rect.right()) + 6)]
        for x in columns:
            for y in range(int(rect.top()) + 3, int(rect.bottom()) - 2):
                if 0 <= x < image.width() and 0 <= y < image.height():
                    c = QColor(image.pixel(x, y))
                    if abs(c.red() - ink.red()) + abs(c.green() - ink.green()) + abs(c.blue() - ink.blue()) < 90:
                        found += 1
    return found


# ------------------------------------------------------------------ ghost spans


def test_ghost_spans_are_drawn_for_visible_suggestions_and_go_when_hidden_or_accepted(
        qtbot, window: MainWindow, suggested: Path) -> None:  # type: ignore[no-untyped-def]
    pane = kremlin_pane(window)
    view = pane.view
    shown = view.ghosts.visible()
    assert (0, 216, "denial") in [(s.start, s.end, s.label) for s in shown]
    assert all(s.start < view.visible_range()[1] for s in shown)   # only what is on screen is asked for
    assert ink_pixels(pane, 0, 216, "denial") > 3

    press(qtbot, pane, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)   # View > Show Suggestions off
    assert not window.actions["show_suggestions"].isChecked()
    assert view.ghosts.visible() == []
    assert ink_pixels(pane, 0, 216, "denial") == 0
    press(qtbot, pane, Qt.Key.Key_2)   # hidden suggestions take no keys: nothing is accepted
    assert spans(suggested) == []

    press(qtbot, pane, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)   # on again
    assert ink_pixels(pane, 0, 216, "denial") > 3
    view.moveCursor(view.textCursor().MoveOperation.Start)
    press(qtbot, pane, Qt.Key.Key_Tab)
    press(qtbot, pane, Qt.Key.Key_Return)   # accepted: a span now, no ghost
    assert [(s[0], s[1], s[2]) for s in spans(suggested)] == [(0, 216, "denial")]
    assert (0, 216) not in [(s.start, s.end) for s in view.ghosts.visible()]
    assert view.selected_span is not None and view.selected_span.start == 0   # the new span is selected


def test_ghost_spans_take_the_theme_ink_in_dark_paper_too(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = kremlin_pane(window)
    window.set_colour_scheme("dark")
    try:
        assert theme.current().dark
        assert ink_pixels(pane, 0, 216, "denial") > 3
    finally:
        window.set_colour_scheme("light")


def test_the_labels_initials_sit_beside_the_text_never_on_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """QA4-6: each ghost's initial sat on its outline's top edge, over the glyphs of the line above."""
    view = kremlin_pane(window).view
    view.viewport().repaint()
    placed = view.ghosts.placed_initials
    assert {letter for _rect, letter in placed} >= {"D", "C"}
    text = view._range_rects(*view.visible_range())   # every line of text on screen
    assert not [(rect, letter) for rect, letter in placed if any(rect.intersects(line) for line in text)]


# ------------------------------------------------------------------ keys in a pane


def test_a_label_key_accepts_a_suggestion_as_that_label_and_undo_reopens_it(
        qtbot, window: MainWindow, suggested: Path) -> None:  # type: ignore[no-untyped-def]
    pane = kremlin_pane(window)
    table_rows = window.annotation_model.rowCount()
    view = pane.view
    view.moveCursor(view.textCursor().MoveOperation.Start)
    press(qtbot, pane, Qt.Key.Key_Tab)   # the denial sentence, suggested as denial
    assert view.ghosts.selected is not None and view.ghosts.selected.label == "denial"
    press(qtbot, pane, Qt.Key.Key_1)     # "1" is claim: accepted as claim, the wrong label fixed in one press

    [(start, end, label, who, uid)] = spans(suggested)
    assert (start, end, label, who) == (0, 216, "claim", "ana")
    assert suggestion_at(suggested, 0, "denial")[3:6] == ("accepted", "ana", uid)
    # the annotation's create event names the suggestion it came from: its source, score and label
    [(after,)] = rows(suggested, "SELECT after FROM events WHERE entity = 'annotation' AND action = 'create'")
    made_from = json.loads(after)["suggestion"]
    assert (made_from["source"], made_from["label"], made_from["score"]) == ("rules", "denial", 0.6)
    # the views followed through the span path: the table has the row, the list the count
    assert window.annotation_model.rowCount() == table_rows + 1
    assert list_count(window, 1, "claim") == 1
    assert window.actions["undo"].text().startswith("&Undo Accept “Kremlin denied")

    window.actions["undo"].trigger()
    assert spans(suggested) == []
    assert suggestion_at(suggested, 0, "denial")[3:6] == ("open", None, None)
    assert window.annotation_model.rowCount() == table_rows
    assert list_count(window, 1, "claim") == 0
    assert (0, 216) in [(s.start, s.end) for s in view.ghosts.visible()]   # the ghost is back

    window.actions["redo"].trigger()
    assert [(s[0], s[1], s[2], s[4]) for s in spans(suggested)] == [(0, 216, "claim", uid)]   # same uid
    assert suggestion_at(suggested, 0, "denial")[3] == "accepted"
    actions = rows(suggested, "SELECT action FROM events WHERE entity = 'suggestion' AND action != 'create'"
                              " ORDER BY id")
    assert [a for (a,) in actions] == ["accept", "undo", "redo"]


def test_x_rejects_the_suggestion_under_the_caret_and_undo_brings_it_back(
        qtbot, window: MainWindow, suggested: Path) -> None:  # type: ignore[no-untyped-def]
    pane = kremlin_pane(window)
    view = pane.view
    find(pane, "This topic was not")
    view.clear_text_selection()   # the caret inside the suggested denial, nothing selected
    press(qtbot, pane, Qt.Key.Key_X)
    assert suggestion_at(suggested, 217, "denial")[3:5] == ("rejected", "ana")
    assert spans(suggested) == []
    assert (217, 358) not in [(s.start, s.end) for s in view.ghosts.visible()]
    assert ink_pixels(pane, 217, 358, "denial") == 0

    press(qtbot, pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert suggestion_at(suggested, 217, "denial")[3:5] == ("open", None)
    assert (217, 358) in [(s.start, s.end) for s in view.ghosts.visible()]
    assert ink_pixels(pane, 217, 358, "denial") > 3


def test_tab_and_shift_tab_go_from_suggestion_to_suggestion_in_text_order(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = kremlin_pane(window)
    view = pane.view
    view.moveCursor(view.textCursor().MoveOperation.Start)
    seen = []
    for _ in range(4):
        press(qtbot, pane, Qt.Key.Key_Tab)
        assert view.ghosts.selected is not None
        seen.append((view.ghosts.selected.start, view.ghosts.selected.label))
    # the claim clause nested in the denial sentence is reached too, after it
    assert seen == [(0, "denial"), (48, "claim"), (217, "denial"), (404, "claim")]
    press(qtbot, pane, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert view.ghosts.selected is not None and view.ghosts.selected.start == 217
    assert view.cursor_offset() == 217   # the caret follows: Shift+arrows would select from there


def test_tab_steps_through_spans_and_suggestions_in_one_order(qtbot, window: MainWindow, suggested: Path) -> None:  # type: ignore[no-untyped-def]
    pane = kremlin_pane(window)
    view = pane.view
    view.moveCursor(view.textCursor().MoveOperation.Start)
    press(qtbot, pane, Qt.Key.Key_Tab)
    press(qtbot, pane, Qt.Key.Key_Return)      # the denial sentence is a span now, and selected
    assert view.selected_span is not None and (view.selected_span.start, view.selected_span.end) == (0, 216)
    press(qtbot, pane, Qt.Key.Key_Tab)         # on to the claim clause suggested inside it
    assert view.selected_span is None and view.ghosts.selected is not None
    assert (view.ghosts.selected.start, view.ghosts.selected.label) == (48, "claim")
    press(qtbot, pane, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)   # back to the span
    assert view.ghosts.selected is None and view.selected_span is not None and view.selected_span.start == 0
    press(qtbot, pane, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)   # suggestions hidden: spans only
    press(qtbot, pane, Qt.Key.Key_Tab)
    assert view.ghosts.selected is None and view.selected_span is not None and view.selected_span.start == 0
    assert "No span after this one" in window.status.currentMessage()


def test_a_text_selection_or_a_selected_span_comes_before_the_suggestion_under_it(
        qtbot, window: MainWindow, suggested: Path) -> None:  # type: ignore[no-untyped-def]
    pane = kremlin_pane(window)
    find(pane, "Kremlin denied")   # text selected inside the suggested denial: the key tags the text
    press(qtbot, pane, Qt.Key.Key_2)
    assert [(s[0], s[1], s[2]) for s in spans(suggested)] == [(0, 14, "denial")]
    assert suggestion_at(suggested, 0, "denial")[3] == "open"
    # the new span is selected: a label key relabels it and Enter does not touch the suggestion
    press(qtbot, pane, Qt.Key.Key_3)
    assert [(s[0], s[1], s[2]) for s in spans(suggested)] == [(0, 14, "background")]
    press(qtbot, pane, Qt.Key.Key_Return)
    assert suggestion_at(suggested, 0, "denial")[3] == "open"
    # Esc clears the selection; now the caret's suggestion (innermost under it) takes the keys
    press(qtbot, pane, Qt.Key.Key_Escape)
    press(qtbot, pane, Qt.Key.Key_Return)
    assert suggestion_at(suggested, 0, "denial")[3] == "accepted"


def test_clicking_a_ghost_selects_it_for_the_keys(
        qtbot, window: MainWindow, suggested: Path) -> None:  # type: ignore[no-untyped-def]
    from .helpers import click_text

    pane = kremlin_pane(window)
    assert "Suggested <b>denial</b>" in pane.view.ghosts.tooltip(220)   # what a hover says
    click_text(qtbot, pane, "This topic was not", inside=3)
    assert pane.view.ghosts.selected is not None and pane.view.ghosts.selected.start == 217
    press(qtbot, pane, Qt.Key.Key_Return)
    assert suggestion_at(suggested, 217, "denial")[3] == "accepted"


# ------------------------------------------------------------------ the queue


def test_an_empty_queue_says_so_once_and_offers_no_button(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QA4-20: with no suggestion at all, the queue said two things ("No open suggestions…" and "No open suggestion
    matches these filters", no filter set) and left Accept, Reject and Next enabled."""
    window = make_window(db_path)
    window.actions["suggestion_queue"].trigger()
    dock = window.suggestions.dock
    buttons = (dock.previous_button, dock.accept_button, dock.reject_button, dock.next_button)
    assert dock.counts.text().startswith("No open suggestions.") and dock.position.text() == ""
    assert [b.isEnabled() for b in buttons] == [False] * 4
    job = window.suggestions.suggest_with_rules()   # Review > Suggest with the Cue Rules
    qtbot.waitUntil(lambda: not job.running and dock.total == 43, timeout=10_000)
    assert dock.total == 43 and [b.isEnabled() for b in buttons] == [False, True, True, True]   # at the first
    dock.label.setCurrentIndex(dock.label.findData("background"))
    dock.min_score.setValue(0.99)   # a filter nothing passes: that is what it says now
    assert dock.position.text() == "No open suggestion matches these filters."
    assert [b.isEnabled() for b in buttons] == [False] * 4


def test_the_queue_filters_pages_and_decides_with_keys(qtbot, qtmodeltester, window: MainWindow,  # type: ignore[no-untyped-def]
                                                       suggested: Path, monkeypatch) -> None:
    monkeypatch.setattr(suggestion_dock, "PAGE", 5)
    window.actions["suggestion_queue"].trigger()
    dock = window.suggestions.dock
    qtbot.waitUntil(dock.isVisible)
    assert "rules" in dock.counts.text() and "denial 12" in dock.counts.text()
    dock.label.setCurrentIndex(dock.label.findData("denial"))
    assert dock.total == 12 and len(dock.rows) == 5
    table = dock.table
    table.setFocus()
    first = dock.current()
    assert first is not None
    # the queue's choice is shown selected in its pane
    pane = window.panes.pane_showing(first.article_id)
    assert pane is not None and pane.view.ghosts.selected is not None
    assert pane.view.ghosts.selected.uid == first.uid

    for _ in range(5):
        qtbot.keyClick(table, Qt.Key.Key_N)   # across the page's end to the next page
    assert dock.offset == 5 and dock.index == 0
    qtbot.keyClick(table, Qt.Key.Key_P)
    assert dock.offset == 0 and dock.index == 4
    chosen = dock.current()
    assert chosen is not None
    qtbot.keyClick(table, Qt.Key.Key_A)      # accepted as suggested; the next one takes its place
    assert (chosen.start, chosen.end, "denial") in [(s[0], s[1], s[2]) for s in spans(suggested)]
    assert dock.total == 11 and dock.current() is not None and dock.current().uid != chosen.uid
    rejected = dock.current()
    assert rejected is not None
    qtbot.keyClick(table, Qt.Key.Key_X)
    assert rows(suggested, f"SELECT state FROM suggestions WHERE uid = '{rejected.uid}'") == [("rejected",)]
    relabelled = dock.current()
    assert relabelled is not None
    qtbot.keyClick(table, Qt.Key.Key_1)      # accepted as claim
    assert (relabelled.start, relabelled.end, "claim") in [(s[0], s[1], s[2]) for s in spans(suggested)]
    assert dock.total == 9
    window.actions["undo"].trigger()         # the pane's undo is the queue's: it comes back
    assert dock.total == 10

    # the score filter: the rules score 0.6 for one cue, 0.84 for two
    dock.label.setCurrentIndex(0)
    dock.min_score.setValue(0.8)
    assert dock.total == len([r for r in rows(suggested, "SELECT score FROM suggestions WHERE state = 'open'")
                              if r[0] >= 0.8]) > 0
    dock.order.setCurrentIndex(dock.order.findData("score"))
    assert dock.rows[0].score is not None and dock.rows[0].score >= dock.rows[-1].score  # type: ignore[operator]
    qtmodeltester.check(dock.model)


# ------------------------------------------------------------------ sources and training


def test_suggest_with_the_rules_from_the_menu_runs_in_a_worker(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(db_path)
    pane = kremlin_pane(window)
    assert pane.view.ghosts.visible() == []
    with qtbot.waitSignal(window.session.suggestionsMade, timeout=20_000):
        window.actions["suggest_rules"].trigger()
    assert rows(db_path, "SELECT count(*) FROM suggestions WHERE source = 'rules'") == [(43,)]
    assert (0, 216, "denial") in [(s.start, s.end, s.label) for s in pane.view.ghosts.visible()]
    assert window.status.currentMessage().startswith("rules: 7 background, 24 claim, 12 denial in 5 articles")


def test_train_from_the_menu_shows_the_cross_validated_figures_and_retrains_after_n_changes(
        qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "gold.db"
    with Store.open(db) as store:
        assert Importer(store, actor="gold").run([GOLD]).ok
        store.set_setting("retrain_every", "2", actor="lead")
    window = make_window(db)
    job = window.suggestions.train()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert job.error is None, job.error
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "trainingDialog")
    table = dialog.table
    labels = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 5)] for r in range(table.rowCount())}
    assert set(labels) == {"background", "claim", "denial"}
    assert labels["denial"][0] == "12"                     # examples, as `annotator train` prints
    assert "75 spans in 5 articles" in dialog.summary.text()
    dialog.close()
    assert rows(db, "SELECT count(*) FROM events WHERE entity = 'model' AND action = 'train'") == [(1,)]

    pane = window.open_article(1)
    assert pane is not None
    for needle in ("Kremlin spokesman", "Dmitry Peskov"):
        find(pane, needle)
        press(qtbot, pane, Qt.Key.Key_1)
    job = window.suggestions.training
    assert job is not None   # two changes to spans: retraining in the background, no dialog
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert rows(db, "SELECT count(*) FROM events WHERE entity = 'model' AND action = 'train'") == [(2,)]
    assert "Model local trained on 77 spans" in window.status.currentMessage()
    # ... cross-validated like the first: a model with no measured quality would offer no label at all
    assert "(cross-validated)" in window.status.currentMessage()
    assert "not offered" not in window.status.currentMessage()
    assert not any(w.objectName() == "trainingDialog" and w.isVisible() for w in QApplication.topLevelWidgets())


def test_a_label_the_model_withholds_is_named_with_why_in_the_report_the_message_and_the_queue(
        qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QA: a label with too few examples got no model suggestion and the window never said why (the command
    line says "<label> not offered: <why>")."""
    db = tmp_path / "gold.db"
    with Store.open(db) as store:
        assert Importer(store, actor="gold").run([GOLD]).ok
        store.add_label("quote", "#8844aa", actor="lead")
        for article_id in store.article_ids()[:3]:   # a sentence each: 3 examples, where 10 are needed
            start, end = sentences(store.article_text(article_id))[2]
            store.add_annotation(article_id, start, end, "quote", annotator="gold")
    why = "quote not offered: 3 examples, fewer than the 10 it needs."
    window = make_window(db)
    job = window.suggestions.train()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert why in window.status.currentMessage()
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "trainingDialog")
    table = dialog.table
    offered = {table.item(r, 0).text(): table.item(r, 5).text() for r in range(table.rowCount())}
    assert offered == {"background": "offered", "claim": "offered", "denial": "offered", "quote": "not offered"}
    assert "quote: 3 examples, fewer than the 10 it needs" in dialog.withheld.text()
    dialog.close()
    with qtbot.waitSignal(window.session.suggestionsMade, timeout=60_000):
        window.actions["suggest_model"].trigger()
    assert window.status.currentMessage().startswith("model:local: ")
    assert why in window.status.currentMessage()
    window.actions["suggestion_queue"].trigger()
    held = window.suggestions.dock.withheld
    assert held.isVisible() and held.text() == f"model:local: {why}"


def test_the_right_click_menu_accepts_a_suggestion_as_a_label_or_rejects_it(
        qtbot, window: MainWindow, suggested: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QMenu

    pane = kremlin_pane(window)
    view = pane.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.text.index("This topic was not") + 3)
    point = view.viewport().mapToGlobal(view.cursorRect(cursor).center())
    menu = QMenu()
    window.suggestions.add_to_menu(menu, pane, point)
    texts = [a.text() for a in menu.actions()]
    assert any(t.startswith("Accept the Suggested denial: “") for t in texts) and "Reject the Suggestion" in texts
    as_label = next(a.menu() for a in menu.actions() if a.text() == "Accept the Suggestion As")
    next(a for a in as_label.actions() if a.text() == "background").trigger()
    assert [(s[0], s[1], s[2]) for s in spans(suggested)] == [(217, 358, "background")]
    assert suggestion_at(suggested, 217, "denial")[3] == "accepted"


def test_a_label_keyed_x_before_x_was_reserved_leaves_x_to_reject(qtbot, make_window, suggested: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    conn = sqlite3.connect(suggested)
    with conn:   # what a database from before this version may hold
        conn.execute("UPDATE labels SET shortcut = 'X' WHERE name = 'background'")
    conn.close()
    window = make_window(suggested)
    pane = kremlin_pane(window)
    find(pane, "This topic was not")
    pane.view.clear_text_selection()
    press(qtbot, pane, Qt.Key.Key_X)
    assert suggestion_at(suggested, 217, "denial")[3] == "rejected"
    assert spans(suggested) == []
