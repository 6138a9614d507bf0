"""Deleting an article from the workspace: which one, the confirmation, and the panes that showed it.

The article list's context menu, Del in the list and Edit > Delete Article…
all come here. The deletion itself is one session operation (the core deletes
the spans and their links with it, and undo brings everything back); this
room empties the panes that showed the article and, on undo, shows it there
again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu, QMessageBox

from ..core.articles import ArticleChange
from ..core.errors import AnnotatorError
from ..core.spans import excerpt, quoted
from ..core.words import count
from .models import ID_ROLE
from .shown_text import one_line

if TYPE_CHECKING:
    from .article_pane import ArticlePane
    from .main_window import MainWindow


class ArticleOperations(QObject):
    message = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.confirmation: QMessageBox | None = None
        self._emptied: dict[str, list[ArticlePane]] = {}   # article uid -> the panes its deletion emptied
        table = window.article_list.table
        window.actions.extend_scope("articles", table)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        window.session.articlesRemoved.connect(self._removed)
        window.session.articlesRestored.connect(self._restored)

    def chosen_article(self) -> int | None:
        """The article selected in the list, else the active pane's."""
        chosen = self.window.article_list.selected_article()
        if chosen is not None:
            return int(chosen)
        pane = self.window.panes.current
        return pane.article.id if pane is not None and pane.article is not None else None

    def delete_chosen(self) -> None:
        article_id = self.chosen_article()
        if article_id is None:
            self.message.emit("Choose an article in the list first: Del deletes the article chosen there.")
            return
        self.confirm_delete(article_id)

    def confirm_delete(self, article_id: int) -> None:
        """Ask, naming what goes with the article; delete it if the user agrees."""
        store = self.window.session.store
        try:
            content = store.article_content(article_id)
        except AnnotatorError as exc:
            self.window.show_error(str(exc))
            return
        goes = [count(len(content.spans), "span")] if content.spans else []
        if content.links:
            goes.append(count(len(content.links), "link") + " to claims")
        if content.rejections:
            goes.append(count(len(content.rejections), "rejected suggestion"))
        what = f"Its {_joined(goes)} go with it." if goes else "No span is tagged in it."
        box = QMessageBox(QMessageBox.Icon.Question, "Delete article",
                          f"Delete “{one_line(excerpt(content.article.title, 80))}”?",
                          QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("deleteArticleBox")
        box.setInformativeText(f"{what} Edit > Undo (Ctrl+Z) brings everything back.")
        delete = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
        delete.setObjectName("deleteArticle")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._answered(box.clickedButton() is delete, article_id))
        self.confirmation = box
        box.open()

    def _answered(self, yes: bool, article_id: int) -> None:
        self.confirmation = None
        if not yes:
            return
        change = self.window.session.delete_article(article_id)
        if change is not None:
            content = change.articles_removed[0]
            self.message.emit(f"Deleted {quoted(content.article.title, 60)} with"
                              f" {count(len(content.spans), 'span')}; Ctrl+Z brings it back.")
            self.window.article_list.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _context_menu(self, pos: QPoint) -> None:
        table = self.window.article_list.table
        index = table.indexAt(pos)
        if not index.isValid() or index.data(ID_ROLE) is None:
            return
        table.selectRow(index.row())
        menu = QMenu(table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        article_id = int(index.data(ID_ROLE))
        menu.addAction("&Open", lambda: self.window.article_list.articleActivated.emit(article_id))
        menu.addAction("Article &Details…", lambda: self.window.claims.edit_article_details(article_id))
        menu.addSeparator()
        menu.addAction(self.window.actions["delete_article"])
        menu.popup(table.viewport().mapToGlobal(pos))

    def _removed(self, change: ArticleChange) -> None:
        """Empty every pane that shows a deleted article, remembering where it was."""
        for content in change.articles_removed:
            panes = [p for p in self.window.panes.panes if p.article is not None and p.article.id == content.article.id]
            for pane in panes:
                pane.clear()
            self._emptied[content.article.uid] = panes
        self.window.layout_state.changed()

    def _restored(self, change: ArticleChange) -> None:
        """Show a restored article again in the panes its deletion emptied (those still empty)."""
        for content in change.articles_added:
            for pane in self._emptied.pop(content.article.uid, []):
                if pane in self.window.panes.panes and pane.article is None:
                    self.window.open_article(content.article.id, pane)


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
