"""The formats through the command line: choices, import detection, export targets, errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import orjson
import pytest

from annotator import cli
from annotator.cli import dataset
from annotator.core import formats
from annotator.core.store import Store

FOREIGN = ["doccano", "label-studio", "brat", "webanno", "spacy", "conll", "parquet"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "a.db"
    source = tmp_path / "in.jsonl"
    text = "Kremlin 😀 denied a report.\r\nAnkara confirmed it."
    source.write_bytes(orjson.dumps({"text": text, "title": "One", "spans": [
        {"start": 0, "end": 16, "label": "denial", "text": "Kremlin 😀 denied", "annotator": "ana"},
        {"start": 10, "end": 16, "label": "claim", "text": "denied", "annotator": "ben"},
    ]}) + b"\n")
    assert cli.main(["import", "--db", str(path), str(source)]) == 0
    return path


def test_every_format_is_offered_both_ways() -> None:
    export_choices = dataset.export_command.params[[p.name for p in dataset.export_command.params].index("format_name")]
    import_choices = dataset.import_command.params[[p.name for p in dataset.import_command.params].index("format_name")]
    for name in FOREIGN:
        assert name in export_choices.type.choices and name in import_choices.type.choices
        assert formats.get(name).read is not None and formats.get(name).can_write


@pytest.mark.parametrize("fmt", FOREIGN)
def test_export_then_import_by_detection(fmt: str, db: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    if fmt == "spacy":
        pytest.importorskip("spacy")
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"out{formats.get(fmt).suffix}"
    assert cli.main(["export", "--db", str(db), "--format", fmt, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    # what the summary counts is what the file holds: CoNLL keeps one of two nested spans
    assert ("wrote 1 article, 1 span (of 2; see the warnings)" if fmt == "conll" else "wrote 1 article, 2 spans") in err
    other = tmp_path / "b.db"
    assert cli.main(["import", "--db", str(other), str(out)]) == 0, capsys.readouterr().err
    with Store.open(other) as store:
        assert store.article_count() == 1
        assert store.annotation_count() == (1 if fmt == "conll" else 2)


def test_filters_apply_to_every_format(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.json"
    assert cli.main(["export", "--db", str(db), "--format", "label-studio", "--label", "claim", "--out", str(out)]) == 0
    tasks = orjson.loads(out.read_bytes())
    assert [r["value"]["labels"] for t in tasks for a in t["annotations"] for r in a["result"]] == [["claim"]]
    out = tmp_path / "ana.jsonld"
    assert cli.main(["export", "--db", str(db), "--format", "webanno", "--annotator", "ana", "--out", str(out)]) == 0
    assert orjson.loads(out.read_bytes())["total"] == 1
    out = tmp_path / "none.conll"
    assert cli.main(["export", "--db", str(db), "--format", "conll", "--status", "accepted", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == ""


def test_brat_to_stdout_is_a_zip(db: Path, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path) -> None:
    assert cli.main(["export", "--db", str(db), "--format", "brat"]) == 0
    data = capsysbinary.readouterr().out
    (tmp_path / "x.zip").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "x.zip") as zf:
        assert len([n for n in zf.namelist() if n.endswith(".ann")]) == 1


def test_brat_to_a_folder_warns_what_it_lost(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--db", str(db), "--format", "brat", "--out", str(tmp_path / "folder")]) == 0
    assert "annotator: warning: brat keeps offsets, labels and notes" in capsys.readouterr().err
    assert len(list((tmp_path / "folder").glob("*.ann"))) == 1


def test_parquet_to_stdout_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", "--db", str(db), "--format", "parquet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: the parquet format writes more than one file") and err.count("\n") == 1


def test_forced_format_and_a_foreign_file_with_problems(db: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tasks.txt"  # a misleading extension: --format decides
    path.write_bytes(orjson.dumps([{"data": {"text": "A claim 😀 here."}, "annotations": [{"result": [
        {"type": "labels", "value": {"start": 2, "end": 7, "text": "claim", "labels": ["claim"]}},
        {"type": "labels", "value": {"start": 0, "end": 1, "text": "A", "labels": ["rumour"]}},
    ]}]}]))
    assert cli.main(["import", "--db", str(db), "--format", "label-studio", str(path)]) == 1
    captured = capsys.readouterr()
    assert "annotator: rejected:" in captured.err and "unknown label 'rumour'" in captured.err
    assert "1 article added, 1 span added" in captured.out


def test_truncated_file_gives_one_clear_line_per_problem(db: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cut.jsonld"
    path.write_text('{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annota', encoding="utf-8")
    assert cli.main(["import", "--db", str(db), str(path)]) == 1
    err = capsys.readouterr().err
    assert "annotator: rejected:" in err and "not valid JSON" in err and "Traceback" not in err
