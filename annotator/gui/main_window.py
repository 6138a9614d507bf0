"""The main window: assembles the panes, docks, toolbar and menus, and wires their signals.

The rooms it assembles each live in their own module: the status bar
(``status_bar``), the saved layout (``workspace_state``), opening another
database (``database_switch``), the right-click menu (``span_menu``), the
watch for other programs' writes (``outside_changes``), the File and Review
menus' work (``file_ops``, ``review_ops``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QToolButton, QWidget

from .. import __version__
from ..core.errors import AnnotatorError
from ..core.hints import in_window
from ..core.labels import RESERVED_KEYS
from ..core.model import Article
from ..core.profile import set_annotator_name
from ..core.spans import excerpt
from ..core.store import SpanRow, Store
from . import theme
from .actions import Actions
from .annotations_dock import AnnotationsDock
from .article_list import ArticleListDock
from .article_ops import ArticleOperations
from .article_pane import ArticlePane
from .claim_linking import LinkTracker
from .database_switch import DatabaseSwitcher
from .dock_room import DockRoom
from .focus import KeyboardFocus
from .highlighter import StoreSpans
from .label_bar import LabelBar, label_icon
from .label_ops import LabelOperations
from .label_style import LabelStyles
from .models import AnnotationTableModel, ArticleListModel
from .outside_changes import OutsideChanges
from .pane_area import PaneArea
from .session import AnnotationSession, Change
from .settings import ReviewState, ViewOptions, WindowSettings, Workspace
from .shown_text import lines, menu_entry, one_line
from .span_menu import span_menu
from .status_bar import StatusBar
from .suggestion_ops import SuggestionOperations
from .tagging import TaggingController
from .workspace_state import WorkspaceState

if TYPE_CHECKING:
    from .claim_workspace import ClaimWorkspace
    from .file_ops import FileOperations
    from .review_ops import ReviewOperations

# Dialogs, and the Qt classes only they use, are imported where they open: every
# Qt class touched before the first paint costs start-up time (shiboken builds the
# class and its Python enums on first use).


class MainWindow(QMainWindow):
    def __init__(self, store: Store, annotator: str, settings: WindowSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or WindowSettings()
        self.session = AnnotationSession(store, annotator, self)
        self.styles = LabelStyles(store.labels())
        self.last_error = ""
        self.hidden_annotators: set[str] = set()
        self._last_change: Change | None = None
        self._show_title()

        self.panes = PaneArea()
        self.panes.setObjectName("paneArea")
        self.setCentralWidget(self.panes)
        self.article_model = ArticleListModel(lambda: self.session.store, self.styles)
        self.annotation_model = AnnotationTableModel(lambda: self.session.store, self.styles)
        self.article_list = ArticleListDock(self.article_model, self)
        self.annotations = AnnotationsDock(self.annotation_model, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.article_list)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.annotations)
        self.label_bar = LabelBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.label_bar)
        # first-start sizes; a saved layout replaces them
        self.resizeDocks([self.article_list], [420], Qt.Orientation.Horizontal)
        self.resizeDocks([self.annotations], [210], Qt.Orientation.Vertical)

        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.status.set_annotator(annotator)
        self.tagging = TaggingController(self.session, self.panes, self)
        self.panes.tag_extent = self.tagging.extent
        self.suggestions = SuggestionOperations(self)
        self.tagging.take_suggestion = self.suggestions.take_suggestion
        self.layout_state = WorkspaceState(self, self.panes, self.settings, lambda: self.session.store,
                                           self.view_options, self._review_state, self.open_article)
        self.databases = DatabaseSwitcher(self.session, self.settings, self, self.layout_state.save,
                                          self.show_error)
        self.outside = OutsideChanges(lambda: self.session.store, self)
        self.focus = KeyboardFocus(self.panes, self._focus_areas, self.say)
        self.dock_room = DockRoom(self, self.panes)
        self._files: FileOperations | None = None
        self._review: ReviewOperations | None = None
        self._claims: ClaimWorkspace | None = None
        self.linking = LinkTracker(self.session, lambda: self._claims.selected_claim() if self._claims else None,
                                   self)
        self.actions = Actions(self, self.panes, self._handlers())
        self.menus = self.actions.fill_menus(self.menuBar())
        self.article_ops = ArticleOperations(self)
        self.article_ops.message.connect(self.say)
        self.label_ops = LabelOperations(self)
        self._add_menus()
        self.label_actions: list[QAction] = []
        self.actions["undo"].setEnabled(False)
        self.actions["redo"].setEnabled(False)

        self.scheme = theme.SchemeChoice(self.actions["follow_system_scheme"], self.actions["dark_theme"],
                                         self.layout_state.changed, self)
        self._connect_signals()
        self._reload_labels()
        QTimer.singleShot(0, self._say_if_damaged)

    def _add_menus(self) -> None:
        """The menus Actions does not make: who is shown, the docks' toggles, the labels to tag with."""
        self.annotators_menu = QMenu("Show &Annotators", self)
        self.annotators_menu.aboutToShow.connect(self._fill_annotators_menu)
        self.menus["View"].insertMenu(self.actions["zoom_in"], self.annotators_menu)
        self.menus["View"].addSeparator()
        for dock, text in ((self.article_list, "Artic&les"), (self.annotations, "Ann&otations")):
            toggle = dock.toggleViewAction()
            toggle.setText(text)
            toggle.triggered.connect(lambda on, dock=dock: self.show_dock(dock) if on else None)
            self.menus["View"].addAction(toggle)
        self.tag_menu = QMenu("&Tag Selection As", self)
        self.menus["Edit"].insertMenu(self.actions["edit_note"], self.tag_menu)
        self.menus["File"].aboutToShow.connect(self._describe_import)

    def _describe_import(self) -> None:
        from .file_ops import import_tip

        tip = import_tip()
        for action_id in ("import_files", "import_folder"):
            self.actions[action_id].setStatusTip(tip)

    # ---------------------------------------------------------------- wiring

    def _handlers(self) -> dict:  # type: ignore[type-arg]
        t = self.tagging
        return {
            "import_files": lambda: self.files.import_files(), "import_folder": lambda: self.files.import_folder(),
            "load_samples": lambda: self.files.load_samples(),
            "export": lambda: self.files.export(self.panes.open_article_ids()),
            "open_database": self.databases.open_dialog, "quit": self.close,
            "undo": self.undo, "redo": self.redo,
            "edit_note": t.edit_note, "resize_span": t.resize, "delete_span": t.delete,
            "cycle_span": t.cycle, "deselect": t.deselect,
            "next_span": lambda: self.suggestions.step(False), "previous_span": lambda: self.suggestions.step(True),
            "link_spans": lambda: self.linking.link(self.panes.current),
            "article_details": lambda: self.claims.edit_article_details(
                self.panes.current.article.id if self.panes.current and self.panes.current.article else None),
            "claims_dock": lambda on: self.claims.set_dock_visible(on),
            "claim_matrix": lambda: self.claims.show_matrix(),
            "snap_words": self._set_snap, "find_article": self._find_article,
            "find_in_article": lambda: self._find_in_article(0), "find_next": lambda: self._find_in_article(1),
            "find_previous": lambda: self._find_in_article(-1),
            "add_pane": self._add_pane, "close_pane": self._close_pane,
            "pane_left": lambda: self._move_pane(-1), "pane_right": lambda: self._move_pane(1),
            "sync_scroll": self._set_sync,
            "follow_system_scheme": lambda on: self.set_colour_scheme("system" if on else theme.current().name),
            "dark_theme": lambda on: self.set_colour_scheme("dark" if on else "light"),
            "focus_next_area": lambda: self.focus.cycle(1), "focus_previous_area": lambda: self.focus.cycle(-1),
            **{f"focus_pane_{n}": lambda _checked=False, n=n: self.focus.to_pane(n - 1) for n in range(1, 10)},
            "zoom_in": lambda: self._zoom(self.panes.zoom + 1),
            "zoom_out": lambda: self._zoom(self.panes.zoom - 1),
            "zoom_reset": lambda: self._zoom(0),
            "change_annotator": self.change_annotator,
            "shortcuts": self.show_shortcuts, "about": self.show_about,
            "refresh": lambda: self.refresh(announce=True),
            "merge": lambda: self.review.merge_dialog(), "span_history": lambda: self.review.show_history(),
            "review_mode": lambda on: self.review.set_review_mode(on),
            "accept": lambda: self.review.accept(), "reject": lambda: self.review.reject(),
            "reopen": lambda: self.review.reopen(),
            "next_item": lambda: self.review.step(1), "previous_item": lambda: self.review.step(-1),
            "compare": lambda: self.review.open_compare(),
            "adopt_a": lambda: self.review.adopt("a"), "adopt_b": lambda: self.review.adopt("b"),
            "agreement": lambda: self.review.show_agreement(), "verify": lambda: self.review.verify_log(),
            "delete_article": lambda: self.article_ops.delete_chosen(),
            "edit_labels": lambda: self.label_ops.edit_labels(),
            "guidelines": lambda on: self.label_ops.set_guidelines_visible(on),
            **self._suggestion_handlers(),
        }

    def _suggestion_handlers(self) -> dict:  # type: ignore[type-arg]
        g = self.suggestions
        return {
            "show_suggestions": g.set_shown, "suggestion_queue": g.set_queue_visible,
            "accept_suggestion": g.accept_in_pane, "reject_suggestion": g.reject_in_pane,
            "suggest_rules": lambda: g.suggest_with_rules(), "suggest_model": lambda: g.suggest_with_model(),
            "train_model": lambda: g.train(),
        }

    def _suggestion_dock_built(self, dock: QWidget) -> None:
        assert isinstance(dock, QDockWidget)
        dock.dockLocationChanged.connect(self.layout_state.changed)
        dock.visibilityChanged.connect(self.layout_state.changed)
        dock.closed.connect(lambda: self.actions["suggestion_queue"].setChecked(False))  # type: ignore[attr-defined]

    def _connect_signals(self) -> None:
        s = self.session
        s.changed.connect(self._on_change)
        s.storeChanged.connect(self._on_store_changed)
        s.articlesChanged.connect(self._reload_articles)
        s.labelsChanged.connect(self._reload_labels)
        s.saved.connect(self.status.show_saved)
        s.failed.connect(lambda message: self.show_error(message, unsaved=True))
        s.annotatorChanged.connect(self.status.set_annotator)
        s.undo_stack.canUndoChanged.connect(self.actions["undo"].setEnabled)
        s.undo_stack.canRedoChanged.connect(self.actions["redo"].setEnabled)
        s.undo_stack.undoTextChanged.connect(lambda text: self.actions["undo"].setText(f"&Undo {text}".strip()))
        s.undo_stack.redoTextChanged.connect(lambda text: self.actions["redo"].setText(f"&Redo {text}".strip()))
        self.status.annotatorClicked.connect(self.change_annotator)
        self.outside.changed.connect(self._on_outside_change)
        self.outside.annotatorChosen.connect(self._annotator_chosen_elsewhere)
        self.article_list.articleActivated.connect(self._open_from_list)
        self.annotations.annotationChosen.connect(self.show_annotation)
        self.panes.articleRequested.connect(lambda pane, article_id: self.open_article(article_id, pane))
        self.panes.spanClicked.connect(self._on_span_selected)
        self.panes.contextMenuWanted.connect(self._context_menu)
        self.panes.textSelected.connect(self.tagging.show_snapped)
        self.panes.layoutChanged.connect(self._reload_annotation_table)
        self.panes.layoutChanged.connect(self.layout_state.changed)
        self.panes.currentChanged.connect(self._on_current_pane)
        self.panes.currentChanged.connect(self.layout_state.changed)
        self.panes.scrolled.connect(self.layout_state.changed)
        for dock in (self.article_list, self.annotations):
            dock.dockLocationChanged.connect(self.layout_state.changed)
            dock.visibilityChanged.connect(self.layout_state.changed)
        self.tagging.message.connect(self.say)
        self.panes.message.connect(self.say)
        theme.on_change(self._on_theme)
        self.tagging.selectedChanged.connect(self._on_span_selected)
        self.linking.message.connect(self.say)
        self.panes.articleShown.connect(lambda _pane: self.linking.keep_shown(self.panes.open_article_ids()))
        self.panes.layoutChanged.connect(lambda: self.linking.keep_shown(self.panes.open_article_ids()))
        self.linking.sourceChanged.connect(self.status.show_link_source)
        self.linking.linked.connect(lambda uid: self._claims.linked(uid) if self._claims else None)
        s.claimsChanged.connect(self.panes.claims_changed)
        s.articleEdited.connect(self._on_article_edited)
        self.panes.detailsRequested.connect(
            lambda pane: self.claims.edit_article_details(pane.article.id if pane.article else None))
        self.suggestions.message.connect(self.say)
        self.suggestions.selectedSpan.connect(self._on_span_selected)
        self.suggestions.dockBuilt.connect(self._suggestion_dock_built)

    def add_side_dock(self, dock: QDockWidget) -> None:
        """A dock built on first use (review queue, comparison, claims, guidelines, suggestions): on the
        right, as a tab beside the docks already there.

        Stacked, their minimum heights added up to more than a 1000 px screen and grew the window.
        """
        side = [d for d in self.findChildren(QDockWidget)
                if d is not dock and self.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        if side:
            self.tabifyDockWidget(side[0], dock)

    def show_dock(self, dock: QDockWidget) -> None:
        """Show a dock the user asked for, in front of the docks it shares a tab set with.

        Shown again, a tabbed dock takes its old place behind the tab in front (the docks on the
        right edge are one tab set: add_side_dock): every way of showing a dock comes here.
        """
        dock.show()
        dock.raise_()

    @property
    def files(self) -> FileOperations:
        """Import and export, built on first use."""
        if self._files is None:
            from .file_ops import FileOperations

            self._files = FileOperations(self.session, self.settings, self)
            self._files.message.connect(self.say)
            self._files.failed.connect(self.show_error)
            self._files.wrote.connect(self.reload_after_write)
        return self._files

    @property
    def review(self) -> ReviewOperations:
        """The reviewer's tools, built on first use: most sessions never open them."""
        if self._review is None:
            from . import review_ops

            self._review = review_ops.ReviewOperations(self)
            self._review.message.connect(self.say)
            self.session.changed.connect(lambda _change: self._review.after_change())
            for dock in (self._review.queue, self._review.compare):
                dock.dockLocationChanged.connect(self.layout_state.changed)
                dock.visibilityChanged.connect(self.layout_state.changed)
        return self._review

    @property
    def claims(self) -> ClaimWorkspace:
        """The claims dock, the matrix and article details, built on first use."""
        if self._claims is None:
            from .claim_workspace import ClaimWorkspace

            self._claims = ClaimWorkspace(self)
            self._claims.message.connect(self.say)
            self._claims.dock.dockLocationChanged.connect(self.layout_state.changed)
            self._claims.dock.visibilityChanged.connect(self.layout_state.changed)
        return self._claims

    def _on_article_edited(self, article: Article) -> None:
        self.panes.article_edited(article)
        self._reload_articles()

    # Kept as names on the window: tests and the screenshot script read them.
    @property
    def saved_label(self) -> QLabel:
        return self.status.saved_label

    @property
    def annotator_button(self) -> QToolButton:
        return self.status.annotator_button

    @property
    def counts_label(self) -> QLabel:
        return self.status.counts_label

    # --------------------------------------------------------------- content

    def _show_title(self) -> None:
        path = self.session.store.path
        self.setWindowTitle(f"{one_line(path.name)} — annotator" if path is not None else "annotator")

    def _reload_labels(self) -> None:
        self._apply_styles()
        self._reload_articles()

    def _apply_styles(self) -> None:
        """The labels' looks (and keys) everywhere they show, without reloading any list."""
        self.styles = LabelStyles(self.session.store.labels())
        for action in self.label_actions:
            self.panes.removeAction(action)
            action.deleteLater()
        self.label_actions = []
        self.tag_menu.clear()
        for style in self.styles:
            # A key a label was given before the workspace took it (X, L) stays the workspace's: two actions
            # on one key would leave Qt to fire neither.
            key = style.label.shortcut if style.label.shortcut.upper() not in RESERVED_KEYS else ""
            action = self.actions.pane_action(self, menu_entry(style.name), key,
                                              lambda _c=False, name=style.name: self.tagging.tag(name))
            action.setIcon(label_icon(style))
            self.tag_menu.addAction(action)
            self.label_actions.append(action)
        self.label_bar.set_labels(self.styles, self.tagging.tag)
        if self._review is not None:
            self._review.queue.styles = self.styles
        self.annotations.set_styles(self.styles)
        for pane in self.panes.panes:
            pane.view.set_styles(self.styles)

    def _reload_articles(self) -> None:
        chosen = self.article_list.selected_article()
        self.article_model.reload(self.styles)
        if chosen is not None:
            self.article_list.select_article(chosen)
        self._reload_annotation_table()

    def _reload_annotation_table(self) -> None:
        open_articles: dict[int, str] = {}
        for pane in self.panes.panes:
            if pane.article is not None:
                open_articles.setdefault(pane.article.id, pane.article.title)
        self.annotation_model.set_articles(list(open_articles.items()), self.styles)
        self._update_counts()

    def spans_for(self, article_id: int) -> StoreSpans:
        return StoreSpans(self.session.store, article_id, self.hidden_annotators)

    def open_article(self, article_id: int, pane: ArticlePane | None = None,
                     spans: StoreSpans | None = None, *, announce: bool = True) -> ArticlePane | None:
        """Show the article in ``pane`` (else the empty or the active one). ``announce``: say so in the status
        bar; an article shown again (a reload after an import, a merge, F5) is not news, and would cover what is."""
        store = self.session.store
        try:
            article = store.article(article_id)
            text = store.article_text(article_id)
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return None
        pane = pane or self.panes.empty_or_current()
        pane.show_article(article, text, spans or self.spans_for(article_id), self.styles)
        self.suggestions.attach(pane, article_id)
        pane.set_caption("")
        self.panes.set_current(pane)
        self._reload_annotation_table()
        self.article_list.select_article(article_id)
        self.layout_state.changed()
        if announce:
            self.say(f"Opened “{article.title}”.")
        return pane

    def reload_panes(self) -> None:
        """Show every open article again from the store (after a merge, an import elsewhere, F5), the active pane
        still the active one."""
        current = self.panes.current
        for pane in self.panes.panes:
            if pane.article is not None:
                top = pane.view.top_offset()
                caption, shown = pane.caption, pane.view.spans
                # A pane showing some annotators only (a comparison's side) keeps showing just them.
                spans = (StoreSpans(self.session.store, pane.article.id, shown.hidden_annotators)
                         if caption and isinstance(shown, StoreSpans) else None)
                if self.open_article(pane.article.id, pane, spans=spans, announce=False) is not None and caption:
                    pane.set_caption(caption)
                pane.view.scroll_to_offset(top)
        if current in self.panes.panes:
            self.panes.set_current(current)
        self._reload_articles()

    def reload_after_write(self) -> None:
        """This process wrote in bulk on another connection (an import or a merge in a worker): show it all."""
        self.outside.rebase()
        self.refresh()

    def _on_outside_change(self) -> None:
        self.refresh()
        self.say("The database was changed by another program; the view is up to date.")

    def refresh(self, announce: bool = False) -> None:
        self._reload_labels()
        self.reload_panes()
        if announce:
            self.say("Refreshed from the database.")

    def _on_store_changed(self, store: Store) -> None:
        if self._review is not None:
            self._review.store_changed()  # before the panes are filled from the new database
        self.hidden_annotators.clear()
        self.outside.rebase()
        for pane in list(self.panes.panes):
            pane.clear()
        self._reload_labels()
        self.layout_state.restore()
        self._restore_review()
        self._show_title()
        self.status.show_nothing_pending()
        self._say_if_damaged()
        empty = " It has no articles yet: File > Import Files… or Load the Sample Articles." if (
            store.article_count() == 0) else ""
        self.say(f"Opened the database {store.path}" + (" (read-only)" if store.read_only else "") + "." + empty)

    def _fill_annotators_menu(self) -> None:
        self.annotators_menu.clear()
        names = self.session.store.annotators()
        if not names:
            self.annotators_menu.addAction("(nobody has tagged anything yet)").setEnabled(False)
        for name in names:
            action = self.annotators_menu.addAction(menu_entry(name))
            action.setCheckable(True)
            action.setChecked(name not in self.hidden_annotators)
            action.toggled.connect(lambda on, name=name: self.show_annotator(name, on))

    def show_annotator(self, name: str, visible: bool) -> None:
        """Show or hide one annotator's spans in every pane and in the annotations table."""
        (self.hidden_annotators.discard if visible else self.hidden_annotators.add)(name)
        for pane in self.panes.panes:
            if pane.article is not None and not pane.caption:
                pane.view.set_spans(self.spans_for(pane.article.id))
                pane.refresh_header()
        self.annotation_model.set_hidden(annotators=self.hidden_annotators)
        self._update_counts()
        self.say(f"{'Showing' if visible else 'Hiding'} {name}'s spans.")

    def show_annotation(self, article_id: int, uid: str) -> None:
        pane = self.panes.pane_showing(article_id) or self.open_article(article_id)
        if pane is None:
            return
        self.panes.set_current(pane)
        pane.view.select_span(uid, scroll=True)
        self._deselect_others(pane)
        self.linking.selected(pane, uid)
        pane.view.setFocus()

    def _on_change(self, change: Change) -> None:
        self._last_change = change
        self.panes.apply(change)
        self.article_model.apply(change)
        self.annotation_model.apply(change)
        self._update_counts()

    def _on_current_pane(self, pane: ArticlePane) -> None:
        if pane is not None and pane.article is not None:
            self.article_list.select_article(pane.article.id)
        self._update_counts()

    def _deselect_others(self, pane: ArticlePane) -> None:
        # One selected span in the whole window: the keys act on it, and the outline says which.
        for other in self.panes.panes:
            if other is not pane and other.view.selected_uid is not None:
                other.view.select_span(None, scroll=False)

    def _on_span_selected(self, pane: ArticlePane, uid: str) -> None:
        self.annotations.show_uid(uid or None)
        self.linking.selected(pane, uid)
        if uid:
            self._deselect_others(pane)
            a = pane.view.selected_span if pane.view.selected_uid == uid else pane.view.spans.get(uid)
            if a is not None:
                note = f" · note: {a.note}" if a.note else ""
                self.say(f"{a.label} · {a.annotator} · {a.status}{note} — E note, S resize, Del delete, "
                         "C next overlapping span, Tab next span, L link")

    def _update_counts(self) -> None:
        self.status.set_counts(len(set(self.panes.open_article_ids())), self.annotation_model.rowCount(),
                               self.article_model.total)

    # --------------------------------------------------------------- actions

    def undo(self) -> None:
        stack = self.session.undo_stack
        if stack.canUndo():
            text = stack.undoText()
            stack.undo()
            self.say(f"Undone: {text}{self._where_last_change()}.")

    def redo(self) -> None:
        stack = self.session.undo_stack
        if stack.canRedo():
            text = stack.redoText()
            stack.redo()
            self.say(f"Redone: {text}{self._where_last_change()}.")

    def _where_last_change(self) -> str:
        """Name the article when an undo or redo changed one that is not open."""
        change = self._last_change
        if change is None or change.article_id in self.panes.open_article_ids():
            return ""
        try:
            return f" in “{self.session.store.article(change.article_id).title}” (not open)"
        except AnnotatorError:
            return ""

    def _zoom(self, level: int) -> None:
        self.panes.set_zoom(level)
        self.say(f"Text size {12 + self.panes.zoom} pt" + (" (actual size)" if self.panes.zoom == 0 else "") + ".")

    def _set_sync(self, on: bool) -> None:
        self.panes.set_sync_scrolling(on)
        self.layout_state.changed()
        self.say("Panes scroll together." if on else "Panes scroll on their own.")

    def _add_pane(self) -> None:
        pane = self.panes.add_pane()
        self.panes.set_current(pane)

    def _close_pane(self) -> None:
        pane = self.panes.current
        if pane is not None:
            title = pane.article.title if pane.article else "the empty pane"
            self.panes.remove_pane(pane)
            self.say(f"Closed {excerpt(title, 60)}.")

    def _move_pane(self, delta: int) -> None:
        if self.panes.current is not None:
            self.panes.move_pane(self.panes.current, delta)

    def set_colour_scheme(self, scheme: str) -> None:
        """"system", "light" or "dark": applied at once, remembered with the window."""
        self.scheme.set(scheme)

    @property
    def colour_scheme(self) -> str:
        return self.scheme.choice

    def _on_theme(self, _theme: object) -> None:
        """Another colour scheme: every mark is drawn again in its colours; lists keep their place."""
        self._apply_styles()
        self.article_model.styles = self.styles
        self.annotation_model.styles = self.styles
        for pane in self.panes.panes:
            pane.theme_changed()
        self.focus.theme_changed()
        for table in (self.article_list.table, self.annotations.table):
            table.viewport().update()
        self.scheme.show()

    def _set_snap(self, on: bool) -> None:
        self.tagging.snap_words = on
        self.layout_state.changed()
        self.say("Selections snap to whole words." if on else "Selections are kept as selected (trimmed of spaces).")

    def _open_from_list(self, article_id: int) -> None:
        """Enter or a double-click in the list: the article opens in the active pane, the keyboard goes to its text."""
        pane = self.open_article(article_id)
        if pane is not None:
            pane.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_areas(self) -> list[QWidget]:
        """Where F6 takes the keyboard, in order: the article list, each open pane's text, the visible docks."""
        areas: list[QWidget] = []
        if self.article_list.isVisible():
            areas.append(self.article_list.table)
        areas += [p.view for p in self.panes.panes if p.article is not None]
        if self.annotations.isVisible():
            areas.append(self.annotations.table)
        if self._review is not None:
            areas += [dock.widget() for dock in (self._review.queue, self._review.compare) if dock.isVisible()]
        if self._claims is not None and self._claims.dock.isVisible():
            areas.append(self._claims.dock.tree)
        if self.suggestions.dock_built and self.suggestions.dock.isVisible():
            areas.append(self.suggestions.dock.table)
        return areas

    def _find_in_article(self, step: int) -> None:
        """Ctrl+F opens the active pane's find bar; F3 / Shift+F3 go to the next / previous match."""
        pane = self.panes.current
        if pane is None or pane.article is None:
            self.say("Open an article first: find searches the active pane's article.")
            return
        if step == 0:
            pane.find_bar.open_bar()
        else:
            pane.find_bar.step(step)

    def _find_article(self) -> None:
        self.show_dock(self.article_list)
        self.article_list.search.setFocus()
        self.article_list.search.selectAll()

    def _context_menu(self, pane: ArticlePane, pos: QPoint, hits: list[SpanRow]) -> None:
        self.panes.set_current(pane)
        menu = span_menu(self, pane, hits, styles=self.styles, label_actions=self.label_actions, actions=self.actions,
                         select=self._select_from_menu, relabel=self.tagging.tag,
                         show_claim=lambda uid: self.claims.reveal_claim(uid))
        self.suggestions.add_to_menu(menu, pane, pos)
        menu.popup(pos)

    def _select_from_menu(self, pane: ArticlePane, uid: str) -> None:
        pane.view.select_span(uid, scroll=False)
        self._on_span_selected(pane, uid)

    def change_annotator(self) -> None:
        from .dialogs import IdentityDialog

        dialog = IdentityDialog(self.session.annotator, first_time=False, parent=self)
        if dialog.exec():
            self.set_annotator(dialog.value())

    def set_annotator(self, name: str) -> None:
        try:
            name = set_annotator_name(name)
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return
        self.outside.saved_profile()
        self.session.set_annotator(name)
        self.say(f"Annotating as {name}.")

    def _annotator_chosen_elsewhere(self, name: str) -> None:
        """Another window saved a name: this one keeps its own, and says so rather than switch silently."""
        if name == self.session.annotator:
            return
        self.say(f"Another window chose the name “{name}”, which windows opened from now on use; this window"
                 f" still annotates as {self.session.annotator} (click the name to change it).")

    def open_database_dialog(self) -> None:
        self.databases.open_dialog()

    def switch_database(self, path: Path) -> bool:
        return self.databases.switch(path)

    def show_shortcuts(self) -> None:
        from .dialogs import ShortcutsDialog
        from .suggestion_dock import SHORTCUT_ROWS

        rows = self.actions.shortcut_rows([(f"Tag as {s.name} (select text first) / relabel the selected span",
                                            s.label.shortcut) for s in self.styles if s.label.shortcut],
                                          SHORTCUT_ROWS)
        ShortcutsDialog(rows, self).open()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        store = self.session.store
        QMessageBox.about(self, "About annotator",
                          f"<b>annotator {__version__}</b><br>Span annotation of news articles for fact-checkers."
                          f"<br><br>Database: {store.path or 'in memory'}<br>"
                          f"{store.article_count()} articles, {store.annotation_count()} annotations, "
                          f"{store.event_count()} audit events.")

    # --------------------------------------------------------------- messages

    def say(self, message: str) -> None:
        self.status.say(in_window(message))

    def _say_if_damaged(self) -> None:
        """A database found damaged when opened: said at once, and every edit will be refused (store.damaged)."""
        store = self.session.store
        if store.damaged is not None:
            self.show_error(f"The database {store.path} is damaged: {store.damaged}. It is open for reading only;"
                            f" nothing will be written to it. Run 'annotator verify --db {store.path}'.", unsaved=True)

    def show_error(self, message: str, *, unsaved: bool = False) -> None:
        """A failure: a dialog naming the problem (non-blocking), and the status bar says it too.

        ``unsaved``: an edit the database refused, which the "saved" indicator must admit.
        """
        message = in_window(message)   # the core's words name command-line flags; here, menus and boxes
        self.last_error = message
        self.status.say(message, 15000)
        if unsaved:
            self.status.show_unsaved(damaged=self.session.store.damaged is not None)
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "annotator", lines(message), QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)   # names and paths in it, not markup
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------ persistence

    def view_options(self) -> ViewOptions:
        # Hidden, not invisible: a dock behind another's tab is open, and comes back as a tab.
        reopen = self._dock_openers()
        open_docks = tuple(d.objectName() for d in self.findChildren(QDockWidget)
                           if d.objectName() in reopen and not d.isHidden())
        return ViewOptions(zoom=self.panes.zoom, sync_scrolling=self.panes.sync_scrolling,
                           snap_words=self.tagging.snap_words, colour_scheme=self.colour_scheme,
                           suggestions_shown=self.suggestions.shown, open_docks=open_docks)

    def _dock_openers(self) -> dict[str, Callable[[], object]]:
        """Each dock built on first use, by object name, and how a restart opens it again.

        The window state (``restoreState``) can place a dock only once it exists: these build
        the docks that were open, then the state puts them where they were. The review queue is
        not here: it follows reviewer mode, which belongs to each database (``_restore_review``).
        """
        return {
            "claimsDock": lambda: self.actions["claims_dock"].setChecked(True),
            "guidelinesDock": lambda: self.actions["guidelines"].setChecked(True),
            "suggestionDock": self.suggestions.restore_queue,
            "compareDock": lambda: self.review.open_compare(),
        }

    def workspace(self) -> Workspace:
        return self.layout_state.current()

    def apply_workspace(self, saved: Workspace | None) -> None:
        self.layout_state.apply(saved)
        self._reload_annotation_table()

    def restore_workspace(self) -> None:
        self.apply_workspace(self.settings.workspace(self.session.store.path))

    def save_state(self) -> None:
        self.layout_state.save()

    def restore_state(self) -> None:
        options = self.layout_state.restore_window()
        self.panes.set_zoom(options.zoom)
        self.actions["sync_scroll"].setChecked(options.sync_scrolling)
        self.actions["snap_words"].setChecked(options.snap_words)
        self.tagging.snap_words = options.snap_words
        self._show_suggestions(options.suggestions_shown)
        self.set_colour_scheme(options.colour_scheme)
        self.restore_workspace()
        # The docks below are built on first use, so the window state could not place them
        # above: build them, then let it place them.
        reviewing = self._restore_review()
        reopen = self._dock_openers()
        for name in options.open_docks:
            if name in reopen:
                reopen[name]()
        if reviewing or options.open_docks:
            self.layout_state.restore_docks()
        if self._review is not None:
            # The window state is the window's; the queue shows as reviewer mode is in this database.
            self._review.queue.setVisible(reviewing)

    def _review_state(self) -> ReviewState:
        return self._review.state() if self._review is not None else ReviewState()

    def _restore_review(self) -> bool:
        """Reviewer mode as the open database was left (it belongs to the database, like its panes)."""
        saved = self.settings.review_state(self.session.store.path)
        if saved.on or self._review is not None:
            self.review.resume(saved)
        return saved.on

    def _show_suggestions(self, shown: bool) -> None:
        """The saved choice, without the message the menu's toggle says."""
        action = self.actions["show_suggestions"]
        action.blockSignals(True)
        action.setChecked(shown)
        action.blockSignals(False)
        self.suggestions.shown = shown
        for pane in self.panes.panes:
            pane.view.ghosts.set_shown(shown)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        theme.off_change(self._on_theme)
        try:
            self.save_state()
        finally:
            super().closeEvent(event)
