"""Reviewer mode: a queue of spans to accept or reject, driven by the keyboard.

Navigation is ``core.review.ReviewQueue`` (it keeps its place by key, so a
verdict that takes a span out of the "pending" queue does not lose it);
verdicts go through the session, so they are undoable and every view updates.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.model import STATUSES, Annotation
from ..core.review import QueueFilter, ReviewQueue
from ..core.spans import excerpt
from . import theme
from .article_choice import article_items
from .dialogs import ReasonDialog
from .label_style import LabelStyles
from .session import AnnotationSession, Change
from .shown_text import html_line, one_line

ANY = "(any)"


class ReviewDock(QDockWidget):
    showAnnotation = Signal(int, str)   # article id, uid
    message = Signal(str)

    def __init__(self, session: AnnotationSession, styles: LabelStyles, parent: QWidget | None = None, *,
                 open_articles: Callable[[], list[int]] = list) -> None:
        super().__init__("Review queue", parent)
        self.open_articles = open_articles
        self.setObjectName("reviewDock")
        self.session = session
        self._styles = styles
        self.ask_reason: Callable[[Annotation], str | None] = self._ask_reason
        self.queue = ReviewQueue(session.store, QueueFilter(statuses=("pending",)), reviewer=session.annotator)

        self.article = QComboBox()
        self.label = QComboBox()
        self.annotator = QComboBox()
        self.status = QComboBox()
        for combo, name in ((self.article, "reviewArticle"), (self.label, "reviewLabel"),
                            (self.annotator, "reviewAnnotator"), (self.status, "reviewStatus")):
            combo.setObjectName(name)
            combo.currentIndexChanged.connect(self.restart)
        filters = QGridLayout()
        for row, (text, combo) in enumerate((("Article", self.article), ("Label", self.label),
                                             ("Annotator", self.annotator), ("Status", self.status))):
            filters.addWidget(QLabel(text + ":"), row, 0)
            filters.addWidget(combo, row, 1)

        self.position = QLabel()
        self.position.setObjectName("reviewPosition")
        self.card = QLabel()
        self.card.setObjectName("reviewCard")
        self.card.setWordWrap(True)
        self.card.setTextFormat(Qt.TextFormat.RichText)
        self.card.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.card.setMinimumHeight(140)

        verdicts = self._verdict_buttons()
        self.hint = QLabel()
        self.hint.setObjectName("reviewHint")
        self.hint.setWordWrap(True)
        self._say_keys()

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.position)
        layout.addWidget(self.card, 1)
        layout.addLayout(verdicts)
        layout.addWidget(self.hint)
        self.setWidget(body)
        self._filling = False
        self._deciding = False   # a verdict given here: the dock moves on itself, once
        # The filters are filled when reviewer mode opens (use_store), not here as well:
        # each fill lists the annotators, and reviewer mode should open at once.
        session.changed.connect(self._on_change)

    @property
    def styles(self) -> LabelStyles:
        return self._styles

    @styles.setter
    def styles(self, styles: LabelStyles) -> None:
        """The labels changed (one added, a key given): the keys hint says them as they are."""
        self._styles = styles
        self._say_keys()

    def _say_keys(self) -> None:
        self.hint.setText(f"Keys: A accept · R reject · U pending · N/P next/previous · relabel with"
                          f" {self._styles.keys_phrase()} · H history")

    def _verdict_buttons(self) -> QHBoxLayout:
        """Previous, accept, reject and next, in a row; they leave the keyboard focus where it is."""
        self.previous_button = QPushButton("◀ Previous (P)")
        self.accept_button = QPushButton("Accept (A)")
        self.accept_button.setObjectName("acceptButton")
        self.reject_button = QPushButton("Reject… (R)")
        self.reject_button.setObjectName("rejectButton")
        self.next_button = QPushButton("Next (N) ▶")
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.accept_button.clicked.connect(self.accept)
        self.reject_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.previous_button, self.accept_button, self.reject_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        return row

    # -------------------------------------------------------------- filters

    def fill_filters(self) -> None:
        """(Re)list the articles, labels and annotators the filters offer."""
        self._filling = True
        try:
            store = self.session.store
            # the open articles (and the one chosen before, if it was closed since)
            chosen = self.article.currentData() if self.article.count() else None
            ids = [*self.open_articles(), *([chosen] if isinstance(chosen, int) else [])]
            self._refill(self.article, [(ANY, None)] + article_items(store, ids))
            self._refill(self.label, [(ANY, None)] + [(label.name, label.name) for label in store.labels()])
            self._refill(self.annotator, [(ANY, None)] + [(name, name) for name in store.annotators()])
            self._refill(self.status, [(s, s) for s in STATUSES] + [(ANY, None)])
        finally:
            self._filling = False

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, object]]) -> None:
        current = combo.currentData() if combo.count() else "pending"
        combo.clear()
        for text, data in items:
            combo.addItem(one_line(text), data)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def filter(self) -> QueueFilter:
        def one(combo: QComboBox) -> tuple:
            value = combo.currentData()
            return () if value is None else (value,)

        return QueueFilter(article_ids=one(self.article), labels=one(self.label),
                           annotators=one(self.annotator), statuses=one(self.status))

    def restart(self) -> None:
        if self._filling:
            return
        self.queue = ReviewQueue(self.session.store, self.filter(), reviewer=self.session.annotator)
        self._go(self.queue.first())

    def use_store(self) -> None:
        """After the database changed: new lists, new queue."""
        self.fill_filters()
        self.restart()

    # ----------------------------------------------------------- navigation

    def next(self) -> None:
        found = self.queue.next()
        if found is None:
            self.message.emit("End of the queue." if len(self.queue) else "The queue is empty.")
            self._show(self.queue.current)
            return
        self._go(found)

    def previous(self) -> None:
        found = self.queue.previous()
        if found is None:
            self.message.emit("Start of the queue.")
            return
        self._go(found)

    def go_to(self, uid: str) -> None:
        self._go(self.queue.go_to(uid))

    def _go(self, annotation: Annotation | None) -> None:
        self._show(annotation)
        if annotation is not None:
            self.showAnnotation.emit(annotation.article_id, annotation.uid)

    # ------------------------------------------------------------- verdicts

    def accept(self) -> None:
        current = self.queue.current
        if current is None:
            self.message.emit("Nothing to accept: the queue has no current span.")
            return
        if self._decide(current.uid, "accepted"):
            self.message.emit(f"Accepted the {current.label} span.")
            self._advance()

    def reject(self) -> None:
        current = self.queue.current
        if current is None:
            self.message.emit("Nothing to reject: the queue has no current span.")
            return
        reason = self.ask_reason(current)
        if reason is None:
            return
        if not reason.strip():
            self.message.emit("A rejection needs a reason; the span was not rejected.")
            return
        if self._decide(current.uid, "rejected", reason.strip()):
            self.message.emit(f"Rejected the {current.label} span: {reason.strip()}")
            self._advance()

    def _decide(self, uid: str, status: str, reason: str = "") -> bool:
        """A verdict through the session (undoable); the place and count are shown once, after moving on."""
        self._deciding = True
        try:
            done = self.session.set_status(uid, status, reason) is not None
        finally:
            self._deciding = False
        if done:
            self.queue.judged(uid)   # P comes back to it, though it left a "pending" queue
        return done

    def reopen(self) -> None:
        current = self.queue.current
        if current is None:
            self.message.emit("Nothing to mark as pending: the queue has no current span.")
            return
        if current.status == "pending":
            self.message.emit(f"The {current.label} span is pending already: nothing changed."
                              " P goes back to the spans judged before.")
            return
        if self.session.set_status(current.uid, "pending") is not None:
            self.queue.judged(current.uid)
            self.message.emit(f"Marked the {current.label} span as pending again (it was {current.status}).")
            self._show(self.session.store.annotation(current.uid))

    def _advance(self) -> None:
        found = self.queue.next()
        if found is None:
            self._show(self.queue.current)
            self.message.emit("That was the last span in the queue.")
        else:
            self._go(found)

    def _ask_reason(self, annotation: Annotation) -> str | None:
        dialog = ReasonDialog(annotation.label, annotation.text, self)
        return dialog.value() if dialog.exec() else None

    # -------------------------------------------------------------- display

    def _on_change(self, change: Change) -> None:
        if not self.isVisible() or self._deciding:
            return  # reviewer mode is off (turning it on starts afresh), or a verdict here moves on itself
        if change.kind == "added" and self.annotator.findData(change.annotation.annotator) < 0:
            self.fill_filters()
        # Any change (an undone verdict, a span added or deleted) can move the count and the place.
        self._show(self.queue.current)

    def _show(self, annotation: Annotation | None) -> None:
        place, total = self.queue.position()
        if annotation is None:
            self.position.setText(f"{total} in the queue" if total else "The queue is empty.")
            self.card.setText("<i>Nothing selected.</i>" if total else
                              "<i>No span matches these filters. Change them above.</i>")
            return
        self.position.setText(f"{place} of {total}" if place else f"(no longer matches) · {total} in the queue")
        style = self.styles.get(annotation.label)
        quote = excerpt(annotation.text, 400)
        t = theme.current()
        status = {"accepted": f"<b style='color:{t.accepted}'>accepted</b>",
                  "rejected": f"<b style='color:{t.unsaved}'>rejected</b>"}.get(annotation.status, "pending")
        reviewed = (f" by {html_line(annotation.reviewer)}" if annotation.reviewer else "")
        reason = f"<br>Reason: {html_line(annotation.review_note)}" if annotation.review_note else ""
        note = f"<br>Note: <i>{html_line(annotation.note)}</i>" if annotation.note else ""
        self.card.setText(
            f"<span style='background:{style.colour.name()}'>&nbsp;&nbsp;&nbsp;</span> "
            f"<b>{html_line(annotation.label)}</b> by {html_line(annotation.annotator)} · "
            f"{annotation.created_at[:16].replace('T', ' ')}<br>"
            f"<p style='margin:6px 0'>“{html_line(quote)}”</p>"
            f"Status: {status}{reviewed}{reason}{note}")
