"""Uids that name different things in two databases: found, and renamed in a private copy before a merge.

Two honest databases can use one uid for different texts (two files both
carrying ``"uid": "art-1"``) or different spans (tools that number spans
``s1, s2`` per file). Merged as they are, the colleague's events for "art-1"
would be replayed onto another article here, and ``verify`` would fail for
good. A merge therefore renames the colleague's side first, in a private copy
of their file: everywhere the uid is named (rows, links, events), so the copy
merges as if the collision had never been.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .events import EventLog, dump_values


class Renames(EventLog):
    def article_shas(self, uids: Iterable[str]) -> dict[str, str]:
        """For each of these article uids known here (a row, or only its import event), its text's sha256."""
        wanted = list(dict.fromkeys(uids))
        found: dict[str, str] = {}
        for chunk in _chunks(wanted):
            found.update(self._conn.execute(
                f"SELECT uid, sha256 FROM articles WHERE uid IN ({_marks(chunk)})", chunk).fetchall())
        rest = [uid for uid in wanted if uid not in found]
        for chunk in _chunks(rest):
            for uid, after in self._conn.execute(
                    "SELECT entity_uid, after FROM events WHERE entity = 'article' AND action = 'import'"
                    f" AND entity_uid IN ({_marks(chunk)}) ORDER BY id", chunk):
                sha = json.loads(after).get("sha256") if after else None
                if isinstance(sha, str):
                    found.setdefault(uid, sha)
        return found

    def span_article_shas(self, uids: Iterable[str]) -> dict[str, str]:
        """For each of these annotation uids known here (a row, or only in the log), the sha256 of its article."""
        wanted = list(dict.fromkeys(uids))
        found: dict[str, str] = {}
        for chunk in _chunks(wanted):
            found.update(self._conn.execute(
                "SELECT n.uid, a.sha256 FROM annotations n JOIN articles a ON a.id = n.article_id"
                f" WHERE n.uid IN ({_marks(chunk)})", chunk).fetchall())
        rest = [uid for uid in wanted if uid not in found]
        for chunk in _chunks(rest):
            # A deleted span: the article its last events name.
            for uid, before, after in self._conn.execute(
                    "SELECT entity_uid, before, after FROM events WHERE entity = 'annotation'"
                    f" AND entity_uid IN ({_marks(chunk)}) ORDER BY id", chunk):
                for values in (after, before):
                    article_id = json.loads(values).get("article_id") if values else None
                    if isinstance(article_id, int):
                        row = self._conn.execute("SELECT sha256 FROM articles WHERE id = ?", (article_id,)).fetchone()
                        if row is not None:
                            found[uid] = row[0]
                        break
        return found

    def span_identities(self) -> list[tuple[str, str, int, int, str, str]]:
        """Every span as (uid, its article's sha256, start, end, label name, annotator): what makes two spans of
        two databases the same span when their uids differ (a merge recognises them)."""
        return self._conn.execute(
            'SELECT n.uid, a.sha256, n.start, n."end", l.name, n.annotator FROM annotations n'
            " JOIN articles a ON a.id = n.article_id JOIN labels l ON l.id = n.label_id ORDER BY n.id").fetchall()

    def rename_uids(self, articles: dict[str, str], spans: dict[str, str]) -> None:
        """Give these articles and spans new uids (old -> new) in every row and event that names them.

        Only for a private copy (``Connection.private_copy``): it rewrites the
        log, which is what the guards of the log are there to stop.
        """
        assert self._private_folder is not None, "uids are renamed in a private copy only"
        from ..claims import link_uid

        with self.transaction():
            self._conn.execute("DROP TRIGGER IF EXISTS events_no_update")
            for old, new in articles.items():
                self._conn.execute("UPDATE articles SET uid = ? WHERE uid = ?", (new, old))
                self._conn.execute("UPDATE events SET entity_uid = ? WHERE +entity = 'article' AND entity_uid = ?",
                                   (new, old))
            for old, new in spans.items():
                self._conn.execute("UPDATE annotations SET uid = ? WHERE uid = ?", (new, old))
                # "+entity": through the entity_uid index; the (entity, id) index would walk every
                # annotation event for each span (18,751 spans recognised by a merge took 73 s).
                self._conn.execute("UPDATE events SET entity_uid = ? WHERE +entity = 'annotation' AND entity_uid = ?",
                                   (new, old))
                for claim_uid, in self._conn.execute("SELECT claim_uid FROM links WHERE span_uid = ?",
                                                     (old,)).fetchall():
                    self._conn.execute("UPDATE links SET span_uid = ?, uid = ? WHERE span_uid = ? AND claim_uid = ?",
                                       (new, link_uid(new, claim_uid), old, claim_uid))
            if spans:
                self._rename_link_events(spans, link_uid)

    def _rename_link_events(self, spans: dict[str, str], link_uid: Any) -> None:
        rows = self._conn.execute("SELECT id, before, after FROM events WHERE entity = 'link'").fetchall()
        for event_id, before, after in rows:
            values = [json.loads(v) if v else None for v in (before, after)]
            named = {v.get("span_uid") for v in values if v}
            old = next((uid for uid in named if uid in spans), None)
            if old is None:
                continue
            claim = next(v.get("claim_uid") for v in values if v)
            renamed = [None if v is None else {**v, "span_uid": spans.get(v.get("span_uid"), v.get("span_uid"))}
                       for v in values]
            self._conn.execute("UPDATE events SET entity_uid = ?, before = ?, after = ? WHERE id = ?",
                               (link_uid(spans[old], claim), dump_values(renamed[0]), dump_values(renamed[1]),
                                event_id))


def _chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _marks(chunk: list[str]) -> str:
    return ", ".join("?" * len(chunk))
