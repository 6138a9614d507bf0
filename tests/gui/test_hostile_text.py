"""Data never steers how the window draws a line: bidi overrides, isolates, invisible and control characters in
titles, sources, labels, annotator names, notes, claims and file names are shown escaped, in every single-line
place the window shows them; the article's text in the panes stays exactly as stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from annotator.core.store import Store
from annotator.core.suggestions import Candidate
from annotator.core.terminal import printable
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.main_window import MainWindow
from annotator.gui.review_dialogs import AgreementDialog

from .helpers import click_text, press

RLO, PDF, RLI, PDI, ZWSP = "\u202e", "\u202c", "\u2067", "\u2069", "\u200b"
TEXT = f"Kremlin {RLO}denied{PDF} the report on Thursday. Ankara said nothing more."
TITLE = f"Report on {RLO}gnp.exe{PDF} S-400{ZWSP}"          # reads "Report on exe.png S-400" when obeyed
SOURCE = f"Wire{RLI}{RLO} reversed{PDI}\x1b[2J"
LABEL = f"de{RLO}nial{ZWSP}"
ANNOTATOR = f"an{RLO}a"
NOTE = f"note {RLO}with\x07 a bell"
CLAIM = f"Turkey {RLO}wants{PDF} its money back"
ORIGIN = f"evil{RLO}txt.exe"
SOURCE_OF_SUGGESTIONS = f"import:ev{RLO}il.jsonl"

# What the window may not show raw in a line: what the command line escapes (line breaks are the layout's own).
RAW = {chr(c) for c in range(0x10000) if printable(chr(c)) != chr(c)} - {"\n"}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / f"wo{RLO}rk.db"
    with Store.open(path) as store:
        article, _ = store.add_article(TEXT, title=TITLE, source=SOURCE, origin=ORIGIN, actor="ana")
        store.add_article("Ankara denied it again.", title="Second", actor="ana")
        start = TEXT.index("Kremlin")
        span = store.add_annotation(article.id, start, start + len("Kremlin"), "denial", annotator="ana", note=NOTE)
        store.add_annotation(article.id, 0, len("Kremlin"), "claim", annotator="bo")
        claim = store.create_claim("placeholder", actor="ana").claim_uid
        store.link_spans([span.uid], actor="ana", claim_uid=claim)
        sentence = TEXT.index(".") + 1   # suggested over the span: the right-click menu offers both
        store.put_suggestions(SOURCE_OF_SUGGESTIONS, {article.id: [Candidate(0, sentence, "background", 0.7)]},
                              actor="ana")
    # A database from before names were checked (or edited by hand, or merged from one) may hold anything.
    conn = sqlite3.connect(path)
    conn.execute("UPDATE labels SET name = ? WHERE name = 'denial'", (LABEL,))
    conn.execute("UPDATE annotations SET annotator = ? WHERE annotator = 'ana'", (ANNOTATOR,))
    conn.execute("UPDATE claims SET summary = ?, claimant = ?", (CLAIM, SOURCE))
    conn.commit()
    conn.close()
    return path


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:   # a list model's columnCount is private to C++: one column
        return 1


def _model_texts(model: QAbstractItemModel, parent: QModelIndex = QModelIndex(), depth: int = 0) -> Iterator[str]:  # noqa: B008
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    if depth == 0:
        for orientation, n in ((Qt.Orientation.Horizontal, _columns(model, parent)),
                               (Qt.Orientation.Vertical, model.rowCount(parent))):
            for section in range(min(n, 60)):
                for role in roles:
                    yield str(model.headerData(section, orientation, role) or "")
    for row in range(min(model.rowCount(parent), 60)):
        for column in range(_columns(model, parent)):
            index = model.index(row, column, parent)
            for role in roles:
                yield str(model.data(index, role) or "")
        if depth < 2:
            yield from _model_texts(model, model.index(row, 0, parent), depth + 1)


def _texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """Every line of text ``widget`` shows or offers (tooltips too), with where it is."""
    name = f"{type(widget).__name__} {widget.objectName()!r}"
    yield f"{name} title", widget.windowTitle()
    yield f"{name} tooltip", widget.toolTip()
    yield f"{name} status tip", widget.statusTip()
    if isinstance(widget, QLabel):
        yield f"{name} text", widget.text()
    if isinstance(widget, QAbstractButton):
        yield f"{name} text", widget.text()
    if isinstance(widget, QGroupBox):
        yield f"{name} title", widget.title()
    if isinstance(widget, QComboBox):
        for i in range(widget.count()):
            yield f"{name} item {i}", widget.itemText(i)
            yield f"{name} item {i} tooltip", str(widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
    if isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield f"{name} tab {i}", widget.tabText(i) + widget.tabToolTip(i)
    if isinstance(widget, QMenu):
        yield f"{name} menu title", widget.title()
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        for text in _model_texts(widget.model()):
            yield f"{name} model", text
    for action in QWidget.actions(widget):
        # A tab in a menu item's text is Qt's: what follows it is the item's key (Actions.fill_menus)
        shown = (action.text() + action.toolTip() + action.statusTip() + action.iconText()).replace("\t", " ")
        yield f"{name} action", shown


def leaks() -> list[str]:
    """Where a raw control, bidi or invisible character is shown, in every widget of the application.

    Editors are left out (an edit starts from the text as stored), and so are the articles' texts.
    """
    found = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
            continue
        for where, text in _texts(widget):
            raw = sorted({f"U+{ord(ch):04X}" for ch in text if ch in RAW})
            if raw:
                found.append(f"{where}: {', '.join(raw)} in {text!r}")
    return sorted(set(found))


def test_hostile_names_are_shown_escaped_everywhere_and_the_text_as_stored(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                          hostile: Path) -> None:
    window: MainWindow = make_window(hostile, annotator="rita")
    pane = window.panes.panes[0]
    window.open_article(1, pane)
    assert pane.view.toPlainText() == TEXT     # the article, exactly as stored
    click_text(qtbot, pane, "Kremlin", inside=2)   # a span selected: the status bar names its label, annotator, note
    said = window.statusBar().currentMessage()
    assert printable(ANNOTATOR) in said and printable(NOTE) in said and printable(LABEL) in said
    window.annotators_menu.aboutToShow.emit()
    for action in ("review_mode", "claims_dock", "suggestion_queue", "guidelines", "compare"):
        window.actions[action].trigger()
    window.claims.dock.tree.expandAll()
    window.claims.show_matrix()
    view = pane.view   # the right-click menu over the span and the suggestion
    cursor = QTextCursor(view.document())
    cursor.setPosition(2)
    at = view.cursorRect(cursor).center()
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at,
                                                              view.viewport().mapToGlobal(at)))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert any(printable(LABEL) in a.text() for a in menu.actions())
    assert any(a.text().startswith("Accept the Suggested background") for a in menu.actions())
    found = leaks()
    QApplication.activePopupWidget().close()
    assert found == [], "\n".join(found)
    # the data is there, escaped, not dropped
    assert any(printable(TITLE) in t for _w, t in _texts(window.article_list.table))
    assert window.windowTitle() == f"{printable(hostile.name)} — annotator"


def test_hostile_names_are_shown_escaped_in_the_dialogs(qtbot, make_window, hostile: Path,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    window: MainWindow = make_window(hostile, annotator="rita")
    pane = window.panes.panes[0]
    window.open_article(1, pane)
    click_text(qtbot, pane, "Kremlin", inside=2)
    press(qtbot, pane, Qt.Key.Key_H)                  # the span's history
    window.actions["agreement"].trigger()
    window.actions["edit_labels"].trigger()
    window.actions["article_details"].trigger()
    window.article_ops.confirm_delete(1)
    export = ExportDialog(window.session.store, [1], tmp_path, window)
    qtbot.addWidget(export)
    export.show()
    agreement = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AgreementDialog))
    with qtbot.waitSignal(agreement.compute().finished, timeout=10_000):
        pass
    bad = tmp_path / f"rep{RLO}lnosj.txt"   # a file name: "repjsonl.txt" when obeyed
    bad.write_bytes(b"\x00\x01binary")
    job = window.files.import_paths([bad])
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    not_a_database = tmp_path / f"team{RLO}bd.txt"
    not_a_database.write_text("not a database")
    assert not window.switch_database(not_a_database)
    found = leaks()
    assert found == [], "\n".join(found)
