"""Window state in QSettings: geometry, docks, panes, scroll positions, zoom. Nothing a dataset needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QByteArray, QCryptographicHash, QSettings


@dataclass
class Workspace:
    """What was open in one database: article uids per pane (``""`` for an empty pane)."""

    articles: list[str] = field(default_factory=list)
    scroll: list[int] = field(default_factory=list)   # code point at the top of each pane
    current: int = 0


@dataclass
class ReviewState:
    """Reviewer mode in one database: on or off, and the panes to put back when it ends.

    It belongs to the database, like its panes: a layout from before reviewing
    one database names that database's articles, and opening another database
    brings back that one's own reviewer mode, never this one's.
    """

    on: bool = False
    before: Workspace | None = None


@dataclass
class ViewOptions:
    zoom: int = 0
    sync_scrolling: bool = False
    snap_words: bool = True
    colour_scheme: str = "system"   # or "light", "dark"
    suggestions_shown: bool = True
    # The docks built on first use that were open, by object name (the window knows how to open each again).
    open_docks: tuple[str, ...] = ()


def _db_key(db_path: Path | None) -> str:
    if db_path is None:
        return "memory"
    # SHA-1 through Qt, which is loaded already: hashlib would add 3 ms to start-up.
    digest = QCryptographicHash.hash(QByteArray(str(db_path.resolve()).encode("utf-8")),
                                     QCryptographicHash.Algorithm.Sha1)
    return bytes(digest.toHex().data()).decode("ascii")[:16]


class WindowSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.s = settings or QSettings()

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.s.setValue("window/geometry", geometry)
        self.s.setValue("window/state", state)

    def window(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry, state = self.s.value("window/geometry"), self.s.value("window/state")
        return (geometry if isinstance(geometry, QByteArray) else None,
                state if isinstance(state, QByteArray) else None)

    def save_options(self, options: ViewOptions) -> None:
        self.s.setValue("view/zoom", options.zoom)
        self.s.setValue("view/sync_scrolling", options.sync_scrolling)
        self.s.setValue("view/snap_words", options.snap_words)
        self.s.setValue("view/colour_scheme", options.colour_scheme)
        self.s.setValue("view/suggestions_shown", options.suggestions_shown)
        self.s.setValue("view/open_docks", ",".join(options.open_docks))
        # Reviewer mode was once kept here, for the window: it followed the user into other databases.
        # The claims dock had a key of its own before open_docks named every dock built on first use.
        self.s.remove("view/review_mode")
        self.s.remove("view/claims_dock")

    def options(self) -> ViewOptions:
        return ViewOptions(
            zoom=_int(self.s.value("view/zoom"), 0),
            sync_scrolling=_bool(self.s.value("view/sync_scrolling"), False),
            snap_words=_bool(self.s.value("view/snap_words"), True),
            colour_scheme=_scheme(self.s.value("view/colour_scheme")),
            suggestions_shown=_bool(self.s.value("view/suggestions_shown"), True),
            open_docks=self._open_docks(),
        )

    def _open_docks(self) -> tuple[str, ...]:
        value = self.s.value("view/open_docks")
        if value is None:   # saved before open_docks: only the claims dock was remembered
            return ("claimsDock",) if _bool(self.s.value("view/claims_dock"), False) else ()
        return tuple(name for name in str(value).split(",") if name)

    def folder(self, purpose: str, default: Path) -> Path:
        """The folder a file dialog for ``purpose`` (import, export, database) last used."""
        value = self.s.value(f"folders/{purpose}")
        if isinstance(value, str) and value and Path(value).is_dir():
            return Path(value)
        return default

    def remember_folder(self, purpose: str, folder: Path) -> None:
        self.s.setValue(f"folders/{purpose}", str(folder))

    def save_workspace(self, db_path: Path | None, workspace: Workspace) -> None:
        self._save_layout(f"workspace/{_db_key(db_path)}", workspace)
        self.s.sync()

    def workspace(self, db_path: Path | None) -> Workspace | None:
        return self._layout(f"workspace/{_db_key(db_path)}")

    def save_review_state(self, db_path: Path | None, state: ReviewState) -> None:
        key = f"workspace/{_db_key(db_path)}"
        self.s.setValue(f"{key}/review_mode", state.on)
        self.s.remove(f"{key}/before_review")
        if state.before is not None:
            self._save_layout(f"{key}/before_review", state.before)
        self.s.sync()

    def review_state(self, db_path: Path | None) -> ReviewState:
        key = f"workspace/{_db_key(db_path)}"
        return ReviewState(on=_bool(self.s.value(f"{key}/review_mode"), False),
                           before=self._layout(f"{key}/before_review"))

    def _save_layout(self, key: str, workspace: Workspace) -> None:
        self.s.setValue(f"{key}/articles", "\n".join(workspace.articles))
        self.s.setValue(f"{key}/scroll", ",".join(str(v) for v in workspace.scroll))
        self.s.setValue(f"{key}/current", workspace.current)

    def _layout(self, key: str) -> Workspace | None:
        articles = self.s.value(f"{key}/articles")
        if articles is None:
            return None
        scroll = str(self.s.value(f"{key}/scroll") or "")
        return Workspace(
            articles=str(articles).split("\n") if articles != "" else [""],
            scroll=[_int(v, 0) for v in scroll.split(",") if v],
            current=_int(self.s.value(f"{key}/current"), 0),
        )


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _scheme(value: object) -> str:
    return value if value in ("system", "light", "dark") else "system"  # type: ignore[return-value]


def _bool(value: object, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("1", "true", "yes")
