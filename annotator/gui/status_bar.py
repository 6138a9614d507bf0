"""The status bar: messages, who is annotating, what is open, and whether the last action was saved."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QToolButton, QWidget

from ..core.words import count
from . import theme
from .shown_text import lines, menu_entry, one_line

SAVED_TIP = "Every action is committed to the database at once; there is no Save button."
LINK_WIDTH = 340   # the "Linking from" note: a fixed share, so the message beside it keeps the rest


def elide_at_word(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` cut to ``width`` pixels at the end of a word, with "…"; whole when it fits."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    cut = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)[:-1]
    if cut and not text[len(cut)].isspace() and " " in cut:
        cut = cut[:cut.rindex(" ")]   # back to the last whole word
    return cut.rstrip(" ,;:—-") + "…"


class _ElidedLabel(QLabel):
    """A label that never cuts a word in half: what does not fit ends in "…", and the tooltip holds it all.

    It asks for its whole text's width but makes do with little: a long message
    never widens the window (the window never grows), it is cut instead.
    """

    def __init__(self, object_name: str, tip: str = "") -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.full = ""
        self.tip = tip   # the tooltip when the text is whole
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def show_text(self, text: str, tip: str = "") -> None:
        # Every message passes here: the titles, names and quotes in it are shown, not obeyed.
        self.full = one_line(text)
        self.tip = lines(tip)
        self.updateGeometry()
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.full) + margins.left() + margins.right() + 4
        return QSize(min(width, self.maximumWidth()), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(min(40, self.maximumWidth()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        shown = elide_at_word(self.fontMetrics(), self.full, max(0, self.contentsRect().width() - 4))
        if shown != self.text():
            self.setText(shown)
        self.setToolTip(self.tip or (self.full if shown != self.full else ""))


class StatusBar(QStatusBar):
    annotatorClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.annotator_button = QToolButton()
        self.annotator_button.setObjectName("annotatorButton")
        self.annotator_button.setAutoRaise(True)
        self.annotator_button.setToolTip("Who is annotating (click to change); the name is kept per user account")
        self.annotator_button.clicked.connect(self.annotatorClicked)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setToolTip(SAVED_TIP)
        # Messages in a label of our own rather than showMessage, which QStatusBar draws
        # clipped mid-word where the widgets on the right begin.
        self.message_label = _ElidedLabel("statusMessage")
        self.addWidget(self.message_label, 1)
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(lambda: self.message_label.show_text(""))
        # The span the L key links from (claim_linking): shown while there is one, set apart from the message.
        self.link_label = _ElidedLabel("linkSource")
        self.link_label.setMaximumWidth(LINK_WIDTH)
        self.link_label.setContentsMargins(14, 0, 0, 0)
        self.link_label.hide()
        self.addPermanentWidget(self.link_label)
        self.addPermanentWidget(self.counts_label)
        self.addPermanentWidget(self.saved_label)
        self.addPermanentWidget(self.annotator_button)
        self.show_nothing_pending()

    def say(self, message: str, timeout_ms: int = 8000) -> None:
        self.message_label.show_text(message)
        self._expiry.start(timeout_ms)

    def currentMessage(self) -> str:  # noqa: N802
        """The message said last (whole, however it is cut on screen), until it times out."""
        return self.message_label.full

    def show_saved(self, message: str) -> None:
        self.saved_label.setText(f"✓ {message}")
        self.saved_label.setStyleSheet("")

    def show_unsaved(self, *, damaged: bool = False) -> None:
        """The last action was refused; ``damaged``: and the database will take no more (store.damaged)."""
        self.saved_label.setText("⚠ Database damaged: nothing more is saved" if damaged
                                 else "⚠ Last action not saved")
        self.saved_label.setStyleSheet(f"color: {theme.current().unsaved}; font-weight: 600;")

    def show_nothing_pending(self) -> None:
        """A fresh start, or another database: no indicator carried over from before."""
        self.saved_label.setText("All changes saved")
        self.saved_label.setStyleSheet("")

    def show_link_source(self, text: str, short: str = "") -> None:
        """Which span L links from ("" hides it): ``short`` (else ``text``) cut to fit, ``text`` in the tooltip."""
        self.link_label.setVisible(bool(text))
        self.link_label.show_text(short or text, tip=text)

    def set_annotator(self, name: str) -> None:
        self.annotator_button.setText(menu_entry(f"Annotator: {name}"))

    def set_counts(self, open_articles: int, spans: int, articles: int) -> None:
        self.counts_label.setText(f"{open_articles} open · {count(spans, 'span')} · {count(articles, 'article')}")
