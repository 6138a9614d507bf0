"""The training report: what the model learnt from and how well it finds each label, as ``annotator train`` prints."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.words import count
from .shown_text import one_line

if TYPE_CHECKING:
    from ..core.suggest_model import TrainingReport

COLUMNS = ("Label", "Examples", "Precision", "Recall", "F1", "Suggestions")


def summary(report: TrainingReport) -> str:
    """The lines above the table: the same words as ``annotator train``."""
    unfit = f"; {count(report.unfit, 'span')} fit no sentence or clause" if report.unfit else ""
    head = (f"Model {report.name}: learnt from {count(report.spans, 'span')} in {count(report.articles, 'article')}"
            f" ({count(report.units, 'sentence or clause', 'sentences and clauses')} as examples{unfit}).")
    if not report.folds:
        return head + ("\nNot cross-validated: that needs spans in two articles or more; until it is, its"
                       " suggestions are not offered (their quality is unknown).")
    return head + f"\nCross-validated by article ({report.folds} folds), per sentence or clause:"


def withheld_note(report: TrainingReport) -> str:
    """The line below the table: which labels the model will not suggest, and why (as ``annotator train``)."""
    from ..core.suggest_model import MIN_EXAMPLES, MIN_F1

    if not report.withheld or not report.folds:
        return ""
    return (f"Not offered (a label needs F1 {MIN_F1:.2f} or more and {MIN_EXAMPLES} examples): "
            + "; ".join(f"{label}: {why}" for label, why in report.withheld.items()) + ".")


class TrainingDialog(QDialog):
    def __init__(self, report: TrainingReport, retrain_every: int, set_retrain_every: Callable[[int], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingDialog")
        self.setWindowTitle("The model is trained")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._set_retrain_every = set_retrain_every
        self._retrain_every = retrain_every
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary(report))
        self.summary.setObjectName("trainingSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(report.metrics), len(COLUMNS))
        self.table.setObjectName("trainingMetrics")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (label, m) in enumerate(report.metrics.items()):
            offered = "not offered" if label in report.withheld else "offered"
            cells = (label, str(m["examples"]), f"{m['precision']:.2f}", f"{m['recall']:.2f}", f"{m['f1']:.2f}",
                     offered)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(one_line(value))
                if 0 < column < len(COLUMNS) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(report.metrics))
        layout.addWidget(self.table)
        self.withheld = QLabel(withheld_note(report))
        self.withheld.setObjectName("trainingWithheld")
        self.withheld.setWordWrap(True)
        self.withheld.setVisible(bool(self.withheld.text()))
        layout.addWidget(self.withheld)
        every = QHBoxLayout()
        every.addWidget(QLabel("Retrain in the background after every"))
        self.every = QSpinBox()
        self.every.setObjectName("retrainEvery")
        self.every.setRange(0, 100_000)
        self.every.setValue(retrain_every)
        self.every.setSpecialValueText("never")
        every.addWidget(self.every)
        every.addWidget(QLabel("changes to spans (a setting of this database)"))
        every.addStretch(1)
        layout.addLayout(every)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.every.setFocus()   # the one field: the keyboard starts there, Enter closes (and keeps it)
        self.resize(520, 320)

    def done(self, result: int) -> None:
        if self.every.value() != self._retrain_every:
            self._set_retrain_every(self.every.value())
        super().done(result)
