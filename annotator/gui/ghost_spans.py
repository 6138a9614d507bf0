"""Ghost spans: the open suggestions of a pane's article, drawn as dashed outlines over its text.

A suggestion is not an annotation, so it gets no tint and no ``[ ]`` edges: a
dashed outline in its label's ink, with no fill, and a small initial of the
label in the text's left margin beside the line where it starts. Colour is
never the only cue: each label (in label order) has its own dash pattern, as
each has its own underline, and the initial names it. Only the suggestions of the visible stretch are asked for
(``Store.suggestions_in_range``, by index), once per stretch: a cursor blink
repaints without a query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from ..core.store import Store
from ..core.suggestions import Suggestion
from . import theme
from .shown_text import html_line

if TYPE_CHECKING:
    from .article_view import ArticleView

# Dash patterns (in pen widths) per label, in label order, beside the underlines of label_style:
# claim dashes, denial dots, background dash-dots, then longer dashes and dash-dot-dots.
DASHES: tuple[tuple[float, ...], ...] = (
    (4.0, 2.5),
    (1.0, 1.8),
    (5.0, 2.0, 1.0, 2.0),
    (8.0, 3.0),
    (5.0, 1.8, 1.0, 1.8, 1.0, 1.8),
    (2.5, 2.5),
)


def _key(s: Suggestion) -> tuple[int, int, int]:
    return (s.start, s.end, s.id or 0)


class SuggestionSource:
    """One article's open suggestions, straight from the store."""

    def __init__(self, store: Store, article_id: int) -> None:
        self.store = store
        self.article_id = article_id

    def in_range(self, lo: int, hi: int) -> list[Suggestion]:
        return self.store.suggestions_in_range(self.article_id, lo, hi)

    def neighbour(self, key: tuple[int, int, int], backwards: bool) -> Suggestion | None:
        """The open suggestion just after (before) ``key`` = (start, end, id) in text order: Tab and Shift+Tab.

        A clause that starts where its sentence starts is reached too (the
        same start, a later key).
        """
        start = max(key[0], 0)
        same_start = [s for s in self.store.suggestions_in_range(self.article_id, start, start + 1)
                      if s.start == key[0]]
        for s in sorted(same_start, key=_key, reverse=backwards):
            if (_key(s) < key) if backwards else (_key(s) > key):
                return s
        return self.store.next_suggestion(self.article_id, key[0], backwards=backwards)

    def get(self, uid: str) -> Suggestion | None:
        if not self.store.has_suggestion(uid):
            return None
        found = self.store.suggestion(uid)
        return found if found.article_id == self.article_id and found.state == "open" else None


class GhostSpans:
    """What one view shows of its article's suggestions, and the one selected (what Enter and X act on)."""

    def __init__(self, view: ArticleView) -> None:
        self.view = view
        self.source: SuggestionSource | None = None
        self.shown = True
        self.selected: Suggestion | None = None
        self._cached: tuple[int, int, int, list[Suggestion]] | None = None
        self.placed_initials: list[tuple[QRectF, str]] = []   # where the last paint put the labels' initials

    def set_source(self, source: SuggestionSource | None) -> None:
        self.source = source
        self.selected = None
        self._cached = None
        self.view.viewport().update()

    def set_shown(self, shown: bool) -> None:
        self.shown = shown
        if not shown:
            self.selected = None
        self._cached = None
        self.view.viewport().update()

    def changed(self, suggestions: list[Suggestion]) -> None:
        """These suggestions (of any article) changed state: ask again, repaint where they are."""
        self._cached = None
        if self.source is None:
            return
        mine = [s for s in suggestions if s.article_id == self.source.article_id]
        if self.selected is not None and any(s.uid == self.selected.uid for s in mine):
            self.selected = None
        if mine:
            self.view.viewport().update()   # a suggestion's lines and its initial: repaint the lot

    def reload(self) -> None:
        """A source ran: any suggestion may have come or gone."""
        self._cached = None
        if self.selected is not None and self.source is not None:
            self.selected = self.source.get(self.selected.uid)
        self.view.viewport().update()

    # ------------------------------------------------------------- reading

    def visible(self) -> list[Suggestion]:
        """The open suggestions overlapping the lines on screen, in text order."""
        if self.source is None or not self.shown:
            return []
        lo, hi = self.view.visible_range()
        article_id = self.source.article_id
        if (self._cached is None or self._cached[0] != article_id
                or not (self._cached[1] <= lo and hi <= self._cached[2])):
            # Ask for a screen more on either side: scrolling a line needs no new query.
            span = max(hi - lo, 1)
            wide_lo, wide_hi = max(0, lo - span), hi + span
            self._cached = (article_id, wide_lo, wide_hi, self.source.in_range(wide_lo, wide_hi))
        return [s for s in self._cached[3] if s.start < hi and s.end > lo]

    def at(self, offset: int) -> list[Suggestion]:
        """The shown suggestions covering a code point, innermost first."""
        if self.source is None or not self.shown:
            return []
        hits = self.source.in_range(offset, offset + 1)
        return sorted(hits, key=lambda s: (s.end - s.start, s.start, s.id or 0))

    def current(self, caret: int) -> Suggestion | None:
        """What the suggestion keys act on: the selected one, else the innermost under the caret."""
        if self.selected is not None:
            return self.selected
        hits = self.at(caret)
        return hits[0] if hits else None

    def tooltip(self, offset: int) -> str:
        """What a hover over shown suggestions says (rich text), or ""."""

        rows = []
        for s in self.at(offset):
            style = self.view.styles.get(s.label)
            score = f", score {s.score:.2f}" if s.score is not None else ""
            reason = f"<br><i>{html_line(s.reason)}</i>" if s.reason else ""
            rows.append(f"<p style='margin:2px 0'>Suggested <b>{html_line(s.label)}</b>"
                        f" <span style='color:{style.colour.name()}'>▬ ▬</span> ({html_line(s.source)}{score})"
                        f"{reason}</p>")
        if not rows:
            return ""
        return "".join(rows) + "<p style='margin:2px 0'>Enter accepts · X rejects · a label's key accepts as it</p>"

    # ------------------------------------------------------------ painting

    def paint(self) -> None:
        self.placed_initials = []
        rows = self.visible()
        if self.selected is not None and all(s.uid != self.selected.uid for s in rows):
            rows.append(self.selected)   # a queue's choice shows even with the ghosts hidden
        if not rows:
            return
        view = self.view
        t = theme.current()
        font = QFont(view.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.6))
        font.setBold(True)
        metrics = QFontMetricsF(font)
        lo = view.visible_range()[0]
        starts: dict[int, tuple[QRectF, list[tuple[str, str]]]] = {}   # line top -> its first rect, initials
        painter = QPainter(view.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            for s in rows:
                style = view.styles.get(s.label)
                position = next((i for i, st in enumerate(view.styles) if st.name == style.name), 0)
                chosen = self.selected is not None and s.uid == self.selected.uid
                # Nested suggestions (a claim clause inside a denial sentence) sit inside their outer one.
                depth = sum(1 for o in rows if o is not s and o.start <= s.start and s.end <= o.end
                            and (o.end - o.start) > (s.end - s.start))
                inset = min(depth, 3) * 3.0
                ink = t.ink(style.colour, 150)
                pen = QPen(ink)
                pen.setWidthF(2.2 if chosen else 1.4)
                pen.setDashPattern(list(DASHES[position % len(DASHES)]))
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                rects = view._range_rects(s.start, s.end)
                if not rects:
                    continue
                # One contour around all its lines (not a box per line): lines that touch merge.
                outline = QPainterPath()
                outline.setFillRule(Qt.FillRule.WindingFill)   # overlapping lines merge, leaving no seam
                for rect in rects:
                    outline.addRect(rect.adjusted(-3 + inset, -0.5 + inset, 3 - inset, 0.5 - inset))
                outline = outline.simplified()
                if chosen:
                    painter.fillPath(outline, style.tint(40 + t.tint_boost // 3))
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(outline)
                if s.start >= lo:   # its start is on screen
                    initial = (style.name[:1].upper() or "?", ink.name())
                    line = starts.setdefault(round(rects[0].top()), (rects[0], []))[1]
                    if initial not in line:
                        line.append(initial)
            for first, initials in starts.values():
                self._paint_initials(painter, first, initials, font, metrics)
        finally:
            painter.end()

    def _paint_initials(self, painter: QPainter, first: QRectF, initials: list[tuple[str, str]], font: QFont,
                        metrics: QFontMetricsF) -> None:
        """The initials of the labels suggested from this line on, in the text's left margin beside the line:
        the label without colour. Set into the outline's top edge they covered the line above (QA4-6)."""
        painter.setFont(font)
        right = self.view.document().documentMargin() - 2
        top = first.top() + (first.height() - metrics.capHeight()) / 2 - 2
        for letter, ink in reversed(initials):   # the first suggestion's initial nearest the text
            width = metrics.horizontalAdvance(letter) + 2
            tab = QRectF(max(0.0, right - width), top, width, metrics.capHeight() + 4)
            painter.setPen(QColor(ink))
            painter.drawText(tab, Qt.AlignmentFlag.AlignCenter, letter)
            self.placed_initials.append((tab, letter))
            right -= width


__all__ = ["DASHES", "GhostSpans", "SuggestionSource"]
