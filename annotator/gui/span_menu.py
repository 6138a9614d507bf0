"""The right-click menu of a pane: tag the selection, pick one of the spans under the pointer, edit the selected one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from ..core.spans import excerpt, quoted
from ..core.store import SpanRow
from .actions import Actions
from .article_pane import ArticlePane
from .label_bar import label_icon
from .label_style import LabelStyles
from .shown_text import menu_entry

MAX_LISTED = 6


def span_menu(parent: QWidget, pane: ArticlePane, hits: Sequence[SpanRow], *, styles: LabelStyles,
              label_actions: Sequence[QAction], actions: Actions, select: Callable[[ArticlePane, str], None],
              relabel: Callable[[str], None], show_claim: Callable[[str], None] | None = None) -> QMenu:
    """The menu for a right-click in ``pane`` over ``hits`` (the spans under the pointer).

    ``show_claim`` opens a claim of the selected span in the claims dock.
    """
    menu = QMenu(parent)
    tag = menu.addMenu("Tag Selection As")
    tag.setEnabled(pane.view.selection() is not None)
    for action in label_actions:
        tag.addAction(action)
    if hits:
        menu.addSeparator()
        for a in hits[:MAX_LISTED]:
            quote = excerpt(pane.view.text[a.start:a.end])
            item = menu.addAction(label_icon(styles.get(a.label)), menu_entry(f"Select {a.label}: “{quote}”"))
            item.triggered.connect(lambda _c=False, uid=a.uid: select(pane, uid))
    selected = pane.view.selected_span
    if selected is not None:
        menu.addSeparator()
        quote = excerpt(pane.view.text[selected.start:selected.end])
        heading = menu.addAction(label_icon(styles.get(selected.label)),
                                 menu_entry(f"Selected: {selected.label} “{quote}”"))
        heading.setEnabled(False)
        change = menu.addMenu("Change Label To")
        for style in styles:
            item = change.addAction(label_icon(style), menu_entry(style.name))
            item.triggered.connect(lambda _c=False, name=style.name: relabel(name))
        for action_id in ("edit_note", "resize_span", "delete_span"):
            menu.addAction(actions[action_id])
        menu.addSeparator()
        menu.addAction(actions["link_spans"])
        for mark in pane.view.claim_gutter.marks_of(selected.uid, selected.start, selected.end):
            item = menu.addAction(menu_entry(f"Show Claim #{mark.number} {quoted(mark.summary, 40)} ({mark.role})"))
            item.setEnabled(show_claim is not None)
            if show_claim is not None:
                item.triggered.connect(lambda _c=False, uid=mark.claim_uid: show_claim(uid))
    menu.addSeparator()
    menu.addAction(actions["cycle_span"])
    return menu


