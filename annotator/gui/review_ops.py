"""The Review menu's work: reviewer mode, comparing annotators, history, agreement, verify, merge."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox, QWidget

from ..core.audit import AuditReport, annotation_history, verify
from ..core.compare import Comparison, Disagreement
from ..core.errors import AnnotatorError
from ..core.merge import MergeReport, merge_database
from .actions import Actions
from .annotations_dock import AnnotationsDock
from .article_pane import ArticlePane
from .compare_dock import CompareDock
from .highlighter import StoreSpans
from .jobs import Job, run_with_progress
from .label_style import LabelStyles
from .pane_area import PaneArea
from .review_dialogs import AgreementDialog, HistoryDialog, MergeReportDialog
from .review_dock import ReviewDock
from .session import AnnotationSession
from .settings import WindowSettings, Workspace


class ReviewHost(Protocol):
    """What the reviewer's tools use of the window (the main window is one)."""

    session: AnnotationSession
    styles: LabelStyles
    panes: PaneArea
    annotations: AnnotationsDock
    actions: Actions
    settings: WindowSettings

    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...  # noqa: N802

    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...  # noqa: N802

    def resizeDocks(self, docks: Sequence[QDockWidget], sizes: Sequence[int],  # noqa: N802
                    orientation: Qt.Orientation) -> None: ...

    def workspace(self) -> Workspace: ...

    def apply_workspace(self, saved: Workspace | None) -> None: ...

    def open_article(self, article_id: int, pane: ArticlePane | None = None,
                     spans: StoreSpans | None = None) -> ArticlePane | None: ...

    def show_annotation(self, article_id: int, uid: str) -> None: ...

    def show_error(self, message: str, *, unsaved: bool = False) -> None: ...

    def reload_after_write(self) -> None: ...


class ReviewOperations(QObject):
    message = Signal(str)

    def __init__(self, window: ReviewHost) -> None:
        assert isinstance(window, QWidget)
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.queue = ReviewDock(window.session, window.styles, window, open_articles=window.panes.open_article_ids)
        self.compare = CompareDock(window.session, window, open_articles=window.panes.open_article_ids)
        for dock in (self.queue, self.compare):
            dock.hide()
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            window.actions.extend_scope("review", dock)
            dock.message.connect(self.message)
        window.tabifyDockWidget(self.queue, self.compare)
        self.queue.showAnnotation.connect(self._show_queued)
        self.compare.started.connect(self._show_comparison)
        self.compare.chosen.connect(self._show_disagreement)
        self.compare.closed.connect(self._end_comparison)
        self.comparing: Comparison | None = None
        self._layout_before: Workspace | None = None
        self._layout_before_review: Workspace | None = None

    def store_changed(self) -> None:
        """Another database: the queue and the comparison were about the old one, and so were the layouts
        to put back when they end."""
        self.comparing = None
        self._layout_before = self._layout_before_review = None
        self.compare.stop()
        self.queue.use_store()

    # --------------------------------------------------------- reviewer mode

    def set_review_mode(self, on: bool) -> None:
        self.queue.setVisible(on)
        if on:
            # The queue opens each span's article in a pane; leaving puts the panes back.
            self._layout_before_review = self.window.workspace()
            self.window.resizeDocks([self.queue], [420], Qt.Orientation.Horizontal)
            self.queue.styles = self.window.styles
            self.queue.use_store()
            self.queue.raise_()
            self.message.emit("Reviewer mode: A accept, R reject, N/P next/previous, 1/2/3 relabel.")
        else:
            if self._layout_before_review is not None and self.comparing is None:
                self.window.apply_workspace(self._layout_before_review)
            self._layout_before_review = None
            self.message.emit("Reviewer mode off; the panes are as they were.")

    def accept(self) -> None:
        if self._require_queue():
            self.queue.accept()

    def reject(self) -> None:
        if self._require_queue():
            self.queue.reject()

    def reopen(self) -> None:
        if self._require_queue():
            self.queue.reopen()

    def step(self, delta: int) -> None:
        if self.comparing is not None and self.compare.isVisible():
            self.compare.step(delta)
        elif self._require_queue():
            (self.queue.next if delta > 0 else self.queue.previous)()

    def _require_queue(self) -> bool:
        if not self.queue.isVisible():
            self.message.emit("Turn on Review > Reviewer Mode (Ctrl+Shift+R) to review spans.")
            return False
        return True

    def _show_queued(self, article_id: int, uid: str) -> None:
        self.window.show_annotation(article_id, uid)

    # ------------------------------------------------------------- compare

    def open_compare(self) -> None:
        pane = self.window.panes.current
        self.compare.fill(pane.article.id if pane and pane.article else None)
        self.compare.show()
        self.compare.raise_()
        self.window.resizeDocks([self.compare], [460], Qt.Orientation.Horizontal)
        if len(self.session.store.annotators()) < 2:
            self.message.emit("Comparing needs spans by at least two annotators.")

    def adopt(self, side: str) -> None:
        if self.comparing is None:
            self.message.emit("Compare two annotators first (Review > Compare Annotators…).")
            return
        self.compare.adopt("a" if side == "a" else "b")

    def _show_comparison(self, comparison: Comparison) -> None:
        if self.comparing is None:
            self._layout_before = self.window.workspace()  # put back when the comparison closes
        self.comparing = comparison
        window = self.window
        panes = window.panes
        while len(panes.panes) < 2:
            panes.add_pane()
        store = self.session.store
        others = set(store.annotators())
        for pane, name in zip(panes.panes[:2], (comparison.annotator_a, comparison.annotator_b), strict=True):
            window.open_article(comparison.article_id, pane, spans=StoreSpans(store, comparison.article_id,
                                                                              others - {name}))
            pane.set_caption(f"{name}'s spans")
        self._mark(None)
        self.message.emit(f"Comparing {comparison.annotator_a} (left) with {comparison.annotator_b} (right).")

    def _show_disagreement(self, d: Disagreement) -> None:
        self._mark((d.start, d.end))
        side = d.a or d.b
        if side:
            self.window.annotations.show_uid(side[0].uid)

    def _mark(self, current: tuple[int, int] | None) -> None:
        if self.comparing is None:
            return
        ranges = [(d.start, d.end) for d in self.comparing.disagreements]
        for pane in self.window.panes.panes[:2]:
            pane.view.set_marks(ranges, current)

    def _end_comparison(self) -> None:
        if self.comparing is None:
            return
        self.comparing = None
        for pane in self.window.panes.panes:
            pane.view.set_marks([])
        self.window.apply_workspace(self._layout_before)
        self.message.emit("Comparison closed; the panes are as they were.")

    def after_change(self) -> None:
        """A verdict changed statuses: keep the comparison's marks in step."""
        if self.comparing is not None and self.compare.comparison is not None:
            self.comparing = self.compare.comparison
            d = self.compare.current()
            self._mark((d.start, d.end) if d else None)

    # ----------------------------------------------------- history, reports

    def show_history(self) -> None:
        pane = self.window.panes.current
        uid = pane.view.selected_uid if pane is not None else None
        if not uid:
            self.message.emit("Click a span to select it, then press H for its history.")
            return
        try:
            history = annotation_history(self.session.store, uid)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return
        HistoryDialog(history, self.window).open()

    def show_agreement(self) -> None:
        pane = self.window.panes.current
        AgreementDialog(self.session.store, pane.article.id if pane and pane.article else None, self.window,
                        open_articles=self.window.panes.open_article_ids()).open()

    def verify_log(self) -> Job:
        """Check the audit log in a worker; the answer comes in a message box when it is done."""
        job = Job("Verify the audit log", lambda store, progress: verify(store, progress=progress), self.session.store,
                  self)
        job.succeeded.connect(self._show_verified)
        job.failed.connect(lambda message: self.window.show_error(f"Could not verify the audit log: {message}"))
        self.message.emit("Verifying the audit log…")
        run_with_progress(job, self.window, modal=False, label="Checking every event of the audit log…")
        return job

    def _show_verified(self, report: AuditReport) -> None:
        icon = QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Critical
        box = QMessageBox(icon, "Audit log", report.summary(), QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("verifyBox")
        box.open()

    def merge_dialog(self) -> None:
        start = self.window.settings.folder("merge", Path.home())
        name, _ = QFileDialog.getOpenFileName(self.window, "Merge a colleague's database", str(start),
                                              "Annotator databases (*.db *.sqlite *.sqlite3);;All files (*)")
        if name:
            self.window.settings.remember_folder("merge", Path(name).parent)
            self.preview_merge(Path(name))

    def preview_merge(self, path: Path) -> Job:
        """What a merge would bring in and where both sides changed the same thing, before anything is written."""
        actor = self.session.annotator
        job = Job("Merge preview", lambda store, _progress: merge_database(store, path, actor=actor, dry_run=True),
                  self.session.store)
        job.succeeded.connect(lambda report: self._offer_merge(path, report))
        job.failed.connect(lambda message: self.window.show_error(f"Could not merge {path}: {message}"))
        run_with_progress(job, self.window, modal=True, label=f"Reading {path.name}…")
        return job

    def _offer_merge(self, path: Path, report: MergeReport) -> None:
        if not report.changed:
            self.message.emit(report.summary())
            return
        dialog = MergeReportDialog(str(path), report, self.window, preview=True)
        dialog.accepted.connect(lambda: self.merge(path))
        dialog.open()

    def merge(self, path: Path) -> Job:
        """Merge in a worker (its one transaction holds the write lock: the window waits, painting, cancellable)."""
        actor = self.session.annotator
        job = Job("Merge", lambda store, _progress: merge_database(store, path, actor=actor), self.session.store)
        job.succeeded.connect(lambda report: self._merged(path, report))
        job.failed.connect(lambda message: self.window.show_error(f"Could not merge {path}: {message}"))
        run_with_progress(job, self.window, modal=True, label=f"Merging {path.name}…")
        return job

    def _merged(self, path: Path, report: MergeReport) -> None:
        self.session.undo_stack.clear()  # the merge is not undoable; older steps may no longer apply
        self.window.reload_after_write()
        self.message.emit(report.summary())
        MergeReportDialog(str(path), report, self.window).open()
