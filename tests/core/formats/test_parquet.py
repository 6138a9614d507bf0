from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, FormatError
from annotator.core.store import Store

from .conftest import ALL, SPANS, articles, export_to, import_into_empty, spans


def test_round_trip_keeps_every_field(dataset: Store, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    folder = tmp_path / "export"
    folder.mkdir()
    out = folder / "data.parquet"
    export_to(dataset, "parquet", out)
    assert (folder / "data.articles.parquet").is_file()
    copy, report = import_into_empty([folder])  # a folder: the articles file is read with its spans, once
    assert report.ok, report.problems
    assert report.files == 1
    assert spans(copy, ALL) == spans(dataset, ALL)
    assert articles(copy, ("uid", "title", "source", "url", "text")) == articles(
        dataset, ("uid", "title", "source", "url", "text"))


def test_pandas_reads_one_row_per_span(dataset: Store, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "data.parquet"
    export_to(dataset, "parquet", out)
    spans_frame = pd.read_parquet(out)
    articles_frame = pd.read_parquet(tmp_path / "data.articles.parquet")
    assert len(spans_frame) == len(SPANS) and len(articles_frame) == 3  # the article without spans too
    joined = spans_frame.merge(articles_frame, left_on="article_id", right_on="id", suffixes=("", "_article"))
    for row in joined.itertuples():
        assert row.text_article[row.start:row.end] == row.text


def test_datasets_loads_the_spans(dataset: Store, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "data.parquet"
    export_to(dataset, "parquet", out)
    # two tables with different columns: two loads (a DatasetDict's splits share one schema)
    loaded = datasets.load_dataset("parquet", data_files=str(out), split="train", cache_dir=str(tmp_path / "c"))
    texts = {row["id"]: row["text"] for row in datasets.load_dataset(
        "parquet", data_files=str(tmp_path / "data.articles.parquet"), split="train", cache_dir=str(tmp_path / "c"))}
    assert loaded.num_rows == len(SPANS)
    for row in loaded:
        assert texts[row["article_id"]][row["start"]:row["end"]] == row["text"]


def test_filtered_export(dataset: Store, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "claims.parquet"
    export_to(dataset, "parquet", out, labels=["claim"], annotators=["ana"])
    frame = pd.read_parquet(out)
    assert set(frame["label"]) == {"claim"} and set(frame["annotator"]) == {"ana"}
    assert len(frame) == sum(1 for s in SPANS if s[3] == "claim" and s[4] == "ana")


def test_spans_without_their_articles(tmp_path: Path, dataset: Store) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "data.parquet"
    export_to(dataset, "parquet", out)
    (tmp_path / "data.articles.parquet").unlink()
    store, report = import_into_empty([out])
    assert store.article_count() == 0 and "no data.articles.parquet beside it" in report.rejected[0].reason


def test_damaged_file_and_stdout(tmp_path: Path, dataset: Store) -> None:
    pytest.importorskip("pyarrow")
    (tmp_path / "x.parquet").write_bytes(b"PAR1 garbage")
    (tmp_path / "x.articles.parquet").write_bytes(b"PAR1 garbage")
    store, report = import_into_empty([tmp_path / "x.parquet"])
    assert store.article_count() == 0 and "not a readable Parquet file" in report.rejected[0].reason
    import io

    with pytest.raises(AnnotatorError, match="writes more than one file"):
        from annotator.core import exporter

        exporter.export(dataset, "parquet", io.BytesIO())


def test_without_pyarrow_a_clear_message(dataset: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: object, **kwargs: object) -> object:
        if name.split(".")[0] == "pyarrow":
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(FormatError, match=r"needs pyarrow.*annotator\[parquet\]"):
        export_to(dataset, "parquet", tmp_path / "x.parquet")
    assert not list(tmp_path.glob("x*")) and not list(tmp_path.glob(".*"))
