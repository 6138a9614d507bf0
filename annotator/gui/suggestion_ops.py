"""Suggestions in the workspace: ghost spans in the panes, their keys, the queue, the sources and training.

The keys in a pane act on one suggestion: the one selected (Tab, a click, the
queue), else the innermost shown under the caret. What a key does when a
pane holds more than one kind of selection (README, "Suggestions"):

1. text selected: a label key tags the text (a new span; Enter, X do nothing to suggestions);
2. a span selected: a label key relabels it;
3. otherwise a suggestion selected or under the caret: a label key accepts it
   as that label, Enter as suggested, X rejects it.

Selecting a span clears the selected suggestion and the other way round, so
the outline on screen always says what the keys act on. Hidden suggestions
(View > Show Suggestions off) take no keys.

Sources run as jobs in a worker (gui/jobs.py); training runs in another
process (``train_in_subprocess``): in a thread of this one, scikit-learn's
garbage collections stalled the window for 95-220 ms (docs/suggestions.md).
After ``retrain_every`` changes to spans (a project setting, 50 unless set)
the model is retrained in the background, without a dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from ..core.errors import AnnotatorError
from ..core.spans import excerpt, quoted
from ..core.store import Store
from ..core.suggestions import Suggestion, SuggestionChange, SuggestReport
from ..core.words import count
from .actions import Actions
from .article_pane import ArticlePane
from .ghost_spans import SuggestionSource
from .jobs import Job, run_with_progress
from .label_style import LabelStyles
from .outside_changes import OutsideChanges
from .pane_area import PaneArea
from .session import AnnotationSession, Change
from .shown_text import menu_entry

if TYPE_CHECKING:
    from ..core.suggest_model import TrainingReport
    from .suggestion_dock import SuggestionDock


class SuggestionHost(Protocol):
    """What the suggestion tools use of the window (the main window is one)."""

    session: AnnotationSession
    styles: LabelStyles
    panes: PaneArea
    outside: OutsideChanges
    actions: Actions

    def add_side_dock(self, dock: QDockWidget) -> None: ...

    def show_dock(self, dock: QDockWidget) -> None: ...

    def open_article(self, article_id: int, pane: ArticlePane | None = None,
                     spans: Any = None) -> ArticlePane | None: ...

    def show_error(self, message: str, *, unsaved: bool = False) -> None: ...


class SuggestionOperations(QObject):
    message = Signal(str)
    selectedSpan = Signal(object, str)    # pane, uid: the span an accept made, selected
    dockBuilt = Signal(object)            # the queue dock, once built (the window places and saves it)

    def __init__(self, window: SuggestionHost) -> None:
        assert isinstance(window, QWidget)
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.shown = True
        self._dock: SuggestionDock | None = None
        self.training: Job | None = None
        self.last_training: TrainingReport | None = None
        self._changes_seen = 0            # span changes here since the store was last asked
        self.session.suggestionsChanged.connect(self._on_suggestions_changed)
        self.session.suggestionsMade.connect(self._on_suggestions_made)
        # A deleted label takes its suggestions, and its undo brings them back; a renamed one renames them.
        self.session.labelsChanged.connect(self._on_suggestions_made)
        self.session.changed.connect(self._on_span_change)
        self.session.storeChanged.connect(self._on_store_changed)

    @property
    def store(self) -> Store:
        return self.session.store

    # ---------------------------------------------------------------- panes

    def attach(self, pane: ArticlePane, article_id: int) -> None:
        """A pane shows an article now: its suggestions are drawn there (if shown)."""
        pane.view.ghosts.set_source(SuggestionSource(self.store, article_id))
        pane.view.ghosts.set_shown(self.shown)

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        for pane in self.window.panes.panes:
            pane.view.ghosts.set_shown(shown)
        count = self.store.suggestion_count()
        if shown:
            self.message.emit(f"Showing suggestions ({count} open): Tab goes to the next, Enter accepts, X rejects,"
                              " a label key accepts as that label." if count else
                              "No open suggestions: Review > Suggest with the Cue Rules makes some.")
        else:
            self.message.emit("Suggestions hidden (Ctrl+G shows them).")

    def _pane(self) -> ArticlePane | None:
        pane = self.window.panes.current
        if pane is None or pane.article is None:
            self.message.emit("Open an article first: double-click one in the list.")
            return None
        return pane

    def _in_pane(self, pane: ArticlePane) -> Suggestion | None:
        """The suggestion the pane's keys act on, or None (with a text or a span selected: none)."""
        view = pane.view
        if view.selection() is not None or view.selected_uid is not None or not view.ghosts.shown:
            return None
        return view.ghosts.current(view.cursor_offset())

    def take_suggestion(self, pane: ArticlePane, label: str) -> bool:
        """A label key with no text and no span selected: accept the suggestion here as ``label``."""
        suggestion = self._in_pane(pane)
        if suggestion is None:
            return False
        self.accept(suggestion, label, pane)
        return True

    def accept_in_pane(self) -> None:
        self._on_suggestion_here(lambda suggestion, pane: self.accept(suggestion, None, pane))

    def reject_in_pane(self) -> None:
        self._on_suggestion_here(self.reject)

    def _on_suggestion_here(self, act: Callable[[Suggestion, ArticlePane], object]) -> None:
        """``act`` on the active pane's suggestion (selected, or under the caret), or say why there is none."""
        pane = self._pane()
        if pane is None:
            return
        suggestion = self._in_pane(pane)
        if suggestion is None:
            self._nothing_here(pane)
            return
        act(suggestion, pane)

    def _nothing_here(self, pane: ArticlePane) -> None:
        if not pane.view.ghosts.shown:
            self.message.emit("Suggestions are hidden: View > Show Suggestions (Ctrl+G).")
        elif pane.view.selection() is not None or pane.view.selected_uid is not None:
            self.message.emit("A text or a span is selected: Esc, then Tab to a suggestion.")
        else:
            self.message.emit("No suggestion here: Tab goes to the next one.")

    def step(self, backwards: bool = False) -> None:
        """Tab / Shift+Tab: select the next (previous) span or shown suggestion in text order, scrolling to it.

        One order for both, (start, end), a suggestion before a span of the
        same extent: in an untagged article Tab goes from suggestion to
        suggestion; once some are accepted it stops at the spans between them
        too (where L links them to claims). Hidden suggestions are passed over.
        """
        pane = self._pane()
        if pane is None:
            return
        view = pane.view
        span, ghost = view.selected_span, view.ghosts.selected
        if span is not None:
            span_key, ghost_key = (span.start, span.end, span.uid), (span.start, span.end, _LAST)
        elif ghost is not None:
            span_key, ghost_key = (ghost.start, ghost.end, ""), (ghost.start, ghost.end, ghost.id or 0)
        else:
            caret = view.cursor_offset()
            span_key, ghost_key = (caret, -1, ""), (caret, -1, -1)
        uid = view.spans.neighbour(span_key, backwards)
        next_span = view.spans.get(uid) if uid else None
        source = view.ghosts.source if view.ghosts.shown else None
        next_ghost = source.neighbour(ghost_key, backwards) if source is not None else None
        if next_ghost is not None and next_span is not None:
            # the nearer of the two in the one order; of the same extent, the suggestion first
            ghost_first = (next_ghost.start, next_ghost.end, 0) < (next_span.start, next_span.end, 1)
            if ghost_first == backwards:
                next_ghost = None
            else:
                next_span = None
        if next_ghost is not None:
            view.clear_text_selection()
            view.select_suggestion(next_ghost, scroll=True)
            self.message.emit(describe(next_ghost) + " — Enter accepts, X rejects, a label key accepts as that label")
        elif next_span is not None:
            view.select_span(next_span.uid, scroll=True)
            self.selectedSpan.emit(pane, next_span.uid)
        else:
            what = "span or suggestion" if source is not None else "span"
            self.message.emit(f"No {what} before this one." if backwards else f"No {what} after this one.")

    # ----------------------------------------------------- accept, reject

    def accept(self, suggestion: Suggestion, label: str | None, pane: ArticlePane | None = None) -> bool:
        change = self.session.accept_suggestion(suggestion.uid, label)
        if change is None:
            return False
        made = change.suggestion
        annotation_uid = made.annotation_uid if made is not None else None
        if pane is not None and annotation_uid:
            pane.view.select_span(annotation_uid, scroll=False)
            self.selectedSpan.emit(pane, annotation_uid)
        as_label = label or suggestion.label
        fixed = f" (suggested as {suggestion.label})" if as_label.casefold() != suggestion.label.casefold() else ""
        already = " You had tagged it already; that span is the one accepted." if not change.annotations_added else ""
        self.message.emit(f"Accepted {quoted(suggestion.text)} as {as_label}{fixed}.{already}"
                          " Ctrl+Z takes it back.")
        return True

    def reject(self, suggestion: Suggestion, pane: ArticlePane | None = None) -> bool:
        if self.session.reject_suggestion(suggestion.uid) is None:
            return False
        self.message.emit(f"Rejected the suggested {suggestion.label} {quoted(suggestion.text)}: it will not be"
                          " proposed again (Ctrl+Z brings it back).")
        return True

    def _on_suggestions_changed(self, change: SuggestionChange) -> None:
        edited = [after for _before, after in change.suggestions_edited]
        for pane in self.window.panes.panes:
            pane.view.ghosts.changed(edited)
        if self._dock is not None:
            self._dock.refresh()

    def _on_suggestions_made(self) -> None:
        for pane in self.window.panes.panes:
            pane.view.ghosts.reload()
        if self._dock is not None:
            self._dock.refresh(filters=True)

    def _on_store_changed(self, _store: Store) -> None:
        self._changes_seen = 0
        if self._dock is not None:
            self._dock.refresh(filters=True)

    def show_suggestion(self, suggestion: Suggestion) -> None:
        """Open the suggestion's article (in the pane showing it, else the active one) and select it there."""
        window = self.window
        pane = window.panes.pane_showing(suggestion.article_id) or window.open_article(suggestion.article_id)
        if pane is None:
            return
        window.panes.set_current(pane)
        pane.view.clear_text_selection()
        pane.view.select_suggestion(suggestion, scroll=True)

    def add_to_menu(self, menu: QMenu, pane: ArticlePane, global_pos: QPoint) -> None:
        """The right-click menu over shown suggestions: accept one (as suggested or as a label), reject it."""
        from .label_bar import label_icon

        view = pane.view
        found = view.ghosts.at(view._offset_under(view.viewport().mapFromGlobal(global_pos)))
        styles = self.window.styles
        for suggestion in found[:3]:
            menu.addSeparator()
            quote = excerpt(suggestion.text)
            accept = menu.addAction(label_icon(styles.get(suggestion.label)),
                                    menu_entry(f"Accept the Suggested {suggestion.label}: “{quote}”"))
            accept.triggered.connect(lambda _c=False, s=suggestion: self.accept(s, None, pane))
            as_label = menu.addMenu("Accept the Suggestion As")
            for style in styles:
                item = as_label.addAction(label_icon(style), menu_entry(style.name))
                item.triggered.connect(lambda _c=False, s=suggestion, name=style.name: self.accept(s, name, pane))
            reject = menu.addAction("Reject the Suggestion")
            reject.triggered.connect(lambda _c=False, s=suggestion: self.reject(s, pane))

    # ----------------------------------------------------------- the queue

    @property
    def dock(self) -> SuggestionDock:
        """The suggestion queue, built on first use."""
        if self._dock is None:
            from .suggestion_dock import SuggestionDock

            self._dock = SuggestionDock(self, self.window)
            self._dock.setObjectName("suggestionDock")
            self._dock.hide()
            self.window.add_side_dock(self._dock)
            self._dock.message.connect(self.message)
            self.dockBuilt.emit(self._dock)
        return self._dock

    @property
    def dock_built(self) -> bool:
        return self._dock is not None

    def set_queue_visible(self, on: bool) -> None:
        dock = self.dock
        if not on:
            dock.hide()
            return
        self.window.show_dock(dock)
        dock.refresh(filters=True)
        dock.table.setFocus()
        dock.show_current()   # in its pane, as each step will
        self.message.emit("Suggestion queue: A or Enter accept, X reject, a label key accepts as that label,"
                          " N/P next/previous.")

    def restore_queue(self) -> None:
        """The queue as it was left open at the last quit: shown, its menu item ticked, the panes untouched."""
        action = self.window.actions["suggestion_queue"]
        action.blockSignals(True)
        action.setChecked(True)
        action.blockSignals(False)
        self.dock.show()
        self.dock.refresh(filters=True)

    # ------------------------------------------------------------- sources

    def suggest_with_rules(self) -> Job:
        from ..core.suggest_rules import suggest_with_rules

        actor = self.session.annotator
        return self._run_source("Suggest with the cue rules",
                                lambda store, progress: suggest_with_rules(store, actor=actor, progress=progress),
                                "Running the cue rules over every article…")

    def suggest_with_model(self) -> Job | None:
        if self.store.stored_model() is None:
            self.message.emit("No model is trained yet: Review > Train the Model… first.")
            return None
        from ..core.suggest_model import suggest_with_model

        actor = self.session.annotator
        return self._run_source("Suggest with the model",
                                lambda store, progress: suggest_with_model(store, actor=actor, progress=progress),
                                "Scoring every article with the model…")

    def _run_source(self, title: str, work: Callable[[Store, Callable[[int, int, str], bool]], SuggestReport],
                    label: str) -> Job:
        # A run writes its suggestions in one transaction that holds the write lock: window-modal, as an import.
        job = Job(title, work, self.store, self)
        job.succeeded.connect(self._made)
        job.failed.connect(lambda message: self._failed(job, title, message))
        run_with_progress(job, self.window, modal=True, label=label)
        return job

    def _made(self, report: SuggestReport) -> None:
        # Written on the worker's connection: ours, not another program's (no reload of every view).
        self.window.outside.rebase()
        self.session.suggestionsMade.emit()
        self.message.emit(report_line(report))

    def _failed(self, job: Job, title: str, message: str) -> None:
        if job.cancel_requested.is_set():
            self.message.emit(f"{title}: cancelled; nothing was changed.")
        else:
            self.window.show_error(f"{title}: {message}")

    # ------------------------------------------------------------ training

    def train(self, *, show_report: bool = True) -> Job | None:
        """Train the local model in another process; the window keeps answering. None if one is training."""
        if self.training is not None:
            self.message.emit("The model is training already; its report comes when it is done.")
            return None
        from ..core.suggest_model import train_in_subprocess

        actor = self.session.annotator
        # A retrain in the background cross-validates too (five more fits, 2-3x the time, in another
        # process): a model without measured quality offers no label at all (suggest_model.withheld), so a
        # retrain without it silently ended the model's suggestions.
        job = Job("Train the model", lambda store, progress: train_in_subprocess(
            store, actor=actor, progress=progress), self.store, self)
        self.training = job
        self._changes_seen = 0
        job.succeeded.connect(lambda report: self._trained(report, show_report))
        job.failed.connect(lambda message: self._training_failed(job, message, show_report))
        job.finished.connect(self._training_over)
        if show_report:
            run_with_progress(job, self.window, modal=False, label="Training the model on this database's spans…")
        else:
            job.start()
            self.message.emit("Retraining the model in the background…")
        return job

    def _training_over(self) -> None:
        self.training = None

    def _trained(self, report: TrainingReport, show_report: bool) -> None:
        self.window.outside.rebase()   # the model row the child process wrote changes nothing on screen
        self.last_training = report
        if self._dock is not None:
            self._dock.refresh(filters=True)   # the labels the model withholds now
        if show_report:
            from .suggestion_dialogs import TrainingDialog

            TrainingDialog(report, self.store.retrain_every(), self._set_retrain_every, self.window).open()
        self.message.emit(training_line(report))

    def _training_failed(self, job: Job, message: str, show_report: bool) -> None:
        if job.cancel_requested.is_set():
            self.message.emit("Training cancelled; the model trained before stays.")
        elif show_report:
            self.window.show_error(f"Could not train the model: {message}")
        else:
            self.message.emit(f"The background retraining stopped: {message}")

    def _set_retrain_every(self, n: int) -> None:
        try:
            self.store.set_setting("retrain_every", str(n), actor=self.session.annotator)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return
        self.message.emit(f"The model is retrained after every {n} changes to spans." if n else
                          "The model is retrained only on demand (Review > Train the Model…).")

    def _on_span_change(self, _change: Change) -> None:
        """Count span changes; past ``retrain_every`` the store is asked, and a model once trained learns again."""
        self._changes_seen += 1
        every = self.store.retrain_every()
        if not every or self._changes_seen < every or self.training is not None:
            return
        self._changes_seen = 0
        since = self.store.changes_since_training()
        if since is None:   # never trained here: the first training is the person's choice (it shows figures)
            return
        if since >= every:
            self.train(show_report=False)
        else:
            self._changes_seen = since


_LAST = 2**62   # a suggestion key after every id: suggestions of a span's extent come before the span


def describe(s: Suggestion) -> str:
    score = f", {s.score:.2f}" if s.score is not None else ""
    reason = f" ({s.reason})" if s.reason else ""
    return f"Suggested {s.label} ({s.source}{score}){reason}: {quoted(s.text)}"


def report_line(report: SuggestReport) -> str:
    made = ", ".join(f"{n} {label}" for label, n in sorted(report.created.items())) or "none new"
    extra = [f"{n} {what}" for n, what in ((report.rescored, "rescored"), (report.withdrawn, "withdrawn"),
                                            (report.decided_before, "decided before"),
                                            (report.tagged_already, "tagged already")) if n]
    return (f"{report.source}: {made} in {count(report.articles, 'article')}"
            + (f" ({', '.join(extra)})" if extra else "")
            + "." + not_offered(report.withheld))


def training_line(report: TrainingReport) -> str:
    f1 = ", ".join(f"{label} F1 {m['f1']:.2f}" for label, m in report.metrics.items())
    return (f"Model {report.name} trained on {count(report.spans, 'span')} in {count(report.articles, 'article')}"
            + (f": {f1} (cross-validated)." if f1 else
               " (not cross-validated: Review > Train the Model… gives precision, recall and F1).")
            + not_offered(report.withheld))


def not_offered(withheld: dict[str, str]) -> str:
    """The labels a model does not suggest, and why, in the words of ``annotator suggest``: else the user
    sees no suggestion of a label and cannot tell a label the model withholds from one it found nowhere."""
    return "".join(f" {label} not offered: {why}." for label, why in sorted(withheld.items()))


__all__: Sequence[str] = ["SuggestionOperations", "describe", "not_offered", "report_line", "training_line"]
