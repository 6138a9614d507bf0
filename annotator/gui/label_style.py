"""How each label looks: its colour, and an underline style so that colour is never the only cue."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QTextCharFormat

from ..core.labels import RESERVED_KEYS
from ..core.model import Label
from .shown_text import one_line

# In label order: claim solid, denial wavy, background dotted, then the rest.
_UNDERLINES = (
    (QTextCharFormat.UnderlineStyle.SingleUnderline, "solid underline"),
    (QTextCharFormat.UnderlineStyle.WaveUnderline, "wavy underline"),
    (QTextCharFormat.UnderlineStyle.DotLine, "dotted underline"),
    (QTextCharFormat.UnderlineStyle.DashUnderline, "dashed underline"),
    (QTextCharFormat.UnderlineStyle.DashDotLine, "dash-dot underline"),
    (QTextCharFormat.UnderlineStyle.DashDotDotLine, "dash-dot-dot underline"),
)


@dataclass(frozen=True)
class LabelStyle:
    label: Label
    colour: QColor
    underline: QTextCharFormat.UnderlineStyle
    underline_name: str

    @property
    def name(self) -> str:
        return self.label.name

    def tint(self, alpha: int) -> QColor:
        c = QColor(self.colour)
        c.setAlpha(alpha)
        return c


class LabelStyles:
    """The label styles of one database, looked up by label name (case-insensitive)."""

    def __init__(self, labels: list[Label]) -> None:
        self.styles: list[LabelStyle] = []
        for i, label in enumerate(labels):
            style, name = _UNDERLINES[i % len(_UNDERLINES)]
            colour = QColor(label.colour)
            if not colour.isValid():
                colour = QColor("#999999")
            self.styles.append(LabelStyle(label, colour, style, name))
        self._by_name = {s.name.casefold(): s for s in self.styles}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.styles)

    def get(self, name: str) -> LabelStyle:
        found = self._by_name.get(name.casefold())
        if found is None:  # a label added by another program since we loaded: grey, solid
            found = LabelStyle(Label(0, name, "#999999", ""), QColor("#999999"),
                               QTextCharFormat.UnderlineStyle.SingleUnderline, "solid underline")
        return found

    def keyed(self) -> list[LabelStyle]:
        """The labels a key tags with (a key the workspace reserved for itself tags nothing)."""
        return [s for s in self.styles if s.label.shortcut and s.label.shortcut.upper() not in RESERVED_KEYS]

    def keys_phrase(self) -> str:
        """"1 claim, 2 denial, 3 background": what the label keys are, for a hint or a message."""
        return one_line(", ".join(f"{s.label.shortcut} {s.name}" for s in self.keyed())) or "no label has a key"
