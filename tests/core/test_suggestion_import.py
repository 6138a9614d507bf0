"""Imported predictions: any span format, as suggestions with the score the format carries."""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.core.importer import Importer
from annotator.core.store import Store
from annotator.core.suggestion_import import SuggestionImporter

TEXT = "Kremlin denied the report. Turkey bought the S-400 in 2017."


def write(path: Path, value: object) -> Path:
    values = [value]
    path.write_bytes(b"".join(orjson.dumps(v, option=orjson.OPT_APPEND_NEWLINE) for v in values))
    return path


def label_studio(tmp_path: Path) -> Path:
    region = {"from_name": "label", "to_name": "text", "type": "labels"}
    task = {
        "data": {"text": TEXT},
        "annotations": [{"result": [{**region, "value": {"start": 0, "end": 26, "labels": ["denial"]}}]}],
        "predictions": [{"model_version": "v3", "score": 0.7, "result": [
            {**region, "value": {"start": 27, "end": 59, "labels": ["background"]}, "score": 0.91},
            {**region, "value": {"start": 0, "end": 14, "labels": ["claim"]}},
        ]}],
    }
    path = tmp_path / "preds.json"
    path.write_bytes(orjson.dumps([task]))
    return path


def found(store: Store) -> list[tuple[int, int, str, float | None, str]]:
    return [(s.start, s.end, s.label, s.score, s.source) for s in store.suggestion_rows(order="position")]


def test_label_studio_predictions_and_annotations_become_suggestions(store: Store, tmp_path: Path) -> None:
    report = SuggestionImporter(store, actor="ana").run([label_studio(tmp_path)])
    assert report.ok and (report.articles_added, report.suggestions_added, report.spans_added) == (1, 3, 0)
    assert found(store) == [(0, 14, "claim", 0.7, "import:preds.json"), (0, 26, "denial", None, "import:preds.json"),
                            (27, 59, "background", 0.91, "import:preds.json")]
    assert store.annotation_count() == 0
    assert "3 suggestions added" in report.summary()
    again = SuggestionImporter(store, actor="ana").run([label_studio(tmp_path)])
    assert (again.suggestions_added, again.suggestions_existing) == (0, 3)


def test_an_import_of_annotations_still_leaves_predictions_out(store: Store, tmp_path: Path) -> None:
    report = Importer(store, actor="ana").run([label_studio(tmp_path)])
    assert report.spans_added == 1 and store.suggestion_count() == 0
    assert any("1 prediction (model output" in p.reason and "--as-suggestions" in p.reason for p in report.remarks)


def test_doccano_and_native_scores(store: Store, tmp_path: Path) -> None:
    doccano = write(tmp_path / "auto.jsonl", {"text": TEXT, "label": [[0, 26, "denial", 0.8], [27, 59, "claim"]]})
    native = write(tmp_path / "mine.jsonl", {"text": TEXT, "title": "t", "spans": [
        {"start": 27, "end": 59, "label": "background", "score": 0.35, "annotator": "model"},
        {"start": 0, "end": 7, "label": "claim", "score": 2, "annotator": "model"}]})
    report = SuggestionImporter(store, actor="ana").run([doccano, native])
    assert found(store) == [(0, 26, "denial", 0.8, "import:auto.jsonl"), (27, 59, "claim", None, "import:auto.jsonl"),
                            (27, 59, "background", 0.35, "import:mine.jsonl")]
    (rejected,) = report.rejected
    assert rejected.place.endswith("mine.jsonl:1 span[1]") and "from 0 to 1" in rejected.reason


def test_a_suggestion_where_the_label_is_tagged_is_not_made(store: Store, tmp_path: Path) -> None:
    article, _ = store.add_article(TEXT, title="t", actor="ana")
    store.add_annotation(article.id, 0, 7, "denial", annotator="bo")
    path = write(tmp_path / "auto.jsonl", {"text": TEXT, "label": [[0, 26, "denial", 0.8], [0, 26, "claim", 0.6]]})
    report = SuggestionImporter(store, actor="ana").run([path])
    assert (report.articles_existing, report.suggestions_added, report.suggestions_existing) == (1, 1, 1)
    assert [s.label for s in store.suggestion_rows()] == ["claim"]
