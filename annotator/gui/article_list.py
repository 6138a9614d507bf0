"""The article list dock: search, per-label counts, double-click or drag to open."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .models import ID_ROLE, ArticleListModel


class ArticleListDock(QDockWidget):
    articleActivated = Signal(int)

    def __init__(self, model: ArticleListModel, parent: QWidget | None = None) -> None:
        super().__init__("Articles", parent)
        self.setObjectName("articleListDock")
        self.model = model

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, sources and text…")
        self.search.setClearButtonEnabled(True)
        # The search is an index query (a few ms at 10,000 articles); the short pause only
        # spares the list a reset per keystroke while a word is typed quickly.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._search_and_go_to_results)
        self.search.installEventFilter(self)
        self.empty = QLabel("No article matches.")
        self.empty.setObjectName("noMatches")
        self.empty.hide()

        self.table = QTableView()
        self.table.setObjectName("articleTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.model.modelReset.connect(self._fit_columns)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        self.setWidget(body)
        self._fit_columns()

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(26)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 84)
        # Counts get a fixed width for five digits: sizing them to their contents would read
        # a thousand rows' counts from the database at every reset.
        digits = self.table.fontMetrics().horizontalAdvance("00000") + 12
        for col in range(2, self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, max(26, digits))

    def _search(self) -> None:
        self._debounce.stop()
        if self.search.text().strip() == self.model.needle:
            return
        chosen = self.selected_article()
        self.model.set_needle(self.search.text())
        self.empty.setVisible(bool(self.model.needle) and self.model.rowCount() == 0)
        if chosen is not None:
            self.select_article(chosen)

    def selected_article(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ID_ROLE) if rows else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Down from the search field goes into the results, as in a browser's address bar.
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Down:
            self._go_to_results()
            return True
        return super().eventFilter(watched, event)

    def _search_and_go_to_results(self) -> None:
        self._search()
        self._go_to_results()

    def _go_to_results(self) -> None:
        """The keyboard into the list, on the selected article (or the first): Enter opens it."""
        if self.table.model().rowCount() == 0:
            return
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self.table.setCurrentIndex(self.table.selectionModel().selectedRows()[0])

    def _activated(self, index: QModelIndex) -> None:
        article_id = index.data(ID_ROLE)
        if article_id is not None:
            self.articleActivated.emit(int(article_id))

    def select_article(self, article_id: int) -> None:
        row = self.model.row_of(article_id)
        if row is None:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
