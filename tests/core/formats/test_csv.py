"""CSV export: no cell of any column can start a spreadsheet formula."""

from __future__ import annotations

import csv
import io

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
