"""Labels: the names spans are tagged with, their colours, keys and guidelines."""

from __future__ import annotations

from ..errors import LabelError
from ..model import Label
from .events import EventLog, NewEvent


class Labels(EventLog):
    _labels: dict[str, Label] | None = None

    def _forget_cached(self) -> None:
        super()._forget_cached()
        self._labels = None

    def labels(self) -> list[Label]:
        rows = self._conn.execute(
            "SELECT id, name, colour, shortcut, description, position FROM labels ORDER BY position, id"
        ).fetchall()
        return [Label(*r) for r in rows]

    def _label_map(self) -> dict[str, Label]:
        if self._labels is None:
            self._labels = {label.name.casefold(): label for label in self.labels()}
        return self._labels

    def label(self, name: str) -> Label:
        """The label called ``name``, matched case-insensitively."""
        found = self._label_map().get(name.strip().casefold())
        if found is None:
            known = ", ".join(label.name for label in self.labels())
            raise LabelError(f"unknown label {name!r} (labels: {known})")
        return found

    def has_label(self, name: str) -> bool:
        return name.strip().casefold() in self._label_map()

    def add_label(self, name: str, colour: str, shortcut: str = "", description: str = "", *, actor: str) -> Label:
        name = name.strip()
        if not name:
            raise LabelError("a label needs a name")
        if self.has_label(name):
            raise LabelError(f"a label called {name!r} exists already")
        with self.transaction():
            label = self.insert_label_row(name, colour, shortcut, description)
            self.append_events([NewEvent("create", "label", name, None, {
                "name": name, "colour": colour, "shortcut": shortcut, "description": description}, actor)])
        return label

    def insert_label_row(self, name: str, colour: str, shortcut: str, description: str) -> Label:
        """The label's row, placed last, with no event: the caller records its own in the same transaction."""
        position = self._conn.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
        cur = self._conn.execute(
            "INSERT INTO labels (name, colour, shortcut, description, position) VALUES (?, ?, ?, ?, ?)",
            (name, colour, shortcut, description, position),
        )
        self._labels = None
        assert cur.lastrowid is not None
        return Label(cur.lastrowid, name, colour, shortcut, description, position)
