"""Notice what another program (``annotator import``, ``merge``) commits to the open database.

SQLite's ``PRAGMA data_version`` changes whenever another connection commits;
reading it is a few microseconds, so a poll every 1.5 s costs nothing while
the window is idle and shows an import in the other terminal soon enough.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.profile import annotator_name, profile_path
from ..core.store import Store

POLL_MS = 1500


class OutsideChanges(QObject):
    changed = Signal()
    annotatorChosen = Signal(str)   # another window (or the command line) saved this annotator name

    def __init__(self, store: Callable[[], Store], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._version = self._read()
        self._profile = self._profile_stamp()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def _read(self) -> int | None:
        try:
            return self._store().data_version()
        except Exception:  # a closed or vanished database: the next action reports it
            return None

    def rebase(self) -> None:
        """Another database is open now, or this process changed it in bulk: start counting from here."""
        self._version = self._read()

    def check(self) -> None:
        version = self._read()
        if version is not None and version != self._version:
            self._version = version
            self.changed.emit()
        stamp = self._profile_stamp()
        if stamp != self._profile:
            self._profile = stamp
            name = annotator_name()
            if name:
                self.annotatorChosen.emit(name)

    def saved_profile(self) -> None:
        """This window saved the name itself: nothing to tell it."""
        self._profile = self._profile_stamp()

    @staticmethod
    def _profile_stamp() -> tuple[int, int] | None:
        try:
            st = profile_path().stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_ino
