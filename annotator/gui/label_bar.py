"""The label toolbar, which is also the legend: colour, underline style and key of each label."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QIcon, QPainter, QPainterPath, QPen, QPixmap, QTextCharFormat
from PySide6.QtWidgets import QLabel, QToolBar, QWidget

from . import theme
from .label_style import LabelStyle, LabelStyles
from .shown_text import html_line, lines, menu_entry


def label_icon(style: LabelStyle, size: int = 22) -> QIcon:
    """A tinted square with the label's underline drawn across it."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(style.tint(110))
    p.drawRoundedRect(QRectF(1, 2, size - 2, size - 8), 3, 3)
    pen = QPen(theme.current().ink(style.colour, 125))
    pen.setWidthF(2.0)
    y = size - 3.0
    u = QTextCharFormat.UnderlineStyle
    if style.underline == u.WaveUnderline:
        path = QPainterPath(QPointF(1, y))
        x = 1.0
        up = True
        while x < size - 1:
            path.quadTo(QPointF(x + 1.5, y - 2.5 if up else y + 2.5), QPointF(x + 3, y))
            x += 3
            up = not up
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    else:
        pen.setStyle({u.DotLine: Qt.PenStyle.DotLine, u.DashUnderline: Qt.PenStyle.DashLine,
                      u.DashDotLine: Qt.PenStyle.DashDotLine,
                      u.DashDotDotLine: Qt.PenStyle.DashDotDotLine}.get(style.underline, Qt.PenStyle.SolidLine))
        p.setPen(pen)
        p.drawLine(QPointF(1, y), QPointF(size - 1, y))
    p.end()
    return QIcon(pixmap)


def label_tooltip(style: LabelStyle) -> str:
    """The label's guideline (its description, line breaks kept), how it is drawn and its key."""
    label = style.label
    guideline = escape(lines(label.description)).replace("\n", "<br>") if label.description else \
        "<i>No guideline yet (Edit &gt; Labels… describes it).</i>"
    key = f"; key <b>{html_line(label.shortcut)}</b>" if label.shortcut else ""
    return (f"<p><b>{html_line(label.name)}</b> — {guideline}</p>"
            f"<p>Shown with a {style.underline_name}{key}.</p>")


class LabelBar(QToolBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Labels", parent)
        self.setObjectName("labelBar")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setMovable(False)

    def set_labels(self, styles: LabelStyles, tag: Callable[[str], None]) -> list[QAction]:
        self.clear()
        hint = QLabel("Tag selection:")
        hint.setObjectName("labelBarHint")
        self.addWidget(hint)
        actions = []
        for style in styles:
            key = style.label.shortcut
            action = QAction(label_icon(style), menu_entry(style.name) + (f"  {menu_entry(key)}" if key else ""), self)
            action.setObjectName(f"label_{style.name}")
            action.setToolTip(label_tooltip(style))
            action.triggered.connect(lambda _checked=False, name=style.name: tag(name))
            self.addAction(action)
            actions.append(action)
        self.addSeparator()
        # Short enough to stay on the bar at 1024 px with three labels (a longer one went into the bar's
        # overflow menu, unseen); the tooltip says it in words.
        legend = QLabel("<span style='font-weight:600'>bold</span> accepted · "
                        "<s>struck</s> rejected · [ ] span edges · ┄ suggested · ═ chosen claim")
        legend.setObjectName("labelBarLegend")
        legend.setToolTip("How the panes mark spans: bold accepted, struck rejected, [ ] where each span begins"
                          " and ends; a dashed box is a suggestion (not a span yet), a double box a span of the"
                          " claim chosen in the Claims dock, a glowing box the comparison's current disagreement.")
        self.addWidget(legend)
        return actions
