"""Team merge, the claims side: claims, links, ratings, rejected suggestions, settings, article details.

Called by ``merge.merge_database`` inside its one transaction, after the
articles and annotations. Each kind of entity is matched by uid (a link's uid
is its span and claim, a rating's its name, a setting's its key, an article's
details its article uid) and decided from the event logs as annotations are
(merge.py): the colleague's change is taken when this side has not moved
since; a change on both sides is merged part by part against the state both
last shared (a part changed on both goes to the later change); a deletion
against an edit goes to the later one. Each such case is a conflict in the
report (two verdicts for one claim: "verdict from there (changed on both
sides; the later kept)").

Two people who linked the same span to different claims keep both links; the
report names the span and both claims so that someone can merge the claims.

After the merge, a link whose span or claim is gone (deleted on one side,
linked on the other) is dropped with a ``merge`` event, and said in a note.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from . import incoming
from .audit import common_state, replay
from .claims import DEFAULT_RATINGS, Link, Rejection
from .model import Event
from .store import NewEvent, Store
from .words import count

Values = dict[str, Any]
Parts = tuple[tuple[str, tuple[str, ...]], ...]

_CLAIM_PARTS: Parts = (
    ("summary", ("summary",)), ("claimant", ("claimant",)), ("claim date", ("claim_date",)),
    ("verdict", ("verdict", "explanation")), ("fact-check url", ("review_url",)),
)
_LINK_PARTS: Parts = (("role", ("role",)),)
_RATING_PARTS: Parts = (("value", ("value",)), ("description", ("description",)), ("position", ("position",)))
_SETTING_PARTS: Parts = (("value", ("value",)),)
_ARTICLE_PARTS: Parts = (("title", ("title",)), ("source", ("source",)), ("url", ("url",)),
                         ("published", ("published",)))
ARTICLE_DETAILS = ("title", "source", "url", "published")


@dataclass(frozen=True)
class EntityConflict:
    """A claim, link, rating, setting or article's details changed on both machines, and what was kept."""

    entity: str
    uid: str
    kind: str
    kept: Literal["here", "there", "both"]
    here: Values | None
    there: Values | None
    parts: tuple[str, ...] = ()
    label: str = ""
    """How the report names it: a claim's summary, a setting's key..."""

    def describe(self) -> str:
        if self.parts:
            outcome = "merged part by part: " + "; ".join(self.parts)
        elif self.kept == "both":
            outcome = "both kept"
        else:
            outcome = f"kept {'this database' if self.kept == 'here' else 'the other'}'s (the later)"
        return f"{self.entity} {self.label or self.uid}: {self.kind}; {outcome}. ({self.entity} {self.uid})"


# The summary's nouns whose name or plural is not the entity's name + s.
_NOUNS = {"rejection": ("rejected suggestion", "rejected suggestions"),
          "article": ("article's details", "articles' details")}


@dataclass
class ClaimMergeReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    conflicts: list[EntityConflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: list[NewEvent] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) or sum(self.updated.values()) or sum(self.deleted.values()))

    def summary(self) -> str:
        """"2 new claims, 3 new links, 1 claim updated": only what happened."""
        parts = []
        for entity in ("claim", "link", "rating", "rejection", "setting", "article"):
            noun, plural = _NOUNS.get(entity, (entity, entity + "s"))
            if self.added.get(entity):
                parts.append(f"{count(self.added[entity], 'new ' + noun, 'new ' + plural)}")
            if self.updated.get(entity):
                parts.append(f"{count(self.updated[entity], noun, plural)} updated")
            if self.deleted.get(entity):
                parts.append(f"{count(self.deleted[entity], noun, plural)} deleted")
        return ", ".join(parts)


@dataclass
class _Kind:
    """One kind of entity: its rows on each side (values by uid), how to write one, and its parts."""

    entity: str
    here: dict[str, Values]
    there: dict[str, Values]
    write: Callable[[str, Values | None, Literal["here", "there", "both"]], None]
    parts: Parts
    initial: dict[str, Values] = field(default_factory=dict)
    label: Callable[[Values | None, Values | None], str] = lambda here, there: ""


def merge_claims(store: Store, other: Store, article_map: dict[int, int], foreign: Sequence[Event],
                 actor: str) -> ClaimMergeReport:
    """Bring the colleague's claims (and all that goes with them) into ``store``, inside the merge's transaction."""
    return _ClaimMerge(store, other, article_map, foreign, actor).run()


class _ClaimMerge:
    def __init__(self, store: Store, other: Store, article_map: dict[int, int], foreign: Sequence[Event],
                 actor: str) -> None:
        self.store, self.other, self.article_map, self.actor = store, other, article_map, actor
        self.report = ClaimMergeReport()
        self.cleaned: set[str] = set()   # what a value of theirs was dropped from (incoming.py)
        self.new_foreign: dict[tuple[str, str], list[Event]] = {}
        for event in foreign:
            self.new_foreign.setdefault((event.entity, event.entity_uid), []).append(event)
        # Rows are written kind by kind (ratings before the claims naming them...); the links
        # between them are checked when the merge commits, not row by row.
        store.defer_foreign_keys()

    def run(self) -> ClaimMergeReport:
        links_before = {uid: set(claims) for uid, claims in _claims_by_span(self.store.links()).items()}
        # Ratings before the claims whose verdicts name them; each kind read just before it is merged.
        for make in (self._ratings, self._settings, self._articles, self._claims, self._links, self._rejections):
            self._merge(make())
        self._drop_dangling()
        self._different_claims(links_before)
        return self.report

    # ------------------------------------------------------------- the kinds

    def _ratings(self) -> _Kind:
        def values(store: Store) -> dict[str, Values]:
            return {r.name.casefold(): {**r.as_values(), "value": float(r.value)} for r in store.ratings()}

        def write(uid: str, final: Values | None, _side: str) -> None:
            if final is None:
                if self.store.rating_in_use(uid):
                    self.report.notes.append(f"rating {uid!r}: deleted there, but a verdict here uses it; kept")
                    return
                self.store.erase_rating_row(uid)
            elif self.store.has_rating(uid):
                self.store.update_rating_row(uid, final)
            else:
                self.store.insert_rating_row(final["name"], final["value"], final["description"], final["position"])

        defaults = {name: {"name": name, "value": float(value), "description": desc, "position": i}
                    for i, (name, value, desc) in enumerate(DEFAULT_RATINGS)}
        return _Kind("rating", values(self.store), values(self.other), write, _RATING_PARTS, defaults,
                     lambda here, there: repr((here or there or {}).get("name", "")))

    def _checked(self, what: str, values: Values, checks: dict[str, incoming.Check]) -> Values:
        """The colleague's values kept to the rules this app keeps (incoming.py); each one dropped is a note."""
        kept = incoming.checked(values, checks)
        self.report.notes += [f"{what} from the other database: {why}" for why in kept.dropped]
        if kept.dropped:
            self.cleaned.add(what)
        return kept.values

    def _settings(self) -> _Kind:
        def write(key: str, final: Values | None, _side: str) -> None:
            self.store.write_setting_row(key, None if final is None else final["value"])

        there = {k: {"value": self._checked(f"setting {k!r}", {k: v}, incoming.SETTING)[k]}
                 for k, v in self.other.settings().items()}
        return _Kind("setting", {k: {"value": v} for k, v in self.store.settings().items()},
                     {k: v for k, v in there.items() if v["value"] is not None}, write, _SETTING_PARTS)

    def _articles(self) -> _Kind:
        # Only an article both sides hold under the same uid has one history of details.
        here = {a.uid: {f: getattr(a, f) for f in ARTICLE_DETAILS} for a in self.store.articles()}
        there = {a.uid: self._checked(f"article {a.title!r}", {f: getattr(a, f) for f in ARTICLE_DETAILS},
                                      incoming.ARTICLE)
                 for a in self.other.articles() if a.uid in here}

        def write(uid: str, final: Values | None, _side: str) -> None:
            if final is not None:
                self.store.write_article_details(uid, final)

        return _Kind("article", here, there, write, _ARTICLE_PARTS,
                     label=lambda h, t: repr((h or t or {}).get("title", "")))

    def _claims(self) -> _Kind:
        here_claims = {c.uid: c for c in self.store.claims()}
        # The values a person types (a date, an address); names and times the colleague's app wrote itself.
        checks = {f: incoming.CLAIM[f] for f in ("claim_date", "review_url")}
        there_claims = {c.uid: replace(c, **self._checked(f"claim {c.uid}", {f: getattr(c, f) for f in checks},
                                                          checks))
                        for c in self.other.claims()}

        def write(uid: str, final: Values | None, side: str) -> None:
            # A deleted claim's links and rejections go with their own events (or, at the
            # end, as dangling): foreign keys are checked at commit.
            if final is None:
                self.store.erase_claim_row(uid)
                return
            mine, theirs = here_claims.get(uid), there_claims.get(uid)
            base = theirs if side == "there" or mine is None else mine
            assert base is not None
            claim = replace(base, **final)
            # Who gave the verdict, and when, travel with it (they are the verdict event's actor and time).
            for source in (base, theirs, mine):
                if source is not None and (source.verdict, source.explanation) == (claim.verdict, claim.explanation):
                    claim = replace(claim, reviewed_by=source.reviewed_by, reviewed_at=source.reviewed_at)
                    break
            claim = replace(claim, updated_at=max(c.updated_at for c in (mine, theirs) if c is not None))
            self.store.insert_claim_rows([claim], overwrite=True)

        return _Kind("claim", {u: c.as_values() for u, c in here_claims.items()},
                     {u: c.as_values() for u, c in there_claims.items()}, write, _CLAIM_PARTS,
                     label=lambda h, t: f"“{(h or t or {}).get('summary', '')[:50]}”")

    def _links(self) -> _Kind:
        here_links = {k.uid: k for k in self.store.links()}
        there_links = {k.uid: k for k in self.other.links()}

        def write(uid: str, final: Values | None, side: str) -> None:
            if final is None:
                link = here_links[uid]
                self.store.erase_link_row(link.span_uid, link.claim_uid)
                return
            base = there_links[uid] if side == "there" or uid not in here_links else here_links[uid]
            self.store.insert_link_rows([replace(base, **final)], overwrite=True)

        return _Kind("link", {u: k.as_values() for u, k in here_links.items()},
                     {u: k.as_values() for u, k in there_links.items()}, write, _LINK_PARTS)

    def _rejections(self) -> _Kind:
        here_rows = {r.uid: r for r in self.store.rejections()}
        there_rows = {r.uid: replace(r, article_id=self.article_map.get(r.article_id, r.article_id))
                      for r in self.other.rejections()}

        def write(uid: str, final: Values | None, side: str) -> None:
            self.store.erase_rejection_row(uid)
            if final is not None:
                base = there_rows[uid] if side == "there" or uid not in here_rows else here_rows[uid]
                self.store.insert_rejection_rows([replace(base, **final)])

        return _Kind("rejection", {u: r.as_values() for u, r in here_rows.items()},
                     {u: r.as_values() for u, r in there_rows.items()}, write, ())

    # -------------------------------------------------------------- the rule

    def _merge(self, kind: _Kind) -> None:
        local_by_uid = self.store.event_uids_by_entity(kind.entity)
        there_events: dict[str, list[Event]] = {}
        for event in self.other.events(entity=kind.entity):
            there_events.setdefault(event.entity_uid, []).append(event)
        def local_events(uid: str) -> list[Event]:
            return [e for e in self.store.events_for(uid) if e.entity == kind.entity]

        for uid in sorted(set(kind.there) | set(there_events)):
            if kind.entity == "article" and (uid not in kind.here or uid not in kind.there):
                continue   # a new article, or one deleted there: merge.py settles it, with its own events
            theirs = {e.uid for e in there_events.get(uid, ())}
            ours = local_by_uid.get(uid, set())
            here, there = kind.here.get(uid), kind.there.get(uid)
            if theirs and theirs <= ours:
                continue
            conflict: EntityConflict | None = None
            side: Literal["here", "there", "both"] = "there"
            if theirs and ours <= theirs or (not ours and here is None):
                final = there
            elif not theirs and uid in kind.initial and there == kind.initial[uid]:
                # Their row never moved from the one both began with (a default rating): only this side changed.
                final, side = here, "here"
            elif here == there or (here is not None and there is not None and kind.parts and all(
                    here.get(f) == there.get(f) for _name, fields in kind.parts for f in fields)):
                # The same values (two people made the same link): nothing to decide.
                final, side = here, "here"
            else:
                local = local_events(uid)
                here_at = max((e.at for e in local if e.uid not in theirs), default="")
                there_at = max((e.at for e in there_events.get(uid, ()) if e.uid not in ours), default="")
                if here is not None and there is not None:
                    shared = sorted((e for e in local if e.uid in theirs), key=lambda e: (e.at, e.id))
                    initial = dict(kind.initial[uid]) if uid in kind.initial else None
                    # No event in common (their copy came by export and import): the state where one began.
                    base = replay(shared, initial) if shared else common_state(
                        local, there_events.get(uid, ()), initial, fields=list(here))
                    final, parts = _merge_parts(kind.parts, base, here, there, there_at > here_at)
                    side = "here" if final == here else "there" if final == there else "both"
                    conflict = EntityConflict(kind.entity, uid, "edited on both sides", side, here, there,
                                              tuple(parts), kind.label(here, there))
                else:
                    side = "there" if there_at > here_at else "here"
                    final = there if side == "there" else here
                    conflict = EntityConflict(kind.entity, uid, "deleted here, edited there" if there is not None
                                              else "edited here, deleted there", side, here, there,
                                              label=kind.label(here, there))
                self.report.conflicts.append(conflict)
            if final != here:
                kind.write(uid, final, side)
                bucket = (self.report.added if here is None else self.report.deleted if final is None
                          else self.report.updated)
                bucket[kind.entity] = bucket.get(kind.entity, 0) + 1
            if kind.entity == "article":
                # Verify compares only the details with the log, which the events appended explain, unless
                # a value of theirs was dropped here: then the log says what the row holds.
                article = self.store.article_by_uid(uid)
                if article is not None and there is not None and f"article {article.title!r}" in self.cleaned \
                        and final is not None:
                    self.report.events.append(NewEvent("merge", "article", uid, None, {
                        **{f: getattr(article, f) for f in ARTICLE_DETAILS}, "origin": article.origin,
                        "sha256": article.sha256}, self.actor))
                continue
            logged = replay([*local_events(uid), *self.new_foreign.get((kind.entity, uid), ())],
                            dict(kind.initial[uid]) if uid in kind.initial else None)
            if conflict is not None:
                given_up = {"there": here, "here": there, "both": here}[side]
                self.report.events.append(NewEvent("merge", kind.entity, uid, given_up, final, self.actor))
            elif logged != final:
                self.report.events.append(NewEvent("merge", kind.entity, uid, logged, final, self.actor))

    # ------------------------------------------------------------ afterwards

    def _drop_link(self, link: Link, why: str) -> None:
        self.store.erase_link_row(link.span_uid, link.claim_uid)
        self.report.deleted["link"] = self.report.deleted.get("link", 0) + 1
        self.report.events.append(NewEvent("merge", "link", link.uid, link.as_values(), None, self.actor))
        self.report.notes.append(f"link of span {link.span_uid} to claim {link.claim_uid} dropped: {why}")

    def _drop_dangling(self) -> None:
        for link in self.store.links():
            if not self.store.has_annotation(link.span_uid):
                self._drop_link(link, "its span was deleted")
            elif not self.store.has_claim(link.claim_uid):
                self._drop_link(link, "its claim was deleted")
        for rejection in self.store.rejections():
            if not self.store.has_claim(rejection.claim_uid):
                self._drop_rejection(rejection)

    def _drop_rejection(self, rejection: Rejection) -> None:
        self.store.erase_rejection_row(rejection.uid)
        self.report.events.append(NewEvent("merge", "rejection", rejection.uid, rejection.as_values(), None,
                                           self.actor))

    def _different_claims(self, before: dict[str, set[str]]) -> None:
        """Spans this side and the other linked to different claims: both kept, and said."""
        there = _claims_by_span(self.other.links())
        for span_uid, claims in sorted(there.items()):
            theirs = set(claims)
            mine = before.get(span_uid, set())
            if mine and theirs and not mine & theirs and self.store.has_annotation(span_uid):
                self.report.conflicts.append(EntityConflict(
                    "span", span_uid, f"linked to claim {', '.join(sorted(mine))} here and to claim"
                    f" {', '.join(sorted(theirs))} there", "both", None, None,
                    label=f"“{self.store.annotation(span_uid).text[:40]}”"))


def _claims_by_span(links: Sequence[Link]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for link in links:
        found.setdefault(link.span_uid, []).append(link.claim_uid)
    return found


def _merge_parts(parts: Parts, base: Values | None, here: Values, there: Values,
                 there_later: bool) -> tuple[Values, list[str]]:
    """Three-way merge of one entity's values, part by part, against the state both sides last shared."""
    merged = dict(here)
    said = []
    for name, fields in parts:
        mine = tuple(here.get(f) for f in fields)
        theirs = tuple(there.get(f) for f in fields)
        if mine == theirs:
            continue
        shared = tuple(base.get(f) for f in fields) if base is not None else None
        if mine == shared:
            take_there, why = True, "changed there only"
        elif theirs == shared:
            take_there, why = False, "changed here only"
        else:
            take_there, why = there_later, "changed on both sides; the later kept"
        if take_there:
            merged.update({f: there.get(f) for f in fields})
        said.append(f"{name} from {'there' if take_there else 'here'} ({why})")
    return merged, said


__all__ = ["ClaimMergeReport", "EntityConflict", "merge_claims"]
