"""The L key: link the selected span to the claim of the span selected before it.

The window has one selected span at a time (selecting one in a pane clears the
others), so the span to link *from* is kept here explicitly: whenever another
span is selected, the one selected until then becomes the link source. The
status bar says which it is, so the user knows what L will do before pressing
it. With no earlier span, L makes the selected span the source and asks for the
other one. Everything works from the keyboard: Tab / Shift+Tab and C select
spans, Ctrl+1..9 move between panes, L links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from ..core.model import Article
from ..core.spans import excerpt, quoted
from . import claim_ops
from .article_pane import ArticlePane
from .session import AnnotationSession, Change


def _where(article: Article) -> str:
    return excerpt(article.display_source or article.title, 30)


@dataclass(frozen=True)
class SpanRef:
    """A selected span, and what the status bar says about it."""

    uid: str
    article_id: int
    text: str
    where: str

    def describe(self) -> str:
        return f"{quoted(self.text, 48)} ({self.where})"


class LinkTracker(QObject):
    message = Signal(str)
    sourceChanged = Signal(str, str)  # what the status bar says ("" for nothing), and a short form of it
    linked = Signal(str)             # the claim the spans were linked to

    def __init__(self, session: AnnotationSession, selected_claim: Callable[[], str | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.selected_claim = selected_claim
        self.source: SpanRef | None = None
        self.current: SpanRef | None = None
        session.changed.connect(self._on_change)
        session.storeChanged.connect(lambda _store: self.forget())
        session.articleEdited.connect(self._article_edited)

    # -------------------------------------------------------------- tracking

    def selected(self, pane: ArticlePane, uid: str) -> None:
        """A span was selected in ``pane`` ("" when the selection was cleared: the source stays)."""
        if not uid or pane.article is None or (self.current is not None and self.current.uid == uid):
            return
        row = pane.view.spans.get(uid)
        if row is None:
            return
        ref = SpanRef(uid, pane.article.id, pane.view.text[row.start:row.end], _where(pane.article))
        if self.current is not None:  # else L made the last one the source already: it stays
            self.source = self.current
        self.current = ref
        self._show()

    def forget(self) -> None:
        self.source = self.current = None
        self._show()

    def keep_shown(self, article_ids: Iterable[int]) -> None:
        """The panes show these articles now: a span of an article no pane shows is no longer L's source
        (the status bar would name text that is not on screen, and L would link to it unseen)."""
        shown = set(article_ids)
        gone = [ref for ref in (self.source, self.current) if ref is not None and ref.article_id not in shown]
        if not gone:
            return
        if self.source in gone:
            self.source = None
        if self.current in gone:
            self.current = None
        self._show()

    def _article_edited(self, article: Article) -> None:
        """An article's details changed: the status bar names the span's article as it is now."""
        refs = [replace(ref, where=_where(article)) if ref is not None and ref.article_id == article.id else ref
                for ref in (self.source, self.current)]
        if refs != [self.source, self.current]:
            self.source, self.current = refs
            self._show()

    def _on_change(self, change: Change) -> None:
        if change.kind != "removed":
            return
        uid = change.annotation.uid
        if self.source is not None and self.source.uid == uid:
            self.source = None
        if self.current is not None and self.current.uid == uid:
            self.current = None
        self._show()

    def _show(self) -> None:
        if self.source is not None and self.current is not None:
            self.sourceChanged.emit(f"Linking from: {self.source.describe()} — L links the selected span to it",
                                    f"L links to {quoted(self.source.text, 28)}")
        elif self.source is not None or self.current is not None:
            only = self.source or self.current
            assert only is not None
            self.sourceChanged.emit(f"Linking from: {only.describe()} — select the other span and press L",
                                    f"Linking from {quoted(only.text, 24)}: select the other span")
        else:
            self.sourceChanged.emit("", "")

    # ---------------------------------------------------------------- the key

    def link(self, pane: ArticlePane | None) -> None:
        """Link the span selected in ``pane`` to the source span's claim (made from the source if it has none)."""
        uid = pane.view.selected_uid if pane is not None else None
        if pane is None or not uid:
            self.message.emit("Select a span first (click it, or Tab / C in the text), then the other span,"
                              " and press L.")
            return
        if self.current is None or self.current.uid != uid:
            self.selected(pane, uid)
        if self.source is None or self.source.uid == uid:
            # Nothing selected before: this span is the one to link from.
            assert self.current is not None
            self.source, self.current = self.current, None
            self.message.emit(f"Linking from {self.source.describe()}: select the other span (in any pane)"
                              " and press L.")
            self._show()
            return
        source, target = self.source, self.current
        assert target is not None
        store = self.session.store
        if not store.has_annotation(source.uid):
            self.source = None
            self._show()
            self.message.emit("The span to link from was deleted; select it again.")
            return
        claim_uid = self._claim_of(source)
        if claim_uid == "":
            return
        change = claim_ops.link_spans(self.session, [source.uid, target.uid], claim_uid=claim_uid)
        if change is None or change.claim_uid is None:
            return
        claim = store.claim(change.claim_uid)
        if not change.links_added:
            self.message.emit(f"Both spans are already in claim #{claim.id} {quoted(claim.summary, 50)}.")
        else:
            roles = ", ".join(f"{'the first' if k.span_uid == source.uid else 'the second'} {k.role}"
                              for k in change.links_added)
            made = "a new claim" if change.claims_added else "claim"
            self.message.emit(f"Linked to {made} #{claim.id} {quoted(claim.summary, 50)} ({roles}). Ctrl+Z"
                              " undoes it; View > Claims lists it.")
        self.linked.emit(change.claim_uid)

    def _claim_of(self, source: SpanRef) -> str | None:
        """The claim to link to: None lets the core choose (the source's one claim, or a new one);
        "" means the user must choose first (the source is in several claims)."""
        claims = [k.claim_uid for k in self.session.store.links_of_span(source.uid)]
        if len(claims) < 2:
            return None
        chosen = self.selected_claim()
        if chosen in claims:
            return chosen
        self.message.emit(f"{source.describe()} is in {len(claims)} claims: choose one in the Claims dock"
                          " (View > Claims), then press L again.")
        return ""
