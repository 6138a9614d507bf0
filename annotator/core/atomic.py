"""Writing files so that they appear whole or not at all.

Everything is written beside its target under a temporary name and renamed
into place only when complete, so a failed or cancelled export leaves no
half-written file (and an older file of that name stays as it was). Formats
made of several files (a brat folder, Parquet's two tables) use the same
rule for each file, or for the whole folder.

A process killed mid-export (power cut, ``kill -9``) cannot remove its
temporary file; the next export into the same folder does. Temporary names
follow one pattern (``.NAME.XXXXXXXX.annotator-part``, and ``-old`` for a
folder being replaced) that nothing else uses, so only ours are removed, and
only once they have not been written to for ``STALE_AFTER`` seconds: an
export running at the same time keeps writing to its file and keeps it fresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from .errors import AnnotatorError

PART = ".annotator-part"
OLD = ".annotator-old"
# mkstemp and mkdtemp put 8 characters of this alphabet between prefix and suffix.
_TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}(?:" + re.escape(PART) + "|" + re.escape(OLD) + ")")
STALE_AFTER = 3600.0


def _folder_of(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AnnotatorError(f"cannot write {path}: the folder {folder} does not exist")
    remove_stale_temporaries(folder)
    return folder


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[str]:
    """Remove what killed exports left in ``folder``: our temporary names, unwritten for ``STALE_AFTER`` s.

    Returns the names removed. Anything that cannot be removed is left
    alone: cleaning up never stops an export.
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_NAME.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if now - st.st_mtime < STALE_AFTER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``path`` only if the block completes."""
    with atomic_outputs([path]) as (fh,):
        yield fh


@contextlib.contextmanager
def atomic_outputs(paths: Sequence[Path]) -> Iterator[tuple[IO[bytes], ...]]:
    """Several binary files that all appear at their paths only if the block completes."""
    for path in paths:
        if path.is_dir():
            raise AnnotatorError(f"{path} is a folder; name a file to write")
    temps: list[str] = []
    handles: list[IO[bytes]] = []
    try:
        for path in paths:
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART, dir=_folder_of(path))
            except OSError as exc:
                raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from exc
            temps.append(tmp)
            # mkstemp makes the file private; give it the mode a plain open() would.
            os.chmod(tmp, 0o666 & ~_umask())
            handles.append(os.fdopen(fd, "wb"))
        yield tuple(handles)
        for fh in handles:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        for tmp, path in zip(temps, paths, strict=True):
            os.replace(tmp, path)
        temps.clear()
    except BaseException as exc:
        for fh in handles:
            with contextlib.suppress(OSError):
                fh.close()
        for tmp in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise AnnotatorError(f"cannot write {paths[0]}: {exc.strerror or exc}") from exc
        raise


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A folder that appears at ``path``, filled by the block, only if the block completes.

    An existing folder there is replaced only if it is empty or holds exactly the
    files an earlier export wrote, unchanged: each export leaves a manifest
    (``MANIFEST``: every file's name and sha256) beside its files. A folder of the
    user's own articles (``.txt`` files, like a brat collection's), one with a
    file added, or one whose ``.ann`` files were edited in brat since is refused,
    never deleted.
    """
    if path.is_symlink():
        # Replacing it would replace the link with a folder and leave the link's old target beside it.
        raise AnnotatorError(f"{path} is a link (to {os.path.realpath(path)}); name the folder itself, or a new"
                             " one; nothing was written")
    if path.exists() and not path.is_dir():
        raise AnnotatorError(f"{path} is a file; name a folder (or a .zip) to write")
    if path.is_dir():
        problem = _not_ours(path)
        if problem:
            raise AnnotatorError(f"{path} {problem}; nothing was written: name a new or empty folder")
    parent = _folder_of(path)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=PART, dir=parent))
        os.chmod(tmp, 0o777 & ~_umask())
    except OSError as exc:
        raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        yield tmp
        _write_manifest(tmp)
        old: Path | None = None
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=OLD, dir=parent))
            os.rmdir(old)
            os.rename(path, old)
        os.rename(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise AnnotatorError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


# Beside the files of a folder an export wrote: their names and sha256s. Hidden, so that brat and
# our own folder import pass over it.
MANIFEST = ".annotator-export.json"
_MANIFEST_LIMIT = 8 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _signature(files: dict[str, str]) -> str | None:
    """The manifest's files signed with this user's key: a manifest anyone else wrote (a colleague's, or one
    planted beside a folder of articles with their right sha256s) does not let an export delete them."""
    from .paths import export_key

    key = export_key()
    if key is None:
        return None
    return hmac.new(key, json.dumps(files, sort_keys=True).encode("utf-8"), hashlib.sha256).hexdigest()


def _write_manifest(folder: Path) -> None:
    files = {p.name: _sha256(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != MANIFEST}
    body = {"written_by": "annotator", "files": files, "signature": _signature(files)}
    (folder / MANIFEST).write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _listed(names: Sequence[str], more: int) -> str:
    return ", ".join(names[:3]) + (f" and {more} more" if more > 0 else "")


def _not_ours(folder: Path) -> str:
    """Why the folder may not be replaced ("" when it is empty or holds an earlier export, unchanged)."""
    try:
        entries = {p.name: p for p in folder.iterdir()}
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if not entries:
        return ""
    manifest = entries.pop(MANIFEST, None)
    listed: dict[str, str] = {}
    if manifest is not None and manifest.is_file() and not manifest.is_symlink():
        try:
            if manifest.stat().st_size <= _MANIFEST_LIMIT:
                body = json.loads(manifest.read_text(encoding="utf-8"))
                files = body.get("files") if isinstance(body, dict) else None
                signed = body.get("signature") if isinstance(body, dict) else None
                if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()) \
                        and isinstance(signed, str) and (expected := _signature(files)) is not None \
                        and hmac.compare_digest(signed, expected):
                    listed = files
        except (OSError, ValueError):
            listed = {}
    if not listed:
        names = sorted(entries) or [MANIFEST]
        return (f"holds files annotator did not write here ({_listed(names, len(names) - 3)}; an export is"
                " replaced only by the same user's next export)")
    foreign = sorted(name for name, p in entries.items()
                     if name not in listed or p.is_symlink() or not p.is_file())
    if foreign:
        return f"holds files annotator did not write ({_listed(foreign, len(foreign) - 3)})"
    changed = sorted(name for name, p in entries.items() if _sha256(p) != listed[name])
    if changed:
        return (f"holds files changed since annotator wrote them ({_listed(changed, len(changed) - 3)}):"
                " edited in another tool?")
    return ""
