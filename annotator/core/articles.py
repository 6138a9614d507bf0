"""Deleting an article and bringing it back: what goes with it, as one change.

An article's text never changes, but the article can go: with its spans,
their links to claims and the same-claim suggestions rejected in it, in one
transaction with one event per row (``delete``). ``delete_article`` returns an
``ArticleChange`` holding all of it; applying the change's inverse restores
the article under its uid, its spans with their uids, times and review state,
and their links (``restore`` events), so that verify finds table and log in
step after either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .claims import Link, Rejection
from .model import Annotation, Article
from .spans import excerpt
from .words import count

if TYPE_CHECKING:
    from .suggestions import Suggestion


@dataclass(frozen=True)
class ArticleContent:
    """An article with everything that hangs on it."""

    article: Article
    text: str
    spans: tuple[Annotation, ...] = ()
    links: tuple[Link, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    """Its suggested spans in any state (store/suggestions.py takes them away and brings them back)."""

    def as_values(self) -> dict[str, Any]:
        """What an article's delete and restore events record (the text is named by its sha256)."""
        a = self.article
        return {"title": a.title, "source": a.source, "url": a.url, "published": a.published,
                "origin": a.origin, "sha256": a.sha256}


@dataclass(frozen=True)
class ArticleChange:
    """Articles deleted or brought back, with their spans and links: enough to undo it and to do it again."""

    articles_added: tuple[ArticleContent, ...] = ()
    articles_removed: tuple[ArticleContent, ...] = ()

    def inverse(self) -> ArticleChange:
        return ArticleChange(articles_added=self.articles_removed, articles_removed=self.articles_added)

    @property
    def empty(self) -> bool:
        return not (self.articles_added or self.articles_removed)

    @property
    def removed_ids(self) -> frozenset[int]:
        return frozenset(c.article.id for c in self.articles_removed)

    @property
    def added_ids(self) -> frozenset[int]:
        return frozenset(c.article.id for c in self.articles_added)

    def describe(self) -> str:
        """For an undo menu: "Delete “Kremlin denies...”"."""
        contents = self.articles_removed or self.articles_added
        verb = "Delete" if self.articles_removed else "Restore"
        if len(contents) == 1:
            return f"{verb} “{excerpt(contents[0].article.title, 40)}”"
        return f"{verb} {count(len(contents), 'article')}"


__all__ = ["ArticleChange", "ArticleContent"]
