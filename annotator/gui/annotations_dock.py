"""The annotations dock: the spans of the open articles, filterable; a click shows the span."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.words import count
from .label_style import LabelStyles
from .models import ARTICLE_ROLE, ID_ROLE, AnnotationTableModel
from .shown_text import box_name, name_box


def swatch(colour) -> QIcon:  # type: ignore[no-untyped-def]
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)


class AnnotationsDock(QDockWidget):
    annotationChosen = Signal(int, str)   # article id, uid

    def __init__(self, model: AnnotationTableModel, parent: QWidget | None = None) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("annotationsDock")
        self.model = model

        self.filters = QHBoxLayout()
        self.filters.setContentsMargins(0, 0, 0, 0)
        self.filters.addWidget(QLabel("Show:"))
        self._boxes: list[QCheckBox] = []
        self.count = QLabel()
        self.count.setObjectName("annotationCount")

        self.table = QTableView()
        self.table.setObjectName("annotationTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((110, 320, 160, 90, 80)):
            self.table.setColumnWidth(col, width)
        self.table.clicked.connect(self._chosen)
        self.table.activated.connect(self._chosen)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._update_count)

        top = QHBoxLayout()
        top.addLayout(self.filters)
        top.addStretch(1)
        top.addWidget(self.count)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.setWidget(body)
        self._syncing = False

    def set_styles(self, styles: LabelStyles) -> None:
        for box in self._boxes:
            self.filters.removeWidget(box)
            box.deleteLater()
        self._boxes = []
        for style in styles:
            box = name_box(style.name)
            box.setChecked(style.name not in self.model.hidden_labels)
            box.setIcon(swatch(style.colour))
            box.toggled.connect(self._filter_changed)
            self.filters.addWidget(box)
            self._boxes.append(box)

    def _filter_changed(self) -> None:
        self.model.set_hidden(labels={box_name(box) for box in self._boxes if not box.isChecked()})

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self.model.view.hidden_labels:
            total = self.model.store().table_count(replace(self.model.view, hidden_labels=()))
            self.count.setText(f"{shown} of {total}")
        else:
            self.count.setText(count(shown, "span"))

    def _chosen(self, index: QModelIndex) -> None:
        uid, article_id = index.data(ID_ROLE), index.data(ARTICLE_ROLE)
        if uid is not None and article_id is not None and not self._syncing:
            self.annotationChosen.emit(int(article_id), str(uid))

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        # keyboard navigation in the table follows the same path as a click
        indexes = selected.indexes()
        if indexes and self.table.hasFocus():
            self._chosen(indexes[0])

    def show_uid(self, uid: str | None) -> None:
        """Select the row of ``uid`` (or nothing) without emitting annotationChosen."""
        self._syncing = True
        try:
            row = self.model.row_of(uid) if uid else None
            if row is None:
                self.table.clearSelection()
                return
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._syncing = False
