"""Edit > Labels… and View > Guidelines: opening the labels dialog and showing the guidelines panel.

Both are built on first use (start-up pays for neither). Their changes go
through the session, whose ``labelsChanged`` makes the window reload its label
styles, keys and label bar, and these two show the labels as they are now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

if TYPE_CHECKING:
    from .guidelines_dock import GuidelinesDock
    from .labels_dialog import LabelsDialog
    from .main_window import MainWindow


class LabelOperations(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: LabelsDialog | None = None
        self.dock: GuidelinesDock | None = None

    def edit_labels(self) -> None:
        from .labels_dialog import LabelsDialog

        if self.dialog is None:
            self.dialog = LabelsDialog(self.window.session, self.window.undo, self.window.redo, self.window)
            self.dialog.finished.connect(self._dialog_closed)
        self.dialog.open()
        self.dialog.activateWindow()
        self.dialog.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def set_guidelines_visible(self, visible: bool) -> None:
        if self.dock is None:
            if not visible:
                return
            from .guidelines_dock import GuidelinesDock

            self.dock = GuidelinesDock(self.window.session, self.edit_labels, self.window)
            self.window.add_side_dock(self.dock)
            self.dock.visibilityChanged.connect(lambda _shown: self._sync())
            self.dock.dockLocationChanged.connect(self.window.layout_state.changed)
        if visible:
            self.window.show_dock(self.dock)
        else:
            self.dock.hide()

    def _sync(self) -> None:
        """The menu item follows the panel: closed with its own button, it is unchecked (hidden behind a tab, not)."""
        action = self.window.actions["guidelines"]
        shown = self.dock is not None and not self.dock.isHidden()
        if action.isChecked() != shown:
            action.blockSignals(True)
            action.setChecked(shown)
            action.blockSignals(False)
        self.window.layout_state.changed()
