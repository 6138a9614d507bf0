"""The label set and the guidelines: what a label's colour and key may be, and what a change did.

A label is a name, a colour, a key and a description; the description is the
annotation guideline for that label. The project's own guidelines, a Markdown
text, sit beside them. Names follow ``model.check_label_name`` and are one
label however they are typed (``model.label_key``: NFC, case folding).

Every change to labels or guidelines goes through the store, one transaction
and one event per label it touches. An operation returns a ``LabelChange``:
what it added, removed and edited, so that an undo is
``apply_label_change(change.inverse())`` and a redo ``apply_label_change(change)``.

Spans hold their label by id: renaming a label renames it on every span at
once, with one event (``audit.LabelNames`` follows renames through the log).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import LabelError
from .model import Label
from .words import count

if TYPE_CHECKING:
    from .suggestions import Cue, Suggestion

# The workspace's own single-key shortcuts (gui/actions.py SPECS): a label key
# must not shadow one. E note, S resize, C cycle, H history, A accept, R reject,
# U pending, N/J next, P/K previous, [ ] adopt a side, L link spans to a claim,
# X reject a suggestion.
# tests/gui/test_labels_gui.py fails when SPECS gains a single key not listed here.
RESERVED_KEYS: frozenset[str] = frozenset("ESCHARUNJPKLX[]")

GUIDELINES_SETTING = "guidelines"
"""The settings row holding the project's guidelines (Markdown)."""

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")

EXTRA_COLOURS: tuple[str, ...] = ("#CC79A7", "#D55E00", "#0072B2", "#F0E442", "#999999", "#000000")
"""Colours for labels made without one (an import): the rest of the Okabe-Ito palette."""


def check_colour(colour: object) -> str:
    """A colour as ``#RRGGBB``, upper-cased; LabelError otherwise."""
    if not isinstance(colour, str) or not _COLOUR.fullmatch(colour.strip()):
        raise LabelError(f"the colour {colour!r} is not #RRGGBB (six hexadecimal digits, such as #E69F00)")
    return colour.strip().upper()


def check_shortcut(key: object) -> str:
    """A label's key: one visible character, not one of the workspace's own keys ("" for none).

    Letters are stored upper-case, as Qt shows them (pressing the key with or without Shift is the same key).
    """
    if key is None:
        return ""
    if not isinstance(key, str):
        raise LabelError(f"a key is one character, not {type(key).__name__}")
    key = key.strip()
    if not key:
        return ""
    if len(key) != 1 or unicodedata.category(key)[0] in "CZ":
        raise LabelError(f"the key {key!r} is not one visible character (a digit or a letter, say)")
    key = key.upper()
    if key in RESERVED_KEYS:
        raise LabelError(f"the key {key!r} is taken by the workspace itself"
                         f" (its own keys: {' '.join(sorted(RESERVED_KEYS))})")
    return key


def shortcut_key(key: str) -> str:
    """What two keys must share to be the same key."""
    return key.strip().casefold()


GUIDELINES_LIMIT = 256 * 1024
"""The most characters a guidelines text (or a label's description) holds, and bytes a guidelines file.

A hundred pages of Markdown; 60 MB accepted once made the database 252 MB
(each change keeps the text before and after) and an export line its own
import refused."""


def check_description(text: object) -> str:
    """A guideline text: any characters but controls other than line breaks and tabs, trimmed, of a bounded length."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise LabelError(f"a description is text, not {type(text).__name__}")
    if (n := len(text)) > GUIDELINES_LIMIT:
        raise LabelError(f"the text has {n:,} characters; guidelines and descriptions hold at most"
                         f" {GUIDELINES_LIMIT:,}")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    bad = next((i for i, ch in enumerate(text) if unicodedata.category(ch) == "Cc" and ch not in "\n\t"), None)
    if bad is not None:
        line = text.count("\n", 0, bad) + 1
        column = bad - (text.rfind("\n", 0, bad) + 1) + 1
        raise LabelError(f"the text holds the control character U+{ord(text[bad]):04X} (line {line}, column"
                         f" {column})")
    return text


@dataclass(frozen=True)
class LabelChange:
    """What one label or guidelines operation did: enough to undo it and to do it again.

    Edited labels are found by the name they have before the edit, so a change
    still applies after the label's row was deleted and restored under a new id.
    """

    labels_added: tuple[Label, ...] = ()
    labels_removed: tuple[Label, ...] = ()
    labels_edited: tuple[tuple[Label, Label], ...] = ()
    """(before, after) pairs."""
    guidelines: tuple[str, str] | None = None
    """(before, after) of the project's guidelines text."""
    cues_removed: tuple[Cue, ...] = ()
    """The cue phrases of the removed labels, which go with them (and come back with them on undo)."""
    cues_added: tuple[Cue, ...] = ()
    suggestions_removed: tuple[Suggestion, ...] = ()
    """The suggestions of the removed labels, in any state, which go and come back with them."""
    suggestions_added: tuple[Suggestion, ...] = ()

    def inverse(self) -> LabelChange:
        return LabelChange(
            labels_added=self.labels_removed, labels_removed=self.labels_added,
            labels_edited=tuple((after, before) for before, after in self.labels_edited),
            guidelines=(self.guidelines[1], self.guidelines[0]) if self.guidelines is not None else None,
            cues_added=self.cues_removed, cues_removed=self.cues_added,
            suggestions_added=self.suggestions_removed, suggestions_removed=self.suggestions_added,
        )

    @property
    def empty(self) -> bool:
        return not (self.labels_added or self.labels_removed or self.labels_edited or self.guidelines)

    def describe(self) -> str:
        """The change in a few words, for an undo menu: "Rename label claim to assertion"."""
        if self.guidelines is not None and not (self.labels_added or self.labels_removed or self.labels_edited):
            return "Edit the guidelines"
        if len(self.labels_added) == 1 and not (self.labels_removed or self.labels_edited):
            return f"Add label {self.labels_added[0].name}"
        if len(self.labels_removed) == 1 and not (self.labels_added or self.labels_edited):
            return f"Delete label {self.labels_removed[0].name}"
        if len(self.labels_edited) == 1 and not (self.labels_added or self.labels_removed):
            before, after = self.labels_edited[0]
            what = [f"rename to {after.name}" if before.name != after.name else "",
                    "recolour" if before.colour != after.colour else "",
                    "re-key" if before.shortcut != after.shortcut else "",
                    "describe" if before.description != after.description else "",
                    "move" if before.position != after.position else ""]
            return f"Label {before.name}: " + ", ".join(w for w in what if w)
        return "Change the labels"

    def said(self) -> str:
        """The change as done, for a command's report: "label opinion added"."""
        if self.empty:
            return "nothing to change"
        if self.guidelines is not None and not (self.labels_added or self.labels_removed or self.labels_edited):
            text = self.guidelines[1]
            return f"guidelines set ({count(len(text), 'character')})" if text else "guidelines cleared"
        if len(self.labels_added) == 1 and not (self.labels_removed or self.labels_edited):
            return f"label {self.labels_added[0].name} added"
        if len(self.labels_removed) == 1 and not (self.labels_added or self.labels_edited):
            return f"label {self.labels_removed[0].name} deleted"
        if len(self.labels_edited) == 1 and not (self.labels_added or self.labels_removed):
            before, after = self.labels_edited[0]
            what = [f"renamed to {after.name}" if before.name != after.name else "",
                    f"recoloured {after.colour}" if before.colour != after.colour else "",
                    f"key {after.shortcut or 'none'}" if before.shortcut != after.shortcut else "",
                    "description changed" if before.description != after.description else "",
                    f"moved to place {after.position + 1}" if before.position != after.position else ""]
            return f"label {before.name}: " + ", ".join(w for w in what if w)
        parts = [count(len(self.labels_added), "label") + " added" if self.labels_added else "",
                 count(len(self.labels_edited), "label") + " changed" if self.labels_edited else "",
                 count(len(self.labels_removed), "label") + " deleted" if self.labels_removed else "",
                 "guidelines set" if self.guidelines is not None else ""]
        return ", ".join(p for p in parts if p)


__all__ = [
    "EXTRA_COLOURS", "GUIDELINES_LIMIT", "GUIDELINES_SETTING", "RESERVED_KEYS", "LabelChange", "check_colour",
    "check_description", "check_shortcut", "shortcut_key",
]
