"""Find in the article (Ctrl+F), driven from the keyboard: every match marked, F3 steps, a label key tags."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.main_window import MainWindow

from .helpers import rows


def key(qtbot, widget, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, k, modifier)
    QApplication.processEvents()


def test_find_marks_every_match_and_a_label_key_tags_the_current_one(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                     db_path: Path) -> None:
    pane = window.panes.current
    assert pane is not None and pane.article is not None
    text = pane.view.text
    pane.view.setFocus()
    key(qtbot, pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = pane.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    # typed without the accent and in lower case; "1" is typed into the field, not taken as the claim key
    qtbot.keyClicks(bar.field, "turkiye")
    QApplication.processEvents()
    expected = [i for i in range(len(text)) if text[i:i + 7].casefold().replace("ü", "u") == "turkiye"]
    assert [s for s, _e in pane.view.found] == expected and len(expected) >= 2
    assert all(text[s:e] in ("Türkiye", "TÜRKIYE", "Turkiye") for s, e in pane.view.found)
    assert bar.count.text() == f"1 of {len(expected)}"
    key(qtbot, bar.field, Qt.Key.Key_Return)
    assert bar.count.text() == f"2 of {len(expected)}"
    key(qtbot, bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == f"1 of {len(expected)}"
    start, end = pane.view.found[0]
    assert pane.view.selection() == (start, end)
    # Esc: back in the text with the match still selected; 1 tags it as a claim
    key(qtbot, bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and pane.view.hasFocus()
    key(qtbot, pane.view, Qt.Key.Key_1)
    assert rows(db_path, 'SELECT start, "end", text FROM annotations') == [(start, end, text[start:end])]
    # F3 from the text goes on to the next match without the bar
    key(qtbot, pane.view, Qt.Key.Key_F3)
    assert pane.view.selection() == pane.view.found[1]
    key(qtbot, pane.view, Qt.Key.Key_2)
    s2, e2 = pane.view.found[1]
    assert (s2, e2, "denial") in rows(db_path, 'SELECT n.start, n."end", l.name FROM annotations n'
                                                 " JOIN labels l ON l.id = n.label_id")


def test_typing_a_digit_in_the_find_field_never_tags(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.current
    assert pane is not None
    pane.view.setFocus()
    key(qtbot, pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(pane.find_bar.field, "S-400")
    QApplication.processEvents()
    assert pane.find_bar.field.text() == "S-400"
    assert pane.view.found
    qtbot.keyClicks(pane.find_bar.field, "zzz")
    QApplication.processEvents()
    assert pane.find_bar.count.text() == "No match" and pane.view.found == []
    assert rows(db_path, "SELECT count(*) FROM annotations") == [(0,)]


def test_ctrl_shift_f_searches_the_article_list(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.panes.current
    assert pane is not None
    pane.view.setFocus()
    key(qtbot, pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.article_list.search.hasFocus()
    assert not pane.find_bar.isVisible()


def _open_containing(window: MainWindow, needle: str):  # type: ignore[no-untyped-def]
    store = window.session.store
    article_id = next(a.id for a in store.first_articles(8) if needle in store.article_text(a.id))
    pane = window.open_article(article_id)
    assert pane is not None
    pane.view.setFocus()
    QApplication.processEvents()
    return pane


def _open_find(qtbot, pane):  # type: ignore[no-untyped-def]
    key(qtbot, pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.find_bar.isVisible() and pane.find_bar.field.hasFocus()
    return pane.find_bar


def _typed(qtbot, bar, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:   # one key at a time, as a user types: every prefix is searched
        qtbot.keyClicks(bar.field, ch)
        QApplication.processEvents()


def test_no_match_leaves_nothing_for_a_label_key(qtbot, window: MainWindow, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """QA: "Washington" matched while typing stayed selected after "No match", and Esc, 3 tagged it."""
    pane = _open_containing(window, "Washington excluded")
    bar = _open_find(qtbot, pane)
    _typed(qtbot, bar, "Washington")
    assert bar.count.text().startswith("1 of") and pane.view.selection() is not None
    _typed(qtbot, bar, " pressure")
    assert bar.count.text() == "No match"
    assert pane.view.selection() is None and pane.view.current_found is None
    key(qtbot, bar.field, Qt.Key.Key_Return)            # Enter with no match: still nothing
    assert pane.view.selection() is None and bar.count.text() == "No match"
    key(qtbot, bar.field, Qt.Key.Key_F3)                # F3 likewise
    assert pane.view.selection() is None
    key(qtbot, bar.field, Qt.Key.Key_Escape)            # closing the bar
    assert not bar.isVisible() and pane.view.hasFocus() and pane.view.selection() is None
    key(qtbot, pane.view, Qt.Key.Key_3)
    key(qtbot, pane.view, Qt.Key.Key_F3)                # F3 with the bar closed and no match
    key(qtbot, pane.view, Qt.Key.Key_1)
    assert rows(db_path, "SELECT count(*) FROM annotations") == [(0,)]
    # deleting back to a match makes it current again: exactly it is selected, and tagged
    bar = _open_find(qtbot, pane)
    assert bar.count.text() == "No match" and pane.view.selection() is None
    key(qtbot, bar.field, Qt.Key.Key_End)
    for _ in " pressure":
        key(qtbot, bar.field, Qt.Key.Key_Backspace)
    assert bar.field.text() == "Washington" and bar.count.text().startswith("1 of")
    start, end = pane.view.found[pane.view.current_found]
    assert pane.view.selection() == (start, end) and pane.view.text[start:end] == "Washington"
    key(qtbot, bar.field, Qt.Key.Key_Escape)
    key(qtbot, pane.view, Qt.Key.Key_3)
    assert rows(db_path, 'SELECT start, "end", text FROM annotations') == [(start, end, "Washington")]


def test_the_selection_is_what_a_key_tags_even_for_part_of_a_word(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                  db_path: Path) -> None:
    """A match inside a word: the selection widens to the word a label key tags (snapping), as a mouse
    selection does; the bar's current match stays current."""
    pane = _open_containing(window, "Washington excluded")
    bar = _open_find(qtbot, pane)
    _typed(qtbot, bar, "ashingto")
    start, end = pane.view.found[pane.view.current_found]
    selected = pane.view.selection()
    assert selected == (start - 1, end + 1) and pane.view.text[selected[0]:selected[1]] == "Washington"
    assert bar.count.text().startswith("1 of")
    key(qtbot, bar.field, Qt.Key.Key_Escape)
    key(qtbot, pane.view, Qt.Key.Key_2)
    assert rows(db_path, "SELECT text FROM annotations") == [("Washington",)]


def test_selecting_elsewhere_ends_the_current_match(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = _open_containing(window, "Washington excluded")
    bar = _open_find(qtbot, pane)
    _typed(qtbot, bar, "Russia")
    n = len(pane.view.found)
    assert n >= 2 and bar.count.text() == f"1 of {n}"
    pane.view.select_range(0, 7)      # the user selects other words (mouse or Shift+arrows)
    QApplication.processEvents()
    assert pane.view.current_found is None and bar.count.text() == f"{n} matches"
    key(qtbot, bar.field, Qt.Key.Key_Return)   # Enter goes on from the user's selection
    assert pane.view.current_found is not None
    assert pane.view.selection() == pane.view.found[pane.view.current_found]


def test_another_article_in_the_pane_takes_the_old_match_away(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                             db_path: Path) -> None:
    pane = _open_containing(window, "Washington excluded")
    bar = _open_find(qtbot, pane)
    _typed(qtbot, bar, "Washington excluded")
    assert pane.view.selection() is not None
    store = window.session.store
    other = next(a.id for a in store.first_articles(8) if "Washington excluded" not in store.article_text(a.id))
    window.open_article(other, pane)
    QApplication.processEvents()
    # the bar counts the needle in the new article, with nothing current and nothing selected
    assert bar.count.text() == "No match" and pane.view.found == [] and pane.view.selection() is None
    key(qtbot, bar.field, Qt.Key.Key_Escape)
    key(qtbot, pane.view, Qt.Key.Key_3)
    assert rows(db_path, "SELECT count(*) FROM annotations") == [(0,)]
    # back to an article with matches: they are counted, none is chosen until Enter
    again = next(a.id for a in store.first_articles(8) if "Washington excluded" in store.article_text(a.id))
    bar.open_bar()
    window.open_article(again, pane)
    QApplication.processEvents()
    n = len(pane.view.found)
    assert n >= 1 and pane.view.current_found is None and pane.view.selection() is None
    assert bar.count.text() == f"{n} match" + ("es" if n > 1 else "")
    key(qtbot, bar.field, Qt.Key.Key_Return)
    assert pane.view.selection() == pane.view.found[pane.view.current_found]


def test_find_in_one_long_paragraph_draws_only_the_matches_on_screen(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.store import Store
    from annotator.gui import article_view

    db = tmp_path / "long.db"
    with Store.open(db) as store:   # 20,000 words pasted without a line break: one block
        store.add_article("Title line\n" + " ".join(["Moscow said russia would"] * 5000), title="t", actor="t")
    window = make_window(db)
    pane = window.panes.panes[0]
    window.open_article(1, pane)
    pane.view.setFocus()
    key(qtbot, pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(pane.find_bar.field, "russia")
    qtbot.waitUntil(lambda: pane.find_bar.count.text().endswith("of 5000"), timeout=5000)
    drawn: list[tuple[int, int]] = []
    real = article_view.ArticleView._range_rects

    def counting(view, start: int, end: int):  # type: ignore[no-untyped-def]
        drawn.append((start, end))
        return real(view, start, end)

    article_view.ArticleView._range_rects = counting  # type: ignore[method-assign]
    try:
        pane.view.viewport().grab()   # paints it, as the screen would
    finally:
        article_view.ArticleView._range_rects = real  # type: ignore[method-assign]
    lo, hi = pane.view.visible_range()
    on_screen = [m for m in pane.view.found if m[1] > lo and m[0] < hi]
    assert 0 < len(on_screen) < 200
    assert set(on_screen) <= set(drawn) and len(drawn) <= len(on_screen) + 2   # not the 5,000 of the paragraph
