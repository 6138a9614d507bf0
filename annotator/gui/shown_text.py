"""User data on its way to the screen as a line of text: characters that steer how a line is drawn are shown,
not obeyed.

Titles, sources, label and annotator names, notes, claims and file names come
from files anyone can write. Shown raw, a right-to-left override (U+202E) makes
"evil‮txt.exe" read "evilexe.txt", an isolate or an embedding reorders the words
around it, a zero width space passes one name for another, and a control
character draws a box or nothing. Every single-line place the window shows such
data (item models, window titles, menus, combo boxes, status messages, dialogs)
passes it through ``one_line``, the command line's ``printable``: the character
is written as its escape (``\\u202e``), so the line reads in the order it holds.
A line break (a note of two lines) is not a steering character but the end of a
line: in one line it shows as `` ⏎ ``, which reads as a break, not as a bug.

The article text in the panes is not touched: its offsets index it exactly as
stored, and a reader needs its right-to-left paragraphs as written.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from ..core.terminal import printable, printable_lines

F = TypeVar("F", bound=Callable[..., Any])


_BREAKS = re.compile(r"[ \t]*(?:(?:\r\n|[\n\r\u2028\u2029])[ \t]*)+")
LINE_BREAK = " ⏎ "


def one_line(text: str) -> str:
    """``text`` as one line of the window: its line breaks as `` ⏎ ``, every other control, bidi and
    invisible character as its escape."""
    return printable(_BREAKS.sub(LINE_BREAK, text))


class ShownLines(str):
    """Lines each passed through ``one_line``, meant to be shown one under the other (a two-line header):
    ``shown_roles`` lets its line breaks through."""


def shown_lines(*parts: str) -> ShownLines:
    return ShownLines("\n".join(one_line(part) for part in parts))


def lines(text: str) -> str:
    """Like ``one_line``, but its line breaks stay line breaks: for tooltips and message boxes."""
    return printable_lines(text)


def shown_roles(method: F) -> F:
    """For an item model's ``data`` and ``headerData``: the text it gives a view passes through ``one_line``
    (``lines`` for a tooltip). Edit and sort roles keep the data as stored: an edit starts from the real text.

    Qt passes the role last; called from Python with no role, it is the display role.
    """
    display, tooltip = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
    positional = method.__code__.co_argcount - 1   # the arguments after self, the role last

    @functools.wraps(method)
    def shown(self: object, *args: Any, **kwargs: Any) -> Any:
        value = method(self, *args, **kwargs)
        if not isinstance(value, str) or isinstance(value, ShownLines):
            return value
        role = kwargs.get("role", args[positional - 1] if len(args) >= positional else display)
        if role == display:
            return one_line(value)
        if role == tooltip:
            return lines(value)
        return value

    return shown  # type: ignore[return-value]


def html_line(text: str) -> str:
    """``one_line`` for a rich-text label: escaped for HTML as well."""
    return html.escape(one_line(text))


def menu_entry(text: str) -> str:
    """``one_line`` for the text of a menu item, button or check box, where "&" marks the access key:
    a name's own "&" (a label "R&D") is shown, not taken for one."""
    return one_line(text).replace("&", "&&")


def name_box(name: str) -> QCheckBox:
    """A check box for a name from the data (a label, an annotator): shown by ``menu_entry``, the name kept
    as it is stored for ``box_name``."""
    box = QCheckBox(menu_entry(name))
    box.setProperty("shownName", name)
    return box


def box_name(box: QCheckBox) -> str:
    return str(box.property("shownName"))
