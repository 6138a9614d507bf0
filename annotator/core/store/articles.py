"""Articles: texts imported once and never edited, their metadata, and search over them."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import FieldError, NotFoundError
from ..model import Article, check_date, check_url, new_uid, now_iso
from . import sql
from .events import EventLog, NewEvent
from .sql import ARTICLE_COLUMNS, article_from, article_text_from, search_row

# New articles' rows of the search index wait for the end of the transaction
# (or a pause between savepoints): FTS5 writes its pending terms out at every
# savepoint, and an import wraps each article in one, so indexing article by
# article cost 2.3x indexing them together (280 ms against 120 ms for 1,000).
_SEARCH_ROWS_HELD = 500

EDITABLE_ARTICLE_FIELDS = ("title", "source", "url", "published")


class Articles(EventLog):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._texts: OrderedDict[int, str] = OrderedDict()
        self._search_rows: dict[int, tuple[int, str, str, str]] = {}

    def _forget_cached(self) -> None:
        super()._forget_cached()
        self._texts.clear()

    def _before_commit(self) -> None:
        super()._before_commit()
        self._write_search_rows()

    def _between_writes(self) -> None:
        super()._between_writes()
        if len(self._search_rows) >= _SEARCH_ROWS_HELD:
            self._write_search_rows()

    def _forget_deferred(self) -> None:
        super()._forget_deferred()
        self._search_rows.clear()

    def _write_search_rows(self) -> None:
        if not self._search_rows:
            return
        # A savepoint rolled back since may have taken some of these articles
        # with it (and its ids may have gone to later articles, whose rows
        # replaced these under the same key): index only those still there.
        present = {r[0] for r in self._conn.execute("SELECT id FROM articles WHERE id >= ?",
                                                   (min(self._search_rows),))}
        rows = [row for article_id, row in sorted(self._search_rows.items()) if article_id in present]
        self._search_rows.clear()
        self._conn.executemany("INSERT INTO article_search (rowid, title, source, text) VALUES (?, ?, ?, ?)", rows)

    def add_article(
        self,
        text: str,
        *,
        title: str,
        actor: str,
        source: str | None = None,
        url: str | None = None,
        published: str | None = None,
        origin: str | None = None,
        uid: str | None = None,
        sha256: str | None = None,
    ) -> tuple[Article, bool]:
        """Store an article; return it and whether it is new (False: same text was there).

        The url and date keep the rules ``edit_article`` keeps (an import drops a bad one before, and says so).
        """
        import hashlib

        url, published = check_url(url, "the url"), check_date(published, "the published date")

        digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self.transaction():
            existing = self.article_by_sha(digest)
            if existing is not None:
                return existing, False
            article = self.insert_article_row(
                text, uid=uid or new_uid(), sha256=digest, title=title, source=source, url=url,
                published=published, origin=origin, created_at=now_iso(),
            )
            self.append_events([NewEvent("import", "article", article.uid, None, {
                "title": title, "source": source, "url": url, "published": published,
                "origin": origin, "sha256": digest}, actor, at=article.created_at)])
        return article, True

    def insert_article_row(
        self, text: str, *, uid: str, sha256: str, title: str, source: str | None, url: str | None,
        published: str | None, origin: str | None, created_at: str, article_id: int | None = None,
    ) -> Article:
        """The article's row under ``uid``, or a fresh uid if another text has it.

        No event: the caller records its own in the same transaction.
        ``article_id`` (a deleted article coming back) must be free.
        """
        if self._conn.execute("SELECT 1 FROM articles WHERE uid = ?", (uid,)).fetchone():
            uid = new_uid()  # a different text under a reused uid: keep both, apart
        cur = self._conn.execute(
            "INSERT INTO articles (id, uid, sha256, title, source, url, published, origin, text, length, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, uid, sha256, title, source, url, published, origin, text, len(text), created_at),
        )
        assert cur.lastrowid is not None
        self._texts.pop(cur.lastrowid, None)
        # The search index folds in Python (search.fold), so no trigger can add this
        # row; it goes in when the transaction ends (_SEARCH_ROWS_HELD).
        self._search_rows[cur.lastrowid] = search_row(cur.lastrowid, title, source, origin, text)
        if self._depth == 0:
            self._write_search_rows()
        return Article(cur.lastrowid, uid, title, source, url, published, sha256, origin, created_at, len(text))

    def erase_article_row(self, article_id: int) -> None:
        """Remove the article's row, with no event: the caller records its own (and removed its spans first)."""
        self._conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))   # a trigger unindexes it
        self._texts.pop(article_id, None)
        self._search_rows.pop(article_id, None)

    def edit_article(self, article_id: int, *, actor: str, **changes: str | None) -> Article:
        """Change an article's title, source, url or published date: one event (``article`` ``edit``).

        The text stays as imported: offsets index it. A url must be an http(s)
        address and a date ISO 8601; an empty value clears the field (not the title).
        """
        unknown = set(changes) - set(EDITABLE_ARTICLE_FIELDS)
        if unknown:
            raise FieldError(f"an article's {', '.join(sorted(unknown))} cannot be edited"
                             f" (editable: {', '.join(EDITABLE_ARTICLE_FIELDS)})")
        values: dict[str, str | None] = {}
        for name, value in changes.items():
            if name == "title":
                value = " ".join((value or "").split())
                if not value:
                    raise FieldError("an article needs a title")
            elif name == "url":
                value = check_url(value, "the url")
            elif name == "published":
                value = check_date(value, "the published date")
            else:
                value = " ".join((value or "").split()) or None
            values[name] = value
        with self.transaction():
            before = self.article(article_id)
            old = {name: getattr(before, name) for name in values}
            changed = [name for name, value in values.items() if old[name] != value]
            if not changed:
                return before
            self._conn.execute(
                f"UPDATE articles SET {', '.join(f'{name} = ?' for name in changed)} WHERE id = ?",
                [*(values[name] for name in changed), article_id])
            self._search_names(article_id)
            self.append_events([NewEvent("edit", "article", before.uid, {k: old[k] for k in changed},
                                         {k: values[k] for k in changed}, actor)])
        return self.article(article_id)

    def write_article_details(self, uid: str, values: dict[str, str | None]) -> None:
        """Overwrite an article's title, source, url and published date (merge), with no event."""
        fields = [name for name in EDITABLE_ARTICLE_FIELDS if name in values]
        self._conn.execute(f"UPDATE articles SET {', '.join(f'{name} = ?' for name in fields)} WHERE uid = ?",
                           [*(values[name] for name in fields), uid])
        row = self._conn.execute("SELECT id FROM articles WHERE uid = ?", (uid,)).fetchone()
        if row is not None:
            self._search_names(row[0])

    def _search_names(self, article_id: int) -> None:
        """Put an article's edited title and source into the search index (folded in Python: no trigger can)."""
        from ..search import fold

        row = self._conn.execute("SELECT title, source, origin FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return
        title, source = fold(row[0]), fold(row[1] or row[2] or "")
        held = self._search_rows.get(article_id)
        if held is not None:
            self._search_rows[article_id] = (article_id, title, source, held[3])
        else:
            self._conn.execute("UPDATE article_search SET title = ?, source = ? WHERE rowid = ?",
                               (title, source, article_id))

    def article(self, article_id: int) -> Article:
        row = self._conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return article_from(row, self.path)

    def article_by_sha(self, sha256: str) -> Article | None:
        row = self._conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
        return article_from(row, self.path) if row else None

    def article_by_uid(self, uid: str) -> Article | None:
        row = self._conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE uid = ?", (uid,)).fetchone()
        return article_from(row, self.path) if row else None

    def article_by_origin(self, origin: str) -> Article | None:
        """The first article imported from a file of this name (a scan of every article: not for start-up)."""
        row = self._conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE origin = ? ORDER BY id LIMIT 1", (origin,)).fetchone()
        return article_from(row, self.path) if row else None

    def first_articles(self, n: int) -> list[Article]:
        """The ``n`` articles imported first."""
        rows = self._conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id LIMIT ?", (n,)).fetchall()
        return [article_from(r, self.path) for r in rows]

    def article_text(self, article_id: int) -> str:
        """The stored text that offsets index (articles never change, so it is cached)."""
        text = self._texts.get(article_id)
        if text is None:
            row = self._conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no article with id {article_id}")
            text = article_text_from(article_id, row[0], self.path)
            self._texts[article_id] = text
            if len(self._texts) > 32:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(article_id)
        return text

    def article_texts_after(self, article_id: int) -> Iterator[tuple[int, str]]:
        """(id, text) of the articles with a greater id, in id order, streamed (indexes catch up with imports)."""
        for article in self.article_texts(after=article_id):
            yield article[0], article[3]

    def articles_by_id(self, ids: Iterable[int]) -> list[Article]:
        wanted = sorted({int(i) for i in ids})
        found: list[Article] = []
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            found += [article_from(r, self.path) for r in self._conn.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({', '.join('?' * len(chunk))}) ORDER BY id",
                chunk)]
        return found

    def articles(self) -> list[Article]:
        rows = self._conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id").fetchall()
        return [article_from(r, self.path) for r in rows]

    def search_articles(self, needle: str) -> set[int]:
        """Ids of the articles whose title, source or text contains ``needle``, ignoring case and accents.

        Needles of one or two characters (once folded) match titles and sources
        only: a trigram index cannot serve them, and two letters are in nearly
        every text anyway. See ``search_condition``.
        """
        condition, params = self.search_condition(needle)
        if condition is None:
            return set()
        return {r[0] for r in self._conn.execute(f"SELECT rowid FROM article_search WHERE {condition}", params)}

    @staticmethod
    def search_condition(needle: str) -> tuple[str | None, list[Any]]:
        """A condition on ``article_search`` rows for the articles matching ``needle`` (None: nothing typed).

        SQLite's LIKE and lower() fold ASCII only ("Türkiye" would miss "TÜRKIYE"),
        so the index holds texts folded by ``search.fold``, and the needle is
        folded the same way. From three characters on, the trigram index finds
        the substring as a phrase (~1-12 ms at 10,000 articles). Shorter needles
        scan the folded titles and sources (~20 ms at 10,000 articles): a bounded
        pass over short strings, never over the texts.
        """
        from ..search import fold

        folded = fold(needle.strip())
        if not folded:
            return None, []
        if len(folded) < 3:
            return "(instr(title, ?) > 0 OR instr(source, ?) > 0)", [folded, folded]
        return "article_search MATCH ?", ['"' + folded.replace('"', '""') + '"']

    def article_texts(self, *, after: int = 0) -> Iterator[tuple[int, str, str, str]]:
        """Every article's (id, uid, sha256, text), in id order (past ``after``), a chunk per statement."""
        last = after
        while True:
            rows = self._conn.execute("SELECT id, uid, sha256, text FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                                      (last, sql.ARTICLE_CHUNK)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for article_id, uid, sha256, text in rows:
                yield article_id, uid, sha256, article_text_from(article_id, text, self.path)

    def article_lengths(self, article_ids: Sequence[int]) -> dict[int, int]:
        """Each of these articles' length in characters (what offsets count)."""
        found: dict[int, int] = {}
        ids = list(article_ids)
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            found.update(self._conn.execute(
                f"SELECT id, length FROM articles WHERE id IN ({', '.join('?' * len(part))})", part).fetchall())
        return found

    def longest_article(self) -> int:
        """The length of the longest article, in characters (0 with none)."""
        return self._conn.execute("SELECT coalesce(max(length), 0) FROM articles").fetchone()[0]

    def article_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM articles").fetchone()[0]
