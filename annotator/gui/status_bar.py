"""The status bar: messages, who is annotating, what is open, and whether the last action was saved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

from ..core.words import count
from . import theme

SAVED_TIP = "Every action is committed to the database at once; there is no Save button."


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
        # The span the L key links from (claim_linking): shown while there is one.
        self.link_label = QLabel()
        self.link_label.setObjectName("linkSource")
        self.link_label.setMaximumWidth(460)
        self.link_label.hide()
        self.addPermanentWidget(self.link_label)
        self.addPermanentWidget(self.counts_label)
        self.addPermanentWidget(self.saved_label)
        self.addPermanentWidget(self.annotator_button)
        self.show_nothing_pending()

    def say(self, message: str, timeout_ms: int = 8000) -> None:
        self.showMessage(message, timeout_ms)

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

    def show_link_source(self, text: str) -> None:
        """Which span L links from ("" hides it); elided to fit, whole in the tooltip."""
        self.link_label.setVisible(bool(text))
        self.link_label.setToolTip(text)
        metrics = self.link_label.fontMetrics()
        self.link_label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, 456))

    def set_annotator(self, name: str) -> None:
        self.annotator_button.setText(f"Annotator: {name}")

    def set_counts(self, open_articles: int, spans: int, articles: int) -> None:
        self.counts_label.setText(f"{open_articles} open · {count(spans, 'span')} · {count(articles, 'article')}")
