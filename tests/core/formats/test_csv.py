"""CSV export: no cell of any column can start a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.formats import csv as csv_format
from annotator.core.formats.csv import COLUMNS, safe_row

# What spreadsheets run as a formula, or let a formula hide behind (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = ("title", "source", "label", "text", "annotator", "status", "note", "uid")


def _written(start: str) -> dict[str, str]:
    """One span whose every text field starts with ``start``, written and read back as column -> cell."""
    value = {name: f"{start}{name} cmd|'/C calc'!A0" for name in TEXT_COLUMNS}
    record = {
        "id": 7, "uid": "article-uid", "title": value["title"], "source": value["source"], "url": None,
        "published": None, "sha256": "0" * 64, "text": value["text"],
        "spans": [{"uid": value["uid"], "start": 0, "end": len(value["text"]), "label": value["label"],
                   "text": value["text"], "annotator": value["annotator"], "status": value["status"],
                   "note": value["note"], "created_at": "2026-01-01T00:00:00Z",
                   "updated_at": "2026-01-01T00:00:00Z"}],
    }
    out = io.BytesIO()
    csv_format.write([record], out)
    header, row = csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline=""))
    assert tuple(header) == COLUMNS
    return dict(zip(header, row, strict=True))


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_every_text_column_is_neutralised(start: str) -> None:
    cells = _written(start)
    for name in TEXT_COLUMNS:
        assert cells[name] == f"'{start}{name} cmd|'/C calc'!A0", name
    # numbers are left as numbers
    assert (cells["article_id"], cells["start"]) == ("7", "0")
    assert cells["end"] == str(len(f"{start}text cmd|'/C calc'!A0"))


def test_a_cell_that_only_contains_a_formula_start_is_left_alone() -> None:
    cells = _written("x")
    assert cells["uid"] == "xuid cmd|'/C calc'!A0"
    assert safe_row(["a=b", "1-2", "", None, 3, -4]) == ["a=b", "1-2", "", None, 3, -4]


@given(st.lists(st.one_of(st.text(), st.integers(), st.none()), max_size=12))
def test_no_text_cell_of_a_safe_row_starts_a_formula(cells: list[object]) -> None:
    row = safe_row(cells)
    assert len(row) == len(cells)
    for before, after in zip(cells, row, strict=True):
        if isinstance(before, str) and before.startswith(FORMULA_STARTS):
            assert after == "'" + before
        else:
            assert after == before
        assert not (isinstance(after, str) and after.startswith(FORMULA_STARTS))


def test_an_article_without_a_source_has_an_empty_source_cell() -> None:
    from .shapes import record, two_spans, written

    raw, _ = written(csv_format.write, [record(two_spans(), source=None)])
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert [row[2] for row in rows[1:]] == ["", ""]
    assert rows[1][COLUMNS.index("note")] == "the wire\nreport" and b'"the wire\nreport"' in raw


def test_articles_read_from_a_text_column(tmp_path: Path) -> None:
    from annotator.core.formats.base import RecordIn

    from .shapes import article, read_all, reasons

    path = tmp_path / "a.csv"
    uid = "11111111-1111-4111-8111-111111111111"
    path.write_bytes(b"Title,Source, TEXT ,url,published,uid\r\n"
                     b'First,Wire,"Line one\r\nline two",https://x.test,2025-01-01,' + uid.encode() + b"\r\n"
                     b",,,,,\r\n"
                     b"Short,row\r\n"
                     b"Second,,Body two,,,\r\n")
    records, problems = read_all(csv_format.read, path)
    assert [article(r) for r in records] == [article(r) for r in [
        RecordIn(text="Line one\r\nline two", place=f"{path}:2", title="First", source="Wire", url="https://x.test",
                 published="2025-01-01", uid=uid, origin="a.csv"),
        RecordIn(text="Body two", place=f"{path}:6", title="Second", origin="a.csv"),
    ]]
    assert reasons(problems) == [(f"{path}:5", "2 cells where the header has 6", True)]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty CSV file"),
    (b"title,body\r\nx,y\r\n", "no 'text' column (columns: title, body)"),
    (",".join(COLUMNS).encode() + b"\r\n",
     "this is a span export (one row per span), not articles; import the JSONL export instead"),
    (b"text,Text,title\nfirst,second,T\n", "the column 'text' is given twice (columns 1 and 2); which one is meant"
                                           " is unknown"),
    (b"text,title,TITLE\nfirst,T,U\n", "the column 'title' is given twice (columns 2 and 3); which one is meant"
                                       " is unknown"),
    (b"text;title\nhello;T\n", "no 'text' column (columns: text;title); it looks separated by ';', and annotator"
                               " reads comma-separated CSV (save it with commas)"),
    (b"title\ttext\nT\thello\n", "no 'text' column (columns: title\ttext); it looks separated by '\\t', and"
                                  " annotator reads comma-separated CSV (save it with commas)"),
], ids=["empty", "no-text", "span-export", "text-twice", "title-twice", "semicolons", "tabs"])
def test_files_that_hold_no_articles(tmp_path: Path, content: bytes, message: str) -> None:
    from annotator.core.errors import ImportFileError
    from annotator.core.formats.base import ReadOptions

    path = tmp_path / "a.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as refused:
        list(csv_format.read(path, ReadOptions()))
    assert str(refused.value) == message


def test_a_legacy_encoding_is_remarked_with_the_file(tmp_path: Path) -> None:
    from .shapes import read_all

    path = tmp_path / "a.csv"
    path.write_bytes("text\r\nCafé: naïve résumé à la carte; déjà vu.\r\n".encode("cp1252"))
    [article], [remark] = read_all(csv_format.read, path)
    assert (remark.place, remark.rejected) == (str(path), False) and "not UTF-8" in remark.reason
    assert article.text.startswith("Café")


def test_an_extra_column_given_twice_is_no_matter(tmp_path: Path) -> None:
    from .shapes import read_all

    path = tmp_path / "a.csv"
    path.write_bytes(b"text,notes,notes\nhello,a,b\n")
    [record], [] = read_all(csv_format.read, path)
    assert record.text == "hello"


@pytest.mark.parametrize(("content", "line", "lines"), [
    (b'text,title\n"never closed,T\nmore,lines\n', 2, "2 lines"),
    (b'text\nfine\n"never closed', 3, "1 line"),
])
def test_a_quote_never_closed_is_said(tmp_path: Path, content: bytes, line: int, lines: str) -> None:
    """Python's reader takes it to run to the end of the file: one cell, which was said as a cell count."""
    from .shapes import read_all, reasons

    path = tmp_path / "a.csv"
    path.write_bytes(content)
    records, problems = read_all(csv_format.read, path)
    assert [r.text for r in records] == (["fine"] if line == 3 else [])
    assert reasons(problems) == [(f"{path}:{line}", f"a quote opened on line {line} is never closed, so the rest of"
                                                   f" the file ({lines}) reads as one cell; not imported", True)]


def test_closed_quotes_and_a_quote_inside_a_cell_are_read(tmp_path: Path) -> None:
    from .shapes import read_all

    path = tmp_path / "a.csv"
    path.write_bytes(b'text,title\n"ok ""x"" y",T\n5" screen,"a\nb"\n')
    records, problems = read_all(csv_format.read, path)
    assert problems == [] and [(r.text, r.title) for r in records] == [('ok "x" y', "T"), ('5" screen', "a\nb")]


def test_one_cell_is_one_cell(tmp_path: Path) -> None:
    from .shapes import read_all, reasons

    path = tmp_path / "ragged.csv"
    path.write_bytes(b"text,title,source\nonly text\n")
    _records, problems = read_all(csv_format.read, path)
    assert reasons(problems) == [(f"{path}:2", "1 cell where the header has 3", True)]
