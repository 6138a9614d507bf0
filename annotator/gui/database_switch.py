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

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ..core.errors import AnnotatorError
from ..core.store import Store
from .session import AnnotationSession
from .settings import WindowSettings


class DatabaseSwitcher(QObject):
    def __init__(self, session: AnnotationSession, settings: WindowSettings, parent: QWidget,
                 before_switch: Callable[[], None], show_error: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.parent_widget = parent
        self._before_switch = before_switch
        self._show_error = show_error

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        current = self.session.store.path
        start = self.settings.folder("database", current.parent if current else Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self.parent_widget, "Open or create a database", str(start),
            "Annotator databases (*.db *.sqlite *.sqlite3);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)
        if name:
            self.settings.remember_folder("database", Path(name).parent)
            self.switch(Path(name))

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
