"""View > Guidelines: the project's annotation guidelines (Markdown) and what each label is for.

The guidelines are read from the database (so every annotator of a project
sees the same ones) and edited here: Save is one session operation, undone
with Ctrl+Z. Each label's description, its guideline, follows; Edit Labels…
opens the labels dialog to change those.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import AnnotatorError
from .session import AnnotationSession
from .shown_text import html_line


class GuidelinesDock(QDockWidget):
    def __init__(self, session: AnnotationSession, edit_labels: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__("Guidelines", parent)
        self.setObjectName("guidelinesDock")
        self.session = session

        self.view = QTextBrowser()
        self.view.setObjectName("guidelinesView")
        self.view.setOpenExternalLinks(True)
        self.edit_button = QPushButton("&Edit Guidelines")
        self.edit_button.setObjectName("editGuidelines")
        self.edit_button.clicked.connect(self.start_editing)
        labels_button = QPushButton("Edit &Labels…")
        labels_button.setObjectName("editLabelsFromGuidelines")
        labels_button.clicked.connect(edit_labels)
        reading = QWidget()
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.edit_button)
        row.addWidget(labels_button)
        row.addStretch(1)
        reading_layout.addLayout(row)

        self.editor = QPlainTextEdit()
        self.editor.setObjectName("guidelinesEditor")
        self.editor.setPlaceholderText("# How we tag\n\nMarkdown: headings, lists, **bold**, [links](https://…)")
        self.error = QLabel()
        self.error.setObjectName("guidelinesError")
        self.error.setWordWrap(True)
        save = QPushButton("&Save")
        save.setObjectName("saveGuidelines")
        save.clicked.connect(self.save)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.stop_editing)
        editing = QWidget()
        editing_layout = QVBoxLayout(editing)
        editing_layout.setContentsMargins(0, 0, 0, 0)
        editing_layout.addWidget(self.editor, 1)
        editing_layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(save)
        editing_layout.addLayout(row)

        self.stack = QStackedWidget()
        self.stack.addWidget(reading)
        self.stack.addWidget(editing)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)
        self.setWidget(body)
        session.labelsChanged.connect(self.refresh)
        session.storeChanged.connect(lambda _store: self.refresh())
        self.refresh()

    @property
    def editing(self) -> bool:
        return self.stack.currentIndex() == 1

    def refresh(self) -> None:
        """Show the guidelines and the labels as the database has them now."""
        store = self.session.store
        doc = self.view.document()
        doc.clear()
        cursor = QTextCursor(doc)
        text = store.guidelines()
        if text:
            cursor.insertMarkdown(text)
        else:
            cursor.insertHtml("<p><i>No guidelines yet for this project: Edit Guidelines writes them"
                              " (Markdown), for everyone who annotates this database.</i></p>")
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertHtml("<hr><h3>Labels</h3>")
        for label in store.labels():
            cursor.movePosition(QTextCursor.MoveOperation.End)
            key = f" &nbsp;<small>key {html_line(label.shortcut)}</small>" if label.shortcut else ""
            cursor.insertBlock()
            cursor.insertHtml(f"<p><span style='color:{escape(label.colour)}; font-size:large'>■</span>"
                              f" <b>{html_line(label.name)}</b>{key}</p>")
            cursor.insertBlock()
            if label.description:
                cursor.insertMarkdown(label.description)
            else:
                cursor.insertHtml("<i>No guideline yet (Edit Labels… describes it).</i>")
        self.view.moveCursor(QTextCursor.MoveOperation.Start)

    def start_editing(self) -> None:
        self.editor.setPlainText(self.session.store.guidelines())
        self.error.clear()
        self.stack.setCurrentIndex(1)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def stop_editing(self) -> None:
        self.stack.setCurrentIndex(0)
        self.edit_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        text = self.editor.toPlainText()
        try:
            self.session.change_labels(lambda store, actor: store.set_guidelines(text, actor=actor))
        except AnnotatorError as exc:
            self.error.setText(str(exc))
            return
        self.stop_editing()
        self.refresh()
