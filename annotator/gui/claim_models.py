"""Qt models over the claims: the claims list with each claim's spans beneath it, and the claims x articles matrix.

As Anki's browser table does, the claims list keeps only the matching claims'
uids (``Store.claim_uids``: a few ms for 5,000 claims) and reads the rows on
screen a page at a time (``Store.claim_rows_of``). A claim's spans are read
when it is expanded. A change re-reads the uids and tells the view exactly
which rows came, went or changed; only a new filter or sort resets the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap

from ..core.claims import ROLES, ClaimChange, ClaimRow, ClaimSpan
from ..core.model import Article
from ..core.spans import excerpt
from ..core.store import Store
from ..core.words import count
from . import theme
from .claim_badges import claim_colour
from .shown_text import shown_lines, shown_roles

AnyIndex = QModelIndex | QPersistentModelIndex
UID_ROLE = Qt.ItemDataRole.UserRole
ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1
SPAN_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE = 100
MANY_ROWS = 50   # more claims than this come or go in one change: the list is read afresh (a reset)
SPAN_LIMIT = 1000   # spans listed under one claim; the rest are in `annotator claims show`

# What each column holds for a claim, and for a span beneath it (the header's tooltip says both).
COLUMNS = ("Claim / span", "Claimant / article", "First appearance / published", "States", "Denies", "Supports",
           "Context", "Verdict / role")
# Short headings: the dock is narrow, and the role columns use the matrix's letters.
HEADINGS = ("Claim", "Claimant", "First seen", "S", "D", "+", "c", "Verdict")
SORT_OF_COLUMN = ("summary", "claimant", "first_appearance", "states", "denies", "supports", "context", "verdict")
ROLE_COLUMNS = {3: "states", 4: "denies", 5: "supports", 6: "context"}
VERDICT_COLUMN = 7   # a claim's verdict; for a span, its role in the claim
EDITABLE = {0: "summary", 1: "claimant", VERDICT_COLUMN: "verdict"}

# Letters the matrix shows (a legend names them): a cell reads without its colour.
ROLE_LETTERS = {"states": "S", "denies": "D", "supports": "+", "context": "c"}
ROLE_COLOURS = {"states": "#3b78c4", "denies": "#d2553a", "supports": "#3f9a48", "context": "#8a8f98"}


def role_tint(role: str) -> QColor:
    """A cell's tint: the role's colour, see-through, stronger on dark paper (as span tints are)."""
    colour = QColor(ROLE_COLOURS[role])
    colour.setAlpha(60 + theme.current().tint_boost)
    return colour


# Flags combined once: Qt asks for them for every row the tree lays out, and each | of two
# Python enums costs microseconds (measured: 10,000 calls when a 5,000-claim list is laid out).
_NONE = Qt.ItemFlag.NoItemFlags
_PLAIN = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _PLAIN | Qt.ItemFlag.ItemIsEditable
_LEAF = _PLAIN | Qt.ItemFlag.ItemNeverHasChildren
_LEAF_EDITABLE = _LEAF | Qt.ItemFlag.ItemIsEditable


def claim_icon(number: int) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(claim_colour(number))
    return QIcon(pixmap)


class ClaimTreeModel(QAbstractItemModel):
    """Claims (top level) and, once expanded, their spans."""

    def __init__(self, store: Callable[[], Store], edit: Callable[[str, str, str | None], bool] | None = None,
                 edit_role: Callable[[str, str, str], bool] | None = None) -> None:
        super().__init__()
        self.store = store
        self.edit = edit              # (claim uid, field, value) -> done
        self.edit_role = edit_role    # (span uid, claim uid, role) -> done
        self.search = ""
        self.sort_key = "created"
        self.descending = False
        self.uids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._rows: dict[str, ClaimRow] = {}
        self._spans: dict[str, list[ClaimSpan]] = {}
        # A child index names its claim by a number (Qt's internal id); 0 is the top level.
        self._key_of: dict[str, int] = {}
        self._uid_of: dict[int, str] = {}

    # ---------------------------------------------------------------- state

    def reload(self) -> None:
        """Read the matching uids afresh (another database, a refresh): a reset."""
        self.beginResetModel()
        self._set_uids(self._query())
        self._rows.clear()
        self._spans.clear()
        self.endResetModel()

    def set_search(self, search: str) -> None:
        if search != self.search:
            self.search = search
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_OF_COLUMN[column] if 0 <= column < len(SORT_OF_COLUMN) else "created"
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    def _query(self) -> list[str]:
        return self.store().claim_uids(search=self.search, sort=self.sort_key, descending=self.descending)

    def _set_uids(self, uids: list[str]) -> None:
        self.uids = uids
        self._row_of = {uid: i for i, uid in enumerate(uids)}

    def _key(self, uid: str) -> int:
        key = self._key_of.get(uid)
        if key is None:
            key = self._key_of[uid] = len(self._key_of) + 1
            self._uid_of[key] = uid
        return key

    # --------------------------------------------------------------- change

    def apply(self, change: ClaimChange) -> None:
        """Show what one claim change did: rows in, rows out, rows changed, a claim's spans again."""
        touched = change.touched_claims
        if not touched:
            return
        old, new = self.uids, self._query()
        for uid in touched:
            self._rows.pop(uid, None)
        if new != old:
            self._move_rows(old, new)
        self.refresh_claims(touched)

    def refresh_claims(self, uids: set[str] | frozenset[str]) -> None:
        """Read these claims' rows, and the spans of those expanded, again."""
        for uid in uids:
            self._rows.pop(uid, None)
            row = self._row_of.get(uid)
            if row is None:
                self._spans.pop(uid, None)
                continue
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            if uid in self._spans:
                self._refetch_spans(uid, row)

    def _move_rows(self, old: list[str], new: list[str]) -> None:
        old_set, new_set = set(old), set(new)
        gone, came = old_set - new_set, new_set - old_set
        if len(gone) + len(came) > MANY_ROWS:   # a merge from elsewhere, an import: read afresh
            self.beginResetModel()
            self._set_uids(new)
            self._rows.clear()
            self._spans.clear()
            self.endResetModel()
            return
        if [u for u in old if u in new_set] != [u for u in new if u in old_set]:
            self._relayout(new)
            return
        # The claims that stay keep their order: remove the ones gone, insert the new ones, row by row.
        current = list(old)
        for row in range(len(current) - 1, -1, -1):
            if current[row] in gone:
                self.beginRemoveRows(QModelIndex(), row, row)
                uid = current.pop(row)
                self._set_uids(current)
                self._spans.pop(uid, None)
                self.endRemoveRows()
        for row, uid in enumerate(new):
            if row >= len(current) or current[row] != uid:
                self.beginInsertRows(QModelIndex(), row, row)
                current.insert(row, uid)
                self._set_uids(current)
                self.endInsertRows()
        assert current == new

    def _relayout(self, new: list[str]) -> None:
        """The order changed (a sort by counts, an edited summary): move the rows, keeping selections by uid."""
        self.layoutAboutToBeChanged.emit()
        old_uids = self.uids
        self._set_uids(new)
        gone = set(old_uids) - set(new)
        for uid in gone:
            self._spans.pop(uid, None)
        before, after = [], []
        for index in self.persistentIndexList():
            before.append(index)
            if index.internalId() == 0:
                uid = old_uids[index.row()] if index.row() < len(old_uids) else None
                row = self._row_of.get(uid) if uid is not None else None
                after.append(self.createIndex(row, index.column(), 0) if row is not None else QModelIndex())
            else:
                uid = self._uid_of.get(index.internalId())
                keep = uid is not None and uid in self._row_of and uid in self._spans \
                    and index.row() < len(self._spans[uid])
                after.append(self.createIndex(index.row(), index.column(), index.internalId()) if keep
                             else QModelIndex())
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _refetch_spans(self, uid: str, row: int) -> None:
        parent = self.index(row, 0)
        old = self._spans.get(uid, [])
        if old:
            self.beginRemoveRows(parent, 0, len(old) - 1)
            self._spans[uid] = []
            self.endRemoveRows()
        spans = self.store().claim_spans(uid, limit=SPAN_LIMIT)
        if spans:
            self.beginInsertRows(parent, 0, len(spans) - 1)
            self._spans[uid] = spans
            self.endInsertRows()

    # ----------------------------------------------------------------- rows

    def claim_row(self, row: int) -> ClaimRow | None:
        if not 0 <= row < len(self.uids):
            return None
        uid = self.uids[row]
        found = self._rows.get(uid)
        if found is None:
            first = row - row % PAGE
            page = [u for u in self.uids[first:first + PAGE] if u not in self._rows]
            for r in self.store().claim_rows_of(page):
                self._rows[r.claim.uid] = r
            found = self._rows.get(uid)
        return found

    def span_at(self, index: AnyIndex) -> ClaimSpan | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        spans = self._spans.get(self._uid_of.get(index.internalId(), ""), [])
        return spans[index.row()] if 0 <= index.row() < len(spans) else None

    def claim_uid(self, index: AnyIndex) -> str | None:
        """The claim of a claim's row or of one of its spans."""
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self.uids[index.row()] if 0 <= index.row() < len(self.uids) else None
        return self._uid_of.get(index.internalId())

    def row_of(self, uid: str) -> int | None:
        return self._row_of.get(uid)

    def claim_index(self, uid: str) -> QModelIndex:
        row = self._row_of.get(uid)
        return self.index(row, 0) if row is not None else QModelIndex()

    # --------------------------------------------------------- Qt's model

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self.uids) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        uid = self.uids[parent.row()] if parent.row() < len(self.uids) else None
        if uid is None or row >= len(self._spans.get(uid, [])):
            return QModelIndex()
        return self.createIndex(row, column, self._key(uid))

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        row = self._row_of.get(self._uid_of.get(index.internalId(), ""))
        return self.createIndex(row, 0, 0) if row is not None else QModelIndex()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self.uids)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        uid = self.claim_uid(parent)
        return len(self._spans.get(uid, [])) if uid else 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return len(COLUMNS)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        # Qt asks this of every claim each time it lays the tree out (5,000 calls): kept to a few
        # lookups, and never a read. A claim not read yet may have spans; expanding one that has
        # none shows that it has none. (Reading rows here read all 5,000 claims' counts: 200 ms.)
        if not parent.isValid():
            return bool(self.uids)
        if parent.internalId() or parent.column():
            return False
        row = parent.row()
        if not 0 <= row < len(self.uids):
            return False
        uid = self.uids[row]
        spans = self._spans.get(uid)
        if spans is not None:
            return bool(spans)
        found = self._rows.get(uid)
        return found is None or found.linked > 0

    def canFetchMore(self, parent: AnyIndex) -> bool:  # noqa: N802
        if not parent.isValid() or parent.internalId() != 0 or parent.column() != 0:
            return False
        uid = self.claim_uid(parent)
        return uid is not None and uid not in self._spans

    def fetchMore(self, parent: AnyIndex) -> None:  # noqa: N802
        uid = self.claim_uid(parent)
        if uid is None or uid in self._spans:
            return
        spans = self.store().claim_spans(uid, limit=SPAN_LIMIT)
        if not spans:
            self._spans[uid] = []
            return
        self.beginInsertRows(parent, 0, len(spans) - 1)
        self._spans[uid] = spans
        self.endInsertRows()

    @shown_roles
    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADINGS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = ("The claim's number (its badge in the panes) and summary; beneath it, its spans",
                    "Who made the claim; for a span, its article and outlet",
                    "First appearance: the earliest published date among the articles stating it (else its"
                    " earliest tag); for a span, its article's published date",
                    "States: how many articles state or report it", "Denies: how many articles deny it",
                    "Supports: how many articles give evidence for it",
                    "Context: how many articles give background to it",
                    "The fact-checker's verdict; for a span, its role in the claim (F2 changes either)")
            return tips[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NONE
        column = index.column()
        if index.internalId() == 0:
            return _EDITABLE if column in EDITABLE and self.edit is not None else _PLAIN
        return _LEAF_EDITABLE if column == VERDICT_COLUMN and self.edit_role is not None else _LEAF

    @shown_roles
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() != 0:
            return self._span_data(index, role)
        row = self.claim_row(index.row())
        if row is None:
            return None
        claim, col = row.claim, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"#{claim.id}  {claim.summary}"
            if col == 1:
                return claim.claimant
            if col == 2:
                return (row.first_appearance or "")[:10]
            if col in ROLE_COLUMNS:
                rejected = row.rejected_in(ROLE_COLUMNS[col])
                return f"{row.count(ROLE_COLUMNS[col])} (+{rejected} ✗)" if rejected else row.count(ROLE_COLUMNS[col])
            return claim.verdict or "—"
        if role == Qt.ItemDataRole.EditRole:
            return {0: claim.summary, 1: claim.claimant, VERDICT_COLUMN: claim.verdict or ""}.get(col)
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and claim.id is not None:
            return claim_icon(claim.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            counts = ", ".join(f"{row.count(r)} {r}" for r in ROLES if row.count(r)) or "no spans linked"
            rejected = sum(row.rejected.values())
            if rejected:
                counts += f"\n{count(rejected, 'rejected span')} not counted (✗)"
            verdict = f"\nVerdict: {claim.verdict}" + (f" — {claim.explanation}" if claim.explanation else "") \
                if claim.verdict else "\nNo verdict yet"
            warn = "".join(f"\n⚠ {w}" for w in claim.warnings)
            return (f"#{claim.id} {claim.summary}\nClaimant: {claim.claimant or '(not set)'}"
                    f"{f' · claimed {claim.claim_date}' if claim.claim_date else ''}\nArticles: {counts}"
                    f"{verdict}{warn}")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in ROLE_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col in ROLE_COLUMNS and not row.count(ROLE_COLUMNS[col]):
            return theme.current().colour("zero_count")
        if role == UID_ROLE:
            return claim.uid
        return None

    def _span_data(self, index: AnyIndex, role: int) -> Any:
        span = self.span_at(index)
        if span is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"“{excerpt(span.text, 160)}”"
            if col == 1:
                return " — ".join(p for p in (span.title, span.source or "") if p)
            if col == 2:
                return (span.published or "")[:10]
            if col == VERDICT_COLUMN:
                return span.role if span.counts else f"{span.role} ✗"
            return None
        if role == Qt.ItemDataRole.EditRole and col == VERDICT_COLUMN:
            return span.role
        if role == Qt.ItemDataRole.FontRole and not span.counts:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            rejected = "" if span.counts else "\nRejected in review: listed here, not counted towards the claim."
            return (f"{span.role} · {span.label} by {span.annotator}{rejected}\n{span.title}"
                    f"{f' ({span.source})' if span.source else ''}{f', {span.published}' if span.published else ''}"
                    f"\n“{excerpt(span.text, 400)}”\nDouble-click to show it in a pane.")
        if role == UID_ROLE:
            return span.span_uid
        if role == ARTICLE_ROLE:
            return span.article_id
        if role == SPAN_ROLE:
            return span
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if index.internalId() != 0:
            span = self.span_at(index)
            if span is None or index.column() != VERDICT_COLUMN or self.edit_role is None or value == span.role:
                return False
            return self.edit_role(span.span_uid, span.link.claim_uid, str(value))
        field = EDITABLE.get(index.column())
        uid = self.claim_uid(index)
        if field is None or uid is None or self.edit is None:
            return False
        current = self.data(index, Qt.ItemDataRole.EditRole)
        text = str(value).strip() if value is not None else ""
        if text == (current or ""):
            return False
        return self.edit(uid, field, text or None)


class ClaimMatrixModel(QAbstractTableModel):
    """One page of the claims x articles matrix: claims as rows, articles as columns, roles in the cells."""

    def __init__(self) -> None:
        super().__init__()
        self.claims: list[ClaimRow] = []
        self.articles: list[Article] = []
        self.cells: dict[str, dict[int, tuple[str, ...]]] = {}

    def set_page(self, claims: Sequence[ClaimRow], articles: Sequence[Article],
                 cells: dict[str, dict[int, tuple[str, ...]]]) -> None:
        self.beginResetModel()
        self.claims, self.articles, self.cells = list(claims), list(articles), cells
        self.endResetModel()

    def roles_at(self, row: int, column: int) -> tuple[str, ...]:
        if not (0 <= row < len(self.claims) and 0 <= column < len(self.articles)):
            return ()
        return self.cells.get(self.claims[row].claim.uid, {}).get(self.articles[column].id, ())

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.claims)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.articles)

    @shown_roles
    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.articles):
            a = self.articles[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return shown_lines(excerpt(a.source or a.title, 13), (a.published or "no date")[:10])
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{a.title}\n{a.display_source}{f', {a.published}' if a.published else ''}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.claims):
            c = self.claims[section].claim
            if role == Qt.ItemDataRole.DisplayRole:
                return f"#{c.id} {excerpt(c.summary, 48)}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"#{c.id} {c.summary}\nVerdict: {c.verdict or 'none yet'}"
            if role == Qt.ItemDataRole.DecorationRole and c.id is not None:
                return claim_icon(c.id)
        return None

    @shown_roles
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        roles = self.roles_at(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(ROLE_LETTERS[r] for r in roles)
        if role == Qt.ItemDataRole.BackgroundRole and roles:
            return role_tint(roles[0])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            a = self.articles[index.column()]
            c = self.claims[index.row()].claim
            said = " and ".join(roles) if roles else "says nothing of it"
            return f"{a.title} ({a.display_source}) {said}:\n#{c.id} {c.summary}"
        if role == UID_ROLE:
            return self.claims[index.row()].claim.uid
        if role == ARTICLE_ROLE:
            return self.articles[index.column()].id
        return None
