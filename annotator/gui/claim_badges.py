"""Claim marks in a pane: a numbered badge in the margin beside each linked span, and the chosen claim outlined.

The badges sit in a margin of their own (the text edit's viewport margin, as
Qt's code-editor example keeps line numbers), so they never cover a letter of
the article. A pane whose article has no linked span has no margin: most
articles are read before anything is linked, and need every pixel.

Only what is on screen is asked for: one query (``Store.claim_marks``, served
by the spans' (article_id, start) index) for the visible stretch, kept until
the view scrolls or a claim or span changes. Each badge carries the claim's
number, and its colour, so a reader matches spans to claims without telling
colours apart; hovering names the claim and the span's role in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from ..core.spans import excerpt
from ..core.store import ClaimMark
from . import theme
from .shown_text import html_line

if TYPE_CHECKING:
    from .article_view import ArticleView

# Dark enough for white digits, apart from each other and from the label tints.
CLAIM_COLOURS = ("#1f5fa8", "#b8420f", "#2e7d32", "#7b3fa0", "#a0266b", "#00796b", "#8d6e00", "#455a9c")


def claim_colour(number: int) -> QColor:
    """The colour of claim ``number`` (its row id): the same in every pane, the dock and the matrix."""
    return QColor(CLAIM_COLOURS[number % len(CLAIM_COLOURS)])


def role_phrase(role: str) -> str:
    return {"states": "states it", "denies": "denies it", "supports": "supports it (evidence)",
            "context": "gives context"}.get(role, role)


class ClaimGutter(QWidget):
    """The badge margin of one article view, and the outline of the claim chosen in the claims dock."""

    def __init__(self, view: ArticleView) -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("claimGutter")
        self.badge_font = QFont()
        self.margin = 0
        self._cache: tuple[tuple[int | None, int, int, int], list[ClaimMark]] | None = None
        self._generation = 0
        self.placed: list[tuple[QRectF, ClaimMark]] = []
        # The claim chosen in the dock: its uid, colour, and its spans' ranges in this article.
        self.outline: tuple[str, QColor, list[tuple[int, int]]] | None = None
        self._outline_shown: tuple[int, list[tuple[int, int]]] | None = None   # (generation, ranges shown)
        self.hide()

    # --------------------------------------------------------------- state

    def refresh(self) -> None:
        """The article or its links changed: ask again, and show the margin only if the article needs it."""
        self._fit()
        self.invalidate()

    def invalidate(self) -> None:
        """A span moved or a claim's summary changed: the badges are asked for again when next painted.

        Cheaper than ``refresh``: whether the article has any link at all is
        not asked again (for a 50,000-span article that costs a pass over its spans).
        """
        self._generation += 1
        self._cache = None
        self.update()

    def set_outline(self, claim_uid: str | None, colour: QColor | None = None,
                    ranges: list[tuple[int, int]] | None = None) -> None:
        self.outline = (claim_uid, colour or QColor(), list(ranges or [])) if claim_uid else None
        self._outline_shown = None
        self.view.viewport().update()

    def _fit(self) -> None:
        # The badges follow the text's size (zoom), a little smaller and bold.
        self.badge_font = QFont(self.view.font())
        self.badge_font.setBold(True)
        self.badge_font.setPointSize(max(7, self.view.font().pointSize() - 3))
        wanted = self._width() if self.view.spans.has_claims() else 0
        if wanted == self.margin:
            return
        anchor = self.view.reading_anchor()
        self.margin = wanted
        self.view.setViewportMargins(wanted, 0, 0, 0)
        self.setVisible(wanted > 0)
        self.place()
        # The text re-wraps to the new width: the line being read (the first link's span, most often)
        # stays where it was on screen rather than jumping with the lines above it (QA4-7).
        self.view.keep_anchor(anchor)

    def _width(self) -> int:
        return QFontMetrics(self.badge_font).horizontalAdvance("0000") + 12

    def place(self) -> None:
        rect = self.view.contentsRect()
        self.setGeometry(rect.left(), rect.top(), self.margin, rect.height())

    # --------------------------------------------------------------- marks

    def visible_marks(self) -> list[ClaimMark]:
        lo, hi = self.view.visible_range()
        key = (self.view.article_id, lo, hi, self._generation)   # never another article's marks
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self.view.spans.claim_marks(lo, max(hi, lo + 1)))
        return self._cache[1]

    def marks_of(self, span_uid: str, start: int, end: int) -> list[ClaimMark]:
        return [m for m in self.view.spans.claim_marks(start, end) if m.span_uid == span_uid]

    def describe(self, span_uid: str, start: int, end: int) -> str:
        """The tooltip lines naming the claims a span belongs to (HTML)."""

        return "".join(
            f"<br><span style='color:{claim_colour(m.number).name()}'>■</span> <b>Claim #{m.number}</b>: "
            f"{html_line(role_phrase(m.role))} — “{html_line(excerpt(m.summary, 90))}”"
            for m in self.marks_of(span_uid, start, end))

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self.placed = []
        marks = self.visible_marks()
        if not marks:
            return
        view = self.view
        rows = {r.uid: r for n in view.visible_blocks() for r in view.highlighter.rows_in_block(n)}
        metrics = QFontMetrics(self.badge_font)
        height = metrics.height() + 2
        wanted: list[tuple[float, ClaimMark]] = []
        for mark in marks:
            row = rows.get(mark.span_uid)  # a hidden annotator's span has no row, and no badge
            if row is None:
                continue
            rects = view._range_rects(row.start, row.end)
            if rects:
                wanted.append((rects[0].top() + (rects[0].height() - height) / 2, mark))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.badge_font)
        try:
            bottom = -height
            for top, mark in sorted(wanted, key=lambda pair: pair[0]):
                top = max(top, bottom + 1)   # badges of one line stack downwards rather than overlap
                text = str(mark.number)
                width = max(height, metrics.horizontalAdvance(text) + 8)
                rect = QRectF(self.margin - width - 3, top, width, height)
                colour = claim_colour(mark.number)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(rect, height / 2, height / 2)
                if mark.role != "states":
                    # a denial, support or context link: a white ring inside, so the role shows without hovering
                    ring = QPen(QColor("white"))
                    ring.setWidthF(1.2)
                    ring.setStyle(Qt.PenStyle.DotLine if mark.role == "context" else Qt.PenStyle.SolidLine)
                    painter.setPen(ring)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(rect.adjusted(1.5, 1.5, -1.5, -1.5), height / 2 - 1.5, height / 2 - 1.5)
                painter.setPen(QColor("white"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                self.placed.append((rect, mark))
                bottom = rect.bottom()
        finally:
            painter.end()

    def paint_outline(self) -> None:
        """Outline the chosen claim's spans in the text (called from the view's paint event).

        A solid double line in the claim's colour: dashed outlines are suggestions
        (ghost_spans.py), and a claim's spans must not look proposed (QA4-4).
        """
        if self.outline is None or not self.outline[2]:
            return
        lo, hi = self.view.visible_range()
        _uid, colour, _linked = self.outline
        ranges = self._shown_outline()
        painter = QPainter(self.view.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            pen = QPen(theme.current().ink(colour, 100))   # lighter on dark paper, as label marks are
            pen.setWidthF(1.3)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for start, end in ranges:
                if start <= hi and end >= lo:
                    rects = self.view._range_rects(start, end)
                    # one contour per line of the double edge around all the span's lines, as a ghost's is
                    for grow_x, grow_y in ((4.5, 2.5), (2.0, 0.5)):
                        contour = QPainterPath()
                        contour.setFillRule(Qt.FillRule.WindingFill)   # overlapping lines merge
                        for rect in rects:
                            contour.addRect(rect.adjusted(-grow_x, -grow_y, grow_x, grow_y))
                        painter.drawPath(contour.simplified())
        finally:
            painter.end()

    def _shown_outline(self) -> list[tuple[int, int]]:
        """The chosen claim's ranges that this view shows a span at: a hidden annotator's span (the other
        side of a comparison) is not outlined, as it has no badge and no tint here."""
        if self.outline is None:
            return []
        if self._outline_shown is None or self._outline_shown[0] != self._generation:
            spans = self.view.spans
            shown = [(start, end) for start, end in self.outline[2]
                     if any((r.start, r.end) == (start, end) for r in spans.in_range(start, end))]
            self._outline_shown = (self._generation, shown)
        return self._outline_shown[1]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            help_event = QHelpEvent(event)  # type: ignore[call-overload]
            hit = next((m for rect, m in self.placed if rect.contains(help_event.pos())), None)
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(help_event.globalPos(), self.badge_tip(hit), self)
            return True
        return super().event(event)

    @staticmethod
    def badge_tip(mark: ClaimMark) -> str:

        return (f"<b>Claim #{mark.number}</b>: “{html_line(excerpt(mark.summary, 120))}”<br>"
                f"This span {html_line(role_phrase(mark.role))}.")
