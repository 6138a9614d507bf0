"""The Review menu's work: reviewer mode, comparing annotators, history, agreement, verify, merge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox, QWidget

from ..core.audit import AuditReport, annotation_history, verify
from ..core.compare import Comparison, Disagreement
from ..core.errors import AnnotatorError
from ..core.merge import MergeReport, merge_database
from ..core.spans import quoted
from ..core.store import Store
from .actions import Actions
from .annotations_dock import AnnotationsDock
from .article_pane import ArticlePane
from .compare_dock import CompareDock
from .highlighter import StoreSpans
from .jobs import Job, ProgressWait, run_with_progress
from .label_style import LabelStyles
from .pane_area import PaneArea
from .review_dialogs import AgreementDialog, HistoryDialog, MergeReportDialog
from .review_dock import ReviewDock
from .session import AnnotationSession
from .settings import ReviewState, WindowSettings, Workspace


class ReviewHost(Protocol):
    """What the reviewer's tools use of the window (the main window is one)."""

    session: AnnotationSession
    styles: LabelStyles
    panes: PaneArea
    annotations: AnnotationsDock
    actions: Actions
    settings: WindowSettings

    def add_side_dock(self, dock: QDockWidget) -> None: ...

    def show_dock(self, dock: QDockWidget) -> None: ...

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
            window.add_side_dock(dock)
            window.actions.extend_scope("review", dock)
            dock.message.connect(self.message)
        self.queue.showAnnotation.connect(self._show_queued)
        self.compare.started.connect(self._show_comparison)
        self.compare.chosen.connect(self._show_disagreement)
        self.compare.closed.connect(self._end_comparison)
        self.comparing: Comparison | None = None
        # The two panes showing the comparison, each with the annotators it hides (all but its side's).
        self._sides: list[tuple[ArticlePane, tuple[str, ...]]] = []
        self._placing = False   # the comparison is filling its panes: their new article is its own
        self._layout_before: Workspace | None = None
        self._layout_before_review: Workspace | None = None
        window.panes.articleShown.connect(self._pane_shown)
        window.panes.layoutChanged.connect(self._panes_rearranged)

    def store_changed(self) -> None:
        """Another database: the queue and the comparison were about the old one, and so were the layouts
        to put back when they end (the new database's own layout comes back instead)."""
        self._end_comparison(put_back=False)
        self._layout_before = self._layout_before_review = None
        self.compare.stop()
        if self.compare.isVisible():
            self.compare.fill()   # the new database's articles and annotators
        self.queue.use_store()

    # --------------------------------------------------------- reviewer mode

    def set_review_mode(self, on: bool) -> None:
        if on:
            self.window.show_dock(self.queue)
            # The queue opens each span's article in a pane; leaving puts the panes back.
            self._layout_before_review = self.window.workspace()
            self.window.resizeDocks([self.queue], [420], Qt.Orientation.Horizontal)
            self._fill_queue()
            self.message.emit(f"Reviewer mode: A accept, R reject, N/P next/previous; relabel with"
                              f" {self.window.styles.keys_phrase()}.")
        else:
            self.queue.hide()
            # The layout names this database's articles: store_changed and resume keep it so.
            before = self._layout_before_review
            if before is not None and self.comparing is None:
                self.window.apply_workspace(before)
            self._layout_before_review = None
            self.message.emit("Reviewer mode off; the panes are as they were.")

    def state(self) -> ReviewState:
        """Reviewer mode as it is in the open database, to be saved with that database's workspace."""
        on = self.window.actions["review_mode"].isChecked()
        return ReviewState(on=on, before=self._layout_before_review if on else None)

    def resume(self, saved: ReviewState) -> None:
        """Reviewer mode as the open database was left (at start-up, or on opening it): the queue shown or
        not, and the panes to put back when it ends. Nothing is said: the database's opening is."""
        action = self.window.actions["review_mode"]
        action.blockSignals(True)
        action.setChecked(saved.on)
        action.blockSignals(False)
        self.queue.setVisible(saved.on)
        self._layout_before_review = saved.before if saved.on else None
        if saved.on:
            self._fill_queue()

    def _fill_queue(self) -> None:
        self.queue.styles = self.window.styles
        self.queue.use_store()

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
        self.window.show_dock(self.compare)
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
        window = self.window
        panes = window.panes
        self._placing = True
        try:
            while len(panes.panes) < 2:
                panes.add_pane()
            store = self.session.store
            others = set(store.annotators())
            self._sides = []
            for pane, name in zip(panes.panes[:2], (comparison.annotator_a, comparison.annotator_b), strict=True):
                spans = StoreSpans(store, comparison.article_id, others - {name})
                window.open_article(comparison.article_id, pane, spans=spans)
                pane.set_caption(f"{name}'s spans")
                self._sides.append((pane, spans.hidden_annotators))
        finally:
            self._placing = False
        self.comparing = comparison
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
        for pane, _hidden in self._sides:
            pane.view.set_marks(ranges, current)

    def _pane_shown(self, pane: ArticlePane) -> None:
        """A pane shows an article again: a comparison pane that now shows anything but its side of the
        compared article ends the comparison (its marks and the [ ] keys were about that text)."""
        if self.comparing is None or self._placing:
            return
        hidden = next((h for p, h in self._sides if p is pane), None)
        if hidden is None:
            return
        spans = pane.view.spans
        if (pane.article is not None and pane.article.id == self.comparing.article_id
                and isinstance(spans, StoreSpans) and spans.hidden_annotators == hidden):
            d = self.compare.current()   # the same side shown again (F5, another program's write)
            self._mark((d.start, d.end) if d else None)
            return
        self._end_comparison(keep=pane)

    def _panes_rearranged(self) -> None:
        """A comparison pane closed: the comparison ends."""
        if self.comparing is not None and any(p not in self.window.panes.panes for p, _h in self._sides):
            self._end_comparison(keep=None, later=True)

    def _end_comparison(self, keep: ArticlePane | None = None, *, put_back: bool = True,
                        later: bool = False) -> None:
        """End the comparison: its marks go, and the panes are put back as they were before it.

        ``keep``: a comparison pane the user gave another article, which it keeps
        (the rest is put back around it). Then, and with ``later``, the panes are
        put back once the current event is done: the pane is still being filled.
        """
        if self.comparing is None:
            return
        self.comparing = None
        sides, self._sides = self._sides, []
        for pane, _hidden in sides:
            pane.view.set_marks([])
        if self.compare.comparison is not None:
            self.compare.stop()   # the dock's list and [ ] were about the comparison
        layout, self._layout_before = self._layout_before, None
        if not put_back:
            return
        said = "Comparison closed; the panes are as they were."
        if keep is not None:
            layout = _keeping(layout or self.window.workspace(), sides, keep)
            title = keep.article.title if keep.article is not None else "nothing"
            said = (f"Comparison closed: the compared pane shows {quoted(title, 50)} now; the others are as"
                    " they were.")
        if keep is not None or later:
            QTimer.singleShot(0, lambda: self._put_back(layout, said))
        else:
            self._put_back(layout, said)

    def _put_back(self, layout: Workspace | None, said: str) -> None:
        self.window.apply_workspace(layout)
        self.message.emit(said)

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
        """Check the audit log in a worker; the answer comes in a message box when it is done.

        SQLite's check, the chain and the tables are read as one snapshot
        (``Store.snapshot``): a change made meanwhile would otherwise show as a
        mismatch between a table and a log read a moment apart. A change this
        window makes meanwhile waits for it, behind a notice that names the
        verify and can stop it.
        """
        job = Job("Verify the audit log", _verify_at_one_moment, self.session.store, self,
                  holds_reads="verifying the audit log")
        job.succeeded.connect(self._show_verified)
        job.failed.connect(lambda message: self._verify_failed(job, message))
        self.message.emit("Verifying the audit log…")
        run_with_progress(job, self.window, modal=False, label="Checking every event of the audit log…")
        return job

    def _verify_failed(self, job: Job, message: str) -> None:
        if job.cancel_requested.is_set():
            self.message.emit("Verifying the audit log was stopped; nothing was checked to the end.")
            return
        self.window.show_error(f"Could not verify the audit log: {message}")

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
        job = Job("Merge preview", lambda store, progress: merge_database(
            store, path, actor=actor, dry_run=True, waiting=ProgressWait(progress, path)), self.session.store)
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
        job = Job("Merge", lambda store, progress: merge_database(
            store, path, actor=actor, waiting=ProgressWait(progress, path)), self.session.store)
        job.succeeded.connect(lambda report: self._merged(path, report))
        job.failed.connect(lambda message: self.window.show_error(f"Could not merge {path}: {message}"))
        run_with_progress(job, self.window, modal=True, label=f"Merging {path.name}…")
        return job

    def _merged(self, path: Path, report: MergeReport) -> None:
        self.session.undo_stack.clear()  # the merge is not undoable; older steps may no longer apply
        self.window.reload_after_write()
        self.message.emit(report.summary())
        MergeReportDialog(str(path), report, self.window).open()


def _verify_at_one_moment(store: Store, progress: Callable[[int, int, str], bool]) -> AuditReport:
    with store.snapshot():
        return verify(store, progress=progress)


def _keeping(layout: Workspace, sides: list[tuple[ArticlePane, tuple[str, ...]]], keep: ArticlePane) -> Workspace:
    """``layout`` with the article the user put in a comparison pane kept in that pane's place."""
    index = next(i for i, (pane, _hidden) in enumerate(sides) if pane is keep)
    articles = list(layout.articles) + [""] * max(0, index + 1 - len(layout.articles))
    scroll = list(layout.scroll) + [0] * max(0, len(articles) - len(layout.scroll))
    articles[index] = keep.article.uid if keep.article is not None else ""
    scroll[index] = keep.view.top_offset()
    return replace(layout, articles=articles, scroll=scroll, current=index)
