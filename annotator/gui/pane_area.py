"""The central area: two or more article panes side by side."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from ..core.claims import ClaimChange
from ..core.model import Article
from .article_pane import ArticlePane
from .session import Change

BASE_POINT_SIZE = 12
MIN_ZOOM, MAX_ZOOM = -6, 14
# Narrower than this a pane wraps a news paragraph into a column of single words.
MIN_PANE_WIDTH = 260
# What the panes keep before the side docks give way (dock_room.py): two panes at their narrowest, with the
# splitter handle and the margins between them.
READING_WIDTH = 2 * MIN_PANE_WIDTH + 6 + 8


class PaneArea(QWidget):
    currentChanged = Signal(object)               # the active pane
    articleRequested = Signal(object, int)         # pane, article id (drop)
    spanClicked = Signal(object, str)
    contextMenuWanted = Signal(object, QPoint, list)
    textSelected = Signal(object)                  # pane
    detailsRequested = Signal(object)              # pane
    articleShown = Signal(object)                  # pane: another article (or none, or the same afresh)
    layoutChanged = Signal()
    scrolled = Signal()                            # any pane's text scrolled
    message = Signal(str)                          # for the status bar
    squeezed = Signal()                            # narrower than READING_WIDTH: the docks should give way

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(6)
        # The panes share the width the window has. When they cannot all have
        # MIN_PANE_WIDTH, they scroll sideways: the splitter's minimum size would
        # otherwise become the window's, growing it past the screen and crushing
        # the docks beside it.
        self.scroller = QScrollArea()
        self.scroller.setObjectName("paneScroller")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.scroller)
        self.panes: list[ArticlePane] = []
        self.current: ArticlePane | None = None
        self.zoom = 0
        self.sync_scrolling = False
        self._syncing = False
        # What a label key tags of a selected stretch (the window gives tagging's rule): the find bars
        # select a match that way, so the selection shows what a key would tag.
        self.tag_extent: Callable[[str, int, int], tuple[int, int]] = lambda _text, start, end: (start, end)

    # ------------------------------------------------------------------ panes

    def add_pane(self) -> ArticlePane:
        pane = ArticlePane()
        pane.setMinimumWidth(MIN_PANE_WIDTH)
        pane.activated.connect(self.set_current)
        pane.closeRequested.connect(self.remove_pane)
        pane.moveRequested.connect(self.move_pane)
        pane.articleDropped.connect(self.articleRequested)
        pane.spanClicked.connect(self.spanClicked)
        pane.contextMenuWanted.connect(self.contextMenuWanted)
        pane.textSelected.connect(self.textSelected)
        pane.detailsRequested.connect(self.detailsRequested)
        pane.articleShown.connect(self.articleShown)
        pane.find_bar.message.connect(self.message)
        pane.find_bar.extent = lambda text, start, end: self.tag_extent(text, start, end)
        pane.view.verticalScrollBar().valueChanged.connect(lambda _v, p=pane: self._scrolled(p))
        self._apply_zoom(pane)
        self.panes.append(pane)
        self.splitter.addWidget(pane)
        self._equalise()
        self._reveal(pane)
        self._update_buttons()
        if self.current is None:
            self.set_current(pane)
        self.layoutChanged.emit()
        return pane

    def remove_pane(self, pane: ArticlePane) -> None:
        if pane not in self.panes:
            return
        if len(self.panes) == 1:
            pane.clear()  # the last pane stays, empty
            self.layoutChanged.emit()
            return
        i = self.panes.index(pane)
        self.panes.remove(pane)
        pane.hide()
        pane.setParent(None)
        pane.deleteLater()
        if self.current is pane:
            self.current = None
            self.set_current(self.panes[min(i, len(self.panes) - 1)])
        self._equalise()
        self._update_buttons()
        self.layoutChanged.emit()

    def move_pane(self, pane: ArticlePane, delta: int) -> None:
        i = self.panes.index(pane)
        j = i + delta
        if not 0 <= j < len(self.panes):
            return
        self.panes[i], self.panes[j] = self.panes[j], self.panes[i]
        self.splitter.insertWidget(j, pane)
        self._reveal(pane)
        self._update_buttons()
        self.layoutChanged.emit()

    def set_current(self, pane: ArticlePane) -> None:
        if pane is self.current:
            return
        self.current = pane
        self._reveal(pane)
        for p in self.panes:
            p.set_active(p is pane)
        self.currentChanged.emit(pane)

    def _reveal(self, pane: ArticlePane) -> None:
        """Scroll the pane into view once the splitter has placed it (after this event)."""
        def reveal() -> None:
            if pane in self.panes:
                self.scroller.ensureWidgetVisible(pane, 0, 0)

        QTimer.singleShot(0, reveal)

    def empty_or_current(self) -> ArticlePane:
        """Where a newly chosen article goes: the current pane."""
        if self.current is None:
            return self.add_pane()
        return self.current

    def pane_showing(self, article_id: int) -> ArticlePane | None:
        for p in self.panes:
            if p.article is not None and p.article.id == article_id:
                return p
        return None

    def open_article_ids(self) -> list[int]:
        return [p.article.id for p in self.panes if p.article is not None]

    def apply(self, change: Change) -> None:
        for p in self.panes:
            p.apply(change)

    def claims_changed(self, change: ClaimChange) -> None:
        """Claims or links changed: every pane asks for its badges again (only what is on screen)."""
        spans = change.touched_spans
        for p in self.panes:
            if p.article is not None:
                p.view.claims_changed(spans)

    def article_edited(self, article: Article) -> None:
        """An article's details changed: the panes showing it say so in their headers."""
        for p in self.panes:
            if p.article is not None and p.article.id == article.id:
                p.article = article
                p.refresh_header()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() < READING_WIDTH:
            self.squeezed.emit()

    def _equalise(self) -> None:
        width = max(self.scroller.viewport().width(), 600)
        share = max(MIN_PANE_WIDTH, width // max(1, len(self.panes)))
        self.splitter.setSizes([share] * len(self.panes))

    def _update_buttons(self) -> None:
        for i, p in enumerate(self.panes):
            p.left_button.setEnabled(i > 0)
            p.right_button.setEnabled(i < len(self.panes) - 1)

    # ---------------------------------------------------------- view options

    def set_zoom(self, zoom: int) -> None:
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        for p in self.panes:
            self._apply_zoom(p)
        self.layoutChanged.emit()

    def _apply_zoom(self, pane: ArticlePane) -> None:
        font = QFont(pane.view.font())
        font.setPointSize(BASE_POINT_SIZE + self.zoom)
        pane.view.setFont(font)
        pane.view.highlighter.format_visible()

    def set_sync_scrolling(self, on: bool) -> None:
        self.sync_scrolling = on
        if on and self.current is not None:
            self._scrolled(self.current)

    def _scrolled(self, source: ArticlePane) -> None:
        self.scrolled.emit()
        if not self.sync_scrolling or self._syncing:
            return
        bar = source.view.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._syncing = True
        try:
            for p in self.panes:
                if p is not source and p.article is not None:
                    other = p.view.verticalScrollBar()
                    other.setValue(round(fraction * other.maximum()))
        finally:
            self._syncing = False
