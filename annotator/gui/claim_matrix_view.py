"""The claims x articles matrix: who reports a claim and who denies it, at one glance.

Rows are the claims the claims dock lists (its filter and order), 50 at a
time; columns the articles holding a span linked to one of them, oldest
published first, 200 at a time. A cell shows the roles the article's spans
take in the claim as letters (S states, D denies, + supports, c context),
tinted too, but never by colour alone. Double-clicking a cell shows the span in
a pane. Export writes every listed claim with all its articles as CSV
(``core.claim_matrix.write_csv``: formula-like cells neutralised).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.atomic import atomic_output
from ..core.claim_matrix import write_csv
from ..core.claims import ClaimChange
from ..core.store import Store
from ..core.words import count
from . import theme
from .claim_models import ARTICLE_ROLE, UID_ROLE, ClaimMatrixModel
from .jobs import Job
from .session import AnnotationSession, Change

CLAIMS_PER_PAGE = 50
ARTICLES_PER_PAGE = 200
LEGEND = "S states · D denies · + supports · c context · empty: says nothing of it"


class ClaimMatrixView(QDialog):
    cellChosen = Signal(str, int)   # claim uid, article id
    message = Signal(str)

    def __init__(self, session: AnnotationSession, claim_uids: Callable[[], list[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claimMatrix")
        self.setWindowTitle("Claims × articles")
        self.setModal(False)
        self.session = session
        self.claim_uids = claim_uids
        self.claim_offset = 0
        self.article_offset = 0
        self.total_claims = 0
        self.total_articles = 0
        self.uids: list[str] = []
        self.ask_path: Callable[[], Path | None] = self._ask_path

        self.model = ClaimMatrixModel()
        self.table = self._table()

        self.claims_label = QLabel()
        self.claims_label.setObjectName("matrixClaims")
        self.articles_label = QLabel()
        self.articles_label.setObjectName("matrixArticles")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, slot in (("claims_back", "◀", lambda: self._page_claims(-1)),
                                 ("claims_on", "▶", lambda: self._page_claims(1))):
            self.buttons[name] = self._button(text, slot)
        for name, text, slot in (("articles_back", "◀", lambda: self._page_articles(-1)),
                                 ("articles_on", "▶", lambda: self._page_articles(1))):
            self.buttons[name] = self._button(text, slot)
        row.addWidget(self.claims_label)
        row.addWidget(self.buttons["claims_back"])
        row.addWidget(self.buttons["claims_on"])
        row.addSpacing(16)
        row.addWidget(self.articles_label)
        row.addWidget(self.buttons["articles_back"])
        row.addWidget(self.buttons["articles_on"])
        row.addStretch(1)
        export = QPushButton("Export CSV…")
        export.setObjectName("matrixExport")
        export.clicked.connect(self.export)
        row.addWidget(export)
        legend = QLabel(LEGEND)
        legend.setObjectName("matrixLegend")
        legend.setStyleSheet(f"color: {theme.current().muted};")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        self.resize(1000, 520)
        # The keyboard starts in the matrix (Enter there opens a cell's spans), not on a paging button;
        # and Enter never presses a button it did not focus (Export would ask for a file).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.table.setFocus()
        session.claimsChanged.connect(self._on_claims_change)
        session.changed.connect(self._on_span_change)

    def _table(self) -> QTableView:
        """Claims down, articles across, fixed cells; double-click (or Enter) opens the cell's spans."""
        table = QTableView()
        table.setObjectName("matrixTable")
        table.setModel(self.model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.horizontalHeader().setDefaultSectionSize(112)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        table.verticalHeader().setMinimumWidth(300)
        table.horizontalHeader().setMinimumHeight(40)   # two lines: the outlet, the date
        table.doubleClicked.connect(self._chosen)
        table.activated.connect(self._chosen)
        return table

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setFixedWidth(32)
        button.clicked.connect(slot)
        return button

    # ----------------------------------------------------------------- page

    def refresh(self) -> None:
        """Read the page shown (claims, its articles and cells) from the store."""
        store = self.session.store
        self.uids = self.claim_uids()
        self.total_claims = len(self.uids)
        self.claim_offset = min(self.claim_offset, max(0, (self.total_claims - 1) // CLAIMS_PER_PAGE
                                                       * CLAIMS_PER_PAGE))
        page = self.uids[self.claim_offset:self.claim_offset + CLAIMS_PER_PAGE]
        rows = store.claim_rows_of(page)
        articles = store.matrix_articles(page)
        self.total_articles = len(articles)
        self.article_offset = min(self.article_offset, max(0, (self.total_articles - 1) // ARTICLES_PER_PAGE
                                                           * ARTICLES_PER_PAGE))
        shown = articles[self.article_offset:self.article_offset + ARTICLES_PER_PAGE]
        self.model.set_page(rows, shown, store.claim_matrix(page, [a.id for a in shown]))
        self.claims_label.setText(_range("Claims", self.claim_offset, len(page), self.total_claims))
        self.articles_label.setText(_range("Articles", self.article_offset, len(shown), self.total_articles))
        self.buttons["claims_back"].setEnabled(self.claim_offset > 0)
        self.buttons["claims_on"].setEnabled(self.claim_offset + CLAIMS_PER_PAGE < self.total_claims)
        self.buttons["articles_back"].setEnabled(self.article_offset > 0)
        self.buttons["articles_on"].setEnabled(self.article_offset + ARTICLES_PER_PAGE < self.total_articles)

    def _page_claims(self, step: int) -> None:
        self.claim_offset = max(0, self.claim_offset + step * CLAIMS_PER_PAGE)
        self.article_offset = 0
        self.refresh()

    def _page_articles(self, step: int) -> None:
        self.article_offset = max(0, self.article_offset + step * ARTICLES_PER_PAGE)
        self.refresh()

    def _on_claims_change(self, _change: ClaimChange) -> None:
        if self.isVisible():
            self.refresh()

    def _on_span_change(self, change: Change) -> None:
        # A span rejected in review leaves its claims' cells, and one taken back to pending returns.
        before = change.before
        if self.isVisible() and before is not None and before.status != change.annotation.status \
                and self.session.store.links_of_span(change.annotation.uid):
            self.refresh()

    def _chosen(self, index: QModelIndex) -> None:
        uid, article_id = index.data(UID_ROLE), index.data(ARTICLE_ROLE)
        if uid is None or article_id is None:
            return
        if not self.model.roles_at(index.row(), index.column()):
            self.message.emit("This article says nothing of that claim.")
            return
        self.cellChosen.emit(str(uid), int(article_id))

    # --------------------------------------------------------------- export

    def export(self) -> Job | None:
        path = self.ask_path()
        return self.export_to(path) if path is not None else None

    def export_to(self, path: Path) -> Job:
        """Write every listed claim (all pages) with all its articles, in a worker."""
        uids = list(self.uids)

        def write(store: Store, _progress: Callable[[int, int, str], bool]) -> int:
            with atomic_output(path) as out:
                return write_csv(store, uids, out)

        job = Job("Export the matrix", write, self.session.store, self)
        job.succeeded.connect(lambda n: self.message.emit(f"Wrote the matrix of {count(n, 'claim')} to {path}."))
        job.failed.connect(lambda error: self.message.emit(f"Could not write {path}: {error}"))
        job.start()
        return job

    def _ask_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "Export the matrix as CSV", str(Path.home() / "claims-matrix.csv"),
                                              "CSV (*.csv)")
        return Path(name) if name else None


def _range(what: str, offset: int, shown: int, total: int) -> str:
    if not total:
        return f"{what}: none"
    return f"{what} {offset + 1}–{offset + shown} of {total}"
