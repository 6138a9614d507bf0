"""Dialogs: who is annotating, a span's note, the import report, shortcuts, about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.spans import excerpt

if TYPE_CHECKING:
    from ..core.importer import ImportReport


class IdentityDialog(QDialog):
    """Asks who is annotating; the name is stored with every span they make."""

    def __init__(self, current: str, first_time: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        intro = ("Welcome to annotator. Your name is saved with every span you tag, so that reviewers can "
                 "see who tagged what." if first_time else "The name saved with the spans you tag from now on.")
        text = QLabel(intro)
        text.setWordWrap(True)
        self.name = QLineEdit(current)
        self.name.setObjectName("annotatorName")
        self.name.selectAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(QLabel("Annotator name:"))
        layout.addWidget(self.name)
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def _accept(self) -> None:
        if self.name.text().strip():
            self.accept()

    def value(self) -> str:
        return " ".join(self.name.text().split())


class ReasonDialog(QDialog):
    """Why a span is rejected: the reason is required, so OK waits for one."""

    def __init__(self, label: str, span_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reject span")
        question = QLabel(f"Why is this {label} span rejected?<br><i>“{excerpt(span_text, 120)}”</i>")
        question.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("rejectReason")
        self.reason.setPlaceholderText("e.g. not a claim: a quoted opinion")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Reject")
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def value(self) -> str:
        return " ".join(self.reason.text().split())


class NoteDialog(QDialog):
    def __init__(self, span_text: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note")
        quote = QLabel(f"“{excerpt(span_text, 160)}”")
        quote.setWordWrap(True)
        self.editor = QPlainTextEdit(note)
        self.editor.setObjectName("noteEditor")
        self.editor.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # Enter makes a new line in a note; Ctrl+Enter saves, as in most note fields.
        # (The editor takes Ctrl+Return itself, so a shortcut would never see it.)
        self.editor.installEventFilter(self)
        hint = QLabel("Ctrl+Enter saves · Esc cancels")
        hint.setStyleSheet("color: #6b6f76;")
        layout = QVBoxLayout(self)
        layout.addWidget(quote)
        layout.addWidget(self.editor)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(460, 260)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if (obj is self.editor and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # type: ignore[attr-defined]
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):  # type: ignore[attr-defined]
            self.accept()
            return True
        return super().eventFilter(obj, event)

    def value(self) -> str:
        return self.editor.toPlainText().strip()


class ProblemTable(QTableWidget):
    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(len(rows), 2, parent)
        self.setHorizontalHeaderLabels(["Where", "Why"])
        for r, (place, reason) in enumerate(rows):
            for c, value in enumerate((place, reason)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.setItem(r, c, item)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.setColumnWidth(0, 320)
        self.verticalHeader().hide()
        self.setWordWrap(False)


class ImportReportDialog(QDialog):
    """What an import added, and every file, line or span it refused, with the reason."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import report")
        summary = QLabel(report.summary())
        summary.setObjectName("importSummary")
        summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        if report.rejected:
            layout.addWidget(QLabel(f"Not imported ({len(report.rejected)}):"))
            self.rejected = ProblemTable([(p.place, p.reason) for p in report.rejected])
            self.rejected.setObjectName("rejectedTable")
            layout.addWidget(self.rejected, 2)
        if report.remarks:
            layout.addWidget(QLabel("Notes:"))
            remarks = ProblemTable([(p.place, p.reason) for p in report.remarks])
            layout.addWidget(remarks, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(760, 420 if report.problems else 140)


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(rows), 3)
        table.setObjectName("shortcutTable")
        table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                table.setItem(r, c, item)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnToContents(0)
        table.resizeColumnToContents(2)
        tip = QLabel("Select text in a pane, then press a label's key. Click a span to select it; "
                     "press a label's key again to relabel it.")
        tip.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tip)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(560, 560)
