"""What an export reads: articles in id order with their filtered spans, streamed, never all at once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..model import valid_date, valid_url
from . import sql
from .annotations import Annotations
from .sql import ANNOTATION_ROWS, in_list, where


def _every_article(all_articles: bool | None, *span_filters: Sequence[Any]) -> bool:
    """Whether an export writes articles without a matching span: by default, only when no span filter is set."""
    return not any(span_filters) if all_articles is None else all_articles


class Exports(Annotations):
    def export_counts(
        self,
        *,
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
        article_ids: Sequence[int] = (),
        all_articles: bool | None = None,
    ) -> tuple[int, int]:
        """How many articles and spans ``export_records`` with these filters yields, without reading texts."""
        conditions, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        spans, with_spans = self._conn.execute(
            f"SELECT count(*), count(DISTINCT n.article_id) FROM annotations n{where(conditions)}",
            params).fetchone()
        if not _every_article(all_articles, labels, annotators, statuses):
            return with_spans, spans
        if article_ids:
            articles = self._conn.execute(
                f"SELECT count(*) FROM articles WHERE {in_list('id', article_ids)}", list(article_ids)).fetchone()[0]
        else:
            articles = self.article_count()
        return articles, spans

    def spans_of_gone_articles(
        self, *, labels: Sequence[str] = (), annotators: Sequence[str] = (), statuses: Sequence[str] = (),
    ) -> list[tuple[str, int]]:
        """(uid, article id) of the spans matching these filters whose article is gone (deleted with foreign keys
        off): an export reads spans by article, so these would vanish from it unsaid."""
        conditions, params = self._annotation_filter((), labels, annotators, statuses)
        conditions.append("NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = n.article_id)")
        return [(uid, article_id) for uid, article_id in self._conn.execute(
            f"SELECT n.uid, n.article_id FROM annotations n{where(conditions)} ORDER BY n.article_id, n.uid",
            params)]

    def export_records(
        self,
        *,
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
        article_ids: Sequence[int] = (),
        all_articles: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Articles in id order, each a dict in the native JSONL shape with its filtered spans.

        With no span filter every article is written (articles with no spans are
        examples too); with a filter, only articles holding a matching span,
        unless ``all_articles`` says otherwise.
        """
        conditions, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        all_articles = _every_article(all_articles, labels, annotators, statuses)
        span_sql = (
            'SELECT n.article_id, n.uid, n.start, n."end", l.name, n.text, n.annotator, n.status, n.note,'
            " n.created_at, n.updated_at, n.reviewer, n.reviewed_at, n.review_note"
            f" FROM {ANNOTATION_ROWS}{where([*conditions, 'n.article_id BETWEEN ? AND ?'])}"
            ' ORDER BY n.article_id, n.start, n."end", n.uid'
        )
        article_conditions = ["id > ?"]
        article_params: list[Any] = []
        if article_ids:
            article_conditions.append(in_list("id", article_ids))
            article_params = list(article_ids)
        article_sql = (f"SELECT id, uid, title, source, url, published, sha256, text FROM articles"
                       f"{where(article_conditions)} ORDER BY id LIMIT ?")

        # A chunk of articles at a time, then their spans: one pass over each table, a
        # few hundred statements for 10,000 articles, and the database free between
        # chunks (sql.CHUNK) for the window's writes.
        last = 0
        while True:
            chunk = self._conn.execute(article_sql, [last, *article_params, sql.ARTICLE_CHUNK]).fetchall()
            if not chunk:
                return
            first, last = chunk[0][0], chunk[-1][0]
            by_article: dict[int, list[dict[str, Any]]] = {}
            for (aid, suid, start, end, label, stext, annotator, status, note, created, updated, reviewer,
                 reviewed_at, review_note) in self._conn.execute(span_sql, [*params, first, last]):
                by_article.setdefault(aid, []).append({
                    "uid": suid, "start": start, "end": end, "label": label, "text": stext,
                    "annotator": annotator, "status": status, "note": note,
                    "created_at": created, "updated_at": updated,
                    "reviewer": reviewer, "reviewed_at": reviewed_at, "review_note": review_note or "",
                })
            for aid, uid, title, source, url, published, sha, text in chunk:
                article_spans = by_article.get(aid, [])
                if article_spans or all_articles:
                    # What the app would refuse to store is not passed on, whatever the database
                    # holds (an older version, or another program, may have written it).
                    yield {
                        "id": aid, "uid": uid, "title": title, "source": source, "url": valid_url(url),
                        "published": valid_date(published), "sha256": sha, "text": text, "spans": article_spans,
                    }
