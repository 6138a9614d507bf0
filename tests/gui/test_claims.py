"""Claims in the workspace: L across panes, badges, the claims dock, the matrix, suggestions, article details.

Every test acts as a user does (keys, clicks, the dock's buttons) and checks
SQLite through a separate connection.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QToolTip

from annotator.gui import theme
from annotator.gui.article_pane import ArticlePane
from annotator.gui.claim_models import UID_ROLE, VERDICT_COLUMN
from annotator.gui.main_window import MainWindow

from .helpers import click_text, find, press, rows

REPORT = "Türkiye plans to return the S-400 air defense systems to Russia"
DENIAL = "Kremlin denied a Bloomberg report"
CLAIMS = "SELECT uid, summary, claimant FROM claims ORDER BY id"
LINKS = ("SELECT n.text, k.role, k.claim_uid FROM links k JOIN annotations n ON n.uid = k.span_uid"
         " ORDER BY k.id")


def pane_of(window: MainWindow, origin: str) -> ArticlePane:
    return next(p for p in window.panes.panes if p.article and p.article.origin == origin)


def report_pane(window: MainWindow) -> ArticlePane:
    return pane_of(window, "002_cad9066ba476337a.txt")


def denial_pane(window: MainWindow) -> ArticlePane:
    return pane_of(window, "000_2fd0f5c64ad6bf09.txt")


def key(qtbot, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """Press a key where the keyboard is, as a user does."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, k, modifier)
    QApplication.processEvents()


def tag_both(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """A claim span in the report's pane, a denial span in the Kremlin's, then nothing selected."""
    report, denial = report_pane(window), denial_pane(window)
    find(report, REPORT)
    press(qtbot, report, Qt.Key.Key_1)
    find(denial, DENIAL)
    press(qtbot, denial, Qt.Key.Key_2)
    press(qtbot, denial, Qt.Key.Key_Escape)
    assert sorted(r[2] for r in rows(db_of(window))) == ["claim", "denial"]


def tag_in_store(window: MainWindow) -> None:
    """The same two spans, tagged before this window opened them."""
    store = window.session.store
    for pane, needle, label in ((report_pane(window), REPORT, "claim"), (denial_pane(window), DENIAL, "denial")):
        assert pane.article is not None
        start = pane.view.text.index(needle)
        store.add_annotation(pane.article.id, start, start + len(needle), label, annotator="ana")
    window.refresh()


def db_of(window: MainWindow) -> Path:
    path = window.session.store.path
    assert path is not None
    return path


def undo(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.actions["undo"].trigger()
    QApplication.processEvents()


def redo(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.actions["redo"].trigger()
    QApplication.processEvents()


def assert_linked(db: Path) -> str:
    [(claim_uid, summary, claimant)] = rows(db, CLAIMS)
    assert summary == REPORT and claimant == ""   # the seeds name no source
    assert rows(db, LINKS) == [(REPORT, "states", claim_uid), (DENIAL, "denies", claim_uid)]
    return claim_uid


# ------------------------------------------------------------------ press L


def test_select_a_claim_then_a_denial_in_another_pane_and_press_l(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                  db_path: Path) -> None:
    tag_both(qtbot, window)
    report, denial = report_pane(window), denial_pane(window)
    click_text(qtbot, report, REPORT, inside=3)
    assert report.view.selected_uid is not None
    click_text(qtbot, denial, DENIAL, inside=3)
    assert report.view.selected_uid is None   # one selected span in the window
    # the span L links from is the one selected before, and the status bar says so
    assert window.status.link_label.toolTip().startswith("Linking from: “Türkiye plans")
    press(qtbot, denial, Qt.Key.Key_L)
    claim_uid = assert_linked(db_path)

    undo(qtbot, window)
    assert rows(db_path, CLAIMS) == [] and rows(db_path, LINKS) == []
    redo(qtbot, window)
    assert assert_linked(db_path) == claim_uid   # the same claim comes back, uid and all

    # the dock lists it: one claim, stated by one article, denied by another; its spans beneath
    window.actions["claims_dock"].trigger()
    dock = window.claims.dock
    assert dock.isVisible() and window.actions["claims_dock"].isChecked()
    model = dock.model
    assert model.rowCount() == 1
    assert [model.index(0, c).data() for c in (3, 4, 5)] == [1, 1, 0]
    assert model.index(0, 0).data().endswith(REPORT)
    parent = model.index(0, 0)
    dock.tree.expand(parent)
    QApplication.processEvents()
    assert model.rowCount(parent) == 2
    assert {(model.index(r, VERDICT_COLUMN, parent).data(), model.index(r, 0, parent).data()) for r in range(2)} == \
        {("states", f"“{REPORT}”"), ("denies", f"“{DENIAL}”")}

    # and the matrix: one row, the two articles as columns, S and D in the cells
    window.actions["claim_matrix"].trigger()
    matrix = window.claims.matrix
    assert matrix is not None and matrix.isVisible()
    cells = {matrix.model.articles[c].origin: matrix.model.index(0, c).data()
             for c in range(matrix.model.columnCount())}
    assert cells == {"002_cad9066ba476337a.txt": "S", "000_2fd0f5c64ad6bf09.txt": "D"}
    # each column header is two lines, the outlet over the date, and the header is tall enough for both (QA4-2)
    header = matrix.model.headerData(0, Qt.Orientation.Horizontal)
    assert header.split("\n")[1] == "no date" and "\\" not in header
    assert matrix.table.horizontalHeader().height() >= 2 * matrix.table.fontMetrics().lineSpacing()

    # undo again: dock and matrix follow
    undo(qtbot, window)
    assert model.rowCount() == 0 and matrix.model.rowCount() == 0


def test_a_span_rejected_in_review_stops_counting_in_the_dock_and_the_matrix(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    from annotator.gui.dialogs import ReasonDialog

    tag_both(qtbot, window)
    click_text(qtbot, report_pane(window), REPORT, inside=3)
    click_text(qtbot, denial_pane(window), DENIAL, inside=3)
    press(qtbot, denial_pane(window), Qt.Key.Key_L)
    assert_linked(db_path)
    window.actions["claims_dock"].trigger()
    model = window.claims.dock.model
    window.actions["claim_matrix"].trigger()
    matrix = window.claims.matrix
    assert matrix is not None and matrix.model.columnCount() == 2

    # the reviewer rejects the denial as "not a denial"
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    queue = window.review.queue
    queue.label.setCurrentIndex(queue.label.findData("denial"))
    view = window.panes.current.view
    assert view.selected_span is not None and view.text[view.selected_span.start:view.selected_span.end] == DENIAL

    def give_reason() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        qtbot.keyClicks(dialog.reason, "a quote, not a denial")
        dialog.ok.click()

    QTimer.singleShot(0, give_reason)
    press(qtbot, window.panes.current, Qt.Key.Key_R)
    assert rows(db_path, "SELECT status FROM annotations WHERE text = 'Kremlin denied a Bloomberg report'") == \
        [("rejected",)]

    # the dock: denied by none, the rejected span shown apart; still listed under the claim, struck
    assert [model.index(0, c).data() for c in (3, 4, 5)] == [1, "0 (+1 ✗)", 0]
    assert "1 rejected span not counted" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    parent = model.index(0, 0)
    window.claims.dock.tree.expand(parent)
    QApplication.processEvents()
    struck = {model.index(r, VERDICT_COLUMN, parent).data(): model.index(r, 0, parent).data(Qt.ItemDataRole.FontRole)
              for r in range(model.rowCount(parent))}
    assert set(struck) == {"states", "denies ✗"}
    assert struck["denies ✗"].strikeOut() and struck["states"] is None
    # the matrix: the Kremlin's article says nothing of the claim any more
    cells = {matrix.model.articles[c].origin: matrix.model.index(0, c).data()
             for c in range(matrix.model.columnCount())}
    assert cells == {"002_cad9066ba476337a.txt": "S"}

    undo(qtbot, window)   # pending again: it counts again, everywhere
    assert [model.index(0, c).data() for c in (3, 4, 5)] == [1, 1, 0]
    assert matrix.model.columnCount() == 2


def test_link_with_the_keyboard_only(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from .test_keyboard import NoMouse

    tag_both(qtbot, window)
    guard = NoMouse()
    guard.seen = []
    QApplication.instance().installEventFilter(guard)
    try:
        report_index = window.panes.panes.index(report_pane(window)) + 1
        denial_index = window.panes.panes.index(denial_pane(window)) + 1
        report_pane(window).view.setFocus()
        QApplication.processEvents()
        digit = {1: Qt.Key.Key_1, 2: Qt.Key.Key_2}
        # Ctrl+N goes to a pane; Ctrl+Home and Tab select its first span
        key(qtbot, digit[report_index], Qt.KeyboardModifier.ControlModifier)
        key(qtbot, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        key(qtbot, Qt.Key.Key_Tab)
        report = report_pane(window)
        assert report.view.hasFocus()
        assert report.view.selected_span is not None and report.view.selected_span.label == "claim"
        key(qtbot, digit[denial_index], Qt.KeyboardModifier.ControlModifier)
        key(qtbot, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        key(qtbot, Qt.Key.Key_Tab)
        denial = denial_pane(window)
        assert denial.view.hasFocus() and denial.view.selected_span is not None
        assert denial.view.selected_span.label == "denial"
        key(qtbot, Qt.Key.Key_L)
        claim_uid = assert_linked(db_path)
        key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert rows(db_path, LINKS) == []
        key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert assert_linked(db_path) == claim_uid
        # the dock, from the keyboard too: Ctrl+Shift+L opens it with the keyboard in its list
        key(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        dock = window.claims.dock
        assert dock.tree.hasFocus() and dock.model.rowCount() == 1
        key(qtbot, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        matrix = window.claims.matrix
        assert matrix is not None and sorted(matrix.model.index(0, c).data() for c in range(2)) == ["D", "S"]
    finally:
        QApplication.instance().removeEventFilter(guard)
    assert guard.seen == []


def test_l_on_one_span_makes_it_the_source_and_a_third_span_joins_the_claim(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    tag_in_store(window)   # tagged earlier: nothing selected yet in this window
    report, denial = report_pane(window), denial_pane(window)
    click_text(qtbot, denial, DENIAL, inside=3)
    press(qtbot, denial, Qt.Key.Key_L)   # nothing selected before: this is the span to link from
    assert rows(db_path, CLAIMS) == []
    assert "select the other span and press L" in window.status.link_label.toolTip()
    click_text(qtbot, report, REPORT, inside=3)
    press(qtbot, report, Qt.Key.Key_L)
    [(claim_uid, summary, _claimant)] = rows(db_path, CLAIMS)
    assert summary == DENIAL   # the claim is made from the first span
    # a third span joins the same claim: it is linked from the last one selected
    find(report, "Ankara also wants to get back the money")
    press(qtbot, report, Qt.Key.Key_1)
    press(qtbot, report, Qt.Key.Key_L)
    assert [r[1:] for r in rows(db_path, LINKS)] == [("denies", claim_uid), ("states", claim_uid),
                                                    ("states", claim_uid)]


def test_a_source_in_two_claims_needs_the_claim_chosen_in_the_dock(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    tag_both(qtbot, window)
    store = window.session.store
    report_uid = report_pane(window).view.spans.in_range(0, 10_000)[0].uid
    first = store.create_claim_from_span(report_uid, actor="ana").claim_uid
    second = store.create_claim("Ankara wants its money back", actor="ana").claim_uid
    store.link_spans([report_uid], actor="ana", claim_uid=second)
    window.refresh()
    report, denial = report_pane(window), denial_pane(window)
    click_text(qtbot, report, REPORT, inside=3)
    click_text(qtbot, denial, DENIAL, inside=3)
    press(qtbot, denial, Qt.Key.Key_L)
    assert "is in 2 claims" in window.status.currentMessage()
    assert len(rows(db_path, LINKS)) == 2
    window.actions["claims_dock"].trigger()
    window.claims.dock.select_claim(second, user=True)
    click_text(qtbot, denial, DENIAL, inside=3)
    press(qtbot, denial, Qt.Key.Key_L)
    assert [r[1:] for r in rows(db_path, LINKS)][-1] == ("denies", second)
    assert first != second


# ------------------------------------------------------------------ badges


def _badges(pane: ArticlePane) -> list[tuple[int, str]]:
    # Badges are placed as they are painted, and Qt paints only what is on screen: in a window
    # too narrow for every pane, bring this one into view first.
    window = pane.window()
    assert isinstance(window, MainWindow)
    window.panes.scroller.ensureWidgetVisible(pane, 0, 0)
    gutter = pane.view.claim_gutter
    gutter.repaint()
    return [(mark.number, mark.role) for _rect, mark in gutter.placed]


def test_linked_spans_show_a_numbered_badge_with_the_claim_on_hover(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                    db_path: Path) -> None:
    tag_both(qtbot, window)
    report, denial = report_pane(window), denial_pane(window)
    assert not report.view.claim_gutter.isVisible() and report.view.viewportMargins().left() == 0
    click_text(qtbot, report, REPORT, inside=3)
    click_text(qtbot, denial, DENIAL, inside=3)
    press(qtbot, denial, Qt.Key.Key_L)
    number = window.session.store.claims()[0].id
    assert report.view.claim_gutter.isVisible() and report.view.viewportMargins().left() > 0
    assert _badges(report) == [(number, "states")]
    assert _badges(denial) == [(number, "denies")]
    # hovering the badge names the claim and the role; hovering the span's text does too
    gutter = denial.view.claim_gutter
    rect = gutter.placed[0][0]
    gutter.event(QHelpEvent(QEvent.Type.ToolTip, rect.center().toPoint(), gutter.mapToGlobal(rect.center().toPoint())))
    assert f"Claim #{number}" in QToolTip.text() and "denies it" in QToolTip.text()
    row = denial.view.selected_span
    assert row is not None
    assert f"Claim #{number}</b>: denies it" in denial.view.claim_gutter.describe(row.uid, row.start, row.end)
    # a span scrolled out of view has no badge drawn (only the visible stretch is asked for)
    denial.view.verticalScrollBar().setValue(denial.view.verticalScrollBar().maximum())
    QApplication.processEvents()
    lo, _hi = denial.view.visible_range()
    if lo > len(DENIAL):
        assert _badges(denial) == []
    undo(qtbot, window)
    assert not report.view.claim_gutter.isVisible()


# -------------------------------------------------------------- the dock


def _linked_window(qtbot, window: MainWindow) -> str:  # type: ignore[no-untyped-def]
    tag_both(qtbot, window)
    click_text(qtbot, report_pane(window), REPORT, inside=3)
    click_text(qtbot, denial_pane(window), DENIAL, inside=3)
    press(qtbot, denial_pane(window), Qt.Key.Key_L)
    window.actions["claims_dock"].trigger()
    [(uid, _s, _c)] = rows(db_of(window), CLAIMS)
    return uid


def test_choosing_a_claim_outlines_its_spans_in_every_pane(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    uid = _linked_window(qtbot, window)
    dock = window.claims.dock
    report, denial = report_pane(window), denial_pane(window)
    report.view.verticalScrollBar().setValue(report.view.verticalScrollBar().maximum())
    dock.tree.setCurrentIndex(dock.model.index(0, 0))
    QApplication.processEvents()
    text = report.view.text
    assert report.view.claim_gutter.outline is not None
    assert report.view.claim_gutter.outline[2] == [(text.index(REPORT), text.index(REPORT) + len(REPORT))]
    assert denial.view.claim_gutter.outline is not None and denial.view.claim_gutter.outline[0] == uid
    lo, hi = report.view.visible_range()
    assert lo <= text.index(REPORT) < hi   # scrolled to it
    # drawn unlike a suggestion's dashed box (QA4-4): an unbroken double line, as the label bar's legend says
    continuous, lines = _outline_edges(report, text.index(REPORT), text.index(REPORT) + len(REPORT))
    assert continuous >= 0.98 and lines == 2
    legend = window.label_bar.findChild(QLabel, "labelBarLegend")
    assert "═ chosen claim" in legend.text() and "a double box a span of the claim chosen" in legend.toolTip()
    # a span the pane does not show (its annotator hidden, or the other side of a comparison) is not outlined
    window.show_annotator("ana", False)
    QApplication.processEvents()
    assert _outline_edges(report, text.index(REPORT), text.index(REPORT) + len(REPORT)) == (0.0, 0)


def _outline_edges(pane: ArticlePane, start: int, end: int) -> tuple[float, int]:
    """How much of the top edge of a claim's outline over ``[start, end)`` is inked (a dashed line leaves gaps),
    and how many lines cross it above the span's middle (a double line: two)."""
    view = pane.view
    QApplication.processEvents()   # a scroll still queued would move the text between measuring and looking
    rect = view._range_rects(start, end)[0]
    image = view.viewport().grab().toImage()
    assert view._range_rects(start, end)[0] == rect
    assert view.claim_gutter.outline is not None
    ink = theme.current().ink(view.claim_gutter.outline[1], 100)

    def inked(x: int, y: int) -> bool:
        c = QColor(image.pixel(x, y))
        return abs(c.red() - ink.red()) + abs(c.green() - ink.green()) + abs(c.blue() - ink.blue()) < 120

    top = round(rect.top() - 2.5)
    along = [any(inked(x, y) for y in (top - 1, top, top + 1)) for x in range(int(rect.left()) + 6,
                                                                                 int(rect.right()) - 6)]
    down = [inked(int(rect.center().x()), y) for y in range(int(rect.top()) - 7, int(rect.top()) + 2)]
    crossings = sum(1 for above, here in zip([False, *down], down, strict=False) if here and not above)
    return sum(along) / len(along), crossings


def test_edit_in_place_and_with_the_dialog_each_undoable(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    uid = _linked_window(qtbot, window)
    dock = window.claims.dock
    model = dock.model
    assert model.setData(model.index(0, 0), "Türkiye asked Russia to take back the S-400s")
    assert model.setData(model.index(0, VERDICT_COLUMN), "mostly false")
    summary_verdict = ("SELECT c.summary, r.name, c.explanation, c.claimant, c.claim_date FROM claims c"
                       " LEFT JOIN ratings r ON r.id = c.rating_id")
    assert rows(db_path, summary_verdict) == [("Türkiye asked Russia to take back the S-400s", "mostly false", "",
                                               "", None)]
    assert model.index(0, VERDICT_COLUMN).data() == "mostly false"

    def fill(claim):  # type: ignore[no-untyped-def]
        from annotator.gui.claim_dialogs import ClaimDialog

        dialog = ClaimDialog(claim, window.session.store.ratings(), dock)
        dialog.claimant.setText("Bloomberg, citing sources")
        dialog.claim_date.setText("2025-12-15")
        dialog.verdict.setCurrentIndex(dialog.verdict.findData("unproven"))
        dialog.explanation.setPlainText("Only anonymous sources; both governments deny it.")
        return dialog

    dock.edit_dialog = fill
    dock.select_claim(uid, user=True)
    dock.actions_by_id["edit"].trigger()
    assert rows(db_path, summary_verdict) == [("Türkiye asked Russia to take back the S-400s", "unproven",
                                               "Only anonymous sources; both governments deny it.",
                                               "Bloomberg, citing sources", "2025-12-15")]
    events = rows(db_path, "SELECT action FROM events WHERE entity = 'claim' ORDER BY id")
    assert events == [("create",), ("edit",), ("verdict",), ("edit",), ("verdict",)]   # the dialog: one transaction
    undo(qtbot, window)   # the whole dialog at once
    assert rows(db_path, summary_verdict) == [("Türkiye asked Russia to take back the S-400s", "mostly false", "",
                                               "", None)]
    undo(qtbot, window)
    undo(qtbot, window)
    assert rows(db_path, summary_verdict) == [(REPORT, None, "", "", None)]
    assert model.index(0, 0).data().endswith(REPORT) and model.index(0, VERDICT_COLUMN).data() == "—"
    # a bad date is refused in the dialog, which says why and stays open
    from annotator.gui.claim_dialogs import ClaimDialog

    dialog = ClaimDialog(window.session.store.claim(uid), [], dock)
    dialog.claim_date.setText("15/12/2025")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.error.isHidden() and "ISO 8601" in dialog.error.text() and dialog.result() == 0


def test_role_split_merge_and_delete_each_one_undoable_step(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    uid = _linked_window(qtbot, window)
    store = window.session.store
    dock = window.claims.dock
    model = dock.model
    parent = model.index(0, 0)
    dock.tree.expand(parent)
    QApplication.processEvents()
    denial_row = next(r for r in range(model.rowCount(parent))
                      if model.index(r, VERDICT_COLUMN, parent).data() == "denies")
    # change a link's role in place
    assert model.setData(model.index(denial_row, VERDICT_COLUMN, parent), "context")
    assert ("context", uid) in [r[1:] for r in rows(db_path, LINKS)]
    undo(qtbot, window)
    assert ("denies", uid) in [r[1:] for r in rows(db_path, LINKS)]

    # split the denial out: a claim of its own, same role
    dock.tree.setCurrentIndex(model.index(denial_row, 0, parent))
    dock.actions_by_id["split"].trigger()
    claims = rows(db_path, CLAIMS)
    assert len(claims) == 2 and claims[1][1] == DENIAL
    assert rows(db_path, LINKS)[-1] == (DENIAL, "denies", claims[1][0])
    assert model.rowCount() == 2
    # merge it back into the first claim
    dock.select_claim(uid, user=True)
    dock.choose_merge = lambda keep: claims[1][0]
    dock.actions_by_id["merge"].trigger()
    assert [c[0] for c in rows(db_path, CLAIMS)] == [uid]
    assert sorted(r[1:] for r in rows(db_path, LINKS)) == [("denies", uid), ("states", uid)]
    assert model.rowCount() == 1
    undo(qtbot, window)   # the merge
    assert len(rows(db_path, CLAIMS)) == 2 and model.rowCount() == 2
    undo(qtbot, window)   # the split
    assert len(rows(db_path, CLAIMS)) == 1 and sorted(r[1:] for r in rows(db_path, LINKS)) == \
        [("denies", uid), ("states", uid)]
    # delete asks first; the spans stay
    dock.select_claim(uid, user=True)
    dock.confirm = lambda _question: False
    dock.actions_by_id["delete"].trigger()
    assert len(rows(db_path, CLAIMS)) == 1
    dock.confirm = lambda _question: True
    dock.actions_by_id["delete"].trigger()
    assert rows(db_path, CLAIMS) == [] and rows(db_path, LINKS) == [] and len(rows(db_path)) == 2
    assert model.rowCount() == 0
    undo(qtbot, window)
    assert len(rows(db_path, LINKS)) == 2 and model.rowCount() == 1
    assert store.claim(uid).summary == REPORT
    # every step is in the audit log, and it verifies
    from annotator.core.audit import verify

    assert verify(store).ok


def test_double_clicking_a_span_shows_it_in_a_pane(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    _linked_window(qtbot, window)
    dock = window.claims.dock
    model = dock.model
    parent = model.index(0, 0)
    dock.tree.expand(parent)
    # the report's pane shows another article now
    report = report_pane(window)
    window.open_article(5, report)
    QApplication.processEvents()
    row = next(r for r in range(model.rowCount(parent)) if model.index(r, VERDICT_COLUMN, parent).data() == "states")
    index = model.index(row, 0, parent)
    dock.tree.scrollTo(index)
    rect = dock.tree.visualRect(index)
    # as a mouse does: a press and release, then the double-click (Qt's item views need both)
    qtbot.mouseClick(dock.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dock.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QApplication.processEvents()
    shown = window.panes.current
    assert shown is not None and shown.article is not None and shown.article.origin == "002_cad9066ba476337a.txt"
    assert shown.view.selected_span is not None and shown.view.selected_span.label == "claim"


def test_the_filter_narrows_the_list_and_the_models_pass_the_model_tester(qtbot, qtmodeltester,  # type: ignore[no-untyped-def]
                                                                          window: MainWindow) -> None:
    _linked_window(qtbot, window)
    store = window.session.store
    for text in ("Kremlin denies the report", "Sanctions lifted", "F-35 return"):
        store.create_claim(text, actor="ana")
    window.refresh()
    dock = window.claims.dock
    dock.reload()
    assert dock.model.rowCount() == 4
    dock.filter.setText("KREMLIN")
    dock.apply_filter()
    assert dock.model.rowCount() == 1 and dock.count.text() == "1 of 4"
    dock.filter.setText("")
    dock.apply_filter()
    dock.model.sort(3, Qt.SortOrder.DescendingOrder)
    assert dock.model.index(0, 3).data() == 1   # the claim stated by one article first
    dock.tree.expand(dock.model.index(0, 0))
    # (checked after the sort: Qt's tester, still connected, would fetch spans while a reset is in flight)
    qtmodeltester.check(dock.model)
    matrix = window.claims.show_matrix()
    qtmodeltester.check(matrix.model)


def test_a_change_moves_only_the_rows_it_touched(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _linked_window(qtbot, window)
    dock = window.claims.dock
    model = dock.model
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last))
                               if not parent.isValid() else None)
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last, _roles: changed.append(first.row())
                              if not first.parent().isValid() else None)
    from annotator.gui import claim_ops

    store = window.session.store
    new = claim_ops.run(window.session, "New claim", lambda: store.create_claim("Ankara wants its money back",
                                                                                 actor="ana"))
    assert new is not None and inserted == [(1, 1)] and resets == []
    assert model.rowCount() == 2 and model.index(1, 0).data().endswith("Ankara wants its money back")
    # a role changed: that claim's row is read again, nothing else moves
    first = store.claims()[0].uid
    denial_uid = next(k.span_uid for k in store.links_of_claim(first) if k.role == "denies")
    changed.clear()
    claim_ops.set_role(window.session, denial_uid, first, "supports")
    assert changed == [0] and resets == [] and inserted == [(1, 1)]
    assert [model.index(0, c).data() for c in (3, 4, 5)] == [1, 0, 1]
    undo(qtbot, window)
    assert [model.index(0, c).data() for c in (3, 4, 5)] == [1, 1, 0]
    undo(qtbot, window)   # the new claim goes: its row only
    assert model.rowCount() == 1 and resets == []


# ----------------------------------------------------------- suggestions


def test_suggestions_for_the_s400_claim_accept_and_reject(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    uid = _linked_window(qtbot, window)
    dock = window.claims.dock
    panel = dock.suggestions
    with qtbot.waitSignal(panel.list.model().rowsInserted, timeout=20_000, raising=False):
        dock.select_claim(uid, user=True)
    qtbot.waitUntil(lambda: len(panel.suggestions) > 0 or "No sentence" in panel.status.text(), timeout=20_000)
    origins = {a.id: a.origin for a in window.session.store.articles()}
    found = [(origins[s.article_id], s.text) for s in panel.suggestions]
    outlets = {o[:3] for o, _t in found[:10]}
    # 002's headline and 003's report, the denials of 001 and 000 (beyond the sentences already linked)
    assert {"000", "001", "002", "003"} <= outlets, found
    assert any("Bloomberg" in t and o.startswith("003") for o, t in found), found
    assert any(o.startswith("001") and "Kremlin" in t for o, t in found), found

    # choosing one shows it selected in a pane; Reject remembers it
    first = panel.suggestions[0]
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    shown = window.panes.pane_showing(first.article_id)
    assert shown is not None and shown.view.selection() == (first.start, first.end)
    panel.reject_button.click()
    qtbot.waitUntil(lambda: panel.job is None or not panel.job.running, timeout=20_000)
    assert rows(db_path, 'SELECT claim_uid, article_id, start, "end" FROM claim_rejections') == \
        [(uid, first.article_id, first.start, first.end)]
    assert first not in panel.suggestions

    # Accept tags the sentence and links it in one step, with the role offered
    pick = next(s for s in panel.suggestions if s.article_id == first.article_id or True)
    row = panel.suggestions.index(pick)
    panel.list.setCurrentItem(panel.list.topLevelItem(row))
    panel.role.setCurrentIndex(panel.role.findData("denies"))
    spans_before = len(rows(db_path))
    panel.accept_button.click()
    qtbot.waitUntil(lambda: panel.job is None or not panel.job.running, timeout=20_000)
    assert len(rows(db_path)) == spans_before + 1
    made = rows(db_path, 'SELECT n.article_id, n.start, n."end", l.name, k.role, k.claim_uid FROM links k'
                         " JOIN annotations n ON n.uid = k.span_uid JOIN labels l ON l.id = n.label_id"
                         " ORDER BY k.id")[-1]
    assert made == (pick.article_id, pick.start, pick.end, "denial", "denies", uid)
    undo(qtbot, window)   # span and link go together
    assert len(rows(db_path)) == spans_before and len(rows(db_path, LINKS)) == 2
    undo(qtbot, window)   # the rejection
    assert rows(db_path, "SELECT count(*) FROM claim_rejections") == [(0,)]
    qtbot.waitUntil(lambda: panel.job is None or not panel.job.running, timeout=20_000)


def test_accept_takes_the_selection_the_user_adjusted(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    uid = _linked_window(qtbot, window)
    dock = window.claims.dock
    panel = dock.suggestions
    dock.select_claim(uid, user=True)
    qtbot.waitUntil(lambda: len(panel.suggestions) > 0, timeout=20_000)
    pick = panel.suggestions[0]
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    pane = window.panes.pane_showing(pick.article_id)
    assert pane is not None
    # the user narrows the selection to the sentence's first words (ending mid-word: it snaps, as tagging does)
    words = pick.text.split()[:3]
    narrowed = pane.view.text.index(" ".join(words), pick.start)
    pane.view.select_range(narrowed, narrowed + len(" ".join(words)) - 1)
    panel.accept_button.click()
    qtbot.waitUntil(lambda: panel.job is None or not panel.job.running, timeout=20_000)
    made = rows(db_path, 'SELECT n.start, n."end", n.text FROM links k JOIN annotations n ON n.uid = k.span_uid'
                         " ORDER BY k.id")[-1]
    assert made == (narrowed, narrowed + len(" ".join(words)), " ".join(words))


# -------------------------------------------------------- article details


def test_edit_an_articles_details_from_its_pane_undoably(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.claim_dialogs import ArticleDetailsDialog

    report = report_pane(window)
    qtbot.mouseClick(report.details_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ArticleDetailsDialog, "articleDetails")
    assert dialog is not None and dialog.isVisible()
    dialog.source.setText("Kyiv Independent")
    dialog.url.setText("not a url")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and "http" in dialog.error.text()   # refused in the dialog
    dialog.url.setText("https://kyivindependent.com/turkiye-s400")
    dialog.published.setText("2025-12-15")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    details = "SELECT source, url, published FROM articles WHERE origin = '002_cad9066ba476337a.txt'"
    assert rows(db_path, details) == [("Kyiv Independent", "https://kyivindependent.com/turkiye-s400", "2025-12-15")]
    assert "Kyiv Independent" in report.subtitle.text()
    assert rows(db_path, "SELECT entity, action FROM events ORDER BY id DESC LIMIT 1") == [("article", "edit")]
    undo(qtbot, window)
    assert rows(db_path, details) == [(None, None, None)]
    assert "Kyiv Independent" not in report.subtitle.text()
    redo(qtbot, window)
    assert rows(db_path, details)[0][0] == "Kyiv Independent"


def test_article_details_from_the_list_and_the_menu(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMenu

    from annotator.gui.claim_dialogs import ArticleDetailsDialog

    view = window.article_list.table
    window.article_list.select_article(4)
    rect = view.visualRect(view.selectionModel().selectedRows()[0])
    view.customContextMenuRequested.emit(rect.center())
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    next(a for a in menu.actions() if a.text() == "Article &Details…").trigger()
    menu.close()
    dialog = window.findChild(ArticleDetailsDialog, "articleDetails")
    assert dialog is not None and dialog.article.id == 4
    dialog.title.setText("Turkey mends relations")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert rows(db_path, "SELECT title FROM articles WHERE id = 4") == [("Turkey mends relations",)]
    assert window.actions["article_details"].isEnabled()
    assert any(a.objectName() == "article_details" for a in window.menus["Edit"].actions())


def test_the_right_click_menu_links_and_shows_the_claim(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.span_menu import span_menu

    tag_in_store(window)
    report, denial = report_pane(window), denial_pane(window)
    click_text(qtbot, report, REPORT, inside=3)
    click_text(qtbot, denial, DENIAL, inside=3)

    def menu_of(pane: ArticlePane):  # type: ignore[no-untyped-def]
        return span_menu(window, pane, pane.view.spans_at_offset(pane.view.selected_span.start),
                         styles=window.styles, label_actions=window.label_actions, actions=window.actions,
                         select=window._select_from_menu, relabel=window.tagging.tag,
                         show_claim=window.claims.reveal_claim)

    link = next(a for a in menu_of(denial).actions() if a.objectName() == "link_spans")
    link.trigger()
    claim_uid = assert_linked(db_path)
    show = next(a for a in menu_of(denial).actions() if a.text().startswith("Show Claim #"))
    show.trigger()
    assert window.claims.dock.isVisible() and window.claims.dock.current_claim() == claim_uid


def test_matrix_exports_csv_with_formulas_neutralised_and_a_cell_shows_its_span(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path, tmp_path: Path) -> None:
    import csv

    uid = _linked_window(qtbot, window)
    dock = window.claims.dock
    assert dock.model.setData(dock.model.index(0, 0), "=HYPERLINK(\"http://evil\")")
    matrix = window.claims.show_matrix()
    out = tmp_path / "matrix.csv"
    with qtbot.waitSignal(matrix.export_to(out).finished, timeout=20_000):
        pass
    with out.open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    assert table[0][:3] == ["claim", "summary", "verdict"] and len(table) == 2
    assert table[1][0] == uid and table[1][1] == "'=HYPERLINK(\"http://evil\")"
    assert sorted(table[1][3:]) == ["denies", "states"]
    # double-clicking a cell shows that article's span of the claim
    report = report_pane(window)
    window.open_article(5, report)
    column = next(c for c in range(matrix.model.columnCount())
                  if matrix.model.articles[c].origin == "002_cad9066ba476337a.txt")
    matrix.table.doubleClicked.emit(matrix.model.index(0, column))
    shown = window.panes.pane_showing(matrix.model.articles[column].id)
    assert shown is not None and shown.view.selected_span is not None
    assert shown.view.text[shown.view.selected_span.start:shown.view.selected_span.end] == REPORT


def test_deleting_a_linked_span_updates_badges_and_dock_and_undo_brings_both(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    _linked_window(qtbot, window)
    dock = window.claims.dock
    denial = denial_pane(window)
    click_text(qtbot, denial, DENIAL, inside=3)
    press(qtbot, denial, Qt.Key.Key_Delete)
    assert len(rows(db_path, LINKS)) == 1
    assert not denial.view.claim_gutter.isVisible()
    # no row was selected in the dock: no claim became chosen by the delete (QA4-4)
    assert not dock.tree.selectionModel().hasSelection() and dock.current_claim() is None
    assert not dock.actions_by_id["edit"].isEnabled()
    assert [p.view.claim_gutter.outline for p in window.panes.panes] == [None, None]
    assert [dock.model.index(0, c).data() for c in (3, 4)] == [1, 0]
    undo(qtbot, window)
    assert len(rows(db_path, LINKS)) == 2
    assert denial.view.claim_gutter.isVisible() and [m[1] for m in _badges(denial)] == ["denies"]
    assert [dock.model.index(0, c).data() for c in (3, 4)] == [1, 1]


def test_the_claims_dock_comes_back_after_a_restart(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = make_window(db_path)
    first.actions["claims_dock"].trigger()
    assert first.claims.dock.isVisible()
    first.close()
    second = make_window(db_path)
    assert second._claims is not None and second.claims.dock.isVisible()
    assert second.actions["claims_dock"].isChecked()


def test_export_dialog_counts_claims_for_the_claims_formats(qtbot, window: MainWindow, db_path: Path,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    from annotator.gui.export_dialog import ExportDialog

    uid = _linked_window(qtbot, window)
    window.session.store.create_claim("Nobody says this", actor="ana")
    dialog = ExportDialog(window.session.store, window.panes.open_article_ids(), tmp_path, window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("claims"))
    assert "<b>2</b> lines, one per claim and linked span, for <b>1</b> claim." in dialog.count.text()
    assert dialog.export_button.isEnabled() and not dialog.all_articles.isEnabled()
    next(c for c in dialog.label_checks if c.text() == "claim").click()   # denials only
    assert "<b>1</b> line, one per claim and linked span, for <b>1</b> claim." in dialog.count.text()
    dialog.format.setCurrentIndex(dialog.format.findData("claimreview"))
    assert "up to <b>0</b> ClaimReviews" in dialog.count.text() and not dialog.export_button.isEnabled()
    window.session.store.set_verdict(uid, "false", actor="ana")
    dialog.update_count()
    assert "up to <b>1</b> ClaimReview:" in dialog.count.text() and dialog.export_button.isEnabled()
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    assert dialog.all_articles.isEnabled() and "article" in dialog.count.text()


def test_export_dialog_greys_out_what_the_format_ignores(qtbot, window: MainWindow, db_path: Path,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    """QA4-17: from the registry's capabilities, not a list of names in the dialog."""
    from annotator.core import formats
    from annotator.gui.export_dialog import ExportDialog

    _linked_window(qtbot, window)
    lonely = window.session.store.create_claim("Nobody says this", actor="ana").claim_uid
    window.session.store.set_verdict(lonely, "false", actor="ana")
    dialog = ExportDialog(window.session.store, window.panes.open_article_ids(), tmp_path, window)
    qtbot.addWidget(dialog)
    for fmt in formats.export_formats():
        dialog.format.setCurrentIndex(dialog.format.findData(fmt.name))
        assert dialog.all_articles.isEnabled() == fmt.keeps_empty_articles, fmt.name
        assert bool(dialog.all_articles.toolTip()) != fmt.keeps_empty_articles, fmt.name
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert not dialog.all_articles.isEnabled() and "one row per span" in dialog.all_articles.toolTip()
    # ClaimReview: the span filters choose the claims, and with every box ticked none is left out (the
    # judged claim with no span included); narrowed, the count line says what they choose
    dialog.format.setCurrentIndex(dialog.format.findData("claimreview"))
    assert "up to <b>1</b> ClaimReview: the claims with a verdict (" in dialog.count.text()
    next(c for c in dialog.label_checks if c.text() == "claim").click()
    assert "up to <b>0</b> ClaimReviews: the claims with a verdict linked to a span these filters match" in \
        dialog.count.text()


def test_export_warnings_are_shown_whole_in_a_report(qtbot, window: MainWindow, db_path: Path,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    """QA4-18: a warning flashed in the status bar was cut short and replaced by the next message."""
    from PySide6.QtWidgets import QPlainTextEdit

    from annotator.gui.export_dialog import ExportDialog, ExportReportDialog

    _linked_window(qtbot, window)
    target = tmp_path / "spans.csv"
    window.files.settings.remember_folder("export", tmp_path)

    def export_csv() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog) and w.isVisible())
        dialog.format.setCurrentIndex(dialog.format.findData("csv"))
        dialog.path.setText(str(target))
        dialog.export_button.click()

    QTimer.singleShot(0, export_csv)
    window.actions["export"].trigger()
    qtbot.waitUntil(lambda: window.files.export_report is not None and window.files.export_report.isVisible(),
                    timeout=10_000)
    report = window.files.export_report
    assert isinstance(report, ExportReportDialog)
    text = report.findChild(QPlainTextEdit, "exportWarnings").toPlainText()
    assert "the csv format cannot carry claims: 2 links of the spans written to claims left out" in text
    assert text.endswith(")")   # whole, not cut
    assert report.findChild(QLabel, "exportSummary").text() == f"Wrote 5 articles, 2 spans to {target}."
    assert window.statusBar().currentMessage() == f"Wrote 5 articles, 2 spans to {target}. 1 warning: see the report."
    report.close()


def test_the_merge_report_lists_claim_conflicts(qtbot, make_window, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from PySide6.QtWidgets import QPlainTextEdit

    from annotator.core.store import Store
    from annotator.gui.review_dialogs import MergeReportDialog

    with Store.open(db_path) as store:
        text = store.article_text(1)
        span = store.add_annotation(1, 0, len(DENIAL), "denial", annotator="ana")
        claim = store.create_claim_from_span(span.uid, actor="ana").claim_uid
    other = tmp_path / "colleague.db"
    shutil.copy(db_path, other)
    with Store.open(other) as store:
        store.set_verdict(claim, "false", "Both governments deny it.", actor="bo")
    window = make_window(db_path, annotator="rita")
    window.session.store.set_verdict(claim, "unproven", actor="rita")
    job = window.review.merge(other)
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    assert job.error is None and text.startswith(DENIAL)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MergeReportDialog) and w.isVisible())
    listed = dialog.findChild(QPlainTextEdit, "mergeClaimConflicts")
    assert listed is not None and claim in listed.toPlainText() and "verdict" in listed.toPlainText()
    dialog.close()


def test_tab_in_a_panes_find_field_moves_on_and_the_help_lists_the_claim_keys(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    tag_in_store(window)
    pane = report_pane(window)
    window.panes.set_current(pane)
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.find_bar.field.hasFocus()
    qtbot.keyClick(pane.find_bar.field, Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert not pane.find_bar.field.hasFocus() and pane.view.selected_uid is None
    help_rows = {(what, keys) for _menu, what, keys in window.actions.shortcut_rows([])}
    assert ("Link to the Claim of the Span Selected Before (in a pane)", "L") in help_rows
    assert ("Select Next Span or Suggestion (in a pane)", "Tab") in help_rows
    assert ("Claims", "Ctrl+Shift+L") in help_rows


def test_f2_on_the_verdict_offers_the_rating_scale(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox

    _linked_window(qtbot, window)
    dock = window.claims.dock
    index = dock.model.index(0, VERDICT_COLUMN)
    dock.tree.setFocus()
    dock.tree.setCurrentIndex(index)
    qtbot.keyClick(dock.tree, Qt.Key.Key_F2)
    editor = dock.tree.findChild(QComboBox, "claimChoice")
    assert editor is not None
    assert [editor.itemText(i) for i in range(editor.count())][1:] == [r.name for r in window.session.store.ratings()]
    editor.setCurrentIndex(editor.findData("false"))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert rows(db_path, "SELECT r.name FROM claims c JOIN ratings r ON r.id = c.rating_id") == [("false",)]
    assert dock.model.index(0, VERDICT_COLUMN).data() == "false"


def test_deleting_an_article_takes_its_links_out_of_the_dock_and_undo_brings_them(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    _linked_window(qtbot, window)
    dock = window.claims.dock
    matrix = window.claims.show_matrix()
    denial = denial_pane(window)
    assert denial.article is not None
    window.session.delete_article(denial.article.id)
    assert len(rows(db_path, LINKS)) == 1
    assert [dock.model.index(0, c).data() for c in (3, 4)] == [1, 0]
    assert matrix.model.columnCount() == 1
    undo(qtbot, window)
    assert len(rows(db_path, LINKS)) == 2
    assert [dock.model.index(0, c).data() for c in (3, 4)] == [1, 1]
    assert matrix.model.columnCount() == 2


def test_relabelling_a_linked_denial_moves_its_role_and_ctrl_z_puts_it_back(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    """A denial relabelled as a claim no longer denies its claim: it states it; undo and redo follow."""
    tag_both(qtbot, window)
    report, denial = report_pane(window), denial_pane(window)
    click_text(qtbot, report, REPORT, inside=3)
    click_text(qtbot, denial, DENIAL, inside=3)
    press(qtbot, denial, Qt.Key.Key_L)
    claim_uid = assert_linked(db_path)
    click_text(qtbot, denial, DENIAL, inside=3)
    press(qtbot, denial, Qt.Key.Key_1)                       # relabel the selected span: claim
    assert rows(db_path, LINKS) == [(REPORT, "states", claim_uid), (DENIAL, "states", claim_uid)]
    # the status bar says the role moved too, not only the label (QA4-11)
    number = rows(db_path, f"SELECT id FROM claims WHERE uid = '{claim_uid}'")[0][0]
    assert window.statusBar().currentMessage() == \
        f"Relabelled as claim; its role in claim #{number} is now states (was denies)."
    press(qtbot, denial, Qt.Key.Key_1)                       # the same label again: nothing moves, nothing said
    press(qtbot, denial, Qt.Key.Key_3)                       # background: context
    assert window.statusBar().currentMessage() == \
        f"Relabelled as background; its role in claim #{number} is now context (was states)."
    undo(qtbot, window)
    assert rows(db_path, LINKS) == [(REPORT, "states", claim_uid), (DENIAL, "states", claim_uid)]
    undo(qtbot, window)
    assert rows(db_path, LINKS) == [(REPORT, "states", claim_uid), (DENIAL, "denies", claim_uid)]
    redo(qtbot, window)
    assert rows(db_path, LINKS) == [(REPORT, "states", claim_uid), (DENIAL, "states", claim_uid)]


def test_marks_of_an_article_go_or_follow_when_its_pane_shows_another(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                     db_path: Path) -> None:
    """QA: outlines and the L source stayed on a pane after it showed another article."""
    uid = _linked_window(qtbot, window)
    dock = window.claims.dock
    report, denial = report_pane(window), denial_pane(window)
    dock.select_claim(uid, user=True)
    QApplication.processEvents()
    assert report.view.claim_gutter.outline is not None
    report_id = report.article.id
    # select the report's span: L's source is then named in the status bar
    click_text(qtbot, report, REPORT, inside=3)
    click_text(qtbot, denial, DENIAL, inside=3)
    assert window.status.link_label.isVisibleTo(window) and "Türkiye plans" in window.status.link_label.toolTip()
    # the report's pane now shows an article with no span of the claim: its outline and selection go,
    # and L's source, on no pane any more, goes too
    store = window.session.store
    other = next(a.id for a in store.first_articles(8) if a.id not in (report_id, denial.article.id))
    window.open_article(other, report)
    QApplication.processEvents()
    assert report.view.claim_gutter.outline is None and report.view.selected_uid is None
    assert "Türkiye plans" not in window.status.link_label.toolTip()
    # back to the report: the chosen claim's outline follows it
    window.open_article(report_id, report)
    QApplication.processEvents()
    outline = report.view.claim_gutter.outline
    text = report.view.text
    assert outline is not None and outline[0] == uid
    assert outline[2] == [(text.index(REPORT), text.index(REPORT) + len(REPORT))]
    # another database: no claim of the old one stays chosen or outlined
    empty = db_path.parent / "empty.db"
    from annotator.core.store import Store

    with Store.open(empty) as other_store:
        other_store.add_article("Nothing linked here.", title="Elsewhere", actor="t")
    assert window.switch_database(empty)
    QApplication.processEvents()
    assert all(p.view.claim_gutter.outline is None for p in window.panes.panes)
    assert window.claims.chosen is None and not window.status.link_label.isVisibleTo(window)


def test_the_link_source_names_the_articles_source_as_it_is_now(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                db_path: Path) -> None:
    """QA: "Linking from" kept naming 000_….txt after the article's source was edited."""
    from annotator.gui.claim_dialogs import ArticleDetailsDialog

    tag_both(qtbot, window)
    report, denial = report_pane(window), denial_pane(window)
    click_text(qtbot, report, REPORT, inside=3)
    click_text(qtbot, denial, DENIAL, inside=3)
    assert "002_cad9066ba476337a.txt" in window.status.link_label.toolTip()
    qtbot.mouseClick(report.details_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ArticleDetailsDialog, "articleDetails")
    dialog.source.setText("Kyiv Independent")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    QApplication.processEvents()
    tip = window.status.link_label.toolTip()
    assert "Kyiv Independent" in tip and "002_cad9066ba476337a.txt" not in tip
    undo(qtbot, window)
    assert "002_cad9066ba476337a.txt" in window.status.link_label.toolTip()


def test_a_merge_undone_gives_the_claim_back_its_number_and_colour(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QA: merging claim #1 into #2, then Ctrl+Z, brought #1 back as #3 in another colour, after a restart too."""
    from annotator.core.store import Store

    with Store.open(db_path) as store:   # two claims, each made from one span
        for origin, needle, label in (("002_cad9066ba476337a.txt", REPORT, "claim"),
                                      ("000_2fd0f5c64ad6bf09.txt", DENIAL, "denial")):
            article = next(a for a in store.articles() if a.origin == origin)
            start = store.article_text(article.id).index(needle)
            span = store.add_annotation(article.id, start, start + len(needle), label, annotator="ana")
            store.create_claim_from_span(span.uid, actor="ana")
    [(first, _s1, _c1), (second, _s2, _c2)] = rows(db_path, CLAIMS)
    window = make_window(db_path)
    window.actions["claims_dock"].trigger()
    dock = window.claims.dock

    def shown(model) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
        """Each claim's number and its colour, as the dock shows them."""
        return sorted((model.index(r, 0).data().split()[0],
                       model.index(r, 0).data(Qt.ItemDataRole.DecorationRole).pixmap(8, 8).toImage()
                       .pixelColor(4, 4).name()) for r in range(model.rowCount()))

    before = shown(dock.model)
    assert [n for n, _c in before] == ["#1", "#2"] and before[0][1] != before[1][1]
    dock.select_claim(second, user=True)
    dock.choose_merge = lambda keep: first     # #1 goes into #2
    dock.actions_by_id["merge"].trigger()
    assert [n for n, _c in shown(dock.model)] == ["#2"]
    undo(qtbot, window)
    assert shown(dock.model) == before
    assert rows(db_path, "SELECT id, uid FROM claims ORDER BY id") == [(1, first), (2, second)]
    redo(qtbot, window)
    undo(qtbot, window)
    assert shown(dock.model) == before
    # and after a restart
    window.close()
    again = make_window(db_path)
    again.actions["claims_dock"].trigger()
    assert shown(again.claims.dock.model) == before


def test_a_long_message_is_cut_at_a_word_and_keeps_clear_of_the_link_note(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """QA: the status bar's message was cut mid-word and ran into "Linking from…"."""
    window.resize(1400, 900)   # the tester's width: the message shares the bar with the counts and the note
    QApplication.processEvents()
    width = window.width()
    tag_both(qtbot, window)
    click_text(qtbot, report_pane(window), REPORT, inside=3)
    click_text(qtbot, denial_pane(window), DENIAL, inside=3)
    status = window.status
    assert status.link_label.isVisible()
    long = ("Opened “Turkey is trying to mend relations with the U.S. and is attempting to return the previously"
            " supplied S-400 missile systems to Russia, as well as get back the money spent, writes Bloomberg”.")
    window.say(long)
    QApplication.processEvents()
    shown = status.message_label.text()
    assert status.currentMessage() == long and status.message_label.toolTip() == long
    assert shown.endswith("…") and long.startswith(shown[:-1])
    assert not long[len(shown) - 1].isalnum(), shown         # cut between words, not inside one
    message, link = status.message_label.geometry(), status.link_label.geometry()
    assert message.right() < link.left()                    # side by side, never over each other
    assert status.message_label.fontMetrics().horizontalAdvance(shown) <= message.width()
    assert status.link_label.toolTip().startswith("Linking from: “Türkiye plans")
    assert status.link_label.fontMetrics().horizontalAdvance(status.link_label.text()) <= link.width()
    assert window.width() == width                          # the note never widens the window


def test_the_claims_dock_counts_the_articles_giving_context(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QA: a claim with two context links showed 0 / 0 / 0 in the dock: there was no context column."""
    from annotator.core.store import Store

    with Store.open(db_path) as store:
        spans = []
        for origin, needle in (("002_cad9066ba476337a.txt", REPORT), ("000_2fd0f5c64ad6bf09.txt", DENIAL),
                               ("001_19574a272b582aaa.txt", "Washington excluded")):
            article = next(a for a in store.articles() if a.origin == origin)
            start = store.article_text(article.id).index(needle)
            spans.append(store.add_annotation(article.id, start, start + len(needle), "background",
                                              annotator="ana").uid)
        store.link_spans(spans, actor="ana", role="context")
    window = make_window(db_path)
    window.actions["claims_dock"].trigger()
    dock = window.claims.dock
    model = dock.model
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headings.index("c")
    assert [model.index(0, c).data() for c in (3, 4, 5, column)] == [0, 0, 0, 3]
    assert "context" in model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).lower()
    assert not dock.tree.isColumnHidden(column) and dock.tree.columnWidth(column) > 0
    # sorted by it, like the other counts
    dock.tree.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    QApplication.processEvents()
    assert model.index(0, column).data() == 3


def test_same_claim_suggestions_get_room_to_be_read(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """QA: the same-claim suggestion rows were cramped, one cut line each."""
    uid = _linked_window(qtbot, window)
    dock = window.claims.dock
    panel = dock.suggestions
    dock.select_claim(uid, user=True)
    qtbot.waitUntil(lambda: len(panel.suggestions) > 2, timeout=20_000)
    listing = panel.list
    line = listing.fontMetrics().lineSpacing()
    for i, suggestion in enumerate(panel.suggestions):
        item = listing.topLevelItem(i)
        rect = listing.visualItemRect(item)
        assert rect.height() >= line + 4, (rect, suggestion.text)   # air around every row
        width = listing.columnWidth(2)
        if listing.fontMetrics().horizontalAdvance(item.text(2)) > 1.5 * width:   # a long sentence wraps
            assert rect.height() >= 2 * line, (rect, suggestion.text)
    # rows never overlap
    tops = [listing.visualItemRect(listing.topLevelItem(i)) for i in range(len(panel.suggestions))]
    assert all(a.bottom() < b.top() for a, b in zip(tops, tops[1:], strict=False))


def test_the_verdict_and_a_span_role_are_edited_from_the_keyboard_each_one_undoable_step(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path) -> None:
    """QA: tabbing into the claims table, the verdict and role column could not be changed without the mouse."""
    _linked_window(qtbot, window)
    tree = window.claims.dock.tree
    tree.setFocus(Qt.FocusReason.TabFocusReason)
    tree.setCurrentIndex(tree.model().index(0, 0))

    def key(k: Qt.Key, times: int = 1) -> None:
        for _ in range(times):
            qtbot.keyClick(QApplication.focusWidget(), k)
        QApplication.processEvents()

    verdict = "SELECT r.name FROM claims c LEFT JOIN ratings r ON r.id = c.rating_id"
    ratings = [r.name for r in window.session.store.ratings()]
    key(Qt.Key.Key_Right, VERDICT_COLUMN)                 # along the claim's row to its verdict
    assert tree.currentIndex().column() == VERDICT_COLUMN and tree.currentIndex().parent() == QModelIndex()
    key(Qt.Key.Key_Return)                                # Enter edits it: a list of the verdicts
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox) and combo.objectName() == "claimChoice"
    key(Qt.Key.Key_Down, 2)
    key(Qt.Key.Key_Return)                                # kept
    assert rows(db_path, verdict) == [(ratings[1],)]
    assert QApplication.focusWidget() is tree and tree.currentIndex().column() == VERDICT_COLUMN
    key(Qt.Key.Key_F2)                                    # F2 edits too; Esc leaves it as it was
    key(Qt.Key.Key_Down)
    key(Qt.Key.Key_Escape)
    assert rows(db_path, verdict) == [(ratings[1],)]
    # a span's role: open the claim (+), down to its first span, Enter on the role column
    key(Qt.Key.Key_Left, VERDICT_COLUMN)
    key(Qt.Key.Key_Plus)
    key(Qt.Key.Key_Down)
    span = tree.currentIndex()
    assert span.parent().isValid()
    role_before = rows(db_path, LINKS)
    key(Qt.Key.Key_Right, VERDICT_COLUMN)
    key(Qt.Key.Key_Return)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    key(Qt.Key.Key_Down)
    key(Qt.Key.Key_Return)
    role_after = rows(db_path, LINKS)
    assert role_after != role_before and len(role_after) == len(role_before)
    events = rows(db_path, "SELECT action FROM events WHERE entity IN ('claim', 'link') ORDER BY id")
    # each edit one transaction with its event, and one undo each
    assert events[-2:] == [("verdict",), ("role",)], events
    undo(qtbot, window)
    assert rows(db_path, LINKS) == role_before
    undo(qtbot, window)
    assert rows(db_path, verdict) == [(None,)]
    # Enter on a cell that cannot be edited still shows the span in a pane
    tree.setFocus()
    tree.setCurrentIndex(span.siblingAtColumn(1))
    key(Qt.Key.Key_Return)
    shown = window.panes.current
    assert shown is not None and shown.view.selected_uid == span.data(UID_ROLE)


def test_the_first_link_in_an_article_keeps_the_line_being_read_in_place(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """QA4-7: the first link of an article opens the badge margin; the text re-wrapped and the paragraph being
    read moved. The span being linked stays where it was on screen."""
    store = window.session.store
    report, denial = report_pane(window), denial_pane(window)
    assert denial.article is not None and report.article is not None
    text = denial.view.text
    needle = "under any circumstances"   # deep in a long paragraph, many wrapped lines above it in the paragraph
    start = text.index(needle)
    store.add_annotation(denial.article.id, start, start + len(needle), "denial", annotator="ana")
    at = report.view.text.index(REPORT)
    store.add_annotation(report.article.id, at, at + len(REPORT), "claim", annotator="ana")
    window.refresh()
    click_text(qtbot, report, REPORT, inside=3)
    press(qtbot, report, Qt.Key.Key_L)
    denial.view.center_on(start)
    QApplication.processEvents()
    click_text(qtbot, denial, needle, inside=3)
    before = denial.view._range_rects(start, start + len(needle))[0].top()
    assert not denial.view.claim_gutter.isVisible()
    press(qtbot, denial, Qt.Key.Key_L)
    assert denial.view.claim_gutter.isVisible()   # the margin opened...
    after = [r.top() for r in denial.view._range_rects(start, start + len(needle))]
    # ...and the span did not move
    assert after and abs(after[0] - before) < denial.view.fontMetrics().lineSpacing() / 2


def test_in_a_narrow_dock_the_claim_column_keeps_its_room(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """QA4-23: in a narrow claims dock the summary shrank to "#1 …" while an empty Claimant column kept 100 px."""
    _linked_window(qtbot, window)
    dock = window.claims.dock
    assert dock.model.index(0, 1).data() in ("", None)   # the seeds name no outlet: no claimant
    window.resizeDocks([dock], [dock.minimumSizeHint().width()], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    header = dock.tree.header()
    assert header.sectionSize(1) <= 30 < header.sectionSize(0)
    assert header.sectionSize(0) >= dock.tree.viewport().width() // 3
