"""Comparing two annotators on one article: where they disagree, and adopting one side.

Disagreements come in four kinds, in text order:

- ``only_a`` / ``only_b``: a span that only one annotator has (nothing of the
  other's with the same label overlaps it, and nothing sits at its offsets);
- ``label``: both tagged exactly the same offsets, with different labels;
- ``boundary``: both tagged overlapping text with the same label, at different
  offsets. Spans are grouped by overlap, so one long span of A against two
  short ones of B is one boundary disagreement holding all three.

Overlapping spans with different labels and different offsets are two ``only``
disagreements: neither the label nor the boundary alone explains them.

The gold set is the accepted annotations. Adopting one side accepts its spans
and rejects the other side's (with a reason naming the comparison) rather than
copying the chosen span under a "gold" annotator: the accepted span keeps its
real annotator, the event log says which reviewer chose it, exports without a
status filter do not hold the span twice, and agreement figures do not see a
fictitious extra annotator. ``annotator export --status accepted`` then writes
the gold set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .errors import AnnotatorError
from .model import Annotation, annotator_key
from .review import check_filter
from .store import Store

Kind = Literal["only_a", "only_b", "label", "boundary"]
Side = Literal["a", "b"]
_KIND_ORDER = {"label": 0, "boundary": 1, "only_a": 2, "only_b": 3}


@dataclass(frozen=True)
class Disagreement:
    kind: Kind
    start: int
    end: int
    a: tuple[Annotation, ...]
    b: tuple[Annotation, ...]
    annotator_a: str
    annotator_b: str

    def side(self, side: Side) -> tuple[Annotation, ...]:
        return self.a if side == "a" else self.b

    @property
    def decided(self) -> bool:
        """A reviewer gave a verdict on one of its spans (adopting a side judges both)."""
        return any(x.status != "pending" for x in (*self.a, *self.b))

    def describe(self) -> str:
        def spans(side: tuple[Annotation, ...]) -> str:
            return ", ".join(f"{x.label} [{x.start}, {x.end})" for x in side) or "nothing"

        words = {"only_a": f"only {self.annotator_a} has a span", "only_b": f"only {self.annotator_b} has a span",
                 "label": "same offsets, different labels", "boundary": "same label, different boundaries"}
        return (f"[{self.start}, {self.end}) {words[self.kind]}: {self.annotator_a}: {spans(self.a)}; "
                f"{self.annotator_b}: {spans(self.b)}")


@dataclass(frozen=True)
class Comparison:
    article_id: int
    annotator_a: str
    annotator_b: str
    agreements: tuple[tuple[Annotation, Annotation], ...]
    disagreements: tuple[Disagreement, ...]

    def next_undecided(self, after: int) -> int | None:
        """The index of the first undecided disagreement after ``after``, else the first one before it (one
        skipped earlier): where a reviewer goes on after adopting a side, as the review queue moves on."""
        order = [*range(after + 1, len(self.disagreements)), *range(0, min(after + 1, len(self.disagreements)))]
        return next((i for i in order if not self.disagreements[i].decided), None)

    def involves(self, name: str) -> bool:
        """Whether ``name`` is one of the two annotators compared (compared as the store spells names)."""
        return annotator_key(name) in (annotator_key(self.annotator_a), annotator_key(self.annotator_b))


def disagreements(
    a_spans: Sequence[Annotation], b_spans: Sequence[Annotation], *, annotator_a: str = "A", annotator_b: str = "B",
) -> tuple[list[tuple[Annotation, Annotation]], list[Disagreement]]:
    """Exact agreements (pairs) and disagreements (text order) between two sets of spans."""
    # 1. Exact matches, one to one (an annotator may tag the same span twice).
    agreements, rest_a, rest_b = _exact_matches(sorted(a_spans, key=_order), sorted(b_spans, key=_order))

    def make(kind: Kind, a: Sequence[Annotation], b: Sequence[Annotation]) -> Disagreement:
        both = [*a, *b]
        return Disagreement(kind, min(x.start for x in both), max(x.end for x in both),
                            tuple(sorted(a, key=_order)), tuple(sorted(b, key=_order)), annotator_a, annotator_b)

    found: list[Disagreement] = []

    # 2. Same offsets, different labels: everything left at those offsets on both sides.
    a_at: dict[tuple[int, int], list[Annotation]] = defaultdict(list)
    b_at: dict[tuple[int, int], list[Annotation]] = defaultdict(list)
    for x in rest_a:
        a_at[(x.start, x.end)].append(x)
    for y in rest_b:
        b_at[(y.start, y.end)].append(y)
    for offsets in sorted(set(a_at) & set(b_at)):
        found.append(make("label", a_at[offsets], b_at[offsets]))
    taken = {x.uid for d in found for x in (*d.a, *d.b)}
    rest_a = [x for x in rest_a if x.uid not in taken]
    rest_b = [y for y in rest_b if y.uid not in taken]

    # 3. Same label, overlapping, different offsets: connected groups of the overlap graph.
    groups, linked = _overlap_groups(rest_a, rest_b)
    found += [make("boundary", a_group, b_group) for a_group, b_group in groups]

    # 4. The rest: a span only one of them has.
    found += [make("only_a", [x], []) for x in rest_a if x.uid not in linked]
    found += [make("only_b", [], [y]) for y in rest_b if y.uid not in linked]

    found.sort(key=lambda d: (d.start, d.end, _KIND_ORDER[d.kind], (d.a or d.b)[0].uid))
    return agreements, found


def _order(x: Annotation) -> tuple[int, int, str, str]:
    return (x.start, x.end, x.label.casefold(), x.uid)


def _exact_matches(
    rest_a: list[Annotation], rest_b: list[Annotation],
) -> tuple[list[tuple[Annotation, Annotation]], list[Annotation], list[Annotation]]:
    """Pairs with the same offsets and label, matched one to one in order, and what is left of each side."""
    by_exact: dict[tuple[int, int, str], list[Annotation]] = defaultdict(list)
    for y in rest_b:
        by_exact[(y.start, y.end, y.label.casefold())].append(y)
    agreements: list[tuple[Annotation, Annotation]] = []
    unmatched_a = []
    for x in rest_a:
        candidates = by_exact.get((x.start, x.end, x.label.casefold()))
        if candidates:
            agreements.append((x, candidates.pop(0)))
        else:
            unmatched_a.append(x)
    matched_b = {y.uid for _, y in agreements}
    return agreements, unmatched_a, [y for y in rest_b if y.uid not in matched_b]


def _overlap_groups(
    rest_a: list[Annotation], rest_b: list[Annotation],
) -> tuple[list[tuple[list[Annotation], list[Annotation]]], set[str]]:
    """The connected groups of spans of one label overlapping across the two sides, and the uids in them."""
    parent: dict[str, str] = {x.uid: x.uid for x in (*rest_a, *rest_b)}

    def root(uid: str) -> str:
        while parent[uid] != uid:
            parent[uid] = parent[parent[uid]]
            uid = parent[uid]
        return uid

    linked: set[str] = set()
    for x in rest_a:
        for y in rest_b:
            if x.label.casefold() == y.label.casefold() and x.start < y.end and y.start < x.end:
                parent[root(x.uid)] = root(y.uid)
                linked.update((x.uid, y.uid))
    groups: dict[str, tuple[list[Annotation], list[Annotation]]] = defaultdict(lambda: ([], []))
    for x in rest_a:
        if x.uid in linked:
            groups[root(x.uid)][0].append(x)
    for y in rest_b:
        if y.uid in linked:
            groups[root(y.uid)][1].append(y)
    return list(groups.values()), linked


def compare(store: Store, article_id: int, annotator_a: str, annotator_b: str) -> Comparison:
    """Annotator A against annotator B on one article (every review status counts)."""
    if annotator_a == annotator_b:
        raise AnnotatorError("compare needs two different annotators")
    check_filter(store, article_ids=[article_id], annotators=[annotator_a, annotator_b])
    a = store.annotations(article_ids=[article_id], annotators=[annotator_a])
    b = store.annotations(article_ids=[article_id], annotators=[annotator_b])
    agreements, found = disagreements(a, b, annotator_a=annotator_a, annotator_b=annotator_b)
    return Comparison(article_id, annotator_a, annotator_b, tuple(agreements), tuple(found))


def adopt(store: Store, disagreement: Disagreement, side: Side, *, reviewer: str) -> list[Annotation]:
    """Take one side into the gold set: accept its spans, reject the other side's. One transaction.

    Adopting the empty side of an ``only`` disagreement means the reviewer agrees
    there is no span: the other side's span is rejected. Returns the changed
    annotations.
    """
    if side not in ("a", "b"):
        raise AnnotatorError(f"side must be 'a' or 'b', not {side!r}")
    if not reviewer.strip():
        raise AnnotatorError("adopting a span needs the reviewer's name")
    chosen = disagreement.side(side)
    others = disagreement.side("b" if side == "a" else "a")
    who = disagreement.annotator_a if side == "a" else disagreement.annotator_b
    reason = (f"compared with {who}, whose span was adopted instead" if chosen
              else f"compared with {who}, who has no span here; the reviewer agreed")
    changed = []
    with store.transaction():
        for x in chosen:
            changed.append(store.set_status(x.uid, "accepted", actor=reviewer))
        for x in others:
            changed.append(store.set_status(x.uid, "rejected", actor=reviewer, reason=reason))
    return changed


def accept_agreements(store: Store, comparison: Comparison, *, reviewer: str, side: Side = "a") -> list[Annotation]:
    """Accept one copy of every span both annotators tagged identically, reject the duplicate.

    Keeps the gold set free of the same span twice. One transaction.
    """
    if not reviewer.strip():
        raise AnnotatorError("accepting spans needs the reviewer's name")
    changed = []
    with store.transaction():
        for x, y in comparison.agreements:
            keep, drop = (x, y) if side == "a" else (y, x)
            changed.append(store.set_status(keep.uid, "accepted", actor=reviewer))
            changed.append(store.set_status(drop.uid, "rejected", actor=reviewer,
                                            reason=f"duplicate of {keep.annotator}'s identical span, accepted"))
    return changed


__all__ = ["Comparison", "Disagreement", "accept_agreements", "adopt", "compare", "disagreements"]
