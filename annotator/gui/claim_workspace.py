"""The claims workspace, built on first use: the claims dock, the matrix, and what they do to the panes.

Choosing a claim in the dock outlines its spans in every open pane (and, when
the user chose it, scrolls each pane to its first span there); a span or a
matrix cell double-clicked is shown in a pane; a same-claim suggestion is
shown selected in a pane, where the user may adjust the selection before
accepting it. Article details are edited from here too. The L key itself
(``claim_linking``) works before any of this is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QWidget

from ..core.claim_suggestions import SameClaimSuggestion
from ..core.spans import snap_to_words, trim
from . import claim_ops
from .actions import Actions
from .article_pane import ArticlePane
from .claim_badges import claim_colour
from .claim_dialogs import ArticleDetailsDialog
from .claim_matrix_view import ClaimMatrixView
from .claims_dock import ClaimsDock
from .highlighter import StoreSpans
from .pane_area import PaneArea
from .session import AnnotationSession
from .tagging import TaggingController


class ClaimsHost(Protocol):
    """What the claims workspace uses of the window (the main window is one)."""

    session: AnnotationSession
    panes: PaneArea
    actions: Actions
    tagging: TaggingController

    def add_side_dock(self, dock: QDockWidget) -> None: ...

    def show_dock(self, dock: QDockWidget) -> None: ...

    def resizeDocks(self, docks: Sequence[QDockWidget], sizes: Sequence[int],  # noqa: N802
                    orientation: Qt.Orientation) -> None: ...

    def open_article(self, article_id: int, pane: ArticlePane | None = None,
                     spans: StoreSpans | None = None) -> ArticlePane | None: ...

    def show_annotation(self, article_id: int, uid: str) -> None: ...


class ClaimWorkspace(QObject):
    message = Signal(str)

    def __init__(self, window: ClaimsHost) -> None:
        assert isinstance(window, QWidget)
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.chosen: str | None = None
        self.dock = ClaimsDock(window.session, window)
        self.dock.hide()
        window.add_side_dock(self.dock)
        self.dock.message.connect(self.message)
        self.dock.claimChosen.connect(self.show_claim)
        self.dock.spanActivated.connect(self.show_span)
        self.dock.matrixRequested.connect(self.show_matrix)
        self.dock.suggestions.chosen.connect(self.show_suggestion)
        self.dock.suggestions.spanAccepted.connect(self.show_span)
        self.dock.suggestions.stretch_for = self.stretch_for
        toggle = window.actions["claims_dock"]
        self.dock.toggleViewAction().toggled.connect(toggle.setChecked)
        self.matrix: ClaimMatrixView | None = None
        window.panes.layoutChanged.connect(self._outline_again)
        # A pane showing another article: the chosen claim's outline follows (its spans there, or none).
        window.panes.articleShown.connect(self._outline_pane)
        self.session.storeChanged.connect(self._store_changed)

    # ----------------------------------------------------------------- dock

    def set_dock_visible(self, on: bool) -> None:
        if not on:
            self.dock.hide()
            return
        # Open already, it may be behind another dock's tab: shown again, it comes in front.
        opening = self.dock.isHidden()
        self.window.show_dock(self.dock)
        if opening:
            self.window.resizeDocks([self.dock], [560], Qt.Orientation.Horizontal)
            self.dock.reload()
            self.dock.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            self.message.emit("Claims: ←/→ go from cell to cell, F2 or Enter edits one (the verdict, a span's role),"
                              " + and − open and close a claim, Enter on a span shows it; L in a pane links spans.")

    def reveal_claim(self, claim_uid: str) -> None:
        """Open the dock on a claim (from a span's right-click menu): its spans are outlined in the panes."""
        self.set_dock_visible(True)
        self.dock.select_claim(claim_uid, user=True)

    def selected_claim(self) -> str | None:
        return self.dock.current_claim() if self.dock.isVisible() else None

    def linked(self, claim_uid: str) -> None:
        """After L: the dock (if open) shows the claim the spans joined."""
        if self.dock.isVisible():
            self.dock.select_claim(claim_uid, user=False)

    # ------------------------------------------------------------ the panes

    def show_claim(self, claim_uid: str, user: bool) -> None:
        """Outline the claim's spans in every open pane; scroll each to its first one when the user chose it."""
        self.chosen = claim_uid or None
        self._outline(scroll=user)

    def _outline_again(self) -> None:
        self._outline(scroll=False)

    def _store_changed(self, _store: object) -> None:
        self.chosen = None   # a claim of the old database

    def _outline_pane(self, pane: ArticlePane) -> None:
        if self.chosen is not None:
            self._outline(scroll=False, panes=[pane])

    def _outline(self, *, scroll: bool, panes: Sequence[ArticlePane] | None = None) -> None:
        store = self.session.store
        uid = self.chosen if self.chosen is not None and store.has_claim(self.chosen) else None
        ranges: dict[int, list[tuple[int, int]]] = {}
        if uid is not None:
            for article_id, start, end in store.linked_ranges(uid):
                ranges.setdefault(article_id, []).append((start, end))
        colour = claim_colour(store.claim(uid).id or 0) if uid is not None else None
        for pane in self.window.panes.panes if panes is None else panes:
            found = sorted(ranges.get(pane.article.id, [])) if pane.article is not None else []
            pane.view.claim_gutter.set_outline(uid if found else None, colour, found)
            if found and scroll:
                pane.view.center_on(found[0][0])

    def show_span(self, article_id: int, span_uid: str) -> None:
        self.window.show_annotation(article_id, span_uid)
        self._outline(scroll=False)

    def show_suggestion(self, suggestion: SameClaimSuggestion) -> None:
        """Open the suggestion's article (beside the current pane if it is not open) with the sentence selected."""
        panes = self.window.panes
        pane = panes.pane_showing(suggestion.article_id)
        if pane is None:
            others = [p for p in panes.panes if p is not panes.current]
            pane = self.window.open_article(suggestion.article_id, others[-1] if others else None)
            if pane is None:
                return
            self._outline(scroll=False)
        pane.view.center_on(suggestion.start)
        pane.view.select_range(suggestion.start, suggestion.end)

    def stretch_for(self, suggestion: SameClaimSuggestion) -> tuple[int, int]:
        """What accepting tags: the user's selection where it overlaps the sentence in its pane (snapped to
        words as tagging snaps it), else the sentence."""
        pane = self.window.panes.pane_showing(suggestion.article_id)
        selected = pane.view.selection() if pane is not None else None
        if pane is None or selected is None:
            return suggestion.start, suggestion.end
        fit = snap_to_words if self.window.tagging.snap_words else trim
        start, end = fit(pane.view.text, *selected)
        if start < end and start < suggestion.end and suggestion.start < end:
            return start, end
        return suggestion.start, suggestion.end

    # --------------------------------------------------------------- matrix

    def show_matrix(self) -> ClaimMatrixView:
        if self.matrix is None:
            assert isinstance(self.window, QWidget)
            self.matrix = ClaimMatrixView(self.session, self._listed_claims, self.window)
            self.matrix.cellChosen.connect(self._show_cell)
            self.matrix.message.connect(self.message)
            self.session.storeChanged.connect(lambda _store: self.matrix.close() if self.matrix else None)
        self.matrix.refresh()
        self.matrix.show()
        self.matrix.raise_()
        return self.matrix

    def _listed_claims(self) -> list[str]:
        """The claims the dock lists (its filter and order); all claims when it was never opened."""
        if self.dock.isVisible():
            return list(self.dock.model.uids)
        return self.session.store.claim_uids()

    def _show_cell(self, claim_uid: str, article_id: int) -> None:
        spans = [s for s in self.session.store.claim_spans(claim_uid) if s.article_id == article_id]
        if self.dock.isVisible():
            self.dock.select_claim(claim_uid, user=False)
        self.chosen = claim_uid
        if spans:
            self.show_span(article_id, spans[0].span_uid)

    # -------------------------------------------------------------- details

    def edit_article_details(self, article_id: int | None) -> None:
        if article_id is None:
            self.message.emit("Open an article first: its details are edited from its pane or the article list.")
            return
        article = self.session.store.article(article_id)
        assert isinstance(self.window, QWidget)
        dialog = ArticleDetailsDialog(article, self.window)
        dialog.setObjectName("articleDetails")
        dialog.accepted.connect(lambda: self._save_details(article_id, dialog))
        dialog.open()

    def _save_details(self, article_id: int, dialog: ArticleDetailsDialog) -> None:
        changes = dialog.changes()
        if changes and claim_ops.edit_article(self.session, article_id, **changes) is not None:
            self.message.emit(f"Saved the article's {', '.join(changes)}. Ctrl+Z undoes it.")
