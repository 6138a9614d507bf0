"""Where the keyboard goes: F6 / Shift+F6 between the areas of the window, Ctrl+1..9 to a pane's text.

A fact-checker works from the keyboard: from the article list into a pane's
text, from pane to pane, into the docks and back, without reaching for the mouse.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget
from shiboken6 import isValid

from . import theme
from .pane_area import PaneArea


def _dock_style() -> str:
    """The dock holding the keyboard: its title as a focused pane's header is (focus colours), its edge blue."""
    t = theme.current()
    return (f"QDockWidget::title {{ background: {t.focus_header}; }}"
            f" QDockWidget {{ color: {t.focus_title}; }}"
            f" QDockWidget > QWidget {{ border: 2px solid {t.active_edge}; }}")


class KeyboardFocus(QObject):
    def __init__(self, panes: PaneArea, areas: Callable[[], list[QWidget]], say: Callable[[str], None]) -> None:
        super().__init__(panes)   # a child of the panes: its connection to the application goes with the window
        self.panes = panes
        self.areas = areas     # in F6 order: the article list, each open pane's text, the visible docks
        self.say = say
        # The dock the keyboard is in is marked as the pane holding it is (article_pane._edge_style): in the
        # dark scheme a list's own 1 px focus frame was all there was to see (QA4-24).
        self.marked: QDockWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        dock = _dock_of(new) if new is not None else None
        if dock is not None and not self.panes.window().isAncestorOf(dock):
            dock = None   # another window's dock
        if dock is self.marked:
            return
        if self.marked is not None and isValid(self.marked):   # a dock built on first use may be gone since
            self.marked.setStyleSheet("")
        self.marked = dock
        if dock is not None:
            dock.setStyleSheet(_dock_style())

    def theme_changed(self) -> None:
        if self.marked is not None and isValid(self.marked):
            self.marked.setStyleSheet(_dock_style())

    def cycle(self, step: int) -> None:
        """The next (+1) or previous (-1) area, wrapping around."""
        targets = self.areas()
        if not targets:
            return
        focus = QApplication.focusWidget()
        here = next((i for i, t in enumerate(targets) if focus is not None and (t is focus or t.isAncestorOf(focus))),
                    None)
        target = targets[0 if here is None and step > 0 else -1 if here is None else (here + step) % len(targets)]
        dock = _dock_of(target)
        if dock is not None:
            dock.raise_()   # a dock behind another's tab: the keyboard goes where the eye can follow
        target.setFocus(Qt.FocusReason.TabFocusReason)
        if not target.hasFocus():  # a dock's body: its first focusable child
            target.nextInFocusChain().setFocus(Qt.FocusReason.TabFocusReason)

    def to_pane(self, index: int) -> None:
        """The text of pane ``index`` (0-based), made the active pane."""
        if index >= len(self.panes.panes):
            self.say(f"There is no pane {index + 1}; Ctrl+T adds one.")
            return
        pane = self.panes.panes[index]
        self.panes.set_current(pane)
        if pane.article is None:
            pane.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.say(f"Pane {index + 1} is empty: choose an article in the list (Ctrl+Shift+F) and press Enter.")
            return
        pane.view.setFocus(Qt.FocusReason.ShortcutFocusReason)


def _dock_of(widget: QWidget) -> QDockWidget | None:
    parent: QWidget | None = widget
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent
