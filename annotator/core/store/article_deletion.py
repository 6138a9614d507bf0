"""Deleting an article with its spans, their links and its rejected suggestions; and undoing that.

One transaction, one event per row: the links and rejected suggestions go
first (through the claims room's change writer), then the spans, then the
article. The inverse puts them back in the reverse order, under the same uids
and, when it is free, the same article id (events name an article by id).
"""

from __future__ import annotations

from dataclasses import replace

from ..articles import ArticleChange, ArticleContent
from ..claims import ClaimChange
from ..errors import ArticleError
from .claims import Claims
from .events import NewEvent
from .sql import SELECT_ANNOTATIONS, annotation_from


class ArticleDeletion(Claims):
    def article_content(self, article_id: int) -> ArticleContent:
        """An article with its spans, their links and the suggestions rejected in it."""
        article = self.article(article_id)
        spans = tuple(annotation_from(r, self.path) for r in self._conn.execute(
            f'{SELECT_ANNOTATIONS} WHERE n.article_id = ? ORDER BY n.start, n."end", n.uid', (article_id,)))
        links = tuple(link for span in spans for link in self.links_of_span(span.uid))
        rejections = tuple(r for r in self.rejections() if r.article_id == article_id)
        return ArticleContent(article, self.article_text(article_id), spans, links, rejections)

    def rejection_count(self, article_id: int) -> int:
        """How many same-claim suggestions were rejected in this article."""
        return self._conn.execute("SELECT count(*) FROM claim_rejections WHERE article_id = ?",
                                  (article_id,)).fetchone()[0]

    def delete_article(self, article_id: int, *, actor: str) -> ArticleChange:
        """Delete an article with its spans, their claim links and its rejected suggestions; the change undoes it."""
        with self.transaction():
            content = self.article_content(article_id)
            return self._write_articles(ArticleChange(articles_removed=(content,)), actor)

    def apply_article_change(self, change: ArticleChange, *, actor: str) -> ArticleChange:
        """Do a change again, or (given ``change.inverse()``) undo it; returns it as written.

        An article comes back under its old id if no other article took it
        since, else under a new one (its spans follow).
        """
        return self._write_articles(change, actor)

    def _write_articles(self, change: ArticleChange, actor: str) -> ArticleChange:
        added: list[ArticleContent] = []
        removed: list[ArticleContent] = []
        with self.transaction():
            for content in change.articles_removed:
                removed.append(self._remove(content.article.id, actor))
            for content in change.articles_added:
                added.append(self._restore(content, actor))
        return ArticleChange(articles_added=tuple(added), articles_removed=tuple(removed))

    def _remove(self, article_id: int, actor: str) -> ArticleContent:
        content = self.article_content(article_id)
        self._write(ClaimChange(links_removed=content.links, rejections_removed=content.rejections), actor)
        events = []
        for span in content.spans:
            self.erase_annotation_row(span.uid)
            events.append(NewEvent("delete", "annotation", span.uid, span.as_values(), None, actor))
        self.erase_article_row(article_id)
        events.append(NewEvent("delete", "article", content.article.uid, content.as_values(), None, actor))
        self.append_events(events)
        return content

    def _restore(self, content: ArticleContent, actor: str) -> ArticleContent:
        a = content.article
        there = self.article_by_sha(a.sha256)
        if there is not None:
            raise ArticleError(f"the text of “{a.title}” is here again (article {there.id}, “{there.title}”);"
                               " delete that one first to bring this one back")
        if self.article_by_uid(a.uid) is not None:
            raise ArticleError(f"another article has the uid {a.uid} now")
        free = self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (a.id,)).fetchone() is None
        article = self.insert_article_row(
            content.text, uid=a.uid, sha256=a.sha256, title=a.title, source=a.source, url=a.url,
            published=a.published, origin=a.origin, created_at=a.created_at, article_id=a.id if free else None)
        spans = tuple(replace(s, article_id=article.id, id=None) for s in content.spans)
        restored = replace(content, article=article, spans=spans,
                           rejections=tuple(replace(r, article_id=article.id) for r in content.rejections))
        for span in spans:
            self.label(span.label)  # a label deleted since: say which, before a row names it
        self.insert_annotation_rows(spans)
        self.append_events([
            NewEvent("restore", "article", article.uid, None, restored.as_values(), actor),
            *(NewEvent("restore", "annotation", s.uid, None, s.as_values(), actor) for s in spans),
        ])
        # Links to a claim deleted since cannot come back; the rest do.
        links = tuple(k for k in restored.links if self.has_claim(k.claim_uid))
        rejections = tuple(r for r in restored.rejections if self.has_claim(r.claim_uid))
        self._write(ClaimChange(links_added=links, rejections_added=rejections), actor, create="restore",
                    stamp=False)
        return replace(restored, links=links, rejections=rejections)


__all__ = ["ArticleDeletion"]
