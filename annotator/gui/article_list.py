"""The article list dock: search, per-label counts, double-click or drag to open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
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

from ..core.search import contains, fold
from .models import ID_ROLE, SORT_ROLE, ArticleListModel


class ArticleSearch(QSortFilterProxyModel):
    """Articles whose title, source or text contain the search words."""

    def __init__(self, search_texts: Callable[[str], set[int]]) -> None:
        super().__init__()
        self.search_texts = search_texts
        self.needle = ""
        self.in_text: set[int] = set()
        self.setSortRole(SORT_ROLE)

    def set_needle(self, needle: str) -> None:
        typed = needle.strip()
        self.needle = fold(typed)
        self.in_text = self.search_texts(typed) if self.needle else set()
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if not self.needle:
            return True
        model = self.sourceModel()
        assert isinstance(model, ArticleListModel)
        article = model.rows[source_row].article
        return (contains(article.title, self.needle) or contains(article.display_source, self.needle)
                or article.id in self.in_text)


class ArticleListDock(QDockWidget):
    articleActivated = Signal(int)

    def __init__(self, model: ArticleListModel, search_texts: Callable[[str], set[int]],
                 parent: QWidget | None = None) -> None:
        super().__init__("Articles", parent)
        self.setObjectName("articleListDock")
        self.model = model
        self.proxy = ArticleSearch(search_texts)
        self.proxy.setSourceModel(model)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, sources and text…")
        self.search.setClearButtonEnabled(True)
        # Searching the texts reads them all: wait for a pause in typing.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._search_and_go_to_results)
        self.search.installEventFilter(self)
        self.empty = QLabel("No article matches.")
        self.empty.setObjectName("noMatches")
        self.empty.hide()

        self.table = QTableView()
        self.table.setObjectName("articleTable")
        self.table.setModel(self.proxy)
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
        for col in range(2, self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def _search(self) -> None:
        self._debounce.stop()
        self.proxy.set_needle(self.search.text())
        self.empty.setVisible(bool(self.proxy.needle) and self.proxy.rowCount() == 0)

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
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)
