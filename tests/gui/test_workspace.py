"""The workspace around the panes: layout, restart, first start, import/export, errors, models."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox, QPushButton

from annotator.core.paths import default_database, open_database
from annotator.core.store import Store
from annotator.gui.dialogs import ImportReportDialog
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.main_window import MainWindow
from annotator.gui.preflight import display_problem, why_unreachable
from annotator.gui.settings import WindowSettings

from .helpers import click_text, find, press, rows


def test_models_pass_qtmodeltester(qtmodeltester, qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.panes[1]
    find(pane, "Kremlin denied")
    press(qtbot, pane, Qt.Key.Key_2)
    qtmodeltester.check(window.article_model)
    qtmodeltester.check(window.annotation_model)


def test_add_remove_and_reorder_panes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert len(window.panes.panes) == 2
    window.actions["add_pane"].trigger()
    assert len(window.panes.panes) == 3
    third = window.panes.current
    assert third is window.panes.panes[2] and third.article is None
    window.open_article(4)
    assert third.article.id == 4
    window.actions["pane_left"].trigger()
    assert window.panes.panes.index(third) == 1
    assert window.panes.splitter.indexOf(third) == 1
    third.close_button.click()
    assert len(window.panes.panes) == 2 and third not in window.panes.panes
    # the annotations dock follows the open articles
    assert set(window.annotation_model.view.article_ids) == {p.article.id for p in window.panes.panes}


def test_double_click_in_the_article_list_opens_in_the_current_pane(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.panes.set_current(window.panes.panes[0])
    table = window.article_list.table
    index = table.model().index(3, 0)
    rect = table.visualRect(index)
    # a real double click is press, release, then the double-click event
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.panes.panes[0].article.id == index.data(Qt.ItemDataRole.UserRole)


def test_search_filters_the_article_list(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dock = window.article_list
    dock.search.setFocus()   # as a user typing there: Return is then the search's, not a pane's (Enter accepts)
    qtbot.keyClicks(dock.search, "kremlin denies")
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1)  # after a pause in typing
    assert dock.model.index(0, 0).data().startswith("Kremlin Denies Claims")
    dock.search.clear()
    qtbot.keyClicks(dock.search, "RIA NOVOSTI")  # in one article's text, not in any title
    qtbot.keyClick(dock.search, Qt.Key.Key_Return)
    assert dock.model.rowCount() == 1
    assert dock.model.index(0, 0).data().startswith("Kremlin denied a Bloomberg report")
    dock.search.clear()
    qtbot.keyClicks(dock.search, "turkiye")  # typed without the accent: titles and texts with "Türkiye"
    qtbot.keyClick(dock.search, Qt.Key.Key_Return)
    titles = [dock.model.index(r, 0).data() for r in range(dock.model.rowCount())]
    assert len(titles) == 4 and any(t.startswith("Türkiye wants") for t in titles)
    dock.search.clear()
    qtbot.keyClicks(dock.search, "no such words anywhere")
    qtbot.keyClick(dock.search, Qt.Key.Key_Return)
    assert dock.model.rowCount() == 0 and dock.empty.isVisible()
    assert window.article_model.total == 5   # the status bar still counts every article


def test_sorting_the_list_by_a_label_keeps_the_selection(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.store import ArticleOrder, Store

    with Store.open(db_path) as store:    # another program tags: 2 denials in one article, 1 in another
        first, second = store.article_ids()[1:3]
        for article_id, n in ((first, 2), (second, 1)):
            for i in range(n):
                store.add_annotation(article_id, i * 10, i * 10 + 5, "denial", annotator="bo")
    window.refresh()
    model, table = window.article_model, window.article_list.table
    table.selectRow(model.row_of(second))
    denial_col = 2 + model.label_names.index("denial")
    table.sortByColumn(denial_col, Qt.SortOrder.DescendingOrder)
    with Store.open(db_path) as store:
        assert model.ids == store.article_ids(ArticleOrder("label", label="denial", descending=True))
    assert [model.index(r, denial_col).data() for r in range(3)] == [2, 1, 0]
    assert window.article_list.selected_article() == second   # the selection moved with its article
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.casefold)


def test_counts_in_the_article_list_follow_changes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.panes[1]
    # a tag repaints its article's row in each list: no list is read again (no reset), the annotations
    # table gets one row inserted
    seen: list[str] = []
    for name, model in (("articles", window.article_model), ("annotations", window.annotation_model)):
        model.modelReset.connect(lambda name=name: seen.append(f"{name} reset"))
        model.layoutChanged.connect(lambda name=name: seen.append(f"{name} layout"))
        model.rowsInserted.connect(lambda _p, first, last, name=name: seen.append(f"{name} +{first}..{last}"))
        model.dataChanged.connect(lambda a, b, _r=(), name=name: seen.append(f"{name} rows {a.row()}..{b.row()}"))
    find(pane, "Kremlin denied")
    press(qtbot, pane, Qt.Key.Key_2)
    row_of_article = window.article_model.row_of(pane.article.id)
    assert seen == [f"articles rows {row_of_article}..{row_of_article}", "annotations +0..0"], seen
    row = window.article_model.row_of(pane.article.id)
    denial_col = 2 + window.article_model.label_names.index("denial")
    assert window.article_model.index(row, denial_col).data() == 1
    press(qtbot, pane, Qt.Key.Key_1)  # the new span is selected: relabel it
    claim_col = 2 + window.article_model.label_names.index("claim")
    assert window.article_model.index(row, denial_col).data() == 0
    assert window.article_model.index(row, claim_col).data() == 1


def test_restart_restores_layout_articles_scroll_and_zoom(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = make_window(db_path)
    first.actions["add_pane"].trigger()
    first.open_article(5)
    first.actions["zoom_in"].trigger()
    first.actions["zoom_in"].trigger()
    first.actions["sync_scroll"].setChecked(True)
    target = first.panes.panes[2]
    target.view.scroll_to_offset(target.view.text.index("On a conference call"))
    top = target.view.top_offset()
    assert top > 0
    layout = [p.article.id for p in first.panes.panes]
    first.close()

    second = make_window(db_path)
    assert [p.article.id for p in second.panes.panes] == layout
    assert second.panes.zoom == 2
    assert second.actions["sync_scroll"].isChecked()
    qtbot.waitUntil(lambda: second.panes.panes[2].view.top_offset() > 0)
    assert abs(second.panes.panes[2].view.top_offset() - top) < 120  # the same line is at the top
    assert not second.actions["review_mode"].isChecked()
    # Reviewer mode comes back as it was left, its queue where it was.
    second.actions["review_mode"].setChecked(True)
    second.close()
    third = make_window(db_path)
    assert third.actions["review_mode"].isChecked() and third.review.queue.isVisible()


def test_first_start_with_the_default_database(qtbot, settings: WindowSettings) -> None:  # type: ignore[no-untyped-def]
    assert not default_database().exists()
    store = open_database(None)  # what `annotator` with no --db does
    assert default_database().exists() and store.article_count() == 5
    window = MainWindow(store, "ana", settings)
    qtbot.addWidget(window)
    window.restore_state()
    window.show()
    titles = [p.article.title for p in window.panes.panes]
    assert titles[0].startswith("Türkiye wants to return S-400") and titles[0].endswith("Bloomberg")
    assert titles[1].startswith("Kremlin denied a Bloomberg report")
    window.close()
    store.close()


def test_identity_is_asked_on_first_start_prefilled(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.profile import annotator_name
    from annotator.gui import app as app_module
    from annotator.gui.dialogs import IdentityDialog

    monkeypatch.setattr(app_module, "login_name", lambda: "jdoe")
    seen = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, IdentityDialog)
        seen["prefill"] = dialog.name.text()
        # no window is open yet: the dialog says where the name is kept, nothing of other windows (QA4-21)
        seen["where"] = dialog.findChild(QLabel, "annotatorNameWhere").text()
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "Jane Doe")
        dialog.ok.click()

    assert annotator_name() is None
    QTimer.singleShot(0, answer)
    assert app_module.ask_annotator() == "Jane Doe"
    assert seen["prefill"] == "jdoe"
    assert "window" not in seen["where"] and seen["where"].startswith("The name is kept for your user account")
    assert annotator_name() == "Jane Doe"
    assert app_module.ask_annotator() == "Jane Doe"  # not asked again


def test_change_annotator_applies_to_new_spans(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.set_annotator("Rita")
    assert "Rita" in window.annotator_button.text()
    pane = window.panes.panes[1]
    find(pane, "Kremlin")
    press(qtbot, pane, Qt.Key.Key_1)
    assert rows(db_path)[0][4] == "Rita"


def test_database_turning_read_only_is_reported_and_nothing_shown(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.panes[1]
    db_path.chmod(0o444)
    try:
        find(pane, "Kremlin")
        press(qtbot, pane, Qt.Key.Key_1)
    finally:
        db_path.chmod(0o644)
    assert "read-only" in window.last_error
    assert "not saved" in window.saved_label.text().lower()
    assert pane.view.spans.count() == 0 and window.annotation_model.rowCount() == 0
    assert rows(db_path) == []
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and "read-only" in box.text()


def test_database_that_disappears_is_reported(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.panes[1]
    os.rename(db_path, db_path.with_name("moved.db"))
    find(pane, "Kremlin")
    press(qtbot, pane, Qt.Key.Key_1)
    assert "moved or deleted" in window.last_error
    assert pane.view.spans.count() == 0


def test_import_shows_a_report_of_what_was_rejected(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.txt"
    good.write_text("A brand new article about the S-400.", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": broken\n', encoding="utf-8")
    job = window.files.import_paths([good, bad])
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    report = job.result
    assert report.articles_added == 2 and len(report.rejected) == 1
    assert window.article_model.rowCount() == 7
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportReportDialog) and w.isVisible())
    assert dialog.rejected.rowCount() == 1
    assert dialog.rejected.item(0, 0).toolTip() == f"{bad}:2"
    assert "not valid JSON" in dialog.rejected.item(0, 1).text()
    dialog.close()


def test_export_dialog_counts_and_writes(qtbot, window: MainWindow, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.panes[1]
    for needle, key in (("Kremlin", Qt.Key.Key_1), ("Bloomberg", Qt.Key.Key_2)):
        find(pane, needle)
        press(qtbot, pane, key)
    dialog = ExportDialog(window.session.store, window.panes.open_article_ids(), tmp_path, window)
    qtbot.addWidget(dialog)
    assert "5</b> articles and <b>2</b> spans" in dialog.count.text()  # unfiltered: every article
    assert dialog.all_articles.isChecked()
    next(c for c in dialog.label_checks if c.text() == "claim").click()  # denial only
    assert not dialog.all_articles.isChecked()  # filtered: articles without a match are left out...
    assert "1</b> article and <b>1</b> span" in dialog.count.text()
    dialog.all_articles.click()  # ...unless the user asks; what the box says is what is written
    assert "5</b> articles and <b>1</b> span" in dialog.count.text()
    next(c for c in dialog.label_checks if c.text() == "claim").click()
    assert dialog.all_articles.isChecked()  # the user's choice stands
    for check in dialog.label_checks:
        check.setChecked(False)
    assert not dialog.export_button.isEnabled()
    for check in dialog.label_checks:
        check.setChecked(True)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert "2</b> rows, one per span" in dialog.count.text()
    target = tmp_path / "out.csv"
    dialog.path.setText(str(target))
    assert not dialog.bom.isHidden() and dialog.bom.isChecked()   # CSV: on by default, for Excel
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result_info is not None, timeout=10_000)
    assert target.exists()
    assert target.read_bytes().startswith(b"\xef\xbb\xbfarticle_id,")
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[0].startswith("article_id,")
    # a second export to the same file asks first; Cancel leaves the file alone
    before = target.read_bytes()
    asked: list[Path] = []
    dialog = ExportDialog(window.session.store, window.panes.open_article_ids(), tmp_path, window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.path.setText(str(target))
    dialog.confirm_replace = lambda path: asked.append(path) or False  # type: ignore[method-assign]
    dialog.bom.setChecked(False)
    dialog.export_button.click()
    assert asked == [target] and target.read_bytes() == before and dialog.job is None
    dialog.confirm_replace = lambda path: True  # type: ignore[method-assign]
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result_info is not None, timeout=10_000)
    assert target.read_bytes().startswith(b"article_id,")


def test_export_dialog_leaves_rejected_spans_out_of_formats_that_cannot_mark_them(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path, tmp_path: Path) -> None:
    pane = window.panes.panes[1]
    for needle, key in (("Kremlin", Qt.Key.Key_1), ("Bloomberg", Qt.Key.Key_2)):
        find(pane, needle)
        press(qtbot, pane, key)
    with Store.open(db_path) as other:
        span = next(a for a in other.annotations() if a.label == "denial")
        other.set_status(span.uid, "rejected", actor="rita", reason="a quote")
    dialog = ExportDialog(window.session.store, window.panes.open_article_ids(), tmp_path, window)
    qtbot.addWidget(dialog)
    rejected = next(c for c in dialog.status_checks if c.text() == "rejected")
    assert rejected.isChecked() and "<b>2</b> spans" in dialog.count.text()      # jsonl marks them
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    assert not rejected.isChecked() and "5</b> articles and <b>1</b> span" in dialog.count.text()
    assert "1 rejected span left out: conll cannot mark a span as rejected" in dialog.count.text()
    rejected.click()                                                            # asked for: written
    assert "5</b> articles and <b>2</b> spans" in dialog.count.text()
    dialog.path.setText(str(tmp_path / "out.conll"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result_info is not None, timeout=10_000)
    assert "B-denial" in (tmp_path / "out.conll").read_text(encoding="utf-8")


def test_switching_database_reloads_everything(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.db"
    with Store.open(other) as store:
        store.add_article("Only article here.", title="Lonely", actor="t")
    assert window.switch_database(other)
    assert window.article_model.rowCount() == 1
    assert [p.article.title for p in window.panes.panes if p.article] == ["Lonely"]
    bad = tmp_path / "bad.db"
    bad.write_text("nope")
    assert not window.switch_database(bad)
    assert "not an annotator database" in window.last_error
    assert window.session.store.path == other


def test_preflight_names_the_missing_pieces() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert "DISPLAY is not set" in display_problem({}, "linux")
    reached = {"unreachable": lambda _display: None}
    problem = display_problem({"DISPLAY": ":0"}, "linux", loadable=lambda name: "cursor" not in name, **reached)
    assert problem is not None and "apt-get install libxcb-cursor0" in problem
    assert display_problem({"DISPLAY": ":0"}, "linux", loadable=lambda name: True, **reached) is None
    assert display_problem({}, "darwin") is None
    # a display that cannot be reached is said before any library is blamed
    problem = display_problem({"DISPLAY": ":7"}, "linux", loadable=lambda name: False,
                              unreachable=lambda display: "no X server is running on that display")
    assert problem is not None and problem.startswith("cannot reach the X display :7: no X server")


def _free_display() -> int:
    return next(n for n in range(55, 400) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                and why_unreachable(f":{n}") is not None)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X displays are checked on Linux")
def test_preflight_tells_why_a_display_cannot_be_reached() -> None:
    n = _free_display()
    assert why_unreachable(f":{n}") == (f"no X server is running on that display (there is no socket"
                                        f" /tmp/.X11-unix/X{n})")
    assert why_unreachable(f":{n}.0") == why_unreachable(f":{n}")
    assert why_unreachable("screen-one") == "the name is not of the form [host]:number[.screen]"
    assert (why_unreachable(f"127.0.0.1:{n}") or "").startswith(f"no X server answers at 127.0.0.1, port {6000 + n}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X displays are checked on Linux")
def test_an_unreachable_display_is_one_line_and_a_clean_exit(tmp_path: Path) -> None:
    """QA: `DISPLAY=:55 annotator` aborted (exit 134) blaming libxcb-cursor0, which was installed."""
    import subprocess

    n = _free_display()
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = f":{n}"
    for args in ([], ["--db", str(tmp_path / "x.db")]):
        done = subprocess.run([sys.executable, "-c", "import sys; from annotator.entry import main; sys.exit(main())",
                               *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, done.stderr
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"annotator: error: cannot reach the X display :{n}: "), lines
        assert "xcb-cursor" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_settings_hold_window_state_only(qtbot, window: MainWindow, settings: WindowSettings) -> None:  # type: ignore[no-untyped-def]
    window.save_state()
    keys = settings.s.allKeys()
    assert keys and all(k.split("/")[0] in ("window", "view", "workspace") for k in keys)
    assert isinstance(settings.s, QSettings)


@pytest.mark.parametrize("zoom", [0, 3])
def test_scroll_position_is_stable_across_restarts(qtbot, make_window, db_path: Path, zoom: int) -> None:  # type: ignore[no-untyped-def]
    first = make_window(db_path)
    first.panes.set_zoom(zoom)
    pane = first.panes.panes[0]
    pane.view.scroll_to_offset(pane.view.text.index("Washington has recently"))
    top = pane.view.top_offset()
    assert top > 0
    first.close()
    tops = []
    for _ in range(3):  # restart three times without touching anything
        window = make_window(db_path)
        view = window.panes.panes[0].view
        qtbot.waitUntil(lambda view=view: view.top_offset() > 0)
        tops.append(view.top_offset())
        window.close()
    assert tops == [top, top, top]


def test_making_a_pane_active_moves_none_of_its_text(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    # The active pane's edge must not change the room the text has: a re-wrap under the
    # pointer between the two clicks of a double-click selected (and tagged) the wrong word,
    # and restored panes jumped on the first click.
    app = QApplication.instance()
    left, right = window.panes.panes[:2]

    def settle() -> None:
        # Re-apply the style sheet in full, so that whatever edge each pane has is in effect
        # (a changed dynamic property, for one, only shows after a re-polish).
        app.setStyleSheet(app.styleSheet())
        QApplication.processEvents()

    def room(pane):  # type: ignore[no-untyped-def]
        return pane.frameWidth(), pane.contentsRect().size(), pane.view.viewport().size()

    window.panes.set_current(left)
    right.view.scroll_to_offset(right.view.text.index("Bloomberg had reported"))
    settle()
    assert room(left) == room(right)
    before = (room(right), right.view.top_offset(), right.view.cursorRect(right.view.textCursor()))
    window.panes.set_current(right)
    settle()
    assert (room(right), right.view.top_offset(), right.view.cursorRect(right.view.textCursor())) == before
    assert room(left) == room(right)
    # and clicking into it (what makes it current) leaves it where it was too
    window.panes.set_current(left)
    settle()
    top = right.view.top_offset()
    click_text(qtbot, right, "Bloomberg had reported", inside=3)
    settle()
    assert window.panes.current is right and right.view.top_offset() == top


def test_changes_by_another_program_appear(qtbot, window: MainWindow, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.cli import main

    page = tmp_path / "new.txt"
    page.write_text("An article imported from the command line while the window is open.", encoding="utf-8")
    assert main(["import", "--db", str(db_path), str(page)]) == 0
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 6, timeout=5000)
    assert "changed by another program" in window.statusBar().currentMessage()


def test_a_failed_open_is_not_an_unsaved_edit(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "fake.db"
    bad.write_text("not a database")
    assert not window.switch_database(bad)
    assert "not an annotator database" in window.last_error
    assert "not saved" not in window.saved_label.text().lower()


def test_undo_in_a_closed_article_says_where(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.panes[1]
    window.panes.set_current(pane)
    find(pane, "Kremlin")
    press(qtbot, pane, Qt.Key.Key_1)
    title = pane.article.title
    window.actions["close_pane"].trigger()
    window.actions["undo"].trigger()
    message = window.statusBar().currentMessage()
    assert message.startswith("Undone: Tag") and title[:30] in message and "(not open)" in message
    assert rows(db_path) == []


def test_note_dialog_saves_with_ctrl_enter(qtbot) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.dialogs import NoteDialog

    dialog = NoteDialog("some span", "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.editor, "first line")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.editor, "second")
    assert dialog.isVisible()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == NoteDialog.DialogCode.Accepted
    assert dialog.value() == "first line\nsecond"


def test_saved_workspaces_keep_their_key(tmp_path: Path) -> None:
    # Window state is filed under a hash of the database path. The hash moved from
    # hashlib to Qt (start-up time); it must not change, or every saved layout is lost.
    import hashlib

    from annotator.gui.settings import _db_key

    for name in ("annotations.db", "ünïcode dir/Türkiye 🇹🇷.db"):
        path = tmp_path / name
        assert _db_key(path) == hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    assert _db_key(None) == "memory"


def _drop(target, mime) -> bool:  # type: ignore[no-untyped-def]
    """Deliver what a drag from the article list delivers: enter, move, drop. True if the drop was taken."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

    point = target.rect().center()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, actions, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(target, QDragMoveEvent(point, actions, mime, buttons, mods))
    drop = QDropEvent(QPointF(point), actions, mime, buttons, mods)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def test_dragging_an_article_onto_a_pane_opens_it_there(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    table = window.article_list.table
    assert table.dragEnabled()
    index = table.model().index(4, 0)
    wanted = index.data(Qt.ItemDataRole.UserRole)
    # What the list hands a drag (QAbstractItemView.startDrag asks its model for this).
    mime = table.model().mimeData([index])
    # Onto the second pane, which shows another article: it opens there, and that pane becomes current.
    second = window.panes.panes[1]
    assert second.article is not None and second.article.id != wanted
    assert second.view.viewport().acceptDrops()  # the drag manager only offers drops to widgets that accept them
    # While an article is dragged over a pane, the pane shows it is where the article would open.
    from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent

    QApplication.sendEvent(second.view.viewport(), QDragEnterEvent(
        second.view.viewport().rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier))
    assert second.drop_target and second.styleSheet().find("dashed") > 0
    QApplication.sendEvent(second.view.viewport(), QDragLeaveEvent())
    assert not second.drop_target and "dashed" not in second.styleSheet()
    assert _drop(second.view.viewport(), mime)
    assert second.article.id == wanted and window.panes.current is second
    assert not second.drop_target and "solid" in second.styleSheet()  # the active pane's edge is back
    assert window.panes.panes[0].article.id != wanted
    # Onto an empty pane: its placeholder takes the drop.
    window.panes.add_pane()
    empty = window.panes.panes[-1]
    assert empty.article is None and empty.placeholder.acceptDrops()
    first = table.model().index(0, 0)
    assert _drop(empty.placeholder, table.model().mimeData([first]))
    assert empty.article.id == first.data(Qt.ItemDataRole.UserRole)
    # Anything else dragged in (text from another program) is refused and changes nothing.
    from PySide6.QtCore import QMimeData

    other = QMimeData()
    other.setText("some text")
    assert not _drop(second.view.viewport(), other)
    assert second.article.id == wanted


def test_many_panes_share_the_window_and_never_grow_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.pane_area import MIN_PANE_WIDTH

    window.resize(1408, 900)
    qtbot.waitUntil(lambda: window.width() == 1408)
    list_width = window.article_list.width()
    for _ in range(6):
        window.actions["add_pane"].trigger()
        QApplication.processEvents()
        assert window.width() == 1408
        assert window.article_list.width() == list_width
        assert min(p.width() for p in window.panes.panes) >= MIN_PANE_WIDTH
    assert len(window.panes.panes) == 8
    # the current (last added) pane is scrolled into view
    current = window.panes.current
    assert current is not None and current.visibleRegion().boundingRect().width() == current.width()
    for _ in range(6):
        window.actions["close_pane"].trigger()
        QApplication.processEvents()
    assert window.article_list.width() == list_width
    # two panes again: they share the whole width, no scrolling left
    viewport = window.panes.scroller.viewport().width()
    assert sum(p.width() for p in window.panes.panes) >= viewport - 20
    assert not window.panes.scroller.horizontalScrollBar().isVisible()


def test_the_import_report_is_wide_enough_for_its_places(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deep = tmp_path / "a folder with a long name" / "and another one inside it" / "bad-records-of-the-day.jsonl"
    deep.parent.mkdir(parents=True)
    deep.write_text('{"text": broken\n', encoding="utf-8")
    job = window.files.import_paths([deep])
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportReportDialog) and w.isVisible())
    table = dialog.rejected
    place = table.item(0, 0).text()
    assert table.folder == str(deep.parent) and place == f"{deep.name}:1"   # shown from the folder named above
    assert table.item(0, 0).toolTip() == f"{deep}:1"
    # the whole place fits its column, and the column fits the dialog
    assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance(place)
    assert dialog.width() >= table.columnWidth(0) + 300
    dialog.close()


def test_a_name_chosen_in_another_window_does_not_change_this_one(qtbot, make_window, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.profile import annotator_name, profile_path, set_annotator_name

    first = make_window(db_path, annotator="ana")
    second = make_window(db_path, annotator="ana")
    second.set_annotator("bo")                  # as the change-name dialog does
    assert annotator_name() == "bo" and second.session.annotator == "bo"
    first.outside.check()                       # the 1.5 s poll, run now
    assert first.session.annotator == "ana"     # this window keeps its own name...
    assert "Another window chose the name “bo”" in first.statusBar().currentMessage()   # ...and says so
    second.outside.check()
    assert "Another window" not in second.statusBar().currentMessage()
    # the dialog says where the name lives
    from annotator.gui.dialogs import IdentityDialog

    dialog = IdentityDialog("ana", first_time=False, parent=first)
    qtbot.addWidget(dialog)
    assert str(profile_path()) in dialog.findChild(QLabel, "annotatorNameWhere").text()
    set_annotator_name("ana")


def test_the_layout_is_saved_shortly_after_each_change_not_only_at_quit(qtbot, make_window, db_path: Path,  # type: ignore[no-untyped-def]
                                                                        tmp_path: Path) -> None:
    ini = tmp_path / "layout.ini"
    settings = WindowSettings(QSettings(str(ini), QSettings.Format.IniFormat))
    from annotator.core.store import Store
    from annotator.gui.main_window import MainWindow as Window

    window = Window(Store.open(db_path), "ana", settings)
    qtbot.addWidget(window)
    window.show()
    window.restore_state()
    window.actions["add_pane"].trigger()
    third = window.panes.panes[2]
    article_id = window.session.store.article_ids()[3]
    window.open_article(article_id, third)
    window.actions["zoom_in"].trigger()
    assert window.layout_state.pending   # written a moment later, many changes in one write
    qtbot.waitUntil(lambda: not window.layout_state.pending, timeout=5000)
    # what a crash leaves: the file as it is now, read by a new process (no closeEvent ran)
    after_crash = WindowSettings(QSettings(str(ini), QSettings.Format.IniFormat))
    saved = after_crash.workspace(db_path)
    assert saved is not None and len(saved.articles) == 3
    assert saved.articles[2] == window.session.store.article(article_id).uid
    assert after_crash.options().zoom == 1
    window.session.store.close()


def _database_dialog(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    window.activateWindow()   # a message box that just closed may have taken activation with it
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    dialog = next((d for d in window.findChildren(QFileDialog, "databaseDialog") if d.isVisible()), None)
    assert dialog is not None and dialog.isVisible()
    return dialog


def _type_name(qtbot, dialog, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Go to the file's folder, type its name into the dialog's name field and click Open, as a user does."""
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    dialog.setDirectory(str(path.parent))
    field = dialog.findChild(QLineEdit, "fileNameEdit")
    field.clear()
    qtbot.keyClicks(field, path.name)
    [button] = [b for b in dialog.findChild(QDialogButtonBox).buttons() if b.text().replace("&", "") == "Open"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def test_ctrl_o_creates_a_database_under_a_new_name_after_asking(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                  settings: WindowSettings, tmp_path: Path) -> None:
    """QA: Ctrl+O "Open or create a database" answered "new.db — File not found"."""
    from PySide6.QtWidgets import QMessageBox

    first = window.session.store.path
    folder = tmp_path / "team"
    folder.mkdir()
    # a name that is not there: asked first; Cancel creates nothing and remembers no folder
    dialog = _database_dialog(qtbot, window)
    _type_name(qtbot, dialog, folder / "new.db")
    box = window.findChild(QMessageBox, "createDatabase")
    assert box is not None and box.isVisible()
    assert f"Create a new, empty database at {folder / 'new.db'}?" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    QApplication.processEvents()
    assert not (folder / "new.db").exists() and window.session.store.path == first
    assert settings.folder("database", tmp_path / "elsewhere") == tmp_path / "elsewhere"
    # again, typed without the suffix, and Create: it is made, empty, with the default labels, and open
    dialog = _database_dialog(qtbot, window)
    _type_name(qtbot, dialog, folder / "new")
    box = next(b for b in window.findChildren(QMessageBox, "createDatabase") if b.isVisible())
    box.button(QMessageBox.StandardButton.Yes).click()
    QApplication.processEvents()
    assert window.session.store.path == folder / "new.db" and (folder / "new.db").exists()
    assert rows(folder / "new.db", "SELECT count(*) FROM articles") == [(0,)]
    assert len(rows(folder / "new.db", "SELECT name FROM labels")) == 3
    assert window.windowTitle() == "new.db — annotator"
    assert "no articles yet" in window.statusBar().currentMessage()
    assert settings.folder("database", tmp_path) == folder   # remembered once it opened
    # an existing database opens without a question
    dialog = _database_dialog(qtbot, window)
    assert Path(dialog.directory().absolutePath()) == folder
    _type_name(qtbot, dialog, first)
    assert not any(b.isVisible() for b in window.findChildren(QMessageBox, "createDatabase"))
    assert window.session.store.path == first and settings.folder("database", tmp_path) == first.parent


def test_ctrl_o_on_a_file_that_is_no_database_keeps_the_folder_unremembered(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                           settings: WindowSettings,
                                                                           tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    bad = elsewhere / "notes.db"
    bad.write_text("not a database")
    dialog = _database_dialog(qtbot, window)
    _type_name(qtbot, dialog, bad)
    assert "not an annotator database" in window.last_error
    assert settings.folder("database", tmp_path / "none") == tmp_path / "none"
    assert bad.read_text() == "not a database"


def test_every_side_dock_opened_shares_the_right_edge_as_tabs_and_never_grows_the_window(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QDockWidget

    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.height() == 900)
    for action in ("review_mode", "guidelines", "claims_dock", "suggestion_queue"):
        window.actions[action].setChecked(True)
        QApplication.processEvents()
    window.review.open_compare()
    QApplication.processEvents()
    side = [d for d in window.findChildren(QDockWidget)
            if d.isVisible() and window.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
    assert len(side) == 5
    assert all(window.tabifiedDockWidgets(d) for d in side)   # one tab set, not five docks stacked
    assert (window.width(), window.height()) == (1400, 900)


def test_after_an_import_the_status_bar_says_what_came_in(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QA: after an import the status bar said "Opened …" (the panes shown again), not what was imported."""
    good = tmp_path / "good.jsonl"
    good.write_text('{"text": "Ankara denied the report.", "spans": [{"start": 0, "end": 6, "label": "claim"}]}\n'
                    '{"text": "Moscow said nothing.", "title": "Moscow"}\n{"text": broken\n', encoding="utf-8")
    window.files.show_reports = False
    window.panes.set_current(window.panes.panes[0])
    job = window.files.import_paths([good])
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    QApplication.processEvents()
    said = window.statusBar().currentMessage()
    assert said == "1 file read: 2 articles added, 1 span added, 1 rejected", said   # the command line's words
    assert window.panes.current is window.panes.panes[0]   # the panes shown again, the active one still active


def test_the_import_report_names_the_windows_way_not_a_command_line_flag(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, tmp_path: Path) -> None:
    """QA4-14: "--create-labels adds it" and "give --encoding" in the window, where there are no flags."""
    rumour = tmp_path / "rumour.jsonl"
    rumour.write_text('{"text": "Ankara wants its money back.", "spans": [{"start": 0, "end": 6,'
                      ' "label": "rumour"}]}\n', encoding="utf-8")
    odd = tmp_path / "odd.txt"
    odd.write_bytes("Déjà vu, said the minister: ".encode() + b"caf\xe9 cr\xe8me.")   # UTF-8 but for two bytes
    job = window.files.import_paths([rumour, odd])
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportReportDialog) and w.isVisible())
    reasons = [dialog.rejected.item(r, 1).text() for r in range(dialog.rejected.rowCount())]
    assert any("unknown label 'rumour'" in r and "Edit > Labels… adds it, then import again" in r for r in reasons)
    assert any("choose an encoding under “Read the files as” below to read all of it one way" in r
               for r in reasons)
    assert not any("--" in r for r in reasons), reasons
    assert dialog.findChild(QComboBox, "importEncoding") is not None   # the box those words point to
    dialog.close()


def test_a_file_refused_for_its_encoding_imports_again_as_the_encoding_chosen(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, db_path: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_bytes("Déjà vu, said the minister: ".encode() + b"caf\xe9 cr\xe8me.")   # UTF-8 but for two bytes
    job = window.files.import_paths([odd])
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    assert job.result.articles_added == 0
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportReportDialog) and w.isVisible())
    choice = dialog.findChild(QComboBox, "importEncoding")
    choice.setEditText("no-such-codec")
    dialog.findChild(QPushButton, "importAgain").click()
    assert "unknown encoding 'no-such-codec'" in dialog.findChild(QLabel, "encodingProblem").text()
    choice.setEditText("latin-1")
    dialog.findChild(QPushButton, "importAgain").click()
    qtbot.waitUntil(lambda: rows(db_path, "SELECT count(*) FROM articles") == [(6,)], timeout=10_000)
    [(text,)] = rows(db_path, "SELECT text FROM articles WHERE text LIKE '%said the minister: caf%'")
    assert text == "Déjà vu, said the minister: ".encode().decode("latin-1") + "café crème."   # all as latin-1
    qtbot.waitUntil(lambda: "Read as iso8859-1" in window.statusBar().currentMessage(), timeout=10_000)
    assert "still there: delete it with Edit > Delete Article" in window.statusBar().currentMessage()
