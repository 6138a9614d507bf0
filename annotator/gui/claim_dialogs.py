"""Dialogs of the claims workspace: edit a claim and its verdict, pick a claim to merge, edit an article's details.

Each dialog checks its fields with the core's own rules (a summary is not
empty, a date is ISO 8601, an address is http(s)) and says what is wrong in
the dialog, so that OK only ever offers the store a valid change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.claims import Claim, ClaimRow, Rating, check_summary, summary_warnings
from ..core.errors import AnnotatorError, FieldError
from ..core.model import Article, check_date, check_url
from ..core.spans import excerpt, quoted
from ..core.words import count
from . import theme
from .shown_text import lines, one_line

NO_VERDICT = "(no verdict yet)"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("dialogError")
    label.setStyleSheet(f"color: {theme.current().unsaved};")
    label.setWordWrap(True)
    label.hide()
    return label


class _CheckedDialog(QDialog):
    """OK checks the fields first; a problem is shown in the dialog, which stays open."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error = _error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)

    def check(self) -> None:
        """Raise ``AnnotatorError`` naming what is wrong."""

    def _try_accept(self) -> None:
        try:
            self.check()
        except AnnotatorError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()


class ClaimDialog(_CheckedDialog):
    """A claim's summary, claimant, date, fact-check address, verdict and explanation."""

    def __init__(self, claim: Claim, ratings: Sequence[Rating], parent: QWidget | None = None) -> None:
        super().__init__(f"Claim #{claim.id}", parent)
        self.claim = claim
        self.summary = QLineEdit(claim.summary)
        self.summary.setObjectName("claimSummary")
        self.summary_note = QLabel()
        self.summary_note.setObjectName("summaryNote")
        self.summary_note.setWordWrap(True)
        self.summary_note.setStyleSheet(f"color: {theme.current().find_current};")
        self.summary.textChanged.connect(self._warn)
        self.claimant = QLineEdit(claim.claimant)
        self.claimant.setObjectName("claimClaimant")
        self.claimant.setPlaceholderText("who made the claim, e.g. Bloomberg, citing sources")
        self.claim_date = QLineEdit(claim.claim_date or "")
        self.claim_date.setObjectName("claimDate")
        self.claim_date.setPlaceholderText("2019-12-15 (optional)")
        self.review_url = QLineEdit(claim.review_url or "")
        self.review_url.setObjectName("claimReviewUrl")
        self.review_url.setPlaceholderText("https://… where the fact-check is published (optional)")
        self.verdict = QComboBox()
        self.verdict.setObjectName("claimVerdict")
        self.verdict.addItem(NO_VERDICT, None)
        for rating in ratings:
            self.verdict.addItem(one_line(rating.name), rating.name)
            self.verdict.setItemData(self.verdict.count() - 1, lines(rating.description), Qt.ItemDataRole.ToolTipRole)
        self.verdict.setCurrentIndex(max(0, self.verdict.findData(claim.verdict)))
        self.explanation = QPlainTextEdit(claim.explanation)
        self.explanation.setObjectName("claimExplanation")
        self.explanation.setTabChangesFocus(True)
        self.explanation.setPlaceholderText("Why this verdict: the evidence, in a few sentences")
        form = QFormLayout()
        form.addRow("Summary:", self.summary)
        form.addRow("", self.summary_note)
        form.addRow("Claimant:", self.claimant)
        form.addRow("Claim date:", self.claim_date)
        form.addRow("Fact-check url:", self.review_url)
        form.addRow("Verdict:", self.verdict)
        form.addRow("Explanation:", self.explanation)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._warn()
        self.resize(560, self.sizeHint().height())

    def _warn(self) -> None:
        warnings = summary_warnings(" ".join(self.summary.text().split()))
        self.summary_note.setText(warnings[0] if warnings else "")
        self.summary_note.setVisible(bool(warnings))

    def check(self) -> None:
        check_summary(self.summary.text())
        check_date(self.claim_date.text(), "the claim date")
        check_url(self.review_url.text(), "the fact-check url")

    def changes(self) -> dict[str, str | None]:
        """The fields that differ from the claim's (what ``Store.edit_claim`` takes)."""
        values = {"summary": " ".join(self.summary.text().split()),
                  "claimant": " ".join(self.claimant.text().split()),
                  "claim_date": self.claim_date.text().strip() or None,
                  "review_url": self.review_url.text().strip() or None}
        return {k: v for k, v in values.items() if v != getattr(self.claim, k)}

    def verdict_change(self) -> tuple[str | None, str | None] | None:
        """(rating, explanation) when either differs from the claim's, else None."""
        rating = self.verdict.currentData()
        explanation = self.explanation.toPlainText().strip()
        if rating == self.claim.verdict and explanation == self.claim.explanation:
            return None
        return rating, explanation


class MergeClaimsDialog(QDialog):
    """Choose the claim that turns out to be the same as ``keep``: it is merged into ``keep``."""

    def __init__(self, keep: Claim, find: Callable[[str], list[ClaimRow]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge claims")
        self.keep = keep
        self.find = find
        intro = QLabel(f"Merge another claim into <b>#{keep.id}</b> {quoted(keep.summary, 80)}: its spans join"
                       " this claim, and this claim's empty fields (claimant, date, verdict) are filled from it."
                       " Ctrl+Z undoes the merge.")
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setObjectName("mergeSearch")
        self.search.setPlaceholderText("Find the other claim…")
        self.search.textChanged.connect(self._fill)
        self.list = QListWidget()
        self.list.setObjectName("mergeCandidates")
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.currentItemChanged.connect(lambda item, _old: self.merge_button.setEnabled(item is not None))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self._fill()
        self.resize(560, 420)

    def _fill(self) -> None:
        self.list.clear()
        for row in self.find(self.search.text()):
            claim = row.claim
            if claim.uid == self.keep.uid:
                continue
            item = QListWidgetItem(one_line(f"#{claim.id}  {excerpt(claim.summary, 90)}  ({count(row.spans, 'span')})"))
            item.setData(Qt.ItemDataRole.UserRole, claim.uid)
            item.setToolTip(lines(f"{claim.summary}\nClaimant: {claim.claimant or '(not set)'}"))
            self.list.addItem(item)

    def choose(self, uid: str) -> bool:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == uid:
                self.list.setCurrentRow(i)
                return True
        return False

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class ArticleDetailsDialog(_CheckedDialog):
    """An article's title, source, url and published date (the text never changes)."""

    def __init__(self, article: Article, parent: QWidget | None = None) -> None:
        super().__init__("Article details", parent)
        self.article = article
        self.title = QLineEdit(article.title)
        self.title.setObjectName("articleTitle")
        self.source = QLineEdit(article.source or "")
        self.source.setObjectName("articleSource")
        self.source.setPlaceholderText("the outlet, e.g. Reuters")
        self.url = QLineEdit(article.url or "")
        self.url.setObjectName("articleUrl")
        self.url.setPlaceholderText("https://…")
        self.published = QLineEdit(article.published or "")
        self.published.setObjectName("articlePublished")
        self.published.setPlaceholderText("2019-12-15")
        note = QLabel("A fact-check cites where a claim appeared: these details go into the ClaimReview export."
                      " The article's text stays as imported.")
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {theme.current().muted};")
        form = QFormLayout()
        form.addRow("Title:", self.title)
        form.addRow("Source:", self.source)
        form.addRow("Url:", self.url)
        form.addRow("Published:", self.published)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def check(self) -> None:
        if not self.title.text().strip():
            raise FieldError("an article needs a title")
        check_url(self.url.text(), "the url")
        check_date(self.published.text(), "the published date")

    def changes(self) -> dict[str, str | None]:
        values = {"title": " ".join(self.title.text().split()),
                  "source": " ".join(self.source.text().split()) or None,
                  "url": self.url.text().strip() or None,
                  "published": self.published.text().strip() or None}
        return {k: v for k, v in values.items() if v != getattr(self.article, k)}
