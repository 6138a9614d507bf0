"""Team merge: bring a colleague's database into this one.

Matching: articles by sha256 (their ids differ between databases), annotations
and events by uid. The colleague's file is opened read-only and never written.

What happened to an annotation on each side is read from the event log, not
guessed from timestamps. Let L and O be the uids of its events here and there:

- O adds nothing to L: this side has seen everything; nothing to do.
- L adds nothing to O: only the colleague moved on; take their version
  (including a deletion or a restore). Not a conflict.
- both added events: it was changed on both machines. If the two versions
  are the same, nothing to decide. If both still exist, they are merged part
  by part against the version both sides last shared (replayed from the
  events they have in common): the extent (start, end, text), the label, the
  note and the review (status, reason, reviewer). A part changed on one side
  only is taken from that side, so a note added here and a resize made there
  both survive; a part changed on both sides goes to the later change (edit
  time), except the note: someone's words, so both are kept, each with its
  author. A deletion against an edit is decided whole: the later one wins. The
  merge report lists each such annotation, part by part. Ties keep this side.

Either way every event of the colleague's that this log lacks is appended (with
its original uid, time and actor; re-chained here), so both versions stay in
the history. A ``merge`` event (actor: who merged) records each conflict's
outcome (``before``: the version given up, ``after``: the one kept, None for a
deletion), and any final state the appended events do not explain on their own
(``before``: the state the log implied); its ``after`` is always the whole
current state, so that ``verify`` finds table and log in step. Merging the same file again
finds nothing new: the events are there by uid, and the rows follow them.

An article both sides hold (the same text) keeps this database's title and
source, and a label both hold keeps its colour here; the report notes each
difference.

Labels the colleague has and this database lacks are created (and reported):
refusing would make the user recreate them by hand before merging, and a label
is only a name, a colour and a shortcut. A shortcut already used here is
dropped (reported) rather than given to two labels.

A colleague's database whose own log does not verify is refused: appending its
events here would re-chain them and launder the tampering.

Claims, links, ratings, rejected suggestions, settings and article details
are merged by the same rule, in merge_claims.py.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .audit import replay
from .audit import verify as verify_log
from .errors import AnnotatorError, DatabaseError
from .merge_claims import ClaimMergeReport, EntityConflict, merge_claims
from .model import Annotation, Event, check_span
from .spans import excerpt
from .store import NewEvent, Store
from .words import count


@dataclass(frozen=True)
class MergeConflict:
    """An annotation changed on both machines, and which version was kept."""

    uid: str
    kind: Literal["edited on both sides", "deleted here, edited there", "edited here, deleted there"]
    kept: Literal["here", "there", "both"]
    here: Annotation | None
    there: Annotation | None
    here_at: str
    there_at: str
    parts: tuple[str, ...] = ()
    """For an annotation merged part by part: where each differing part came from."""

    def describe(self) -> str:
        def version(a: Annotation | None, at: str) -> str:
            when = at[:19].replace("T", " ")
            if a is None:
                return f"deleted {when}"
            note = f", note {a.note!r}" if a.note else ""
            return f"{a.label} “{excerpt(a.text, 40)}” [{a.start}, {a.end}) {a.status}{note}, changed {when}"

        if self.parts:
            outcome = "merged part by part: " + "; ".join(self.parts)
        else:
            outcome = f"kept {'this database' if self.kept == 'here' else 'the other'}'s (the later)"
        span = self.here or self.there
        what = f"{span.annotator}'s “{excerpt(span.text, 40)}”" if span is not None else "annotation"
        return (f"{what}: {self.kind}; {outcome}. Here: {version(self.here, self.here_at)}. "
                f"There: {version(self.there, self.there_at)}. (annotation {self.uid})")


@dataclass(frozen=True)
class MergeReport:
    source: str
    dry_run: bool
    articles_added: int
    annotations_added: int
    annotations_updated: int
    annotations_deleted: int
    events_added: int
    labels_created: tuple[str, ...]
    conflicts: tuple[MergeConflict, ...]
    notes: tuple[str, ...]
    claims: ClaimMergeReport = field(default_factory=ClaimMergeReport)
    """Claims, links, ratings, settings, article details: what came in, and their conflicts."""

    @property
    def claim_conflicts(self) -> tuple[EntityConflict, ...]:
        return tuple(self.claims.conflicts)

    @property
    def changed(self) -> bool:
        return bool(self.events_added or self.articles_added or self.annotations_added or self.annotations_updated
                    or self.annotations_deleted or self.labels_created or self.claims.changed)

    def summary(self) -> str:
        if not self.changed:
            return f"{self.source}: nothing new to merge"
        verb = "would merge" if self.dry_run else "merged"
        parts = [count(self.articles_added, "new article"), count(self.annotations_added, "new annotation"),
                 f"{self.annotations_updated} updated", f"{self.annotations_deleted} deleted",
                 count(self.events_added, "event"), count(len(self.conflicts), "conflict")]
        if self.labels_created:
            parts.append(f"labels created: {', '.join(self.labels_created)}")
        if self.claims.changed or self.claims.conflicts:
            parts.append((self.claims.summary() or "claims unchanged")
                         + f" ({count(len(self.claims.conflicts), 'claim conflict')})")
        return f"{self.source}: {verb} " + ", ".join(parts)


class _DryRun(Exception):
    """Raised inside the merge transaction to roll a dry run back."""


def merge_database(
    store: Store, other_path: str | os.PathLike[str], *, actor: str, dry_run: bool = False,
) -> MergeReport:
    """Merge the database at ``other_path`` into ``store`` in one transaction.

    With ``dry_run`` the same work is done and rolled back: the report says
    what a real merge would do.
    """
    if not actor.strip():
        raise AnnotatorError("a merge needs the name of who merges")
    path = Path(other_path).expanduser()
    if store.path is not None and path.exists() and path.resolve() == Path(store.path).resolve():
        raise DatabaseError(f"{path} is the database being merged into")
    other = Store.open_read_only(path)
    try:
        audit = verify_log(other)
        if not audit.ok:
            first = audit.summary().splitlines()[0]
            raise DatabaseError(f"the event log of {path} does not verify ({first}); nothing was merged."
                                f" Run 'annotator verify --db {path}' for details")
        holder: list[MergeReport] = []
        try:
            with store.transaction():
                holder.append(_Merge(store, other, str(path), actor.strip(), dry_run).run())
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return holder[0]
    finally:
        other.close()


class _Merge:
    def __init__(self, store: Store, other: Store, source: str, actor: str, dry_run: bool) -> None:
        self.store = store
        self.other = other
        self.source = source
        self.actor = actor
        self.dry_run = dry_run
        self.notes: list[str] = []
        self.local_events: list[NewEvent] = []
        self.article_map: dict[int, int] = {}

    def run(self) -> MergeReport:
        labels = self._labels()
        articles_added = self._articles()
        foreign = self._foreign_events()
        self.store.defer_foreign_keys()   # a span and its links change in separate passes
        added = updated = deleted = 0
        conflicts: list[MergeConflict] = []
        merge_events: list[NewEvent] = []

        local_by_uid = self.store.event_uids_by_entity("annotation")
        here_rows = {a.uid: a for a in self.store.annotations()}
        there_rows = {a.uid: self._translated(a) for a in self.other.annotations()}
        there_events: dict[str, list[Event]] = {}
        for event in self.other.events(entity="annotation"):
            there_events.setdefault(event.entity_uid, []).append(event)
        new_foreign: dict[str, list[Event]] = {}
        for event in foreign:
            if event.entity == "annotation":
                new_foreign.setdefault(event.entity_uid, []).append(event)

        for uid in sorted(set(there_rows) | set(there_events)):
            theirs = {e.uid for e in there_events.get(uid, ())}
            ours = local_by_uid.get(uid, set())
            here, there = here_rows.get(uid), there_rows.get(uid)
            if theirs and theirs <= ours:
                continue  # nothing there that this side has not seen
            conflict = None
            if theirs and ours <= theirs:
                final = there  # only the colleague moved on
            elif not ours and here is None:
                final = there  # new here (a row with no history there is still brought in)
            elif _values(here) == _values(there):
                final = here
            elif here is not None and there is not None:
                local = self.store.events_for(uid)
                shared = sorted((e for e in local if e.uid in theirs), key=lambda e: (e.at, e.id))
                authors = (_note_author(local, here), _note_author(there_events.get(uid, ()), there))
                final, parts = _merge_parts(replay(shared), here, there, note_authors=authors)
                kept: Literal["here", "there", "both"] = (
                    "here" if _values(final) == _values(here) else
                    "there" if _values(final) == _values(there) else "both")
                conflict = MergeConflict(uid, "edited on both sides", kept, here, there, here.updated_at,
                                         there.updated_at, tuple(parts))
                conflicts.append(conflict)
            else:
                here_at = here.updated_at if here else _last_at(self.store.events_for(uid))
                there_at = there.updated_at if there else _last_at(there_events.get(uid, []))
                kept = "there" if there_at > here_at else "here"
                final = there if kept == "there" else here
                kind: Any = "deleted here, edited there" if there else "edited here, deleted there"
                conflict = MergeConflict(uid, kind, kept, here, there, here_at, there_at)
                conflicts.append(conflict)

            if final is None and here is not None:
                self.store.erase_annotation_row(uid)
                deleted += 1
            elif final is not None and here is None:
                self._check(final)
                self.store.insert_annotation_rows([final], overwrite=True)
                added += 1
            elif final is not None and here is not None and replace(final, id=here.id) != here:
                self._check(final)
                self.store.insert_annotation_rows([replace(final, id=here.id)], overwrite=True)
                updated += 1

            logged = replay([*self.store.events_for(uid), *new_foreign.get(uid, ())])
            if conflict is not None:
                given_up = {"there": conflict.here, "here": conflict.there, "both": conflict.here}[conflict.kept]
                merge_events.append(
                    NewEvent("merge", "annotation", uid, _values(given_up), _values(final), self.actor))
            elif logged != _values(final):
                merge_events.append(NewEvent("merge", "annotation", uid, logged, _values(final), self.actor))

        claims = merge_claims(self.store, self.other, self.article_map, foreign, self.actor)
        events = [
            *(NewEvent(e.action, e.entity, e.entity_uid, e.before, e.after, e.actor, at=e.at, uid=e.uid)
              for e in foreign),
            *self.local_events,
            *merge_events,
            *claims.events,
        ]
        self.store.append_events(events)
        return MergeReport(
            self.source, self.dry_run, articles_added, added, updated, deleted, len(events), tuple(labels),
            tuple(conflicts), tuple(self.notes + claims.notes), claims,
        )

    def _labels(self) -> list[str]:
        created = []
        label_events = {e.entity_uid.casefold() for e in self.other.events(entity="label") if e.action == "create"}
        shortcuts = {label.shortcut.casefold() for label in self.store.labels() if label.shortcut}
        for label in self.other.labels():
            if self.store.has_label(label.name):
                here = self.store.label(label.name)
                if here.colour.casefold() != label.colour.casefold():
                    self.notes.append(f"label {label.name!r}: coloured {label.colour} there; {here.colour} kept here")
                continue
            shortcut = label.shortcut
            if shortcut and shortcut.casefold() in shortcuts:
                self.notes.append(f"label {label.name!r}: its shortcut {shortcut!r} is taken here; it has none")
                shortcut = ""
            self.store.insert_label_row(label.name, label.colour, shortcut, label.description)
            if shortcut:
                shortcuts.add(shortcut.casefold())
            created.append(label.name)
            if label.name.casefold() not in label_events:
                self.local_events.append(NewEvent("create", "label", label.name, None, {
                    "name": label.name, "colour": label.colour, "shortcut": shortcut,
                    "description": label.description}, self.actor))
        return created

    def _articles(self) -> int:
        added = 0
        for article in self.other.articles():
            mine = self.store.article_by_sha(article.sha256)
            if mine is not None and mine.uid != article.uid:
                # The same text under another name: the name here stays, and the report says so.
                if mine.title != article.title:
                    self.notes.append(f"article {mine.title!r}: titled {article.title!r} there; the title here is kept")
                if (mine.source or None) != (article.source or None):  # no source, stored as None or ""
                    self.notes.append(f"article {mine.title!r}: source {article.source!r} there;"
                                      f" {mine.source!r} is kept here")
            if mine is None:
                mine = self.store.insert_article_row(
                    self.other.article_text(article.id), uid=article.uid, sha256=article.sha256, title=article.title,
                    source=article.source, url=article.url, published=article.published, origin=article.origin,
                    created_at=article.created_at)
                added += 1
                if mine.uid != article.uid:
                    # Its import event names the other uid: record one for the uid used here.
                    self.notes.append(f"article {article.title!r}: its uid is used here by another article;"
                                      f" it was given {mine.uid}")
                    self.local_events.append(NewEvent("import", "article", mine.uid, None, {
                        "title": mine.title, "source": mine.source, "url": mine.url, "published": mine.published,
                        "origin": mine.origin, "sha256": mine.sha256, "merged_from_uid": article.uid}, self.actor))
            self.article_map[article.id] = mine.id
        return added

    def _foreign_events(self) -> list[Event]:
        """The colleague's events this log lacks, in their order, article ids translated to ours."""
        known = self.store.event_uids()
        found = []
        for event in self.other.events():
            if event.uid in known:
                continue
            if event.entity in ("annotation", "rejection"):   # both name their article by id
                event = replace(event, before=self._translated_values(event.before),
                                after=self._translated_values(event.after))
            found.append(event)
        return found

    def _translated_values(self, values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None or "article_id" not in values:
            return values
        return {**values, "article_id": self.article_map.get(values["article_id"], values["article_id"])}

    def _translated(self, annotation: Annotation) -> Annotation:
        return replace(annotation, article_id=self.article_map[annotation.article_id], id=None)

    def _check(self, annotation: Annotation) -> None:
        try:
            check_span(self.store.article_text(annotation.article_id), annotation.start, annotation.end,
                       annotation.text)
        except AnnotatorError as exc:
            raise DatabaseError(f"annotation {annotation.uid} of {self.source} does not fit its article ({exc});"
                                " nothing was merged") from exc


# The parts of an annotation merged on their own: fields that only make sense together move together.
_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("extent", ("start", "end", "text")),
    ("label", ("label",)),
    ("note", ("note",)),
    ("review", ("status", "review_note")),
)
# Not in the event log (the events' actor and time say it), so they travel with their part.
_CARRIED = {"review": ("reviewer", "reviewed_at")}


def _merge_parts(base: dict[str, Any] | None, here: Annotation, there: Annotation, *,
                 note_authors: tuple[str, str] = ("here", "there")) -> tuple[Annotation, list[str]]:
    """Three-way merge of one annotation edited on both sides, against the state both last shared.

    Notes are words someone wrote: when both sides changed one, both are kept,
    each with its author, rather than the later one silently replacing the other.
    """
    merged = here
    parts = []
    reviewed = here   # the side whose verdict the merged span carries
    for name, fields in _PARTS:
        mine = tuple(getattr(here, f) for f in fields)
        theirs = tuple(getattr(there, f) for f in fields)
        if mine == theirs:
            continue
        shared = tuple(base.get(f) for f in fields) if base is not None else None
        if mine == shared:
            take_there, why = True, "changed there only"
        elif theirs == shared:
            take_there, why = False, "changed here only"
        elif name == "note":
            merged = replace(merged, note=_joined_notes(here.note, note_authors[0], there.note, note_authors[1]))
            parts.append("note from both sides (changed on both sides; both kept, each with its author)")
            continue
        else:
            take_there, why = there.updated_at > here.updated_at, "changed on both sides; the later kept"
        if take_there:
            merged = replace(merged, **{f: getattr(there, f) for f in (*fields, *_CARRIED.get(name, ()))})
            if name == "review":
                reviewed = there
        parts.append(f"{name} from {'there' if take_there else 'here'} ({why})")
    # A verdict holds for the span it was given on (as relabel and resize keep it): an extent
    # or label from the other side makes a span nobody has judged.
    if merged.status != "pending" and _judged(merged) != _judged(reviewed):
        merged = replace(merged, status="pending", review_note="", reviewer=None, reviewed_at=None)
        parts.append("review cleared (given on the span before the other side's change)")
    return replace(merged, updated_at=max(here.updated_at, there.updated_at)), parts


def _note_author(events: Sequence[Event], annotation: Annotation) -> str:
    """Who last wrote the note: the actor of the last event that set it, else the span's annotator."""
    for event in reversed(events):
        if event.after is not None and "note" in event.after:
            return event.actor
    return annotation.annotator


def _joined_notes(here: str, here_author: str, there: str, there_author: str) -> str:
    """Both notes, each with its author; a side that emptied its note adds nothing."""
    kept = [f"{author}: {note}" for note, author in ((here, here_author), (there, there_author)) if note.strip()]
    return "\n".join(kept)


def _judged(annotation: Annotation) -> tuple[Any, ...]:
    return annotation.start, annotation.end, annotation.text, annotation.label


def _values(annotation: Annotation | None) -> dict[str, Any] | None:
    return annotation.as_values() if annotation is not None else None


def _last_at(events: Sequence[Event]) -> str:
    return max((e.at for e in events), default="")


__all__ = ["MergeConflict", "MergeReport", "merge_database"]
