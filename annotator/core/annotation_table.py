"""The rows of the workspace's annotations table, fetched a page at a time and kept in step, change by change.

The table lists the spans of the open articles, article by article in pane
order, each article's spans in text order (start, end, uid). It never holds
them all: it knows how many each article shows, and keeps the pages it has
fetched as *chunks*, runs of consecutive rows. A new span's row is its rank
(one indexed count); inserting it shifts the chunks after it by one and drops
only the chunk it lands in, so a tag costs the same at the top of a
50,000-span article as at its end (paging by OFFSET from the top of the
article cost ~50 ms per tag there). A chunk is fetched from the key of the
row before it, not by an offset from the top.

Sorting by another column (label, text, annotator...) is rarer: those views
page by offset and start afresh after each change.

Qt-free: the GUI's table model is a thin adapter that brackets ``insert`` and
``remove`` with Qt's begin/end calls.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .model import Annotation
from .store import Store, TableView

PAGE = 200
Key = tuple[int, int, str]


def text_key(a: Annotation) -> Key:
    return (a.start, a.end, a.uid)


@dataclass
class _Chunk:
    first: int                      # row of rows[0] within its article
    rows: list[Annotation]

    @property
    def end(self) -> int:
        return self.first + len(self.rows)


@dataclass
class _Article:
    article_id: int
    count: int
    chunks: list[_Chunk] = field(default_factory=list)   # sorted by first, never overlapping

    def find(self, local: int) -> Annotation | None:
        i = bisect_right([c.first for c in self.chunks], local) - 1
        if i >= 0 and local < self.chunks[i].end:
            return self.chunks[i].rows[local - self.chunks[i].first]
        return None

    def previous_key(self, local: int) -> tuple[Key | None, int]:
        """The nearest known row before ``local`` (its key, how far past it ``local`` is), or the article's start."""
        best: tuple[Key | None, int] = (None, local)
        for chunk in self.chunks:
            if chunk.first < local and chunk.rows:  # it ends at or before local: local is in no chunk
                best = (text_key(chunk.rows[-1]), local - chunk.end)
        return best

    def add_chunk(self, chunk: _Chunk) -> None:
        # Keep chunks apart: cut the new one where a known one begins.
        nxt = [c.first for c in self.chunks if c.first >= chunk.first]
        if nxt:
            chunk.rows = chunk.rows[:max(0, min(nxt) - chunk.first)]
        if chunk.rows:
            self.chunks.append(chunk)
            self.chunks.sort(key=lambda c: c.first)

    def shift(self, local: int, delta: int) -> None:
        """A row was inserted (+1) or removed (-1) at ``local``: drop the chunk it lands in, move those after it."""
        kept = []
        for chunk in self.chunks:
            if chunk.end <= local:
                kept.append(chunk)
            elif chunk.first > local or (delta > 0 and chunk.first == local):
                chunk.first += delta
                kept.append(chunk)
            # else the change happened inside this chunk: it is fetched again when needed
        self.chunks = kept
        self.count += delta


class AnnotationTable:
    """What the table shows for one ``TableView``; ``store`` is asked each time (the database may change)."""

    def __init__(self, store: Callable[[], Store], view: TableView | None = None) -> None:
        self._store = store
        self.view = view or TableView()
        self._articles: list[_Article] = []
        self._pages: dict[int, list[Annotation]] = {}   # sorted views: page number -> rows
        self._count = 0
        self._last: tuple[str, int] | None = None   # the row a change just placed: the GUI selects it next
        self.reset(self.view)

    # ----------------------------------------------------------------- state

    @property
    def in_text_order(self) -> bool:
        return self.view.sort in (None, "article") and not self.view.descending

    def reset(self, view: TableView) -> None:
        """Show ``view`` (new open articles, filter or sort), fetching nothing but the counts."""
        self.view = view
        self._pages.clear()
        self._last = None
        counts = self._store().table_counts(view)
        self._articles = [_Article(article_id, n) for article_id, n in counts]
        self._count = sum(n for _a, n in counts)

    def __len__(self) -> int:
        return self._count

    def shows(self, a: Annotation) -> bool:
        return (a.article_id in self.view.article_ids and a.label not in self.view.hidden_labels
                and a.annotator not in self.view.hidden_annotators)

    # ------------------------------------------------------------------ rows

    def row(self, row: int) -> Annotation | None:
        if not 0 <= row < self._count:
            return None
        if not self.in_text_order:
            page = self._pages.get(row // PAGE)
            if page is None:
                page = self._store().table_rows(self.view, (row // PAGE) * PAGE, PAGE)
                self._pages[row // PAGE] = page
            offset = row % PAGE
            return page[offset] if offset < len(page) else None
        article, local = self._locate(row)
        found = article.find(local)
        if found is None:
            after, skip = article.previous_key(local)
            rows = self._store().table_slice(self.view, article.article_id, after, skip, PAGE)
            article.add_chunk(_Chunk(local, rows))
            found = article.find(local)
        return found

    def row_of(self, uid: str) -> int | None:
        """The row showing ``uid``, or None if the view does not show it."""
        if self._last is not None and self._last[0] == uid:
            return self._last[1]
        store = self._store()
        if not self.in_text_order:
            return store.table_row_number(self.view, uid)
        if not store.has_annotation(uid):
            return None
        a = store.annotation(uid)
        return self._rank(a) if self.shows(a) else None

    def _locate(self, row: int) -> tuple[_Article, int]:
        for article in self._articles:
            if row < article.count:
                return article, row
            row -= article.count
        raise IndexError(row)

    def _article(self, article_id: int) -> tuple[_Article, int]:
        """The article's segment and the table row its first span sits on."""
        before = 0
        for article in self._articles:
            if article.article_id == article_id:
                return article, before
            before += article.count
        raise KeyError(article_id)

    def _rank(self, a: Annotation) -> int:
        article, first = self._article(a.article_id)
        return first + self._store().table_rank(self.view, a.article_id, text_key(a))

    # --------------------------------------------------------------- changes
    # The ``*_row`` methods read the database as it is after the change; the
    # caller brackets the matching ``insert`` / ``remove`` with Qt's signals.

    def added_row(self, a: Annotation) -> int | None:
        """Where a span the database now holds goes, or None if this view does not show it."""
        if not self.in_text_order or not self.shows(a):
            return None
        return self._rank(a)

    def removed_row(self, a: Annotation) -> int | None:
        """Where a span the database no longer holds was shown, or None."""
        if not self.in_text_order or not self.shows(a):
            return None
        return self._rank(a)

    def moved_rows(self, before: Annotation, after: Annotation) -> tuple[int | None, int | None]:
        """For an edited span: the row it was on, and the row it is on once that row is gone (None: not shown)."""
        if not self.in_text_order:
            return None, None
        old = None
        if self.shows(before):
            # Rows before its old place, not counting the span itself where it sits now.
            old = self._rank(before) - (1 if self.shows(after) and text_key(after) < text_key(before) else 0)
        new = self._rank(after) if self.shows(after) else None
        return old, new

    def insert(self, row: int, a: Annotation) -> None:
        article, first = self._article(a.article_id)
        article.shift(row - first, +1)
        self._count += 1
        self._last = (a.uid, row)

    def remove(self, row: int, a: Annotation) -> None:
        article, first = self._article(a.article_id)
        article.shift(row - first, -1)
        self._count -= 1
        self._last = None

    def replace(self, row: int, a: Annotation) -> None:
        """The span on ``row`` changed but stays there (a note, a verdict, a label shown either way)."""
        article, first = self._article(a.article_id)
        local = row - first
        self._last = (a.uid, row)
        for chunk in article.chunks:
            if chunk.first <= local < chunk.end:
                chunk.rows[local - chunk.first] = replace(a)


__all__ = ["PAGE", "AnnotationTable", "text_key"]
