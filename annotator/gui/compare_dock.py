"""Compare two annotators on one article: the list of disagreements, stepped through, adopted with a key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.compare import Comparison, Disagreement, Side, compare
from ..core.errors import AnnotatorError
from ..core.model import Annotation
from ..core.spans import quoted
from ..core.words import count
from .article_choice import article_items
from .session import AnnotationSession
from .shown_text import html_line, lines, one_line

SHOWN_ROWS = 3    # disagreements the list always has room for (one showed, in a dock under the claims dock)
WANTED_ROWS = 6   # and how many it asks the window's dock area for, when that has room to give
KIND_WORDS = {"only_a": "only {a}", "only_b": "only {b}", "label": "label differs", "boundary": "boundary differs"}


_VERDICT = {"accepted": "✓ ", "rejected": "✗ ", "pending": ""}


def _spans(side: tuple[Annotation, ...]) -> str:
    # ✓/✗: already adopted or turned down, so a reviewer sees what is left to decide. Only the
    # labels: the text is in the first column and the tooltip, and the dock is narrow.
    return ", ".join(f"{_VERDICT[x.status]}{x.label}" for x in side) or "—"


def _detail(side: tuple[Annotation, ...]) -> str:
    return "; ".join(f"{_VERDICT[x.status]}{x.label} {quoted(x.text, 60)}" for x in side) or "no span"


def _disagreement_table() -> QTableWidget:
    """The list of disagreements: one row each, read-only, the text column taking the room left."""
    table = QTableWidget(0, 4)
    table.setObjectName("disagreementTable")
    table.setHorizontalHeaderLabels(["Text", "Disagreement", "Left", "Right"])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in (1, 2, 3):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table


class CompareDock(QDockWidget):
    started = Signal(object)            # Comparison: show it in two panes
    chosen = Signal(object)             # Disagreement to show
    closed = Signal()
    message = Signal(str)

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None, *,
                 open_articles: Callable[[], list[int]] = list) -> None:
        super().__init__("Compare annotators", parent)
        self.open_articles = open_articles
        self.setObjectName("compareDock")
        self.session = session
        self.comparison: Comparison | None = None
        self._told_own_side: set[tuple[int, str, str]] = set()

        self.article = QComboBox()
        self.article.setObjectName("compareArticle")
        self.left = QComboBox()
        self.left.setObjectName("compareLeft")
        self.right = QComboBox()
        self.right.setObjectName("compareRight")
        go = QPushButton("Compare")
        go.setObjectName("compareButton")
        go.clicked.connect(self.run)
        close = QPushButton("Close comparison")
        close.setObjectName("closeComparison")
        close.clicked.connect(self.close_comparison)
        # Kept compact, so that the list of disagreements has the room (the dock often shares its
        # column with the claims dock): both annotators on one row, the verdict buttons on one row.
        form = QFormLayout()
        form.addRow("Article:", self.article)
        sides = QHBoxLayout()
        sides.addWidget(self.left, 1)
        sides.addWidget(QLabel("against"))
        sides.addWidget(self.right, 1)
        form.addRow("Panes:", sides)
        self.right.setToolTip("The annotator shown in the right pane")
        self.left.setToolTip("The annotator shown in the left pane")
        buttons = QHBoxLayout()
        buttons.addWidget(go)
        buttons.addWidget(close)

        self.summary = QLabel()
        self.summary.setObjectName("compareSummary")
        self.summary.setWordWrap(True)
        self.table = _disagreement_table()
        self.table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._chose(row))
        adopt = self._adopt_buttons()
        hint = QLabel("N / P step through the list · [ or ] adopts a side: its spans accepted (✓), the other's"
                      " rejected (✗)")
        hint.setWordWrap(True)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(adopt)
        layout.addWidget(hint)
        self.setWidget(body)
        # Filled when a comparison is asked for (open_compare), not when the reviewer's tools load.

    def _adopt_buttons(self) -> QHBoxLayout:
        """Adopt left, adopt right (they leave the keyboard focus in the panes), and accept what both agree on."""
        self.adopt_left = QPushButton("Adopt left ([)")
        self.adopt_right = QPushButton("Adopt right (])")
        for button, side in ((self.adopt_left, "a"), (self.adopt_right, "b")):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, side=side: self.adopt(side))
        self.accept_same = QPushButton("Accept what both agree on")
        self.accept_same.setObjectName("acceptAgreements")
        self.accept_same.setToolTip("Accept one copy of each span both tagged identically; the other is marked a"
                                    " duplicate (rejected)")
        self.accept_same.clicked.connect(self.accept_agreements)
        row = QHBoxLayout()
        row.addWidget(self.adopt_left)
        row.addWidget(self.adopt_right)
        row.addWidget(self.accept_same)
        return row

    def fill(self, article_id: int | None = None) -> None:
        store = self.session.store
        self.article.clear()
        for text, aid in article_items(store, [*([article_id] if article_id is not None else []),
                                               *self.open_articles()]):
            self.article.addItem(text, aid)
        if article_id is not None and self.article.findData(article_id) >= 0:
            self.article.setCurrentIndex(self.article.findData(article_id))
        names = store.annotators()
        for combo, index in ((self.left, 0), (self.right, 1)):
            current = combo.currentData()
            combo.clear()
            for name in names:
                combo.addItem(one_line(name), name)
            if current in names:
                combo.setCurrentIndex(combo.findData(current))
            elif index < len(names):
                combo.setCurrentIndex(index)
        # Kept from before a merge brought a second annotator, both may name the same one.
        if self.left.currentData() == self.right.currentData():
            other = next((n for n in names if n != self.left.currentData()), None)
            if other is not None:
                self.right.setCurrentIndex(self.right.findData(other))

    def run(self) -> None:
        article_id, a, b = self.article.currentData(), self.left.currentData(), self.right.currentData()
        if article_id is None or not a or not b:
            self.message.emit("Choose an article and two annotators.")
            return
        try:
            self.comparison = compare(self.session.store, article_id, a, b)
        except AnnotatorError as exc:
            self.message.emit(str(exc))
            return
        self.started.emit(self.comparison)
        self._fill_table(0)

    def close_comparison(self) -> None:
        """The button: end the comparison (the panes go back as they were) and put the panel away."""
        self.stop()
        self.hide()

    def stop(self) -> None:
        self.comparison = None
        self.table.setRowCount(0)
        self.summary.setText("")
        self.closed.emit()

    def refresh(self) -> None:
        """Compare again (after a verdict), keeping the place in the list."""
        if self.comparison is None:
            return
        row = max(0, self.table.currentRow())
        c = self.comparison
        self.comparison = compare(self.session.store, c.article_id, c.annotator_a, c.annotator_b)
        self._fill_table(min(row, len(self.comparison.disagreements) - 1))

    def _fill_table(self, row: int) -> None:
        c = self.comparison
        assert c is not None
        words = {k: v.format(a=c.annotator_a, b=c.annotator_b) for k, v in KIND_WORDS.items()}
        text = self.session.store.article_text(c.article_id)
        self.table.blockSignals(True)
        self.table.setHorizontalHeaderLabels(
            ["Text", "Disagreement", one_line(f"{c.annotator_a} (left)"), one_line(f"{c.annotator_b} (right)")])
        self.table.setRowCount(len(c.disagreements))
        for r, d in enumerate(c.disagreements):
            where = quoted(text[d.start:d.end], 28)
            for col, value in enumerate((where, words[d.kind], _spans(d.a), _spans(d.b))):
                item = QTableWidgetItem(one_line(value))
                item.setToolTip(lines(f"{d.describe()}\n{quoted(text[d.start:d.end], 300)}\n\n"
                                      f"{c.annotator_a}: {_detail(d.a)}\n{c.annotator_b}: {_detail(d.b)}"))
                self.table.setItem(r, col, item)
        self.table.blockSignals(False)
        agree = len(c.agreements)
        undecided = sum(1 for d in c.disagreements if all(x.status == "pending" for x in (*d.a, *d.b)))
        self.summary.setText(
            f"<b>{html_line(c.annotator_a)}</b> (left) against <b>{html_line(c.annotator_b)}</b> (right): "
            f"{agree} span{'s' if agree != 1 else ''} agree{'s' if agree == 1 else ''}, "
            f"{count(len(c.disagreements), 'disagreement')}"
            f" ({undecided} undecided).")
        self._fit_rows()
        if c.disagreements:
            self.table.setCurrentCell(max(0, row), 0)
            self._chose(max(0, row))

    def _fit_rows(self) -> None:
        """Room for SHOWN_ROWS disagreements always, and up to WANTED_ROWS where the docks beside it can give it.

        Measured from the rows as drawn (their height follows the font and the
        style), and taken from the other docks of the column by the main
        window, which never grows for it.
        """
        row = self.table.rowHeight(0) if self.table.rowCount() else self.table.verticalHeader().defaultSectionSize()
        # what the table spends beside its rows (header, frame), as laid out: the style sheet pads the header
        chrome = self.table.height() - self.table.viewport().height()
        if chrome <= 0:   # not laid out yet
            chrome = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        self.table.setMinimumHeight(chrome + SHOWN_ROWS * row)
        window = self.parentWidget()
        short = chrome + min(max(self.table.rowCount(), SHOWN_ROWS), WANTED_ROWS) * row - self.table.height()
        if isinstance(window, QMainWindow) and not self.isFloating() and short > 0:
            window.resizeDocks([self], [self.height() + short], Qt.Orientation.Vertical)

    def current(self) -> Disagreement | None:
        if self.comparison is None:
            return None
        row = self.table.currentRow()
        return self.comparison.disagreements[row] if 0 <= row < len(self.comparison.disagreements) else None

    def _chose(self, row: int) -> None:
        if self.comparison is not None and 0 <= row < len(self.comparison.disagreements):
            self.chosen.emit(self.comparison.disagreements[row])

    def step(self, delta: int) -> None:
        if self.comparison is None or not self.comparison.disagreements:
            self.message.emit("No disagreements to step through.")
            return
        row = min(max(self.table.currentRow() + delta, 0), len(self.comparison.disagreements) - 1)
        self.table.setCurrentCell(row, 0)

    def accept_agreements(self) -> None:
        if self.comparison is None:
            self.message.emit("Compare two annotators first.")
            return
        pending = [pair for pair in self.comparison.agreements if any(x.status == "pending" for x in pair)]
        if not pending:
            self.message.emit("Nothing left to accept: every span both agree on has been decided.")
            return
        if self.session.accept_agreements(self.comparison):
            self.message.emit(f"Accepted {count(len(pending), 'span')} both agree on.")
            self.refresh()

    def adopt(self, side: Side) -> None:
        d = self.current()
        if d is None:
            self.message.emit("Choose a disagreement first.")
            return
        who, other = (d.annotator_a, d.annotator_b) if side == "a" else (d.annotator_b, d.annotator_a)
        taken, dropped = (d.a, d.b) if side == "a" else (d.b, d.a)
        comparison = self.comparison
        assert comparison is not None
        row = self.table.currentRow()
        if all(x.status == "accepted" for x in taken) and all(x.status == "rejected" for x in dropped) \
                and (taken or dropped):
            self.message.emit(f"Already decided: {who}'s side.{self._move_on(row)}")
            return
        if self.session.adopt(d, side):
            if not taken:
                said = f"{who} has no span here, so {other}'s was rejected."
            else:
                said = f"{who}'s span accepted into the gold set" + (f", {other}'s rejected." if dropped else ".")
            self.refresh()
            self.message.emit(f"Adopted {who}'s side: {said}{self._move_on(row)}{self._own_side(comparison)}")

    def _move_on(self, row: int) -> str:
        """Go on to the next undecided disagreement, as the review queue moves on after a verdict."""
        assert self.comparison is not None
        found = self.comparison.next_undecided(row)
        if found is None:
            return " Every disagreement is decided."
        self.table.setCurrentCell(found, 0)
        return ""

    def _own_side(self, comparison: Comparison) -> str:
        """Once per comparison: the reviewer adopting is one of the two compared (allowed: a lead reviews
        their own work too; but said, since the gold set then takes that side on their own word)."""
        me = self.session.annotator
        key = (comparison.article_id, comparison.annotator_a, comparison.annotator_b)
        if not comparison.involves(me) or key in self._told_own_side:
            return ""
        self._told_own_side.add(key)
        return f" (You are {me}, one of the two compared.)"
