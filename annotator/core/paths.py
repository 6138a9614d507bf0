"""Where things live: the default database, the seed articles, the resources."""

from __future__ import annotations

import getpass
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from .errors import DatabaseError

if TYPE_CHECKING:
    from .importer import ImportReport
    from .store import Store, Waiting

APP_NAME = "annotator"
# How often a command waiting for another program's write asks whether to go on (Ctrl+C, cancel).
WAIT_POLL_MS = 200
ENV_DB = "ANNOTATOR_DB"
_PACKAGE = Path(__file__).resolve().parent.parent


def default_database() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "annotations.db"


def export_key() -> bytes | None:
    """This user's secret for signing the manifests of folder exports (``atomic.atomic_folder``), made on first
    use; None where it cannot be kept (then no earlier export is ever replaced, only new or empty folders)."""
    import secrets

    path = platformdirs.user_data_path(APP_NAME, appauthor=False) / "export-key"
    try:
        if path.is_file() and not path.is_symlink():
            key = path.read_bytes()
            if len(key) == 32:
                return key
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        return key
    except OSError:
        return None


def _data_dir(name: str) -> Path:
    # A wheel carries resources/ and seeds/ inside the package (mapped by the build
    # backend); a source checkout or editable install has them beside it.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def seeds_dir() -> Path:
    return _data_dir("seeds")


def resources_dir() -> Path:
    return _data_dir("resources")


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some containers
        return os.environ.get("USER") or "annotator"


def load_seeds(store: Store, actor: str) -> ImportReport:
    from .importer import Importer  # the workspace opens without the import machinery

    return Importer(store, actor=actor).run([seeds_dir()])


def open_for_reading(path: str | os.PathLike[str] | None = None, *, waiting: Waiting | None = None) -> Store:
    """Open ``path`` (or the default database) for a command that only reads.

    A named file that does not exist is an error naming it, not a new empty
    database ("intact: 0 events" for a typo); an older schema is read through a
    private migrated copy. Only the default database is created when missing
    (with the seeds): that is how a first start shows something. While
    another program writes to it, ``waiting`` decides whether to wait on.
    """
    from .store import Store

    if path is not None and str(path) != "":
        named = Path(path).expanduser()
        if not named.exists() and not named.is_symlink():
            raise DatabaseError(f"no database at {named}; a command that only reads never creates one"
                                " (an import into it, or the workspace, makes it)")
        return Store.open_read_only(named, waiting=waiting, poll_ms=WAIT_POLL_MS)
    target = default_database()
    if target.exists() and not _empty(target):
        return Store.open_read_only(target, waiting=waiting, poll_ms=WAIT_POLL_MS)
    # Missing, or empty: a first start that was cut short before its first commit.
    return open_database(None, waiting=waiting)


def _empty(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def database_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The file ``open_database(path)`` opens."""
    return Path(path).expanduser() if path is not None and str(path) != "" else default_database()


def discard_if_unused(store: Store) -> bool:
    """Close ``store`` and, if nothing was ever committed to it, remove its file: True when removed.

    For a database a command created itself: a command that failed, or wrote
    nothing (an import that rejected everything, ``--strict`` that imported
    nothing, a merge ``--dry-run``), leaves no new file behind. Every action
    that writes appends an event, so a database with none holds nothing but
    what creating it wrote. Only the caller knows the file is its own: an
    existing database is never passed here.
    """
    path = store.path
    try:
        unused = path is not None and store.event_count() == 0
    except sqlite3.Error:
        unused = False
    store.close()
    if not unused:
        return False
    assert path is not None
    for leftover in (path, *(path.with_name(path.name + side) for side in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    return True


def open_database(path: str | os.PathLike[str] | None = None, *, waiting: Waiting | None = None) -> Store:
    """Open ``path``, or the default database; a new default database gets the seeds.

    A database named explicitly starts empty (DESIGN.md): the seeds stay one
    menu item or ``annotator import`` away.
    """
    from .store import Store

    if path is not None and str(path) != "":
        return Store.open(path, waiting=waiting, poll_ms=WAIT_POLL_MS)
    target = default_database()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create the folder {target.parent}: {exc.strerror or exc}") from exc
    # An empty default database is new, not refused (``refuse_empty``): no one points a
    # redirect at a file in the user data folder, and a first start killed before its
    # first commit leaves exactly that.
    store = Store.open(target, waiting=waiting, poll_ms=WAIT_POLL_MS, empty_is_new=True)
    # "Never used" rather than "file just created": a first run killed before
    # the seeds were committed still gets them next time.
    if not store.read_only and store.event_count() == 0:
        load_seeds(store, actor=login_name())
    return store
