"""Dialogs: who is annotating, a span's note, the import report, shortcuts, about."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.hints import ENCODING, in_window
from ..core.spans import quoted
from .shown_text import lines, one_line

if TYPE_CHECKING:
    from ..core.importer import ImportReport
    from .jobs import Job


class IdentityDialog(QDialog):
    """Asks who is annotating; the name is stored with every span they make."""

    def __init__(self, current: str, first_time: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        intro = ("Welcome to annotator. Your name is saved with every span you tag, so that reviewers can "
                 "see who tagged what." if first_time else "The name saved with the spans you tag from now on.")
        text = QLabel(intro)
        text.setWordWrap(True)
        from ..core.profile import profile_path

        # On first start no window is open yet: where the name is kept is all there is to say (QA4-21).
        kept = f"The name is kept for your user account in {profile_path()}."
        where = QLabel(kept if first_time else
                       f"{kept} Windows opened from now on use it; another window open now keeps its name until"
                       " you change it there.")
        where.setObjectName("annotatorNameWhere")
        where.setWordWrap(True)
        where.setForegroundRole(QPalette.ColorRole.PlaceholderText)
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
        layout.addWidget(where)
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
        question = QLabel(f"Why is this {label} span rejected?<br><i>{quoted(span_text, 120)}</i>")
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
        quote = QLabel(quoted(span_text, 160))
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
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
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
    """Places and reasons; places are shown from the folder they all share (named in ``folder``)."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(len(rows), 2, parent)
        self.setHorizontalHeaderLabels(["Where", "Why"])
        self.folder = _shared_folder([place for place, _ in rows])
        cut = len(self.folder) + 1 if self.folder else 0
        for r, (place, reason) in enumerate(rows):
            for c, (shown, whole) in enumerate(((place[cut:], place), (reason, reason))):
                item = QTableWidgetItem(one_line(shown))
                item.setToolTip(lines(whole))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.setItem(r, c, item)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        # The place column as wide as its longest entry, within reason; the reasons wrap
        # rather than hide behind an ellipsis.
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.item(r, 0).text()) for r in range(len(rows))), default=120)
        self.setColumnWidth(0, min(max(widest + 24, 160), 700))
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.resizeRowsToContents()

    def fitting_width(self) -> int:
        """What the table needs to show its places whole beside a readable reason."""
        return self.columnWidth(0) + 460


def _shared_folder(places: list[str]) -> str:
    """The folder every place (a path, maybe with ``:line`` after it) lies in, or "" if they share none."""
    import os

    paths = [place.split(":", 1)[0] if not os.path.exists(place) else place for place in places]
    try:
        shared = os.path.commonpath([os.path.dirname(p) for p in paths if os.path.isabs(p)]) if paths else ""
    except ValueError:
        return ""
    return shared if shared and shared != os.sep and all(os.path.isabs(p) for p in paths) else ""


class ImportReportDialog(QDialog):
    """What an import added, and every file, line or span it refused, with the reason."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None,
                 again: Callable[[str], object] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self._again = again
        summary = QLabel(lines(in_window(report.summary())))
        summary.setTextFormat(Qt.TextFormat.PlainText)   # file names, not markup
        summary.setObjectName("importSummary")
        summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        if report.rejected:
            self.rejected = ProblemTable([(p.place, in_window(p.reason)) for p in report.rejected])
            self.rejected.setObjectName("rejectedTable")
            layout.addWidget(QLabel(one_line(f"Not imported ({len(report.rejected)})"
                                             + (f", in {self.rejected.folder}:" if self.rejected.folder else ":"))))
            layout.addWidget(self.rejected, 2)
        if report.remarks:
            remarks = ProblemTable([(p.place, in_window(p.reason)) for p in report.remarks])
            layout.addWidget(QLabel(one_line("Notes" + (f", in {remarks.folder}:" if remarks.folder else ":"))))
            layout.addWidget(remarks, 1)
        if again is not None and _about_encoding(report):
            layout.addLayout(self._encoding_row())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        tables = [t for t in self.findChildren(ProblemTable)]
        width = max([760] + [t.fitting_width() for t in tables])
        height = 140 if not report.problems else min(640, 200 + 26 * len(report.problems))
        screen = self.screen() or (parent.screen() if parent is not None else None)
        if screen is not None:
            area = screen.availableGeometry()
            width, height = min(width, int(area.width() * 0.9)), min(height, int(area.height() * 0.85))
        self.resize(width, height)


    def _encoding_row(self) -> QHBoxLayout:
        """A file refused as not UTF-8, or read by a guess: the encoding to read the files with, and again."""
        row = QHBoxLayout()
        row.addWidget(QLabel("Read the files as:"))
        self.encoding = QComboBox()
        self.encoding.setObjectName("importEncoding")
        self.encoding.setEditable(True)   # any codec Python knows; the list holds the usual ones
        self.encoding.addItems(ENCODINGS)
        self.encoding.setToolTip("The files already imported are recognised and not doubled; an article read"
                                 " with a wrong guess stays until you delete it (Edit > Delete Article).")
        row.addWidget(self.encoding, 1)
        again = QPushButton("Import &Again")
        again.setObjectName("importAgain")
        again.setAutoDefault(False)   # Enter closes the report, as before; this is a choice made on purpose
        again.clicked.connect(self._import_again)
        row.addWidget(again)
        self.encoding_problem = QLabel()
        self.encoding_problem.setObjectName("encodingProblem")
        row.addWidget(self.encoding_problem)
        return row

    def _import_again(self) -> None:
        from ..core.errors import ImportFileError
        from ..core.text import check_encoding

        try:
            name = check_encoding(self.encoding.currentText().strip())
        except ImportFileError as exc:
            self.encoding_problem.setText(one_line(str(exc)))
            return
        self.accept()
        assert self._again is not None
        self._again(name)


# The encodings offered when a file was not UTF-8: Western and Central European, Cyrillic,
# Greek, Turkish, Japanese, Chinese, Korean (any other name can be typed).
ENCODINGS = ("cp1252", "latin-1", "utf-8", "utf-16", "cp1250", "cp1251", "koi8-r", "cp1253", "cp1254",
             "iso-8859-2", "shift_jis", "euc-jp", "gb18030", "big5", "euc-kr")


def _about_encoding(report: ImportReport) -> bool:
    """Whether a file of the import was refused for its encoding or read by a guess."""
    return any(any(hint.found_in(p.reason) for hint in ENCODING) or p.reason.endswith("(a guess)")
               or "not UTF-8" in p.reason for p in report.problems)


class ShortcutsDialog(QDialog):
    """Every key of the window (F1), in menu order, with a box that narrows the list to what is typed."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.filter = QLineEdit()
        self.filter.setObjectName("shortcutFilter")
        self.filter.setPlaceholderText("Find a key or an action (e.g. accept, Ctrl+Shift, link)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._narrow)
        self.table = table = QTableWidget(len(rows), 3)
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
        layout.addWidget(self.filter)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(640, 600)
        self.filter.setFocus()   # sixty rows: finding one starts with typing

    def _narrow(self, text: str) -> None:
        words = text.casefold().split()
        for r in range(self.table.rowCount()):
            row = " ".join(self.table.item(r, c).text() for c in range(3)).casefold()
            self.table.setRowHidden(r, not all(w in row for w in words))

    def shown_rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
                for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]


class WaitNotice(QDialog):
    """A change waiting to be saved (gui/write_wait.py): what holds it up, a busy bar, and the ways out.

    When this window's own job holds it up (a verify reading the whole
    database), a button stops that job: the change is then saved at once.
    """

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("writerWait")
        self.setWindowTitle("Waiting to save")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.canceled = False    # the user gave the change up
        self.stopping = False    # the user stopped the job that held it up
        self.job: Job | None = None
        self.label = QLabel()
        self.label.setObjectName("writerWaitText")
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(440)
        bar = QProgressBar()
        bar.setRange(0, 0)
        buttons = QDialogButtonBox()
        self.stop_job = QPushButton()
        self.stop_job.setObjectName("stopJob")
        self.stop_job.clicked.connect(self._stop_job)
        buttons.addButton(self.stop_job, QDialogButtonBox.ButtonRole.ActionRole)
        give_up = QPushButton("Stop waiting (the change is not saved)")
        give_up.setObjectName("stopWaiting")
        give_up.setAutoDefault(False)   # it loses the change: a click, never Enter
        give_up.clicked.connect(self.reject)
        buttons.addButton(give_up, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        layout.addWidget(buttons)

    def show_cause(self, job: Job | None, text: str) -> None:
        self.job = job
        self.label.setText(text)
        self.stop_job.setVisible(job is not None)
        if job is not None:
            self.stop_job.setText(f"Stop {job.holds_reads} (your change is then saved)")

    def _stop_job(self) -> None:
        if self.job is not None:
            self.stopping = True
            self.job.cancel()
            self.stop_job.setEnabled(False)
            self.stop_job.setText(f"Stopping {self.job.holds_reads}…")

    def reject(self) -> None:  # the button, Esc, the window's close button: the change is given up
        self.canceled = True
