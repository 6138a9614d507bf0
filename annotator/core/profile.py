"""Who is annotating on this computer: one small file shared by the GUI and the command line.

Kept out of QSettings (window state only) and out of the database (a person
keeps their name when they open another database).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

from .errors import AnnotatorError
from .model import check_annotator_name


def profile_path() -> Path:
    return platformdirs.user_config_path("annotator", appauthor=False) / "profile.json"


def annotator_name() -> str | None:
    """The saved annotator name, or None if it was never set (or the file is unreadable)."""
    try:
        data = json.loads(profile_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("annotator") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def set_annotator_name(name: str) -> str:
    """Save the name this user annotates under (``model.check_annotator_name``: not empty, hidden or mixed-script).

    Each database spells a person one way (``Store.annotator_spelling``): a name
    typed as "Ana" where "ana" has spans is written as "ana" there.
    """
    name = check_annotator_name(name)
    path = profile_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when the name changes: start-up reads, never writes

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".profile.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"annotator": name}, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError as exc:
        raise AnnotatorError(f"cannot save the annotator name in {path}: {exc.strerror or exc}") from exc
    return name
