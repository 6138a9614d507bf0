"""Suggestions, the cue lists the rules read, and trained models (docs/suggestions.md).

Every write is one transaction with one event per row it touches (entities
``suggestion``, ``cue``, ``model``; an accept also writes the annotation's
``create`` event, naming the suggestion). Accept, reject and their undo return
a ``SuggestionChange``; applying its inverse is the undo
(``apply_suggestion_change``), as claims do with ``ClaimChange``.

None of this is merged from a colleague's file: suggestions are machine
output and the model is retrained here (merge.py leaves these entities out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..articles import ArticleContent
from ..errors import NotFoundError, SpanError
from ..labels import LabelChange
from ..model import Annotation, check_span, new_uid, now_iso
from ..suggestions import (
    DEFAULT_LANGUAGE,
    DEFAULT_MODEL,
    KINDS,
    ORDERS,
    Candidate,
    Cue,
    StoredModel,
    Suggestion,
    SuggestionChange,
    SuggestionError,
    SuggestReport,
    check_score,
    check_state,
    cue_uid,
    source_kind,
)
from . import sql
from .article_deletion import ArticleDeletion
from .events import NewEvent
from .sql import in_list

_COLUMNS = ('s.id, s.uid, s.article_id, s.start, s."end", l.name, s.text, s.source, s.score, s.reason, s.state,'
            " s.created_at, s.decided_by, s.decided_at, s.annotation_uid")
_ROWS = "suggestions s JOIN labels l ON l.id = s.label_id"
_ORDER_BY = {
    # NULL scores (an import without them) last in every score order.
    "uncertainty": "s.score IS NULL, abs(s.score - 0.5), s.id",
    "score": "s.score IS NULL, s.score DESC, s.id",
    "score-ascending": "s.score IS NULL, s.score, s.id",
    "position": 's.article_id, s.start, s."end", s.id',
    "created": "s.id",
}
_MODEL_COLUMNS = "name, kind, params, weights, sha256, examples, metrics, trained_by, trained_at"


def _suggestion(row: Sequence[Any]) -> Suggestion:
    return Suggestion(id=row[0], uid=row[1], article_id=row[2], start=row[3], end=row[4], label=row[5], text=row[6],
                      source=row[7], score=row[8], reason=row[9], state=row[10], created_at=row[11],
                      decided_by=row[12], decided_at=row[13], annotation_uid=row[14])


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


class Suggestions(ArticleDeletion):
    # ---------------------------------------------------------------- reading

    def suggestion(self, uid: str) -> Suggestion:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM {_ROWS} WHERE s.uid = ?", (uid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no suggestion with uid {uid}")
        return _suggestion(row)

    def has_suggestion(self, uid: str) -> bool:
        return self._conn.execute("SELECT 1 FROM suggestions WHERE uid = ?", (uid,)).fetchone() is not None

    def find_suggestion_uids(self, typed: str) -> list[str]:
        """Suggestion uids that start or end with ``typed`` (so that a user can type a few characters)."""
        if not typed.strip():
            return []
        condition, params = sql.uid_like("uid", typed)
        return [r[0] for r in self._conn.execute(
            f"SELECT uid FROM suggestions WHERE {condition} ORDER BY uid", params)]

    def _suggestion_filter(
        self, states: Sequence[str], sources: Sequence[str], labels: Sequence[str], article_ids: Sequence[int],
        min_score: float | None, max_score: float | None,
    ) -> tuple[str, list[Any]]:
        """WHERE for a queue; a source is a kind (``model``) or one source exactly (``model:local``)."""
        conditions: list[str] = []
        params: list[Any] = []
        for column, values in (("s.state", [check_state(s) for s in states]),
                               ("s.label_id", [self.label(name).id for name in labels]),
                               ("s.article_id", list(article_ids))):
            if values:
                conditions.append(in_list(column, values))
                params += values
        if sources:
            kinds = [s for s in sources if s in KINDS]
            exact = [s for s in sources if s not in KINDS]
            either = [in_list("s.kind", kinds)] if kinds else []
            either += [in_list("s.source", exact)] if exact else []
            conditions.append("(" + " OR ".join(either) + ")")
            params += [*kinds, *exact]
        for bound, op in ((min_score, ">="), (max_score, "<=")):
            if bound is not None:
                conditions.append(f"s.score {op} ?")
                params.append(float(bound))
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), params

    def suggestion_rows(
        self, *, states: Sequence[str] = ("open",), sources: Sequence[str] = (), labels: Sequence[str] = (),
        article_ids: Sequence[int] = (), min_score: float | None = None, max_score: float | None = None,
        order: str = "uncertainty", offset: int = 0, limit: int | None = None,
    ) -> list[Suggestion]:
        """One page of a suggestion queue (every filter empty: all), sorted by ``order`` (``ORDERS``)."""
        if order not in ORDERS:
            raise SuggestionError(f"unknown order {order!r} (orders: {', '.join(ORDERS)})")
        where, params = self._suggestion_filter(states, sources, labels, article_ids, min_score, max_score)
        page = ""
        if limit is not None or offset:
            page = " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, offset]
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM {_ROWS}{where} ORDER BY {_ORDER_BY[order]}{page}", params)
        return [_suggestion(r) for r in rows]

    def suggestion_count(
        self, *, states: Sequence[str] = ("open",), sources: Sequence[str] = (), labels: Sequence[str] = (),
        article_ids: Sequence[int] = (), min_score: float | None = None, max_score: float | None = None,
    ) -> int:
        where, params = self._suggestion_filter(states, sources, labels, article_ids, min_score, max_score)
        return self._conn.execute(f"SELECT count(*) FROM suggestions s{where}", params).fetchone()[0]

    def suggestion_counts(self, *, states: Sequence[str] = ("open",)) -> dict[tuple[str, str], int]:
        """How many suggestions per (source, label)."""
        where, params = self._suggestion_filter(states, (), (), (), None, None)
        return {(source, label): n for source, label, n in self._conn.execute(
            f"SELECT s.source, l.name, count(*) FROM {_ROWS}{where} GROUP BY s.source, l.name", params)}

    def suggestions_in_range(self, article_id: int, lo: int, hi: int, *,
                             states: Sequence[str] = ("open",)) -> list[Suggestion]:
        """An article's suggestions overlapping ``[lo, hi)`` (code points), in text order: a pane's ghost spans."""
        states = [check_state(s) for s in states]
        rows = self._conn.execute(
            f'SELECT {_COLUMNS} FROM {_ROWS} WHERE s.article_id = ? AND s.start < ? AND s."end" > ?'
            f' AND {in_list("s.state", states)} ORDER BY s.start, s."end", s.id', [article_id, hi, lo, *states])
        return [_suggestion(r) for r in rows]

    def next_suggestion(self, article_id: int, position: int, *, backwards: bool = False,
                        states: Sequence[str] = ("open",)) -> Suggestion | None:
        """The first suggestion starting after ``position`` (before it, ``backwards``): a pane's Tab."""
        states = [check_state(s) for s in states]
        op, order = ("<", "DESC") if backwards else (">", "ASC")
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM {_ROWS} WHERE s.article_id = ? AND s.start {op} ?"
            f' AND {in_list("s.state", states)} ORDER BY s.start {order}, s."end" {order}, s.id {order} LIMIT 1',
            [article_id, position, *states]).fetchone()
        return _suggestion(row) if row else None

    def suggestion_text_mismatches(self) -> list[tuple[str, int, int, str]]:
        """(uid, start, end, text) of the suggestions whose text is not their article's there (verify).

        SQLite's substr counts code points as Python does; Python checks again what it picks out.
        """
        rows = self._conn.execute(
            'SELECT s.uid, s.start, s."end", s.text, a.text FROM suggestions s JOIN articles a ON a.id = s.article_id'
            ' WHERE substr(a.text, s.start + 1, s."end" - s.start) IS NOT s.text'
            " AND typeof(s.start) = 'integer' AND typeof(s.\"end\") = 'integer' AND typeof(s.text) = 'text'"
            " AND typeof(a.text) = 'text' ORDER BY s.id").fetchall()
        return [(uid, start, end, text) for uid, start, end, text, article in rows if article[start:end] != text]

    # ---------------------------------------------------------- making them

    def put_suggestions(self, source: str, candidates: Mapping[int, Sequence[Candidate]], *, actor: str,
                        withdraw: bool = True) -> SuggestReport:
        """Store what ``source`` proposes for each article (article id -> candidates), in one transaction.

        A candidate is skipped where a suggestion of the same kind with the
        same offsets and label exists in any state (an open one gets the new
        score), or where a span of its label already overlaps it. With
        ``withdraw``, open suggestions of this kind the source no longer
        proposes in those articles are removed: the open ones show its latest run.
        """
        kind = source_kind(source)
        report = SuggestReport(source, articles=len(candidates))
        events: list[NewEvent] = []
        with self.transaction():
            for article_id, found in candidates.items():
                events += self._put_article(article_id, source, kind, found, actor, withdraw, report)
            self.append_events(events)
        return report

    def _put_article(self, article_id: int, source: str, kind: str, found: Sequence[Candidate], actor: str,
                     withdraw: bool, report: SuggestReport) -> list[NewEvent]:
        text = self.article_text(article_id)
        labels = self._label_map()
        existing = {(s.start, s.end, s.label.casefold()): s for s in self._article_suggestions(article_id, kind)}
        tagged = [(start, end, label.casefold()) for start, end, label in self._conn.execute(
            'SELECT n.start, n."end", l.name FROM annotations n JOIN labels l ON l.id = n.label_id'
            " WHERE n.article_id = ?", (article_id,))]
        best: dict[tuple[int, int, str], Candidate] = {}
        for c in found:
            check_span(text, c.start, c.end)
            key = (c.start, c.end, self.label(c.label).name.casefold())
            if key not in best or (c.score or 0) > (best[key].score or 0):
                best[key] = replace(c, score=check_score(c.score))
        events: list[NewEvent] = []
        new: list[Suggestion] = []
        at = now_iso()
        for key, c in best.items():
            covered = any(s < c.end and c.start < e and label == key[2] for s, e, label in tagged)
            old = existing.pop(key, None)
            if old is not None and old.state != "open":
                report.decided_before += 1
            elif covered:
                report.tagged_already += 1
                if old is not None:
                    existing[key] = old   # withdrawn below: the person tagged it by hand
            elif old is not None:
                after = replace(old, source=source, score=c.score, reason=c.reason)
                if after != old:
                    self._conn.execute("UPDATE suggestions SET source = ?, score = ?, reason = ? WHERE uid = ?",
                                       (source, c.score, c.reason, old.uid))
                    events.append(NewEvent("rescore", "suggestion", old.uid,
                                           *_diff(old.as_values(), after.as_values()), actor, at=at))
                    report.rescored += 1
            else:
                new.append(Suggestion(new_uid(), article_id, c.start, c.end, labels[key[2]].name,
                                      text[c.start:c.end], source, c.score, c.reason, "open", at))
        self._insert_suggestion_rows(new, kind)
        report.count(s.label for s in new)
        events += [NewEvent("create", "suggestion", s.uid, None, s.as_values(), actor, at=at) for s in new]
        gone = [s for s in existing.values() if s.state == "open"] if withdraw else []
        for s in gone:
            self._conn.execute("DELETE FROM suggestions WHERE uid = ?", (s.uid,))
            events.append(NewEvent("delete", "suggestion", s.uid, s.as_values(), None, actor, at=at))
        report.withdrawn += len(gone)
        return events

    def _article_suggestions(self, article_id: int, kind: str) -> list[Suggestion]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM {_ROWS} WHERE s.article_id = ? AND s.kind = ?",
                                  (article_id, kind))
        return [_suggestion(r) for r in rows]

    def _insert_suggestion_rows(self, suggestions: Iterable[Suggestion], kind: str) -> None:
        labels = self._label_map()
        self._conn.executemany(
            'INSERT INTO suggestions (uid, article_id, start, "end", label_id, text, source, kind, score, reason,'
            " state, created_at, decided_by, decided_at, annotation_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?)",
            [(s.uid, s.article_id, s.start, s.end, labels[s.label.casefold()].id, s.text, s.source, kind, s.score,
              s.reason, s.state, s.created_at, s.decided_by, s.decided_at, s.annotation_uid) for s in suggestions])

    # ------------------------------------------------------ accept and reject

    def accept_span_suggestion(self, uid: str, *, annotator: str, label: str | None = None,
                               actor: str | None = None) -> SuggestionChange:
        """Tag the suggestion's span as ``label`` (default: the one suggested) by ``annotator``: one transaction.

        The annotation's ``create`` event names the suggestion (source, score,
        suggested label). If the annotator has tagged exactly these characters
        with that label already, that span is the one accepted and nothing
        new is made. Undo: ``apply_suggestion_change(change.inverse())``.
        """
        actor = actor or annotator
        with self.transaction():
            before = self._open(uid)
            name = self.label(label or before.label).name
            existing = self.identical_span(before.article_id, before.start, before.end, name, annotator)
            added: tuple[Annotation, ...] = ()
            if existing is None:
                added = (self.build_annotation(before.article_id, before.start, before.end, name,
                                               annotator=annotator, text=before.text),)
            after = replace(before, state="accepted", decided_by=actor, decided_at=now_iso(),
                            annotation_uid=existing or added[0].uid)
            change = SuggestionChange(suggestions_edited=((before, after),), annotations_added=added)
            return self._write_suggestions(change, actor, create="create", edit="accept")

    def reject_span_suggestion(self, uid: str, *, actor: str) -> SuggestionChange:
        """Turn the suggestion down: it stays, rejected, so that the same one is not made again."""
        if not actor.strip():
            raise SuggestionError("a rejection needs the name of who rejects")
        with self.transaction():
            before = self._open(uid)
            after = replace(before, state="rejected", decided_by=actor, decided_at=now_iso())
            return self._write_suggestions(SuggestionChange(suggestions_edited=((before, after),)), actor,
                                           edit="reject")

    def apply_suggestion_change(self, change: SuggestionChange, *, actor: str,
                                action: str = "undo") -> SuggestionChange:
        """Do a change again, or (given ``change.inverse()``) undo it: one transaction.

        Annotations come back with their uid and times (event ``restore``) or
        go (``delete``); suggestions get the state they had (event ``action``).
        """
        return self._write_suggestions(change, actor, create="restore", edit=action)

    def _open(self, uid: str) -> Suggestion:
        found = self.suggestion(uid)
        if found.state != "open":
            by = f" by {found.decided_by}" if found.decided_by else ""
            raise SuggestionError(f"this suggestion was {found.state}{by} already")
        return found

    def _write_suggestions(self, change: SuggestionChange, actor: str, *, create: str = "create",
                           edit: str = "edit") -> SuggestionChange:
        """Write a change's rows and their events: annotations removed, annotations added, suggestion states."""
        if change.empty:
            return change
        made_from = {after.annotation_uid: after for _before, after in change.suggestions_edited}
        events: list[NewEvent] = []
        with self.transaction():
            for annotation in change.annotations_removed:
                current = self.annotation(annotation.uid)
                if self.links_of_span(annotation.uid):
                    raise SuggestionError("the span made from this suggestion is linked to a claim now; unlink it"
                                          " first")
                self.erase_annotation_row(annotation.uid)
                events.append(NewEvent("delete", "annotation", annotation.uid, current.as_values(), None, actor))
            for annotation in change.annotations_added:
                check_span(self.article_text(annotation.article_id), annotation.start, annotation.end,
                           annotation.text)
                if self.has_annotation(annotation.uid):
                    raise SpanError(f"an annotation with uid {annotation.uid} exists already")
                self.insert_annotation_rows([annotation])
                values = annotation.as_values()
                if annotation.uid in made_from:
                    values["suggestion"] = made_from[annotation.uid].provenance()
                events.append(NewEvent(create, "annotation", annotation.uid, None, values, actor,
                                       at=annotation.created_at if create == "create" else ""))
            for before, after in change.suggestions_edited:
                current = self.suggestion(after.uid)
                if (current.state, current.annotation_uid) != (before.state, before.annotation_uid):
                    raise SuggestionError(f"this suggestion was {current.state} meanwhile; nothing was changed")
                self._conn.execute("UPDATE suggestions SET state = ?, decided_by = ?, decided_at = ?,"
                                   " annotation_uid = ? WHERE uid = ?",
                                   (after.state, after.decided_by, after.decided_at, after.annotation_uid, after.uid))
                events.append(NewEvent(edit, "suggestion", after.uid, *_diff(current.as_values(), after.as_values()),
                                       actor))
            self.append_events(events)
        return change

    # ------------------------------------------------ labels and articles go

    def _write_labels(self, change: LabelChange, actor: str, *, create: str = "create",
                      edit: str = "edit") -> LabelChange:
        """A removed label takes its cues and suggestions with it (events ``delete``); its undo brings them back."""
        if change.empty:
            return change
        with self.transaction():
            cues = tuple(c for label in change.labels_removed for c in self.cues(label=label.name))
            doomed = [label.name for label in change.labels_removed]
            suggestions = tuple(self.suggestion_rows(states=(), labels=doomed, order="created")) if doomed else ()
            events = [NewEvent("delete", "cue", c.uid, c.as_values(), None, actor) for c in cues]
            events += [NewEvent("delete", "suggestion", s.uid, s.as_values(), None, actor) for s in suggestions]
            self._conn.executemany("DELETE FROM cues WHERE uid = ?", [(c.uid,) for c in cues])
            self._conn.executemany("DELETE FROM suggestions WHERE uid = ?", [(s.uid,) for s in suggestions])
            self.append_events(events)
            written = super()._write_labels(change, actor, create=create, edit=edit)
            self._bring_back(change.cues_added, change.suggestions_added, actor)
        return replace(written, cues_removed=cues, suggestions_removed=suggestions)

    def _bring_back(self, cues: Sequence[Cue], suggestions: Sequence[Suggestion], actor: str,
                    article_id: int | None = None) -> None:
        """Cues and suggestions restored with their label or article (``article_id``: the article's id now)."""
        if article_id is not None:
            suggestions = [replace(s, article_id=article_id, id=None) for s in suggestions]
        for cue in cues:
            self._conn.execute("INSERT INTO cues (uid, label_id, language, phrase) VALUES (?, ?, ?, ?)",
                               (cue.uid, self.label(cue.label).id, cue.language, cue.phrase))
        for kind in KINDS:
            self._insert_suggestion_rows([s for s in suggestions if s.kind == kind], kind)
        self.append_events([
            *(NewEvent("restore", "cue", c.uid, None, c.as_values(), actor) for c in cues),
            *(NewEvent("restore", "suggestion", s.uid, None, s.as_values(), actor) for s in suggestions)])

    def _remove(self, article_id: int, actor: str) -> ArticleContent:
        """An article's suggestions go first (they name it), then the article with all the rest."""
        suggestions = tuple(self.suggestion_rows(states=(), article_ids=[article_id], order="created"))
        self._conn.execute("DELETE FROM suggestions WHERE article_id = ?", (article_id,))
        self.append_events([NewEvent("delete", "suggestion", s.uid, s.as_values(), None, actor)
                            for s in suggestions])
        return replace(super()._remove(article_id, actor), suggestions=suggestions)

    def _restore(self, content: ArticleContent, actor: str) -> ArticleContent:
        restored = super()._restore(content, actor)
        # Suggestions of a label deleted since cannot come back; the rest do.
        kept = tuple(s for s in content.suggestions if self.has_label(s.label))
        self._bring_back((), kept, actor, article_id=restored.article.id)
        return replace(restored, suggestions=tuple(replace(s, article_id=restored.article.id) for s in kept))

    def drop_article_suggestions(self, article_id: int, actor: str) -> list[NewEvent]:
        """Delete an article's suggestions without writing their events: the caller (a merge) writes them."""
        suggestions = self.suggestion_rows(states=(), article_ids=[article_id], order="created")
        self._conn.execute("DELETE FROM suggestions WHERE article_id = ?", (article_id,))
        return [NewEvent("delete", "suggestion", s.uid, s.as_values(), None, actor) for s in suggestions]

    # ------------------------------------------------------------------ cues

    def cues(self, *, label: str | None = None, language: str | None = None) -> list[Cue]:
        """The cue phrases, per label (in label order) and language."""
        sql = ("SELECT c.uid, l.name, c.phrase, c.language FROM cues c JOIN labels l ON l.id = c.label_id"
               " WHERE 1 = 1")
        params: list[Any] = []
        if label is not None:
            sql += " AND c.label_id = ?"
            params.append(self.label(label).id)
        if language is not None:
            sql += " AND c.language = ?"
            params.append(language.strip().casefold())
        return [Cue(*r) for r in self._conn.execute(sql + " ORDER BY l.position, l.id, c.language, c.id", params)]

    def add_cue(self, label: str, phrase: str, *, actor: str, language: str = DEFAULT_LANGUAGE) -> Cue:
        phrase, language = " ".join(phrase.split()), language.strip().casefold()
        if not phrase:
            raise SuggestionError("a cue needs a phrase")
        if not language:
            raise SuggestionError("a cue needs a language code (such as en)")
        from ..suggest_rules import cue_pattern

        cue_pattern(phrase)   # refuse what the rules could not read, now rather than at the next run
        name = self.label(label).name
        cue = Cue(cue_uid(language, name, phrase), name, phrase, language)
        with self.transaction():
            if any(c.phrase == phrase for c in self.cues(label=name, language=language)):
                raise SuggestionError(f"{name} has the cue {phrase!r} ({language}) already")
            self._conn.execute("INSERT INTO cues (uid, label_id, language, phrase) VALUES (?, ?, ?, ?)",
                               (cue.uid, self.label(name).id, language, phrase))
            self.append_events([NewEvent("create", "cue", cue.uid, None, cue.as_values(), actor)])
        return cue

    def remove_cue(self, label: str, phrase: str, *, actor: str, language: str = DEFAULT_LANGUAGE) -> Cue:
        phrase, language = " ".join(phrase.split()), language.strip().casefold()
        with self.transaction():
            found = [c for c in self.cues(label=label, language=language) if c.phrase == phrase]
            if not found:
                raise NotFoundError(f"{self.label(label).name} has no cue {phrase!r} ({language})")
            self._conn.execute("DELETE FROM cues WHERE uid = ?", (found[0].uid,))
            self.append_events([NewEvent("delete", "cue", found[0].uid, found[0].as_values(), None, actor)])
        return found[0]

    # ---------------------------------------------------------------- models

    def save_model(self, model: StoredModel, *, actor: str) -> StoredModel:
        """Store (or replace) a trained model under its name: one ``train`` event."""
        import orjson

        with self.transaction():
            before = self.stored_model(model.name)
            self._conn.execute(
                f"INSERT INTO models ({_MODEL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, params = excluded.params,"
                " weights = excluded.weights, sha256 = excluded.sha256, examples = excluded.examples,"
                " metrics = excluded.metrics, trained_by = excluded.trained_by, trained_at = excluded.trained_at",
                (model.name, model.kind, orjson.dumps(model.params).decode(), model.weights, model.sha256,
                 model.examples, orjson.dumps(model.metrics).decode(), model.trained_by, model.trained_at))
            self.append_events([NewEvent("train", "model", model.name,
                                         before.as_values() if before else None, model.as_values(), actor,
                                         at=model.trained_at)])
        return model

    def stored_model(self, name: str = DEFAULT_MODEL) -> StoredModel | None:
        import orjson

        row = self._conn.execute(f"SELECT {_MODEL_COLUMNS} FROM models WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        return StoredModel(row[0], row[1], orjson.loads(row[2]), bytes(row[3]), row[4], row[5], orjson.loads(row[6]),
                           row[7], row[8])

    def stored_models(self) -> list[StoredModel]:
        return [m for m in (self.stored_model(r[0]) for r in self._conn.execute(
            "SELECT name FROM models ORDER BY name")) if m is not None]

    def changes_since_training(self, name: str = DEFAULT_MODEL) -> int | None:
        """Changes to spans (tagged, edited, reviewed, deleted) since the model was trained; None: never trained.

        What a window counts to retrain "after every N new tags" in the background.
        """
        trained = self._conn.execute("SELECT max(id) FROM events WHERE entity = 'model' AND entity_uid = ?",
                                     (name,)).fetchone()[0]
        if trained is None or self.stored_model(name) is None:
            return None
        # By place in the log, not by time: a tag made in the same millisecond still counts.
        return self._conn.execute("SELECT count(*) FROM events WHERE entity = 'annotation' AND id > ?",
                                  (trained,)).fetchone()[0]

    # ---------------------------------------------------------- training data

    def training_spans(self, statuses: Sequence[str] = ("accepted", "pending")) -> list[tuple[int, int, int, str]]:
        """(article id, start, end, label) of the spans a model learns from, in article order.

        Only spans with one of ``statuses`` that were never rejected: a span
        a reviewer once rejected and someone set back to pending stays out.
        """
        rejected = ("SELECT entity_uid FROM events WHERE entity = 'annotation'"
                    " AND json_extract(after, '$.status') = 'rejected'")
        rows = self._conn.execute(
            f'SELECT n.article_id, n.start, n."end", l.name FROM annotations n JOIN labels l ON l.id = n.label_id'
            f" WHERE {in_list('n.status', statuses)} AND n.uid NOT IN ({rejected})"
            ' ORDER BY n.article_id, n.start, n."end"', list(statuses))
        return [tuple(r) for r in rows]


__all__ = ["Suggestions"]
