"""Qt item models over the store: the article list and the annotations of the open articles.

Thin adapters: rows are core values, refreshed from the session's change
signal one row at a time rather than rebuilt.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from ..core.model import Annotation, ArticleCounts
from .article_view import ARTICLE_MIME, article_mime
from .label_style import LabelStyles
from .session import Change

ID_ROLE = Qt.ItemDataRole.UserRole
ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


def _excerpt(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ArticleListModel(QAbstractTableModel):
    """Articles with their per-label counts."""

    def __init__(self, styles: LabelStyles) -> None:
        super().__init__()
        self.styles = styles
        self.rows: list[ArticleCounts] = []
        self._row_of: dict[int, int] = {}

    def set_rows(self, rows: Sequence[ArticleCounts], styles: LabelStyles) -> None:
        self.beginResetModel()
        self.styles = styles
        self.rows = list(rows)
        self._row_of = {r.article.id: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    @property
    def label_names(self) -> list[str]:
        return [s.name for s in self.styles]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 3 + len(self.label_names)

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

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
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
            return QColor("#a0a4aa")
        if role == ID_ROLE:
            return a.id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ARTICLE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        ids = [self.rows[i.row()].article.id for i in indexes if i.isValid()]
        return article_mime(ids[0]) if ids else QMimeData()

    def apply(self, change: Change) -> None:
        """Keep one article's counts in step with a change."""
        row = self._row_of.get(change.article_id)
        if row is None:
            return
        counts = dict(self.rows[row].counts)
        old = {"removed": change.annotation, "updated": change.before}.get(change.kind)
        if old is not None:
            counts[old.label] = counts.get(old.label, 0) - 1
        if change.kind in ("added", "updated"):
            counts[change.annotation.label] = counts.get(change.annotation.label, 0) + 1
        self.rows[row] = ArticleCounts(self.rows[row].article, {k: v for k, v in counts.items() if v > 0})
        self.dataChanged.emit(self.index(row, 2), self.index(row, self.columnCount() - 1))

    def row_of(self, article_id: int) -> int | None:
        return self._row_of.get(article_id)


def data_is_zero(row: ArticleCounts, col: int, names: list[str]) -> bool:
    if col == 2 + len(names):
        return row.total == 0
    return row.counts.get(names[col - 2], 0) == 0


class AnnotationTableModel(QAbstractTableModel):
    """The annotations of the open articles, in article order then text order."""

    COLUMNS = ("Label", "Text", "Article", "Annotator", "Status", "Note")

    def __init__(self, styles: LabelStyles) -> None:
        super().__init__()
        self.styles = styles
        self.rows: list[Annotation] = []
        self._keys: list[tuple[int, int, int, str]] = []
        self._order: dict[int, int] = {}      # article id -> position among open articles
        self._titles: dict[int, str] = {}

    def set_articles(self, articles: Sequence[tuple[int, str, list[Annotation]]], styles: LabelStyles) -> None:
        """(article id, title, annotations) for each open article, in pane order."""
        self.beginResetModel()
        self.styles = styles
        self._order = {aid: i for i, (aid, _t, _a) in enumerate(articles)}
        self._titles = {aid: title for aid, title, _a in articles}
        rows = [a for _aid, _t, anns in articles for a in anns]
        rows.sort(key=self._key)
        self.rows = rows
        self._keys = [self._key(a) for a in rows]
        self.endResetModel()

    def _key(self, a: Annotation) -> tuple[int, int, int, str]:
        return (self._order.get(a.article_id, 1 << 30), a.start, a.end, a.uid)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        a, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (a.label, _excerpt(a.text), self._titles.get(a.article_id, ""), a.annotator,
                    a.status, _excerpt(a.note, 60))[col]
        if role == SORT_ROLE:
            if col == 2:  # article column: pane order, then text order
                return self._order.get(a.article_id, 0) * 1_000_000_000 + a.start
            return (a.label, a.text, None, a.annotator, a.status, a.note)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self.styles.get(a.label).colour
        if role == Qt.ItemDataRole.ToolTipRole:
            review = f"\nReviewed by {a.reviewer}" if a.reviewer else ""
            reason = f": {a.review_note}" if a.review_note else ""
            return (f"{a.label} [{a.start}, {a.end}) by {a.annotator}\n“{_excerpt(a.text, 400)}”"
                    + (f"\nNote: {a.note}" if a.note else "") + review + reason)
        if role == ID_ROLE:
            return a.uid
        if role == ARTICLE_ROLE:
            return a.article_id
        return None

    def annotation_at(self, row: int) -> Annotation | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, uid: str) -> int | None:
        for i, a in enumerate(self.rows):
            if a.uid == uid:
                return i
        return None

    def apply(self, change: Change) -> None:
        a = change.annotation
        if a.article_id not in self._order:
            return
        if change.kind in ("removed", "updated"):
            old = change.before if change.kind == "updated" and change.before is not None else a
            row = self._find(old)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.rows[row]
                del self._keys[row]
                self.endRemoveRows()
        if change.kind in ("added", "updated"):
            key = self._key(a)
            row = bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), row, row)
            self.rows.insert(row, a)
            self._keys.insert(row, key)
            self.endInsertRows()

    def _find(self, a: Annotation) -> int | None:
        key = self._key(a)
        row = bisect_left(self._keys, key)
        if row < len(self.rows) and self.rows[row].uid == a.uid:
            return row
        return self.row_of(a.uid)  # an edit we were not told about: fall back to a scan


class AnnotationFilter(QSortFilterProxyModel):
    """Shows the annotations whose label and annotator are switched on."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden_labels: set[str] = set()
        self.hidden_annotators: set[str] = set()
        self.setSortRole(SORT_ROLE)

    def set_hidden(self, labels: set[str] | None = None, annotators: set[str] | None = None) -> None:
        # Qt 6.10 deprecates invalidateFilter() for this begin/end pair.
        modern = hasattr(self, "beginFilterChange") and hasattr(self, "endFilterChange")
        if modern:
            self.beginFilterChange()
        if labels is not None:
            self.hidden_labels = {n.casefold() for n in labels}
        if annotators is not None:
            self.hidden_annotators = set(annotators)
        if modern:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, AnnotationTableModel)
        a = model.annotation_at(source_row)
        if a is None:
            return False
        return a.label.casefold() not in self.hidden_labels and a.annotator not in self.hidden_annotators
