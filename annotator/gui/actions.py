"""Every action, its menu and its shortcuts, declared once.

The menus, the toolbar and the keyboard-shortcut help all read this list;
label actions (tag as claim, 1 ...) are added from the labels table.
Actions scoped to ``panes`` fire only while an article pane has focus, so
typing "1" in the search box types a 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

MENUS = ("File", "Edit", "View", "Review", "Annotator", "Help")


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    # "panes": a pane has focus; "review": a pane or a review dock has focus; "articles": the article list has
    # focus (the window extends a scope to the widgets it covers: extend_scope)
    scope: str = "window"
    tip: str = ""
    checkable: bool = False
    separator_before: bool = False


SPECS: tuple[ActionSpec, ...] = (
    # Its tip names every format the importer reads, from the format registry, once the File menu opens
    # (MainWindow._describe_import): loading the registry at start-up would cost 70 ms.
    ActionSpec("import_files", "&Import Files…", "File", ("Ctrl+I",)),
    ActionSpec("import_folder", "Import &Folder…", "File", ("Ctrl+Shift+I",)),
    ActionSpec("load_samples", "Load the &Sample Articles", "File"),
    ActionSpec("export", "&Export Dataset…", "File", ("Ctrl+E",), separator_before=True),
    ActionSpec("open_database", "&Open Database…", "File", ("Ctrl+O",), separator_before=True),
    ActionSpec("merge", "&Merge a Colleague's Database…", "File", tip="Bring in their articles, spans and history"),
    ActionSpec("quit", "&Quit", "File", ("Ctrl+Q",), separator_before=True),
    ActionSpec("undo", "&Undo", "Edit", ("Ctrl+Z",)),
    ActionSpec("redo", "&Redo", "Edit", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec("edit_note", "Edit N&ote…", "Edit", ("E",), "panes", "Write a note on the selected span",
               separator_before=True),
    ActionSpec("resize_span", "Re&size Span to Selection", "Edit", ("S",), "panes",
               "Give the selected span the bounds of the selected text"),
    ActionSpec("delete_span", "&Delete Span", "Edit", ("Del", "Backspace"), "panes"),
    ActionSpec("cycle_span", "&Cycle Overlapping Spans", "Edit", ("C",), "panes",
               "Select the next span under the cursor"),
    ActionSpec("deselect", "Clear S&election", "Edit", ("Esc",), "panes"),
    ActionSpec("next_span", "Select Ne&xt Span or Suggestion", "Edit", ("Tab",), "panes",
               "Select the next span or shown suggestion in the text (the keyboard's way to click one)"),
    ActionSpec("previous_span", "Select &Previous Span or Suggestion", "Edit", ("Shift+Tab",), "panes"),
    ActionSpec("span_history", "&History of Span…", "Edit", ("H",), "panes", "Who changed the selected span, when"),
    ActionSpec("link_spans", "Lin&k to the Claim of the Span Selected Before", "Edit", ("L",), "panes",
               "The selected span joins the claim of the span selected before it (a new claim if that one has"
               " none); the status bar names that span", separator_before=True),
    ActionSpec("article_details", "Article Deta&ils…", "Edit",
               tip="Edit the title, source, url and published date of the active pane's article"),
    ActionSpec("snap_words", "Snap Selections to &Whole Words", "Edit", ("Ctrl+Shift+W",), checkable=True,
               separator_before=True),
    ActionSpec("find_in_article", "&Find in Article…", "Edit", ("Ctrl+F",),
               tip="Find words in the active pane's article (any case, with or without accents)"),
    ActionSpec("find_next", "Find &Next", "Edit", ("F3",)),
    ActionSpec("find_previous", "Find Pre&vious", "Edit", ("Shift+F3",)),
    ActionSpec("find_article", "Search the Article &List…", "Edit", ("Ctrl+Shift+F",),
               tip="Search titles, sources and texts of every article"),
    ActionSpec("delete_article", "Delete &Article…", "Edit", ("Del",), "articles",
               "Delete the article chosen in the list, with its spans and their links (undo brings them back)",
               separator_before=True),
    ActionSpec("edit_labels", "La&bels…", "Edit",
               tip="Add, rename, recolour, re-key, describe or delete labels"),
    ActionSpec("refresh", "&Refresh from the Database", "View", ("F5",),
               tip="Show what other programs (the command line, a merge) changed"),
    ActionSpec("add_pane", "Add &Pane", "View", ("Ctrl+T",), separator_before=True),
    ActionSpec("close_pane", "&Close Pane", "View", ("Ctrl+W",)),
    ActionSpec("pane_left", "Move Pane Le&ft", "View", ("Ctrl+Shift+PgUp",)),
    ActionSpec("pane_right", "Move Pane Righ&t", "View", ("Ctrl+Shift+PgDown",)),
    ActionSpec("focus_next_area", "&Next Area", "View", ("F6",), separator_before=True,
               tip="Move the keyboard to the next of: article list, panes, docks"),
    ActionSpec("focus_previous_area", "Pre&vious Area", "View", ("Shift+F6",)),
    *(ActionSpec(f"focus_pane_{n}", f"Go to Pane {n}", "View", (f"Ctrl+{n}",)) for n in range(1, 10)),
    ActionSpec("sync_scroll", "&Synchronise Scrolling", "View", ("Ctrl+Shift+S",), checkable=True,
               separator_before=True),
    ActionSpec("follow_system_scheme", "Follow the System's Colour Sc&heme", "View", checkable=True,
               separator_before=True, tip="Light or dark as the system is"),
    ActionSpec("dark_theme", "&Dark Theme", "View", ("Ctrl+Shift+D",), checkable=True,
               tip="Light text on dark paper; label colours and marks stay legible"),
    ActionSpec("zoom_in", "Zoom &In", "View", ("Ctrl+=", "Ctrl++"), separator_before=True),
    ActionSpec("zoom_out", "Zoom O&ut", "View", ("Ctrl+-",)),
    ActionSpec("zoom_reset", "Actual Si&ze", "View", ("Ctrl+0",)),
    ActionSpec("guidelines", "&Guidelines", "View", checkable=True, separator_before=True,
               tip="The project's annotation guidelines and what each label is for"),
    ActionSpec("claims_dock", "Clai&ms", "View", ("Ctrl+Shift+L",), checkable=True, separator_before=True,
               tip="Every claim: who states, denies or supports it, the verdict, its spans, same-claim suggestions"),
    ActionSpec("claim_matrix", "Claims × Articles Matri&x", "View", ("Ctrl+Shift+M",),
               tip="Claims as rows, articles as columns: who reports each claim and who denies it"),
    ActionSpec("show_suggestions", "Show Sugg&estions", "View", ("Ctrl+G",), checkable=True,
               tip="Open suggestions as dashed outlines in the panes (Enter accepts, X rejects, Tab goes to the next)"),
    ActionSpec("review_mode", "&Reviewer Mode", "Review", ("Ctrl+Shift+R",), checkable=True,
               tip="A queue of spans to accept or reject"),
    ActionSpec("accept", "&Accept Span", "Review", ("A",), "review"),
    ActionSpec("reject", "Re&ject Span…", "Review", ("R",), "review"),
    ActionSpec("reopen", "Mark as &Pending", "Review", ("U",), "review"),
    ActionSpec("next_item", "&Next in Queue", "Review", ("N", "J"), "review", separator_before=True),
    ActionSpec("previous_item", "Pre&vious in Queue", "Review", ("P", "K"), "review"),
    ActionSpec("compare", "C&ompare Annotators…", "Review", ("Ctrl+Shift+C",), separator_before=True),
    ActionSpec("adopt_a", "Adopt the &Left Side", "Review", ("[",), "review",
               "Accept the left annotator's spans here, reject the right's"),
    ActionSpec("adopt_b", "Adopt the Ri&ght Side", "Review", ("]",), "review"),
    ActionSpec("agreement", "Agr&eement…", "Review", ("Ctrl+Shift+G",), separator_before=True),
    ActionSpec("verify", "Verif&y the Audit Log", "Review"),
    ActionSpec("suggestion_queue", "&Suggestion Queue", "Review", ("Ctrl+Shift+U",), checkable=True,
               separator_before=True, tip="Open suggestions across articles, most uncertain first"),
    ActionSpec("accept_suggestion", "Accept the S&uggestion", "Review", ("Return", "Enter"), "panes",
               "Accept the suggestion selected or under the caret as suggested (a label key accepts it as that label)"),
    ActionSpec("reject_suggestion", "Reject t&he Suggestion", "Review", ("X",), "panes",
               "Reject the suggestion selected or under the caret: it is not proposed again"),
    ActionSpec("suggest_rules", "Suggest with the &Cue Rules", "Review", separator_before=True,
               tip="Propose spans where the labels' cue words are, in every article"),
    ActionSpec("suggest_model", "Suggest with the &Model", "Review",
               tip="Propose spans the locally trained model scores at 0.5 or more, in every article"),
    ActionSpec("train_model", "&Train the Model…", "Review",
               tip="Learn from this database's spans in the background; shows precision, recall and F1 per label"),
    ActionSpec("change_annotator", "&Change Annotator Name…", "Annotator"),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", "Help", ("F1",)),
    ActionSpec("about", "&About annotator", "Help"),
)


class Actions:
    """The QActions built from SPECS, by id, each wired to a handler."""

    def __init__(self, owner: QObject, panes_widget: QWidget,
                 handlers: dict[str, Callable[[], None] | Callable[[bool], None]]) -> None:
        self.by_id: dict[str, QAction] = {}
        self.panes_widget = panes_widget
        for s in SPECS:
            action = QAction(s.text, owner)
            action.setObjectName(s.id)
            action.setShortcuts([QKeySequence(k) for k in s.shortcuts])
            if s.tip:
                action.setStatusTip(s.tip)
            action.setCheckable(s.checkable)
            if s.scope != "window":
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            if s.scope in ("panes", "review"):
                panes_widget.addAction(action)
            handler = handlers.get(s.id)
            if handler is not None:
                (action.toggled if s.checkable else action.triggered).connect(handler)
            self.by_id[s.id] = action

    def __getitem__(self, action_id: str) -> QAction:
        return self.by_id[action_id]

    def extend_scope(self, scope: str, widget: QWidget) -> None:
        """Let the actions of ``scope`` fire while ``widget`` (say, a review dock) has focus too."""
        for s in SPECS:
            if s.scope == scope:
                widget.addAction(self.by_id[s.id])

    def fill_menus(self, bar: QMenuBar) -> dict[str, QMenu]:
        menus = {name: bar.addMenu(f"&{name}") for name in MENUS}
        shared = _shared_keys()
        for s in SPECS:
            if s.separator_before:
                menus[s.menu].addSeparator()
            action = self.by_id[s.id]
            if shared.intersection(s.shortcuts) and s.scope in WHERE:
                # One key, two actions in different places (Del: a span in a pane, an article in the
                # list): the menu says where each works. Text after a tab is what QMenu shows as the key.
                action.setText(f"{s.text}\t{_key_text(s.shortcuts[0])} {WHERE[s.scope]}")
            menus[s.menu].addAction(action)
        return menus

    def pane_action(self, owner: QObject, text: str, shortcut: str, handler: Callable[[], None]) -> QAction:
        """An action that fires only in the panes (the label keys)."""
        action = QAction(text, owner)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(handler)
        self.panes_widget.addAction(action)
        return action

    def shortcut_rows(self, label_rows: list[tuple[str, str]],
                      more: Iterable[tuple[str, str, str]] = ()) -> list[tuple[str, str, str]]:
        """(menu, action, keys) for the shortcut help: labels first, then menu by menu in the menu bar's order
        (``more``, the keys of a dock, among its menu's rows)."""
        rows = [("Label", text, keys) for text, keys in label_rows]
        for s in SPECS:
            if s.shortcuts:
                keys = ", ".join(_key_text(k) for k in s.shortcuts)
                where = f" {WHERE[s.scope]}" if s.scope in WHERE else ""
                rows.append((s.menu, s.text.replace("&", "").rstrip("…") + where, keys))
        rows += more
        order = {menu: i for i, menu in enumerate(("Label", *MENUS))}
        return sorted(rows, key=lambda row: order.get(row[0], len(order)))   # stable: menu order within a menu


WHERE = {"panes": "(in a pane)", "review": "(reviewing)", "articles": "(in the article list)"}
"""Where the keys of each scope work, as the menus and the shortcut help say it."""


def _key_text(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def _shared_keys() -> set[str]:
    """Keys that more than one action answers to (each in its own place)."""
    seen: dict[str, int] = {}
    for s in SPECS:
        for key in s.shortcuts:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, n in seen.items() if n > 1}
