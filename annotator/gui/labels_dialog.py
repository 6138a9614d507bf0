"""Edit > Labels…: add, rename, recolour, re-key, describe and delete labels.

Every Save or Delete is one session operation (one core change, one event,
one undo step); the core says what it refuses (a name taken, a key the
workspace uses) and the dialog shows that under the form, keeping what the
user typed. Ctrl+Z in the dialog undoes the last change, as in the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import AnnotatorError
from ..core.labels import RESERVED_KEYS, LabelChange
from ..core.model import Label, label_key
from ..core.store import Store
from ..core.words import count
from .label_bar import label_icon
from .label_style import LabelStyles
from .session import AnnotationSession
from .shown_text import lines, one_line

# New labels take the next colour of the Okabe-Ito palette not in use (colour-blind safe).
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#0072B2", "#F0E442", "#999999", "#000000")
NAME_ROLE = Qt.ItemDataRole.UserRole


def suggested_colour(labels: list[Label]) -> str:
    used = {label.colour.upper() for label in labels}
    return next((c for c in PALETTE if c not in used), PALETTE[len(labels) % len(PALETTE)])


def suggested_key(labels: list[Label]) -> str:
    used = {label.shortcut.upper() for label in labels}
    return next((k for k in "123456789" if k not in used), "")


def swatch(colour: str, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour) if QColor(colour).isValid() else QColor("#ffffff"))
    return QIcon(pixmap)


class LabelsDialog(QDialog):
    def __init__(self, session: AnnotationSession, undo: Callable[[], None], redo: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Labels")
        self.setObjectName("labelsDialog")
        self.editing: str | None = None   # the name of the label in the form; None: a new one

        body = QHBoxLayout()
        body.addLayout(self._list_side(), 2)
        body.addLayout(self._form_side(), 3)
        hint = QLabel("Each Save or Delete is one step of Edit > Undo (Ctrl+Z, here too). Renaming a label renames"
                      " it on every span; a label can be deleted once no span uses it.")
        hint.setWordWrap(True)
        hint.setObjectName("labelsHint")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(hint)
        layout.addWidget(close)

        for keys, slot in ((QKeySequence.StandardKey.Undo, undo), (QKeySequence.StandardKey.Redo, redo)):
            action = QAction(self)
            action.setShortcuts(QKeySequence.keyBindings(keys))
            action.triggered.connect(slot)
            self.addAction(action)

        session.labelsChanged.connect(self.refresh)
        self.resize(720, 440)
        self.refresh()

    def _list_side(self) -> QVBoxLayout:
        """The labels, with New and Delete (and the Delete key) under them."""
        self.list = QListWidget()
        self.list.setObjectName("labelList")
        self.list.currentItemChanged.connect(lambda item, _old: self._show(item))
        self.add_button = QPushButton("&New Label")
        self.add_button.setObjectName("newLabel")
        self.add_button.clicked.connect(self.new_label)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setObjectName("deleteLabel")
        self.delete_button.clicked.connect(self.delete_label)
        delete_key = QAction(self.list)
        delete_key.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.triggered.connect(self.delete_label)
        self.list.addAction(delete_key)

        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_button)
        buttons_row.addWidget(self.delete_button)
        left.addLayout(buttons_row)
        return left

    def _form_side(self) -> QVBoxLayout:
        """The chosen label, editable: name, colour, key and guideline, how many spans use it, Save."""
        self.name = QLineEdit()
        self.name.setObjectName("labelName")
        self.colour = QLineEdit()
        self.colour.setObjectName("labelColour")
        self.colour.setPlaceholderText("#RRGGBB")
        self.colour.setMaxLength(7)
        self.colour.textChanged.connect(self._show_swatch)
        self.pick = QToolButton()
        self.pick.setObjectName("pickColour")
        self.pick.setText("Choose…")
        self.pick.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.pick.clicked.connect(self._pick_colour)
        self.key = QLineEdit()
        self.key.setObjectName("labelKey")
        self.key.setMaxLength(1)
        self.key.setFixedWidth(48)
        self.key.setToolTip("One character: press it in a pane to tag the selected text. Not one of the"
                            f" workspace's own keys ({' '.join(sorted(RESERVED_KEYS))}).")
        self.description = QPlainTextEdit()
        self.description.setObjectName("labelDescription")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText("The guideline: what to tag with this label, and what not to.")
        self.use = QLabel()
        self.use.setObjectName("labelUse")
        self.error = QLabel()
        self.error.setObjectName("labelError")
        self.error.setWordWrap(True)
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("saveLabel")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)

        colour_row = QHBoxLayout()
        colour_row.setContentsMargins(0, 0, 0, 0)
        colour_row.addWidget(self.colour)
        colour_row.addWidget(self.pick)
        colour_row.addStretch(1)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        colour_label = QLabel("&Colour:")
        colour_label.setBuddy(self.colour)   # a row of two widgets has no buddy of its own
        form.addRow(colour_label, colour_row)
        form.addRow("&Key:", self.key)
        form.addRow("&Guideline:", self.description)
        self.heading = QLabel()
        self.heading.setObjectName("labelHeading")
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addLayout(form, 1)
        right.addWidget(self.use)
        right.addWidget(self.error)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        right.addLayout(save_row)
        return right

    @property
    def store(self) -> Store:
        return self.session.store

    # ------------------------------------------------------------ showing

    def refresh(self, select: str | None = None) -> None:
        """Reload the list (after any change, an undo included) and show ``select`` or the label shown before."""
        keep = select or (self.editing if self.editing is not None else None)
        labels = self.store.labels()
        styles = LabelStyles(labels)
        self.uses = self.store.label_use()
        self.list.blockSignals(True)
        self.list.clear()
        for style in styles:
            label = style.label
            item = QListWidgetItem(label_icon(style),
                                   one_line(label.name + (f"    {label.shortcut}" if label.shortcut else "")))
            item.setData(NAME_ROLE, label.name)
            item.setToolTip(lines(label.description))
            self.list.addItem(item)
        self.list.blockSignals(False)
        wanted = label_key(keep) if keep is not None else None
        row = next((i for i, label in enumerate(labels) if label_key(label.name) == wanted), 0 if labels else -1)
        if self.editing is None and select is None and self.name.text():
            return   # a new label being typed: keep it
        if row >= 0:
            self.list.setCurrentRow(row)
            self._show(self.list.item(row))
        else:
            self.new_label()

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        label = self.store.label(item.data(NAME_ROLE))
        self.editing = label.name
        self.heading.setText(f"Label “{label.name}”")
        self.name.setText(label.name)
        self.colour.setText(label.colour)
        self.key.setText(label.shortcut)
        self.description.setPlainText(label.description)
        used = self.uses.get(label.name, 0)
        self.use.setText(f"Used by {count(used, 'span')}." if used else "No span uses it yet.")
        self.delete_button.setEnabled(not used)
        self.delete_button.setToolTip("" if not used else f"Used by {count(used, 'span')}: relabel or delete"
                                                          " them first")
        self.error.clear()

    def _show_swatch(self, text: str) -> None:
        self.pick.setIcon(swatch(text))

    def _pick_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour.text() or "#ffffff"), self, "Label colour")
        if chosen.isValid():
            self.colour.setText(chosen.name().upper())

    # ------------------------------------------------------------ changing

    def new_label(self) -> None:
        """An empty form for a new label, with a free colour and key suggested."""
        labels = self.store.labels()
        self.editing = None
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.heading.setText("New label")
        self.name.clear()
        self.colour.setText(suggested_colour(labels))
        self.key.setText(suggested_key(labels))
        self.description.clear()
        self.use.setText("")
        self.delete_button.setEnabled(False)
        self.error.clear()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        name, colour, key = self.name.text(), self.colour.text(), self.key.text()
        description = self.description.toPlainText()
        editing = self.editing

        def operation(store: Store, actor: str) -> LabelChange:
            if editing is None:
                return store.create_label(name, colour, key, description, actor=actor)
            return store.edit_label(editing, new_name=name, colour=colour, shortcut=key, description=description,
                                    actor=actor)

        self._change(operation, name)

    def delete_label(self) -> None:
        if self.editing is None or self.uses.get(self.editing, 0):
            return
        editing = self.editing
        row = self.list.currentRow()
        self.editing = None
        if self._change(lambda store, actor: store.delete_label(editing, actor=actor), None):
            labels = self.store.labels()
            if labels:
                self.refresh(labels[min(row, len(labels) - 1)].name)
            self.error.setText("")
        else:
            self.editing = editing

    def _change(self, operation: Callable[[Store, str], LabelChange], select: str | None) -> bool:
        try:
            change = self.session.change_labels(operation)
        except AnnotatorError as exc:
            self.error.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return False
        if change.empty:
            self.error.setText("Nothing to save: the label is as it was.")
            return True
        added = change.labels_added[0].name if change.labels_added else None
        edited = change.labels_edited[0][1].name if change.labels_edited else None
        if added or edited or select:
            self.editing = added or edited or select
            self.refresh(self.editing)
        return True
