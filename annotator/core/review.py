"""Reviewing: the queue of annotations a reviewer walks through, and the verdicts.

Each verdict is one store transaction whose event carries the reviewer as its
actor and the time; the annotation row also keeps ``reviewer``, ``reviewed_at``
and the reason (``review_note``). A GUI holds a ``ReviewQueue`` and calls its
methods from its key bindings (A accept, R reject, N/P next/previous).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError, SpanError
from .model import Annotation, check_status

if TYPE_CHECKING:
    from .store import Store

# What a verdict consists of: undoing an edit that cleared one puts these back.
REVIEW_FIELDS = ("status", "review_note", "reviewer", "reviewed_at")


def clearing_review(current: Annotation, **changes: Any) -> dict[str, Any]:
    """``changes`` to what was tagged, plus sending a reviewed span back to pending if they change it.

    A verdict holds for the span it was given on: a relabel or a resize of an
    accepted or rejected span makes it pending again.
    """
    if current.status != "pending" and any(getattr(current, k) != v for k, v in changes.items()):
        changes.update(status="pending", review_note="", reviewer=None, reviewed_at=None)
    return changes


@dataclass(frozen=True)
class QueueFilter:
    """Which annotations are in the queue; an empty field matches everything."""

    article_ids: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for status in self.statuses:
            check_status(status)

    def as_kwargs(self) -> dict[str, tuple]:
        return {"article_ids": self.article_ids, "labels": self.labels,
                "annotators": self.annotators, "statuses": self.statuses}


PENDING = QueueFilter(statuses=("pending",))


def review_key(annotation: Annotation) -> tuple[int, int, int, str]:
    """The queue's order: article, then position in the text, then uid (stable everywhere)."""
    return (annotation.article_id, annotation.start, annotation.end, annotation.uid)


def queue(store: Store, flt: QueueFilter = QueueFilter()) -> list[Annotation]:
    """The annotations matching ``flt`` in review order."""
    return store.annotations(**flt.as_kwargs())


def check_filter(store: Store, *, article_ids: Sequence[int] = (), labels: Sequence[str] = (),
                 annotators: Sequence[str] = ()) -> None:
    """Every article, label and annotator a filter names is in this database: a typo is said, in the same
    words whichever command it was typed into, rather than shown as an empty list."""
    for article_id in article_ids:
        store.article(article_id)          # "no article with id 99"
    for name in labels:
        store.label(name)                  # "unknown label 'x' (labels: ...)"
    if annotators:
        known = store.annotators()
        for name in annotators:
            if name not in known:
                raise NotFoundError(f"no annotations by {name!r} in this database"
                                    f" (annotators: {', '.join(sorted(known)) or 'none'})")


def stream(store: Store, flt: QueueFilter = QueueFilter()) -> Iterator[Annotation]:
    """``queue``, read as it is used: the command line prints a million spans without holding them."""
    return store.iter_annotations(**flt.as_kwargs())


# ----------------------------------------------------------------- verdicts


def accept(store: Store, uid: str, *, reviewer: str, note: str = "") -> Annotation:
    return store.set_status(uid, "accepted", actor=_name(reviewer), reason=note)


def reject(store: Store, uid: str, *, reviewer: str, reason: str) -> Annotation:
    """Reject with a reason: the annotator, and whoever audits later, need to know why."""
    if not reason.strip():
        raise SpanError("a rejection needs a reason")
    return store.set_status(uid, "rejected", actor=_name(reviewer), reason=reason.strip())


def reopen(store: Store, uid: str, *, reviewer: str) -> Annotation:
    """Back to pending (a verdict given by mistake); the earlier verdict stays in the history."""
    return store.set_status(uid, "pending", actor=_name(reviewer))


def relabel(store: Store, uid: str, label: str, *, reviewer: str, accept: bool = False) -> Annotation:
    """The reviewer changes the label; with ``accept``, and accepts it, in one transaction."""
    reviewer = _name(reviewer)
    with store.transaction():
        result = store.relabel(uid, label, actor=reviewer)
        if accept:
            result = store.set_status(uid, "accepted", actor=reviewer)
    return result


def _name(reviewer: str) -> str:
    if not reviewer.strip():
        raise SpanError("a verdict needs the reviewer's name")
    return reviewer.strip()


# -------------------------------------------------------------------- queue


JUDGED_KEPT = 50
"""How many spans judged in one queue its walk still visits (the usual "oops" is the last one or two)."""


class ReviewQueue:
    """A reviewer's place in a filtered queue.

    It keeps only the key of the current annotation and asks the store for the
    neighbours, so verdicts (which may take an annotation out of a "pending"
    queue), edits elsewhere and merges never leave it pointing at a stale list.
    Every step, count and place is a few indexed queries: the same cost at ten
    spans and at a million.

    The walk also visits the spans judged in this queue (``judged``), in their
    place in the order, though a verdict took them out of the filter: P after
    a verdict goes back to the span just judged, to take the verdict back.
    """

    def __init__(self, store: Store, flt: QueueFilter = PENDING, *, reviewer: str) -> None:
        self.store = store
        self.filter = flt
        self.reviewer = _name(reviewer)
        self._key: tuple[int, int, int, str] | None = None
        self._uid: str | None = None
        self._judged: list[str] = []

    def judged(self, uid: str) -> None:
        """A verdict was given on this span here: walking the queue still stops at it (the last ``JUDGED_KEPT``)."""
        if uid in self._judged:
            self._judged.remove(uid)
        self._judged.append(uid)
        del self._judged[:-JUDGED_KEPT]

    def items(self) -> list[Annotation]:
        """Every matching annotation, in order (a list to read, not for walking: see ``next``)."""
        return queue(self.store, self.filter)

    def __len__(self) -> int:
        return self.store.count_annotations(**self.filter.as_kwargs())

    @property
    def current(self) -> Annotation | None:
        """The annotation under review (even if a verdict took it out of the filter); None before the first."""
        if self._uid is None or not self.store.has_annotation(self._uid):
            return None
        return self.store.annotation(self._uid)

    def position(self) -> tuple[int, int]:
        """(1-based place of the current annotation, how many match): 0 when it no longer matches.

        Counted in SQL from the maintained counts (``Store.count_annotations_before``):
        a few milliseconds at a million spans, where walking the list took seconds.
        """
        kwargs = self.filter.as_kwargs()
        total = self.store.count_annotations(**kwargs)
        if self._uid is None or not self.store.annotation_matches(self._uid, **kwargs):
            return 0, total
        # Its key now, not when we moved to it: an edit since may have moved it.
        here = review_key(self.store.annotation(self._uid))
        return self.store.count_annotations_before(here, **kwargs) + 1, total

    def next(self) -> Annotation | None:
        """Move to the next matching annotation; None (and stay) at the end.

        Before the first move, ``next`` starts at the first annotation and
        ``previous`` at the last.
        """
        return self._move(backwards=False)

    def previous(self) -> Annotation | None:
        return self._move(backwards=True)

    def first(self) -> Annotation | None:
        self._key = self._uid = None
        return self.next()

    def last(self) -> Annotation | None:
        self._key = self._uid = None
        return self.previous()

    def go_to(self, uid: str) -> Annotation:
        annotation = self.store.annotation(uid)
        self._key, self._uid = review_key(annotation), annotation.uid
        return annotation

    def _move(self, *, backwards: bool) -> Annotation | None:
        found = self.store.neighbour_annotation(self._key, backwards=backwards, **self.filter.as_kwargs())
        judged = self._judged_neighbour(backwards=backwards)
        if judged is not None and (found is None or (review_key(judged) > review_key(found)) == backwards):
            found = judged
        if found is not None:
            self._key, self._uid = review_key(found), found.uid
        return found

    def _judged_neighbour(self, *, backwards: bool) -> Annotation | None:
        """The nearest span judged here, before (or after) the current place."""
        spans = [self.store.annotation(uid) for uid in self._judged if self.store.has_annotation(uid)]
        if self._key is not None:
            here = self._key
            spans = [a for a in spans if (review_key(a) < here if backwards else review_key(a) > here)]
        if not spans:
            return None
        return (max if backwards else min)(spans, key=review_key)

    def _current_uid(self) -> str:
        if self.current is None:
            raise SpanError("no annotation is selected in the review queue")
        assert self._uid is not None
        return self._uid

    def accept(self, note: str = "") -> Annotation:
        uid = self._current_uid()
        result = accept(self.store, uid, reviewer=self.reviewer, note=note)
        self.judged(uid)
        return result

    def reject(self, reason: str) -> Annotation:
        uid = self._current_uid()
        result = reject(self.store, uid, reviewer=self.reviewer, reason=reason)
        self.judged(uid)
        return result

    def relabel(self, label: str, *, accept: bool = False) -> Annotation:
        uid = self._current_uid()
        result = relabel(self.store, uid, label, reviewer=self.reviewer, accept=accept)
        self.judged(uid)
        return result

    def reopen(self) -> Annotation:
        uid = self._current_uid()
        result = reopen(self.store, uid, reviewer=self.reviewer)
        self.judged(uid)
        return result


__all__ = [
    "PENDING", "REVIEW_FIELDS", "QueueFilter", "ReviewQueue", "accept", "clearing_review", "queue", "reject",
    "relabel", "reopen", "review_key", "stream",
]
