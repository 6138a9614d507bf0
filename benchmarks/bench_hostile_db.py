"""The database under hostile conditions (issue 11), measured: writers side by side, and kills.

Run by hand:

    nice -n 10 python benchmarks/bench_hostile_db.py writers [--articles 1000] [--every 0.2]
    nice -n 10 python benchmarks/bench_hostile_db.py kills [--runs 200] [--seed 1]

``writers``: a CLI import of N synthetic newsroom articles (100 spans each)
runs while this process tags a span every ``--every`` seconds in the same
database, as the workspace would: once refusing when the lock is taken (the
busy timeout, as before issue 11), once waiting its turn (``wait_for_writers``).
It prints how many tags were saved or refused and how long they waited.

``kills``: imports killed (SIGKILL) at random Python calls (the child of
tests/core/test_kills.py), then at the commit itself with the preloaded
``unlink`` shim, each checked all-or-nothing, verified and integrity-checked.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402

from annotator.core.errors import AnnotatorError  # noqa: E402
from annotator.core.store import Store  # noqa: E402

TEXT = " ".join(f"word{i}" for i in range(5000))


class Patient:
    def __init__(self) -> None:
        self.waits = 0

    def wait(self, waited: float) -> bool:
        self.waits += 1
        return True

    def done(self) -> None:
        pass


def writers(articles: int, every: float, patient: bool, work: Path) -> dict[str, float]:
    source = work / "import.jsonl"
    if not source.exists():
        corpus.write_jsonl(source, n=articles)
    db = work / f"writers-{'wait' if patient else 'refuse'}.db"
    for suffix in ("", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with Store.open(db) as store:
        article, _ = store.add_article(TEXT, title="to tag", actor="ana")
    store = Store.open(db)
    store.wait_for_writers(Patient() if patient else None, poll_ms=50 if patient else 5000)
    importer = subprocess.Popen([sys.executable, "-m", "annotator", "--db", str(db), "import", str(source)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    latencies, refused, start = [], 0, time.perf_counter()
    offset = 0
    while importer.poll() is None:
        t = time.perf_counter()
        try:
            store.add_annotation(article.id, offset, offset + 4, "claim", annotator="ana")
            latencies.append(time.perf_counter() - t)
        except (AnnotatorError, sqlite3.Error):  # refused: busy, in SQLite's words or ours
            refused += 1
        offset += 10
        time.sleep(every)
    import_s = time.perf_counter() - start
    store.close()
    tags = len(latencies) + refused
    return {"import s": import_s, "tags": tags, "saved": len(latencies), "refused": refused,
            "refused %": 100 * refused / max(tags, 1),
            "median wait s": statistics.median(latencies) if latencies else 0.0,
            "max wait s": max(latencies, default=0.0)}


def kills(runs: int, seed: int, work: Path) -> dict[str, int]:
    from tests.core import test_kills as k
    from tests.faults import journal_killer

    base = work / "base.db"
    with Store.open(base) as store:
        store.add_article("An article already there before the import.", title="first", actor="ana")
    files = k._folder(work / "incoming")
    full = work / "full.db"
    shutil.copy(base, full)
    done = subprocess.run([sys.executable, "-c", k._CHILD, "0", str(full), str(files)], capture_output=True,
                          text=True, check=True)
    calls = int(done.stderr.strip().splitlines()[-1])
    before, after = k._counts(base), k._counts(full)
    rng = random.Random(seed)
    outcome = {"runs": 0, "all": 0, "none": 0}
    for i in range(runs):
        db = work / f"k{i}.db"
        shutil.copy(base, db)
        point = rng.randrange(1, calls)
        child = subprocess.run([sys.executable, "-c", k._CHILD, str(point), str(db), str(files)],
                               capture_output=True, text=True)
        assert child.returncode == -9, child.stderr
        outcome[k._all_or_nothing(db, before, after)] += 1
        outcome["runs"] += 1
        db.unlink()
    if journal_killer() is not None:
        for when in ("before", "after"):
            for i in range(max(1, runs // 20)):
                db = work / f"c{when}{i}.db"
                shutil.copy(base, db)
                died = subprocess.run([sys.executable, "-m", "annotator", "--db", str(db), "import", str(files)],
                                      capture_output=True, text=True,
                                      env={**__import__("os").environ, "LD_PRELOAD": str(journal_killer()),
                                           "DIE_AT_JOURNAL_UNLINK": when})
                assert died.returncode == -9
                outcome[f"at commit ({when})"] = outcome.get(f"at commit ({when})", 0) + 1
                outcome[k._all_or_nothing(db, before, after)] += 1
                outcome["runs"] += 1
    outcome["calls per import"] = calls
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("measure", choices=["writers", "kills"])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--every", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.measure == "writers":
            for patient in (False, True):
                result = writers(args.articles, args.every, patient, work)
                print(("waiting its turn" if patient else "refused when busy (before)") + ": "
                      + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()))
        else:
            print(kills(args.runs, args.seed, work))


if __name__ == "__main__":
    main()
