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
dropped (reported) rather than given to two labels. A label renamed on either
side is matched through the renames both logs hold: its spans from there come
in under this database's name, and the report says so. A label renamed,
recoloured, re-keyed or deleted there keeps its name and looks here (noted);
a ``merge`` event after the colleague's label events says which names hold
here, so that verify follows renames (``audit.LabelNames``) to this side's.

An article deleted here stays deleted unless the colleague's database has
changes on it (or its spans) this one has not seen: then it comes back, with
whatever of those changes the rules above keep (noted). An article deleted
there is deleted here too unless this side has spans on it, or changes to it,
the other has not seen: then it stays (noted).

A colleague's database whose own log does not verify is refused: appending its
events here would re-chain them and launder the tampering.

Claims, links, ratings, rejected suggestions, settings and article details
are merged by the same rule, in merge_claims.py.

Suggested spans, cue lists and trained models are not merged, nor their
events (``NOT_MERGED``): suggestions are a machine's output on that machine,
and a model read from someone else's file is never loaded; each database
trains its own (docs/suggestions.md). What a colleague accepted arrives as the
annotation it became, whose event still names the suggestion.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from . import incoming
from .audit import VALUE_FIELDS, LabelNames, common_state, label_names, replay
from .audit import verify as verify_log
from .errors import AnnotatorError, DatabaseError, WriteError
from .merge_claims import ClaimMergeReport, EntityConflict, merge_claims
from .model import Annotation, Article, Event, Label, annotator_key, check_span, label_key, mixed_script_word, skeleton
from .spans import excerpt
from .store import MergeRecord, NewEvent, Store, Waiting, file_chunks
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
            # The review's reason too: two versions differing only there must not read as the same.
            reason = f" ({a.review_note!r})" if a.review_note else ""
            return f"{a.label} “{excerpt(a.text, 40)}” [{a.start}, {a.end}) {a.status}{reason}{note}, changed {when}"

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
    """The colleague's events appended here (what verify later says came from their file)."""
    labels_created: tuple[str, ...]
    conflicts: tuple[MergeConflict, ...]
    notes: tuple[str, ...]
    claims: ClaimMergeReport = field(default_factory=ClaimMergeReport)
    """Claims, links, ratings, settings, article details: what came in, and their conflicts."""
    articles_deleted: int = 0
    """Articles deleted there (and not worked on here since), deleted here too."""
    origin: MergeRecord | None = None
    """Where this merge noted its events came from (None: it brought none)."""
    merge_events: int = 0
    """Events of this merge's own (``merge`` events saying how it settled a conflict or what a row holds)."""
    spans_recognised: int = 0
    """Their spans under other uids that are spans here (same article, offsets, label, annotator): not added."""

    @property
    def claim_conflicts(self) -> tuple[EntityConflict, ...]:
        return tuple(self.claims.conflicts)

    @property
    def changed(self) -> bool:
        return bool(self.events_added or self.merge_events or self.articles_added or self.annotations_added
                    or self.annotations_updated or self.annotations_deleted or self.labels_created
                    or self.claims.changed or self.articles_deleted)

    def summary(self) -> str:
        if not self.changed:
            return f"{self.source}: nothing new to merge"
        verb = "would merge" if self.dry_run else "merged"
        parts = [count(self.articles_added, "new article")]
        if self.articles_deleted:
            parts.append(count(self.articles_deleted, "article") + " deleted")
        if self.spans_recognised:
            parts.append(f"{count(self.spans_recognised, 'span')} recognised as spans here under other uids")
        parts += [count(self.annotations_added, "new annotation"),
                 f"{self.annotations_updated} updated", f"{self.annotations_deleted} deleted",
                 count(self.events_added, "event") + " from the file" + (
                     f" (and {count(self.merge_events, 'event')} of the merge's own)" if self.merge_events else ""),
                 count(len(self.conflicts), "conflict")]
        if self.labels_created:
            parts.append(f"labels created: {', '.join(self.labels_created)}")
        if self.claims.changed or self.claims.conflicts:
            parts.append((self.claims.summary() or "claims unchanged")
                         + f" ({count(len(self.claims.conflicts), 'claim conflict')})")
        return f"{self.source}: {verb} " + ", ".join(parts)


NOT_MERGED: frozenset[str] = frozenset({"suggestion", "cue", "model", "merge"})
"""Entities whose rows and events stay in the database they were made in. A ``merge`` record says
where the colleague's database got events: theirs to keep; this one records its own (store/provenance.py)."""


class _DryRun(Exception):
    """Raised inside the merge transaction to roll a dry run back."""


@dataclass
class Colleague:
    """A colleague's database opened for a merge and checked (its log verifies): ``read_colleague``."""

    path: Path
    store: Store
    budget: int
    notes: list[str]

    def close(self) -> None:
        self.store.close()

    def over_budget(self, exc: BaseException, readers: Sequence[Store]) -> BaseException:
        """``exc`` said as the work budget it ran out of, when it did; else ``exc``."""
        if any(reader.over_budget for reader in readers):
            return DatabaseError(f"reading {self.path} took more work than a database of its size needs (over"
                                 f" {self.budget / 1000:,.0f} million steps of SQLite): it may be built never to end;"
                                 " nothing was merged")
        return exc


def read_colleague(store: Store, other_path: str | os.PathLike[str], *, waiting: Waiting | None = None,
                   poll_ms: int = 200) -> Colleague:
    """Open the database at ``other_path`` for merging into ``store`` and check it, merging nothing.

    Refused: this very database, a missing file, one that is not an annotator
    database, and one whose log does not verify (appending its events here
    would re-chain them and launder the tampering). A command merging several
    files reads each this way before it merges any (``merge_database``).
    """
    path = Path(other_path).expanduser()
    if store.path is not None and path.exists() and path.resolve() == Path(store.path).resolve():
        raise DatabaseError(f"{path} is the database being merged into")
    # Refuses a file whose tables are views or lack columns before anything reads them.
    other = Store.open_read_only(path, waiting=waiting, poll_ms=poll_ms)
    colleague = Colleague(path, other, work_budget(path), [])
    other.bound_work(colleague.budget)
    try:
        audit = verify_log(other, integrity="quick_check")
        # Schema objects of another hand are no reason to refuse: a merge only reads the file (a trigger
        # runs on writes), nothing of them comes here, and what they did to rows shows in the rows.
        foreign = [m.uid for m in audit.mismatches if m.entity == "schema"]
        audit = replace(audit, mismatches=tuple(m for m in audit.mismatches if m.entity != "schema"))
        if not audit.ok:
            first = audit.summary().splitlines()[0]
            raise DatabaseError(f"the event log of {path} does not verify ({first}); nothing was merged."
                                f" Run 'annotator verify --db {path}' for details")
        if foreign:
            colleague.notes.append(f"{path} holds schema objects annotator did not make ({', '.join(foreign)}): only"
                                   " its rows were read, and none of them came here")
    except Exception as exc:
        other.close()
        found = colleague.over_budget(exc, [other])
        if found is exc:
            raise
        raise found from exc
    return colleague


def merge_database(
    store: Store, other_path: str | os.PathLike[str] | Colleague, *, actor: str, dry_run: bool = False,
    waiting: Waiting | None = None, poll_ms: int = 200,
) -> MergeReport:
    """Merge the database at ``other_path`` (or a colleague's read already) into ``store`` in one transaction.

    With ``dry_run`` the same work is done and rolled back: the report says
    what a real merge would do. While another program writes to the other
    file, ``waiting`` is asked every ``poll_ms`` whether to wait on (without
    it, the read fails after SQLite's busy timeout). A ``Colleague`` given is
    closed when the merge ends.
    """
    if not actor.strip():
        raise AnnotatorError("a merge needs the name of who merges")
    colleague = other_path if isinstance(other_path, Colleague) else read_colleague(
        store, other_path, waiting=waiting, poll_ms=poll_ms)
    path, other = colleague.path, colleague.store
    readers = [other]
    try:
        source, notes, recognised = _without_collisions(store, other, str(path))
        notes[:0] = colleague.notes
        if source is not other:
            source.bound_work(colleague.budget)
            readers.append(source)
        return replace(_merge_into(store, source, path, actor.strip(), dry_run, notes), spans_recognised=recognised)
    except Exception as exc:
        found = colleague.over_budget(exc, readers)
        if found is exc:
            raise
        raise found from exc
    finally:
        for reader in readers:
            reader.close()


def _merge_into(store: Store, other: Store, path: Path, actor: str, dry_run: bool,
                notes: Sequence[str]) -> MergeReport:
    holder: list[MergeReport] = []
    try:
        with store.transaction():
            merge = _Merge(store, other, str(path), actor, dry_run)
            report = merge.run()
            if merge.foreign_uids:
                record = store.record_merge(str(path), file_digest(path), merge.foreign_uids, actor=actor)
                report = replace(report, origin=record)
            holder.append(replace(report, notes=(*notes, *report.notes)))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except WriteError as exc:
        # The disk or the database failed the merge: all of it was rolled back.
        raise type(exc)(f"{exc.reason}; nothing was merged", exc.reason) from exc
    return holder[0]


# SQLite steps (thousands, counted every 1,000 virtual-machine instructions) a merge may spend
# per byte of the colleague's file. Honest merges of 50 and 200 synthetic newsroom articles
# (5.8 and 22.5 MB, into an empty database and into a copy of themselves) took 0.0002: the
# bound is 100 times that. An endless view, refused before it is read, would otherwise stop
# after ~2 x 10^8 instructions at least (a second or two).
_STEPS_PER_BYTE = 0.02
_MIN_STEPS = 200_000


def work_budget(path: Path) -> int:
    """How much reading (thousands of SQLite steps) a merge of this file may take: proportional to its size."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return max(_MIN_STEPS, int(size * _STEPS_PER_BYTE))


def file_digest(path: Path) -> str:
    """The sha256 of the file's bytes, as merged: what the merge record names it by."""
    import hashlib

    digest = hashlib.sha256()
    for block in file_chunks(path):   # not open(): closing it would drop the read lock of the open copy
        digest.update(block)
    return digest.hexdigest()


def _without_collisions(store: Store, other: Store, source: str) -> tuple[Store, list[str], int]:
    """``other``, or a private copy of it in which uids that name something else here are renamed, with notes,
    and how many of its spans are spans here under other uids (``_same_spans``), renamed to those.

    Articles are the same article by sha256: a colleague's article whose uid
    names another text here takes the uid its text has here, or a new one
    (the same new one on every merge of it). A span whose uid names a span of
    another article here takes a new uid likewise. Links and events follow.
    """
    their_articles = other.article_shas([*(a.uid for a in other.articles()),
                                         *other.event_uids_by_entity("article")])
    here_articles = store.article_shas(their_articles)
    articles: dict[str, str] = {}
    notes: list[str] = []
    for uid, sha in their_articles.items():
        if uid in here_articles and here_articles[uid] != sha:
            same = store.article_by_sha(sha)
            articles[uid] = same.uid if same is not None else _renamed("article", uid, sha)
            notes.append(f"article uid {uid} of {source} names a different text here; its article was brought in"
                         f" as {articles[uid]}")
    their_spans = other.span_article_shas([*(a.uid for a in other.annotations()),
                                           *other.event_uids_by_entity("annotation")])
    here_spans = store.span_article_shas(their_spans)
    spans = {uid: _renamed("annotation", uid, sha) for uid, sha in their_spans.items()
             if uid in here_spans and here_spans[uid] != sha}
    notes += [f"span uid {uid} of {source} names a span of another article here; its span was brought in as {new}"
              for uid, new in sorted(spans.items())]
    recognised = _same_spans(store, other, set(here_spans))
    spans.update(recognised)
    if not articles and not spans:
        return other, notes, 0
    copy = other.private_copy()
    try:
        copy.rename_uids(articles, spans)
    except BaseException:
        copy.close()
        raise
    return copy, notes, len(recognised)


def _same_spans(store: Store, other: Store, known: set[str]) -> dict[str, str]:
    """Their spans that are spans here under another uid: their uid -> the uid here.

    Two people who import the same file (a team lead hands everyone the same
    pre-annotated JSONL) hold the same spans under different uids: matched by
    uid alone, a merge doubled every one. A span of theirs whose uid is not
    known here (``known``: their uids this database has as a row or in its
    log) is the span here
    - whose events include one of its events: recognised at an earlier merge,
      whose rename put their events under the uid here (so an edit since is
      still the same span); else
    - with the same article (by text), offsets, label and annotator, whose uid
      is not known there (else it is another span of theirs), one for one.
    The merge then renames theirs to the uid here in its private copy of their
    file, as for a uid that collides: their events join the history here, and
    their changes since merge as any colleague's edit does.
    """
    rows = other.span_identities()
    theirs = {uid: key for uid, *key in rows if uid not in known}
    their_events = other.event_uids_by_entity("annotation")
    unknown = [uid for uid in {*theirs, *their_events} if uid not in known]
    if not unknown:
        return {}
    owner = {event: entity for entity, events in store.event_uids_by_entity("annotation").items()
             for event in events}
    found: dict[str, str] = {}
    for uid in unknown:
        here = next((owner[e] for e in their_events.get(uid, ()) if e in owner), None)
        if here is not None and here != uid:
            found[uid] = here
    there = {*their_events, *(uid for uid, *_ in rows)}
    taken = set(found.values())
    by_key: dict[tuple[Any, ...], list[str]] = {}
    for uid, sha, start, end, label, annotator in store.span_identities():
        if uid not in there and uid not in taken:
            by_key.setdefault((sha, start, end, label_key(label), annotator_key(annotator)), []).append(uid)
    for uid, (sha, start, end, label, annotator) in theirs.items():
        if uid in found:
            continue
        same = by_key.get((sha, start, end, label_key(label), annotator_key(annotator)))
        if same:
            found[uid] = same.pop(0)
    return found


def _renamed(kind: str, uid: str, sha256: str) -> str:
    """The uid a colleague's colliding article or span gets here: the same one at every merge."""
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"annotator:{kind}:{uid}:{sha256}"))


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
        self.label_map: dict[str, str] = {}   # a label's name there (label_key) -> its name here
        self.labels_before = self.store.labels()
        self.returning: dict[str, str] = {}   # uid -> title of articles deleted here, brought in for now
        self._names: tuple[LabelNames, LabelNames] | None = None   # label names here and there, after their logs
        self.foreign_uids: list[str] = []  # the colleague's events this merge appends
        self.people: dict[str, str] | None = None   # annotator names here, by annotator_key
        self.respelled: set[str] = set()

    def run(self) -> MergeReport:
        labels = self._labels()
        articles_added = self._articles()
        foreign = self._foreign_events()
        self.local_events += self._label_names_kept(foreign)
        self.foreign_uids = [e.uid for e in foreign]
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
                base = replay(shared) if shared else common_state(
                    [e for e in local if e.entity == "annotation"], there_events.get(uid, ()), fields=VALUE_FIELDS)
                authors = (_note_author(local, here), _note_author(there_events.get(uid, ()), there))
                final, parts = _merge_parts(base, here, there, note_authors=authors)
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
            elif _logged_values(logged) != _values(final):
                merge_events.append(NewEvent("merge", "annotation", uid, logged, _values(final), self.actor))

        claims = merge_claims(self.store, self.other, self.article_map, foreign, self.actor)
        articles_returned, articles_deleted = self._settle_articles(foreign)
        articles_added += articles_returned
        events = [
            *(NewEvent(e.action, e.entity, e.entity_uid, e.before, e.after, e.actor, at=e.at, uid=e.uid)
              for e in foreign),
            *self.local_events,
            *merge_events,
            *claims.events,
        ]
        self.store.append_events(events)
        return MergeReport(
            self.source, self.dry_run, articles_added, added, updated, deleted, len(foreign), tuple(labels),
            tuple(conflicts), tuple(self.notes + claims.notes), claims, articles_deleted,
            merge_events=len(events) - len(foreign),
        )

    def _labels(self) -> list[str]:
        created = []
        label_events = {label_key(e.entity_uid) for e in self.other.events(entity="label") if e.action == "create"}
        shortcuts = {label.shortcut.casefold() for label in self.store.labels() if label.shortcut}
        for label in self.other.labels():
            here = self._label_here(label)
            if here is None:
                here = self._label_alike(label)
            if here is not None:
                self.label_map[label_key(label.name)] = here.name
                if label_key(here.name) != label_key(label.name):
                    self.notes.append(f"label {label.name!r} there is {here.name!r} here (renamed on one side):"
                                      f" its spans from there come in as {here.name!r}")
                if here.colour.casefold() != label.colour.casefold():
                    self.notes.append(f"label {here.name!r}: coloured {label.colour} there; {here.colour} kept here")
                continue
            mixed = mixed_script_word(label.name)
            if mixed is not None:
                self.notes.append(f"label {label.name!r} mixes Latin, Cyrillic or Greek letters in {mixed!r}; it is"
                                  " brought in as it is (its spans need it): rename it here")
            values = incoming.checked({"colour": label.colour, "shortcut": label.shortcut}, incoming.LABEL, {
                "colour": ("#999999", "it is coloured #999999 here"), "shortcut": ("", "it has no key here")})
            self.notes += [f"label {label.name!r} from the other database: {why}" for why in values.dropped]
            shortcut, colour = values.values["shortcut"] or "", values.values["colour"] or "#999999"
            if shortcut and shortcut.casefold() in shortcuts:
                self.notes.append(f"label {label.name!r}: its shortcut {shortcut!r} is taken here; it has none")
                shortcut = ""
            self.store.insert_label_row(label.name, colour, shortcut, label.description)
            if shortcut:
                shortcuts.add(shortcut.casefold())
            created.append(label.name)
            if label_key(label.name) not in label_events:
                self.local_events.append(NewEvent("create", "label", label.name, None, {
                    "name": label.name, "colour": colour, "shortcut": shortcut,
                    "description": label.description}, self.actor))
        return created

    def _label_alike(self, label: Label) -> Label | None:
        """This database's label that ``label`` only looks like ("clаim", its а Cyrillic, and "claim"), said in a note.

        Two labels a reader cannot tell apart are one label: the colleague's spans come in under this side's name.
        """
        alike = next((here for here in self.labels_before if skeleton(here.name) == skeleton(label.name)), None)
        if alike is not None:
            self.notes.append(f"label {label.name!r} there looks like {alike.name!r} here (letters of another"
                              f" script): its spans from there come in as {alike.name!r}")
        return alike

    def _label_here(self, label: Label) -> Label | None:
        """This database's label for one of theirs: by name, else by a name it had on either side (renames)."""
        if self.store.has_label(label.name):
            return self.store.label(label.name)
        if self._names is None:
            self._names = (label_names(self.store.events(entity="label")),
                           label_names(self.other.events(entity="label")))
        mine, theirs = self._names
        former = theirs.former_names(theirs.label(label.name))
        for here in self.labels_before:
            if mine.former_names(mine.label(here.name)) & former:
                return here
        return None

    def _label_names_kept(self, foreign: Sequence[Event]) -> list[NewEvent]:
        """``merge`` events putting back this side's label names after the colleague's renames and deletions.

        The colleague's label events are appended to this log, but their renames
        and deletions are not made here: without these events, verify would
        follow a rename there to a name no label here has.
        """
        names = label_names(self.store.events(entity="label"))
        rows = [(label, names.label(label.name)) for label in self.labels_before]
        for event in foreign:
            if event.entity == "label":
                names.apply(event)
        events = []
        for label, known in rows:
            now = names.name(known)
            if now == label.name:
                continue
            event = NewEvent("merge", "label", now or label.name, {"name": now} if now is not None else None,
                             label.as_values(), self.actor)
            names.follow(event.entity_uid, event.before, event.after)
            events.append(event)
            if now is None:
                self.notes.append(f"label {label.name!r}: deleted there; kept here")
        return events

    def _articles(self) -> int:
        added = 0
        gone_here = self._articles_gone_here()
        for article in self.other.articles():
            mine = self.store.article_by_sha(article.sha256)
            if mine is None and article.uid in gone_here:
                # Brought in for now: it stays if the rules below keep something of theirs on it (_settle_articles).
                self.returning[article.uid] = article.title
            if mine is not None and mine.uid != article.uid:
                # The same text under another name: the name here stays, and the report says so.
                if mine.title != article.title:
                    self.notes.append(f"article {mine.title!r}: titled {article.title!r} there; the title here is kept")
                if (mine.source or None) != (article.source or None):  # no source, stored as None or ""
                    self.notes.append(f"article {mine.title!r}: source {article.source!r} there;"
                                      f" {mine.source!r} is kept here")
            if mine is None:
                if article.uid not in gone_here:
                    added += 1
                details = incoming.checked({"url": article.url, "published": article.published}, incoming.ARTICLE)
                self.notes += [f"article {article.title!r} from the other database: {why}" for why in details.dropped]
                mine = self.store.insert_article_row(
                    self.other.article_text(article.id), uid=article.uid, sha256=article.sha256, title=article.title,
                    source=article.source, url=details.values["url"], published=details.values["published"],
                    origin=article.origin, created_at=article.created_at)
                if details.dropped and mine.uid == article.uid:
                    # Their log says the dropped value; this event says what the row holds (verify reads both).
                    self.local_events.append(NewEvent("merge", "article", mine.uid, _article_values(article),
                                                      _article_values(mine), self.actor))
                if mine.uid != article.uid:
                    # Its import event names the other uid: record one for the uid used here.
                    self.notes.append(f"article {article.title!r}: its uid is used here by another article;"
                                      f" it was given {mine.uid}")
                    self.local_events.append(NewEvent("import", "article", mine.uid, None, {
                        "title": mine.title, "source": mine.source, "url": mine.url, "published": mine.published,
                        "origin": mine.origin, "sha256": mine.sha256, "merged_from_uid": article.uid}, self.actor))
            self.article_map[article.id] = mine.id
        return added

    def _articles_gone_here(self) -> set[str]:
        """Uids of the articles this log says were deleted (and not brought back)."""
        events: dict[str, list[Event]] = {}
        for event in self.store.events(entity="article"):
            events.setdefault(event.entity_uid, []).append(event)
        return {uid for uid, found in events.items() if replay(found) is None}

    def _settle_articles(self, foreign: Sequence[Event]) -> tuple[int, int]:
        """Decide the articles deleted on one side, once their spans are merged; (added, deleted) here.

        An article deleted here and brought in for now stays if a span or a
        rejected suggestion of theirs landed on it, or they changed its details
        since; an article deleted there goes unless this side has spans or
        rejected suggestions on it, or changed its details, since. Then a
        ``merge`` event for each article whose row the log would not explain.
        """
        added = deleted = 0
        theirs = self.other.event_uids()
        foreign_by_uid: dict[str, list[Event]] = {}
        for event in foreign:
            if event.entity == "article":
                foreign_by_uid.setdefault(event.entity_uid, []).append(event)
        for uid, title in self.returning.items():
            article = self.store.article_by_uid(uid)
            assert article is not None
            details = any(e.action != "import" and e.after is not None for e in foreign_by_uid.get(uid, ()))
            if details or self._worked_on(article):
                self.notes.append(f"article {title!r}: deleted here, but changed there since; it is back")
                added += 1
            else:
                self.store.erase_article_row(article.id)
                self.notes.append(f"article {title!r}: deleted here, nothing new on it there; it stays deleted")
        for uid, events in foreign_by_uid.items():
            article = self.store.article_by_uid(uid)
            if article is None or uid in self.returning or replay(events[-1:]) is not None \
                    or self.other.article_by_uid(uid) is not None:
                continue   # not here, or not deleted there
            news_here = any(e.uid not in theirs for e in self.store.events_for(uid) if e.entity == "article")
            if news_here or self._worked_on(article):
                self.notes.append(f"article {article.title!r}: deleted there, but worked on here since; it stays")
            else:
                self.local_events += self.store.drop_article_suggestions(article.id, self.actor)
                self.store.erase_article_row(article.id)
                deleted += 1
        deletions = {uid for uid, events in foreign_by_uid.items() if any(e.after is None for e in events)}
        for uid in sorted(deletions | set(self.returning)):
            local = [e for e in self.store.events_for(uid) if e.entity == "article"]
            logged = replay([*local, *foreign_by_uid.get(uid, ())])
            article = self.store.article_by_uid(uid)
            row = _article_values(article) if article is not None else None
            if (logged is None) != (row is None):
                self.local_events.append(NewEvent("merge", "article", uid, logged, row, self.actor))
        return added, deleted

    def _worked_on(self, article: Article) -> bool:
        return bool(self.store.span_count(article.id) or self.store.rejection_count(article.id)
                    or self.store.suggestion_count(states=("accepted", "rejected"), article_ids=[article.id]))

    def _foreign_events(self) -> list[Event]:
        """The colleague's events this log lacks, in their order, article ids translated to ours."""
        known = self.store.event_uids()
        found = []
        for event in self.other.events():
            if event.uid in known or event.entity in NOT_MERGED:
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
        """Their annotation in this database's terms: its article's id here, the label and people as named here."""
        return replace(annotation, article_id=self.article_map[annotation.article_id], id=None,
                       label=self.label_map.get(label_key(annotation.label), annotation.label),
                       annotator=self._person(annotation.annotator),
                       reviewer=self._person(annotation.reviewer) if annotation.reviewer else None)

    def _person(self, name: str) -> str:
        """A colleague's spelling of a name ("Ana") as this database spells it ("ana"); noted once per spelling."""
        if self.people is None:
            self.people = {annotator_key(n): n for n in self.store.annotators()}
        known = self.people.setdefault(annotator_key(name), name)
        if known != name and name not in self.respelled:
            self.respelled.add(name)
            self.notes.append(f"annotator {name!r} there is {known!r} here (a name is one person however it is"
                              f" cased): their spans come in as {known!r}'s")
        return known

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


def _article_values(article: Article) -> dict[str, Any]:
    return {"title": article.title, "source": article.source, "url": article.url, "published": article.published,
            "origin": article.origin, "sha256": article.sha256}


def _values(annotation: Annotation | None) -> dict[str, Any] | None:
    return annotation.as_values() if annotation is not None else None


def _logged_values(logged: dict[str, Any] | None) -> dict[str, Any] | None:
    # An annotation's create event may also name the suggestion it was accepted from: not a value.
    return None if logged is None else {k: v for k, v in logged.items() if k in VALUE_FIELDS}


def _last_at(events: Sequence[Event]) -> str:
    return max((e.at for e in events), default="")


__all__ = ["NOT_MERGED", "MergeConflict", "MergeReport", "merge_database"]
