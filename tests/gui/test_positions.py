"""Code points <-> Qt positions, checked against Qt's own document (not against our arithmetic)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.core.text import normalise
from annotator.gui.positions import PositionMap

PIECES = ["a", "b", " ", "\n", "\r\n", "😀", "🇹🇷", "👩\u200d💻", "e\u0301", "שלום", "مرحبا", "𝔘", "\t"]


def _qt_slice(doc: QTextDocument, start: int, end: int) -> str:
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")  # Qt's block separator


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25), st.data())
def test_positions_agree_with_qt(pieces: list[str], data: st.DataObject) -> None:
    text = normalise("".join(pieces)).text  # stored text is LF-only, as after import
    doc = QTextDocument()
    doc.setPlainText(text)
    positions = PositionMap(text)
    assert doc.characterCount() - 1 == positions.qt_length
    for cp in range(len(text) + 1):
        assert positions.from_qt(positions.to_qt(cp)) == cp
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _qt_slice(doc, *positions.span_to_qt(start, end)) == text[start:end]


def test_selection_from_qt_orders_and_snaps_inside_pairs() -> None:
    text = "a😀b"
    positions = PositionMap(text)
    assert positions.selection_from_qt(4, 0) == (0, 3)
    assert positions.from_qt(2) == 1  # between the halves of the emoji: its start




def test_each_paragraph_starts_at_its_own_edge_and_lines_break_between_words(qtbot) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.article_view import ArticleView
    from annotator.gui.highlighter import NoSpans
    from annotator.gui.label_style import LabelStyles

    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(420, 400)
    view.show()
    text = ("An English paragraph, long enough to wrap onto a second line in this narrow pane.\n"
            "قال المتحدث باسم الكرملين إن الموضوع لم يكن على جدول الأعمال، وأضاف أن الرئيس لم يناقش المسألة\n"
            "Kremlin Kremlin Kremlin Kremlin Kremlin Kremlin Kremlin Kremlin Kremlin")
    view.set_article(text, NoSpans(), LabelStyles([]))
    qtbot.waitExposed(view)
    doc, width = view.document(), view.viewport().width()
    english, arabic, words = (doc.findBlockByNumber(n).layout() for n in range(3))
    # where each paragraph's first character sits: the left edge, the right edge
    assert english.lineAt(0).cursorToX(0)[0] < width * 0.2
    last = arabic.lineAt(arabic.lineCount() - 1)
    assert last.cursorToX(last.textStart())[0] > width * 0.7
    # no line starts or ends inside "Kremlin"
    block = doc.findBlockByNumber(2).text()
    for i in range(words.lineCount()):
        line = words.lineAt(i)
        assert line.textStart() == 0 or block[line.textStart() - 1] == " "
