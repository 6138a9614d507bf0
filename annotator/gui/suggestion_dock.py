"""The suggestion queue: open suggestions across articles, a page at a time, decided with the keyboard.

Filtered by source, label and score, ordered by uncertainty (closest to 0.5
first: what a decision teaches the model most) or by score. Only one page of
rows is read (``Store.suggestion_rows`` with a limit and an offset), so a
database with 100,000 suggestions opens the queue as fast as one with ten.
Each suggestion chosen is shown selected in its pane, where the pane's keys
work on it too. Keys here: A or Enter accept, X reject, a label's key
accepts as that label, N/J next, P/K previous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.spans import excerpt
from ..core.suggestions import KINDS, StoredModel, Suggestion
from ..core.words import count
from . import theme
from .label_style import LabelStyles
from .shown_text import html_line, one_line, shown_roles

if TYPE_CHECKING:
    from .suggestion_ops import SuggestionOperations

PAGE = 50
ANY = "(any)"
ORDERS = (("most uncertain first", "uncertainty"), ("highest score first", "score"),
          ("lowest score first", "score-ascending"), ("text order", "position"))
COLUMNS = ("Label", "Score", "Source", "Article", "Text")
KEYS_HINT = "Keys: A or Enter accept · X reject · label key accept as that label · N/P next/previous"
# Worded as the menu's own rows are (Accept the Suggestion ...), the place in brackets as theirs are.
SHORTCUT_ROWS = (("Review", "Accept the Suggestion (in the suggestion queue)", "A, Return, Enter"),
                 ("Review", "Reject the Suggestion (in the suggestion queue)", "X"),
                 ("Review", "Accept the Suggestion as a Label (in the suggestion queue)", "the label's key"),
                 ("Review", "Next in Queue (in the suggestion queue)", "N, J"),
                 ("Review", "Previous in Queue (in the suggestion queue)", "P, K"))


class SuggestionPageModel(QAbstractTableModel):
    """One page of the queue: the rows read, nothing more (a thin adapter, like the annotations table's)."""

    def __init__(self, styles: LabelStyles) -> None:
        super().__init__()
        self.rows: list[Suggestion] = []
        self.styles = styles

    def set_rows(self, rows: list[Suggestion], styles: LabelStyles) -> None:
        self.beginResetModel()
        self.rows, self.styles = rows, styles
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    @shown_roles
    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    @shown_roles
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        s, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (s.label, "—" if s.score is None else f"{s.score:.2f}", s.source, str(s.article_id),
                    excerpt(s.text, 120))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == len(COLUMNS) - 1:
            return excerpt(s.text, 400) + (f"\n{s.reason}" if s.reason else "")
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return theme.current().ink(self.styles.get(s.label).colour, 130)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _QueueTable(QTableView):
    """The rows of the page; its keys decide and move (they are the queue's, not the table's search)."""

    keyed = Signal(QKeyEvent)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if plain and (event.text().strip() or event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.keyed.emit(event)
            return
        super().keyPressEvent(event)


class SuggestionDock(QDockWidget):
    message = Signal(str)
    closed = Signal()     # its own close button: the menu's tick follows

    def __init__(self, ops: SuggestionOperations, parent: QWidget | None = None) -> None:
        super().__init__("Suggestion queue", parent)
        self.ops = ops
        self.offset = 0
        self.index = 0
        self.total = 0
        self.rows: list[Suggestion] = []
        self._filling = False

        filters = self._filters()

        self.counts = QLabel()
        self.counts.setObjectName("suggestionCounts")
        self.counts.setWordWrap(True)
        self.withheld = QLabel()
        self.withheld.setObjectName("suggestionWithheld")
        self.withheld.setWordWrap(True)
        self.position = QLabel()
        self.position.setObjectName("suggestionPosition")

        self.model = SuggestionPageModel(ops.window.styles)
        self.table = self._table()

        self.previous_button = QPushButton("◀ Previous (P)")
        self.accept_button = QPushButton("Accept (A)")
        self.accept_button.setObjectName("acceptSuggestionButton")
        self.reject_button = QPushButton("Reject (X)")
        self.reject_button.setObjectName("rejectSuggestionButton")
        self.next_button = QPushButton("Next (N) ▶")
        buttons = QHBoxLayout()
        for button, slot in ((self.previous_button, self.previous), (self.accept_button, lambda: self.accept()),
                             (self.reject_button, self.reject), (self.next_button, self.next)):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        hint = QLabel(KEYS_HINT)
        hint.setObjectName("suggestionHint")
        hint.setWordWrap(True)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.counts)
        layout.addWidget(self.withheld)
        layout.addWidget(self.position)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        self.setWidget(body)
        self.fill_filters()

    def _filters(self) -> QGridLayout:
        """Source, label, order and a score range: any change starts the queue again."""
        self.source = QComboBox()
        self.source.setObjectName("suggestionSource")
        self.label = QComboBox()
        self.label.setObjectName("suggestionLabel")
        self.order = QComboBox()
        self.order.setObjectName("suggestionOrder")
        for text, value in ORDERS:
            self.order.addItem(text, value)
        self.min_score = self._score_box("suggestionMinScore", 0.0)
        self.max_score = self._score_box("suggestionMaxScore", 1.0)
        for combo in (self.source, self.label, self.order):
            combo.currentIndexChanged.connect(self.restart)
        for box in (self.min_score, self.max_score):
            box.valueChanged.connect(self.restart)
        scores = QHBoxLayout()
        scores.addWidget(self.min_score)
        scores.addWidget(QLabel("to"))
        scores.addWidget(self.max_score)
        scores.addStretch(1)
        filters = QGridLayout()
        for row, (text, widget) in enumerate((("Source", self.source), ("Label", self.label),
                                              ("Order", self.order))):
            filters.addWidget(QLabel(text + ":"), row, 0)
            filters.addWidget(widget, row, 1)
        filters.addWidget(QLabel("Score:"), 3, 0)
        filters.addLayout(scores, 3, 1)
        return filters

    def _table(self) -> _QueueTable:
        """One page of the queue, a row a suggestion; keys and clicks act on the row."""
        table = _QueueTable()
        table.setModel(self.model)
        table.setObjectName("suggestionTable")
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        # Fixed widths: ResizeToContents measured every cell of the page on each change (140 ms a page).
        for column, width in enumerate((90, 48, 80, 56)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        table.keyed.connect(self._key)
        table.clicked.connect(lambda index: self._choose(index.row()))
        return table

    @staticmethod
    def _score_box(name: str, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(name)
        box.setRange(0.0, 1.0)
        box.setSingleStep(0.05)
        box.setDecimals(2)
        box.setValue(value)
        return box

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        super().closeEvent(event)
        self.closed.emit()

    # -------------------------------------------------------------- filters

    def fill_filters(self) -> None:
        """(Re)list the sources and labels, with the open suggestions' counts per source and label."""
        self._filling = True
        try:
            store = self.ops.store
            counts = store.suggestion_counts()
            sources = sorted({source for source, _label in counts})
            kinds = [k for k in KINDS if any(s.split(":", 1)[0] == k for s in sources)]
            self._refill(self.source, [(ANY, None)] + [(f"{k} (all)" if k != "rules" else k, k) for k in kinds]
                         + [(s, s) for s in sources if s != "rules"])
            self._refill(self.label, [(ANY, None)] + [(label.name, label.name) for label in store.labels()])
            self.counts.setText(_counts_text(counts))
            held = _withheld_text(store.stored_models())
            self.withheld.setText(held)
            self.withheld.setVisible(bool(held))
        finally:
            self._filling = False

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, object]]) -> None:
        current = combo.currentData() if combo.count() else None
        combo.clear()
        for text, data in items:
            combo.addItem(one_line(text), data)
        found = combo.findData(current)
        combo.setCurrentIndex(found if found >= 0 else 0)

    def filters(self) -> dict[str, object]:
        source, label = self.source.currentData(), self.label.currentData()
        low, high = self.min_score.value(), self.max_score.value()
        return {"sources": (source,) if source else (), "labels": (label,) if label else (),
                # the full range means no bound: suggestions without a score (some imports) stay in
                "min_score": low if low > 0 else None, "max_score": high if high < 1 else None}

    def restart(self) -> None:
        if self._filling:
            return
        self.offset, self.index = 0, 0
        self._load()
        self._go()

    # ----------------------------------------------------------- the page

    def refresh(self, *, filters: bool = False) -> None:
        """Read the page again where it is (a decision took a row out: the next one slides into its place)."""
        if filters:
            self.fill_filters()
        else:
            self.counts.setText(_counts_text(self.ops.store.suggestion_counts()))
        self._load()

    def _load(self) -> None:
        store = self.ops.store
        filters = self.filters()
        self.total = store.suggestion_count(**filters)  # type: ignore[arg-type]
        if self.offset >= self.total:
            self.offset = max(0, (self.total - 1) // PAGE * PAGE)
        self.rows = store.suggestion_rows(**filters, order=self.order.currentData(),  # type: ignore[arg-type]
                                          offset=self.offset, limit=PAGE)
        self.index = min(self.index, max(0, len(self.rows) - 1))
        self.model.set_rows(self.rows, self.ops.window.styles)
        self._show_place()

    def _show_place(self) -> None:
        place = self.offset + self.index + 1 if self.rows else 0
        # Buttons that would only say "nothing to do" are off (QA4-20).
        self.accept_button.setEnabled(bool(self.rows))
        self.reject_button.setEnabled(bool(self.rows))
        self.previous_button.setEnabled(place > 1)
        self.next_button.setEnabled(0 < place < self.total)
        if not self.rows:
            # With none open at all, the counts line above says so (and how to make some): one thing said once.
            none_at_all = not self.ops.store.suggestion_counts()
            self.position.setText("" if none_at_all else "No open suggestion matches these filters.")
            self.table.clearSelection()
            return
        self.position.setText(f"{place} of {count(self.total, 'open suggestion')}"
                              f" (page {self.offset // PAGE + 1} of {(self.total - 1) // PAGE + 1})")
        self.table.selectRow(self.index)

    def current(self) -> Suggestion | None:
        return self.rows[self.index] if 0 <= self.index < len(self.rows) else None

    # ----------------------------------------------------------- navigation

    def next(self) -> None:
        if self.index + 1 < len(self.rows):
            self.index += 1
        elif self.offset + PAGE < self.total:
            self.offset += PAGE
            self.index = 0
            self._load()
        else:
            self.message.emit("End of the suggestion queue." if self.total else "No open suggestions here.")
            return
        self._go()

    def previous(self) -> None:
        if self.index > 0:
            self.index -= 1
        elif self.offset > 0:
            self.offset = max(0, self.offset - PAGE)
            self._load()
            self.index = len(self.rows) - 1
        else:
            self.message.emit("Start of the suggestion queue.")
            return
        self._go()

    def _choose(self, row: int) -> None:
        self.index = row
        self._go()

    def _go(self) -> None:
        self._show_place()
        self.show_current()

    def show_current(self) -> None:
        """Show the current suggestion selected in its pane (opened in the active pane if no pane shows it)."""
        current = self.current()
        if current is not None:
            self.ops.show_suggestion(current)

    # ------------------------------------------------------------ decisions

    def accept(self, label: str | None = None) -> None:
        current = self.current()
        if current is None:
            self.message.emit("Nothing to accept: the queue is empty.")
            return
        if self.ops.accept(current, label):
            self._go()   # the page was read again: the next suggestion is in this place now

    def reject(self) -> None:
        current = self.current()
        if current is None:
            self.message.emit("Nothing to reject: the queue is empty.")
            return
        if self.ops.reject(current):
            self._go()

    def _key(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or text.upper() == "A":
            self.accept()
        elif text.upper() == "X":
            self.reject()
        elif text.upper() in ("N", "J"):
            self.next()
        elif text.upper() in ("P", "K"):
            self.previous()
        else:
            style = next((s for s in self.ops.window.styles
                          if s.label.shortcut and s.label.shortcut.casefold() == text.casefold()), None)
            if style is not None:
                self.accept(style.name)
            else:
                self.message.emit(KEYS_HINT)


def _withheld_text(models: list[StoredModel]) -> str:
    """Why the queue holds no suggestion of some label from a model: the labels it withholds, as the CLI says."""
    from ..core.suggest_model import withheld

    return "\n".join(one_line(f"model:{m.name}: {label} not offered: {why}.")
                      for m in models for label, why in sorted(withheld(m.metrics, m.params.get("labels", [])).items()))


def _counts_text(counts: dict[tuple[str, str], int]) -> str:
    """Open suggestions per source, and per label within it."""
    if not counts:
        return "No open suggestions. Review > Suggest with the Cue Rules makes some."
    by_source: dict[str, list[tuple[str, int]]] = {}
    for (source, label), n in sorted(counts.items()):
        by_source.setdefault(source, []).append((label, n))
    return " · ".join(f"<b>{html_line(source)}</b> {sum(n for _l, n in labels)}: "
                      + ", ".join(f"{html_line(label)} {n}" for label, n in labels)
                      for source, labels in by_source.items())
