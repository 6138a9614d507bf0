"""The audit trail: an annotation's history, and checking that the log can be trusted.

The events table is append-only (triggers) and hash-chained (``Store.verify_events``).
Anyone with the sqlite3 shell can still drop the triggers, so ``verify`` checks
two things: that the chain is unbroken, and that what the tables hold now is
what the log says happened. The second catches a row edited outside annotator
and a log cut short at its end, which no chain can see on its own.
"""

from __future__ import annotations

import bisect
import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import orjson

from .errors import AnnotatorError, Cancelled, DamagedError, NotFoundError
from .model import Annotation, Article, Event, label_key
from .store import BadRowError, ChainReport, MergeRecord, Store
from .words import count, one_uid

VALUE_FIELDS: tuple[str, ...] = (
    "article_id", "start", "end", "label", "text", "annotator", "note", "status", "review_note",
)
"""The fields an annotation event records (``Annotation.as_values``), in display order."""

# Actions whose ``after`` is the whole annotation (claim, link, setting...) or None (it is gone), not a diff.
_WHOLE_STATE_ACTIONS = frozenset({"create", "restore", "merge", "delete", "set"})


# ------------------------------------------------------------------ history


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One event of an annotation, as a reviewer reads it."""

    event_id: int
    event_uid: str
    at: str
    actor: str
    action: str
    changes: tuple[FieldChange, ...]
    entity: str = "annotation"
    origin: str = ""
    """For an event a merge brought: "from colleague.db, merged 2026-12-01 by lead" ("" if made here)."""

    def describe(self) -> str:
        """The change in a few words: what the span became, or field: before → after."""
        before = {c.field: c.before for c in self.changes}
        after = {c.field: c.after for c in self.changes}
        if self.entity != "annotation":
            return _describe_other(self, before, after)
        if self.action in ("create", "restore"):
            return f"{self.action}d {_span_words(after)}{_from_suggestion(after.get('suggestion'), after.get('label'))}"
        if self.action == "delete":
            return f"deleted {_span_words(before)}"
        if self.action == "merge":
            # before: the version a merge gave up (or the state the log implied); after: the one kept
            if self.changes and all(c.after is None for c in self.changes):
                return f"kept the deletion of {_span_words(before)}"
            if self.changes and all(c.before is None for c in self.changes):
                return f"kept {_span_words(after)}"
            # Part by part, from either side: what the merge settled on, against what was there.
            parts = [_change_words(c) for c in self.changes if c.before != c.after]
            return "merge kept" + (": " + "; ".join(parts) if parts else " this version")
        parts = [_change_words(c) for c in self.changes if c.before != c.after]
        return "; ".join(parts) if parts else "no change"


@dataclass(frozen=True)
class AnnotationHistory:
    uid: str
    current: Annotation | None
    article: Article | None
    entries: tuple[HistoryEntry, ...]

    @property
    def deleted(self) -> bool:
        return self.current is None


def _describe_other(entry: HistoryEntry, before: dict[str, Any], after: dict[str, Any]) -> str:
    """A claim's, link's or rejection's event: what it was or became, or what changed."""
    def values(state: dict[str, Any]) -> str:
        return ", ".join(f"{k} {_show(v)}" for k, v in state.items() if v not in (None, ""))

    if entry.action in ("create", "restore") or (entry.action == "merge" and not before):
        return f"{entry.action}d {entry.entity}: {values(after)}" if entry.action != "merge" else \
            f"merge kept {entry.entity}: {values(after)}"
    if entry.action == "delete" or (entry.action == "merge" and not any(after.values())):
        return f"{'deleted' if entry.action == 'delete' else 'merge kept the deletion of'} {entry.entity}:" \
               f" {values(before)}"
    parts = [_change_words(c) for c in entry.changes if c.before != c.after]
    return f"{entry.entity} " + ("; ".join(parts) if parts else "no change")


def history_entry(event: Event) -> HistoryEntry:
    before = event.before or {}
    after = event.after or {}
    fields = [f for f in VALUE_FIELDS if f in before or f in after]
    fields += sorted((set(before) | set(after)) - set(VALUE_FIELDS))
    changes = tuple(
        FieldChange(f, before.get(f), after.get(f))
        for f in fields
        if event.action in _WHOLE_STATE_ACTIONS or before.get(f) != after.get(f)
    )
    return HistoryEntry(event.id, event.uid, event.at, event.actor, event.action, changes, event.entity)


def claim_history(store: Store, uid: str) -> tuple[HistoryEntry, ...]:
    """Every event of a claim and of its links (current or past) and rejected suggestions, in time order."""
    events = [e for e in store.events_for(uid) if e.entity == "claim"]
    for entity in ("link", "rejection"):
        events += [e for e in store.events(entity=entity)
                   if any(v and v.get("claim_uid") == uid for v in (e.before, e.after))]
    if not events and not store.has_claim(uid):
        raise NotFoundError(f"no claim with uid {uid}, and none in the event log")
    events.sort(key=lambda e: (e.at, e.id))
    return _with_origins(store, events)


def annotation_history(store: Store, uid: str) -> AnnotationHistory:
    """Every event of annotation ``uid`` in time order, with its current state.

    Time order, not log order: after a team merge the log holds first this
    machine's events, then the colleague's, while readers want them interleaved
    as they happened. Ties keep log order.
    """
    events = store.events_for(uid)
    current = store.annotation(uid) if store.has_annotation(uid) else None
    if not events and current is None:
        raise NotFoundError(f"no annotation with uid {uid}, and none in the event log")
    events.sort(key=lambda e: (e.at, e.id))
    article_id = current.article_id if current else _last_article_id(events)
    article = None
    if article_id is not None:
        try:
            article = store.article(article_id)
        except NotFoundError:
            article = None
    return AnnotationHistory(uid, current, article, _with_origins(store, events))


def _with_origins(store: Store, events: list[Event]) -> tuple[HistoryEntry, ...]:
    """The entries of these events, each a merge brought saying where from (store/provenance.py)."""
    origins = store.event_origins(e.uid for e in events)
    return tuple(replace(history_entry(e), origin=origins[e.uid].short()) if e.uid in origins
                 else history_entry(e) for e in events)


def resolve_annotation_uid(store: Store, prefix: str) -> str:
    """The one annotation uid starting with ``prefix`` (so users can type a few characters)."""
    return one_uid(store.find_annotation_uids(prefix), prefix, "annotation")


def resolve_claim_uid(store: Store, prefix: str) -> str:
    """The one claim uid starting with ``prefix``."""
    return one_uid(store.find_claim_uids(prefix), prefix, "claim")


def _last_article_id(events: list[Event]) -> int | None:
    for event in reversed(events):
        for values in (event.after, event.before):
            if values and isinstance(values.get("article_id"), int):
                return values["article_id"]
    return None


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:59] + "…")
    return str(value)


def _change_words(change: FieldChange) -> str:
    before, after = change.before, change.after
    if isinstance(before, str) and isinstance(after, str) and max(len(before), len(after)) > 60:
        # A resized span's text: show where the two differ, not the start they share.
        head = len(os.path.commonprefix([before, after]))
        tail = len(os.path.commonprefix([before[head:][::-1], after[head:][::-1]]))
        cut = max(0, head - 12)
        before, after = (("…" if cut else "") + t[cut:len(t) - max(0, tail - 12)]
                         + ("…" if tail > 12 else "") for t in (before, after))
    return f"{change.field}: {_show(before)} → {_show(after)}"


def _from_suggestion(provenance: Any, label: Any) -> str:
    """How an annotation made by accepting a suggestion says so: its source, score and suggested label."""
    if not isinstance(provenance, dict):
        return ""
    score = provenance.get("score")
    words = f", accepting a suggestion of {provenance.get('source', '?')}"
    if isinstance(score, int | float):
        words += f" (score {score:.2f})"
    if provenance.get("label") not in (None, label):
        words += f" that said {provenance['label']}"
    return words


def _span_words(values: dict[str, Any]) -> str:
    words = f"{values.get('label', '?')} [{values.get('start', '?')}, {values.get('end', '?')})"
    if values.get("text") is not None:
        words += f" {_show(values['text'])}"
    if values.get("annotator"):
        words += f" by {values['annotator']}"
    if values.get("status") and values.get("status") != "pending":
        words += f", {values['status']}"
    return words


# ------------------------------------------------------------------- replay


def replay(events: Iterable[Event], initial: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The state of one annotation (or claim, link...) after its events, in the order given (None: deleted).

    ``initial`` is the state before the first event (a rating the database was created with).
    """
    state: dict[str, Any] | None = initial
    for event in events:
        if event.action in _WHOLE_STATE_ACTIONS:
            state = dict(event.after) if event.after is not None else None
        elif event.after is not None:
            state = {**(state or {}), **event.after}
    return state


def common_state(ours: Sequence[Event], theirs: Sequence[Event], initial: dict[str, Any] | None = None,
                 fields: Sequence[str] | None = None) -> dict[str, Any] | None:
    """The state two histories of one thing both passed through when they share no event: where one of them began.

    A copy made by export and import starts a new history (new events, the
    state at export as its first): no event is shared, yet its first state is
    one the other side held. When either side's first state is a state of the
    other's history, that is the version both last shared; else None.
    ``fields`` limits what is compared (the values events record).
    """
    def states(events: Sequence[Event]) -> list[dict[str, Any] | None]:
        found, state = [], initial
        for event in events:
            state = replay([event], state)
            found.append(state if state is None or fields is None else {f: state.get(f) for f in fields})
        return found

    mine, other = states(ours), states(theirs)
    for first, history in ((other[:1], mine), (mine[:1], other)):
        if first and first[0] is not None and first[0] in history:
            return first[0]
    return None


class LabelNames:
    """Which label a name meant at each point of the log, and what that label is called now.

    Spans hold their label by id and events record it by name, so renaming a
    label (one event) renames it on every span without an event of theirs.
    Fed the label events in log order, between the events that name labels,
    this says which label a recorded name meant then (``label``) and its name
    now (``name``). Labels the log never created (the defaults) are met by name.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, int] = {}
        self._names: list[str | None] = []   # by label; None: deleted
        self._keys: list[set[str]] = []      # by label: every name it had (as label_key has it)

    def label(self, name: str) -> int:
        """The label ``name`` means at this point of the log."""
        key = label_key(name)
        found = self._by_key.get(key)
        if found is None:
            found = self._by_key[key] = len(self._names)
            self._names.append(name)
            self._keys.append({key})
        return found

    def name(self, label: int) -> str | None:
        """What the label is called at this point (None: deleted)."""
        return self._names[label]

    def former_names(self, label: int) -> frozenset[str]:
        """Every name the label had, as ``model.label_key`` has it."""
        return frozenset(self._keys[label])

    def labels(self) -> dict[str, int]:
        """Each label's current name, with the label it is."""
        return {name: label for label, name in enumerate(self._names) if name is not None}

    def apply(self, event: Event) -> None:
        """Follow one label event: a rename moves the name, a deletion frees it, a creation claims it."""
        self.follow(event.entity_uid, event.before, event.after)

    def follow(self, entity_uid: str, before_values: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        """``apply`` for an event not written yet."""
        before = before_values or {}
        old = before.get("name") or entity_uid
        if after is None:
            # Deleted: the name is kept pointing at it, so that a restore brings the same label back.
            found = self._by_key.get(label_key(old))
            if found is not None:
                self._names[found] = None
            return
        new = after.get("name")
        if new is None:
            return   # an edit of its colour, key or description
        if "name" not in before:   # created, restored, or its whole state set by a merge
            self._names[self.label(new)] = new
            return
        found = self.label(old)
        if label_key(new) != label_key(old):
            del self._by_key[label_key(old)]
            self._by_key[label_key(new)] = found
            self._keys[found].add(label_key(new))
        self._names[found] = new


class _Renames:
    """What a label name recorded at a point of the log is called now: verify's view of ``LabelNames``.

    A log where no label was ever renamed (most) costs nothing; otherwise each
    (name, place) is worked out once from the label events, which are few.
    """

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self.ids = [e.id for e in events]
        self.any = any(e.before is not None and e.after is not None and "name" in e.before and "name" in e.after
                       and e.before["name"] != e.after["name"] for e in events)
        self._now: dict[tuple[str, int], str] = {}

    def now(self, name: str, at: int) -> str:
        """The name now of the label that ``name`` meant just after event ``at``."""
        if not self.any:
            return name
        i = bisect.bisect_right(self.ids, at)
        key = (label_key(name), i)
        if key not in self._now:
            names = label_names(self.events[:i])
            label = names.label(name)
            for event in self.events[i:]:
                names.apply(event)
            self._now[key] = names.name(label) or name
        return self._now[key]

    def explains(self, after: str | None, row: str | None, at: int) -> bool:
        """Whether a whole-state event's ``after`` (as stored) is the row as stored, its label renamed since.

        Without renames a string comparison; with them, a span whose label was
        renamed after its last event is still told apart from one relabelled
        outside annotator without replaying its events (50,000 spans of a
        renamed label: verify took 1.7-2.6 s replaying each, 0.8-0.9 s this way,
        against 0.8 s before the rename; four runs on a loaded 2-core machine).
        """
        if not self.any:
            return after == row
        if after is None or row is None:
            return after == row
        logged = orjson.loads(after)
        label = logged.get("label")
        if isinstance(label, str):
            logged["label"] = self.now(label, at)
        return bool(logged == orjson.loads(row))


def label_names(events: Iterable[Event]) -> LabelNames:
    """The label names after these label events (in log order)."""
    names = LabelNames()
    for event in events:
        names.apply(event)
    return names


# ------------------------------------------------------------------- verify


@dataclass(frozen=True)
class Mismatch:
    """A row that disagrees with the log: changed outside annotator, or its events removed."""

    entity: str
    uid: str
    problem: str

    def describe(self) -> str:
        return f"{self.entity} {self.uid}: {self.problem}"


@dataclass(frozen=True)
class AuditReport:
    chain: ChainReport
    mismatches: tuple[Mismatch, ...]
    events: int
    merges: tuple[MergeRecord, ...] = ()
    """The merges that brought events, with where from: what the log alone cannot tell (docs/review.md)."""
    damage: tuple[str, ...] = ()
    """What SQLite's own check of the file found (``integrity``); empty when sound or not checked."""
    integrity: str = ""
    """The check run: "integrity_check", "quick_check", or "" (none)."""

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.mismatches and not self.damage

    def summary(self) -> str:
        lines = self._findings()
        if not lines:
            lines = [f"the event log is intact: {count(self.events, 'event')}, head {self.chain.head}"]
            if self.integrity:
                lines.append(f"the file passes SQLite's {self.integrity}")
        lines += [m.describe() for m in self.merges]
        return "\n".join(lines)

    def _findings(self) -> list[str]:
        lines = [f"the file is damaged (PRAGMA {self.integrity}): {problem}" for problem in self.damage]
        c = self.chain
        if not c.ok and c.kind == "unreadable":
            lines.append(f"the rest could not be checked: {c.reason}")
        elif not c.ok:
            lines.append(f"event {c.first_bad_id} ({c.first_bad_action} at {c.first_bad_at}, uid {c.first_bad_uid})"
                         f" is {c.kind}: {c.reason}; the {c.checked} events before it are intact")
        for m in self.mismatches:
            lines.append(m.describe())
        return lines


HEAD_DIGITS = 16
"""The fewest hexadecimal digits of a head hash ``--head`` accepts: 64 bits. With 8 (32 bits), a
forger recomputing a chain could try prefixes until one matched in minutes; 2^64 tries is out of reach."""


def verify(store: Store, *, head: str | None = None,
           integrity: Literal["integrity_check", "quick_check", ""] = "integrity_check",
           progress: Callable[[int, int, str], bool] | None = None) -> AuditReport:
    """Check the file (SQLite's own check), the chain, then the tables against the log.

    ``head``, a hash noted from an earlier ``verify``, must still be in the
    chain: that catches a log rewritten from scratch or cut back past it.
    ``integrity_check`` also holds each index to its table (a commit lost under
    a crash shows there: "row missing from index"); ``quick_check`` checks the
    pages and the b-trees in ~40% of the time. At 10,000 articles (1.1 GB) they
    took 2.2 and 1.1 s of CPU beside verify's 6 s (docs/reliability.md).
    ``progress(step, steps, what)`` hears of each stage; returning False cancels (``Cancelled``).
    """
    def stage(step: int, what: str) -> None:
        if progress is not None and not progress(step, 3, what):
            raise Cancelled("verify cancelled")

    if head is not None:
        head = head.strip().lower()
        if len(head) < HEAD_DIGITS or any(c not in "0123456789abcdef" for c in head):
            raise AnnotatorError(f"{head!r} is not a head hash: give the one verify printed (at least its first"
                                 f" {HEAD_DIGITS} hexadecimal characters: fewer could be matched by a forged log)")
    stage(0, "SQLite checks the file…")
    damage = tuple(store.integrity_problems(full=integrity == "integrity_check")) if integrity else ()
    stage(1, "Checking the chain of events and the tables against it…")
    try:
        with store.reading():
            report = _verify_log(store, head, damage, integrity)
        stage(3, "Done.")
        return report
    except DamagedError as exc:
        if not damage:
            raise
        # SQLite's check said where; the log and the tables cannot be read past the damage.
        unreadable = ChainReport(False, 0, reason=str(exc), kind="unreadable")
        return AuditReport(unreadable, (), 0, (), damage, integrity)


def _verify_log(store: Store, head: str | None, damage: tuple[str, ...], integrity: str) -> AuditReport:
    chain = store.verify_events()
    mismatches: list[Mismatch] = []
    if head is not None:
        if chain.ok and not store.has_event_hash_prefix(head):
            mismatches.append(Mismatch("log", head, "this head hash noted earlier is not in the log: the log was"
                                       " rewritten or cut back"))
    for thing in store.foreign_schema():
        what = ("runs inside annotator's writes and can undo their checks" if thing.kind == "trigger" else
                "annotator did not make it")
        mismatches.append(Mismatch("schema", thing.describe(), f"not annotator's: {what}; annotator writes"
                                   f" nothing to this file until it is removed ({thing.drop()} in the sqlite3 shell)"
                                   if not thing.changed else f"not annotator's: {what}; annotator writes nothing"
                                   " to this file until it is put back as annotator made it"))
    missing = store.missing_guards()
    if missing:
        mismatches.append(Mismatch("log", ", ".join(missing), "the append-only triggers were dropped: the log"
                                   " could be edited without a trace in the tables (the chain above still checks"
                                   " every event)"))
    # Cells that are not what their column holds, and rows naming a row that is gone, first: said in
    # words, then left out of the checks below, which read values of the right types.
    damaged = store.cell_problems()
    mismatches += [Mismatch(entity, which, problem) for entity, which, problem in damaged]
    unreadable = {(entity, which) for entity, which, _problem in damaged}
    mismatches += _annotation_mismatches(store, unreadable)
    # Each other kind's events read once, through the (entity, id) index.
    others = {kind: list(store.events(entity=kind))
              for kind in ("article", "claim", "link", "rejection", "rating", "setting", "suggestion", "cue", "model",
                           "label")}
    mismatches += _article_mismatches(store, others["article"], unreadable)
    mismatches += _claim_mismatches(store, others)
    mismatches += _suggestion_mismatches(store, others)
    mismatches += [Mismatch("merge", uid, problem) for uid, problem in store.provenance_problems()]
    return AuditReport(chain, tuple(mismatches), store.event_count(), tuple(store.merges()), damage, integrity)


def _annotation_mismatches(store: Store, unreadable: set[tuple[str, str]]) -> list[Mismatch]:
    """Each annotation's row against the replay of its events, then each span's text against its article.

    Rows and last events stream side by side in uid order. A row that is, as a
    string, what its last event wrote (or a deleted one whose last event is its
    deletion) is what the log says; only the others are replayed in full. At a
    million annotations, replaying every one held gigabytes and took 4x the chain.
    """
    found = []
    renames = _Renames(list(store.events(entity="label")))
    states, lasts = store.annotation_states(), store.last_events("annotation")
    state, last = next(states, None), next(lasts, None)
    while state is not None or last is not None:
        if state is None or (last is not None and last[0] < state[0]):
            assert last is not None
            uid, row, (_, action, after, at) = last[0], None, last
            last = next(lasts, None)
        elif last is None or state[0] < last[0]:
            uid, row, action, after, at = state[0], state[1], "", None, 0
            state = next(states, None)
        else:
            uid, row, (_, action, after, at) = state[0], state[1], last
            state, last = next(states, None), next(lasts, None)
        if ("annotation", uid) in unreadable or (action in _WHOLE_STATE_ACTIONS and renames.explains(after, row, at)):
            continue
        problem = _row_against_log(None if row is None else orjson.loads(row), store.events_for(uid), renames)
        if problem:
            found.append(Mismatch("annotation", uid, problem))
    for uid, start, end, text in store.span_text_mismatches():
        found.append(Mismatch("annotation", uid, f"its text {_show(text)} is not the article text at"
                              f" [{start}, {end})"))
    return found


def _row_against_log(values: dict[str, Any] | None, events: list[Event], renames: _Renames) -> str:
    """What is wrong with one annotation's row (None: no row) given its events; "" if nothing."""
    logged = replay(events)
    labelled = next((e for e in reversed(events) if e.after is not None and "label" in e.after), None)
    if logged is not None and labelled is not None and isinstance(logged.get("label"), str):
        logged["label"] = renames.now(logged["label"], labelled.id)
    if values is None and logged is None:
        return ""
    if values is None:
        return "the log says it exists, but it is gone from the table (deleted outside annotator)"
    if logged is None:
        why = "it has no event in the log" if not events else "the log says it was deleted"
        return f"{why}, but it is in the table (added outside annotator, or its last events were removed)"
    diffs = [f"{f} is {_show(values[f])}, the log says {_show(logged.get(f))}"
             for f in VALUE_FIELDS if values[f] != logged.get(f)]
    if diffs:
        return "; ".join(diffs) + " (changed outside annotator, or its last events were removed)"
    return ""


def _article_mismatches(store: Store, events: list[Event], unreadable: set[tuple[str, str]]) -> list[Mismatch]:
    """Articles against their events (``events``: every article event, in log order); ``unreadable``: rows whose
    cells are not of their types, said already and left out here."""
    imported: dict[str, str | None] = {}
    details: dict[str, list[Event]] = {}
    for event in events:
        if event.after is not None:
            imported[event.entity_uid] = event.after.get("sha256")
        details.setdefault(event.entity_uid, []).append(event)
    found = []
    if any(entity == "article" for entity, _which in unreadable):
        articles = _readable_articles(store)
        held = {a.uid for a in articles} | {which for entity, which in unreadable if entity == "article"}
    else:
        articles = store.articles()
        held = {a.uid for a in articles}
    held |= {a.sha256 for a in articles}
    for uid, history in details.items():
        # An article the log says is there (an import, a restore), gone from the table. Its text may be
        # here under another uid: a merge matches articles by their text, not their uid.
        state = replay(history)
        if state is not None and uid not in held and state.get("sha256") not in held:
            found.append(Mismatch("article", uid, f"the log says {_show(state.get('title'))} is there, but it is"
                                  " gone from the table (deleted outside annotator)"))
    for article in articles:
        logged = replay(details.get(article.uid, ())) or {}
        diffs = [f"its {f} is {_show(getattr(article, f))}, the log says {_show(logged.get(f))}"
                 for f in ARTICLE_DETAILS if f in logged and getattr(article, f) != logged[f]]
        if diffs:
            found.append(Mismatch("article", article.uid, f"(id {article.id}) " + "; ".join(diffs)
                                  + " (changed outside annotator)"))
        if ("article", article.uid) in unreadable:
            continue
        digest = hashlib.sha256(store.article_text(article.id).encode("utf-8")).hexdigest()
        if digest != article.sha256:
            found.append(Mismatch("article", article.uid, f"(id {article.id}) its text no longer matches its"
                                  " sha256: edited outside annotator"))
        elif article.uid not in imported:
            found.append(Mismatch("article", article.uid, f"(id {article.id}) has no import event in the log"))
        elif imported[article.uid] not in (None, article.sha256):
            found.append(Mismatch("article", article.uid, f"(id {article.id}) its sha256 is not the one its"
                                  " import event recorded: text and hash were both replaced"))
    return found


ARTICLE_DETAILS = ("title", "source", "url", "published")


def _readable_articles(store: Store) -> list[Article]:
    """The articles whose cells are of their types, one at a time (only when some are not)."""
    found = []
    for article_id in store.article_ids():
        try:
            found.append(store.article(article_id))
        except BadRowError:
            continue
    return found


def _claim_mismatches(store: Store, events: dict[str, list[Event]]) -> list[Mismatch]:
    """Claims, links, ratings, rejected suggestions and settings against their events (by kind, in log order)."""
    from .claims import DEFAULT_RATINGS

    defaults = {name: {"name": name, "value": float(value), "description": desc, "position": i}
                for i, (name, value, desc) in enumerate(DEFAULT_RATINGS)}
    found: list[Mismatch] = []
    found += _entity_mismatches(events, "claim", {c.uid: c.as_values() for c in store.claims()})
    found += _entity_mismatches(events, "link", {k.uid: k.as_values() for k in store.links()})
    found += _entity_mismatches(events, "rejection", {r.uid: r.as_values() for r in store.rejections()})
    found += _entity_mismatches(events, "rating", {r.name.casefold(): {**r.as_values(), "value": float(r.value)}
                                                   for r in store.ratings()}, defaults)
    found += _entity_mismatches(events, "setting", {k: {"value": v} for k, v in store.settings().items()})
    return found


def _suggestion_mismatches(store: Store, events: dict[str, list[Event]]) -> list[Mismatch]:
    """Suggestions, cue lists and trained models against their events; a model's arrays against its digest."""
    from .suggestions import default_cues, model_digest

    # The defaults the migration wrote, without events: one per default label there was then. A default
    # cue with neither row nor event was never written (its label was gone or renamed by then); that
    # also lets through a default cue deleted with the sqlite3 shell, which changes no one's data.
    cues = {c.uid: c.as_values() for c in store.cues()}
    logged = {e.entity_uid for e in events["cue"]}
    defaults = {c.uid: c.as_values() for c in default_cues() if c.uid in cues or c.uid in logged}
    found: list[Mismatch] = []
    # Both hold their label by id and their events name it: a rename renames them without an event.
    renames = _Renames(events["label"])
    found += _entity_mismatches(events, "suggestion", {s.uid: s.as_values()
                                                       for s in store.suggestion_rows(states=(), order="position")},
                                renames=renames)
    found += _entity_mismatches(events, "cue", cues, defaults, renames=renames)
    models = store.stored_models()
    found += _entity_mismatches(events, "model", {m.name: m.as_values() for m in models})
    for model in models:
        if model_digest(model.params, model.weights) != model.sha256:
            found.append(Mismatch("model", model.name, "its coefficients or parameters no longer match their"
                                  " sha256: changed outside annotator (retrain it)"))
    for uid, start, end, text in store.suggestion_text_mismatches():
        found.append(Mismatch("suggestion", uid, f"its text {_show(text)} is not the article text at"
                              f" [{start}, {end})"))
    return found


def _entity_mismatches(events: dict[str, list[Event]], entity: str, rows: dict[str, dict[str, Any]],
                       initial: dict[str, dict[str, Any]] | None = None, *,
                       renames: _Renames | None = None) -> list[Mismatch]:
    """Rows of one kind of entity against the state their events replay to (``initial``: the state before any).

    With ``renames``, a ``label`` the log recorded is compared under the name that label has now.
    """
    by_uid: dict[str, list[Event]] = {}
    for event in events.get(entity, ()):
        by_uid.setdefault(event.entity_uid, []).append(event)
    initial = initial or {}
    found = []
    for uid in sorted(set(by_uid) | set(rows) | set(initial)):
        logged = replay(by_uid.get(uid, ()), dict(initial[uid]) if uid in initial else None)
        if renames is not None and logged is not None and isinstance(logged.get("label"), str):
            labelled = next((e.id for e in reversed(by_uid.get(uid, ())) if e.after and "label" in e.after), 0)
            logged["label"] = renames.now(logged["label"], labelled)
        row = rows.get(uid)
        if row is None and logged is None:
            continue
        if row is None:
            found.append(Mismatch(entity, uid, "the log says it exists, but it is gone from the table"
                                  " (deleted outside annotator)"))
        elif logged is None:
            why = "it has no event in the log" if uid not in by_uid else "the log says it was deleted"
            found.append(Mismatch(entity, uid, f"{why}, but it is in the table (added outside annotator,"
                                  " or its last events were removed)"))
        else:
            diffs = [f"{f} is {_show(row[f])}, the log says {_show(logged.get(f))}"
                     for f in row if row[f] != logged.get(f)]
            if diffs:
                found.append(Mismatch(entity, uid, "; ".join(diffs) + " (changed outside annotator,"
                                      " or its last events were removed)"))
    return found


__all__ = [
    "ARTICLE_DETAILS",
    "VALUE_FIELDS",
    "AnnotationHistory",
    "AuditReport",
    "FieldChange",
    "HistoryEntry",
    "LabelNames",
    "Mismatch",
    "annotation_history",
    "claim_history",
    "common_state",
    "history_entry",
    "label_names",
    "replay",
    "resolve_annotation_uid",
    "resolve_claim_uid",
    "verify",
]
