"""Start the workspace: check the display, open the database, ask who is annotating, show the window."""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

from ..core.errors import AnnotatorError
from ..core.paths import login_name, open_database, resources_dir
from ..core.profile import annotator_name, set_annotator_name
from .preflight import display_problem


def run(db_path: Path | None, *, review: bool = False) -> int:
    """The GUI's entry point; returns the exit status. Raises AnnotatorError if it cannot start."""
    problem = display_problem()
    if problem:
        raise AnnotatorError(problem)

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setApplicationDisplayName("annotator")
    app.setWindowIcon(QIcon(str(resources_dir() / "annotator.svg")))
    from .settings import WindowSettings

    apply_style(app, WindowSettings().options().colour_scheme)
    sys.excepthook = _report_unexpected

    try:
        store = open_database(db_path)
    except AnnotatorError as exc:
        QMessageBox.critical(None, "annotator", f"Cannot open the database.\n\n{exc}")
        raise

    name = ask_annotator()
    window = MainWindow(store, name)
    window.restore_state()
    if review:
        window.actions["review_mode"].setChecked(True)
    if os.environ.get("ANNOTATOR_QUIT_AFTER_FIRST_PAINT"):
        _quit_after_first_paint(window)
    window.show()
    # After the first paint, load what the first edit needs (sqlite-utils, and
    # with it pandas if installed) while the user is still reading.
    QTimer.singleShot(50, lambda: store.db)
    return app.exec()


def _quit_after_first_paint(window: object) -> None:
    """For benchmarks/bench_gui.py: print the wall-clock time of the first paint, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
                self.seen = True
                QTimer.singleShot(0, lambda: (print(f"first-paint {time.time():.6f}", flush=True),
                                              QApplication.quit()))
            return False

    from PySide6.QtWidgets import QApplication

    watcher = FirstPaint(window)  # type: ignore[arg-type]
    window.installEventFilter(watcher)  # type: ignore[attr-defined]


def ask_annotator() -> str:
    """The saved annotator name; on the very first start, ask for it (prefilled with the login name)."""
    saved = annotator_name()
    if saved:
        return saved
    from .dialogs import IdentityDialog

    dialog = IdentityDialog(login_name(), first_time=True)
    if dialog.exec():
        try:
            return set_annotator_name(dialog.value())
        except AnnotatorError:
            return dialog.value()
    return login_name()  # asked again next time


def apply_style(app: object, scheme: str = "system") -> None:
    """The style sheet and palette of the colour scheme chosen ("system", "light" or "dark")."""
    from . import theme

    theme.apply(app, theme.resolve(scheme))


def _report_unexpected(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """A bug in a slot: log the traceback, tell the user in one sentence, keep running."""
    import platformdirs
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ..core.paths import APP_NAME

    log = platformdirs.user_log_path(APP_NAME, appauthor=False) / "errors.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(kind, exc, tb)) + "\n")
    except OSError:
        pass
    if QApplication.instance() is not None:
        QMessageBox.warning(None, "annotator", f"Something went wrong: {exc}\n\nDetails were written to {log}.")
    else:
        print(f"annotator: error: unexpected {kind.__name__}: {exc}", file=sys.stderr)
