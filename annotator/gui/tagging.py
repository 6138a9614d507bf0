"""What the tagging keys do in the current pane: tag, relabel, note, resize, delete, cycle.

The decisions a user sees ("select some text first") live here; the rules of
a span (whole words, no surrounding whitespace) live in ``core.spans``; the
writes go through the session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..core.claims import Link
from ..core.errors import DuplicateSpanError
from ..core.model import Annotation
from ..core.spans import has_word, quoted, snap_to_words, trim
from ..core.store import SpanRow
from .article_pane import ArticlePane
from .pane_area import PaneArea
from .session import AnnotationSession


class TaggingController(QObject):
    message = Signal(str)
    selectedChanged = Signal(object, str)   # pane, uid ("" for none)

    def __init__(self, session: AnnotationSession, panes: PaneArea, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self.session = session
        self.panes = panes
        self.dialog_parent = dialog_parent
        self.snap_words = True
        self.ask_note: Callable[[str, str], str | None] = self._ask_note
        # Set by the window: a label key with no text and no span selected accepts the suggestion selected or
        # under the caret as that label (gui/suggestion_ops.py); False when there is none.
        self.take_suggestion: Callable[[ArticlePane, str], bool] = lambda _pane, _label: False

    def _pane(self) -> ArticlePane | None:
        pane = self.panes.current
        if pane is None or pane.article is None:
            self.message.emit("Open an article first: double-click one in the list.")
            return None
        return pane

    def _selection(self, pane: ArticlePane) -> tuple[int, int] | None:
        raw = pane.view.selection()
        return None if raw is None else self.extent(pane.view.text, *raw)

    def extent(self, text: str, start: int, end: int) -> tuple[int, int]:
        """What a label key tags of ``text[start:end]`` selected: whole words (or trimmed of spaces when
        snapping is off); empty (start == end) when it holds only spaces."""
        start, end = snap_to_words(text, start, end) if self.snap_words else trim(text, start, end)
        return (start, end) if start < end else (start, start)

    def show_snapped(self, pane: ArticlePane) -> None:
        """After a mouse selection, select what a label key would tag: the user sees it before tagging."""
        raw = pane.view.selection()
        selection = self._selection(pane)
        if raw is None or selection is None or selection == raw or selection[0] == selection[1]:
            return
        pane.view.widen_selection(*selection)

    def _selected_uid(self, pane: ArticlePane) -> str | None:
        return pane.view.selected_uid

    def tag(self, label: str) -> None:
        """Tag the selected text; with no text selected, relabel the selected span."""
        pane = self._pane()
        if pane is None or pane.article is None:
            return
        selection = self._selection(pane)
        if selection is not None:
            start, end = selection
            if start == end:
                self.message.emit("The selection holds only spaces; nothing was tagged.")
                return
            if self.snap_words and not has_word(pane.view.text[start:end]):
                self.message.emit("The selection holds no letter or digit (only punctuation); nothing was tagged."
                                  " Edit > Snap Selections to Whole Words off tags it as selected.")
                return
            try:
                created = self.session.add_span(pane.article.id, start, end, label)
            except DuplicateSpanError as repeat:
                pane.view.clear_text_selection()
                self._select(pane, repeat.uid)
                self.message.emit(f"You have already tagged this as {label}; selected that span.")
                return
            if created is not None:
                pane.view.clear_text_selection()
                self._select(pane, created.uid)
                self.message.emit(f"Tagged {quoted(created.text)} as {created.label}.")
            return
        uid = self._selected_uid(pane)
        if not uid and self.take_suggestion(pane, label):
            return
        if uid:
            store = self.session.store
            before, links = store.span_row(uid), store.links_of_span(uid)
            changed = self.session.relabel(uid, label)
            if changed is not None:
                self._select(pane, uid)
                self.message.emit(f"Relabelled as {changed.label}{self._roles_moved(links, uid)}."
                                  f"{_verdict_cleared(before, changed)}")
            return
        self.message.emit("Select some text first (mouse or Shift+arrows), then press a label's key.")

    def _roles_moved(self, before: Sequence[Link], uid: str) -> str:
        """Say each link whose role a relabel carried along (docs/claims.md): a claim's counts change with it."""
        store = self.session.store
        after = {link.claim_uid: link.role for link in store.links_of_span(uid)}
        moved = [f"its role in claim #{store.claim(link.claim_uid).id} is now {after[link.claim_uid]}"
                 f" (was {link.role})" for link in before if after.get(link.claim_uid, link.role) != link.role]
        return "; " + "; ".join(moved) if moved else ""

    def edit_note(self) -> None:
        pane, uid = self._span_or_say("write a note")
        if pane is None or uid is None:
            return
        current = self.session.store.annotation(uid)
        note = self.ask_note(current.text, current.note)
        if note is not None and note != current.note:
            if self.session.set_note(uid, note) is not None:
                self.message.emit("Note saved." if note else "Note removed.")

    def resize(self) -> None:
        pane, uid = self._span_or_say("resize")
        if pane is None or uid is None:
            return
        selection = self._selection(pane)
        if selection is None or selection[0] == selection[1]:
            self.message.emit("Select the new extent of the span in the text, then press S.")
            return
        before = self.session.store.span_row(uid)
        changed = self.session.resize(uid, *selection)
        if changed is not None:
            pane.view.clear_text_selection()
            self._select(pane, uid)
            self.message.emit(f"Span now covers {quoted(changed.text)}.{_verdict_cleared(before, changed)}")

    def delete(self) -> None:
        pane, uid = self._span_or_say("delete")
        if pane is None or uid is None:
            return
        removed = self.session.delete(uid)
        if removed is not None:
            self._select(pane, None)
            self.message.emit(f"Deleted the {removed.label} span {quoted(removed.text)} (Ctrl+Z brings it back).")

    def cycle(self) -> None:
        pane = self._pane()
        if pane is None:
            return
        uid = pane.view.cycle_at_cursor()
        if uid is None:
            self.message.emit("No span under the cursor.")
        self.selectedChanged.emit(pane, uid or "")

    def deselect(self) -> None:
        pane = self.panes.current
        if pane is None:
            return
        pane.view.clear_text_selection()
        self._select(pane, None)

    def _span_or_say(self, verb: str) -> tuple[ArticlePane | None, str | None]:
        pane = self._pane()
        if pane is None:
            return None, None
        uid = self._selected_uid(pane)
        if not uid:
            self.message.emit(f"Click a span to select it, then {verb} it.")
            return pane, None
        return pane, uid

    def _select(self, pane: ArticlePane, uid: str | None) -> None:
        pane.view.select_span(uid, scroll=False)
        self.selectedChanged.emit(pane, uid or "")

    def _ask_note(self, span_text: str, note: str) -> str | None:
        from .dialogs import NoteDialog  # dialogs load when they open, not at start-up

        dialog = NoteDialog(span_text, note, self.dialog_parent)
        return dialog.value() if dialog.exec() else None


def _verdict_cleared(before: SpanRow | None, after: Annotation) -> str:
    if before is None or before.status == "pending" or after.status != "pending":
        return ""
    return f" It was {before.status}; it is pending again, since a verdict holds for the span it was given on."
