"""The articles a review tool offers to pick: those open in panes, not every article of the database.

A choice box of 10,000 titles takes a third of a second to fill and cannot be
read; the article to review or compare is the one the reviewer has open.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.errors import NotFoundError
from ..core.spans import excerpt
from ..core.store import Store
from .shown_text import one_line


def article_items(store: Store, article_ids: Iterable[int]) -> list[tuple[str, int]]:
    """(label, id) for each of these articles that exists, once each, in the order given."""
    items = []
    for article_id in dict.fromkeys(article_ids):
        try:
            title = store.article(article_id).title
        except NotFoundError:
            continue
        items.append((one_line(f"{article_id}: {excerpt(title, 60)}"), article_id))
    return items
