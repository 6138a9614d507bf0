"""Reviewer mode, compare view, history, annotator visibility, agreement and merge, driven as a reviewer would."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton

from annotator.core.agreement import agreement
from annotator.core.store import Store
from annotator.gui.dialogs import ReasonDialog
from annotator.gui.jobs import Job
from annotator.gui.main_window import MainWindow
from annotator.gui.review_dialogs import AgreementDialog, HistoryDialog, MergeReportDialog

from .helpers import click_text, find, press, rows, stray_tints

KREMLIN = "000_2fd0f5c64ad6bf09.txt"


def _article_id(db: Path) -> int:
    with Store.open(db) as store:
        return next(a.id for a in store.articles() if a.origin == KREMLIN)


def _tag(db: Path, who: str, spans: list[tuple[str, str]]) -> None:
    with Store.open(db) as store:
        aid = next(a.id for a in store.articles() if a.origin == KREMLIN)
        text = store.article_text(aid)
        for needle, label in spans:
            start = text.index(needle)
            store.add_annotation(aid, start, start + len(needle), label, annotator=who)


def _statuses(db: Path) -> list[tuple[str, str, str, str | None, str]]:
    return [tuple(r) for r in rows(db, "SELECT text, annotator, status, reviewer, review_note FROM annotations"
                                       " ORDER BY start, \"end\", annotator")]


@pytest.fixture
def two_annotators(db_path: Path) -> Path:
    # ana and bo agree on one span, differ on a label, on a boundary, and ana has one more
    _tag(db_path, "ana", [("Kremlin denied", "denial"), ("Bloomberg report", "claim"),
                          ("Dmitry Peskov", "background"), ("last week", "background")])
    _tag(db_path, "bo", [("Kremlin denied", "denial"), ("Bloomberg report", "denial"),
                         ("spokesman Dmitry Peskov", "background")])
    return db_path


def test_review_queue_by_keys(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(two_annotators, annotator="rita")
    others = [a.id for a in window.session.store.articles() if a.id != _article_id(two_annotators)]
    for pane, article_id in zip(window.panes.panes, others, strict=False):
        window.open_article(article_id, pane)  # the spans to review are in none of the open articles
    layout = [p.article.id if p.article else None for p in window.panes.panes]
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dock = window.review.queue
    assert dock.isVisible()
    assert dock.position.text() == "1 of 7"
    dock.annotator.setCurrentIndex(dock.annotator.findData("ana"))
    assert dock.position.text() == "1 of 4"

    def selected() -> tuple[str, str]:
        view = window.panes.current.view
        span = view.selected_span
        assert span is not None
        return span.uid, view.text[span.start:span.end]

    def status(uid: str) -> tuple:
        return rows(two_annotators, f"SELECT status, reviewer, review_note FROM annotations WHERE uid = '{uid}'")[0]

    assert selected()[1] == "Kremlin denied"   # the queue shows its span in a pane, selected
    press(qtbot, window.panes.current, Qt.Key.Key_N)
    press(qtbot, window.panes.current, Qt.Key.Key_N)
    uid, text = selected()
    assert text == "last week" and dock.position.text() == "3 of 4"

    def give_reason() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        assert not dialog.ok.isEnabled()  # a reason is required
        qtbot.keyClicks(dialog.reason, "a time, not background")
        dialog.ok.click()

    QTimer.singleShot(0, give_reason)
    press(qtbot, window.panes.current, Qt.Key.Key_R)
    assert status(uid) == ("rejected", "rita", "a time, not background")
    peskov, text = selected()  # moved on by itself
    assert text == "Dmitry Peskov" and dock.position.text() == "3 of 3"
    window.actions["undo"].trigger()  # the rejected span is pending again: the count follows at once
    assert status(uid)[0] == "pending" and dock.position.text() == "4 of 4"
    window.actions["redo"].trigger()
    assert status(uid)[0] == "rejected" and dock.position.text() == "3 of 3"
    press(qtbot, window.panes.current, Qt.Key.Key_A)
    assert status(peskov) == ("accepted", "rita", "")
    assert "last span" in window.statusBar().currentMessage()
    assert dock.position.text() == "(no longer matches) · 2 in the queue"
    window.actions["undo"].trigger()  # the count follows an undone verdict at once
    assert status(peskov) == ("pending", None, "") and dock.position.text() == "3 of 3"
    window.actions["redo"].trigger()
    assert status(peskov) == ("accepted", "rita", "") and dock.position.text().endswith("2 in the queue")

    # P goes back to the span judged before, though its verdict took it out of the pending queue
    press(qtbot, window.panes.current, Qt.Key.Key_P)
    assert selected() == (uid, "last week") and dock.position.text() == "(no longer matches) · 2 in the queue"
    press(qtbot, window.panes.current, Qt.Key.Key_P)
    back, text = selected()
    assert text == "Bloomberg report" and dock.position.text() == "2 of 2"
    press(qtbot, window.panes.current, Qt.Key.Key_3)   # label keys relabel the span under review
    assert rows(two_annotators, "SELECT l.name FROM annotations n JOIN labels l ON l.id = n.label_id"
                                f" WHERE n.uid = '{back}'") == [("background",)]
    press(qtbot, window.panes.current, Qt.Key.Key_U)   # pending already: nothing written, and said so
    assert "pending already" in window.statusBar().currentMessage()
    events = rows(two_annotators, "SELECT actor, entity_uid, after FROM events WHERE action = 'review' ORDER BY id")
    assert [(e[0], e[1]) for e in events] == [("rita", u) for u in (uid, uid, uid, peskov, peskov, peskov)]
    assert '"status":"rejected"' in events[0][2]

    # the workspace shows each span's review status: rejected struck through, accepted bold
    doc = window.panes.current.view.document()
    looks = {(r.format.fontStrikeOut(), r.format.fontWeight() > 500)
             for b in range(3) for r in doc.findBlockByNumber(b).layout().formats()}
    assert (True, False) in looks and (False, True) in looks
    # leaving reviewer mode puts back the articles the panes showed before it
    assert [p.article.id if p.article else None for p in window.panes.panes] != layout
    window.actions["review_mode"].setChecked(False)
    assert [p.article.id if p.article else None for p in window.panes.panes] == layout
    assert "as they were" in window.statusBar().currentMessage()


def test_p_takes_back_the_verdict_just_given_and_u_says_what_it_did(  # type: ignore[no-untyped-def]
        qtbot, make_window, two_annotators: Path) -> None:
    """A on the first span, R on the second, then P: back on the rejected span; U makes it pending again."""
    window: MainWindow = make_window(two_annotators, annotator="rita")
    window.actions["review_mode"].setChecked(True)
    dock = window.review.queue
    dock.annotator.setCurrentIndex(dock.annotator.findData("ana"))
    dock.ask_reason = lambda _a: "a quote, not a denial"

    def selected() -> str:
        span = window.panes.current.view.selected_span
        assert span is not None
        return span.uid

    first = selected()
    press(qtbot, window.panes.current, Qt.Key.Key_A)
    second = selected()
    press(qtbot, window.panes.current, Qt.Key.Key_R)
    assert dock.position.text() == "1 of 2"
    press(qtbot, window.panes.current, Qt.Key.Key_P)
    assert selected() == second and dock.position.text() == "(no longer matches) · 2 in the queue"
    assert "rejected" in dock.card.text()
    press(qtbot, window.panes.current, Qt.Key.Key_U)
    assert rows(two_annotators, f"SELECT status FROM annotations WHERE uid = '{second}'") == [("pending",)]
    assert "pending again (it was rejected)" in window.statusBar().currentMessage()
    assert dock.position.text() == "1 of 3"
    events = len(rows(two_annotators, "SELECT id FROM events"))
    press(qtbot, window.panes.current, Qt.Key.Key_U)   # pending already: nothing to write, and it says so
    assert len(rows(two_annotators, "SELECT id FROM events")) == events
    assert "pending already" in window.statusBar().currentMessage()
    press(qtbot, window.panes.current, Qt.Key.Key_P)
    assert selected() == first
    press(qtbot, window.panes.current, Qt.Key.Key_U)
    assert rows(two_annotators, f"SELECT status FROM annotations WHERE uid = '{first}'") == [("pending",)]
    assert "pending again (it was accepted)" in window.statusBar().currentMessage()


def test_empty_reason_rejects_nothing(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(two_annotators, annotator="rita")
    window.actions["review_mode"].setChecked(True)
    window.review.queue.ask_reason = lambda _a: "   "
    press(qtbot, window.panes.current, Qt.Key.Key_R)
    assert all(s[2] == "pending" for s in _statuses(two_annotators))
    assert "needs a reason" in window.statusBar().currentMessage()


def test_queue_filters(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(two_annotators, annotator="rita")
    window.actions["review_mode"].setChecked(True)
    dock = window.review.queue
    dock.annotator.setCurrentIndex(dock.annotator.findData("bo"))
    assert dock.position.text() == "1 of 3"
    dock.label.setCurrentIndex(dock.label.findData("denial"))
    assert dock.position.text() == "1 of 2"


def test_compare_view_lists_and_adopts(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(two_annotators, annotator="rita")
    window.actions["compare"].trigger()
    dock = window.review.compare
    dock.article.setCurrentIndex(dock.article.findData(_article_id(two_annotators)))
    dock.left.setCurrentText("ana")
    dock.right.setCurrentText("bo")
    before_layout = [p.article.id if p.article else None for p in window.panes.panes]
    dock.findChild(type(dock.adopt_left), "compareButton").click()
    table = dock.table
    kinds = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert kinds == ["label differs", "only ana", "boundary differs"]  # text order
    assert "1 span agrees, 3 disagreements (3 undecided)" in dock.summary.text()
    left, right = window.panes.panes[:2]
    assert left.view.spans.count() == 4 and right.view.spans.count() == 3
    assert "ana's spans" in left.subtitle.text() and "bo's spans" in right.subtitle.text()
    assert len(left.view.marks) == 3 and left.view.current_mark == (17, 33)

    # ] adopts the right side for the label disagreement: bo's denial accepted, ana's claim rejected
    press(qtbot, left, Qt.Key.Key_BracketRight)
    statuses = {(t, who): st for t, who, st, _r, _n in _statuses(two_annotators)}
    assert statuses[("Bloomberg report", "bo")] == "accepted"
    assert statuses[("Bloomberg report", "ana")] == "rejected"
    # and moves on by itself to ana's extra span, as the review queue does after a verdict
    assert table.currentRow() == 1 and left.view.current_mark == (206, 215)   # "last week"
    press(qtbot, left, Qt.Key.Key_BracketRight)  # bo's side is no span: ana's is turned down
    assert window.statusBar().currentMessage() == "Adopted bo's side: bo has no span here, so ana's was rejected."
    assert table.currentRow() == 2
    window.actions["undo"].trigger()
    press(qtbot, left, Qt.Key.Key_P)
    assert table.currentRow() == 1
    press(qtbot, left, Qt.Key.Key_BracketLeft)
    statuses = {(t, who): st for t, who, st, _r, _n in _statuses(two_annotators)}
    assert statuses[("last week", "ana")] == "accepted"
    assert window.statusBar().currentMessage() == "Adopted ana's side: ana's span accepted into the gold set."
    # then the boundary disagreement: ] takes bo's wider span, and nothing is left to decide
    assert table.currentRow() == 2
    press(qtbot, left, Qt.Key.Key_BracketRight)
    statuses = {(t, who): st for t, who, st, _r, _n in _statuses(two_annotators)}
    assert statuses[("spokesman Dmitry Peskov", "bo")] == "accepted"
    assert statuses[("Dmitry Peskov", "ana")] == "rejected"
    assert window.statusBar().currentMessage() == (
        "Adopted bo's side: bo's span accepted into the gold set, ana's rejected. Every disagreement is decided.")
    # undo takes a whole adoption back in one step
    window.actions["undo"].trigger()
    statuses = {(t, who): st for t, who, st, _r, _n in _statuses(two_annotators)}
    assert statuses[("Dmitry Peskov", "ana")] == "pending"
    assert statuses[("spokesman Dmitry Peskov", "bo")] == "pending"
    assert statuses[("last week", "ana")] == "accepted"
    # the list marks what is decided: ✓ adopted, ✗ turned down
    assert table.item(1, 2).text().startswith("✓ background") and table.item(1, 3).text() == "—"
    # the span both agree on can be accepted in one go (one copy; the other marked a duplicate)
    dock.accept_same.click()
    statuses = {(t, who): st for t, who, st, _r, _n in _statuses(two_annotators)}
    assert sorted([statuses[("Kremlin denied", "ana")], statuses[("Kremlin denied", "bo")]]) == [
        "accepted", "rejected"]
    # closing the comparison shows everyone's spans again, in the panes as they were, and puts the panel away
    assert dock.isVisible()
    dock.findChild(QPushButton, "closeComparison").click()
    assert not dock.isVisible()
    assert [p.article.id if p.article else None for p in window.panes.panes] == before_layout
    kremlin = next(p for p in window.panes.panes if p.article and p.article.origin == KREMLIN)
    assert kremlin.view.spans.count() == 7 and kremlin.view.marks == []


def test_adopting_as_one_of_the_two_compared_is_said_once(  # type: ignore[no-untyped-def]
        qtbot, make_window, two_annotators: Path) -> None:
    window = make_window(two_annotators, annotator="ana")   # ana reviews a comparison of her own work
    _compare_ana_and_bo(window, two_annotators)
    left = window.panes.panes[0]
    press(qtbot, left, Qt.Key.Key_BracketLeft)
    assert window.statusBar().currentMessage().endswith(" (You are ana, one of the two compared.)")
    assert window.review.compare.table.currentRow() == 1
    press(qtbot, left, Qt.Key.Key_BracketLeft)   # said once: the second adoption goes without it
    assert window.statusBar().currentMessage() == "Adopted ana's side: ana's span accepted into the gold set."
    assert rows(two_annotators, "SELECT reviewer FROM annotations WHERE status != 'pending'") == [("ana",)] * 3
    # Back to a row decided that way: nothing is written, and it says so (QA-5).
    window.review.compare.table.selectRow(0)
    events = rows(two_annotators, "SELECT count(*) FROM events")
    press(qtbot, left, Qt.Key.Key_BracketLeft)
    assert window.statusBar().currentMessage().startswith("Already decided: ana's side.")
    assert rows(two_annotators, "SELECT count(*) FROM events") == events


def test_history_dialog(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(two_annotators, annotator="rita")
    pane = next(p for p in window.panes.panes if p.article.origin == KREMLIN)
    window.panes.set_current(pane)
    click_text(qtbot, pane, "last week", inside=2)
    press(qtbot, pane, Qt.Key.Key_2)  # relabel by rita
    press(qtbot, pane, Qt.Key.Key_H)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, HistoryDialog) and w.isVisible())
    table = dialog.table
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["ana", "rita"]
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == ["create", "relabel"]
    assert table.item(1, 3).text() == "label: 'background' → 'denial'"
    dialog.close()


def test_hide_and_show_an_annotator(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(two_annotators, annotator="rita")
    pane = next(p for p in window.panes.panes if p.article.origin == KREMLIN)
    assert pane.view.spans.count() == 7 and window.annotation_model.rowCount() == 7
    window.show_annotator("bo", False)
    assert pane.view.spans.count() == 4 and window.annotation_model.rowCount() == 4
    assert {r.annotator for b in range(3) for r in pane.view.highlighter.rows_in_block(b)} == {"ana"}
    window.show_annotator("bo", True)
    assert pane.view.spans.count() == 7


def test_agreement_dialog_matches_the_core(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(two_annotators, annotator="rita")
    dialog = AgreementDialog(window.session.store, None, window)
    qtbot.addWidget(dialog)
    assert [c.text() for c in dialog.checks] == ["ana", "bo"]
    dialog.findChild(QPushButton, "computeAgreement").click()
    # computed in a worker on a connection of its own; the window keeps answering meanwhile
    qtbot.waitUntil(lambda: dialog.report is not None)
    expected = agreement(window.session.store)
    assert dialog.spans.rowCount() == sum(len(p.spans) for p in expected.pairs)
    overall = expected.pairs[0].overall
    assert dialog.spans.item(0, 7).text() == f"{overall.exact.f1:.3f}"
    assert dialog.characters.item(1, 1).text() == f"{expected.overall_alpha:.3f}"


def test_agreement_ticks_only_annotators_with_spans_in_the_scope_and_says_n_a(  # type: ignore[no-untyped-def]
        qtbot, make_window, two_annotators: Path) -> None:
    kremlin = _article_id(two_annotators)
    with Store.open(two_annotators) as store:
        other = next(a.id for a in store.articles() if a.id != kremlin)
        store.add_annotation(other, 0, 5, "claim", annotator="unknown")   # never touched the Kremlin's article
    window = make_window(two_annotators, annotator="rita")
    dialog = AgreementDialog(window.session.store, kremlin, window)
    qtbot.addWidget(dialog)
    assert {c.text(): c.isChecked() for c in dialog.checks} == {"ana": True, "bo": True, "unknown": False}
    dialog.article.setCurrentIndex(dialog.article.findData(None))   # all articles: everyone has spans there
    assert all(c.isChecked() for c in dialog.checks)
    dialog.article.setCurrentIndex(dialog.article.findData(kremlin))
    assert not next(c for c in dialog.checks if c.text() == "unknown").isChecked()

    # ticked by hand all the same: the pairs with "unknown" are n/a, and alpha is ana and bo's alone
    next(c for c in dialog.checks if c.text() == "unknown").setChecked(True)
    dialog.findChild(QPushButton, "computeAgreement").click()
    qtbot.waitUntil(lambda: dialog.report is not None)
    alone = agreement(window.session.store, annotators=["ana", "bo"], article_ids=[kremlin])
    kappas = {dialog.characters.item(r, 0).text(): dialog.characters.item(r, 1).text()
              for r in range(dialog.characters.rowCount())}
    assert kappas["kappa ana ~ unknown"] == kappas["kappa bo ~ unknown"] == "n/a"
    assert kappas["alpha (all annotators)"] == f"{alone.overall_alpha:.3f}"
    unknown_rows = [r for r in range(dialog.spans.rowCount()) if dialog.spans.item(r, 1).text() == "unknown"]
    assert unknown_rows and all(dialog.spans.item(r, c).text() == "n/a" for r in unknown_rows for c in range(5, 11))
    assert "left out of alpha" in dialog.summary.text() and "unknown" in dialog.summary.text()


def merged(qtbot, job: Job) -> str | None:  # type: ignore[no-untyped-def]
    """Wait for a merge run in a worker; its error, if any."""
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    return job.error


def test_merge_from_the_menu(qtbot, make_window, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "colleague.db"
    with Store.open(other) as store:
        a, _ = store.add_article("A colleague's article about the S-400.", title="Colleague", actor="bo")
        store.add_annotation(a.id, 2, 11, "claim", annotator="bo")
    before = other.read_bytes()
    window = make_window(db_path, annotator="rita")
    assert merged(qtbot, window.review.merge(other)) is None
    assert window.article_model.rowCount() == 6
    assert rows(db_path, "SELECT annotator, text FROM annotations") == [("bo", "colleague")]
    assert other.read_bytes() == before
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MergeReportDialog) and w.isVisible())
    dialog.close()
    # A merge with conflicts and notes lists them whole, readable and copyable.
    with Store.open(other) as store:
        store.add_label("quote", "#D55E00", actor="bo")
        [bo_span] = store.annotations()
        store.set_note(bo_span.uid, "from the wire", actor="bo")
    window.session.store.add_label("quote", "#CC79A7", actor="rita")
    window.session.store.set_note(bo_span.uid, "checked", actor="rita")
    assert merged(qtbot, window.review.merge(other)) is None
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MergeReportDialog) and w.isVisible())
    conflicts = dialog.findChild(QPlainTextEdit, "mergeConflicts").toPlainText()
    assert bo_span.uid in conflicts and "note from" in conflicts and "“colleague”" in conflicts
    assert "coloured #D55E00 there" in dialog.findChild(QPlainTextEdit, "mergeNotes").toPlainText()
    dialog.close()
    assert merged(qtbot, window.review.merge(tmp_path / "missing.db")) is not None
    assert "Could not merge" in window.last_error


def test_file_merge_previews_before_it_writes(qtbot, make_window, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "colleague.db"
    with Store.open(other) as store:
        a, _ = store.add_article("A colleague's article about the S-400.", title="Colleague", actor="bo")
        store.add_annotation(a.id, 2, 11, "claim", annotator="bo")
    window = make_window(db_path, annotator="rita")
    job = window.review.preview_merge(other)
    assert merged(qtbot, job) is None
    preview = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MergeReportDialog) and w.objectName() == "mergePreview" and w.isVisible())
    assert "would merge 1 new article, 1 new annotation" in preview.findChild(QLabel, "mergeSummary").text()
    assert rows(db_path, "SELECT count(*) FROM annotations") == [(0,)]   # nothing written yet
    preview.findChild(QPushButton, "mergeButton").click()
    qtbot.waitUntil(lambda: rows(db_path, "SELECT count(*) FROM annotations") == [(1,)], timeout=10_000)
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 6)


def test_compare_offers_two_different_annotators_after_a_merge(qtbot, make_window, db_path: Path,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        store.add_annotation(1, 0, 7, "denial", annotator="ana")
    window = make_window(db_path, annotator="rita")
    window.review.open_compare()  # one annotator so far: both sides can only name ana
    dock = window.review.compare
    assert (dock.left.currentText(), dock.right.currentText()) == ("ana", "ana")
    other = tmp_path / "bo.db"
    shutil.copy(db_path, other)
    with Store.open(other) as store:
        store.add_annotation(1, 0, 14, "denial", annotator="bo")
    assert merged(qtbot, window.review.merge(other)) is None
    window.review.open_compare()
    assert (dock.left.currentText(), dock.right.currentText()) == ("ana", "bo")


def test_review_flag_reaches_the_workspace(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from annotator.cli import main
    from annotator.gui import app

    seen = {}
    monkeypatch.setattr(app, "run", lambda db, review=False: seen.update(db=db, review=review) or 0)
    assert main(["--db", str(tmp_path / "x.db"), "--review"]) == 0
    assert seen == {"db": tmp_path / "x.db", "review": True}


def test_another_database_after_every_dock_tags_reviews_and_undoes(qtbot, make_window, two_annotators: Path,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    window: MainWindow = make_window(two_annotators, annotator="rita")
    # use every part that holds something of the open database
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)      # reviewer mode on...
    press(qtbot, window.panes.current, Qt.Key.Key_A)       # ...a verdict...
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)      # ...and off again
    window.review.open_compare()
    window.review.compare.hide()
    window.actions["undo"].trigger()
    other = tmp_path / "second.db"
    with Store.open(other) as store:
        store.add_article("Ankara denied the report on Thursday.", title="Second", actor="t")
    assert window.switch_database(other)
    assert window.windowTitle() == "second.db — annotator"
    assert "second.db" in window.statusBar().currentMessage()
    assert "changed by another program" not in window.statusBar().currentMessage()
    assert window.saved_label.text() == "All changes saved"
    assert not window.actions["undo"].isEnabled()
    # tag there
    pane = window.panes.current
    assert pane is not None and pane.article is not None and pane.article.title == "Second"
    find(pane, "denied")
    press(qtbot, pane, Qt.Key.Key_2)
    assert window.last_error == "" and "not saved" not in window.saved_label.text().lower()
    assert rows(other, "SELECT text FROM annotations") == [("denied",)]
    assert window.annotation_model.rowCount() == 1
    # review there: the queue is this database's
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)
    assert window.review.queue.position.text() == "1 of 1"
    press(qtbot, window.panes.current, Qt.Key.Key_A)
    assert rows(other, "SELECT status, reviewer FROM annotations") == [("accepted", "rita")]
    # undo there, twice: the verdict, then the tag
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    assert rows(other, "SELECT count(*) FROM annotations") == [(0,)]
    assert window.last_error == ""
    # the first database was left as it was
    assert rows(two_annotators, "SELECT count(*) FROM annotations WHERE status = 'accepted'") == [(0,)]
    # a window title names its database from the start, once
    first = make_window(two_annotators)
    assert first.windowTitle() == f"{two_annotators.name} — annotator"


def test_review_tools_offer_the_open_articles_not_every_article(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(two_annotators, annotator="rita")
    open_ids = window.panes.open_article_ids()
    assert len(open_ids) == 2 and window.session.store.article_count() == 5
    window.actions["review_mode"].setChecked(True)
    combo = window.review.queue.article
    assert [combo.itemData(i) for i in range(combo.count())] == [None, *open_ids]
    window.review.open_compare()
    compare = window.review.compare.article
    assert sorted(compare.itemData(i) for i in range(compare.count())) == sorted(open_ids)
    dialog = AgreementDialog(window.session.store, None, window, open_articles=open_ids)
    qtbot.addWidget(dialog)
    assert [dialog.article.itemData(i) for i in range(dialog.article.count())] == [None, *open_ids]


def _compare_ana_and_bo(window: MainWindow, db: Path) -> None:
    window.actions["compare"].trigger()
    dock = window.review.compare
    dock.article.setCurrentIndex(dock.article.findData(_article_id(db)))
    dock.left.setCurrentText("ana")
    dock.right.setCurrentText("bo")
    dock.findChild(QPushButton, "compareButton").click()
    QApplication.processEvents()
    assert window.review.comparing is not None and dock.table.rowCount() == 3


def _no_comparison_left(window: MainWindow) -> None:
    """Nothing of the comparison on screen, and its keys act on nothing."""
    assert window.review.comparing is None and window.review.compare.table.rowCount() == 0
    for pane in window.panes.panes:
        assert pane.view.marks == [] and pane.view.current_mark is None and pane.caption == ""
        assert "'s spans" not in pane.subtitle.text()


def test_a_compared_pane_given_another_article_ends_the_comparison(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                   two_annotators: Path) -> None:
    """QA: opening another article in a compare pane kept the disagreement marks on unrelated text, and
    [ / ] adopted on an article no longer on screen."""
    window = make_window(two_annotators, annotator="rita")
    before = [p.article.id if p.article else None for p in window.panes.panes]
    _compare_ana_and_bo(window, two_annotators)
    left = window.panes.panes[0]
    # F5 shows the comparison again as it was: the same sides, the same marks
    qtbot.keyClick(window, Qt.Key.Key_F5)
    QApplication.processEvents()
    assert window.review.comparing is not None and len(left.view.marks) == 3
    assert left.view.spans.count() == 4 and "ana's spans" in left.subtitle.text()
    # the user double-clicks another article in the list while the left pane is active
    window.panes.set_current(left)
    table = window.article_list.table
    other_row = next(r for r in range(table.model().rowCount())
                     if table.model().index(r, 0).data(Qt.ItemDataRole.UserRole) != _article_id(two_annotators))
    index = table.model().index(other_row, 0)
    other = index.data(Qt.ItemDataRole.UserRole)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: all(p.caption == "" for p in window.panes.panes))   # put back once the click is done
    # the pane keeps what the user opened; the other pane is back as it was before comparing
    assert [p.article.id if p.article else None for p in window.panes.panes] == [other, *before[1:]]
    _no_comparison_left(window)
    assert "Comparison closed" in window.statusBar().currentMessage()
    # ] and [ have nothing to adopt now
    for pane in window.panes.panes:
        if pane.article is not None:
            press(qtbot, pane, Qt.Key.Key_BracketRight)
            press(qtbot, pane, Qt.Key.Key_BracketLeft)
    assert {st for _t, _w, st, _r, _n in _statuses(two_annotators)} == {"pending"}


def test_another_database_while_comparing_ends_the_comparison(qtbot, make_window, two_annotators: Path,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    """QA: Ctrl+O to a colleague's database while comparing left the marks painted on its text."""
    window = make_window(two_annotators, annotator="rita")
    _compare_ana_and_bo(window, two_annotators)
    colleague = tmp_path / "colleague.db"
    shutil.copy(two_annotators, colleague)   # the same articles, so the same pane layout could be restored
    with Store.open(colleague) as store:
        store.add_article("Ankara denied the report on Thursday.", title="Only in the colleague's", actor="t")
    assert window.switch_database(colleague)
    QApplication.processEvents()
    _no_comparison_left(window)
    for pane in window.panes.panes:
        if pane.article is not None:
            assert pane.view.spans.count() == len(rows(colleague, "SELECT 1 FROM annotations WHERE article_id = "
                                                                  f"{pane.article.id}"))
            press(qtbot, pane, Qt.Key.Key_BracketRight)
    assert "Compare two annotators first" in window.statusBar().currentMessage()
    assert {st for _t, _w, st, _r, _n in _statuses(colleague)} == {"pending"}
    # the compare panel offers the new database's articles
    dock = window.review.compare
    window.review.open_compare()
    with Store.open(colleague) as store:
        ids = {a.id for a in store.articles()}
    assert {dock.article.itemData(i) for i in range(dock.article.count())} <= ids


def test_closing_a_compared_pane_ends_the_comparison(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(two_annotators, annotator="rita")
    window.actions["add_pane"].trigger()
    before = [p.article.id if p.article else None for p in window.panes.panes]
    _compare_ana_and_bo(window, two_annotators)
    right = window.panes.panes[1]
    window.panes.set_current(right)
    window.actions["close_pane"].trigger()
    qtbot.waitUntil(lambda: len(window.panes.panes) == len(before))
    assert [p.article.id if p.article else None for p in window.panes.panes] == before
    _no_comparison_left(window)


def test_the_reviewer_hint_names_every_label_key(qtbot, make_window, two_annotators: Path) -> None:  # type: ignore[no-untyped-def]
    """QA: the reviewer's help said "1/2/3 relabel" although a fourth label had key 4."""
    with Store.open(two_annotators) as store:
        store.add_label("Opinion", "#cc79a7", "4", actor="t")
    window = make_window(two_annotators, annotator="rita")
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)
    hint = window.review.queue.hint.text()
    assert "1 claim, 2 denial, 3 background, 4 Opinion" in hint and "1/2/3" not in hint
    assert "4 Opinion" in window.statusBar().currentMessage()
    # a label added while reviewing: the hint follows
    window.session.change_labels(lambda store, actor: store.create_label("Satire", "#56b4e9", "5", actor=actor))
    QApplication.processEvents()
    assert "5 Satire" in window.review.queue.hint.text()
    # and the key does relabel the span under review
    press(qtbot, window.panes.current, Qt.Key.Key_4)
    assert "Opinion" in [r[0] for r in rows(two_annotators, "SELECT l.name FROM annotations n JOIN labels l"
                                                              " ON l.id = n.label_id")]


def test_the_disagreement_list_shows_several_rows_beside_the_claims_dock(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                         two_annotators: Path) -> None:
    """QA: with the claims dock open above it, the compare dock's list showed one row."""
    window = make_window(two_annotators, annotator="rita")
    window.resize(1600, 1000)
    window.actions["claims_dock"].trigger()
    window.actions["compare"].trigger()
    compare = window.review.compare
    window.splitDockWidget(window.claims.dock, compare, Qt.Orientation.Vertical)   # stacked, as the tester had them
    QApplication.processEvents()
    _compare_ana_and_bo(window, two_annotators)
    QApplication.processEvents()
    table = compare.table
    assert table.rowCount() == 3
    seen = table.viewport().rect()
    for row in range(3):
        assert seen.contains(table.visualRect(table.model().index(row, 0))), row


def test_a_merge_waits_for_a_colleague_file_still_being_written(qtbot, make_window, db_path: Path,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    other = tmp_path / "colleague.db"
    with Store.open(other) as store:
        store.add_article("A colleague's article about the S-400.", title="Colleague", actor="bo")
    holder = sqlite3.connect(other, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")   # the colleague's import, committing: nobody may read yet
    window = make_window(db_path, annotator="rita")
    job = window.review.preview_merge(other)
    said: list[str] = []
    job.progressed.connect(lambda _done, _total, what: said.append(what))
    try:
        qtbot.waitUntil(lambda: any("finish writing to colleague.db" in what for what in said), timeout=10_000)
        assert job.running
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert merged(qtbot, job) is None
    preview = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MergeReportDialog) and w.objectName() == "mergePreview" and w.isVisible())
    assert "would merge 1 new article" in preview.findChild(QLabel, "mergeSummary").text()
    preview.close()


def test_reviewer_mode_belongs_to_each_database_like_its_panes(qtbot, make_window, two_annotators: Path,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    """QA: reviewer mode was saved once for the app: opening another database brought it (and its "panes
    before review", naming the first database's articles) into that one."""
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    other = tmp_path / "second.db"
    with Store.open(other) as store:
        for n in range(3):
            store.add_article(f"Ankara denied report {n} on Thursday.", title=f"Second {n}", actor="t")
    window: MainWindow = make_window(two_annotators, annotator="rita")
    before_review = [p.article.uid if p.article else "" for p in window.panes.panes]
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)      # reviewer mode on in the first database
    assert window.review.queue.isVisible()
    assert window.switch_database(other)
    # the second database was never reviewed: no reviewer mode, no queue
    assert not window.actions["review_mode"].isChecked() and not window.review.queue.isVisible()
    second_panes = [p.article.uid if p.article else "" for p in window.panes.panes]
    # its own reviewer mode, on and off, puts back its own panes
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)
    window.open_article(window.session.store.article_ids()[2], window.panes.panes[0])
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)
    assert [p.article.uid if p.article else "" for p in window.panes.panes] == second_panes
    assert window.last_error == ""
    # back in the first database: reviewer mode as it was left there; leaving it puts back that database's panes
    assert window.switch_database(two_annotators)
    assert window.actions["review_mode"].isChecked() and window.review.queue.isVisible()
    assert window.review.queue.position.text().endswith("of 7")
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)
    assert [p.article.uid if p.article else "" for p in window.panes.panes] == before_review
    # and a restart brings each database's own: on in the first, off in the second
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)
    assert window.switch_database(other)
    window.close()
    in_second = make_window(other)
    assert not in_second.actions["review_mode"].isChecked()
    assert in_second._review is None or not in_second.review.queue.isVisible()
    in_second.close()
    in_first = make_window(two_annotators)
    assert in_first.actions["review_mode"].isChecked() and in_first.review.queue.isVisible()
    qtbot.keyClick(in_first, Qt.Key.Key_R, ctrl_shift)
    assert [p.article.uid if p.article else "" for p in in_first.panes.panes] == before_review


def test_closing_a_comparison_leaves_no_tint_of_the_compared_article(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                     two_annotators: Path) -> None:
    """QA4-1: after comparing article 1 (scrolled down to its disagreements) and closing the comparison, the
    left pane, back on article 3, showed a tint at article 1's span offsets that no span of article 3 explains."""
    aid = _article_id(two_annotators)
    with Store.open(two_annotators) as store:
        text = store.article_text(aid)
        for start in range(300, len(text) - 40, 120):   # disagreements all the way down
            store.add_annotation(aid, start, start + 30, "background", annotator="bo")
    window = make_window(two_annotators, annotator="rita")
    window.resize(1000, 500)
    window.actions["compare"].trigger()
    dock = window.review.compare
    dock.article.setCurrentIndex(dock.article.findData(aid))
    dock.left.setCurrentText("ana")
    dock.right.setCurrentText("bo")
    dock.findChild(QPushButton, "compareButton").click()
    left = window.panes.panes[0]
    press(qtbot, left, Qt.Key.Key_BracketRight)
    bar = left.view.verticalScrollBar()
    bar.setValue(bar.maximum())   # reading on, down the article
    QApplication.processEvents()
    dock.findChild(QPushButton, "closeComparison").click()
    QApplication.processEvents()
    assert left.article is not None and left.article.id != aid
    assert [stray_tints(p) for p in window.panes.panes] == [[], []]
