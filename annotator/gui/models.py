"""Qt item models over the store: the article list and the annotations of the open articles.

Thin adapters over core values, kept in step with the session's change signal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from ..core.annotation_table import AnnotationTable
from ..core.errors import AnnotatorError
from ..core.model import Annotation, ArticleCounts
from ..core.spans import excerpt, quoted
from ..core.store import Store, TableView
from ..core.store.article_list import ArticleOrder
from . import theme
from .article_view import ARTICLE_MIME, article_mime
from .label_style import LabelStyles
from .session import Change
from .shown_text import shown_roles

ID_ROLE = Qt.ItemDataRole.UserRole
ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


class ArticleListModel(QAbstractTableModel):
    """Articles with their per-label counts: ids in the order SQL gives, rows fetched a page at a time.

    Like Anki's browser it keeps only the ids (10,000 ints) and asks the store
    for the rows on screen; sorting and searching are SQL (``Store.article_ids``),
    and a tag re-reads one article's counts (``label_counts``) and repaints its
    row. Measured before: a reset per tag made a sorting proxy call ``data()``
    32,000 times at 1,000 articles. A row keeps its place when its counts change
    under a count sort, until the next sort or search: rows do not jump under
    the pointer.
    """

    PAGE = 100
    COLUMN_ORDER = ("title", "source")   # then one column per label, then the total

    def __init__(self, store: Callable[[], Store], styles: LabelStyles) -> None:
        super().__init__()
        self.store = store
        self.styles = styles
        self.order = ArticleOrder()
        self.needle = ""
        self.ids: list[int] = []
        self.total = 0                  # articles in the database, searched or not
        self._row_of: dict[int, int] = {}
        self._rows: dict[int, ArticleCounts] = {}
        self.loaded = False   # ids are read at the window's first reload, not while it is built

    # ---------------------------------------------------------------- state

    def reload(self, styles: LabelStyles | None = None) -> None:
        """Read the ids again (after an import, a merge, another database): a reset."""
        self.beginResetModel()
        if styles is not None:
            self.styles = styles
        self._fetch_ids()
        self.endResetModel()

    def set_needle(self, needle: str) -> None:
        """Show only the articles whose title, source or text holds ``needle`` (any case, any accents)."""
        self.needle = needle.strip()
        self.reload()

    def _fetch_ids(self) -> None:
        self.loaded = True
        store = self.store()
        order = self.order
        if order.by == "label" and not store.has_label(order.label or ""):
            order = self.order = ArticleOrder()   # a label deleted or renamed since: import order
        self.ids = store.article_ids(order, needle=self.needle)
        self.total = len(self.ids) if not self.needle else store.article_count()
        self._row_of = {article_id: row for row, article_id in enumerate(self.ids)}
        self._rows.clear()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        names = self.label_names
        descending = order == Qt.SortOrder.DescendingOrder
        if column == 0:
            wanted = ArticleOrder("title", descending=descending)
        elif column == 1:
            wanted = ArticleOrder("source", descending=descending)
        elif 2 <= column < 2 + len(names):
            wanted = ArticleOrder("label", label=names[column - 2], descending=descending)
        elif column == 2 + len(names):
            wanted = ArticleOrder("total", descending=descending)
        else:
            wanted = ArticleOrder()
        if wanted == self.order:
            return
        if not self.loaded:
            self.order = wanted   # before the first reload: read once, in this order, then
            return
        self.layoutAboutToBeChanged.emit()
        before = self.ids
        self.order = wanted
        self._fetch_ids()
        # keep selections and the current row on their articles
        moved_from, moved_to = [], []
        for index in self.persistentIndexList():
            article_id = before[index.row()] if 0 <= index.row() < len(before) else None
            row = self._row_of.get(article_id, -1) if article_id is not None else -1
            moved_from.append(index)
            moved_to.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def apply(self, change: Change) -> None:
        """Keep one article's counts in step with a change: one small query, one repainted row."""
        row = self._row_of.get(change.article_id)
        if row is None:
            return
        self._rows.pop(change.article_id, None)
        self.dataChanged.emit(self.index(row, 2), self.index(row, self.columnCount() - 1))

    def row_of(self, article_id: int) -> int | None:
        return self._row_of.get(article_id)

    @property
    def label_names(self) -> list[str]:
        return [s.name for s in self.styles]

    # ----------------------------------------------------------------- rows

    def counts_at(self, row: int) -> ArticleCounts | None:
        if not 0 <= row < len(self.ids):
            return None
        article_id = self.ids[row]
        found = self._rows.get(article_id)
        if found is None:
            if len(self._rows) > 20 * self.PAGE:
                self._rows.clear()   # scrolled through thousands: keep memory to what is near
            first = row - row % self.PAGE
            page = [i for i in self.ids[first:first + self.PAGE] if i not in self._rows]
            try:
                fetched = self.store().article_rows(page)
            except AnnotatorError:
                # Found unreadable (damaged under the window): a repaint of the list must not raise in Qt's
                # event loop; the row shows blank, and the window has said why (show_error).
                return None
            for counts in fetched:
                self._rows[counts.article.id] = counts
            found = self._rows.get(article_id)
        return found

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 3 + len(self.label_names)

    @shown_roles
    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        names = self.label_names
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Title"
            if section == 1:
                return "Source"
            if section == 2 + len(names):
                return "Σ"
            return names[section - 2][:1].upper() if 0 <= section - 2 < len(names) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if 2 <= section < 2 + len(names):
                return f"Spans labelled {names[section - 2]}"
            if section == 2 + len(names):
                return "All spans"
        if role == Qt.ItemDataRole.DecorationRole and 2 <= section < 2 + len(names):
            return self.styles.get(names[section - 2]).colour
        return None

    @shown_roles
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self.ids[index.row()] if 0 <= index.row() < len(self.ids) else None
        if role not in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole):
            return None
        row = self.counts_at(index.row())
        if row is None:
            return None
        a, col, names = row.article, index.column(), self.label_names
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if col == 0:
                return a.title
            if col == 1:
                return a.display_source
            if col == 2 + len(names):
                return row.total
            if 2 <= col < 2 + len(names):
                return row.counts.get(names[col - 2], 0)
        if role == Qt.ItemDataRole.ToolTipRole:
            counts = ", ".join(f"{row.counts.get(n, 0)} {n}" for n in names)
            return f"{a.title}\n{a.display_source}\n{a.length:,} characters · {counts}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col >= 2 and data_is_zero(row, col, names):
            return theme.current().colour("zero_count")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ARTICLE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        ids = [self.ids[i.row()] for i in indexes if i.isValid() and 0 <= i.row() < len(self.ids)]
        return article_mime(ids[0]) if ids else QMimeData()


def data_is_zero(row: ArticleCounts, col: int, names: list[str]) -> bool:
    if col == 2 + len(names):
        return row.total == 0
    return row.counts.get(names[col - 2], 0) == 0


class AnnotationTableModel(QAbstractTableModel):
    """The annotations of the open articles: Qt's face of ``core.annotation_table.AnnotationTable``.

    Anki's browser keeps only what is on screen; so does this. A change inserts,
    removes or updates the one row it touched (measured here, a reset per tag
    made the table re-read every visible row and re-count every open article).
    """

    COLUMNS = ("Label", "Text", "Article", "Annotator", "Status", "Note")
    SORT_KEYS = ("label", "text", "article", "annotator", "status", "note")

    def __init__(self, store: Callable[[], Store], styles: LabelStyles) -> None:
        super().__init__()
        self.store = store
        self.styles = styles
        self._titles: dict[int, str] = {}
        self.table = AnnotationTable(store)

    @property
    def view(self) -> TableView:
        return self.table.view

    # ---------------------------------------------------------------- state

    def set_articles(self, articles: Sequence[tuple[int, str]], styles: LabelStyles) -> None:
        """(article id, title) of each open article, in pane order."""
        self.styles = styles
        self._titles = dict(articles)
        self._set_view(replace(self.view, article_ids=tuple(aid for aid, _t in articles)))

    def set_hidden(self, labels: Iterable[str] | None = None, annotators: Iterable[str] | None = None) -> None:
        view = self.view
        if labels is not None:
            view = replace(view, hidden_labels=tuple(sorted(labels)))
        if annotators is not None:
            view = replace(view, hidden_annotators=tuple(sorted(annotators)))
        self._set_view(view)

    def refresh(self) -> None:
        self._set_view(self.view)

    def _set_view(self, view: TableView) -> None:
        self.beginResetModel()
        self.table.reset(view)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        sort = self.SORT_KEYS[column] if 0 <= column < len(self.SORT_KEYS) else None
        self.table.reset(replace(self.view, sort=sort, descending=order == Qt.SortOrder.DescendingOrder))
        self.layoutChanged.emit()

    def apply(self, change: Change) -> None:
        """Insert, remove or update the one row ``change`` touched."""
        if change.article_id not in self.view.article_ids:
            return
        if not self.table.in_text_order:
            self.refresh()  # a sorted view pages by offset: start afresh
            return
        a = change.annotation
        if change.kind == "added":
            row = self.table.added_row(a)
            if row is not None:
                self.beginInsertRows(QModelIndex(), row, row)
                self.table.insert(row, a)
                self.endInsertRows()
        elif change.kind == "removed":
            row = self.table.removed_row(a)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                self.table.remove(row, a)
                self.endRemoveRows()
        else:
            assert change.before is not None
            old, new = self.table.moved_rows(change.before, a)
            if old is not None and old == new:
                self.table.replace(old, a)
                self.dataChanged.emit(self.index(old, 0), self.index(old, self.columnCount() - 1))
                return
            if old is not None:
                self.beginRemoveRows(QModelIndex(), old, old)
                self.table.remove(old, change.before)
                self.endRemoveRows()
            if new is not None:
                self.beginInsertRows(QModelIndex(), new, new)
                self.table.insert(new, a)
                self.endInsertRows()

    # ----------------------------------------------------------------- rows

    def annotation_at(self, row: int) -> Annotation | None:
        return self.table.row(row)

    def row_of(self, uid: str) -> int | None:
        return self.table.row_of(uid) if uid else None

    @property
    def hidden_labels(self) -> set[str]:
        return set(self.view.hidden_labels)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.table)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    @shown_roles
    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    @shown_roles
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.annotation_at(index.row())
        if a is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (a.label, excerpt(a.text, 120), self._titles.get(a.article_id, ""), a.annotator,
                    a.status, excerpt(a.note, 60))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self.styles.get(a.label).colour
        if role == Qt.ItemDataRole.ToolTipRole:
            review = f"\nReviewed by {a.reviewer}" if a.reviewer else ""
            reason = f": {a.review_note}" if a.review_note else ""
            return (f"{a.label} [{a.start}, {a.end}) by {a.annotator}\n{quoted(a.text, 400)}"
                    + (f"\nNote: {a.note}" if a.note else "") + review + reason)
        if role == ID_ROLE:
            return a.uid
        if role == ARTICLE_ROLE:
            return a.article_id
        return None
