"""Room to read: when the panes get narrower than two panes side by side, the side docks give way first.

Qt's main window hands the whole loss of a narrower window to its central
widget: at 1024×700 with the Articles and Claims docks open, the docks kept
415 and 455 px and the two panes shared 130 px, cut mid-word in a sideways
scroller (QA4-3). The panes never ask for a minimum width themselves (the
window must never grow past the screen: pane_area.py), so the docks are
told instead: each side dock gives up its share of the missing width, down
to its own minimum, whatever narrowed the panes (the window, a dock shown,
a dock's edge dragged). The window itself is never made wider.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

from .pane_area import READING_WIDTH, PaneArea

_SIDES = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)


def _minimum(dock: QDockWidget) -> int:
    return max(dock.minimumWidth(), dock.minimumSizeHint().width())


class DockRoom(QObject):
    """Keeps ``READING_WIDTH`` for the panes of ``window`` while its side docks have width to spare."""

    def __init__(self, window: QMainWindow, panes: PaneArea) -> None:
        super().__init__(window)
        self.window = window
        self.panes = panes
        # After the event that narrowed the panes: resizing docks inside the layout's own pass is undone by it.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.make_room)
        panes.squeezed.connect(self._timer.start)

    def make_room(self) -> None:
        short = READING_WIDTH - self.panes.width()
        if short <= 0 or not self.window.isVisible():
            return
        # One dock per side: docks stacked or tabbed on one side share its width.
        columns: dict[Qt.DockWidgetArea, tuple[QDockWidget, int]] = {}
        for dock in self.window.findChildren(QDockWidget):
            area = self.window.dockWidgetArea(dock)
            if area not in _SIDES or dock.isFloating() or not dock.isVisible():
                continue
            least = max(_minimum(dock), columns[area][1] if area in columns else 0)
            columns[area] = (dock, least)
        spare = {dock: dock.width() - least for dock, least in columns.values() if dock.width() > least}
        total = sum(spare.values())
        if not total:
            return
        docks = list(spare)
        # Each side gives in proportion to what it can spare: the wider dock gives more.
        sizes = [dock.width() - min(spare[dock], -(-short * spare[dock] // total)) for dock in docks]
        self.window.resizeDocks(docks, sizes, Qt.Orientation.Horizontal)
