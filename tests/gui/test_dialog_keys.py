"""Every dialog from the keyboard: the keyboard starts in its first field, Enter does the safe and expected thing
(never a delete, a replace or a merge), Esc cancels, and focus is seen in the light and the dark scheme."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

import annotator.gui
from annotator.core.audit import annotation_history
from annotator.core.importer import Importer
from annotator.core.merge import merge_database
from annotator.core.store import Store
from annotator.core.suggest_model import TrainingReport
from annotator.gui import theme
from annotator.gui.claim_dialogs import ArticleDetailsDialog, ClaimDialog, MergeClaimsDialog
from annotator.gui.claim_matrix_view import ClaimMatrixView
from annotator.gui.dialogs import (
    IdentityDialog,
    ImportReportDialog,
    NoteDialog,
    ReasonDialog,
    ShortcutsDialog,
    WaitNotice,
)
from annotator.gui.export_dialog import ExportDialog, ExportReportDialog
from annotator.gui.labels_dialog import LabelsDialog
from annotator.gui.main_window import MainWindow
from annotator.gui.review_dialogs import AgreementDialog, HistoryDialog, MergeReportDialog
from annotator.gui.suggestion_dialogs import TrainingDialog

from .helpers import rows


@pytest.fixture
def claimed(db_path: Path) -> Path:
    """The seeds with one span, its claim, and a second claim."""
    with Store.open(db_path) as store:
        span = store.add_annotation(store.article_ids()[0], 0, 7, "claim", annotator="ana")
        store.create_claim_from_span(span.uid, actor="ana")
        store.create_claim("Ankara wants its money back", actor="ana")
    return db_path


def _colleague(tmp_path: Path) -> Path:
    other = tmp_path / "colleague.db"
    with Store.open(other) as store:
        a, _ = store.add_article("A colleague's article about the S-400.", title="Colleague", actor="bo")
        store.add_annotation(a.id, 2, 11, "claim", annotator="bo")
    return other


def _import_report(tmp_path: Path, store: Store):  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": broken\n', encoding="utf-8")
    return Importer(store, actor="ana").run([bad])


# Each dialog of the window: how it opens, the field the keyboard starts in (its object name, or the
# kind of widget), and the button Enter presses. A dialog added to annotator.gui needs a line here.
Factory = Callable[[MainWindow, Path], QDialog]
DIALOGS: dict[type[QDialog], tuple[Factory, str, str]] = {
    IdentityDialog: (lambda w, _t: IdentityDialog("ana", False, w), "annotatorName", "OK"),
    ReasonDialog: (lambda w, _t: ReasonDialog("claim", "Kremlin", w), "rejectReason", "Reject"),
    NoteDialog: (lambda w, _t: NoteDialog("Kremlin", "", w), "noteEditor", "Save"),   # Enter: a new line in it
    ImportReportDialog: (lambda w, t: ImportReportDialog(_import_report(t, w.session.store), w), "QTableWidget",
                         "Close"),
    ShortcutsDialog: (lambda w, _t: ShortcutsDialog([("File", "Import", "Ctrl+I")], w), "shortcutFilter", "Close"),
    WaitNotice: (lambda w, _t: WaitNotice(w), "", ""),   # Enter keeps waiting: stopping loses the change
    ExportDialog: (lambda w, t: ExportDialog(w.session.store, [1], t, w), "exportFormat", "Export"),
    ExportReportDialog: (lambda w, _t: ExportReportDialog("Wrote 5 articles, 2 spans to out.csv.", [
        "the csv format cannot carry claims: 2 links of the spans written to claims left out"], w),
                         "exportWarnings", "Close"),
    LabelsDialog: (lambda w, _t: LabelsDialog(w.session, w.undo, w.redo, w), "labelList", "Save"),
    HistoryDialog: (lambda w, _t: HistoryDialog(annotation_history(
        w.session.store, w.session.store.annotations_for(w.session.store.article_ids()[0])[0].uid), w),
                    "historyTable", "Close"),
    AgreementDialog: (lambda w, _t: AgreementDialog(w.session.store, 1, w), "QCheckBox", "Compute"),
    MergeReportDialog: (lambda w, t: MergeReportDialog("colleague.db", merge_database(
        w.session.store, _colleague(t), actor="ana", dry_run=True), w, preview=True), "", "Cancel"),
    TrainingDialog: (lambda w, _t: TrainingDialog(TrainingReport("local", 75, 119, 5, 0, 5, {
        "claim": {"examples": 26, "precision": 0.4, "recall": 0.4, "f1": 0.4}}), 0, lambda _n: None, w),
                     "retrainEvery", "Close"),
    ClaimDialog: (lambda w, _t: ClaimDialog(w.session.store.claims()[0], w.session.store.ratings(), w),
                  "claimSummary", "OK"),
    MergeClaimsDialog: (lambda w, _t: MergeClaimsDialog(w.session.store.claims()[0], lambda text: [
        r for r in w.session.store.claim_rows() if text.casefold() in r.claim.summary.casefold()], w),
                        "mergeSearch", "Merge"),   # undone with Ctrl+Z, as every claim edit
    ArticleDetailsDialog: (lambda w, _t: ArticleDetailsDialog(w.session.store.article(1), w), "articleTitle", "OK"),
    ClaimMatrixView: (lambda w, _t: w.claims.show_matrix(), "QTableView", ""),
}


def _dialog_classes() -> set[type[QDialog]]:
    found = set()
    for module in pkgutil.iter_modules(annotator.gui.__path__):
        loaded = importlib.import_module(f"annotator.gui.{module.name}")
        for _name, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__.startswith("annotator.gui") and \
                    not cls.__name__.startswith("_"):
                found.add(cls)
    return found


def test_every_dialog_is_in_the_keyboard_table() -> None:
    assert _dialog_classes() == set(DIALOGS)


def _is(widget: QWidget | None, wanted: str) -> bool:
    return widget is not None and (widget.objectName() == wanted or type(widget).__name__ == wanted or any(
        base.__name__ == wanted for base in type(widget).__mro__))


def _enter_button(dialog: QDialog) -> str:
    """The text of the button Enter presses (a focused button that takes Enter, else the default one)."""
    focus = QApplication.focusWidget()
    if isinstance(focus, QPushButton) and (focus.autoDefault() or focus.isDefault()):
        return focus.text().replace("&", "")
    default = [b for b in dialog.findChildren(QPushButton) if b.isDefault() and b.isVisible()]
    return default[0].text().replace("&", "") if default else ""


@pytest.mark.parametrize("kind", sorted(DIALOGS, key=lambda cls: cls.__name__), ids=lambda cls: cls.__name__)
def test_each_dialog_starts_in_its_first_field_enter_is_safe_and_escape_cancels(  # type: ignore[no-untyped-def]
        qtbot, make_window, claimed: Path, tmp_path: Path, kind: type[QDialog]) -> None:
    window: MainWindow = make_window(claimed)
    make, first, enter = DIALOGS[kind]
    dialog = make(window, tmp_path)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    focus = QApplication.focusWidget()
    assert focus is not None and dialog.isAncestorOf(focus), kind
    if first:
        assert _is(focus, first), f"{kind.__name__}: the keyboard starts in {focus!r}, not {first}"
    assert _enter_button(dialog) == enter
    qtbot.keyClick(focus, Qt.Key.Key_Escape)
    if isinstance(dialog, WaitNotice):   # it closes when its wait loop sees the change given up
        assert dialog.canceled
    else:
        assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def _answer_with(qtbot, key: Qt.Key, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Press ``key`` in the message box ``name`` when it opens (it may run its own event loop)."""
    seen: list[str] = []

    def press() -> None:
        modal = QApplication.activeModalWidget()   # the box asking, whatever its name
        box = next((b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox)
                    and b.objectName() == name and b.isVisible()),
                   modal if isinstance(modal, QMessageBox) else None)
        if box is None:
            QTimer.singleShot(10, press)
            return
        seen.append(box.text())
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, press)
    return seen


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Escape], ids=["enter", "escape"])
def test_enter_or_escape_in_a_confirmation_deletes_nothing_and_merges_nothing(  # type: ignore[no-untyped-def]
        qtbot, make_window, claimed: Path, tmp_path: Path, key: Qt.Key) -> None:
    """QA: some dialogs had no default button or made the destructive one the default."""
    window: MainWindow = make_window(claimed)
    # delete a claim (the claims dock's Delete…)
    window.actions["claims_dock"].trigger()
    dock = window.claims.dock
    dock.tree.setCurrentIndex(dock.model.index(0, 0))
    asked = _answer_with(qtbot, key, "deleteClaimBox")
    dock.actions_by_id["delete"].trigger()
    assert asked and rows(claimed, "SELECT count(*) FROM claims") == [(2,)]
    # delete an article (Edit > Delete Article…)
    window.article_ops.confirm_delete(1)
    box = window.findChild(QMessageBox, "deleteArticleBox")
    assert box is not None and box.isVisible()
    qtbot.keyClick(box, key)
    assert rows(claimed, "SELECT count(*) FROM articles") == [(5,)]
    # a merge previewed: Enter reads it, it does not write it (a merge cannot be undone)
    preview = MergeReportDialog("colleague.db", merge_database(window.session.store, _colleague(tmp_path),
                                                               actor="ana", dry_run=True), window, preview=True)
    merged: list[bool] = []
    preview.accepted.connect(lambda: merged.append(True))
    preview.show()
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), key)
    assert merged == [] and not preview.isVisible()


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_seen_in_both_schemes(qtbot, make_window, claimed: Path, scheme: str) -> None:  # type: ignore[no-untyped-def]
    """QA: with the app's style sheet and colours, a focused button, check box or list looked as unfocused."""
    window: MainWindow = make_window(claimed)
    window.set_colour_scheme(scheme)
    dialog = AgreementDialog(window.session.store, 1, window)   # check boxes, a list, a button
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    widgets: list[QWidget] = [dialog.findChildren(QCheckBox)[0], dialog.findChild(QComboBox, "agreementArticle"),
                              dialog.findChild(QPushButton, "computeAgreement")]
    window.activateWindow()
    window.actions["edit_labels"].trigger()   # a list, in another dialog
    labels = window.label_ops.dialog
    assert labels is not None
    widgets.append(labels.list)
    for widget in widgets:
        top = widget.window()
        top.activateWindow()
        qtbot.waitUntil(top.isActiveWindow)
        before_widget = next(w for w in top.findChildren(QLineEdit) + top.findChildren(QComboBox)
                             + top.findChildren(QCheckBox) if w is not widget and w.isVisible())
        before_widget.setFocus(Qt.FocusReason.OtherFocusReason)
        QApplication.processEvents()
        unfocused = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        # to the widget with Tab, as a user goes: the style shows focus that came by the keyboard
        for _ in range(30):
            if widget.hasFocus():
                break
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert widget.hasFocus(), widget
        focused = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        best = max((_contrast(QColor(unfocused.pixel(x, y)), QColor(focused.pixel(x, y)))
                    for x in range(0, focused.width()) for y in range(0, focused.height())
                    if unfocused.pixel(x, y) != focused.pixel(x, y)), default=1.0)
        assert best >= 3.0, f"{widget!r} in {scheme}: focus shows at {best:.2f}:1"
    assert theme.current().name == scheme
