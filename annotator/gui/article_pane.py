"""One pane: a header naming the article, and its text with spans."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.model import Article
from ..core.words import count
from . import theme
from .article_view import ArticleView, article_from_mime
from .find_bar import FindBar
from .highlighter import SpanSource
from .label_style import LabelStyles
from .session import Change
from .shown_text import one_line


# The blue edge of the active pane; the rest of the pane's look is in annotator.qss.
# Border plus padding stay 2px either way: the text must not re-wrap (and move under the
# pointer) when a click makes the pane active.
def _edge_style(kind: str) -> str:
    """The active pane's edge, the header of the pane holding the keyboard, a drop target's dashed edge."""
    t = theme.current()
    if kind == "drop":
        return f"#articlePane {{ border: 2px dashed {t.active_edge}; padding: 0px; background: {t.drop_fill}; }}"
    style = f"#articlePane {{ border: 2px solid {t.active_edge}; padding: 0px; }}"
    if kind == "focused":  # the keyboard is in this pane's text: label keys act here
        style += f" #paneHeader {{ background: {t.focus_header}; }} #paneTitle {{ color: {t.focus_title}; }}"
    return style


class _Placeholder(QLabel):
    """What an empty pane shows; articles can be dropped on it."""

    articleDropped = Signal(int)
    dragHover = Signal(bool)

    def __init__(self) -> None:
        super().__init__("Double-click an article in the list,\nor drag it here.")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setObjectName("placeholder")
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if article_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
            self.dragHover.emit(True)

    def dragLeaveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.dragHover.emit(False)

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.dragHover.emit(False)
        article_id = article_from_mime(event.mimeData())
        if article_id is not None:
            event.acceptProposedAction()
            self.articleDropped.emit(article_id)


class ArticlePane(QFrame):
    activated = Signal(object)                   # this pane
    closeRequested = Signal(object)
    moveRequested = Signal(object, int)          # pane, -1 left / +1 right
    articleDropped = Signal(object, int)         # pane, article id
    spanClicked = Signal(object, str)            # pane, uid ("" for none)
    contextMenuWanted = Signal(object, QPoint, list)
    textSelected = Signal(object)                # pane
    detailsRequested = Signal(object)            # pane: edit its article's title, source, url, date
    articleShown = Signal(object)                # pane: it shows another article, or the same one afresh, or none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articlePane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.active = False
        self.focused = False     # the keyboard is in this pane's text
        self.drop_target = False   # an article is being dragged over this pane
        self.article: Article | None = None
        self.caption = ""   # what this pane shows of the article, e.g. "ana's spans" when comparing

        header_widget = self._header()

        self.view = ArticleView()
        self.find_bar = FindBar(self.view)
        self.placeholder = _Placeholder()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header_widget)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.stack, 1)

        self.view.focused.connect(lambda: self._show_focus(True))
        self.view.focused.connect(lambda: self.activated.emit(self))
        self.view.focusLeft.connect(lambda: self._show_focus(False))
        self.view.articleDropped.connect(lambda article_id: self.articleDropped.emit(self, article_id))
        self.placeholder.articleDropped.connect(lambda article_id: self.articleDropped.emit(self, article_id))
        self.view.spanClicked.connect(lambda uid: self.spanClicked.emit(self, uid))
        self.view.contextMenuWanted.connect(lambda pos, hits: self.contextMenuWanted.emit(self, pos, hits))
        self.view.textSelected.connect(lambda: self.textSelected.emit(self))
        self.view.dragHover.connect(self._show_drop_target)
        self.view.articleShown.connect(lambda: self.articleShown.emit(self))
        self.placeholder.dragHover.connect(self._show_drop_target)
        self.refresh_header()

    def _header(self) -> QWidget:
        """The title and source over the text, with the pane's buttons: details, move left and right, close."""
        self.title = QLabel()
        self.title.setObjectName("paneTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("paneSubtitle")
        self.subtitle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.details_button = self._button("✎", "Edit this article's details: title, source, url, published date",
                                           lambda: self.detailsRequested.emit(self))
        self.details_button.setObjectName("detailsButton")
        self.left_button = self._button("«", "Move this pane left", lambda: self.moveRequested.emit(self, -1))
        self.right_button = self._button("»", "Move this pane right", lambda: self.moveRequested.emit(self, 1))
        self.close_button = self._button("✕", "Close this pane", lambda: self.closeRequested.emit(self))

        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header = QHBoxLayout()
        header.setContentsMargins(10, 6, 6, 6)
        header.addLayout(titles, 1)
        for b in (self.details_button, self.left_button, self.right_button, self.close_button):
            header.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        header_widget = QWidget()
        header_widget.setObjectName("paneHeader")
        header_widget.setLayout(header)
        return header_widget

    def _button(self, text: str, tip: str, slot) -> QToolButton:  # type: ignore[no-untyped-def]
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        return b

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.activated.emit(self)
        super().mousePressEvent(event)

    # --------------------------------------------------------------- content

    def show_article(self, article: Article, text: str, spans: SpanSource, styles: LabelStyles) -> None:
        self.article = article
        self.view.set_article(text, spans, styles)
        self.stack.setCurrentWidget(self.view)
        self.refresh_header()

    def set_caption(self, caption: str) -> None:
        self.caption = caption
        self.refresh_header()

    def clear(self) -> None:
        self.find_bar.hide()
        self.article = None
        self.caption = ""
        self.view.clear_article()
        self.stack.setCurrentWidget(self.placeholder)
        self.refresh_header()

    def set_active(self, active: bool) -> None:
        """The active pane (where label keys and new spans go) gets a blue edge."""
        if self.active == active:
            return
        self.active = active
        self._apply_edge()

    def _show_focus(self, on: bool) -> None:
        if self.focused != on:
            self.focused = on
            self._apply_edge()

    def _show_drop_target(self, on: bool) -> None:
        self.drop_target = on
        self._apply_edge()

    def _apply_edge(self) -> None:
        # A style sheet of its own rather than an [active="true"] rule in annotator.qss:
        # a dynamic property needs style().unpolish/polish, and the first style() call
        # builds QStyle's Python enums, 5 ms of start-up.
        if self.drop_target:
            style = _edge_style("drop")
        elif self.active:
            style = _edge_style("focused" if self.focused else "active")
        else:
            style = ""
        self.setStyleSheet(style)

    def theme_changed(self) -> None:
        self._apply_edge()

    def apply(self, change: Change) -> None:
        if self.article is None or change.article_id != self.article.id:
            return
        ranges = [(a.start, a.end) for a in (change.before, change.annotation) if a is not None]
        self.view.span_changed(ranges, change.annotation.uid)
        self.refresh_header()

    def refresh_header(self) -> None:
        self.details_button.setVisible(self.article is not None)
        if self.article is None:
            self.title.setText("No article")
            self.subtitle.setText("")
            self.setToolTip("")
            return
        a = self.article
        self.title.setText(one_line(a.title))
        parts = [p for p in (a.display_source, a.published) if p]
        n = self.view.spans.count()
        parts.append(count(n, "span"))
        if self.caption:
            parts.append(self.caption)
        self.subtitle.setText(one_line(" · ".join(parts)))
        self.title.setToolTip(one_line(a.title))
