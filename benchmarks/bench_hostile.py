"""Hostile files against the import: what each costs in memory, as a multiple of --max-size.

Run by hand:  python benchmarks/bench_hostile.py [--max-size MB] [NAME...]

Builds the hostile files of ``tests/core/hostile_files.py`` (decompression
bombs and files dense in what readers expand) for the given limit, imports
them one after another in a fresh process that restarts its memory
high-water mark before each (Linux), and prints each file's size on disk,
the memory its import took above the process's resident size, that as a
multiple of the limit, and the first problem reported. Needs Linux
(/proc/self/clear_refs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.hostile_files import BUILDERS, MB, can_measure, measure, warm_up_folder  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-size", type=float, default=1.0, metavar="MB")
    parser.add_argument("names", nargs="*", choices=[[], *BUILDERS], metavar="NAME")
    args = parser.parse_args()
    if not can_measure():
        print("needs Linux's /proc/self/clear_refs", file=sys.stderr)
        return 1
    limit = int(args.max_size * MB)
    names = args.names or list(BUILDERS)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = []
        for name in names:
            folder = root / name
            folder.mkdir()
            paths.append(BUILDERS[name](folder, limit))
        started = time.perf_counter()
        results = measure(paths, limit, warm_up_folder(root / "warm"))
        elapsed = time.perf_counter() - started
        print(f"--max-size {args.max_size:g} MB; {len(names)} hostile files; {elapsed:.1f} s in all")
        print(f"{'file':32} {'on disk':>10} {'memory':>9} {'x limit':>8}  first problem")
        for name, result in zip(names, results, strict=True):
            disk = sum(p.stat().st_size for p in (root / name).iterdir())
            first = result["problems"][0] if result["problems"] else "(imported)"
            print(f"{name:32} {disk / 1024:8.0f} KB {result['growth'] / MB:6.1f} MB {result['growth'] / limit:7.1f}x"
                  f"  {first[:70]}")
        worst = max(results, key=lambda r: r["growth"])
        print(f"worst: {Path(worst['path']).name}, {worst['growth'] / MB:.1f} MB ({worst['growth'] / limit:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
