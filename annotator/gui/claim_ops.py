"""Claim changes the workspace makes, in Anki's "operations" style: one core call, an undo step, the views told.

Each operation calls the core once (one transaction, its events), pushes an
undo step that is already done, and announces the ``ClaimChange`` through
``session.claimsChanged``. The step's undo is the change's inverse and its redo
the change itself (``Store.apply_claim_change``): one core call either way. A
refused operation changes nothing and says why through ``session.failed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..core.claims import ClaimChange
from ..core.errors import AnnotatorError
from ..core.model import Article
from ..core.spans import quoted
from ..core.store import AcceptedSuggestion
from ..core.words import count
from .session import AnnotationSession, Announcement, Change, SessionCommand

ARTICLE_DETAILS = ("title", "source", "url", "published")


def _quote(text: str, width: int = 40) -> str:
    return quoted(text, width)


def _summary(session: AnnotationSession, claim_uid: str | None) -> str:
    if claim_uid is None or not session.store.has_claim(claim_uid):
        return "a claim"
    return _quote(session.store.claim(claim_uid).summary)


def run(session: AnnotationSession, text: str | Callable[[ClaimChange], str],
        operation: Callable[[], ClaimChange]) -> ClaimChange | None:
    """Run one claim write; a change that did something becomes an undo step and is announced."""
    try:
        change = operation()
    except AnnotatorError as exc:
        session.failed.emit(f"Not saved: {exc}")
        return None
    if not change.empty:
        session.push(_ClaimStep(session, text(change) if callable(text) else text, change), change)
    return change


# ------------------------------------------------------------------ links


def link_spans(session: AnnotationSession, span_uids: Sequence[str], *, claim_uid: str | None = None,
               role: str | None = None) -> ClaimChange | None:
    """The L key: the spans join ``claim_uid``, else the first span's claim (made from it if it has none)."""
    store, who = session.store, session.annotator
    return run(session,
               lambda change: f"Link {count(len(change.links_added), 'span')} to {_summary(session, change.claim_uid)}",
               lambda: store.link_spans(list(span_uids), actor=who, claim_uid=claim_uid, role=role))


def unlink(session: AnnotationSession, span_uid: str, claim_uid: str) -> ClaimChange | None:
    return run(session, f"Take a span out of {_summary(session, claim_uid)}",
               lambda: session.store.unlink(span_uid, claim_uid, actor=session.annotator))


def set_role(session: AnnotationSession, span_uid: str, claim_uid: str, role: str) -> ClaimChange | None:
    return run(session, f"Make a span {role} {_summary(session, claim_uid)}",
               lambda: session.store.set_role(span_uid, claim_uid, role, actor=session.annotator))


def split_span(session: AnnotationSession, span_uid: str, claim_uid: str) -> ClaimChange | None:
    return run(session, f"Split a span out of {_summary(session, claim_uid)}",
               lambda: session.store.split_span(span_uid, claim_uid, actor=session.annotator))


# ----------------------------------------------------------------- claims


Verdict = tuple[str | None, str | None]
"""A rating name (None: no verdict) and an explanation (None: keep the one there)."""


def edit_claim(session: AnnotationSession, claim_uid: str, changes: Mapping[str, str | None] | None = None, *,
               verdict: Verdict | None = None) -> ClaimChange | None:
    """Change a claim's fields (``Store.edit_claim``'s) and its verdict: one transaction, one undo step."""
    store, who = session.store, session.annotator

    def operation() -> ClaimChange:
        with store.transaction():
            first = (store.edit_claim(claim_uid, actor=who, **changes) if changes
                     else ClaimChange(claim_uid=claim_uid))
            if verdict is None:
                return first
            rating, explanation = verdict
            second = store.set_verdict(claim_uid, rating, explanation, actor=who)
        return _one_edit(first, second)

    return run(session, f"Edit the claim {_summary(session, claim_uid)}", operation)


def _one_edit(first: ClaimChange, second: ClaimChange) -> ClaimChange:
    """Two edits of one claim made in one transaction, as one change: from before the first to after the second."""
    if first.empty:
        return second
    if second.empty:
        return first
    (before, _middle), (_again, after) = first.claims_edited[0], second.claims_edited[0]
    return ClaimChange(claims_edited=((before, after),), claim_uid=first.claim_uid)


def merge_claims(session: AnnotationSession, keep_uid: str, absorb_uid: str) -> ClaimChange | None:
    absorbed = _summary(session, absorb_uid)
    return run(session, f"Merge {absorbed} into {_summary(session, keep_uid)}",
               lambda: session.store.merge_claims(keep_uid, absorb_uid, actor=session.annotator))


def delete_claim(session: AnnotationSession, claim_uid: str) -> ClaimChange | None:
    return run(session, f"Delete the claim {_summary(session, claim_uid)}",
               lambda: session.store.delete_claim(claim_uid, actor=session.annotator))


# ------------------------------------------------------------ suggestions


def reject_suggestion(session: AnnotationSession, claim_uid: str, article_id: int, start: int,
                      end: int) -> ClaimChange | None:
    return run(session, f"Reject a suggestion for {_summary(session, claim_uid)}",
               lambda: session.store.reject_suggestion(claim_uid, article_id, start, end, actor=session.annotator))


def accept_suggestion(session: AnnotationSession, claim_uid: str, article_id: int, start: int, end: int, *,
                      role: str) -> AcceptedSuggestion | None:
    """Tag the stretch and link it to the claim: one transaction, one undo step."""
    store = session.store
    text = f"Accept a suggestion for {_summary(session, claim_uid)}"
    try:
        accepted = store.accept_suggestion(claim_uid, article_id, start, end, annotator=session.annotator,
                                           role=role)
    except AnnotatorError as exc:
        session.failed.emit(f"Not saved: {exc}")
        return None
    if accepted.span_created:
        session.push(_AcceptStep(session, text, accepted), Change("added", accepted.annotation), accepted.change)
    elif not accepted.change.empty:
        session.push(_ClaimStep(session, text, accepted.change), accepted.change)
    return accepted


# ---------------------------------------------------------------- articles


def edit_article(session: AnnotationSession, article_id: int, **changes: str | None) -> Article | None:
    """Change an article's title, source, url or published date (audited; the text never changes)."""
    store = session.store
    try:
        before = store.article(article_id)
        after = store.edit_article(article_id, actor=session.annotator, **changes)
    except AnnotatorError as exc:
        session.failed.emit(f"Not saved: {exc}")
        return None
    if after != before:
        session.push(_ArticleStep(session, before, after), after)
    return after


# ------------------------------------------------------------ undo steps


class _ClaimStep(SessionCommand):
    def __init__(self, session: AnnotationSession, text: str, change: ClaimChange) -> None:
        super().__init__(session, text)
        self.change = change

    def do(self) -> ClaimChange:
        return self.store.apply_claim_change(self.change, actor=self.actor, action="redo")

    def undo_it(self) -> ClaimChange:
        return self.store.apply_claim_change(self.change.inverse(), actor=self.actor, action="undo")


class _AcceptStep(SessionCommand):
    """An accepted suggestion that tagged a new span: undo deletes the span (its link goes with it)."""

    def __init__(self, session: AnnotationSession, text: str, accepted: AcceptedSuggestion) -> None:
        super().__init__(session, text)
        self.accepted = accepted

    def do(self) -> tuple[Announcement, ...]:
        links = self.accepted.change.links_added
        restored = self.store.restore_annotation(self.accepted.annotation, actor=self.actor, links=links)
        return Change("added", restored), ClaimChange(links_added=links, claim_uid=self.accepted.change.claim_uid)

    def undo_it(self) -> tuple[Announcement, ...]:
        removed = self.store.remove_span(self.accepted.annotation.uid, actor=self.actor)
        return (Change("removed", removed.annotation),
                ClaimChange(links_removed=removed.links, claim_uid=self.accepted.change.claim_uid))


class _ArticleStep(SessionCommand):
    def __init__(self, session: AnnotationSession, before: Article, after: Article) -> None:
        super().__init__(session, f"Edit the details of {_quote(before.title)}")
        self.before, self.after = before, after

    def _apply(self, values: Article) -> Article:
        return self.store.edit_article(values.id, actor=self.actor,
                                       **{name: getattr(values, name) for name in ARTICLE_DETAILS})

    def do(self) -> Article:
        return self._apply(self.after)

    def undo_it(self) -> Article:
        return self._apply(self.before)

