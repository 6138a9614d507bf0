"""Annotations: tagging, editing and deleting spans, and reading them back in review order."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from ..errors import DuplicateSpanError, NotFoundError, SpanError
from ..model import Annotation, annotator_key, check_span, check_status, label_key, new_uid, now_iso
from ..review import clearing_review
from . import sql
from .articles import Articles
from .cells import BadRowError, damaged_row
from .events import NewEvent, dump_values
from .labels import Labels
from .sql import ANNOTATION_ROWS, SELECT_ANNOTATIONS, annotation_from, in_clauses, in_list, label_name, offsets, where

_SPAN_ROW_COLUMNS = 'n.uid, n.start, n."end", l.name, n.status, n.annotator, n.note'
# A merge writes the colleague's version of an annotation over this one's.
_OVERWRITE_ANNOTATION = (
    ' ON CONFLICT (uid) DO UPDATE SET article_id = excluded.article_id, start = excluded.start,'
    ' "end" = excluded."end", label_id = excluded.label_id, text = excluded.text, note = excluded.note,'
    " annotator = excluded.annotator, status = excluded.status, created_at = excluded.created_at,"
    " updated_at = excluded.updated_at, reviewer = excluded.reviewer, reviewed_at = excluded.reviewed_at,"
    " review_note = excluded.review_note"
)


_INSERTED = ('uid, article_id, start, "end", label_id, text, note, annotator, status, created_at, updated_at,'
             " reviewer, reviewed_at, review_note")
_MARKS = ", ".join("?" * 14)
_STAGED_FROM = 50
# A span and its article whose cells are of their types: only these can be held against the text.
_SPAN_CELLS_TYPED = ("typeof(n.start) = 'integer' AND typeof(n.\"end\") = 'integer' AND typeof(n.text) = 'text'"
                     " AND typeof(a.text) = 'text'")
# What a pane draws: the spans with a label (a span whose label is gone is damage that verify
# and every read of whole annotations name; drawing leaves it out rather than fail the pane).
_DRAWN_ROWS = "annotations n JOIN labels l ON l.id = n.label_id"


class SpanRow(NamedTuple):
    """What drawing a span needs, without the rest of the annotation."""

    uid: str
    start: int
    end: int
    label: str
    status: str
    annotator: str
    note: str


class Annotations(Articles, Labels):
    # ---------------------------------------------------------------- reading

    def annotation(self, uid: str) -> Annotation:
        row = self._conn.execute(f"{SELECT_ANNOTATIONS} WHERE n.uid = ?", (uid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no annotation with uid {uid}")
        return annotation_from(row, self.path)

    def has_annotation(self, uid: str) -> bool:
        return self._conn.execute("SELECT 1 FROM annotations WHERE uid = ?", (uid,)).fetchone() is not None

    def annotations_for(self, article_id: int) -> list[Annotation]:
        """An article's annotations sorted by (start, end)."""
        rows = self._conn.execute(
            f'{SELECT_ANNOTATIONS} WHERE n.article_id = ? ORDER BY n.start, n."end", n.uid',
            (article_id,),
        ).fetchall()
        return [annotation_from(r, self.path) for r in rows]

    def gone_article(self, article_id: int) -> BadRowError:
        """The error for spans whose article ``article_id`` is gone (deleted with foreign keys off), naming one."""
        row = self._conn.execute("SELECT uid FROM annotations WHERE article_id = ? LIMIT 1", (article_id,)).fetchone()
        what = f"annotation {row[0]}" if row else f"a count of spans of article {article_id}"
        return damaged_row(self.path, f"{what} is of article {article_id}, which is gone (deleted outside annotator)")

    def annotation_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM annotations").fetchone()[0]

    def annotators(self, *, article_ids: Sequence[int] = ()) -> list[str]:
        """Everyone with spans (in these articles), by name; from the maintained counts, not a million spans."""
        if not article_ids:
            return [r[0] for r in self._conn.execute("SELECT annotator FROM annotator_counts ORDER BY annotator")]
        conditions, params = in_clauses((("article_id", list(article_ids)),))
        return [r[0] for r in self._conn.execute(
            f"SELECT DISTINCT annotator FROM queue_counts{where(conditions)} ORDER BY annotator", params)]

    def annotator_spelling(self, name: str) -> str:
        """How this database already spells ``name`` (compared as ``model.annotator_key``: "Ana" is "ana").

        A name it does not know comes back as typed, its whitespace runs made
        one space. Where an older database holds two spellings, the one with
        more spans. Read from the maintained counts: a handful of rows.
        """
        typed = " ".join(name.split())
        key = annotator_key(typed)
        found = [(n, spelling) for spelling, n in self._conn.execute("SELECT annotator, n FROM annotator_counts")
                 if annotator_key(spelling) == key]
        return max(found)[1] if found else typed

    def annotation_states(self) -> Iterator[tuple[str, str]]:
        """Every annotation's uid and values as the log writes them (an event's ``after``), by uid, streamed.

        JSON with sorted keys, as ``dump_values(annotation.as_values())`` makes it,
        so that a row still as its last event left it compares equal as a string.
        """
        yield from self._conn.cursor().execute(
            "SELECT n.uid, json_object('annotator', n.annotator, 'article_id', n.article_id, 'end', n.\"end\","
            " 'label', l.name, 'note', n.note, 'review_note', n.review_note, 'start', n.start, 'status', n.status,"
            f" 'text', n.text) FROM {ANNOTATION_ROWS} ORDER BY n.uid")

    def span_text_mismatches(self) -> list[tuple[str, int, int, str]]:
        """(uid, start, end, text) of the spans whose text is not their article's text there, in review order.

        SQLite's substr counts characters as Python does (code points); Python
        checks again what SQLite picks out, so only real mismatches come back.
        Spans whose cells are not of their types, or whose article is gone, are
        left to ``cell_problems``, which says what is wrong with them.
        """
        rows = self._conn.execute(
            'SELECT n.uid, n.start, n."end", n.text, a.text FROM annotations n JOIN articles a ON a.id = n.article_id'
            ' WHERE substr(a.text, n.start + 1, n."end" - n.start) IS NOT n.text'
            f" AND {_SPAN_CELLS_TYPED}"
            ' ORDER BY n.article_id, n.start, n."end", n.uid').fetchall()
        return [(uid, start, end, text) for uid, start, end, text, article in rows if article[start:end] != text]

    def annotated_articles(self, annotators: Sequence[str]) -> list[int]:
        """Ids of the articles where one of ``annotators`` has a span, in order."""
        conditions, params = in_clauses((("annotator", list(annotators)),))
        return [r[0] for r in self._conn.execute(
            f"SELECT DISTINCT article_id FROM queue_counts{where(conditions)} ORDER BY article_id", params)]

    def spans_by_article(self, article_ids: Sequence[int] = (), annotators: Sequence[str] = (),
                         ) -> Iterator[tuple[int, list[tuple[int, int, str, str, str]]]]:
        """Each article's spans as (start, end, label, annotator, uid), one article at a time in id order.

        Read as they are used (agreement over a million spans holds one article's).
        """
        conditions, params = in_clauses((("article_id", list(article_ids)), ("annotator", list(annotators))))
        names = {label.id: label.name for label in self._label_map().values()}
        # A range of articles per statement (sql.ARTICLE_CHUNK): the database is free between them.
        last = 0
        while True:
            window = [r[0] for r in self._conn.execute(
                "SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, sql.ARTICLE_CHUNK))]
            if not window:
                return
            last = window[-1]
            rows = self._conn.execute(
                f'SELECT article_id, start, "end", label_id, annotator, uid FROM annotations'
                f"{where([*conditions, 'article_id BETWEEN ? AND ?'])} ORDER BY article_id",
                [*params, window[0], last]).fetchall()
            for article_id, group in itertools.groupby(rows, key=lambda r: r[0]):
                yield article_id, [(*offsets(uid, start, end, self.path),
                                    label_name(names, label_id, f"annotation {uid}", self.path), who, uid)
                                   for _, start, end, label_id, who, uid in group]

    # Views over one article's spans that never load them all: the workspace asks
    # for the visible stretch of text.

    def spans_in_range(self, article_id: int, lo: int, hi: int, *,
                       hidden_annotators: Sequence[str] = ()) -> list[SpanRow]:
        """Spans overlapping ``[lo, hi)`` (code points), sorted by (start, end, uid)."""
        sql = (f"SELECT {_SPAN_ROW_COLUMNS} FROM {_DRAWN_ROWS}"
               ' WHERE n.article_id = ? AND n.start < ? AND n."end" > ?')
        params: list[Any] = [article_id, hi, lo]
        if hidden_annotators:
            sql += f" AND {in_list('n.annotator', hidden_annotators, negated=True)}"
            params += list(hidden_annotators)
        return [SpanRow(*r) for r in self._conn.execute(sql + ' ORDER BY n.start, n."end", n.uid', params)]

    def span_row(self, uid: str) -> SpanRow | None:
        row = self._conn.execute(
            f"SELECT {_SPAN_ROW_COLUMNS} FROM {_DRAWN_ROWS} WHERE n.uid = ?",
            (uid,)).fetchone()
        return SpanRow(*row) if row else None

    def span_count(self, article_id: int, *, hidden_annotators: Sequence[str] = ()) -> int:
        sql, params = "SELECT count(*) FROM annotations WHERE article_id = ?", [article_id]
        if hidden_annotators:
            sql += f" AND {in_list('annotator', hidden_annotators, negated=True)}"
            params += list(hidden_annotators)
        return self._conn.execute(sql, params).fetchone()[0]

    def annotations(
        self,
        *,
        article_ids: Sequence[int] = (),
        labels: Sequence[str] = (),
        annotators: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> list[Annotation]:
        """Annotations matching every given filter (an empty filter matches all).

        Sorted by article, then (start, end), then uid: the review order, stable
        across calls and across machines, since uids travel with annotations.
        """
        conditions, params = self._annotation_filter(article_ids, labels, annotators, statuses)
        rows = self._conn.execute(
            f'{SELECT_ANNOTATIONS}{where(conditions)} ORDER BY n.article_id, n.start, n."end", n.uid',
            params,
        ).fetchall()
        return [annotation_from(r, self.path) for r in rows]

    def _annotation_filter(
        self, article_ids: Sequence[int], labels: Sequence[str], annotators: Sequence[str], statuses: Sequence[str],
    ) -> tuple[list[str], list[Any]]:
        for status in statuses:
            check_status(status)
        return in_clauses((
            ("n.article_id", list(article_ids)),
            ("n.label_id", [self.label(name).id for name in labels]),
            ("n.annotator", list(annotators)),
            ("n.status", list(statuses)),
        ))

    # ---------------------------------------------------------------- writing

    def identical_span(self, article_id: int, start: int, end: int, label: str, annotator: str) -> str | None:
        """The uid of a span with exactly these offsets, label and annotator, if there is one."""
        row = self._conn.execute(
            'SELECT n.uid FROM annotations n WHERE n.article_id = ? AND n.start = ? AND n."end" = ?'
            " AND n.label_id = ? AND n.annotator = ?",
            (article_id, start, end, self.label(label).id, annotator)).fetchone()
        return row[0] if row else None

    def build_annotation(
        self, article_id: int, start: int, end: int, label: str, *, annotator: str, note: str = "",
        text: str | None = None, uid: str | None = None, status: str = "pending",
        created_at: str | None = None, updated_at: str | None = None, reviewer: str | None = None,
        reviewed_at: str | None = None, review_note: str = "",
    ) -> Annotation:
        """Validate and build an annotation without storing it (``add_annotation``, and bulk imports).

        The review fields (who gave the verdict, when, why) are kept only with
        a verdict: a pending span has none.
        """
        article_text = self.article_text(article_id)
        check_span(article_text, start, end, text)
        check_status(status)
        if not annotator.strip():
            raise SpanError("an annotation needs an annotator")
        created_at = created_at or now_iso()
        reviewed = status != "pending"
        return Annotation(
            uid=uid or new_uid(), article_id=article_id, start=start, end=end,
            label=self.label(label).name, text=article_text[start:end], annotator=annotator,
            note=note or "", status=status, created_at=created_at, updated_at=updated_at or created_at,
            reviewer=reviewer if reviewed else None, reviewed_at=reviewed_at if reviewed else None,
            review_note=(review_note or "") if reviewed else "",
        )

    def insert_annotation_rows(self, annotations: Sequence[Annotation], *, overwrite: bool = False) -> int | None:
        """The annotations' rows, every column as given; ``overwrite`` replaces a row with the same uid.

        No event: the caller records its own in the same transaction. Returns the
        row id of a single new row (None for several).
        """
        labels = self._label_map()
        rows = [
            (a.uid, a.article_id, a.start, a.end, labels[label_key(a.label)].id, a.text, a.note,
             a.annotator, a.status, a.created_at, a.updated_at, a.reviewer, a.reviewed_at, a.review_note)
            for a in annotations
        ]
        upsert = _OVERWRITE_ANNOTATION if overwrite else ""
        sql = f"INSERT INTO annotations ({_INSERTED}) VALUES ({_MARKS}){upsert}"
        if len(rows) == 1:
            return self._conn.execute(sql, rows[0]).lastrowid
        if len(rows) < _STAGED_FROM:
            self._conn.executemany(sql, rows)
            return None
        # Many rows go through a temporary table and one INSERT ... SELECT: row by row,
        # each INSERT firing the count triggers made SQLite keep a statement journal
        # of every page it touched, 3.6x the cost (325 ms against 80 ms for 20,000 spans).
        self._conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS annotation_rows ({_INSERTED})")
        self._conn.executemany(f"INSERT INTO temp.annotation_rows VALUES ({_MARKS})", rows)
        try:
            # "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the INSERT.
            self._conn.execute(f"INSERT INTO annotations ({_INSERTED}) SELECT * FROM temp.annotation_rows"
                               f" WHERE true{upsert}")
        finally:
            self._conn.execute("DELETE FROM temp.annotation_rows")
        return None

    def erase_annotation_row(self, uid: str) -> None:
        """Remove the row, with no event: the caller records its own in the same transaction."""
        self._conn.execute("DELETE FROM annotations WHERE uid = ?", (uid,))

    def add_annotation(
        self,
        article_id: int,
        start: int,
        end: int,
        label: str,
        *,
        annotator: str,
        actor: str | None = None,
        note: str = "",
        text: str | None = None,
        uid: str | None = None,
        status: str = "pending",
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> Annotation:
        """Tag ``[start, end)`` of an article. ``text``, when given, must match the article.

        The annotator is named as this database already spells them (``annotator_spelling``).
        """
        annotator = self.annotator_spelling(annotator)
        annotation = self.build_annotation(
            article_id, start, end, label, annotator=annotator, note=note, text=text, uid=uid,
            status=status, created_at=created_at, updated_at=updated_at,
        )
        with self.transaction():
            # A uid made here is new by construction; one given (an import, a test) is checked.
            if uid is not None and self.has_annotation(annotation.uid):
                raise SpanError(f"an annotation with uid {annotation.uid} exists already")
            existing = self.identical_span(article_id, annotation.start, annotation.end, annotation.label,
                                           annotation.annotator)
            if existing:
                raise DuplicateSpanError(
                    f"{annotation.annotator} has already tagged these characters as {annotation.label}", existing)
            row_id = self.insert_annotation_rows([annotation])
            self.append_events([NewEvent("create", "annotation", annotation.uid, None,
                                         annotation.as_values(), actor or annotator)])
        return replace(annotation, id=row_id)

    def add_annotations(self, annotations: Sequence[Annotation], *, actor: str) -> int:
        """Bulk insert annotations made by ``build_annotation`` (import): one event each. Returns how many."""
        texts: dict[int, str] = {}
        for a in annotations:
            text = texts.get(a.article_id)
            if text is None:
                text = texts[a.article_id] = self.article_text(a.article_id)
            if not 0 <= a.start < a.end <= len(text) or text[a.start:a.end] != a.text:
                check_span(text, a.start, a.end, a.text)  # says what is wrong
        at = now_iso()
        with self.transaction():
            self.insert_annotation_rows(annotations)
            self.append_event_fields(
                ("", at, actor, "create", "annotation", a.uid, None, dump_values(a.as_values()))
                for a in annotations)
        return len(annotations)

    def _update(self, uid: str, action: str, actor: str, **changes: Any) -> Annotation:
        with self.transaction():
            before = self.annotation(uid)
            after = replace(before, **changes, updated_at=now_iso())
            old, new = before.as_values(), after.as_values()
            if new == old:
                return before
            label_id = self.label(after.label).id
            self._conn.execute(
                'UPDATE annotations SET start = ?, "end" = ?, label_id = ?, text = ?, note = ?, status = ?,'
                " updated_at = ?, reviewer = ?, reviewed_at = ?, review_note = ? WHERE uid = ?",
                (after.start, after.end, label_id, after.text, after.note, after.status, after.updated_at,
                 after.reviewer, after.reviewed_at, after.review_note, uid),
            )
            changed = [k for k, v in new.items() if old[k] != v]
            self.append_events([NewEvent(
                action, "annotation", uid, {k: old[k] for k in changed}, {k: new[k] for k in changed},
                actor, at=after.updated_at,
            )])
        return after

    def relabel(self, uid: str, label: str, *, actor: str) -> Annotation:
        """Change the label. A verdict given on the old label no longer holds: the span goes back to pending."""
        return self._update(uid, "relabel", actor, **clearing_review(self.annotation(uid),
                                                                    label=self.label(label).name))

    def resize(self, uid: str, start: int, end: int, *, actor: str) -> Annotation:
        """Change the extent. A verdict given on the old extent no longer holds: the span goes back to pending."""
        current = self.annotation(uid)
        text = self.article_text(current.article_id)
        check_span(text, start, end)
        return self._update(uid, "resize", actor, **clearing_review(current, start=start, end=end,
                                                                   text=text[start:end]))

    def restore_fields(self, state: Annotation, fields: Sequence[str], *, action: str, actor: str) -> Annotation:
        """Put back ``fields`` of an annotation as they were in ``state`` (an undo or redo): one event.

        Unlike relabel and resize this restores a verdict with the extent or label it was given on.
        """
        values = {f: getattr(state, f) for f in fields}
        if "label" in values:
            values["label"] = self.label(values["label"]).name
        if {"start", "end", "text"} & values.keys():
            current = self.annotation(state.uid)
            check_span(self.article_text(current.article_id), state.start, state.end, state.text)
        return self._update(state.uid, action, actor, **values)

    def set_note(self, uid: str, note: str, *, actor: str) -> Annotation:
        return self._update(uid, "note", actor, note=note)

    def set_status(self, uid: str, status: str, *, actor: str, reason: str = "") -> Annotation:
        """Record a review: accepted, rejected (with a reason) or back to pending."""
        check_status(status)
        reviewed = status != "pending"
        return self._update(uid, "review", actor, status=status, review_note=reason if reviewed else "",
                            reviewer=self.annotator_spelling(actor) if reviewed else None,
                            reviewed_at=now_iso() if reviewed else None)

    def delete_annotation(self, uid: str, *, actor: str) -> Annotation:
        with self.transaction():
            before = self.annotation(uid)
            self.erase_annotation_row(uid)
            self.append_events([NewEvent("delete", "annotation", uid, before.as_values(), None, actor)])
        return before

    def restore_annotation(self, annotation: Annotation, *, actor: str) -> Annotation:
        """Bring back a deleted annotation with its uid and times (undo of delete)."""
        check_span(self.article_text(annotation.article_id), annotation.start, annotation.end, annotation.text)
        with self.transaction():
            if self.has_annotation(annotation.uid):
                raise SpanError(f"an annotation with uid {annotation.uid} exists already")
            self.insert_annotation_rows([annotation])
            self.append_events([NewEvent("restore", "annotation", annotation.uid, None,
                                         annotation.as_values(), actor)])
        return self.annotation(annotation.uid)


__all__ = ["Annotations", "SpanRow"]
