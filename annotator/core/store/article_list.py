"""The article list: ids in any order (optionally only those a search matches), then rows for the few shown.

A list over 10,000 articles keeps only their ids (Anki's browser does the same)
and asks for the rows it paints. Counts come from ``label_counts``, which
triggers keep in step with every write (schema step 0004), so neither the
order nor a page ever counts spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import AnnotatorError
from ..model import ArticleCounts
from .annotations import Annotations
from .sql import ARTICLE_COLUMNS, article_from, label_name

ORDER_KEYS = ("id", "title", "source", "label", "total")


@dataclass(frozen=True)
class ArticleOrder:
    """How the list is sorted: by ``id`` (import order), ``title``, ``source``, ``total`` spans, or
    ``label`` (the spans of the label named ``label``). Ties go by id, in the same direction."""

    by: str = "id"
    label: str | None = None
    descending: bool = False

    def __post_init__(self) -> None:
        if self.by not in ORDER_KEYS:
            raise AnnotatorError(f"cannot sort articles by {self.by!r} (by: {', '.join(ORDER_KEYS)})")
        if (self.by == "label") != (self.label is not None):
            raise AnnotatorError("sorting by a label's count needs the label, and only that sort takes one")


class ArticleList(Annotations):
    def article_ids(self, order: ArticleOrder = ArticleOrder(), *, needle: str = "") -> list[int]:
        """Every article's id in ``order``; with ``needle``, only the articles it finds (``search_articles``)."""
        direction = " DESC" if order.descending else ""
        params: list[Any] = []
        joins = ""
        if order.by == "title":
            key = "a.title COLLATE NOCASE"
        elif order.by == "source":
            # The same expression as the index articles_source, so that the index serves it.
            key = "coalesce(a.source, a.origin, '') COLLATE NOCASE"
        elif order.by == "label":
            assert order.label is not None
            joins = " LEFT JOIN label_counts c ON c.article_id = a.id AND c.label_id = ?"
            params.append(self.label(order.label).id)
            key = "coalesce(c.n, 0)"
        elif order.by == "total":
            key = "coalesce((SELECT sum(n) FROM label_counts c WHERE c.article_id = a.id), 0)"
        else:
            key = ""
        where = ""
        if needle:
            condition, search_params = self.search_condition(needle)
            if condition is None:
                where = ""
            else:
                where = f" WHERE a.id IN (SELECT rowid FROM article_search WHERE {condition})"
                params += search_params
        order_by = f"{key}{direction}, a.id{direction}" if key else f"a.id{direction}"
        return [r[0] for r in self._conn.execute(f"SELECT a.id FROM articles a{joins}{where} ORDER BY {order_by}",
                                                 params)]

    def article_rows(self, article_ids: Sequence[int]) -> list[ArticleCounts]:
        """The articles with these ids and their counts per label, in the order given (unknown ids left out)."""
        if not article_ids:
            return []
        ids = list(dict.fromkeys(article_ids))
        marks = ", ".join("?" * len(ids))
        found = {r[0]: article_from(r, self.path) for r in self._conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", ids)}
        counts = self.label_counts(list(found))
        return [ArticleCounts(found[i], counts[i]) for i in ids if i in found]

    def label_counts(self, article_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """For each of these articles, its spans per label name (labels with none left out)."""
        counts: dict[int, dict[str, int]] = {int(i): {} for i in article_ids}
        if not counts:
            return counts
        names = {label.id: label.name for label in self._label_map().values()}
        ids = list(counts)
        for article_id, label_id, n in self._conn.execute(
                f"SELECT article_id, label_id, n FROM label_counts WHERE article_id IN ({', '.join('?' * len(ids))})",
                ids):
            counts[article_id][self._counted_label(names, label_id, article_id)] = n
        return counts

    def _counted_label(self, names: dict[int, str], label_id: int, article_id: int) -> str:
        """The name of a label the counts name; one that is gone is said as the damage it is, naming a span."""
        if label_id in names:
            return names[label_id]
        row = self._conn.execute("SELECT uid FROM annotations WHERE label_id = ? AND article_id = ? LIMIT 1",
                                 (label_id, article_id)).fetchone()
        return label_name(names, label_id, f"annotation {row[0]}" if row else f"the count of article {article_id}",
                          self.path)

    def articles_with_counts(self) -> list[ArticleCounts]:
        """Every article with its spans per label name (the command line's list; a window asks for pages)."""
        names = {label.id: label.name for label in self._label_map().values()}
        counts: dict[int, dict[str, int]] = {}
        for article_id, label_id, n in self._conn.execute("SELECT article_id, label_id, n FROM label_counts"):
            counts.setdefault(article_id, {})[self._counted_label(names, label_id, article_id)] = n
        return [ArticleCounts(a, counts.get(a.id, {})) for a in self.articles()]


__all__ = ["ORDER_KEYS", "ArticleList", "ArticleOrder"]
