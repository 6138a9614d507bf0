"""Span rendering: block formats from a per-block index of spans, applied lazily.

Measured here (DESIGN.md): one ExtraSelection per span costs O(N) on every
edit and paint (50,000 spans: 760 ms to apply, 24-65 ms per added span);
formatting each block from an index of its spans costs 6-8 ms per added span.
So spans live in buckets by block, an added span re-formats just the blocks
it touches, blocks are formatted when they come into view, and extra
selections are kept for the one selected span.

Overlaps: within a block the text is cut at every span boundary; each piece
gets the tint of its innermost span (deeper nesting, stronger tint) and the
underline of its outermost span in that label's style, so a claim inside a
denial shows both.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextDocument, QTextLayout

from ..core.model import Annotation
from .label_style import LabelStyles
from .positions import PositionMap


class SpanHost(Protocol):
    """The view a highlighter formats: its document and which blocks are on screen."""

    def document(self) -> QTextDocument: ...

    def visible_blocks(self) -> range: ...


@dataclass(frozen=True)
class SpanEntry:
    """A span in Qt positions, with what its look depends on."""

    uid: str
    qstart: int
    qend: int
    label: str
    status: str
    annotation: Annotation

    @property
    def length(self) -> int:
        return self.qend - self.qstart


class SpanIndex:
    """The spans of one article, bucketed by the blocks (lines) they touch."""

    def __init__(self, text: str, positions: PositionMap) -> None:
        self.positions = positions
        # Qt position where each block starts: 0, then one past every line break.
        self.block_starts = [0] + [positions.to_qt(m.end()) for m in re.finditer("\n", text)]
        self.buckets: list[list[SpanEntry]] = [[] for _ in self.block_starts]
        self.entries: dict[str, SpanEntry] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def _blocks(self, entry: SpanEntry) -> range:
        first = bisect_right(self.block_starts, entry.qstart) - 1
        last = bisect_right(self.block_starts, max(entry.qstart, entry.qend - 1)) - 1
        return range(first, last + 1)

    def reset(self, annotations: list[Annotation]) -> None:
        self.buckets = [[] for _ in self.block_starts]
        self.entries = {}
        for a in annotations:
            self.add(a)

    def add(self, a: Annotation) -> range:
        qstart, qend = self.positions.span_to_qt(a.start, a.end)
        entry = SpanEntry(a.uid, qstart, qend, a.label, a.status, a)
        self.entries[a.uid] = entry
        blocks = self._blocks(entry)
        for b in blocks:
            self.buckets[b].append(entry)
        return blocks

    def remove(self, uid: str) -> range:
        entry = self.entries.pop(uid, None)
        if entry is None:
            return range(0)
        blocks = self._blocks(entry)
        for b in blocks:
            self.buckets[b] = [e for e in self.buckets[b] if e.uid != uid]
        return blocks

    def in_block(self, block: int) -> list[SpanEntry]:
        return self.buckets[block] if 0 <= block < len(self.buckets) else []

    def at(self, qpos: int) -> list[SpanEntry]:
        """Spans covering a Qt position, innermost first."""
        block = bisect_right(self.block_starts, qpos) - 1
        hits = [e for e in self.in_block(block) if e.qstart <= qpos < e.qend]
        hits.sort(key=lambda e: (e.length, e.qstart, e.uid))
        return hits


class SpanHighlighter:
    """Formats the blocks of one view from a SpanIndex, only as they come into view.

    This does what QSyntaxHighlighter does (layout formats plus
    ``markContentsDirty``) but lazily: QSyntaxHighlighter formats every block of
    the document when it is attached, which for a 1 MB article with 10,000
    spans costs several times the ~30 ms that showing the plain text takes.
    Here opening formats one screenful, scrolling formats what appears, and a
    changed span re-formats the blocks it touches.
    """

    def __init__(self, view: SpanHost, index: SpanIndex, styles: LabelStyles) -> None:
        self.view = view
        self.document = view.document()
        self.index = index
        self.styles = styles
        self.hidden_annotators: set[str] = set()
        self._formats: dict[tuple[str, str, int, str], QTextCharFormat] = {}
        self._done: set[int] = set()       # blocks formatted from the current index
        self._dirty_layouts: set[int] = set()  # blocks whose layout holds formats
        self._busy = False

    # ------------------------------------------------------------- triggers

    def reset(self, index: SpanIndex) -> None:
        self.index = index
        self._done.clear()
        self._dirty_layouts.clear()
        self.format_visible()

    def set_styles(self, styles: LabelStyles) -> None:
        self.styles = styles
        self._formats.clear()
        self.invalidate_all()

    def set_hidden_annotators(self, names: set[str]) -> None:
        self.hidden_annotators = set(names)
        self.invalidate_all()

    def invalidate_all(self) -> None:
        stale = self._dirty_layouts | self._done
        self._done.clear()
        for n in stale:
            self._format_block(n)
        self.format_visible()

    def invalidate(self, blocks: range) -> None:
        visible = self.view.visible_blocks()
        for n in blocks:
            self._done.discard(n)
            if n in visible or n in self._dirty_layouts:
                self._format_block(n)

    def format_visible(self) -> None:
        if self._busy:  # markContentsDirty can ask for another update while we work
            return
        self._busy = True
        try:
            for n in self.view.visible_blocks():
                if n not in self._done:
                    self._format_block(n)
        finally:
            self._busy = False

    # ----------------------------------------------------------- formatting

    def visible(self, entries: list[SpanEntry]) -> list[SpanEntry]:
        if not self.hidden_annotators:
            return entries
        return [e for e in entries if e.annotation.annotator not in self.hidden_annotators]

    def _format_block(self, n: int) -> None:
        block = self.document.findBlockByNumber(n)
        if not block.isValid():
            return
        self._done.add(n)
        entries = self.visible(self.index.in_block(n))
        if not entries and n not in self._dirty_layouts:
            return
        ranges = self.ranges(entries, block.position(), block.length() - 1) if entries else []
        block.layout().setFormats(ranges)
        if ranges:
            self._dirty_layouts.add(n)
        else:
            self._dirty_layouts.discard(n)
        self.document.markContentsDirty(block.position(), block.length())

    def ranges(self, entries: list[SpanEntry], base: int, length: int) -> list[QTextLayout.FormatRange]:
        """Cut a block at every span boundary; format each piece by the spans covering it."""
        cuts = {0, length}
        for e in entries:
            cuts.add(min(max(e.qstart - base, 0), length))
            cuts.add(min(max(e.qend - base, 0), length))
        points = sorted(cuts)
        ranges = []
        for a, b in zip(points, points[1:], strict=False):
            covering = [e for e in entries if e.qstart - base <= a and e.qend - base >= b]
            if covering:
                r = QTextLayout.FormatRange()
                r.start, r.length, r.format = a, b - a, self._format(covering)
                ranges.append(r)
        return ranges

    def _format(self, covering: list[SpanEntry]) -> QTextCharFormat:
        inner = min(covering, key=lambda e: (e.length, e.uid))
        outer = max(covering, key=lambda e: (e.length, e.uid))
        key = (inner.label, outer.label, min(len(covering), 4), inner.status)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            inner_style, outer_style = self.styles.get(inner.label), self.styles.get(outer.label)
            fmt.setBackground(inner_style.tint(min(70 + 45 * (len(covering) - 1), 200)))
            fmt.setUnderlineStyle(outer_style.underline)
            fmt.setUnderlineColor(outer_style.colour.darker(115))
            if inner.status == "rejected":
                fmt.setFontStrikeOut(True)
                fmt.setForeground(QColor("#6b6f76"))
            elif inner.status == "accepted":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            self._formats[key] = fmt
        return fmt
