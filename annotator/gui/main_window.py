"""The main window: assembles the panes, docks, toolbar and menus, and wires their signals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QToolButton

from .. import __version__
from ..core.errors import AnnotatorError
from ..core.profile import set_annotator_name
from ..core.spans import excerpt
from ..core.store import SpanRow, Store
from .actions import Actions
from .annotations_dock import AnnotationsDock
from .article_list import ArticleListDock
from .article_pane import ArticlePane
from .highlighter import StoreSpans
from .label_bar import LabelBar, label_icon
from .label_style import LabelStyles
from .models import AnnotationTableModel, ArticleListModel
from .pane_area import PaneArea
from .session import AnnotationSession, Change
from .settings import ViewOptions, WindowSettings, Workspace
from .tagging import TaggingController

if TYPE_CHECKING:
    from .file_ops import FileOperations
    from .review_ops import ReviewOperations

# Dialogs, and the Qt classes only they use, are imported where they open: every
# Qt class touched before the first paint costs start-up time (shiboken builds the
# class and its Python enums on first use).

# The pair a first start opens side by side: the Bloomberg-based report and the Kremlin's denial.
FIRST_START_SEEDS = ("002_cad9066ba476337a.txt", "000_2fd0f5c64ad6bf09.txt")


class MainWindow(QMainWindow):
    def __init__(self, store: Store, annotator: str, settings: WindowSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("annotator")
        self.settings = settings or WindowSettings()
        self.session = AnnotationSession(store, annotator, self)
        self.styles = LabelStyles(store.labels())
        self.last_error = ""
        self.hidden_annotators: set[str] = set()
        self._last_change: Change | None = None

        self.panes = PaneArea()
        self.panes.setObjectName("paneArea")
        self.setCentralWidget(self.panes)
        self.article_model = ArticleListModel(self.styles)
        self.annotation_model = AnnotationTableModel(lambda: self.session.store, self.styles)
        self.article_list = ArticleListDock(
            self.article_model, lambda needle: self.session.store.search_articles(needle), self)
        self.annotations = AnnotationsDock(self.annotation_model, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.article_list)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.annotations)
        self.label_bar = LabelBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.label_bar)
        # first-start sizes; a saved layout replaces them
        self.resizeDocks([self.article_list], [420], Qt.Orientation.Horizontal)
        self.resizeDocks([self.annotations], [210], Qt.Orientation.Vertical)

        self.tagging = TaggingController(self.session, self.panes, self)
        self._files: FileOperations | None = None
        self.actions = Actions(self, self.panes, self._handlers())
        self.menus = self.actions.fill_menus(self.menuBar())
        self._review: ReviewOperations | None = None
        self.annotators_menu = QMenu("Show &Annotators", self)
        self.annotators_menu.aboutToShow.connect(self._fill_annotators_menu)
        self.menus["View"].insertMenu(self.actions["zoom_in"], self.annotators_menu)
        self.menus["View"].addSeparator()
        for dock in (self.article_list, self.annotations):
            self.menus["View"].addAction(dock.toggleViewAction())
        self.tag_menu = QMenu("&Tag Selection As", self)
        self.menus["Edit"].insertMenu(self.actions["edit_note"], self.tag_menu)
        self.label_actions: list[QAction] = []
        self.actions["undo"].setEnabled(False)
        self.actions["redo"].setEnabled(False)

        self._build_status_bar()
        self._connect_signals()
        # Another program writing to this file (annotator import, merge) shows up here.
        self._data_version = store.data_version()
        self._watch = QTimer(self)
        self._watch.setInterval(1500)
        self._watch.timeout.connect(self._check_outside_changes)
        self._watch.start()
        self._reload_labels()
        self._reload_articles()

    # ---------------------------------------------------------------- wiring

    def _handlers(self) -> dict:  # type: ignore[type-arg]
        t = self.tagging
        return {
            "import_files": lambda: self.files.import_files(), "import_folder": lambda: self.files.import_folder(),
            "load_samples": lambda: self.files.load_samples(),
            "export": lambda: self.files.export(self.panes.open_article_ids()),
            "open_database": self.open_database_dialog, "quit": self.close,
            "undo": self.undo, "redo": self.redo,
            "edit_note": t.edit_note, "resize_span": t.resize, "delete_span": t.delete,
            "cycle_span": t.cycle, "deselect": t.deselect,
            "snap_words": self._set_snap, "find_article": self._find_article,
            "add_pane": self._add_pane, "close_pane": self._close_pane,
            "pane_left": lambda: self._move_pane(-1), "pane_right": lambda: self._move_pane(1),
            "sync_scroll": self._set_sync,
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
        }

    def _connect_signals(self) -> None:
        s = self.session
        s.changed.connect(self._on_change)
        s.articlesChanged.connect(self._reload_articles)
        s.labelsChanged.connect(self._reload_labels)
        s.saved.connect(self._on_saved)
        s.failed.connect(lambda message: self.show_error(message, unsaved=True))
        s.annotatorChanged.connect(self._show_annotator)
        s.undo_stack.canUndoChanged.connect(self.actions["undo"].setEnabled)
        s.undo_stack.canRedoChanged.connect(self.actions["redo"].setEnabled)
        s.undo_stack.undoTextChanged.connect(lambda text: self.actions["undo"].setText(f"&Undo {text}".strip()))
        s.undo_stack.redoTextChanged.connect(lambda text: self.actions["redo"].setText(f"&Redo {text}".strip()))
        self.article_list.articleActivated.connect(lambda article_id: self.open_article(article_id))
        self.annotations.annotationChosen.connect(self.show_annotation)
        self.panes.articleRequested.connect(lambda pane, article_id: self.open_article(article_id, pane))
        self.panes.spanClicked.connect(self._on_span_selected)
        self.panes.contextMenuWanted.connect(self._context_menu)
        self.panes.textSelected.connect(self.tagging.show_snapped)
        self.panes.layoutChanged.connect(self._reload_annotation_table)
        self.panes.currentChanged.connect(self._on_current_pane)
        self.tagging.message.connect(self.say)
        self.tagging.selectedChanged.connect(self._on_span_selected)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.annotator_button = QToolButton()
        self.annotator_button.setObjectName("annotatorButton")
        self.annotator_button.setAutoRaise(True)
        self.annotator_button.setToolTip("Who is annotating (click to change)")
        self.annotator_button.clicked.connect(self.change_annotator)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.saved_label = QLabel("All changes saved")
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setToolTip("Every action is committed to the database at once; there is no Save button.")
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.saved_label)
        bar.addPermanentWidget(self.annotator_button)
        self._show_annotator(self.session.annotator)

    @property
    def files(self) -> FileOperations:
        """Import and export, built on first use."""
        if self._files is None:
            from .file_ops import FileOperations

            self._files = FileOperations(self.session, self)
            self._files.message.connect(self.say)
        return self._files

    @property
    def review(self) -> ReviewOperations:
        """The reviewer's tools, built on first use: most sessions never open them."""
        if self._review is None:
            from . import review_ops

            self._review = review_ops.ReviewOperations(self)
            self._review.message.connect(self.say)
            self.session.changed.connect(lambda _change: self._review.after_change())
        return self._review

    # --------------------------------------------------------------- content

    def _reload_labels(self) -> None:
        self.styles = LabelStyles(self.session.store.labels())
        for action in self.label_actions:
            self.panes.removeAction(action)
            action.deleteLater()
        self.label_actions = []
        self.tag_menu.clear()
        for style in self.styles:
            action = self.actions.pane_action(self, f"{style.name}", style.label.shortcut,
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
        self._reload_articles()

    def _reload_articles(self) -> None:
        self.article_model.set_rows(self.session.store.articles_with_counts(), self.styles)
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
                     spans: StoreSpans | None = None) -> ArticlePane | None:
        store = self.session.store
        try:
            article = store.article(article_id)
            text = store.article_text(article_id)
        except AnnotatorError as exc:
            self.show_error(str(exc))
            return None
        pane = pane or self.panes.empty_or_current()
        pane.show_article(article, text, spans or self.spans_for(article_id), self.styles)
        pane.set_caption("")
        self.panes.set_current(pane)
        self._reload_annotation_table()
        self.article_list.select_article(article_id)
        self.say(f"Opened “{article.title}”.")
        return pane

    def reload_panes(self) -> None:
        """Show every open article again from the store (after a merge or a database switch)."""
        for pane in self.panes.panes:
            if pane.article is not None:
                top = pane.view.top_offset()
                self.open_article(pane.article.id, pane)
                pane.view.scroll_to_offset(top)
        self._reload_articles()

    def _check_outside_changes(self) -> None:
        try:
            version = self.session.store.data_version()
        except Exception:  # a closed or vanished database: the next action reports it
            return
        if version != self._data_version:
            self._data_version = version
            self.refresh()
            self.say("The database was changed by another program; the view is up to date.")

    def refresh(self, announce: bool = False) -> None:
        self._reload_labels()
        self.reload_panes()
        if announce:
            self.say("Refreshed from the database.")

    def _fill_annotators_menu(self) -> None:
        self.annotators_menu.clear()
        names = self.session.store.annotators()
        if not names:
            self.annotators_menu.addAction("(nobody has tagged anything yet)").setEnabled(False)
        for name in names:
            action = self.annotators_menu.addAction(name)
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
        if uid:
            self._deselect_others(pane)
            a = pane.view.selected_span if pane.view.selected_uid == uid else pane.view.spans.get(uid)
            if a is not None:
                note = f" · note: {a.note}" if a.note else ""
                self.say(f"{a.label} · {a.annotator} · {a.status}{note} — E note, S resize, Del delete, "
                         "C next overlapping span")

    def _update_counts(self) -> None:
        open_count = len(set(self.panes.open_article_ids()))
        spans = self.annotation_model.rowCount()
        self.counts_label.setText(f"{open_count} open · {spans} spans · {self.article_model.rowCount()} articles")

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

    def _set_snap(self, on: bool) -> None:
        self.tagging.snap_words = on
        self.say("Selections snap to whole words." if on else "Selections are kept as selected (trimmed of spaces).")

    def _find_article(self) -> None:
        self.article_list.show()
        self.article_list.search.setFocus()
        self.article_list.search.selectAll()

    def _context_menu(self, pane: ArticlePane, pos: QPoint, hits: list[SpanRow]) -> None:
        self.panes.set_current(pane)
        menu = QMenu(self)
        tag = menu.addMenu("Tag Selection As")
        tag.setEnabled(pane.view.selection() is not None)
        for action in self.label_actions:
            tag.addAction(action)
        if hits:
            menu.addSeparator()
            for a in hits[:6]:
                quote = excerpt(pane.view.text[a.start:a.end])
                item = menu.addAction(label_icon(self.styles.get(a.label)), f"Select {a.label}: “{quote}”")
                item.triggered.connect(lambda _c=False, uid=a.uid: self._select_from_menu(pane, uid))
        selected = pane.view.selected_span
        if selected is not None:
            menu.addSeparator()
            quote = excerpt(pane.view.text[selected.start:selected.end])
            heading = menu.addAction(label_icon(self.styles.get(selected.label)),
                                     f"Selected: {selected.label} “{quote}”")
            heading.setEnabled(False)
            relabel = menu.addMenu("Change Label To")
            for style in self.styles:
                item = relabel.addAction(label_icon(style), style.name)
                item.triggered.connect(lambda _c=False, name=style.name: self.tagging.tag(name))
            for action_id in ("edit_note", "resize_span", "delete_span"):
                menu.addAction(self.actions[action_id])
        menu.addSeparator()
        menu.addAction(self.actions["cycle_span"])
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
        self.session.set_annotator(name)
        self.say(f"Annotating as {name}.")

    def _show_annotator(self, name: str) -> None:
        self.annotator_button.setText(f"Annotator: {name}")

    def open_database_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        current = self.session.store.path
        name, _ = QFileDialog.getOpenFileName(
            self, "Open or create a database", str(current.parent if current else Path.home()),
            "Annotator databases (*.db *.sqlite *.sqlite3);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)
        if name:
            self.switch_database(Path(name))

    def switch_database(self, path: Path) -> bool:
        try:
            store = Store.open(path)
        except AnnotatorError as exc:
            self.show_error(f"Could not open {path}: {exc}")
            return False
        self.save_state()
        old = self.session.store
        self.session.store = store
        self.session.undo_stack.clear()
        old.close()
        self.hidden_annotators.clear()
        if self._review is not None:
            self._review.compare.stop()
        for pane in list(self.panes.panes):
            pane.clear()
        self._reload_labels()
        self.restore_workspace()
        if self._review is not None and self._review.queue.isVisible():
            self._review.queue.use_store()
        self.setWindowTitle(f"annotator — {path.name}")
        self.say(f"Opened the database {path}" + (" (read-only)" if store.read_only else "") + ".")
        return True

    def show_shortcuts(self) -> None:
        from .dialogs import ShortcutsDialog

        rows = self.actions.shortcut_rows([(f"Tag as {s.name} (select text first) / relabel the selected span",
                                            s.label.shortcut) for s in self.styles if s.label.shortcut])
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
        self.statusBar().showMessage(message, 8000)

    def _on_saved(self, message: str) -> None:
        self.saved_label.setText(f"✓ {message}")
        self.saved_label.setStyleSheet("")

    def show_error(self, message: str, *, unsaved: bool = False) -> None:
        """A failure: a dialog naming the problem (non-blocking), and the status bar says it too.

        ``unsaved``: an edit the database refused, which the "saved" indicator must admit.
        """
        self.last_error = message
        self.statusBar().showMessage(message, 15000)
        if unsaved:
            self.saved_label.setText("⚠ Last action not saved")
            self.saved_label.setStyleSheet("color: #b3261e; font-weight: 600;")
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "annotator", message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------ persistence

    def view_options(self) -> ViewOptions:
        return ViewOptions(zoom=self.panes.zoom, sync_scrolling=self.panes.sync_scrolling,
                           snap_words=self.tagging.snap_words,
                           review_mode=self.actions["review_mode"].isChecked())

    def workspace(self) -> Workspace:
        return Workspace(
            articles=[p.article.uid if p.article else "" for p in self.panes.panes],
            scroll=[p.view.top_offset() for p in self.panes.panes],
            current=self.panes.panes.index(self.panes.current) if self.panes.current in self.panes.panes else 0,
        )

    def save_state(self) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.save_options(self.view_options())
        self.settings.save_workspace(self.session.store.path, self.workspace())

    def restore_state(self) -> None:
        geometry, state = self.settings.window()
        if geometry is not None:
            self.restoreGeometry(geometry)
        elif self.screen() is not None:
            # first start: most of the screen, centred, rather than Qt's small default
            area = self.screen().availableGeometry()
            self.resize(int(area.width() * 0.88), int(area.height() * 0.88))
            self.move(area.center() - self.rect().center())
        if state is not None:
            self.restoreState(state)
        options = self.settings.options()
        self.panes.set_zoom(options.zoom)
        self.actions["sync_scroll"].setChecked(options.sync_scrolling)
        self.actions["snap_words"].setChecked(options.snap_words)
        self.tagging.snap_words = options.snap_words
        self.restore_workspace()
        if options.review_mode:
            # The reviewer's docks are built on first use, so the window state could not place
            # them above: build them, then let it place them.
            self.actions["review_mode"].setChecked(True)
            if state is not None:
                self.restoreState(state)

    def restore_workspace(self) -> None:
        """The panes as they were when this database was last open (or the first-start pair)."""
        self.apply_workspace(self.settings.workspace(self.session.store.path))

    def apply_workspace(self, saved: Workspace | None) -> None:
        store = self.session.store
        uids = saved.articles if saved else self._first_start_articles()
        while len(self.panes.panes) < max(2, len(uids)):
            self.panes.add_pane()
        while len(self.panes.panes) > max(2, len(uids)):
            self.panes.remove_pane(self.panes.panes[-1])
        for i, uid in enumerate(uids):
            article = store.article_by_uid(uid) if uid else None
            pane = self.panes.panes[i]
            if article is None:
                pane.clear()
                continue
            self.open_article(article.id, pane)
        if saved:
            # scroll once the panes have their final size, so the same text is at the top
            QTimer.singleShot(0, lambda: self._restore_scroll(saved))
            if 0 <= saved.current < len(self.panes.panes):
                self.panes.set_current(self.panes.panes[saved.current])
        elif self.panes.panes:
            self.panes.set_current(self.panes.panes[0])
        self._reload_annotation_table()
        if self.panes.current is not None and self.panes.current.article is not None:
            self.panes.current.view.setFocus()

    def _restore_scroll(self, saved: Workspace) -> None:
        for pane, offset in zip(self.panes.panes, saved.scroll, strict=False):
            if pane.article is not None:
                pane.view.scroll_to_offset(offset)

    def _first_start_articles(self) -> list[str]:
        articles = self.session.store.articles()
        by_origin = {a.origin: a.uid for a in articles}
        if all(name in by_origin for name in FIRST_START_SEEDS):
            return [by_origin[name] for name in FIRST_START_SEEDS]
        return [a.uid for a in articles[:2]]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        try:
            self.save_state()
        finally:
            super().closeEvent(event)

