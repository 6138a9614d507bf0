"""Light and dark: the colours of the workspace, the style sheet made from them, and which one is in use.

The app follows the system's colour scheme (``QStyleHints.colorScheme``) unless
the user picks one in the View menu. Label colours stay the database's
(Okabe-Ito by default, colour-blind safe in both schemes); what changes with
the scheme is the paper under them and the ink of the marks drawn on them:
outlines, underlines and the ``[ ]`` edges are drawn darker than the label's
colour on light paper and lighter on dark paper, and tints are stronger on
dark paper, where a faint tint disappears.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from string import Template

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ..core.paths import resources_dir

SCHEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    pane: str
    header: str
    text: str
    muted: str
    border: str
    selection: str
    table_alt: str
    dock_title: str
    section: str
    hover: str
    active_edge: str
    focus_header: str
    focus_title: str
    drop_fill: str
    saved: str
    unsaved: str
    accepted: str
    rejected_text: str
    zero_count: str
    focus: str           # keyboard focus, and a menu's or a list's highlighted item
    on_accent: str       # text on it
    find_fill: str       # #AARRGGBB
    find_edge: str
    find_current: str
    mark: str            # a comparison's disagreements
    tint_boost: int      # added to every span tint's alpha

    @property
    def dark(self) -> bool:
        return self.name == "dark"

    def ink(self, colour: QColor, amount: int = 130) -> QColor:
        """A label colour made to stand out from the paper: darker on light, lighter on dark."""
        return colour.lighter(amount + 10) if self.dark else colour.darker(amount)

    def colour(self, name: str) -> QColor:
        return QColor(getattr(self, name))


LIGHT = Theme(
    name="light", window="#f1efea", pane="#fffdf8", header="#f7f4ee", text="#1f2328", muted="#6b6f76",
    border="#d6d1c7", selection="#c9daf5", table_alt="#f8f5ef", dock_title="#ebe7df", section="#efebe4",
    hover="#e8e3d9", active_edge="#3b6fb6", focus_header="#dce8f8", focus_title="#1d4f91", drop_fill="#e8f0fb",
    saved="#2e7d32", unsaved="#b3261e", accepted="#1b7a3a", rejected_text="#4d5158", zero_count="#a0a4aa",
    focus="#1f4f99", on_accent="#ffffff",
    find_fill="#5affc828", find_edge="#a0c89600", find_current="#c86e00", mark="#d64550", tint_boost=0,
)

DARK = Theme(
    name="dark", window="#1c1d20", pane="#25262a", header="#2c2d32", text="#e6e4df", muted="#a3a7ae",
    border="#3d3f45", selection="#35507a", table_alt="#2a2b30", dock_title="#2f3035", section="#303137",
    hover="#3a3c42", active_edge="#6f9fe0", focus_header="#2e3f58", focus_title="#b9d2f5", drop_fill="#26354a",
    saved="#7cc57f", unsaved="#f28b82", accepted="#81c995", rejected_text="#d0cec9", zero_count="#6f737a",
    focus="#8ab4f0", on_accent="#10151c",
    find_fill="#66ffc828", find_edge="#b4ffd040", find_current="#ffb347", mark="#ff7a85", tint_boost=35,
)

_THEMES = {"light": LIGHT, "dark": DARK}


class ThemeNotifier(QObject):
    changed = Signal(object)   # Theme


_current = LIGHT
notifier: ThemeNotifier | None = None


def current() -> Theme:
    """The theme in use: widgets read it when they paint."""
    return _current


def system_scheme() -> str:
    """"dark" or "light", as the system says (light when it says nothing)."""
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def resolve(choice: str) -> Theme:
    """The theme for a user's choice: "system", "light" or "dark"."""
    return _THEMES[system_scheme() if choice not in _THEMES else choice]


def style_sheet(theme: Theme) -> str:
    template = (resources_dir() / "annotator.qss").read_text(encoding="utf-8")
    values = {f.name: getattr(theme, f.name) for f in fields(theme)}
    return Template(template).safe_substitute(values)


def apply(app: object, theme: Theme) -> None:
    """Use ``theme`` from now on: the style sheet, the palette for unstyled widgets, and a signal for views."""
    global _current, notifier
    _current = theme
    palette = QPalette()
    for role, name in ((QPalette.ColorRole.Window, "window"), (QPalette.ColorRole.WindowText, "text"),
                       (QPalette.ColorRole.Base, "pane"), (QPalette.ColorRole.AlternateBase, "table_alt"),
                       (QPalette.ColorRole.Text, "text"), (QPalette.ColorRole.Button, "header"),
                       (QPalette.ColorRole.ButtonText, "text"),
                       # The style draws keyboard focus (the ring round a button, a check box, a list's
                       # current row) in the highlight's ink: the pale selection blue made it 1.2:1 against
                       # the window, invisible. The focus colour makes it 3:1 or more in both schemes (a
                       # test measures it); the panes and lists keep their pale selection (the style sheet's).
                       (QPalette.ColorRole.Highlight, "focus"), (QPalette.ColorRole.HighlightedText, "on_accent"),
                       (QPalette.ColorRole.ToolTipBase, "header"),
                       (QPalette.ColorRole.ToolTipText, "text"), (QPalette.ColorRole.PlaceholderText, "muted"),
                       (QPalette.ColorRole.Link, "active_edge")):  # links in the Guidelines panel
        palette.setColor(role, theme.colour(name))
    app.setPalette(palette)  # type: ignore[attr-defined]
    app.setStyleSheet(style_sheet(theme))  # type: ignore[attr-defined]
    if notifier is None:
        notifier = ThemeNotifier()
    notifier.changed.emit(theme)


def on_change(slot: object) -> None:
    """Call ``slot(theme)`` whenever the theme changes."""
    global notifier
    if notifier is None:
        notifier = ThemeNotifier()
    notifier.changed.connect(slot)  # type: ignore[arg-type]


def off_change(slot: object) -> None:
    """Stop calling ``slot`` (a window that closes)."""
    if notifier is not None:
        try:
            notifier.changed.disconnect(slot)  # type: ignore[arg-type]
        except (RuntimeError, TypeError):
            pass  # not connected


class SchemeChoice(QObject):
    """The user's choice ("system", "light", "dark") behind the View menu's two toggles, kept applied."""

    def __init__(self, follow_system: object, dark: object, changed: object, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.follow_system = follow_system   # QActions: "Follow the System's Colour Scheme", "Dark Theme"
        self.dark = dark
        self._changed = changed              # called after the choice changes (the window saves its layout)
        self.choice = "system"
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self._system_changed)
        self.show()

    def set(self, choice: str) -> None:
        self.choice = choice if choice in SCHEMES else "system"
        app = QGuiApplication.instance()
        wanted = resolve(self.choice)
        if wanted is not current() and app is not None:
            apply(app, wanted)
        self.show()
        self._changed()  # type: ignore[operator]

    def show(self) -> None:
        """The toggles say what is in use, without firing their handlers."""
        for action, on in ((self.follow_system, self.choice == "system"), (self.dark, current().dark)):
            action.blockSignals(True)  # type: ignore[attr-defined]
            action.setChecked(on)  # type: ignore[attr-defined]
            action.blockSignals(False)  # type: ignore[attr-defined]

    def _system_changed(self) -> None:
        if self.choice == "system":
            self.set("system")


__all__ = [
    "DARK", "LIGHT", "SCHEMES", "SchemeChoice", "Theme", "apply", "current", "off_change", "on_change", "resolve",
    "style_sheet", "system_scheme",
]
