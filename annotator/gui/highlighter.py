"""Span rendering: block formats for what is on screen, from spans asked of the store.

Measured here (DESIGN.md): one ExtraSelection per span costs O(N) on every
edit and paint (50,000 spans: 760 ms to apply, 24-65 ms per added span);
formatting each block from the spans it holds costs a few ms per added span.
And measured in this project (docs/benchmarks.md): loading all 10,000 spans of
a 1 MB article into Python objects, or letting QSyntaxHighlighter format every
block up front, costs many times the ~33 ms that showing the plain text does.

So nothing is loaded or formatted up front. When blocks come into view, one
SQL query (``Store.spans_in_range``, served by the (article_id, start, end, uid)
index) fetches the spans overlapping them, and those blocks get their formats
(what QSyntaxHighlighter does: layout formats plus ``markContentsDirty``). A
changed span re-formats the blocks it touches. The selected span is not drawn
here: ``ArticleView._paint_outlines`` outlines it over these formats.

Whose spans: a source names its article, and the view names the article it shows; a
source of another article draws nothing (QA4-1: a pane changing article got an update
request while the new text was going in, the old article's spans were drawn at the
new text's offsets, and a tint no span explained stayed until a restart). And a block
found without spans is cleared whenever its layout holds formats, whatever the
bookkeeping says.

Overlaps: a block is cut at every span boundary; each piece gets the tint and
the underline style of its innermost span, deeper nesting giving a stronger
tint, and the ``[ ]`` edges the view paints show where each span begins and
ends, so a claim inside a denial shows both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from PySide6.QtGui import QFont, QTextBlock, QTextCharFormat, QTextDocument, QTextLayout

from ..core.store import ClaimMark, SpanRow, Store
from . import theme
from .label_style import LabelStyles
from .positions import PositionMap

_VERDICT_RANK = {"accepted": 0, "pending": 1, "rejected": 2}


class SpanSource(Protocol):
    """Where a view gets the spans of its article (code-point offsets)."""

    article_id: int | None   # whose spans these are: None for no article

    def in_range(self, lo: int, hi: int) -> list[SpanRow]: ...

    def get(self, uid: str) -> SpanRow | None: ...

    def count(self) -> int: ...

    def neighbour(self, key: tuple[int, int, str], backwards: bool) -> str | None:
        """The span just after (before) ``key`` = (start, end, uid) in text order: Tab and Shift+Tab."""
        ...

    def claim_marks(self, lo: int, hi: int) -> list[ClaimMark]:
        """The claim badges of the spans overlapping ``[lo, hi)``."""
        ...

    def has_claims(self) -> bool: ...


class NoSpans:
    article_id: int | None = None

    def in_range(self, lo: int, hi: int) -> list[SpanRow]:
        return []

    def get(self, uid: str) -> SpanRow | None:
        return None

    def count(self) -> int:
        return 0

    def neighbour(self, key: tuple[int, int, str], backwards: bool) -> str | None:
        return None

    def claim_marks(self, lo: int, hi: int) -> list[ClaimMark]:
        return []

    def has_claims(self) -> bool:
        return False


class StoreSpans:
    """One article's spans, straight from the store, minus hidden annotators."""

    def __init__(self, store: Store, article_id: int, hidden_annotators: Iterable[str] = ()) -> None:
        self.store = store
        self.article_id = article_id
        self.hidden_annotators = tuple(sorted(hidden_annotators))

    def in_range(self, lo: int, hi: int) -> list[SpanRow]:
        return self.store.spans_in_range(self.article_id, lo, hi, hidden_annotators=self.hidden_annotators)

    def get(self, uid: str) -> SpanRow | None:
        row = self.store.span_row(uid)
        if row is None or row.annotator in self.hidden_annotators:
            return None
        return row

    def count(self) -> int:
        return self.store.span_count(self.article_id, hidden_annotators=self.hidden_annotators)

    def neighbour(self, key: tuple[int, int, str], backwards: bool) -> str | None:
        shown: list[str] = []
        if self.hidden_annotators:
            shown = [name for name in self.store.annotators() if name not in self.hidden_annotators]
            if not shown:
                return None
        found = self.store.neighbour_annotation((self.article_id, *key), backwards=backwards,
                                                article_ids=[self.article_id], annotators=shown)
        return found.uid if found is not None else None

    def claim_marks(self, lo: int, hi: int) -> list[ClaimMark]:
        return self.store.claim_marks(self.article_id, lo, hi)

    def has_claims(self) -> bool:
        return self.store.article_has_links(self.article_id)


class SpanHost(Protocol):
    """The view a highlighter formats."""

    positions: PositionMap
    article_id: int | None   # the article whose text is shown (None: none)

    def document(self) -> QTextDocument: ...

    def visible_blocks(self) -> range: ...


class SpanHighlighter:
    """Formats the blocks of one view as they come into view."""

    def __init__(self, view: SpanHost, source: SpanSource, styles: LabelStyles) -> None:
        self.view = view
        self.document = view.document()
        self.source = source
        self.styles = styles
        self._formats: dict[tuple[str, int, str], QTextCharFormat] = {}
        self._rows: dict[int, list[SpanRow]] = {}   # formatted block -> the spans drawn in it
        self._dirty_layouts: set[int] = set()       # blocks whose layout holds formats
        self._busy = False

    # ------------------------------------------------------------- triggers

    def reset(self, source: SpanSource) -> None:
        """Draw ``source`` on a text shown afresh: what was drawn and known of the text before goes."""
        self.source = source
        self._rows.clear()
        self._dirty_layouts.clear()
        self.format_visible()

    def set_source(self, source: SpanSource) -> None:
        """The same text, another view of its spans (some annotators hidden): every block is drawn again."""
        self.source = source
        self.invalidate_all()

    def set_styles(self, styles: LabelStyles) -> None:
        self.styles = styles
        self._formats.clear()
        self.invalidate_all()

    def invalidate_all(self) -> None:
        stale = sorted(self._dirty_layouts | self._rows.keys())
        self._rows.clear()
        self._format_blocks(stale)
        self.format_visible()

    def invalidate(self, start: int, end: int) -> None:
        """Re-format the blocks holding code points ``[start, end)`` that are on screen or drawn."""
        blocks = self.blocks_of(start, end)
        for n in blocks:
            self._rows.pop(n, None)
        visible = self.view.visible_blocks()
        self._format_blocks([n for n in blocks if n in visible or n in self._dirty_layouts])

    def format_visible(self) -> None:
        if self._busy:  # markContentsDirty can ask for another update while we work
            return
        self._format_blocks([n for n in self.view.visible_blocks() if n not in self._rows])

    def rows_in_block(self, n: int) -> list[SpanRow]:
        return self._rows.get(n, [])

    def blocks_of(self, start: int, end: int) -> range:
        positions = self.view.positions
        first = self.document.findBlock(positions.to_qt(start))
        last = self.document.findBlock(positions.to_qt(max(start, end - 1)))
        if not first.isValid():
            return range(0)
        return range(first.blockNumber(), (last.blockNumber() if last.isValid() else first.blockNumber()) + 1)

    # ----------------------------------------------------------- formatting

    def _block_range(self, block: QTextBlock) -> tuple[int, int]:
        positions = self.view.positions
        return positions.from_qt(block.position()), positions.from_qt(block.position() + block.length() - 1)

    def _format_blocks(self, numbers: Sequence[int]) -> None:
        if not numbers or self._busy or self.source.article_id != self.view.article_id:
            return
        self._busy = True
        try:
            blocks = [b for b in (self.document.findBlockByNumber(n) for n in numbers) if b.isValid()]
            if not blocks:
                return
            ranges = [self._block_range(b) for b in blocks]
            # one query for the whole stretch, then shared out among the blocks
            rows = self.source.in_range(min(lo for lo, _ in ranges), max(hi for _, hi in ranges))
            for block, (lo, hi) in zip(blocks, ranges, strict=True):
                self._apply(block, [r for r in rows if r.start < hi and r.end > lo])
        finally:
            self._busy = False

    def _apply(self, block: QTextBlock, rows: list[SpanRow]) -> None:
        n = block.blockNumber()
        self._rows[n] = rows
        if not rows and n not in self._dirty_layouts and not block.layout().formats():
            return
        ranges = self.ranges(rows, block.position(), block.length() - 1) if rows else []
        block.layout().setFormats(ranges)
        if ranges:
            self._dirty_layouts.add(n)
        else:
            self._dirty_layouts.discard(n)
        self.document.markContentsDirty(block.position(), block.length())

    def ranges(self, rows: list[SpanRow], base: int, length: int) -> list[QTextLayout.FormatRange]:
        """Cut a block at every span boundary; format each piece by the spans covering it."""
        positions = self.view.positions
        qt = [(positions.to_qt(r.start) - base, positions.to_qt(r.end) - base, r) for r in rows]
        cuts = {0, length}
        for s, e, _r in qt:
            cuts.add(min(max(s, 0), length))
            cuts.add(min(max(e, 0), length))
        points = sorted(cuts)
        out = []
        for a, b in zip(points, points[1:], strict=False):
            covering = [r for s, e, r in qt if s <= a and e >= b]
            if covering:
                fr = QTextLayout.FormatRange()
                fr.start, fr.length, fr.format = a, b - a, self._format(covering)
                out.append(fr)
        return out

    def _format(self, covering: list[SpanRow]) -> QTextCharFormat:
        # Colour and underline style agree on every piece (they name the same
        # label), so a reader never sees a claim's tint over a denial's wave...
        inner = min(covering, key=lambda r: (r.end - r.start, r.uid))
        # Copies of one extent (two annotators' identical spans): the piece shows the best
        # verdict among them, so a span accepted into the gold set never looks struck out
        # because its duplicate was rejected. The tooltip and the table list every copy.
        copies = [r for r in covering if (r.start, r.end) == (inner.start, inner.end)]
        if len(copies) > 1:
            inner = min(copies, key=lambda r: (_VERDICT_RANK.get(r.status, 1), r.uid))
        # ...except where copies of one extent disagree on the label: then the tint is one
        # label's and the underline another's, so the disagreement shows without hovering.
        underline = min((r.label for r in copies if r.label != inner.label), default=inner.label)
        key = (inner.label, underline, min(len(covering), 4), inner.status)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            style = self.styles.get(inner.label)
            t = theme.current()
            alpha = min(70 + t.tint_boost + 45 * (len(covering) - 1), 210)
            # A rejected span: half the tint, and text dimmed only as far as it stays readable (QA4-5:
            # grey struck text on a full tint fell below 3:1 on dark paper); the strike says rejected.
            fmt.setBackground(style.tint(alpha // 2 if inner.status == "rejected" else alpha))
            lined = self.styles.get(underline)
            fmt.setUnderlineStyle(lined.underline)
            fmt.setUnderlineColor(t.ink(lined.colour, 125))
            if inner.status == "rejected":
                fmt.setFontStrikeOut(True)
                fmt.setForeground(t.colour("rejected_text"))
            elif inner.status == "accepted":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            self._formats[key] = fmt
        return fmt
