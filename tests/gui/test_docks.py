"""The docks around the panes: opened from the menus, shown in front of their tab siblings, back after a restart."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel

from annotator.core.store import Store
from annotator.core.suggest_rules import suggest_with_rules
from annotator.gui.main_window import MainWindow

# Every dock built on first use, and the menu action that opens it (compare has no tick: it is a command).
SIDE_DOCKS = {"guidelinesDock": "guidelines", "claimsDock": "claims_dock", "suggestionDock": "suggestion_queue",
              "compareDock": "compare"}


def side_docks(window: MainWindow) -> dict[str, QDockWidget]:
    return {d.objectName(): d for d in window.findChildren(QDockWidget)
            if window.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea and not d.isHidden()}


def in_front(window: MainWindow) -> list[str]:
    """The docks a user sees: each tab set's current tab, and any dock not in a tab set."""
    shown = []
    for dock in window.findChildren(QDockWidget):
        # A dock behind its tab sibling is moved off the window (its visible region is empty), not hidden.
        if not dock.isHidden() and not dock.visibleRegion().isEmpty():
            shown.append(dock.objectName())
    return sorted(shown)


def test_every_dock_left_open_at_quit_is_open_again_as_a_tab_where_it_was(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                            db_path: Path) -> None:
    """QA: the suggestion queue, open at quit, was not open at the next start (the guidelines and the
    comparison were not either: every dock built on first use was forgotten but the claims dock)."""
    with Store.open(db_path) as store:
        suggest_with_rules(store, actor="rules-bot")
    first = make_window(db_path)
    for action in SIDE_DOCKS.values():
        first.actions[action].trigger()
        QApplication.processEvents()
    first.actions["guidelines"].trigger()   # ... and the guidelines closed again: they stay closed
    QApplication.processEvents()
    first.actions["claims_dock"].trigger()
    first.actions["claims_dock"].trigger()  # the claims dock last in front
    QApplication.processEvents()
    assert set(side_docks(first)) == {"claimsDock", "suggestionDock", "compareDock"}
    front = in_front(first)
    panes = [p.article.uid if p.article else "" for p in first.panes.panes]
    first.close()

    second = make_window(db_path)
    QApplication.processEvents()
    assert set(side_docks(second)) == {"claimsDock", "suggestionDock", "compareDock"}
    assert in_front(second) == front and "claimsDock" in front
    assert all(second.tabifiedDockWidgets(d) for d in side_docks(second).values())   # tabs, as they were
    assert second.actions["suggestion_queue"].isChecked() and second.actions["claims_dock"].isChecked()
    assert not second.actions["guidelines"].isChecked()
    assert second.suggestions.dock.model.rowCount() > 0   # the queue lists the suggestions, not an empty table
    # the queue came back without opening its first suggestion over the panes as they were left
    assert [p.article.uid if p.article else "" for p in second.panes.panes] == panes


def _view_menu_action(window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.menus["View"].actions() if a.text().replace("&", "") == text)


def test_a_dock_shown_from_its_menu_comes_in_front_of_its_tab_siblings(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                       db_path: Path) -> None:
    """QA: View > (a dock) tabbed behind another ticked the menu item and left the dock behind its sibling."""
    window = make_window(db_path)
    window.actions["guidelines"].trigger()   # the right edge's tab set starts with the guidelines
    QApplication.processEvents()
    anchor = window.label_ops.dock
    assert anchor is not None
    # every dock a menu shows: the window's own (Qt's toggles), and those built on first use
    toggles = {
        "articleListDock": _view_menu_action(window, "Articles"),
        "annotationsDock": _view_menu_action(window, "Annotations"),
        "claimsDock": window.actions["claims_dock"],
        "suggestionDock": window.actions["suggestion_queue"],
        "reviewDock": window.actions["review_mode"],
        "compareDock": window.actions["compare"],
    }
    for name, action in toggles.items():
        if not action.isChecked():   # open (the article list and the annotations are, from the start)
            action.trigger()
        QApplication.processEvents()
        dock = window.findChild(QDockWidget, name)
        assert dock is not None
        if not window.tabifiedDockWidgets(dock):   # a dock of the left or bottom edge, moved into the tab set
            window.tabifyDockWidget(anchor, dock)
        if action.isCheckable():
            action.trigger()   # closed from the menu...
            QApplication.processEvents()
            assert dock.isHidden(), name
        anchor.raise_()       # ...while another tab is in front
        QApplication.processEvents()
        assert name not in in_front(window)
        action.trigger()       # and opened again from the menu: in front, ticked
        QApplication.processEvents()
        assert name in in_front(window), name
        assert not action.isCheckable() or action.isChecked()
    # F6 into a dock behind another's tab brings it in front too: the keyboard goes where the eye can follow
    claims = window.claims.dock
    anchor.raise_()
    QApplication.processEvents()
    assert "claimsDock" not in in_front(window)
    window.panes.current.view.setFocus()
    for _ in range(len(window.findChildren(QDockWidget)) + len(window.panes.panes) + 1):
        if claims.isAncestorOf(QApplication.focusWidget()):
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert claims.isAncestorOf(QApplication.focusWidget())
    assert "claimsDock" in in_front(window)


def test_at_1024_by_700_the_docks_give_way_before_the_panes_do(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """QA4-3: narrowed to 1024×700 with the Articles and Claims docks open, the docks kept 415 and 455 px and the
    two panes shared 130 px. Now the docks shrink first: both panes keep their readable width, nothing scrolls."""
    from annotator.gui.pane_area import MIN_PANE_WIDTH, READING_WIDTH

    window.actions["claims_dock"].trigger()
    window.resizeDocks([window.article_list, window.claims.dock], [415, 455], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.panes.width() >= READING_WIDTH)
    assert window.width() == 1024   # the window is not made wider for it
    assert [p.width() >= MIN_PANE_WIDTH for p in window.panes.panes] == [True, True]
    assert window.panes.scroller.horizontalScrollBar().maximum() == 0
    assert window.article_list.isVisible() and window.claims.dock.isVisible()
    # and the label bar's legend still fits on the bar (not in its overflow menu)
    assert window.label_bar.findChild(QLabel, "labelBarLegend").isVisible()
