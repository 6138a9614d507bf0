"""The workspace kept across restarts, and across crashes: saved shortly after every change.

The data is committed action by action; the layout (panes and their articles,
scroll positions, zoom, docks, window geometry) is written to QSettings a
moment after it changes, so a crash or ``kill -9`` loses at most the last
second of arranging, never a pane and its article.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from ..core.store import Store
from .pane_area import PaneArea
from .settings import ReviewState, ViewOptions, WindowSettings, Workspace

# The pair a first start opens side by side: the Bloomberg-based report and the Kremlin's denial.
FIRST_START_SEEDS = ("002_cad9066ba476337a.txt", "000_2fd0f5c64ad6bf09.txt")
SAVE_DELAY_MS = 800


class WorkspaceState(QObject):
    """Saves and restores the window's layout for the open database (its panes, and its reviewer mode)."""

    def __init__(self, window: QMainWindow, panes: PaneArea, settings: WindowSettings,
                 store: Callable[[], Store], view_options: Callable[[], ViewOptions],
                 review_state: Callable[[], ReviewState], open_article: Callable[..., object]) -> None:
        super().__init__(window)
        self.window = window
        self.panes = panes
        self.settings = settings
        self._store = store
        self._view_options = view_options
        self._review_state = review_state
        self._open_article = open_article
        self.restoring = False
        self._generation = 0   # bumped by every apply: a scroll restore still queued from an older one is dropped
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)

    def changed(self) -> None:
        """Something in the layout moved: save it soon (many changes in a row make one write)."""
        if not self.restoring:
            self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def current(self) -> Workspace:
        panes = self.panes.panes
        return Workspace(
            articles=[p.article.uid if p.article else "" for p in panes],
            scroll=[p.view.top_offset() for p in panes],
            current=panes.index(self.panes.current) if self.panes.current in panes else 0,
        )

    def save(self) -> None:
        self._timer.stop()
        self.settings.save_window(self.window.saveGeometry(), self.window.saveState())
        self.settings.save_options(self._view_options())
        self.settings.save_review_state(self._store().path, self._review_state())
        self.settings.save_workspace(self._store().path, self.current())

    def restore_window(self) -> ViewOptions:
        """Geometry and dock layout; returns the view options for the window to apply."""
        geometry, state = self.settings.window()
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        elif self.window.screen() is not None:
            # first start: most of the screen, centred, rather than Qt's small default
            area = self.window.screen().availableGeometry()
            self.window.resize(int(area.width() * 0.88), int(area.height() * 0.88))
            self.window.move(area.center() - self.window.rect().center())
        if state is not None:
            self.window.restoreState(state)
        return self.settings.options()

    def restore_docks(self) -> None:
        """Place docks built after the first restore (those built on first use) where they were."""
        _geometry, state = self.settings.window()
        if state is not None:
            self.window.restoreState(state)

    def restore(self) -> None:
        """The panes as they were when this database was last open (or the first-start pair)."""
        self.apply(self.settings.workspace(self._store().path))

    def apply(self, saved: Workspace | None) -> None:
        store = self._store()
        uids = saved.articles if saved else self._first_start_articles()
        self._generation += 1
        generation = self._generation
        self.restoring = True
        try:
            while len(self.panes.panes) < max(2, len(uids)):
                self.panes.add_pane()
            while len(self.panes.panes) > max(2, len(uids)):
                self.panes.remove_pane(self.panes.panes[-1])
            for i, uid in enumerate(uids):
                article = store.article_by_uid(uid) if uid else None
                pane = self.panes.panes[i]
                if article is None:
                    pane.clear()
                    continue
                self._open_article(article.id, pane)
            if saved and 0 <= saved.current < len(self.panes.panes):
                self.panes.set_current(self.panes.panes[saved.current])
            elif self.panes.panes:
                self.panes.set_current(self.panes.panes[0])
        finally:
            self.restoring = False
        if saved:
            # scroll once the panes have their final size, so the same text is at the top
            QTimer.singleShot(0, lambda: self._restore_scroll(saved, generation))
        current = self.panes.current
        if current is not None and current.article is not None:
            current.view.setFocus()

    def _restore_scroll(self, saved: Workspace, generation: int) -> None:
        if generation != self._generation:
            return  # the panes were filled again since (another database, reviewer mode ended)
        self.restoring = True
        try:
            for pane, uid, offset in zip(self.panes.panes, saved.articles, saved.scroll, strict=False):
                if pane.article is not None and pane.article.uid == uid:
                    pane.view.scroll_to_offset(offset)
        finally:
            self.restoring = False

    def _first_start_articles(self) -> list[str]:
        # The seeds are the first articles of the default database: look among the first few
        # only (a search of every article's origin reads the whole table at 10,000 articles).
        first = self._store().first_articles(8)
        by_origin = {a.origin: a.uid for a in first}
        if all(name in by_origin for name in FIRST_START_SEEDS):
            return [by_origin[name] for name in FIRST_START_SEEDS]
        return [a.uid for a in first[:2]]
