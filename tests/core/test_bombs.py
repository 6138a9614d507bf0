"""Decompression and memory bombs: --max-size bounds what an import decompresses and holds.

Each hostile file is built small on disk (a few hundred KB at most, bar the
long line) and would need tens to thousands of times the limit if read
naively. They are imported one after another in a fresh process, which
restarts its memory high-water mark before each (Linux: /proc/self/clear_refs)
and reports how far above its resident size each import went.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from annotator.core.importer import Importer
from annotator.core.store import Store

from .hostile_files import BUILDERS, MB, can_measure, measure, warm_up_folder, zip_of_many_members

LIMIT = MB // 2
# A text at the limit costs about 7 times the limit honestly (bytes, text, normalised text, UTF-8 for the
# hash, SQLite's copy); nothing hostile may cost much more.
BOUND = 16 * LIMIT

# What each bomb must be stopped by (a word of the reason), where something must stop it.
STOPPED_BY = {
    "zip_lying_about_its_size": "Bad CRC-32",
    "zip_declaring_its_size": "too large",
    "zip_of_many_members": "holds more than the limit",
    "zip_of_empty_members": "files in this zip",
    "jsonl_giant_line": "line too large",
    "json_of_empty_objects": "JSON objects and lists",
    "json_of_short_strings": "spans past the",
    "jsonl_of_numbers": "more rejections in this file, not listed",
    "csv_of_tiny_cells": "commas",
    "conll_of_one_letter_spans": "spans past the",
    "brat_of_tiny_spans": "spans past the",
    "html_of_empty_elements": "tags",
    "spacy_inflating": "once decompressed",
    "spacy_of_many_strings": "strings in this DocBin",
    "parquet_repeating_a_dictionary": "holds more than the limit",
    "parquet_of_endless_rows": "holds more than the limit",
    "webanno_of_many_annotations": "spans past the",
    "doccano_of_many_triples": "spans past the",
}
_NEEDS = {"spacy": "spacy", "parquet": "pyarrow"}


def _available(name: str) -> bool:
    needs = next((module for prefix, module in _NEEDS.items() if name.startswith(prefix)), None)
    return needs is None or importlib.util.find_spec(needs) is not None


@pytest.mark.skipif(not can_measure(), reason="needs Linux's /proc/self/clear_refs to measure peak memory")
def test_hostile_files_cost_a_small_multiple_of_the_limit(tmp_path: Path) -> None:
    names = [name for name in BUILDERS if _available(name)]
    paths = []
    for name in names:
        folder = tmp_path / name
        folder.mkdir()
        paths.append(BUILDERS[name](folder, LIMIT))
        if name != "jsonl_giant_line":
            assert sum(p.stat().st_size for p in folder.iterdir()) <= LIMIT, name
    results = measure(paths, LIMIT, warm_up_folder(tmp_path / "warm"))
    report = "\n".join(f"{name}: {r['growth'] / MB:.1f} MB; {r['problems'][:2]}"
                       for name, r in zip(names, results, strict=True))
    for name, result in zip(names, results, strict=True):
        problems = result["problems"]
        assert not any(p.startswith("crashed") or "this is a bug" in p for p in problems), f"{name}\n{report}"
        assert result["growth"] <= BOUND, f"{name} took {result['growth'] / MB:.1f} MB\n{report}"
        if name in STOPPED_BY:
            assert any(STOPPED_BY[name] in p for p in problems), f"{name} was not stopped\n{report}"


def test_a_zip_of_many_articles_adds_no_more_than_the_limit(tmp_path: Path) -> None:
    # 250 distinct articles of 192 KB each, under 200 KB on disk: 48 MB in the database if let through.
    path = zip_of_many_members(tmp_path, LIMIT)
    store = Store.open(tmp_path / "a.db")
    report = Importer(store, actor="ana", max_bytes=LIMIT).run([path])
    assert report.articles_added == 2  # 2 x 192 KB fit in 512 KB, the third would not
    assert [p.reason for p in report.rejected][-1].startswith("the zip holds more than the limit of 512.0 KB")
    assert sum(len(store.article_text(a.id)) for a in store.articles()) <= LIMIT
    store.close()
    assert (tmp_path / "a.db").stat().st_size < 4 * LIMIT


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs /proc")
def test_a_file_larger_than_its_stated_size_is_cut_at_the_limit() -> None:
    from annotator.core.errors import ImportFileError
    from annotator.core.formats.base import ReadOptions, read_limited

    # /proc files say they are empty and are not: a size asked first bounds nothing.
    assert Path("/proc/self/status").stat().st_size == 0
    with pytest.raises(ImportFileError, match="grew past the limit of 100 bytes while being read"):
        read_limited(Path("/proc/self/status"), ReadOptions(max_bytes=100))
