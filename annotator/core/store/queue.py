"""The review queue in SQL: the next and previous matching span, how many match, and where one stands.

The queue's order is (article, start, end, uid). Nothing here reads more than
one article's spans: the articles that hold a match, and how many, come from
``queue_counts`` (a few rows per article, kept in step by triggers, schema step
0004), so a step, a count or a place costs the same at 100 spans and at a
million, whatever the filter.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..model import STATUSES, Annotation, check_status
from .annotations import Annotations
from .sql import SELECT_ANNOTATIONS, annotation_from, in_clauses, where

ReviewKey = tuple[int, int, int, str]
"""(article_id, start, end, uid): an annotation's place in review order."""


class QueueRows(Annotations):
    def neighbour_annotation(
        self,
        key: ReviewKey | None,
        *,
        backwards: bool = False,
        article_ids: Sequence[int] = (),
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> Annotation | None:
        """The matching annotation just after (or before) ``key`` in review order.

        ``key`` is (article_id, start, end, uid); None means from the very start
        (or end). The key need not belong to a matching, or even existing,
        annotation: a reviewer moves on from a span that their verdict has just
        taken out of a "pending" queue.
        """
        filters = (article_ids, labels, annotators, statuses)
        if key is not None:
            found = self._first_in_article(key[0], key[1:], backwards, filters)
            if found is not None:
                return found
        article_id = self._next_article(None if key is None else key[0], backwards, filters)
        return None if article_id is None else self._first_in_article(article_id, None, backwards, filters)

    def count_annotations(
        self,
        *,
        article_ids: Sequence[int] = (),
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> int:
        """How many annotations match every given filter (an empty filter matches all)."""
        if not (article_ids or labels or annotators):
            for status in statuses:
                check_status(status)
            condition, params = (in_clauses((("status", list(statuses)),)))
            return self._conn.execute(f"SELECT coalesce(sum(n), 0) FROM status_counts{where(condition)}",
                                      params).fetchone()[0]
        conditions, params = self._count_filter(article_ids, labels, annotators, statuses)
        return self._conn.execute(f"SELECT coalesce(sum(q.n), 0) FROM queue_counts q{where(conditions)}",
                                  params).fetchone()[0]

    def count_annotations_before(
        self,
        key: ReviewKey,
        *,
        article_ids: Sequence[int] = (),
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> int:
        """How many matching annotations come before ``key`` in review order."""
        article_id, start, end, uid = key
        conditions, params = self._count_filter(article_ids, labels, annotators, statuses)
        earlier = self._conn.execute(
            f"SELECT coalesce(sum(q.n), 0) FROM queue_counts q{where([*conditions, 'q.article_id < ?'])}",
            [*params, article_id]).fetchone()[0]
        conditions, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        conditions += ["n.article_id = ?", '(n.start, n."end", n.uid) < (?, ?, ?)']
        within = self._conn.execute(f"SELECT count(*) FROM annotations n{where(conditions)}",
                                    [*params, article_id, start, end, uid]).fetchone()[0]
        return earlier + within

    def annotation_matches(
        self,
        uid: str,
        *,
        article_ids: Sequence[int] = (),
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> bool:
        """Whether annotation ``uid`` exists and matches every given filter."""
        conditions, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        return self._conn.execute(f"SELECT 1 FROM annotations n{where([*conditions, 'n.uid = ?'])}",
                                  [*params, uid]).fetchone() is not None

    def iter_annotations(
        self,
        *,
        article_ids: Sequence[int] = (),
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> Iterator[Annotation]:
        """``annotations()`` streamed: the matching annotations in review order, read as they are used."""
        conditions, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        cursor = self._conn.cursor()
        for row in cursor.execute(
                f'{SELECT_ANNOTATIONS}{where(conditions)} ORDER BY n.article_id, n.start, n."end", n.uid', params):
            yield annotation_from(row, self.path)

    # ---------------------------------------------------------------- walking

    def _first_in_article(
        self, article_id: int, after: Sequence[Any] | None, backwards: bool,
        filters: tuple[Sequence[int], Sequence[str], Sequence[str], Sequence[str]],
    ) -> Annotation | None:
        conditions, params = self._annotation_filter(*filters)
        conditions.append("n.article_id = ?")
        params.append(article_id)
        if after is not None:
            conditions.append(f'(n.start, n."end", n.uid) {"<" if backwards else ">"} (?, ?, ?)')
            params += list(after)
        order = "DESC" if backwards else "ASC"
        row = self._conn.execute(
            f'{SELECT_ANNOTATIONS}{where(conditions)} ORDER BY n.start {order}, n."end" {order}, n.uid {order}'
            " LIMIT 1", params).fetchone()
        return annotation_from(row, self.path) if row else None

    def _next_article(
        self, article_id: int | None, backwards: bool,
        filters: tuple[Sequence[int], Sequence[str], Sequence[str], Sequence[str]],
    ) -> int | None:
        """The nearest article after (before) ``article_id`` holding a match, from the counts."""
        article_ids, labels, annotators, statuses = filters
        found = []
        # One walk of the (status, article_id, ...) key per status: each stops at
        # its first match, where one query over several statuses would read them all.
        for status in statuses or STATUSES:
            conditions, params = self._count_filter(article_ids, labels, annotators, (status,))
            if article_id is not None:
                conditions.append(f"q.article_id {'<' if backwards else '>'} ?")
                params.append(article_id)
            row = self._conn.execute(
                f"SELECT q.article_id FROM queue_counts q{where([*conditions, 'q.n > 0'])}"
                f" ORDER BY q.article_id {'DESC' if backwards else 'ASC'} LIMIT 1", params).fetchone()
            if row is not None:
                found.append(row[0])
        if not found:
            return None
        return max(found) if backwards else min(found)

    def _count_filter(
        self, article_ids: Sequence[int], labels: Sequence[str], annotators: Sequence[str], statuses: Sequence[str],
    ) -> tuple[list[str], list[Any]]:
        """The filter on ``queue_counts`` rows; no status filter names every status, so the key serves it."""
        for status in statuses:
            check_status(status)
        return in_clauses((
            ("q.status", list(statuses or STATUSES)),
            ("q.article_id", list(article_ids)),
            ("q.label_id", [self.label(name).id for name in labels]),
            ("q.annotator", list(annotators)),
        ))


__all__ = ["QueueRows", "ReviewKey"]
