"""Export a dataset: format, filters, how much will be written, progress with cancel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import exporter, formats
from ..core.errors import AnnotatorError
from ..core.exporter import ExportFilter, ExportResult
from ..core.hints import in_window
from ..core.model import STATUSES
from ..core.store import Store
from .jobs import Job, run_with_progress
from .shown_text import box_name, name_box


def _checks(names: list[str]) -> tuple[QWidget, list[QCheckBox]]:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    checks = []
    for name in names:
        check = name_box(name)
        check.setChecked(True)
        row.addWidget(check)
        checks.append(check)
    row.addStretch(1)
    return box, checks


class ExportDialog(QDialog):
    def __init__(self, store: Store, open_article_ids: list[int], start_folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export dataset")
        self.store = store
        self.open_article_ids = open_article_ids
        self.result_info: ExportResult | None = None
        self.job: Job | None = None

        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        for fmt in formats.export_formats():
            self.format.addItem(f"{fmt.name} — {fmt.description}", fmt.name)
        labels_box, self.label_checks = _checks([label.name for label in store.labels()])
        annotators = store.annotators()
        annotators_box, self.annotator_checks = _checks(annotators)
        status_box, self.status_checks = _checks(list(STATUSES))
        self.only_open = QCheckBox("Only the articles open in panes")
        self.only_open.setEnabled(bool(open_article_ids))
        self.all_articles = QCheckBox("Include articles with no matching span (examples with nothing to tag)")
        self.all_articles.setChecked(True)
        # With every span kept, articles without spans are examples too; once the
        # spans are filtered (say, accepted only for a gold set) an article without
        # a match is unreviewed, not empty. The box follows that until the user sets it.
        self._all_articles_set_by_user = False
        self.all_articles.clicked.connect(self._all_articles_clicked)
        self.count = QLabel()
        self.count.setObjectName("exportCount")
        # Excel opens a CSV without a byte order mark in the system's legacy code page
        # ("TÃ¼rkiye"); pandas and Python's csv read either. On by default for CSV.
        self.bom = QCheckBox("Start with a UTF-8 byte order mark (Excel needs it to show accents: “Türkiye”)")
        self.bom.setObjectName("exportBom")
        self.bom.setChecked(True)
        path_row = self._path_row(start_folder)

        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Labels:", labels_box)
        form.addRow("Annotators:", annotators_box if annotators else QLabel("(no spans yet)"))
        form.addRow("Status:", status_box)
        form.addRow("", self.only_open)
        form.addRow("", self.all_articles)
        form.addRow("File:", path_row)
        form.addRow("", self.bom)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count)
        layout.addWidget(self._buttons())

        for check in self.label_checks + self.annotator_checks + self.status_checks + [self.only_open]:
            check.toggled.connect(self.update_count)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.bom.setVisible(self.format.currentData() == "csv")
        self.update_count()
        self.resize(640, self.sizeHint().height())

    def _path_row(self, start_folder: Path) -> QHBoxLayout:
        """The file to write, typed or browsed for."""
        self.path = QLineEdit(str(start_folder / "annotations.jsonl"))
        self.path.setObjectName("exportPath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        return row

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        buttons.accepted.connect(self.run_export)
        buttons.rejected.connect(self.reject)
        return buttons

    def filter(self) -> ExportFilter | None:
        """The chosen filter, or None when a group has every box cleared (no span can match)."""
        groups = (self.label_checks, self.annotator_checks, self.status_checks)
        if any(checks and not any(c.isChecked() for c in checks) for checks in groups):
            return None

        def chosen(checks: list[QCheckBox]) -> list[str]:
            picked = [box_name(c) for c in checks if c.isChecked()]
            # every box ticked means no filter, so nothing new is left out
            return [] if len(picked) == len(checks) else picked

        labels, annotators, statuses = (chosen(checks) for checks in groups)
        fmt = formats.get(self.format.currentData())
        if not fmt.carries_status and fmt.write_claims is None:
            # Every box ticked is asking for rejected spans too: a format that cannot mark them leaves them out
            # unless the statuses are named (exporter.as_written).
            statuses = [box_name(c) for c in self.status_checks if c.isChecked()]
        return ExportFilter(
            labels=labels, annotators=annotators, statuses=statuses,
            article_ids=self.open_article_ids if self.only_open.isChecked() else (),
            all_articles=self.all_articles.isChecked(),
        )

    def _all_articles_clicked(self) -> None:
        self._all_articles_set_by_user = True
        self.update_count()

    def update_count(self) -> None:
        if not self._all_articles_set_by_user:
            groups = (self.label_checks, self.annotator_checks)
            fmt = formats.get(self.format.currentData())
            unmarked = not (fmt.carries_status or fmt.write_claims is not None)
            default = [box_name(c) != "rejected" or not unmarked for c in self.status_checks]   # the format's default
            ticked = [c.isChecked() for c in self.status_checks]
            narrowed = any(not all(c.isChecked() for c in checks) for checks in groups) or \
                (ticked != default and not all(ticked))
            self.all_articles.blockSignals(True)
            self.all_articles.setChecked(not narrowed)
            self.all_articles.blockSignals(False)
        flt = self.filter()
        if flt is None:
            self.count.setText("Nothing is selected: no spans would be written.")
            self.export_button.setEnabled(False)
            return
        try:
            articles, spans = exporter.count(self.store, flt)
        except AnnotatorError as exc:
            self.count.setText(str(exc))
            self.export_button.setEnabled(False)
            return
        s = "s" if spans != 1 else ""
        fmt = formats.get(self.format.currentData())
        self._offer_what_applies(fmt)
        if fmt.write_claims is not None:
            self._count_claims(fmt.name, flt)
            return
        if fmt.one_row_per_span:
            self.count.setText(f"Will write <b>{spans}</b> row{s}, one per span.")
            self.export_button.setEnabled(spans > 0)
            return
        left_out = ""
        if not fmt.carries_status and "rejected" not in flt.statuses:
            _articles, rejected = exporter.count(self.store, replace(flt, statuses=("rejected",)))
            if rejected:
                left_out = (f" {rejected} rejected span{'s' if rejected != 1 else ''} left out: {fmt.name} cannot"
                            " mark a span as rejected (tick Rejected to write them anyway).")
        self.count.setText(f"Will write <b>{articles}</b> article{'s' if articles != 1 else ''} and "
                           f"<b>{spans}</b> span{s}.{left_out}")
        self.export_button.setEnabled(articles > 0)

    def _offer_what_applies(self, fmt: formats.Format) -> None:
        """Grey out what the format ignores (from its capabilities in the registry), and say why."""
        applies = fmt.keeps_empty_articles
        self.all_articles.setEnabled(applies)
        self.all_articles.setToolTip("" if applies else
                                     f"{fmt.name} writes claims, not articles" if fmt.write_claims is not None
                                     else f"{fmt.name} writes one row per span: an article with none leaves no row")

    def _count_claims(self, name: str, flt: ExportFilter) -> None:
        claims, links, judged = exporter.claim_counts(self.store, flt)
        if name == "claimreview":
            # The span filters choose the claims: those linked to a span they match (formats/claimreview.py).
            which = " linked to a span these filters match" if flt.labels or flt.annotators or flt.statuses \
                or flt.article_ids else ""
            self.count.setText(f"Will write up to <b>{judged}</b> ClaimReview{'s' if judged != 1 else ''}: the"
                               f" claims with a verdict{which} (one lacking a required field is reported, not"
                               " written).")
            self.export_button.setEnabled(judged > 0)
            return
        self.count.setText(f"Will write <b>{links}</b> line{'s' if links != 1 else ''}, one per claim and linked"
                           f" span, for <b>{claims}</b> claim{'s' if claims != 1 else ''}.")
        self.export_button.setEnabled(links > 0)

    def _format_changed(self) -> None:
        self.bom.setVisible(self.format.currentData() == "csv")
        fmt = formats.get(self.format.currentData())
        # Rejected spans by default only where the format can say they were rejected.
        self.status_checks[STATUSES.index("rejected")].setChecked(fmt.carries_status or fmt.write_claims is not None)
        self.update_count()
        path = Path(self.path.text())
        if fmt.suffix:
            self.path.setText(str(path.with_suffix(fmt.suffix)))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text())
        if name:
            self.path.setText(name)

    def run_export(self) -> None:
        text = self.path.text().strip()
        if not text:
            QMessageBox.warning(self, "Export", "Choose a file to write.")
            return
        target = Path(text).expanduser()
        flt = self.filter()
        if flt is None:
            return
        if target.exists() and not self.confirm_replace(target):
            return
        articles, _spans = exporter.count(self.store, flt)
        name = self.format.currentData()
        bom = name == "csv" and self.bom.isChecked()
        job = Job("Export", lambda store, progress: exporter.export(
            store, name, target, flt, lambda done: progress(done, articles, ""), bom=bom), self.store)
        job.succeeded.connect(self._exported)
        job.failed.connect(self._not_exported)
        self.job = job
        self.export_button.setEnabled(False)
        run_with_progress(job, self, modal=True, label=f"Exporting to {target.name}…")

    def confirm_replace(self, target: Path) -> bool:
        """Ask before an export replaces a file (the answer is replaceable in tests)."""
        answer = QMessageBox.question(self, "Replace the file?",
                                      f"{target} exists already. Replace it with this export?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _exported(self, info: ExportResult) -> None:
        self.result_info = info
        self.accept()

    def _not_exported(self, message: str) -> None:
        self.export_button.setEnabled(True)
        if self.job is not None and self.job.cancel_requested.is_set():
            QMessageBox.information(self, "Export", "Export cancelled; no file was written.")
        else:
            QMessageBox.warning(self, "Export failed", message)


class ExportReportDialog(QDialog):
    """What an export wrote and every warning in full: a warning flashed in the status bar was cut short
    and gone with the next message, and some (claims left out, spans refused) change what the file is."""

    def __init__(self, summary: str, warnings: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportReport")
        self.setWindowTitle("Export report")
        said = QLabel(summary)
        said.setObjectName("exportSummary")
        said.setTextFormat(Qt.TextFormat.PlainText)   # a path, not markup
        said.setWordWrap(True)
        # Plain text, wrapped and selectable: read whole, copied into a ticket.
        self.warnings = QPlainTextEdit("\n\n".join(in_window(w) for w in warnings))
        self.warnings.setObjectName("exportWarnings")
        self.warnings.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addWidget(QLabel(f"Warnings ({len(warnings)}):"))
        layout.addWidget(self.warnings, 1)
        layout.addWidget(buttons)
        self.resize(640, 320)
