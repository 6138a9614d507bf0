"""Find in the article: a bar above a pane's text; every match is marked, Enter and F3 step through them.

Folding is the article list's (``core.find``): any case, with or without
accents. The match in focus is the pane's text selection, so Esc (back to the
text) and a label key tag it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ..core.find import FoldedText
from .article_view import ArticleView

LONG_TEXT = 200_000   # characters past which the search waits for a pause in typing


class _FindField(QLineEdit):
    """Keeps the keys it needs: typing "1" here types a 1, it does not tag (label keys are pane shortcuts),
    and Tab moves on from the field rather than selecting the next span."""

    escaped = Signal()
    stepped = Signal(int)   # +1 next, -1 previous

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            typed = event.text()
            plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab,
                               Qt.Key.Key_Backtab) or (
                    plain and typed and typed.isprintable()):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.stepped.emit(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """The find bar of one pane.

    What it shows as the current match and what a label key would tag are one
    thing: the current match, widened as tagging widens a selection
    (``extent``), is the text selection, and a bar with no current match
    ("No match", another article, the user selecting elsewhere) leaves no
    selection of its own behind.
    """

    message = Signal(str)

    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self._folded: FoldedText | None = None
        # What a label key tags of a match: the pane area sets tagging's rule (whole words, no spaces).
        self.extent: Callable[[str, int, int], tuple[int, int]] = lambda _text, start, end: (start, end)
        self._made: tuple[int, int] | None = None   # the text selection this bar made for the current match
        self.field = _FindField()
        self.field.setObjectName("findText")
        self.field.setPlaceholderText("Find in this article…")
        self.field.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("findCount")
        previous = self._button("▲", "Previous match (Shift+F3, Shift+Enter)", lambda: self.step(-1))
        following = self._button("▼", "Next match (F3, Enter)", lambda: self.step(1))
        close = self._button("✕", "Close (Esc): the match stays selected for a label key", self.close_bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 6, 4)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        for button in (previous, following, close):
            row.addWidget(button)
        # In a long article each keystroke's search waits for a pause in typing, so the
        # letters typed show at once (a 5 MB text: tens of ms per search).
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(150)
        self._typing.timeout.connect(self._search)
        self.field.textChanged.connect(self._typed)
        self.field.escaped.connect(self.close_bar)
        self.field.stepped.connect(self.step)
        view.articleShown.connect(self._article_shown)
        view.selectionChanged.connect(self._selection_moved)
        self.hide()

    @staticmethod
    def _button(text: str, tip: str, slot) -> QToolButton:  # type: ignore[no-untyped-def]
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.clicked.connect(slot)
        return b

    def open_bar(self) -> None:
        self.show()
        # a selection becomes the needle, as in a browser
        selected = self.view.selection()
        if selected is not None and selected[1] - selected[0] <= 80:
            self.field.setText(self.view.text[selected[0]:selected[1]])
        self.field.setFocus()
        self.field.selectAll()
        if self.field.text().strip():
            self._search()

    def close_bar(self) -> None:
        self.hide()
        # The current match stays selected (a label key tags it); with none, nothing of the bar's is selected.
        self.view.set_found([], None)
        self.view.setFocus()

    def _typed(self) -> None:
        if len(self.view.text) > LONG_TEXT:
            self._typing.start()
        else:
            self._search()

    def _article_shown(self) -> None:
        """Another article (or the same one again) in the pane: the old matches and selection went with the
        old text; an open bar counts the needle in the new one, with no match chosen until Enter or F3."""
        self._folded = None
        self._made = None
        if self.isVisible() and self.field.text().strip():
            self._show(self._matches(), None)

    def _selection_moved(self) -> None:
        """The user selected something else: the bar no longer has a current match (a key tags the selection)."""
        if self.view.current_found is not None and self.view.selection() != self._made:
            self._made = None
            self.view.set_found(self.view.found, None)
            self._say()

    def _search(self) -> None:
        """The needle changed: the match at or after where the reader is becomes current (and selected)."""
        found = self._matches()
        if not found:
            self._show([], None, drop_selection=True)
            return
        # from the reader's place: the selection (typing on refines the match in focus), else the top line
        selected = self.view.selection()
        at = selected[0] if selected is not None else self.view.visible_range()[0]
        self._show(found, next((i for i, (start, _end) in enumerate(found) if start >= at), 0))

    def step(self, delta: int) -> None:
        """The next (+1) or previous (-1) match, wrapping around.

        With the bar closed (Esc), F3 goes on from the text selection with the
        last needle, and the focus stays in the text for a label key.
        """
        found = self.view.found
        if not found:
            if not self.field.text().strip():
                self.open_bar()
                return
            found = self._matches()
            if not found:
                self._show([], None, drop_selection=True)
                self.message.emit(f"“{self.field.text()}” is not in this article.")
                return
        n = len(found)
        current = self.view.current_found
        if current is None:
            # from where the reader is: after (or before) the text cursor
            at = self.view.selection() or (self.view.cursor_offset(),) * 2
            if delta > 0:
                current = next((i for i, (start, _e) in enumerate(found) if start >= at[1]), 0)
            else:
                current = next((i for i in range(n - 1, -1, -1) if found[i][1] <= at[0]), n - 1)
        else:
            current = (current + delta) % n
            if n > 1 and current == (0 if delta > 0 else n - 1):
                self.message.emit("Search wrapped around the article.")
        self._show(found, current)

    def _show(self, found: list[tuple[int, int]], current: int | None, *, drop_selection: bool = False) -> None:
        """Mark ``found``; the ``current`` one becomes the text selection, as a label key would tag it.

        Without a current match the selection this bar made goes (any selection
        with ``drop_selection``: "No match" leaves nothing a key could tag).
        """
        view = self.view
        selected = view.selection()
        view.set_found(found, current)
        if current is not None:
            start, end = self.extent(view.text, *found[current])
            if start >= end:   # a match of spaces only: selected as found, and tagging says why it will not tag
                start, end = found[current]
            self._made = (start, end)
            view.select_range(start, end)
            view.centerCursor()
        else:
            if selected is not None and (drop_selection or selected == self._made):
                view.clear_text_selection()
            self._made = None
        self._say()

    def _matches(self) -> list[tuple[int, int]]:
        if self._folded is None or self._folded.text is not self.view.text:
            self._folded = FoldedText(self.view.text)
        needle = self.field.text()
        return self._folded.find_all(needle) if needle.strip() else []

    def _say(self) -> None:
        n = len(self.view.found)
        current = self.view.current_found
        if not n:
            self.count.setText("No match" if self.field.text().strip() else "")
            return
        more = "+" if n >= 100_000 else ""
        self.count.setText(f"{current + 1} of {n}{more}" if current is not None
                           else f"{n}{more} match{'' if n == 1 else 'es'}")


__all__ = ["FindBar"]
