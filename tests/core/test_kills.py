"""An import killed at any point, and at the commit itself, leaves all of it or none of it, and a log that verifies.

Random points: the import runs in a child process that kills itself
(SIGKILL) at its Nth Python call, N drawn (seeded) over the whole run, as
measured by a first, unkilled run. The commit: a preloaded ``unlink`` kills the
process just before or just after SQLite deletes its journal, the moment a
rollback-journal commit happens (tests/faults/die_at_journal_unlink.c).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from annotator.core import audit
from annotator.core.store import Store

from ..faults import run_killed_at_commit

KILL_RUNS = int(os.environ.get("ANNOTATOR_KILL_RUNS", "6"))  # by hand: 200 (docs/reliability.md)
SEED = int(os.environ.get("ANNOTATOR_KILL_SEED", "20261201"))

_CHILD = """
import os, signal, sys
from annotator.cli import main
kill_at, calls = int(sys.argv[1]), 0

def count(frame, event, arg):
    global calls
    if event in ("call", "c_call"):
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

sys.setprofile(count)
code = main(["--db", sys.argv[2], "import", sys.argv[3]])
sys.setprofile(None)
print(calls, file=sys.stderr)
sys.exit(code)
"""


def _folder(folder: Path, files: int = 6, per_file: int = 4) -> Path:
    folder.mkdir()
    for f in range(files):
        with (folder / f"part{f}.jsonl").open("w", encoding="utf-8") as fh:
            for r in range(per_file):
                text = f"Report {f}-{r}: the Kremlin denied that Ankara asked it to take the S-400 systems back."
                fh.write(json.dumps({"text": text, "spans": [{"start": 0, "end": 6, "label": "claim"},
                                                             {"start": 12, "end": 19, "label": "denial"}]}) + "\n")
    return folder


def _counts(path: Path) -> tuple[int, int, int]:
    with Store.open(path) as store:  # opening rolls back a hot journal, as the next writer would
        return store.article_count(), store.annotation_count(), store.event_count()


def _all_or_nothing(path: Path, before: tuple[int, int, int], after: tuple[int, int, int]) -> str:
    found = _counts(path)
    assert found in (before, after), f"{found} is neither the database before {before} nor after {after}"
    with Store.open(path) as store:
        report = audit.verify(store)
        assert report.ok, report.summary()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    return "all" if found == after else "none"


class Setting(NamedTuple):
    base: Path                      # the database before the import
    files: Path                     # what is imported
    before: tuple[int, int, int]    # articles, annotations, events before
    after: tuple[int, int, int]     # and after a whole import
    calls: int                      # Python calls the whole import makes


@pytest.fixture
def setting(tmp_path: Path) -> Setting:
    base = tmp_path / "base.db"
    with Store.open(base) as store:
        store.add_article("An article already there before the import.", title="first", actor="ana")
    files = _folder(tmp_path / "incoming")
    full = tmp_path / "full.db"
    shutil.copy(base, full)
    done = subprocess.run([sys.executable, "-c", _CHILD, "0", str(full), str(files)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return Setting(base, files, _counts(base), _counts(full), int(done.stderr.strip().splitlines()[-1]))


def test_an_import_killed_at_random_points_is_all_or_nothing(tmp_path: Path, setting: Setting) -> None:
    base, files, before, after, calls = setting
    rng = random.Random(SEED)
    points = sorted(rng.randrange(1, calls) for _ in range(KILL_RUNS))
    outcomes = []
    for first in range(0, len(points), 2):  # two at a time: the machine has two cores
        runs = []
        for i, point in enumerate(points[first:first + 2], start=first):
            db = tmp_path / f"killed-{i}.db"
            shutil.copy(base, db)
            runs.append((point, db, subprocess.Popen([sys.executable, "-c", _CHILD, str(point), str(db), str(files)],
                                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
        for point, db, child in runs:
            _, err = child.communicate(timeout=120)
            assert child.returncode == -9, f"the run to be killed at call {point} of {calls} was not: {err}"
            outcomes.append(_all_or_nothing(db, before, after))
            db.unlink()
    assert "none" in outcomes  # the draw reached into the import, not only its end


@pytest.mark.parametrize(("when", "expected"), [("before", "none"), ("after", "all")])
def test_an_import_killed_at_its_commit_is_all_or_nothing(tmp_path: Path, setting: Setting, when: str,
                                                          expected: str) -> None:
    base, files, before, after, _ = setting
    db = tmp_path / "killed.db"
    shutil.copy(base, db)
    died = run_killed_at_commit(["--db", str(db), "import", str(files)], when)
    assert died.returncode == -9, died.stderr
    assert Path(f"{db}-journal").exists() == (when == "before")
    assert _all_or_nothing(db, before, after) == expected
