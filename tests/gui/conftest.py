"""GUI fixtures: a real MainWindow on a temporary database, QSettings in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.core.importer import Importer
from annotator.core.paths import seeds_dir
from annotator.core.profile import set_annotator_name
from annotator.core.store import Store
from annotator.gui.main_window import MainWindow
from annotator.gui.settings import WindowSettings


@pytest.fixture(autouse=True, scope="session")
def _app_style(qapp) -> None:  # type: ignore[no-untyped-def]
    """The style sheet the app runs with (gui/app.py): geometry and looks are tested as users see them."""
    from annotator.gui.app import apply_style

    apply_style(qapp)


@pytest.fixture(autouse=True)
def _no_worker_outlives_its_test() -> Iterator[None]:
    """A job still running when its test ends would use a database the teardown deletes."""
    yield
    from PySide6.QtCore import QThreadPool

    assert QThreadPool.globalInstance().waitForDone(20_000)


@pytest.fixture
def settings(tmp_path: Path) -> WindowSettings:
    return WindowSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    with Store.open(path) as store:
        Importer(store, actor="tester").run([seeds_dir()])
    return path


@pytest.fixture
def make_window(qtbot, settings: WindowSettings) -> Iterator[Callable[..., MainWindow]]:  # type: ignore[no-untyped-def]
    windows: list[MainWindow] = []
    set_annotator_name("ana")

    def make(path: Path, annotator: str = "ana", restore: bool = True) -> MainWindow:
        window = MainWindow(Store.open(path), annotator, settings)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        if restore:
            window.restore_state()
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.session.store.close()


@pytest.fixture
def window(make_window, db_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    return make_window(db_path)
