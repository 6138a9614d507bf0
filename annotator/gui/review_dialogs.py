"""Reviewer dialogs: a span's history, agreement between annotators, a merge report."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.agreement import AgreementReport, Scores, agreement
from ..core.audit import AnnotationHistory
from ..core.merge import MergeReport
from ..core.store import Store
from .article_choice import article_items
from .jobs import Job
from .shown_text import box_name, html_line, lines, name_box, one_line


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], name: str) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([one_line(h) for h in headers])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(one_line(value))
            item.setToolTip(lines(value))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(r, c, item)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeColumnsToContents()
    return table


def _report_text(lines: Sequence[str], name: str) -> QPlainTextEdit:
    text = QPlainTextEdit("\n\n".join(lines))
    text.setObjectName(name)
    text.setReadOnly(True)
    return text


class HistoryDialog(QDialog):
    """Every event of one annotation: who, when, what changed, before and after."""

    def __init__(self, history: AnnotationHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("History of a span")
        current = history.current
        if current is not None:
            quote = " ".join(current.text.split())
            head = (f"<b>{html_line(current.label)}</b> “{html_line(quote[:200])}”<br>"
                    f"by {html_line(current.annotator)} · now {current.status}"
                    + (f" (reviewed by {html_line(current.reviewer)})" if current.reviewer else ""))
        else:
            head = "<b>This span has been deleted.</b>"
        if history.article is not None:
            head += f"<br>Article: {html_line(history.article.title)}"
        header = QLabel(head)
        header.setWordWrap(True)
        self.table = _table(["When (UTC)", "Who", "Action", "What changed"],
                            [(e.at.replace("T", " ").rstrip("Z"), e.actor, e.action, e.describe())
                             for e in history.entries], "historyTable")
        uid = QLabel(f"uid {history.uid}")
        uid.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        uid.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.table, 1)
        layout.addWidget(uid)
        layout.addWidget(buttons)
        self.resize(820, 360)


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _prf(s: Scores) -> list[str]:
    return [_num(s.precision), _num(s.recall), _num(s.f1)]


class AgreementDialog(QDialog):
    """Agreement between annotators on the articles and labels chosen, computed on request."""

    def __init__(self, store: Store, current_article: int | None, parent: QWidget | None = None, *,
                 open_articles: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agreement between annotators")
        self.store = store
        self.report: AgreementReport | None = None
        self.job: Job | None = None
        names = store.annotators()
        self.checks = []
        row = QHBoxLayout()
        for name in names:
            check = name_box(name)
            self.checks.append(check)
            row.addWidget(check)
        row.addStretch(1)
        self.article = QComboBox()
        self.article.setObjectName("agreementArticle")
        self.article.addItem("All articles", None)
        for text, aid in article_items(store, [*([current_article] if current_article else []), *open_articles]):
            self.article.addItem(text, aid)
        if current_article is not None:
            self.article.setCurrentIndex(max(0, self.article.findData(current_article)))
        self._tick_annotators()
        self.article.currentIndexChanged.connect(self._tick_annotators)
        self.label = QComboBox()
        self.label.addItem("All labels", None)
        for label in store.labels():
            self.label.addItem(one_line(label.name), label.name)
        compute = QPushButton("Compute")
        compute.setObjectName("computeAgreement")
        compute.clicked.connect(self.compute)
        form = QFormLayout()
        annotators = QWidget()
        annotators.setLayout(row)
        form.addRow("Annotators:", annotators)
        form.addRow("Article:", self.article)
        form.addRow("Label:", self.label)
        self.summary = QLabel("Choose the scope, then Compute.")
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        self.spans = QTableWidget(0, 0)
        self.characters = QTableWidget(0, 0)
        self.body = QVBoxLayout()
        self.body.addWidget(QLabel("Span level (right against left as the reference): exact and overlap match"))
        self.body.addWidget(self.spans, 2)
        self.body.addWidget(QLabel("Per character: Cohen's kappa for each pair, Krippendorff's alpha for all"))
        self.body.addWidget(self.characters, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(compute, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.summary)
        layout.addLayout(self.body, 1)
        layout.addWidget(buttons)
        self.resize(900, 560)

    def _tick_annotators(self) -> None:
        """Tick those with spans in the article chosen: one with none there would count for nothing (n/a)."""
        article = self.article.currentData()
        present = set(self.store.annotators(article_ids=[article] if article else []))
        for check in self.checks:
            check.setChecked(box_name(check) in present)

    def compute(self) -> Job:
        """Compute in a worker: over a whole database this takes seconds, and the window keeps answering."""
        chosen = [box_name(c) for c in self.checks if c.isChecked()]
        article = self.article.currentData()
        label = self.label.currentData()
        if self.job is not None and self.job.running:
            self.job.cancel()
        job = Job("Agreement", lambda store, progress: agreement(
            store, annotators=chosen, article_ids=[article] if article else [], labels=[label] if label else [],
            progress=lambda done, total: progress(done, total, "")), self.store)
        job.succeeded.connect(self._show)
        job.failed.connect(self.summary.setText)
        job.progressed.connect(lambda done, total, _what: self.summary.setText(
            f"Computing… {done:,} of {total:,} articles"))
        self.job = job
        self.summary.setText("Computing…")
        job.start()
        return job

    def _show(self, report: AgreementReport) -> None:
        self.report = report
        self.summary.setText(
            f"{len(report.annotators)} annotators ({html_line(', '.join(report.annotators))}),"
            f" {len(report.article_ids)} article{'s' if len(report.article_ids) != 1 else ''},"
            f" {report.characters:,} characters. "
            f"Krippendorff's alpha, all labels: <b>{_num(report.overall_alpha)}</b>."
            + (f" No span in this scope, so left out of alpha and n/a in each pair:"
               f" {html_line(', '.join(report.without_spans))}." if report.without_spans else ""))
        rows = [[p.a, p.b, r.label or "all", str(r.a_spans), str(r.b_spans), *_prf(r.exact), *_prf(r.overlap)]
                for p in report.pairs for r in p.spans]
        self._replace("spans", _table(["Left (A)", "Right (B)", "Label", "A spans", "B spans", "exact P", "exact R",
                                       "exact F1", "overlap P", "overlap R", "overlap F1"], rows, "spanAgreement"))
        header = ["", "all", *report.labels]
        char_rows = [[f"kappa {p.a} ~ {p.b}", *(_num(f.value) for f in p.kappa)] for p in report.pairs]
        char_rows.append(["alpha (all annotators)", *(_num(f.value) for f in report.alpha)])
        self._replace("characters", _table(header, char_rows, "characterAgreement"))

    def _replace(self, attribute: str, table: QTableWidget) -> None:
        old = getattr(self, attribute)
        self.body.replaceWidget(old, table)
        old.deleteLater()
        setattr(self, attribute, table)


class MergeReportDialog(QDialog):
    """What a merge did, or (``preview``) what it would do, with Merge and Cancel to decide."""

    def __init__(self, path: str, report: MergeReport, parent: QWidget | None = None, *,
                 preview: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("mergePreview" if preview else "mergeReport")
        self.setWindowTitle("Merge preview: nothing is written yet" if preview else "Merge report")
        summary = QLabel(f"<b>{html_line(path)}</b><br>"
                         f"{html_line(report.summary().removeprefix(report.source + ': '))}")
        summary.setObjectName("mergeSummary")
        summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        # Plain text, wrapped and selectable: a reviewer reads these whole and copies them into a ticket.
        if report.conflicts:
            layout.addWidget(QLabel(f"Edited on both sides ({len(report.conflicts)}): how each was settled; "
                                    "both versions stay in the span's history."))
            layout.addWidget(_report_text([c.describe() for c in report.conflicts], "mergeConflicts"), 2)
        claims = report.claim_conflicts
        if claims:
            layout.addWidget(QLabel(f"Claims, links, ratings, settings or article details changed on both sides"
                                    f" ({len(claims)}): how each was settled; both versions stay in the audit log."))
            layout.addWidget(_report_text([c.describe() for c in claims], "mergeClaimConflicts"), 2)
        if report.notes:
            layout.addWidget(QLabel("Notes:"))
            layout.addWidget(_report_text(report.notes, "mergeNotes"), 1)
        if preview:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
            merge = buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
            merge.setObjectName("mergeButton")
            # A merge cannot be undone: Enter (and a key pressed while reading) leaves the database as it is;
            # merging is a click or Alt+M.
            merge.setAutoDefault(False)
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
            buttons.accepted.connect(self.accept)
        else:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 380 if report.conflicts or claims or report.notes else 160)
