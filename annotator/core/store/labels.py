"""Labels: the names spans are tagged with, their colours, keys and guidelines; and the project's guidelines.

Every operation is one transaction with one event per label it touches
(entity ``label``, named by the label's name before the change; a rename is
an edit of ``name``) and returns a ``LabelChange``; applying the change's
inverse is its undo (``apply_label_change``). The project's guidelines are
the ``guidelines`` row of the settings table (entity ``setting``), so that
verify and merge treat them as they treat every setting.

The rules a label set keeps are checked in one place, ``_check_label_set``:
names unique as ``model.label_key`` compares them and not alike as ``model.skeleton`` draws
them (a Cyrillic "а" in "clаim"), keys unique and never one
of the workspace's own (``labels.RESERVED_KEYS``), colours ``#RRGGBB``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..errors import LabelError
from ..labels import (
    GUIDELINES_SETTING,
    LabelChange,
    check_colour,
    check_description,
    check_shortcut,
    shortcut_key,
)
from ..model import Label, check_label_name, label_key, skeleton
from ..words import count
from .events import EventLog, NewEvent

_LABEL_FIELDS = ("name", "colour", "shortcut", "description", "position")


class Labels(EventLog):
    _labels: dict[str, Label] | None = None

    def _forget_cached(self) -> None:
        super()._forget_cached()
        self._labels = None

    # ---------------------------------------------------------------- reading

    def labels(self) -> list[Label]:
        rows = self._conn.execute(
            "SELECT id, name, colour, shortcut, description, position FROM labels ORDER BY position, id"
        ).fetchall()
        return [Label(*r) for r in rows]

    def _label_map(self) -> dict[str, Label]:
        if self._labels is None:
            self._labels = {label_key(label.name): label for label in self.labels()}
        return self._labels

    def label(self, name: str) -> Label:
        """The label called ``name``, matched as ``model.label_key`` says (NFC, case folded)."""
        found = self._label_map().get(label_key(name))
        if found is None:
            known = ", ".join(label.name for label in self.labels())
            raise LabelError(f"unknown label {name!r} (labels: {known})")
        return found

    def has_label(self, name: str) -> bool:
        return label_key(name) in self._label_map()

    def label_use(self) -> dict[str, int]:
        """How many spans each label has, by label name (labels no span uses: 0)."""
        counts = dict(self._conn.execute("SELECT label_id, count(*) FROM annotations GROUP BY label_id").fetchall())
        return {label.name: counts.get(label.id, 0) for label in self.labels()}

    def guidelines(self) -> str:
        """The project's annotation guidelines (Markdown), "" if none were written."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (GUIDELINES_SETTING,)).fetchone()
        return row[0] if row else ""

    # ---------------------------------------------------------------- changing

    def add_label(self, name: str, colour: str, shortcut: str = "", description: str = "", *, actor: str) -> Label:
        """Create a label (placed last); the label made. ``create_label`` returns the change for an undo."""
        change = self.create_label(name, colour, shortcut, description, actor=actor)
        return self.label(change.labels_added[0].name)

    def create_label(self, name: str, colour: str, shortcut: str = "", description: str = "", *,
                     actor: str) -> LabelChange:
        with self.transaction():
            position = self._conn.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
            label = Label(0, check_label_name(name), check_colour(colour), check_shortcut(shortcut),
                          check_description(description), position)
            return self._write_labels(LabelChange(labels_added=(label,)), actor)

    def edit_label(self, name: str, *, actor: str, new_name: str | None = None, colour: str | None = None,
                   shortcut: str | None = None, description: str | None = None,
                   position: int | None = None) -> LabelChange:
        """Rename, recolour, re-key, describe or move a label (None: leave as is); one event.

        Spans keep their label: they hold it by id, so a rename renames it on every span.
        """
        before = self.label(name)
        after = before
        if new_name is not None:
            after = replace(after, name=check_label_name(new_name))
        if colour is not None:
            after = replace(after, colour=check_colour(colour))
        if shortcut is not None and shortcut_key(shortcut) != shortcut_key(before.shortcut):
            after = replace(after, shortcut=check_shortcut(shortcut))  # a key kept as it was is not re-checked
        if description is not None:
            after = replace(after, description=check_description(description))
        if position is not None:
            after = replace(after, position=int(position))
        if after == before:
            return LabelChange()
        return self._write_labels(LabelChange(labels_edited=((before, after),)), actor)

    def delete_label(self, name: str, *, actor: str) -> LabelChange:
        """Delete a label no span uses (relabel or delete its spans first)."""
        return self._write_labels(LabelChange(labels_removed=(self.label(name),)), actor)

    def set_guidelines(self, text: str, *, actor: str) -> LabelChange:
        """Write the project's guidelines (Markdown; "" clears them): one event (``setting`` ``guidelines``)."""
        after = check_description(text)
        before = self.guidelines()
        if after == before:
            return LabelChange()
        return self._write_labels(LabelChange(guidelines=(before, after)), actor)

    def apply_label_change(self, change: LabelChange, *, actor: str, action: str = "undo",
                           create: str = "restore") -> LabelChange:
        """Do a change again, or (given ``change.inverse()``) undo it: one transaction, events as ``create``
        (restore), ``delete`` and ``action`` for edits."""
        return self._write_labels(change, actor, create=create, edit=action)

    def insert_label_row(self, name: str, colour: str, shortcut: str, description: str,
                         position: int | None = None) -> Label:
        """The label's row (placed last unless placed), with no event: the caller records its own."""
        if position is None:
            position = self._conn.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
        cur = self._conn.execute(
            "INSERT INTO labels (name, colour, shortcut, description, position) VALUES (?, ?, ?, ?, ?)",
            (name, colour, shortcut, description, position),
        )
        self._labels = None
        assert cur.lastrowid is not None
        return Label(cur.lastrowid, name, colour, shortcut, description, position)

    # ---------------------------------------------------------------- plumbing

    def _write_labels(self, change: LabelChange, actor: str, *, create: str = "create",
                      edit: str = "edit") -> LabelChange:
        """Write a change's rows and one event per label (and one for the guidelines), in one transaction.

        Removals first, then edits, then additions; the label set that results
        is checked as a whole before the transaction commits. Returns the change
        as written: added labels carry their new row ids.
        """
        if change.empty:
            return change
        events: list[NewEvent] = []
        added: list[Label] = []
        with self.transaction():
            for label in change.labels_removed:
                current = self.label(label.name)
                used = self._conn.execute("SELECT count(*) FROM annotations WHERE label_id = ?",
                                          (current.id,)).fetchone()[0]
                if used:
                    raise LabelError(f"the label {current.name!r} is used by {count(used, 'span')}; relabel or delete"
                                     " them first")
                self._conn.execute("DELETE FROM labels WHERE id = ?", (current.id,))
                self._labels = None
                events.append(NewEvent("delete", "label", current.name, current.as_values(), None, actor))
            for before, after in change.labels_edited:
                current = self.label(before.name)
                after = replace(after, id=current.id)
                if label_key(after.name) != label_key(current.name) and self.has_label(after.name):
                    raise LabelError(f"a label called {self.label(after.name).name!r} exists already")
                self._conn.execute(
                    "UPDATE labels SET name = ?, colour = ?, shortcut = ?, description = ?, position = ? WHERE id = ?",
                    (after.name, after.colour, after.shortcut, after.description, after.position, current.id))
                self._labels = None
                old, new = current.as_values(), after.as_values()
                changed = [k for k in _LABEL_FIELDS if old[k] != new[k]]
                if changed:
                    events.append(NewEvent(edit, "label", current.name, {k: old[k] for k in changed},
                                           {k: new[k] for k in changed}, actor))
            for label in change.labels_added:
                if self.has_label(label.name):
                    raise LabelError(f"a label called {self.label(label.name).name!r} exists already")
                row = self.insert_label_row(label.name, label.colour, label.shortcut, label.description,
                                            label.position)
                added.append(row)
                events.append(NewEvent(create, "label", row.name, None, row.as_values(), actor))
            if change.guidelines is not None:
                before_text, after_text = self.guidelines(), change.guidelines[1]
                if after_text:
                    self._conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                       (GUIDELINES_SETTING, after_text))
                else:
                    self._conn.execute("DELETE FROM settings WHERE key = ?", (GUIDELINES_SETTING,))
                # "set" whatever the action: a setting's events each carry its whole value (audit.replay).
                events.append(NewEvent("set", "setting", GUIDELINES_SETTING,
                                       {"value": before_text} if before_text else None,
                                       {"value": after_text} if after_text else None, actor))
            _check_label_set(self.labels(), [*added, *(after for _before, after in change.labels_edited)])
            self.append_events(events)
        return replace(change, labels_added=tuple(added)) if added else change


def _check_label_set(labels: Iterable[Label], written: Iterable[Label]) -> None:
    """The rules a label set keeps: one label per name (NFC, case folded) and per key; ``written`` is coloured #RRGGBB.

    Colours are checked only on the labels a change wrote: a label that came
    with an odd colour from elsewhere does not block every other change.
    """
    written = list(written)
    for label in written:
        check_colour(label.colour)
    names: dict[str, str] = {}
    looks: dict[str, str] = {}
    keys: dict[str, str] = {}
    # The labels written last, so that a clash names the label that was there before.
    ids = {label.id for label in written}
    for label in sorted(labels, key=lambda label: label.id in ids):
        key = label_key(label.name)
        if key in names:
            raise LabelError(f"a label called {names[key]!r} exists already")
        names[key] = label.name
        # Only a label this change wrote is refused: an older database holding two such labels still works.
        alike = looks.setdefault(skeleton(label.name), label.name)
        if alike != label.name and label.id in ids:
            raise LabelError(f"the label name {label.name!r} looks like the label {alike!r} (their letters differ"
                             " only in script: Latin, Cyrillic, Greek); choose a name that reads differently")
        if label.shortcut:
            taken = keys.get(shortcut_key(label.shortcut))
            if taken is not None:
                raise LabelError(f"the key {label.shortcut!r} is taken by the label {taken!r}")
            keys[shortcut_key(label.shortcut)] = label.name


__all__ = ["Labels"]
