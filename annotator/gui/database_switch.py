"""Opening another database in the running window.

The session holds the only reference to the open store; switching hands it
the new one, and every part that shows or caches something of the old one
(models, docks, the review queue, the comparison, the undo stack, the status
bar, the outside-change watch) rebuilds itself on the session's
``storeChanged``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from ..core.errors import AnnotatorError
from ..core.store import Store
from .session import AnnotationSession
from .settings import WindowSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog


class DatabaseSwitcher(QObject):
    def __init__(self, session: AnnotationSession, settings: WindowSettings, parent: QWidget,
                 before_switch: Callable[[], None], show_error: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.parent_widget = parent
        self._before_switch = before_switch
        self._show_error = show_error

    def open_dialog(self) -> QFileDialog:
        """Ctrl+O: choose a database to open, or name a new one (created once the user says yes).

        A save-style dialog, because an open dialog refuses a name that does not
        exist yet; "Open" on its button, and no question about replacing a file:
        an existing file is opened, never replaced.
        """
        from PySide6.QtWidgets import QFileDialog

        current = self.session.store.path
        start = self.settings.folder("database", current.parent if current else Path.home())
        dialog = QFileDialog(self.parent_widget, "Open or create a database", str(start),
                             "Annotator databases (*.db *.sqlite *.sqlite3);;All files (*)")
        dialog.setObjectName("databaseDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
        dialog.setDefaultSuffix("db")
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Open")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self.open_or_create(Path(name)))
        dialog.open()
        return dialog

    def open_or_create(self, path: Path) -> None:
        """Open ``path``; a name that is not there yet is created, once the user agrees."""
        if path.exists():
            self._open(path)
            return
        from PySide6.QtWidgets import QMessageBox

        if not path.parent.is_dir():
            self._show_error(f"Could not create {path}: the folder {path.parent} does not exist.")
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Open or create a database",
                          f"There is no database at {path}.\n\nCreate a new, empty database at {path}?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.parent_widget)
        box.setObjectName("createDatabase")
        box.button(QMessageBox.StandardButton.Yes).setText("Create")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._open(path))
        box.open()

    def _open(self, path: Path) -> None:
        # The folder is remembered for the next dialog only once a database opened there.
        if self.switch(path):
            self.settings.remember_folder("database", path.parent)

    def switch(self, path: Path) -> bool:
        try:
            store = Store.open(path)
        except AnnotatorError as exc:
            self._show_error(f"Could not open {path}: {exc}")
            return False
        self._before_switch()  # the old database's workspace is saved under its own name
        old = self.session.store
        self.session.switch_store(store)
        old.close()
        return True
