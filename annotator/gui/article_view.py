"""The read-only text of one article, with its spans drawn on it."""

from __future__ import annotations

import re
from bisect import bisect_left

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDropEvent,
    QFocusEvent,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from ..core.spans import excerpt, innermost_first, next_in_cycle
from ..core.store import SpanRow
from ..core.suggestions import Suggestion
from . import theme
from .claim_badges import ClaimGutter
from .ghost_spans import GhostSpans
from .highlighter import NoSpans, SpanHighlighter, SpanSource
from .label_style import LabelStyles
from .positions import PositionMap
from .shown_text import html_line

ARTICLE_MIME = "application/x-annotator-article-id"
# Scripts written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, their
# presentation forms, and the historic ones of the supplementary planes.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


def article_mime(article_id: int) -> QMimeData:
    mime = QMimeData()
    mime.setData(ARTICLE_MIME, str(article_id).encode("ascii"))
    return mime


def article_from_mime(mime: QMimeData) -> int | None:
    if not mime.hasFormat(ARTICLE_MIME):
        return None
    try:
        return int(bytes(mime.data(ARTICLE_MIME).data()).decode("ascii"))
    except ValueError:
        return None


class ArticleView(QPlainTextEdit):
    """Shows one article; selection and clicks are reported in code points."""

    spanClicked = Signal(str)          # uid, or "" when a click hit no span
    focused = Signal()
    focusLeft = Signal()
    articleDropped = Signal(int)
    contextMenuWanted = Signal(QPoint, list)  # global position, spans under the pointer
    textSelected = Signal()                   # a mouse selection was let go
    dragHover = Signal(bool)                  # an article is being dragged over (True) or left/dropped
    articleShown = Signal()                   # set_article: another text (or none); marks of the old one are gone

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A viewport made here rather than Qt's own: the first time Python is handed a
        # QWidget that Qt created, shiboken builds every QWidget subclass (and their
        # enums) to find its type, 9 ms of start-up. Ours already has a Python wrapper.
        viewport = QWidget(self)
        viewport.setObjectName("qt_scrollarea_viewport")  # the name Qt gives its own
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        viewport.setCursor(Qt.CursorShape.IBeamCursor)
        # QPlainTextEdit gives its document layout the viewport it made first, and
        # setViewport (which deletes that one) does not update it: point it at ours first,
        # or the layout measures fonts on a deleted widget.
        self.document().documentLayout().setPaintDevice(viewport)
        self.setViewport(viewport)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Lines break between words only ("Kre / mlin" in a narrow pane reads as two words).
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        # Each paragraph runs in its own direction (see _align_for).
        option = self.document().defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        self.document().setDefaultTextOption(option)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.document().setDocumentMargin(18)
        self.text = ""
        self.article_id: int | None = None   # whose text this is: only that article's spans are drawn on it
        self.positions = PositionMap("")
        self.spans: SpanSource = NoSpans()
        self.styles = LabelStyles([])
        self.highlighter = SpanHighlighter(self, self.spans, self.styles)
        self.selected_uid: str | None = None
        self._selected: SpanRow | None = None
        # Ranges to flag in the margin (a comparison's disagreements), and the one in focus.
        self.marks: list[tuple[int, int]] = []
        self.current_mark: tuple[int, int] | None = None
        self._press: QPoint | None = None
        # Find in the article: every match (code points, text order) and the one in focus.
        self.found: list[tuple[int, int]] = []
        self.current_found: int | None = None
        self.updateRequest.connect(lambda _rect, _dy: self.highlighter.format_visible())
        # Linked spans' claim badges, in a margin of their own, and the claim chosen in the dock.
        self.claim_gutter = ClaimGutter(self)
        self.updateRequest.connect(lambda _rect, _dy: self.claim_gutter.update())
        # Open suggestions as dashed outlines, and the one selected (gui/ghost_spans.py).
        self.ghosts = GhostSpans(self)

    # --------------------------------------------------------------- content

    def set_article(self, text: str, spans: SpanSource, styles: LabelStyles) -> None:
        """Show ``text``: every mark made on the text shown before (the selected span, find matches, a
        comparison's ranges, a claim's outline, suggestions) goes with it; ``articleShown`` tells the rest."""
        self.selected_uid, self._selected = None, None
        self.found, self.current_found = [], None
        self.marks, self.current_mark = [], None
        # First of all: setPlainText asks for repaints (its scroll back to the top) while the
        # highlighter still holds the old article's spans, and they must not land on this text.
        self.article_id = spans.article_id
        self.text = text
        self.positions = PositionMap(text)
        self.styles = styles
        self.spans = spans
        self._align_for(text)
        self.setPlainText(text)
        self.highlighter.styles = styles
        self.highlighter.reset(spans)
        self.claim_gutter.outline = None
        self.claim_gutter.refresh()
        self.ghosts.set_source(None)
        self._update_selection_mark()
        self.articleShown.emit()

    def _align_for(self, text: str) -> None:
        """An article with right-to-left text: its paragraphs are justified, so each starts at its own edge.

        QPlainTextEdit lays out every block with one text option, and Qt flips only a
        justified alignment for a right-to-left block (QTextEngine::alignLine); a
        left alignment would start an Arabic paragraph at the left edge. Articles
        without right-to-left text keep the ragged right edge, easier on the eye.
        """
        option = self.document().defaultTextOption()
        wanted = Qt.AlignmentFlag.AlignJustify if _RIGHT_TO_LEFT.search(text) else Qt.AlignmentFlag.AlignLeft
        if option.alignment() != wanted:
            option.setAlignment(wanted)
            self.document().setDefaultTextOption(option)

    def clear_article(self) -> None:
        self.set_article("", NoSpans(), self.styles)

    def set_spans(self, spans: SpanSource) -> None:
        """The same text with another view of its spans (say, some annotators hidden)."""
        if spans.article_id != self.article_id:
            raise ValueError(f"spans of article {spans.article_id} for the text of article {self.article_id}")
        self.spans = spans
        self.highlighter.set_source(spans)
        self.claim_gutter.refresh()
        self.select_span(self.selected_uid, scroll=False)

    def set_styles(self, styles: LabelStyles) -> None:
        self.styles = styles
        self.highlighter.set_styles(styles)
        self._update_selection_mark()
        self.viewport().update()

    def span_changed(self, ranges: list[tuple[int, int]], uid: str) -> None:
        """A span covering these code-point ranges (before and after) was added, changed or removed."""
        for start, end in ranges:
            self.highlighter.invalidate(start, end)
        if uid == self.selected_uid:
            self.select_span(uid, scroll=False)
        if self.spans.get(uid) is None:
            self.claim_gutter.refresh()   # a span deleted: its links went with it
        else:
            self.claim_gutter.invalidate()
        for start, end in ranges:
            self.update_range(start, end)

    def update_range(self, start: int, end: int) -> None:
        """Repaint the lines on screen that hold code points ``[start, end)``, the margins included.

        Only these: a tag that repainted the whole pane paid for every visible line's
        text and brackets (about 10 ms of the 25 a tag cost, measured in bench_scale).
        """
        visible = self.visible_blocks()
        doc, offset, width = self.document(), self.contentOffset(), self.viewport().width()
        for n in self.highlighter.blocks_of(start, max(start + 1, end)):
            if n in visible:
                rect = self.blockBoundingGeometry(doc.findBlockByNumber(n)).translated(offset).toAlignedRect()
                self.viewport().update(QRect(0, rect.top() - 3, width, rect.height() + 6))

    def claims_changed(self, span_uids: frozenset[str] = frozenset()) -> None:
        """Claims or links changed: the badges are asked for again; links of this article's spans
        (``span_uids``) may also show or hide the badge margin."""
        if any(self.spans.get(uid) is not None for uid in span_uids):
            self.claim_gutter.refresh()
        else:
            self.claim_gutter.invalidate()

    def top_offset(self) -> int:
        """Where the top visible line starts, in code points: what a restart scrolls back to.

        The start of a line, not whatever the corner touches, so that saving
        and restoring (at any zoom) lands on the same line every time.
        """
        margin = int(self.document().documentMargin())
        cursor = self.cursorForPosition(QPoint(margin + 1, max(1, self.fontMetrics().height() // 2)))
        cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
        return self.positions.from_qt(cursor.position())

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the line holding ``offset`` is the top line."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(min(max(0, offset), len(self.text))))
        bar = self.verticalScrollBar()
        # From the bottom, making the cursor visible scrolls up just until its
        # line is the first one: no arithmetic on line numbers, which
        # QPlainTextEdit only estimates for blocks it has not laid out.
        bar.setValue(bar.maximum())
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.highlighter.format_visible()

    def reading_anchor(self) -> tuple[int, int] | None:
        """What the reader is at, as (code point, its line's top on screen): the selected span's start, else the
        caret, when on screen; else the top line. For ``keep_anchor`` after the text re-wraps."""
        height = self.viewport().height()
        for offset in ((self._selected.start,) if self._selected is not None else ()) + (self.cursor_offset(),):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.positions.to_qt(offset))
            top = self.cursorRect(cursor).top()
            if 0 <= top < height:
                return offset, top
        return (self.top_offset(), 0) if self.text else None

    def keep_anchor(self, anchor: tuple[int, int] | None) -> None:
        """Scroll so that the line holding ``anchor``'s code point is back at its top on screen (to a line)."""
        if anchor is None:
            return
        offset, wanted = anchor
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(offset))
        bar = self.verticalScrollBar()
        line = max(1, self.fontMetrics().lineSpacing())
        # QPlainTextEdit scrolls by lines: step by the lines between where the line is and where it was.
        for _ in range(3):   # lines of other heights (a zoomed pane) may need a second step
            steps = round((self.cursorRect(cursor).top() - wanted) / line)
            target = min(max(bar.value() + steps, bar.minimum()), bar.maximum())
            if target == bar.value():
                break
            bar.setValue(target)
        self.highlighter.format_visible()

    def visible_blocks(self) -> range:
        block = self.firstVisibleBlock()
        if not block.isValid():
            return range(0)
        first = block.blockNumber()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        height = self.viewport().height()
        last = first
        while block.isValid() and top <= height:
            last = block.blockNumber()
            top += self.blockBoundingRect(block).height()
            block = block.next()
        return range(first, last + 1)

    # ------------------------------------------------------------- selection

    def selection(self) -> tuple[int, int] | None:
        """The selected text as a code-point range, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.positions.selection_from_qt(cursor.anchor(), cursor.position())

    def select_range(self, start: int, end: int) -> None:
        """Select ``[start, end)`` given in code points (as a user dragging would)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(start))
        cursor.setPosition(self.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def widen_selection(self, start: int, end: int) -> None:
        """Make the selection ``[start, end)`` in place: its direction and the scroll position stay."""
        current = self.textCursor()
        backward = current.anchor() > current.position()
        first, last = self.positions.to_qt(start), self.positions.to_qt(end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(last if backward else first)
        cursor.setPosition(first if backward else last, QTextCursor.MoveMode.KeepAnchor)
        bar = self.verticalScrollBar()
        top = bar.value()
        self.setTextCursor(cursor)
        bar.setValue(top)  # setTextCursor scrolls to the moving end; the user's view must not jump

    def clear_text_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def cursor_offset(self) -> int:
        return self.positions.from_qt(self.textCursor().position())

    def select_span(self, uid: str | None, *, scroll: bool = True) -> None:
        before = self._selected
        self._selected = self.spans.get(uid) if uid else None
        self.selected_uid = self._selected.uid if self._selected else None
        if self._selected is not None and self.ghosts.selected is not None:
            self.select_suggestion(None)   # one thing selected at a time: the keys act on it
        if scroll and self._selected is not None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.positions.to_qt(self._selected.start))
            self.setTextCursor(cursor)
            self.centerCursor()
            self.viewport().update()
            return
        # the outline moves: repaint where it was and where it is
        for span in (before, self._selected):
            if span is not None:
                self.update_range(span.start, span.end)

    @property
    def selected_span(self) -> SpanRow | None:
        return self._selected

    def center_on(self, offset: int) -> None:
        """Put the caret at ``offset`` (code points) and its line in the middle of the view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(min(max(0, offset), len(self.text))))
        self.setTextCursor(cursor)
        self.centerCursor()

    def select_suggestion(self, suggestion: Suggestion | None, *, scroll: bool = False) -> None:
        """Select a suggestion (the span selection goes); the caret moves to its start, ``scroll`` centres it."""
        self.ghosts.selected = suggestion
        if suggestion is not None:
            if self._selected is not None:
                self.select_span(None, scroll=False)
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.positions.to_qt(suggestion.start))
            bar = self.verticalScrollBar()
            top = bar.value()
            self.setTextCursor(cursor)
            bar.setValue(top)
            lo, hi = self.visible_range()
            if scroll and not (lo <= suggestion.start < hi):
                self.centerCursor()
        self.viewport().update()

    def spans_at_offset(self, offset: int) -> list[SpanRow]:
        """The spans covering a code point, innermost first."""
        return innermost_first(self.spans.in_range(offset, offset + 1))

    def cycle_at_cursor(self) -> str | None:
        """Select the next of the spans under the text cursor."""
        hits = self.spans_at_offset(self.cursor_offset())
        chosen = next_in_cycle(hits, self.selected_uid)
        self.select_span(chosen.uid if chosen else None, scroll=False)
        return self.selected_uid

    def set_marks(self, marks: list[tuple[int, int]], current: tuple[int, int] | None = None) -> None:
        self.marks = list(marks)
        self.current_mark = current
        self._update_selection_mark()
        if current is not None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.positions.to_qt(current[0]))
            self.setTextCursor(cursor)
            self.centerCursor()
        self.viewport().update()

    def set_found(self, found: list[tuple[int, int]], current: int | None = None) -> None:
        """Show find matches (drawn for the visible ones only), ``current`` (an index) drawn stronger.

        The find bar selects the current match itself (gui/find_bar.py): what a label key tags.
        """
        self.found = found
        self.current_found = current if current is not None and 0 <= current < len(found) else None
        self.viewport().update()

    def visible_range(self) -> tuple[int, int]:
        """The code points on screen, ``[start, end)``, from the first line shown to the end of the last.

        Lines, not blocks: a 20,000-word article pasted as one paragraph is one
        block, and everything in it is not on screen.
        """
        viewport = self.viewport()
        top = self.cursorForPosition(QPoint(0, 0))
        top.movePosition(QTextCursor.MoveOperation.StartOfLine)
        bottom = self.cursorForPosition(QPoint(viewport.width() - 1, viewport.height() - 1))
        bottom.movePosition(QTextCursor.MoveOperation.EndOfLine)
        return self.positions.from_qt(top.position()), self.positions.from_qt(bottom.position())

    def _paint_found(self) -> None:
        lo, hi = self.visible_range()
        # matches are sorted and never overlap: bisect to those on screen
        first = bisect_left(self.found, (lo, -1))
        if first > 0 and self.found[first - 1][1] > lo:
            first -= 1
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            t = theme.current()
            fill = t.colour("find_fill")
            for i in range(first, len(self.found)):
                start, end = self.found[i]
                if start >= hi:
                    break
                current = i == self.current_found
                pen = QPen(t.colour("find_current") if current else t.colour("find_edge"))
                pen.setWidthF(2.4 if current else 1.0)
                painter.setPen(pen)
                for rect in self._range_rects(start, end):
                    painter.fillRect(rect, fill)
                    painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 2, 2)
        finally:
            painter.end()

    def _update_selection_mark(self) -> None:
        # The selected span and a comparison's current range are outlined in
        # paintEvent (an extra selection would paint over the tints of the spans
        # beneath them); this just asks for that repaint.
        self.viewport().update()

    def _range_rects(self, start: int, end: int) -> list[QRectF]:
        """Where code points ``[start, end)`` are drawn, one rectangle per line on screen.

        Starts at the range's own line (``lineForTextPosition``) and stops below the
        viewport: walking every line of a block cost seconds for a find in a one-paragraph
        article of 20,000 words, where every match sat in the same block.
        """
        qstart, qend = self.positions.span_to_qt(start, end)
        rects: list[QRectF] = []
        height = self.viewport().height()
        doc, offset = self.document(), self.contentOffset()
        block = doc.findBlock(qstart)
        while block.isValid() and block.position() < qend:
            origin = self.blockBoundingGeometry(block).translated(offset).topLeft()
            if origin.y() > height:
                break
            layout, base = block.layout(), block.position()
            first = layout.lineForTextPosition(max(0, qstart - base))
            i = first.lineNumber() if first.isValid() else 0
            while i < layout.lineCount():
                line = layout.lineAt(i)
                i += 1
                if line.textStart() >= qend - base:
                    break
                top = origin.y() + line.y()
                if top > height:
                    return rects
                if top + line.height() < 0:
                    continue
                a = max(qstart - base, line.textStart())
                b = min(qend - base, line.textStart() + line.textLength())
                if a >= b:
                    continue
                x1, x2 = line.cursorToX(a)[0], line.cursorToX(b)[0]
                rects.append(QRectF(origin.x() + min(x1, x2), top, abs(x2 - x1), line.height()))
            block = block.next()
        return rects

    def _paint_outlines(self) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            if self.current_mark is not None:
                # A glow (a wide pale edge under a thin solid one): dashed outlines are suggestions,
                # double ones a chosen claim's spans (QA4-4).
                colour = theme.current().colour("mark")
                glow = QColor(colour)
                glow.setAlpha(70)
                contour = QPainterPath()
                contour.setFillRule(Qt.FillRule.WindingFill)   # lines that overlap merge, leaving no seam
                for rect in self._range_rects(*self.current_mark):
                    contour.addRect(rect.adjusted(-2, -1, 2, 1))
                contour = contour.simplified()
                for width, ink in ((6.0, glow), (1.6, colour)):
                    pen = QPen(ink)
                    pen.setWidthF(width)
                    painter.setPen(pen)
                    painter.drawPath(contour)
            if self._selected is not None:
                pen = QPen(theme.current().ink(self.styles.get(self._selected.label).colour, 190))
                pen.setWidthF(2.2)
                painter.setPen(pen)
                for rect in self._range_rects(self._selected.start, self._selected.end):
                    painter.drawRoundedRect(rect.adjusted(-1.5, 0, 1.5, 0), 3, 3)
        finally:
            painter.end()

    # ---------------------------------------------------------------- events

    def _entries_under(self, pos: QPoint) -> list[SpanRow]:
        return self.spans_at_offset(self._offset_under(pos))

    def _offset_under(self, pos: QPoint) -> int:
        """The code point under the pointer."""
        cursor = self.cursorForPosition(pos)
        qpos = cursor.position()
        # cursorForPosition gives the nearest gap; the character under the pointer
        # is the one before it when the pointer is left of that gap.
        if qpos > 0 and pos.x() < self.cursorRect(cursor).left():
            qpos -= 1
        return self.positions.from_qt(qpos)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        if self.textCursor().hasSelection():
            self.textSelected.emit()
            return
        if (event.position().toPoint() - press).manhattanLength() > 3:
            return
        hits = self._entries_under(event.position().toPoint())
        # A click always means the innermost span under the pointer (clicking a
        # selected span again must not quietly select another); Alt+click, like
        # the C key, steps to the next overlapping one.
        if event.modifiers() & Qt.KeyboardModifier.AltModifier:
            chosen = next_in_cycle(hits, self.selected_uid)
        else:
            chosen = hits[0] if hits else None
        self.select_span(chosen.uid if chosen else None, scroll=False)
        if chosen is None:   # off every span: a click on a suggestion selects it
            ghosts = self.ghosts.at(self._offset_under(event.position().toPoint()))
            self.select_suggestion(ghosts[0] if ghosts else None)
        self.spanClicked.emit(self.selected_uid or "")

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.MouseFocusReason and not self.textCursor().hasSelection():
            self._caret_on_screen()
        self.focused.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focusLeft.emit()

    def _caret_on_screen(self) -> None:
        """Arriving by keyboard, the caret starts where the reader is: Shift+arrows select from there."""
        if self.viewport().rect().contains(self.cursorRect().center()):
            return
        margin = int(self.document().documentMargin())
        cursor = self.cursorForPosition(QPoint(margin + 1, margin + 1))
        cursor.movePosition(QTextCursor.MoveOperation.StartOfLine)
        bar = self.verticalScrollBar()
        top = bar.value()
        self.setTextCursor(cursor)
        bar.setValue(top)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        hits = self._entries_under(event.pos())
        self.contextMenuWanted.emit(event.globalPos(), hits)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip:
            help_event = QHelpEvent(event)  # type: ignore[call-overload]
            entries = self._entries_under(help_event.pos())
            ghosts = self.ghosts.tooltip(self._offset_under(help_event.pos()))
            if entries or ghosts:
                tip = (self._tooltip(entries) if entries else "") + ghosts
                QToolTip.showText(help_event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, entries: list[SpanRow]) -> str:

        rows = []
        for a in entries:
            style = self.styles.get(a.label)
            quote = excerpt(self.text[a.start:a.end], 80)
            note = f"<br><i>Note: {html_line(a.note)}</i>" if a.note else ""
            claims = self.claim_gutter.describe(a.uid, a.start, a.end)
            rows.append(
                f"<p style='margin:2px 0'><span style='background:{style.colour.name()}'>&nbsp;&nbsp;&nbsp;</span> "
                f"<b>{html_line(a.label)}</b> ({style.underline_name}) · {html_line(a.annotator)} · "
                f"{a.status}<br>“{html_line(quote)}”{note}{claims}</p>")
        header = f"<b>{len(entries)} spans here</b>" if len(entries) > 1 else ""
        return header + "".join(rows)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if article_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
            self.dragHover.emit(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.dragHover.emit(False)

    def dragMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if article_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.dragHover.emit(False)
        article_id = article_from_mime(event.mimeData())
        if article_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.articleDropped.emit(article_id)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.claim_gutter.place()
        self.highlighter.format_visible()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoom: the badges follow the text's size
            self.claim_gutter.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        self._paint_boundaries(event.rect())
        self.ghosts.paint()
        if self.marks:
            self._paint_marks()
        if self._selected is not None or self.current_mark is not None:
            self._paint_outlines()
        self.claim_gutter.paint_outline()
        if self.found:
            self._paint_found()

    def _paint_marks(self) -> None:
        """A bar in the left margin beside each flagged range, like a diff's gutter."""
        painter = QPainter(self.viewport())
        try:
            cursor = QTextCursor(self.document())
            height = self.viewport().height()
            for start, end in self.marks:
                cursor.setPosition(self.positions.to_qt(start))
                top = self.cursorRect(cursor).top()
                if top > height:
                    continue
                cursor.setPosition(self.positions.to_qt(end))
                bottom = self.cursorRect(cursor).bottom()
                if bottom < 0:
                    continue
                strong = (start, end) == self.current_mark
                colour = theme.current().colour("mark")
                colour.setAlpha(230 if strong else 150)
                painter.fillRect(QRect(3, top, 5 if strong else 3, bottom - top), colour)
        finally:
            painter.end()

    def _paint_boundaries(self, dirty: QRect) -> None:
        """Bracket marks at span edges: nested and adjacent spans stay distinct at a glance.

        Positions come from each line's own layout (``QTextLine.cursorToX``): a
        text cursor per bracket (``cursorRect``) cost ~0.1 ms each, most of a
        repaint's Python time with a hundred spans on screen.
        """
        ink = theme.current().ink
        colours: dict[str, QColor] = {}
        painter = QPainter(self.viewport())
        try:
            doc, offset = self.document(), self.contentOffset()
            for n in self.visible_blocks():
                rows = self.highlighter.rows_in_block(n)
                if not rows:
                    continue
                block = doc.findBlockByNumber(n)
                box = self.blockBoundingGeometry(block).translated(offset)
                if box.bottom() < dirty.top() - 3 or box.top() > dirty.bottom() + 3:
                    continue  # a line the repaint does not touch
                layout, base = block.layout(), block.position()
                lo, hi = base, base + block.length() - 1
                for row in rows:
                    colour = colours.get(row.label)
                    if colour is None:
                        colour = colours[row.label] = ink(self.styles.get(row.label).colour, 130)
                    qstart, qend = self.positions.span_to_qt(row.start, row.end)
                    for qpos, opening in ((qstart, True), (qend, False)):
                        if not ((lo <= qpos < hi) if opening else (lo < qpos <= hi)):
                            continue
                        line = layout.lineForTextPosition(qpos - base)
                        if not line.isValid():
                            continue
                        x = box.left() + line.cursorToX(qpos - base)[0]
                        top = box.top() + line.y()
                        self._bracket(painter, QRect(int(x), int(top), 1, int(line.height())), colour, opening)
        finally:
            painter.end()

    @staticmethod
    def _bracket(painter: QPainter, rect: QRect, colour: QColor, opening: bool) -> None:
        pen = QPen(colour)
        pen.setWidthF(1.6)
        painter.setPen(pen)
        x = rect.left() + (0 if opening else 1)
        top, bottom = rect.top() + 1, rect.bottom() - 1
        tick = 3 if opening else -3
        painter.drawLine(x, top, x, bottom)
        painter.drawLine(x, top, x + tick, top)
        painter.drawLine(x, bottom, x + tick, bottom)
