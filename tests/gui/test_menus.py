"""The window's menus: one access key (&-letter) per item of a menu, and what File > Import reads, from the registry."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu

from annotator.core import formats
from annotator.core.store import Store
from annotator.gui.file_ops import import_filter
from annotator.gui.main_window import MainWindow

from .helpers import click_text


def access_key(text: str) -> str | None:
    """The letter after a single "&" (Alt+letter chooses the item); "&&" is a shown "&"."""
    found = re.search(r"&(.)", text.split("\t")[0].replace("&&", ""))
    return found.group(1).casefold() if found else None


def duplicates(title: str, actions: list[QAction]) -> list[str]:
    """Access keys two items of one menu share, in this menu and in every submenu."""
    found: list[str] = []
    by_key: dict[str, list[str]] = {}
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        key = access_key(action.text())
        if key is not None:
            by_key.setdefault(key, []).append(action.text().split("\t")[0])
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            submenu.aboutToShow.emit()   # the menus filled as they open (who is shown, the labels)
            found += duplicates(f"{title} > {action.text()}", submenu.actions())
    found += [f"{title}: {key!r} in {texts}" for key, texts in by_key.items() if len(texts) > 1]
    return found


@pytest.fixture
def ampersands(db_path: Path) -> Path:
    """A label and an annotator whose names hold "&": shown, never taken for an access key."""
    with Store.open(db_path) as store:
        store.add_label("R&D", "#8844aa", actor="lead")
        store.add_annotation(store.article_ids()[0], 0, 7, "R&D", annotator="Q&A desk")
    return db_path


def test_no_two_items_of_a_menu_share_an_access_key(qtbot, make_window, ampersands: Path) -> None:  # type: ignore[no-untyped-def]
    """QA: Alt+E, N went to Edit Note or to Find Next; View had three items on A and two on R, C and G."""
    window: MainWindow = make_window(ampersands)
    found = duplicates("menu bar", window.menuBar().actions())
    # the right-click menu of a pane, over a selected span: it borrows items of the Edit menu
    pane = window.panes.panes[0]
    window.open_article(window.session.store.article_ids()[0], pane)
    click_text(qtbot, pane, pane.view.text[:7], inside=2)
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(2)
    at = pane.view.cursorRect(cursor).center()
    QApplication.sendEvent(pane.view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at,
                                                                   pane.view.viewport().mapToGlobal(at)))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    found += duplicates("a pane's right-click menu", menu.actions())
    menu.close()
    assert found == []
    # a name's "&" is shown as it is, not made an access key
    tag = next(a for a in window.tag_menu.actions() if "R&&D" in a.text())
    assert access_key(tag.text()) is None
    window.annotators_menu.aboutToShow.emit()
    assert any(a.text() == "Q&&A desk" for a in window.annotators_menu.actions())


def test_file_import_names_every_format_the_registry_reads(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: the import's tip listed five formats by hand; the importer reads thirteen, and a new one went unnamed."""
    fancy = replace(formats.get("text"), name="fancy", description="a fancy new format", extensions=(".fancy",))
    monkeypatch.setitem(formats.FORMATS, "fancy", fancy)
    file_menu = window.menus["File"]
    file_menu.popup(window.mapToGlobal(QPoint(10, 10)))
    QApplication.processEvents()
    tip = window.actions["import_files"].statusTip()
    file_menu.close()
    for fmt in formats.import_formats():
        assert fmt.name in tip and all(ext in tip for ext in fmt.extensions), (fmt.name, tip)
    assert ".fancy" in tip and ".html" in tip and ".ann" in tip
    assert window.actions["import_folder"].statusTip() == tip
    # the file dialog offers each format on its own too
    assert "fancy — a fancy new format (*.fancy)" in import_filter().split(";;")
