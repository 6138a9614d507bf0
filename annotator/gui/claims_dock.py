"""The claims dock (the claim tracker): every claim, who states, denies or supports it, the verdict; its spans.

One row per claim, filtered by a search box and sorted by any column; a
claim expands into its spans (article, outlet, date, role, text), and
double-clicking a span shows it in a pane. Summary, claimant, verdict and a
span's role are edited in place (Left and Right go to the cell, F2 or Enter edits
it; or a double-click on the cell: each edit one undoable step); the Edit
button opens every field with the explanation. Merge, split, take a span out,
delete: each is one undoable step (Ctrl+Z). Below, the same-claim suggestions
for the chosen claim.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..core.claims import ROLES, Claim, ClaimChange, ClaimSpan
from ..core.spans import quoted
from ..core.words import count
from . import claim_ops
from .claim_dialogs import NO_VERDICT, ClaimDialog, MergeClaimsDialog
from .claim_models import ARTICLE_ROLE, UID_ROLE, VERDICT_COLUMN, ClaimTreeModel
from .claim_suggestions_panel import SuggestionsPanel
from .session import AnnotationSession, Change
from .shown_text import one_line

AnyIndex = QModelIndex | QPersistentModelIndex


class _ChoiceDelegate(QStyledItemDelegate):
    """A combo box for the verdict (the rating scale) and a span's role."""

    def __init__(self, choices: Callable[[AnyIndex], list[tuple[str, str]]], parent: QWidget) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        combo.setObjectName("claimChoice")
        for text, value in self.choices(index):
            combo.addItem(one_line(text), value)
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")))

    def setModelData(self, editor: QWidget, model, index: AnyIndex) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


CLAIMANT_WIDTH, FIRST_SEEN_WIDTH = 100, 76   # at most: a narrow dock gives them less (_ClaimTree.fit_columns)


class _ClaimTree(QTreeView):
    """The claims and their spans, worked from the keyboard as a table is.

    A tree whose rows are selected whole moves along a row with neither arrow
    (Left and Right open and close a claim), so the verdict and a span's role
    could be reached with the mouse only. Here Left and Right go from cell to
    cell; F2, or Enter, edits the cell (the verdict and the role in a list:
    Up and Down choose, Enter keeps, Esc leaves it as it was); + and - open and
    close a claim, and Left in the first column closes it (or goes up to it).
    Enter on a cell that cannot be edited shows the span in a pane, as before.
    """

    def __init__(self) -> None:
        super().__init__()
        self._fitting = QTimer(self, singleShot=True, interval=0)
        self._fitting.timeout.connect(self.fit_columns)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.fit_columns()

    def fit_soon(self) -> None:
        """Fit once the changes of this turn of the event loop are in, and only while the tree is shown:
        measuring lays the tree out, and a hidden dock's tree laid out 5,000 claims on every link."""
        if self.isVisible() and not self._fitting.isActive():
            self._fitting.start()

    def fit_columns(self) -> None:
        """The claim's own column (the summary: what a reader reads here) keeps most of a narrow dock: the
        claimant and date columns give way first, the claimant's down to what it holds (QA4-23: the summary
        shrank to "#1 …" beside an empty claimant column 100 px wide)."""
        header = self.header()
        rest = max(0, self.viewport().width() - sum(header.sectionSize(c) for c in range(3, header.count())))
        self.setColumnWidth(1, max(24, min(CLAIMANT_WIDTH, self._claimants_on_screen(), rest // 4)))
        self.setColumnWidth(2, max(24, min(FIRST_SEEN_WIDTH, rest // 6)))

    def _claimants_on_screen(self) -> int:
        """How wide the claimants of the rows on screen are. Only those: ``sizeHintForColumn`` asks every
        row, 5,000 claims and their open spans on each change (L took 140 ms with the dock open)."""
        if self.model() is None:
            return 0
        metrics, bottom = self.fontMetrics(), self.viewport().height()
        index, widest = self.indexAt(QPoint(1, 1)), 0
        while index.isValid() and self.visualRect(index).top() <= bottom:
            text = index.siblingAtColumn(1).data()
            if text:
                widest = max(widest, metrics.horizontalAdvance(str(text)) + 2 * self.style().pixelMetric(
                    QStyle.PixelMetric.PM_FocusFrameHMargin) + 8)
            index = self.indexBelow(index)
        return widest

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        index = self.currentIndex()
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if index.isValid() and plain and self.state() != QAbstractItemView.State.EditingState:
            step = {Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1}.get(Qt.Key(key), 0)
            if step and 0 <= index.column() + step < self.model().columnCount(index.parent()):
                cell = index.siblingAtColumn(index.column() + step)
                self.selectionModel().setCurrentIndex(cell, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.scrollTo(cell)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.flags() & Qt.ItemFlag.ItemIsEditable:
                self.edit(index)
                return
        super().keyPressEvent(event)


class ClaimsDock(QDockWidget):
    claimChosen = Signal(str, bool)     # claim uid ("" for none), whether the user chose it (scroll the panes)
    spanActivated = Signal(int, str)    # article id, span uid
    matrixRequested = Signal()
    message = Signal(str)

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__("Claims", parent)
        self.setObjectName("claimsDock")
        self.session = session
        # Hooks a test replaces: what the user answers in a dialog.
        self.confirm: Callable[[str], bool] = self._confirm
        self.choose_merge: Callable[[Claim], str | None] = self._choose_merge
        self.edit_dialog: Callable[[Claim], ClaimDialog | None] = self._edit_dialog
        self._programmatic = False

        self.model = ClaimTreeModel(lambda: self.session.store, edit=self._edit_cell, edit_role=self._edit_role)
        self.filter = QLineEdit()
        self.filter.setObjectName("claimFilter")
        self.filter.setPlaceholderText("Filter claims (summary, claimant)…")
        self.filter.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(self._debounce.start)
        self.filter.returnPressed.connect(self._filter_and_go_to_list)
        self.count = QLabel()
        self.count.setObjectName("claimCount")

        self.tree = self._tree()
        bar = self._action_bar()

        self.suggestions = SuggestionsPanel(session)
        self.suggestions.message.connect(self.message)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.filter, 1)
        search_row.addWidget(self.count)
        top_layout.addLayout(search_row)
        top_layout.addWidget(self.tree, 1)
        top_layout.addLayout(bar)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        heading = QLabel("<b>Same-claim suggestions</b> for the chosen claim")
        bottom_layout.addWidget(heading)
        bottom_layout.addWidget(self.suggestions, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(split)
        self.setWidget(body)

        session.claimsChanged.connect(self._on_claims_change)
        session.changed.connect(self._on_span_change)
        session.storeChanged.connect(lambda _store: self.reload())
        self._enable()

    def _tree(self) -> QTreeView:
        """The claims, each over its spans: sortable, the verdict chosen in place, a menu on the right button."""
        tree = _ClaimTree()
        tree.setObjectName("claimTree")
        tree.setModel(self.model)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        tree.setSortingEnabled(True)
        tree.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._context_menu)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # as wide in all as before the context column came: the claim's own column keeps its share
        for col, width in ((1, CLAIMANT_WIDTH), (2, FIRST_SEEN_WIDTH), (3, 24), (4, 24), (5, 24), (6, 24),
                           (VERDICT_COLUMN, 84)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            tree.setColumnWidth(col, width)
        for changed in (self.model.modelReset, self.model.rowsInserted, self.model.dataChanged, tree.expanded,
                        tree.verticalScrollBar().valueChanged):
            changed.connect(tree.fit_soon)   # what the claimant column holds on screen changed
        tree.setItemDelegateForColumn(VERDICT_COLUMN, _ChoiceDelegate(self._choices, tree))
        tree.selectionModel().selectionChanged.connect(self._selection_changed)
        tree.doubleClicked.connect(self._activated)
        tree.activated.connect(self._activated)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_count)
        return tree

    def _action_bar(self) -> QHBoxLayout:
        """Edit, merge, split out, take out, delete and the matrix, as buttons under the tree."""
        self.actions_by_id: dict[str, QAction] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for action_id, text, tip, slot in (
            ("edit", "Edit…", "Summary, claimant, date, verdict and explanation of the chosen claim (F2 edits a cell)",
             self.edit_claim),
            ("merge", "Merge…", "Another claim is the same claim: merge it into this one", self.merge),
            ("split", "Split Out", "Take the chosen span out of its claim into a claim of its own", self.split),
            ("unlink", "Take Out", "Take the chosen span out of the claim (the span stays)", self.unlink),
            ("delete", "Delete…", "Delete the chosen claim and its links (the spans stay)", self.delete),
            ("matrix", "Matrix", "Claims × articles: who states, denies or supports each claim",
             self.matrixRequested.emit),
        ):
            action = QAction(text, self)
            action.setObjectName(f"claim_{action_id}")
            action.setToolTip(tip)
            action.triggered.connect(slot)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            bar.addWidget(button)
            self.actions_by_id[action_id] = action
        bar.addStretch(1)
        return bar

    # ---------------------------------------------------------------- model

    def reload(self) -> None:
        chosen = self.current_claim()
        self.model.reload()
        if chosen is not None:
            self.select_claim(chosen, user=False)
        self._update_count()

    def apply_filter(self) -> None:
        self._debounce.stop()
        chosen = self.current_claim()
        self.model.set_search(self.filter.text().strip())
        if chosen is not None and self.model.row_of(chosen) is not None:
            self.select_claim(chosen, user=False)
        self._update_count()

    def _filter_and_go_to_list(self) -> None:
        self.apply_filter()
        self.tree.setFocus(Qt.FocusReason.TabFocusReason)
        if self.model.rowCount() and not self.tree.selectionModel().hasSelection():
            self.tree.setCurrentIndex(self.model.index(0, 0))

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self.model.search:
            self.count.setText(f"{shown} of {self.session.store.claim_count()}")
        else:
            self.count.setText(count(shown, "claim"))

    def _on_claims_change(self, change: ClaimChange) -> None:
        self.model.apply(change)
        self._update_count()
        chosen = self.current_claim()
        if chosen is not None and chosen in change.touched_claims:
            self.claimChosen.emit(chosen, False)   # its spans moved: outline them again
        self._enable()

    def _on_span_change(self, change: Change) -> None:
        # A resized or relabelled span shows its new text under its claims.
        if change.kind == "updated":
            claims = {k.claim_uid for k in self.session.store.links_of_span(change.annotation.uid)}
            if claims:
                self.model.refresh_claims(claims)

    # ------------------------------------------------------------ selection

    def _chosen_index(self) -> QModelIndex:
        """The row the user chose: the current one only while it is selected. Qt moves the current index on
        its own when rows go (a linked span deleted), and a claim must not become chosen that way (QA4-4)."""
        index = self.tree.currentIndex()
        return index if index.isValid() and self.tree.selectionModel().isSelected(index) else QModelIndex()

    def current_claim(self) -> str | None:
        return self.model.claim_uid(self._chosen_index())

    def current_span(self) -> ClaimSpan | None:
        return self.model.span_at(self._chosen_index())

    def select_claim(self, uid: str, *, user: bool = False) -> bool:
        index = self.model.claim_index(uid)
        if not index.isValid():
            return False
        self._programmatic = not user
        try:
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        finally:
            self._programmatic = False
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        uid = self.current_claim()
        self.claimChosen.emit(uid or "", not self._programmatic)
        self.suggestions.set_claim(uid)
        self._enable()

    def _enable(self) -> None:
        claim = self.current_claim() is not None
        span = self.current_span() is not None
        for action_id in ("edit", "merge", "delete"):
            self.actions_by_id[action_id].setEnabled(claim)
        for action_id in ("split", "unlink"):
            self.actions_by_id[action_id].setEnabled(span)

    def _activated(self, index: QModelIndex) -> None:
        article_id, uid = index.data(ARTICLE_ROLE), index.data(UID_ROLE)
        if index.internalId() != 0 and article_id is not None and uid:
            self.spanActivated.emit(int(article_id), str(uid))

    # --------------------------------------------------------------- edits

    def _edit_cell(self, uid: str, field: str, value: str | None) -> bool:
        if field == "verdict":
            return claim_ops.edit_claim(self.session, uid, verdict=(value, None)) is not None
        return claim_ops.edit_claim(self.session, uid, {field: value or ""}) is not None

    def _edit_role(self, span_uid: str, claim_uid: str, role: str) -> bool:
        return claim_ops.set_role(self.session, span_uid, claim_uid, role) is not None

    def _choices(self, index: AnyIndex) -> list[tuple[str, str]]:
        if index.internalId() != 0:
            return [(role, role) for role in ROLES]
        return [(NO_VERDICT, "")] + [(r.name, r.name) for r in self.session.store.ratings()]

    def edit_claim(self) -> None:
        uid = self.current_claim()
        if uid is None:
            self.message.emit("Choose a claim first.")
            return
        dialog = self.edit_dialog(self.session.store.claim(uid))
        if dialog is None:
            return
        changes, verdict = dialog.changes(), dialog.verdict_change()
        if not changes and verdict is None:
            return
        if claim_ops.edit_claim(self.session, uid, changes, verdict=verdict) is not None:
            self.message.emit("Claim saved. Ctrl+Z undoes it.")

    def _edit_dialog(self, claim: Claim) -> ClaimDialog | None:
        dialog = ClaimDialog(claim, self.session.store.ratings(), self)
        return dialog if dialog.exec() else None

    def merge(self) -> None:
        keep = self.current_claim()
        if keep is None:
            self.message.emit("Choose the claim to keep first.")
            return
        absorb = self.choose_merge(self.session.store.claim(keep))
        if absorb is None:
            return
        if claim_ops.merge_claims(self.session, keep, absorb) is not None:
            self.select_claim(keep, user=False)
            self.message.emit("Merged: one claim now holds both claims' spans. Ctrl+Z undoes it.")

    def _choose_merge(self, keep: Claim) -> str | None:
        store = self.session.store
        dialog = MergeClaimsDialog(keep, lambda text: store.claim_rows(search=text, limit=200), self)
        return dialog.chosen() if dialog.exec() else None

    def split(self) -> None:
        span = self.current_span()
        if span is None:
            self.message.emit("Expand a claim and choose one of its spans to split it out.")
            return
        change = claim_ops.split_span(self.session, span.span_uid, span.link.claim_uid)
        if change is not None and change.claim_uid is not None:
            self.select_claim(change.claim_uid, user=False)
            self.message.emit("The span now has a claim of its own. Ctrl+Z undoes it.")

    def unlink(self) -> None:
        span = self.current_span()
        if span is None:
            self.message.emit("Expand a claim and choose one of its spans to take it out.")
            return
        if claim_ops.unlink(self.session, span.span_uid, span.link.claim_uid) is not None:
            self.message.emit("The span is out of the claim (it is still tagged). Ctrl+Z undoes it.")

    def delete(self) -> None:
        uid = self.current_claim()
        if uid is None:
            self.message.emit("Choose a claim first.")
            return
        claim = self.session.store.claim(uid)
        if not self.confirm(f"Delete claim #{claim.id} {quoted(claim.summary, 60)} and its links?"
                            " The spans stay tagged; Ctrl+Z brings the claim back."):
            return
        if claim_ops.delete_claim(self.session, uid) is not None:
            self.message.emit("Claim deleted. Ctrl+Z brings it back.")

    def _confirm(self, question: str) -> bool:
        """Delete, or not: Enter and Esc keep the claim (as deleting an article asks)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Delete claim", one_line(question),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("deleteClaimBox")
        delete = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
        delete.setAutoDefault(False)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        span = self.current_span()
        if span is not None:
            show = menu.addAction("Show in a Pane")
            show.triggered.connect(lambda: self.spanActivated.emit(span.article_id, span.span_uid))
            roles = menu.addMenu("Role")
            for role in ROLES:
                item = roles.addAction(role)
                item.setCheckable(True)
                item.setChecked(role == span.role)
                item.triggered.connect(lambda _c=False, role=role: self._edit_role(span.span_uid,
                                                                                   span.link.claim_uid, role))
            menu.addAction(self.actions_by_id["split"])
            menu.addAction(self.actions_by_id["unlink"])
            menu.addSeparator()
        for action_id in ("edit", "merge", "delete", "matrix"):
            menu.addAction(self.actions_by_id[action_id])
        menu.popup(self.tree.viewport().mapToGlobal(pos))
