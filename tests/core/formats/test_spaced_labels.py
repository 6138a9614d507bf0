"""A label with a space survives the formats that cannot write one (brat types, CoNLL's BIO tags).

They write "half true" as "half_true" and say so; the import of that very file reads it back as
"half true" where the database has that label, and says so (QA-3 D27).
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core import exporter
from annotator.core.importer import Importer
from annotator.core.store import Store

TEXT = "The minister said the figures were half true at best."


def _store_with_half_true() -> Store:
    store = Store.memory()
    store.create_label("half true", "#CC79A7", "", "", actor="ana")
    return store


@pytest.mark.parametrize(("fmt", "name"), [("brat", "out"), ("conll", "out.conll")])
def test_a_spaced_label_comes_back_from_its_own_export(tmp_path: Path, fmt: str, name: str) -> None:
    source = _store_with_half_true()
    article, _ = source.add_article(TEXT, title="t", actor="ana")
    start = TEXT.index("half true")
    source.add_annotation(article.id, start, start + len("half true"), "half true", annotator="ana")
    result = exporter.export(source, fmt, tmp_path / name)
    assert any("label 'half true' written as 'half_true' (an import into a database with that label reads it back)"
               in w for w in result.warnings), result.warnings

    target = _store_with_half_true()
    report = Importer(target, actor="ana").run([tmp_path / name])
    assert report.ok, report.rejected
    assert [p.reason for p in report.remarks if "half" in p.reason] == [
        "label 'half_true' read as 'half true' (a format without spaces in its labels writes it so)"]
    [article] = target.articles()
    assert [a.label for a in target.annotations_for(article.id)] == ["half true"]
    assert [label.name for label in target.labels()].count("half true") == 1


def test_an_underscore_naming_no_spaced_label_stays_unknown(tmp_path: Path) -> None:
    store = Store.memory()
    path = tmp_path / "a.jsonl"
    path.write_bytes(orjson.dumps({"text": TEXT, "spans": [{"start": 0, "end": 3, "label": "half_true"}]}) + b"\n")
    report = Importer(store, actor="ana").run([path])
    assert [p.reason for p in report.rejected] == [
        "unknown label 'half_true' (labels: claim, denial, background; --create-labels adds it)"]


def test_an_underscore_in_a_label_of_its_own_is_that_label(tmp_path: Path) -> None:
    store = _store_with_half_true()
    store.create_label("half_true", "#D55E00", "", "", actor="ana")
    path = tmp_path / "a.jsonl"
    path.write_bytes(orjson.dumps({"text": TEXT, "spans": [{"start": 0, "end": 3, "label": "half_true"}]}) + b"\n")
    report = Importer(store, actor="ana").run([path])
    assert report.ok and not report.remarks
    [article] = store.articles()
    assert [a.label for a in store.annotations_for(article.id)] == ["half_true"]
