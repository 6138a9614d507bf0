"""Every change a user makes goes through here: one core operation, committed, then announced.

The pattern follows Anki's operations: the GUI asks the session, the session
calls the core (which commits the transaction and its event), pushes an undo
command that is already done, and tells every view what changed. A failed
operation changes nothing on screen and says why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.articles import ArticleChange
from ..core.claims import ClaimChange, Link
from ..core.errors import AnnotatorError, DuplicateSpanError
from ..core.labels import LabelChange
from ..core.model import Annotation, Article
from ..core.review import REVIEW_FIELDS
from ..core.spans import quoted
from ..core.store import Store
from ..core.suggestions import SuggestionChange
from .write_wait import WriterWait

if TYPE_CHECKING:
    from ..core.compare import Comparison, Disagreement, Side

T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """What happened to one annotation: ``added``, ``updated`` or ``removed``."""

    kind: str
    annotation: Annotation
    before: Annotation | None = None

    @property
    def article_id(self) -> int:
        return self.annotation.article_id


Announcement = Change | ClaimChange | Article
"""What an operation, an undo or a redo tells the views: a span, claims and links, an article's details."""


class AnnotationSession(QObject):
    """The open database, who is annotating, the undo stack, and the change signals."""

    changed = Signal(object)  # Change
    claimsChanged = Signal(object)  # ClaimChange: claims, links or rejected suggestions
    articleEdited = Signal(object)  # Article: its details (title, source, url, published) as they are now
    storeChanged = Signal(object)  # Store: another database is open now
    articlesChanged = Signal()
    articlesRemoved = Signal(object)    # ArticleChange: articles deleted (or a restore undone)
    articlesRestored = Signal(object)   # ArticleChange as written: articles brought back, under their ids now
    labelsChanged = Signal()
    suggestionsChanged = Signal(object)  # SuggestionChange: accepted, rejected, or either undone (after `changed`)
    suggestionsMade = Signal()           # a source ran: open suggestions came, went or were rescored
    saved = Signal(str)
    failed = Signal(str)
    annotatorChanged = Signal(str)

    def __init__(self, store: Store, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._annotator = annotator
        self.undo_stack = QUndoStack(self)
        # A change that finds an import or a merge writing waits its turn (gui/write_wait.py).
        self.writer_wait = WriterWait(self, holders=self._jobs_holding_reads)
        store.wait_for_writers(self.writer_wait, poll_ms=WriterWait.POLL_MS)

    @property
    def annotator(self) -> str:
        return self._annotator

    def set_annotator(self, name: str) -> None:
        self._annotator = name
        self.annotatorChanged.emit(name)

    def _jobs_holding_reads(self) -> list:  # type: ignore[type-arg]
        """This window's running jobs that read this database as one snapshot (a verify): a change waits for them."""
        from .jobs import running  # loaded with the first wait, not at start-up

        return [job for job in running() if job.holds_reads and job.store.path == self.store.path]

    def switch_store(self, store: Store) -> None:
        """Work in another database from now on: the undo history belongs to the old one."""
        self.store = store
        store.wait_for_writers(self.writer_wait, poll_ms=WriterWait.POLL_MS)
        self.undo_stack.clear()
        self.storeChanged.emit(store)

    # ------------------------------------------------------------ operations

    def add_span(self, article_id: int, start: int, end: int, label: str) -> Annotation | None:
        """Tag a span. Raises ``DuplicateSpanError`` (carrying the existing span's uid) for a repeat."""
        try:
            created = self.store.add_annotation(article_id, start, end, label, annotator=self.annotator)
        except DuplicateSpanError:
            raise
        except AnnotatorError as exc:
            self.failed.emit(f"Not saved: {exc}")
            return None
        self._push(_AddSpan(self, created), Change("added", created))
        return created

    def relabel(self, uid: str, label: str) -> Annotation | None:
        return self._update(uid, lambda before: self.store.relabel(uid, label, actor=self.annotator),
                            lambda b, a: _Relabel(self, b, a))

    def resize(self, uid: str, start: int, end: int) -> Annotation | None:
        return self._update(uid, lambda before: self.store.resize(uid, start, end, actor=self.annotator),
                            lambda b, a: _Resize(self, b, a))

    def set_note(self, uid: str, note: str) -> Annotation | None:
        return self._update(uid, lambda before: self.store.set_note(uid, note, actor=self.annotator),
                            lambda b, a: _Note(self, b, a))

    def set_status(self, uid: str, status: str, reason: str = "") -> Annotation | None:
        return self._update(
            uid, lambda before: self.store.set_status(uid, status, actor=self.annotator, reason=reason),
            lambda b, a: _Review(self, b, a))

    def adopt(self, disagreement: Disagreement, side: Side) -> list[Annotation]:
        """Take one side of a disagreement into the gold set: one transaction, one undo step."""
        from ..core.compare import adopt  # the reviewer's tools load on first use

        who = disagreement.annotator_a if side == "a" else disagreement.annotator_b
        return self._review_together(
            f"Adopt {who}'s side", (*disagreement.a, *disagreement.b),
            lambda: adopt(self.store, disagreement, side, reviewer=self.annotator))

    def accept_agreements(self, comparison: Comparison) -> list[Annotation]:
        """Accept one copy of each span two annotators agree on (the other: a duplicate). One undo step."""
        from ..core.compare import accept_agreements

        return self._review_together(
            "Accept what both agree on", [a for pair in comparison.agreements for a in pair],
            lambda: accept_agreements(self.store, comparison, reviewer=self.annotator))

    def _review_together(self, text: str, befores: Sequence[Annotation],
                         operation: Callable[[], list[Annotation]]) -> list[Annotation]:
        """Verdicts on several spans, made by the core in one transaction, undone as one step."""
        before = {a.uid: a for a in befores}
        afters = self._attempt(operation)
        if afters is None:
            return []
        steps = [_Review(self, before.get(after.uid, after), after) for after in afters]
        self.undo_stack.push(_Together(self, text, steps))
        for step in steps:
            self._announce(Change("updated", step.after, step.before))
        return afters

    def delete(self, uid: str) -> Annotation | None:
        """Delete a span and its claim links in one step; undo brings both back."""
        removed = self._attempt(lambda: self.store.remove_span(uid, actor=self.annotator))
        if removed is None:
            return None
        self.push(_DeleteSpan(self, removed.annotation, removed.links), Change("removed", removed.annotation),
                  *_links_gone(removed.links))
        return removed.annotation

    def change_labels(self, operation: Callable[[Store, str], LabelChange]) -> LabelChange:
        """Add, edit or delete labels, or write the guidelines: ``operation(store, actor)`` makes one core change.

        The core's refusal (a name taken, a key reserved...) is raised for the
        caller to show where the user typed; nothing is pushed then.
        """
        change = operation(self.store, self.annotator)
        if not change.empty:
            self.undo_stack.push(_LabelCommand(self, change))
            self._announce_labels()
        return change

    def delete_article(self, article_id: int) -> ArticleChange | None:
        """Delete an article with its spans and their links, as one undo step."""
        change = self._attempt(lambda: self.store.delete_article(article_id, actor=self.annotator), "Not deleted")
        if change is None:
            return None
        self.undo_stack.push(_ArticleCommand(self, change))
        self._announce_articles(change)
        return change

    def accept_suggestion(self, uid: str, label: str | None = None) -> SuggestionChange | None:
        """Accept a suggestion as ``label`` (default: as suggested): its span becomes the annotator's. One undo step."""
        return self._suggestion_step(
            lambda: self.store.accept_span_suggestion(uid, annotator=self.annotator, label=label))

    def reject_suggestion(self, uid: str) -> SuggestionChange | None:
        """Reject a suggestion (it is not made again); undo opens it again."""
        return self._suggestion_step(lambda: self.store.reject_span_suggestion(uid, actor=self.annotator))

    def _suggestion_step(self, operation: Callable[[], SuggestionChange]) -> SuggestionChange | None:
        change = self._attempt(operation)
        if change is None:
            return None
        self.undo_stack.push(_SuggestionCommand(self, change))
        self._announce_suggestions(change)
        return change

    def _announce_suggestions(self, change: SuggestionChange) -> None:
        # The spans an accept made (or its undo took away) travel the span path, so the table, the
        # list's counts and the panes follow as for a tag; then the suggestion views.
        for annotation in change.annotations_removed:
            self.changed.emit(Change("removed", annotation))
        for annotation in change.annotations_added:
            self.changed.emit(Change("added", annotation))
        self.suggestionsChanged.emit(change)
        self.saved.emit(f"Saved {time.strftime('%H:%M:%S')}")

    def _announce_labels(self) -> None:
        self.labelsChanged.emit()
        self.saved.emit(f"Saved {time.strftime('%H:%M:%S')}")

    def _announce_articles(self, change: ArticleChange) -> None:
        if change.articles_removed:
            self.articlesRemoved.emit(change)
        if change.articles_added:
            self.articlesRestored.emit(change)
        self.articlesChanged.emit()
        # The claims lost (or got back) the links of the articles' spans: the claim views say so too.
        gone = tuple(k for content in change.articles_removed for k in content.links)
        back = tuple(k for content in change.articles_added for k in content.links)
        rejections_gone = tuple(r for content in change.articles_removed for r in content.rejections)
        rejections_back = tuple(r for content in change.articles_added for r in content.rejections)
        if gone or back or rejections_gone or rejections_back:
            self.claimsChanged.emit(ClaimChange(links_removed=gone, links_added=back,
                                                rejections_removed=rejections_gone, rejections_added=rejections_back))
        self.saved.emit(f"Saved {time.strftime('%H:%M:%S')}")

    def replay_step(self, operation: Callable[[], object], announce: Callable[[object], None]) -> None:
        """``replay`` for steps that are not one span's change: ``announce`` gets what the operation returned."""
        try:
            done = operation()
        except AnnotatorError as exc:
            self.failed.emit(f"Undo/redo failed, nothing changed: {exc}")
            QTimer.singleShot(0, self.undo_stack.clear)
            return
        announce(done)

    # -------------------------------------------------------------- plumbing

    def _update(self, uid: str, operation: Callable[[Annotation], Annotation],
                command: Callable[[Annotation, Annotation], QUndoCommand]) -> Annotation | None:
        before = self._attempt(lambda: self.store.annotation(uid))
        if before is None:
            return None
        after = self._attempt(lambda: operation(before))
        if after is None:
            return None
        if after == before:
            return after
        self._push(command(before, after), Change("updated", after, before))
        return after

    def _attempt(self, operation: Callable[[], T], refused: str = "Not saved") -> T | None:
        """Run one core operation; if the core refuses it, say why (``failed``) and return None."""
        try:
            return operation()
        except AnnotatorError as exc:
            self.failed.emit(f"{refused}: {exc}")
            return None

    def _push(self, command: QUndoCommand, change: Change) -> None:
        self.push(command, change)

    def push(self, command: QUndoCommand, *changes: Announcement) -> None:
        """Put a step that is already done on the undo stack, then tell the views what it changed."""
        self.undo_stack.push(command)  # already done: its first redo() does nothing
        for change in changes:
            self._announce(change)

    def _announce(self, change: Announcement) -> None:
        if isinstance(change, Change):
            self.changed.emit(change)
        elif isinstance(change, ClaimChange):
            self.claimsChanged.emit(change)
        else:
            self.articleEdited.emit(change)
        self.saved.emit(f"Saved {time.strftime('%H:%M:%S')}")

    def replay(self, operation: Callable[[], Announcement | tuple[Announcement, ...]]) -> None:
        """Run an undo or redo step; if the database refuses it, the history is dropped."""
        try:
            done = operation()
        except AnnotatorError as exc:
            self.failed.emit(f"Undo/redo failed, nothing changed: {exc}")
            # Qt already moved its index; the stack no longer matches the database.
            QTimer.singleShot(0, self.undo_stack.clear)
            return
        for change in done if isinstance(done, tuple) else (done,):
            self._announce(change)


def _links_gone(links: Sequence[Link]) -> tuple[ClaimChange, ...]:
    """The claim side of deleting a span: its links went with it."""
    return (ClaimChange(links_removed=tuple(links)),) if links else ()


def _links_back(links: Sequence[Link]) -> tuple[ClaimChange, ...]:
    return (ClaimChange(links_added=tuple(links)),) if links else ()


class SessionCommand(QUndoCommand):
    """An undo step the session already performed: ``redo`` and ``undo`` each replay one core operation."""

    def __init__(self, session: AnnotationSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self._first = True

    def redo(self) -> None:
        if self._first:  # the session performed it before pushing
            self._first = False
            return
        self.session.replay(self.do)

    def undo(self) -> None:
        self.session.replay(self.undo_it)

    def do(self) -> Announcement | tuple[Announcement, ...]:
        raise NotImplementedError

    def undo_it(self) -> Announcement | tuple[Announcement, ...]:
        raise NotImplementedError

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def actor(self) -> str:
        return self.session.annotator


def _quote(text: str) -> str:
    return quoted(text, 30)


class _AddSpan(SessionCommand):
    def __init__(self, session: AnnotationSession, annotation: Annotation) -> None:
        super().__init__(session, f"Tag {_quote(annotation.text)} as {annotation.label}")
        self.annotation = annotation

    def do(self) -> Change:
        return Change("added", self.store.restore_annotation(self.annotation, actor=self.actor))

    def undo_it(self) -> Change:
        return Change("removed", self.store.delete_annotation(self.annotation.uid, actor=self.actor))


class _DeleteSpan(SessionCommand):
    def __init__(self, session: AnnotationSession, annotation: Annotation, links: Sequence[Link] = ()) -> None:
        super().__init__(session, f"Delete {annotation.label} {_quote(annotation.text)}")
        self.annotation = annotation
        self.links = tuple(links)

    def do(self) -> tuple[Announcement, ...]:
        removed = self.store.remove_span(self.annotation.uid, actor=self.actor)
        return (Change("removed", removed.annotation), *_links_gone(removed.links))

    def undo_it(self) -> tuple[Announcement, ...]:
        restored = self.store.restore_annotation(self.annotation, actor=self.actor, links=self.links)
        return (Change("added", restored), *_links_back(self.links))


class _Edit(SessionCommand):
    """An edit of one annotation, undone by putting back the fields it changed (a cleared verdict too)."""

    verb = "Edit"
    action = "edit"
    fields: tuple[str, ...] = ()

    def __init__(self, session: AnnotationSession, before: Annotation, after: Annotation) -> None:
        super().__init__(session, f"{self.verb} {_quote(before.text)}")
        self.before, self.after = before, after

    def do(self) -> Change:
        return Change("updated", self.apply(self.after), self.before)

    def undo_it(self) -> Change:
        return Change("updated", self.apply(self.before), self.after)

    def apply(self, values: Annotation) -> Annotation:
        return self.store.restore_fields(values, self.fields, action=self.action, actor=self.actor)


class _Relabel(_Edit):
    verb, action, fields = "Relabel", "relabel", ("label", *REVIEW_FIELDS)


class _Resize(_Edit):
    verb, action, fields = "Resize", "resize", ("start", "end", "text", *REVIEW_FIELDS)


class _Note(_Edit):
    verb, action, fields = "Edit the note of", "note", ("note",)


class _Review(_Edit):
    verb, action, fields = "Review", "review", REVIEW_FIELDS


class _Together(SessionCommand):
    """Several edits made in one transaction, undone and redone as one step.

    The steps are kept in a Python list rather than as Qt child commands: Qt
    would own the children and Python could drop their wrappers, and with
    them the overrides Qt calls.
    """

    def __init__(self, session: AnnotationSession, text: str, steps: list[_Edit]) -> None:
        super().__init__(session, text)
        self.steps = steps

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        for step in self.steps:
            self.session.replay(step.do)

    def undo(self) -> None:
        for step in reversed(self.steps):
            self.session.replay(step.undo_it)


class _ChangeCommand(QUndoCommand):
    """A change the core describes and inverts (labels, an article, a suggestion): redo applies the change,
    undo its inverse, one core call each; what was written is announced."""

    def __init__(self, session: AnnotationSession, change: Any, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.change = change
        self._first = True

    def redo(self) -> None:
        if self._first:  # the session performed it before pushing
            self._first = False
            return
        self.session.replay_step(lambda: self.apply(self.change, "redo"), self.done)

    def undo(self) -> None:
        self.session.replay_step(lambda: self.apply(self.change.inverse(), "undo"), self.done)

    def apply(self, change: Any, action: str) -> Any:
        raise NotImplementedError

    def done(self, written: Any) -> None:
        raise NotImplementedError


class _LabelCommand(_ChangeCommand):
    """A change of the labels or the guidelines."""

    def __init__(self, session: AnnotationSession, change: LabelChange) -> None:
        super().__init__(session, change, change.describe())

    def apply(self, change: LabelChange, action: str) -> LabelChange:
        return self.session.store.apply_label_change(change, actor=self.session.annotator, action=action)

    def done(self, written: LabelChange) -> None:
        self.session._announce_labels()


class _ArticleCommand(_ChangeCommand):
    """An article deleted with its spans and links; undo brings them back (the ids it gets then are kept for redo)."""

    def __init__(self, session: AnnotationSession, change: ArticleChange) -> None:
        super().__init__(session, change, change.describe())

    def apply(self, change: ArticleChange, action: str) -> ArticleChange:
        return self.session.store.apply_article_change(change, actor=self.session.annotator)

    def done(self, written: ArticleChange) -> None:
        # Whichever way it went, the change to redo is the deletion of the article as it is now.
        self.change = written if written.articles_removed else written.inverse()
        self.session._announce_articles(written)


class _SuggestionCommand(_ChangeCommand):
    """An accepted or rejected suggestion: undo reopens it (and takes away the span an accept made)."""

    def __init__(self, session: AnnotationSession, change: SuggestionChange) -> None:
        suggestion = change.suggestion
        assert suggestion is not None
        annotation = change.annotation
        if suggestion.state == "rejected":
            text = f"Reject the suggested {suggestion.label} {_quote(suggestion.text)}"
        else:
            label = annotation.label if annotation is not None else suggestion.label
            text = f"Accept {_quote(suggestion.text)} as {label}"
        super().__init__(session, change, text)

    def apply(self, change: SuggestionChange, action: str) -> SuggestionChange:
        return self.session.store.apply_suggestion_change(change, actor=self.session.annotator, action=action)

    def done(self, written: SuggestionChange) -> None:
        self.session._announce_suggestions(written)
