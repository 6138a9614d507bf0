from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, FormatError
from annotator.core.store import Store

from .conftest import ALL, ARTICLES, SPANS, articles, export_to, import_into_empty, spans


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


def _row(i: int, *, article_id: int | None = None) -> dict:
    from .shapes import record, span

    text = f"Kremlin denial number {i}."
    spans = [{**span(f"s{i}", 0, 7, "claim", text=text), "reviewer": None, "reviewed_at": None, "review_note": ""}]
    return record(spans, text=text, uid=f"u{i}", article_id=i + 1 if article_id is None else article_id,
                  url=None, published=None)


def test_a_large_export_is_written_in_row_groups_of_200_articles(tmp_path: Path) -> None:
    """Memory stays bounded: 200 articles (and their spans) at a time, every batch under the files' schemas."""
    pq = pytest.importorskip("pyarrow.parquet")
    from annotator.core.formats import parquet

    out = tmp_path / "big.parquet"
    parquet.write_path([_row(i) for i in range(401)], out)
    for path in (out, tmp_path / "big.articles.parquet"):
        meta = pq.ParquetFile(path).metadata
        assert [meta.row_group(g).num_rows for g in range(meta.num_row_groups)] == [200, 200, 1], path.name
    articles = pq.read_table(tmp_path / "big.articles.parquet").to_pydict()
    assert articles["id"] == list(range(1, 402)) and set(articles["url"]) == {None}
    assert pq.read_table(out).to_pydict()["uid"] == [f"s{i}" for i in range(401)]


def test_the_articles_file_named_instead_of_the_spans_file_brings_both(dataset: Store, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    export_to(dataset, "parquet", tmp_path / "data.parquet")
    store, report = import_into_empty([tmp_path / "data.articles.parquet"])
    assert report.ok and store.article_count() == len(ARTICLES) and len(spans(store)) == len(SPANS)


def test_an_article_row_without_an_id_or_a_text_is_a_problem_in_words(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from annotator.core.formats import parquet

    from .shapes import read_all, reasons

    parquet.write_path([{**_row(0), "spans": []}, {**_row(1), "id": None, "spans": []},
                        {**_row(2), "text": None, "spans": []}], tmp_path / "x.parquet")
    records, problems = read_all(parquet.read, tmp_path / "x.parquet")
    assert [r.uid for r in records] == ["u0"]
    articles = tmp_path / "x.articles.parquet"
    assert reasons(problems) == [(f"{articles}[1]", "no id", True), (f"{articles}[2]", "no text", True)]
