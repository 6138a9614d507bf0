"""Same-claim suggestions for the claim chosen in the claims dock: ranked in a worker, accepted or rejected here.

Ranking needs the sentence index of the whole database (``SentenceIndex``),
which takes seconds to build on a newsroom's database (docs/benchmarks.md): it
is built in a worker (``jobs.Job``) so that the window keeps answering, and
kept here, so that later claims are ranked against it at once (a worker opens
a connection of its own each time; an index cached per connection would be
built again every time). One job runs at a time, since they share the index;
a claim chosen meanwhile is ranked when the running job ends.

Accepting tags the sentence (or the stretch the user adjusted in the pane
showing it) and links it to the claim in one undoable step; rejecting is
remembered, so that sentence is not offered for that claim again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.claim_suggestions import SameClaimSuggestion, SentenceIndex, suggest_same_claim
from ..core.claims import ROLES, ClaimChange
from ..core.spans import excerpt, quoted
from ..core.store import Store
from ..core.words import count
from . import claim_ops
from .jobs import Job
from .session import AnnotationSession
from .shown_text import lines, one_line

LIMIT = 10
SENTENCE_CHARS = 180   # of a suggested sentence in the list (wrapped); the tooltip has it whole


class _WrappedColumn(QStyledItemDelegate):
    """Rows as tall as their wrapped sentence: QTreeView asks a row's height without giving the
    column's width, so the text would be measured as one endless line."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        sized = QStyleOptionViewItem(option)
        # a valid rectangle (Qt wraps only within one), as wide as the column, tall enough for any sentence
        sized.rect = QRect(0, 0, self.view.columnWidth(index.column()), 1 << 14)
        return super().sizeHint(sized, index)


class SuggestionsPanel(QWidget):
    chosen = Signal(object)            # SameClaimSuggestion: show it in a pane
    spanAccepted = Signal(int, str)    # article id, the span made (or linked)
    message = Signal(str)

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsPanel")
        self.session = session
        self.claim_uid: str | None = None
        self.suggestions: list[SameClaimSuggestion] = []
        self.index = SentenceIndex()
        self.job: Job | None = None
        self._pending = False
        self._generation = 0   # bumped by another database: a job still running for the old one is ignored
        # (article id, start, end) to tag for a suggestion: the user's adjusted selection, else the sentence.
        self.stretch_for: Callable[[SameClaimSuggestion], tuple[int, int]] = lambda s: (s.start, s.end)

        self.status = QLabel("Choose a claim to see sentences that may state or deny it.")
        self.status.setObjectName("suggestionStatus")
        self.status.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("suggestionList")
        self.list.setColumnCount(3)
        self.list.setHeaderLabels(["Score", "Article", "Sentence"])
        self.list.setRootIsDecorated(False)
        # Each sentence wraps onto the lines it needs (up to SENTENCE_CHARS), with air between rows:
        # cut to one line, ten rows of "…" read as one grey block.
        self.list.setWordWrap(True)
        self.list.setUniformRowHeights(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setStyleSheet("#suggestionList::item { padding: 3px 2px; }")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.list.setItemDelegateForColumn(2, _WrappedColumn(self.list))
        self.list.header().sectionResized.connect(lambda *_: self.list.doItemsLayout())  # wrap to the new width
        self.list.setColumnWidth(0, 52)
        self.list.setColumnWidth(1, 150)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemActivated.connect(lambda _item, _col: self.accept())
        buttons = self._buttons()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._enable()
        session.claimsChanged.connect(self._on_claims_change)
        session.storeChanged.connect(lambda _store: self.use_store())

    def _buttons(self) -> QHBoxLayout:
        """The role an accepted sentence takes, Accept and Reject."""
        self.role = QComboBox()
        self.role.setObjectName("suggestionRole")
        for role in ROLES:
            self.role.addItem(role, role)
        self.role.setToolTip("The role the accepted span takes in the claim (its label follows: states → claim,"
                             " denies → denial, context → background)")
        self.accept_button = QPushButton("Accept")
        self.accept_button.setObjectName("acceptSuggestion")
        self.accept_button.setToolTip("Tag the sentence (or your adjusted selection in its pane) and link it"
                                      " (Enter in the list)")
        self.accept_button.clicked.connect(self.accept)
        self.reject_button = QPushButton("Reject")
        self.reject_button.setObjectName("rejectSuggestion")
        self.reject_button.setToolTip("Not about this claim: never suggest it for this claim again")
        self.reject_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("as"))
        buttons.addWidget(self.role)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        return buttons

    # ------------------------------------------------------------- ranking

    def set_claim(self, claim_uid: str | None) -> None:
        if claim_uid == self.claim_uid:
            return
        self.claim_uid = claim_uid
        self._show([])
        if claim_uid is None:
            self.status.setText("Choose a claim to see sentences that may state or deny it.")
            return
        self.compute()

    def use_store(self) -> None:
        self._generation += 1
        self.index = SentenceIndex()
        self.claim_uid = None
        self._pending = False
        self._show([])
        self.status.setText("Choose a claim to see sentences that may state or deny it.")

    def compute(self) -> Job | None:
        """Rank the sentences for the current claim in a worker (or after the running job)."""
        if self.claim_uid is None:
            return None
        if self.job is not None and self.job.running:
            self._pending = True
            return self.job
        uid, index, generation = self.claim_uid, self.index, self._generation
        fresh = len(index) == 0

        def rank(store: Store, _progress: Callable[[int, int, str], bool]) -> list[SameClaimSuggestion]:
            index.refresh(store)
            return suggest_same_claim(store, uid, limit=LIMIT, index=index)

        job = Job("Same-claim suggestions", rank, self.session.store, self)
        job.succeeded.connect(lambda found: self._ranked(uid, generation, found))
        job.failed.connect(lambda message: self._failed(generation, message))
        job.finished.connect(self._next)
        self.job = job
        self.status.setText("Reading every article's sentences (once per session)…" if fresh
                            else "Ranking sentences…")
        job.start()
        return job

    def _next(self) -> None:
        if self._pending:
            self._pending = False
            self.compute()

    def _ranked(self, uid: str, generation: int, found: list[SameClaimSuggestion]) -> None:
        if generation != self._generation or uid != self.claim_uid:
            return   # another claim (or database) is chosen now; its own ranking follows
        self._show(found)
        self.status.setText(f"{count(len(found), 'sentence')} that may state or deny this claim, most alike first"
                            if found else "No sentence of the other articles shares a word with this claim.")

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.status.setText(f"Could not rank suggestions: {message}")

    def _on_claims_change(self, change: ClaimChange) -> None:
        if self.claim_uid is None or self.claim_uid not in change.touched_claims:
            return
        if not self.session.store.has_claim(self.claim_uid):
            self.set_claim(None)
            return
        if change.links_added or change.links_removed or change.rejections_added or change.rejections_removed:
            self.compute()   # what is linked or rejected leaves the candidates (or, undone, comes back)

    # ---------------------------------------------------------------- list

    def _show(self, found: list[SameClaimSuggestion]) -> None:
        self.suggestions = list(found)
        self.list.clear()
        for s in self.suggestions:
            item = QTreeWidgetItem([f"{s.score:.2f}", one_line(excerpt(s.source or s.title, 28)),
                                    one_line(excerpt(s.text, SENTENCE_CHARS))])
            item.setToolTip(2, lines(f"{s.title} ({s.source or 'no source'})\n“{s.text}”\nReads as: {s.role}"))
            item.setToolTip(1, one_line(s.title))
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
        self._enable()

    def current(self) -> SameClaimSuggestion | None:
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        return self.suggestions[row] if 0 <= row < len(self.suggestions) else None

    def _current_changed(self) -> None:
        found = self.current()
        if found is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(found.role)))
            self.chosen.emit(found)
        self._enable()

    def _enable(self) -> None:
        chosen = self.current() is not None
        self.accept_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    def _drop(self, suggestion: SameClaimSuggestion) -> None:
        row = self.suggestions.index(suggestion)
        self.suggestions.pop(row)
        self.list.takeTopLevelItem(row)
        self._enable()

    # ------------------------------------------------------------- verdicts

    def accept(self) -> None:
        found, uid = self.current(), self.claim_uid
        if found is None or uid is None:
            self.message.emit("Choose a suggestion first.")
            return
        start, end = self.stretch_for(found)
        role = self.role.currentData()
        accepted = claim_ops.accept_suggestion(self.session, uid, found.article_id, start, end, role=role)
        if accepted is None:
            return
        if found in self.suggestions:
            self._drop(found)
        what = "Tagged and linked" if accepted.span_created else "Linked your existing span"
        self.message.emit(f"{what} {quoted(accepted.annotation.text, 60)} ({role}). Ctrl+Z undoes it.")
        self.spanAccepted.emit(found.article_id, accepted.annotation.uid)

    def reject(self) -> None:
        found, uid = self.current(), self.claim_uid
        if found is None or uid is None:
            self.message.emit("Choose a suggestion first.")
            return
        if claim_ops.reject_suggestion(self.session, uid, found.article_id, found.start, found.end) is None:
            return
        if found in self.suggestions:
            self._drop(found)
        self.message.emit(f"Rejected: {quoted(found.text, 60)} will not be suggested for this claim again.")
