from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core import formats


def _write(path: Path, obj: object) -> Path:
    path.write_bytes(orjson.dumps(obj))
    return path


def test_json_is_told_apart_by_its_keys_not_its_text(tmp_path: Path) -> None:
    # an article whose text quotes the other formats' keys is still native
    sneaky = {"text": 'he wrote {"data": 1, "annotations": [], "@context": "x", "target": 2}', "spans": []}
    assert formats.for_path(_write(tmp_path / "native.json", sneaky)).name == "jsonl"
    assert formats.for_path(_write(tmp_path / "list.json", [sneaky])).name == "jsonl"
    ls = [{"id": 1, "annotations": [], "data": {"text": "x"}}]
    assert formats.for_path(_write(tmp_path / "ls.json", ls)).name == "label-studio"
    wa = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "target": "x"}
    assert formats.for_path(_write(tmp_path / "wa.json", wa)).name == "webanno"
    assert formats.for_path(tmp_path / "x.jsonld").name == "webanno"
    assert formats.for_path(tmp_path / "x.ann").name == "brat"
    assert formats.for_path(tmp_path / "x.spacy").name == "spacy"
    assert formats.for_path(tmp_path / "x.bio").name == "conll"


def test_jsonl_is_told_apart_by_its_first_line(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_bytes(b'\n{"text": "a", "label": [[0, 1, "claim"]]}\n')
    (tmp_path / "n.jsonl").write_bytes(b'{"text": "a", "spans": [], "label": "odd"}\n')
    (tmp_path / "e.jsonl").write_bytes(b"")
    assert formats.for_path(tmp_path / "d.jsonl").name == "doccano"
    assert formats.for_path(tmp_path / "n.jsonl").name == "jsonl"
    assert formats.for_path(tmp_path / "e.jsonl").name == "jsonl"


def test_every_format_documents_itself() -> None:
    docs = (Path(__file__).parents[3] / "docs" / "formats.md").read_text(encoding="utf-8")
    for fmt in formats.FORMATS.values():
        assert fmt.description
        assert f"`{fmt.name}`" in docs, f"{fmt.name} missing from docs/formats.md"


def test_optional_formats_say_whether_they_can_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    assert formats.get("jsonl").available
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    assert not formats.get("parquet").available
    assert formats.get("parquet").extra == "parquet"
