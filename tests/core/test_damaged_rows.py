"""Rows a database holds damaged: a cell of the wrong type, offsets that break ``text[start:end] == span text``,
a span whose label or article is gone.

SQLite stores whatever it is given unless the table is STRICT: another program,
the sqlite3 shell, or a damaged disk can put 'abc' in a span's start. Verify
says each such row in words and goes on; an export leaves each out, names it,
and counts it (exit status 1 on the command line); other commands refuse with
one line naming the row. None of them crashes ("unexpected TypeError").
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import exporter
from annotator.core.agreement import agreement
from annotator.core.audit import verify
from annotator.core.errors import DamagedError
from annotator.core.store import BadRowError, Store

TEXT = "Kremlin denied the report. Ankara said nothing."


def _database(path: Path) -> tuple[Path, list[str]]:
    with Store.open(path) as store:
        a, _ = store.add_article(TEXT, title="Denial", actor="ana")
        store.add_article("Second article, untouched.", title="Other", actor="ana")
        uids = [store.add_annotation(a.id, 0, 7, "claim", annotator="ana").uid,
                store.add_annotation(a.id, 8, 14, "denial", annotator="bo").uid,
                store.add_annotation(a.id, 27, 33, "background", annotator="ana").uid]
    return path, uids


def _damage(path: Path, *sql: str, params: tuple[Any, ...] = ()) -> None:
    """Write what annotator never would: CHECK constraints and foreign keys off, as the sqlite3 shell can."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = 1")
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in sql:
        conn.execute(statement, params if "?" in statement else ())
    conn.commit()
    conn.close()


def _jsonl(store: Store) -> tuple[exporter.ExportResult, list[dict[str, Any]]]:
    out = io.BytesIO()
    result = exporter.export(store, "jsonl", out)
    return result, [orjson.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, list[str]]:
    return _database(tmp_path / "damaged.db")


@pytest.mark.parametrize(("cells", "said"), [
    ("start = end + 5", "start 12 is not before end 7"),
    ("start = -3", "start -3 is negative"),
    ('"end" = 99999999999999', "end 99999999999999 is past the end of the text (47 characters)"),
    ("start = 'abc'", "its start is 'abc', not a whole number"),
    ("start = 1.5", "its start is 1.5, not a whole number"),
    ("text = 'Kremlin!'", "does not match the article text"),
    ("note = CAST('x' AS BLOB)", "its note is a BLOB of 1 byte, not text"),
])
def test_an_export_leaves_out_a_damaged_span_and_names_it(damaged: tuple[Path, list[str]], cells: str,
                                                           said: str) -> None:
    path, uids = damaged
    _damage(path, f"UPDATE annotations SET {cells} WHERE uid = ?", params=(uids[0],))
    with Store.open_read_only(path) as store:
        result, records = _jsonl(store)
    spans = [span for record in records for span in record["spans"]]
    assert [span["uid"] for span in spans] == uids[1:]
    assert all(TEXT[span["start"]:span["end"]] == span["text"] for span in spans)
    assert result.damaged.spans == 1 and result.spans == 2
    [warning] = [w for w in result.warnings if uids[0] in w]
    assert warning.startswith(f"span {uids[0]} of article 1 left out: ") and said in warning


def test_an_article_whose_text_is_not_text_is_left_out_with_its_spans(damaged: tuple[Path, list[str]]) -> None:
    path, _uids = damaged
    _damage(path, "UPDATE articles SET text = CAST(text AS BLOB) WHERE id = 1")
    with Store.open_read_only(path) as store:
        result, records = _jsonl(store)
    assert [r["title"] for r in records] == ["Other"]
    assert (result.damaged.articles, result.damaged.spans) == (1, 3)
    assert any("(id 1) left out with its 3 spans: its text is a BLOB of 47 bytes, not text" in w
               for w in result.warnings)


def test_spans_whose_label_or_article_is_gone_are_said_not_silently_dropped(damaged: tuple[Path, list[str]]) -> None:
    path, uids = damaged
    _damage(path, f"UPDATE annotations SET label_id = 999 WHERE uid = '{uids[0]}'")
    with Store.open_read_only(path) as store:
        result, _records = _jsonl(store)
        assert any(f"span {uids[0]} of article 1 left out: its label is gone" in w for w in result.warnings)
        report = verify(store)
    assert [m.describe() for m in report.mismatches] == [
        f"annotation {uids[0]}: its label (label_id 999) is gone: deleted outside annotator"]
    _damage(path, "DELETE FROM articles WHERE id = 1")
    with Store.open_read_only(path) as store:
        result, records = _jsonl(store)
        assert [r["title"] for r in records] == ["Other"] and result.damaged.spans == 3
        assert any(f"span {uids[1]} left out: its article (id 1) is gone" in w for w in result.warnings)
        problems = [m.describe() for m in verify(store).mismatches]
    assert f"annotation {uids[1]}: its article (article_id 1) is gone: deleted outside annotator" in problems
    assert not any("is not the article text" in p for p in problems)


def test_verify_says_each_wrong_cell_in_words_and_goes_on(damaged: tuple[Path, list[str]]) -> None:
    path, uids = damaged
    _damage(path, f"UPDATE annotations SET start = 'abc' WHERE uid = '{uids[0]}'",
            "UPDATE articles SET text = CAST(text AS BLOB) WHERE id = 2",
            "UPDATE articles SET title = 'Changed' WHERE id = 1")
    with Store.open_read_only(path) as store:
        problems = [m.describe() for m in verify(store).mismatches]
    assert f"annotation {uids[0]}: its start is 'abc', not a whole number" in problems
    assert any(p.startswith("article ") and p.endswith("its text is a BLOB of 26 bytes, not text") for p in problems)
    # ... and goes on: the other checks still ran, on the rows that can be read.
    assert any("its title is 'Changed', the log says 'Denial'" in p for p in problems)


@pytest.mark.parametrize("read", ["annotations", "list", "agreement", "annotation"])
def test_other_reads_refuse_with_one_line_naming_the_row(damaged: tuple[Path, list[str]], read: str) -> None:
    path, uids = damaged
    _damage(path, f"UPDATE annotations SET start = 'abc', label_id = 999 WHERE uid = '{uids[0]}'")
    with Store.open_read_only(path) as store, pytest.raises(BadRowError) as caught:
        {"annotations": lambda: store.annotations(),
         "list": lambda: store.articles_with_counts(),
         "agreement": lambda: agreement(store),
         "annotation": lambda: store.annotation(uids[0])}[read]()
    assert isinstance(caught.value, DamagedError)
    message = str(caught.value)
    assert message.startswith(f"the database {path} is damaged: annotation {uids[0]} has ")
    assert f"'annotator verify --db {path}' lists every such row" in message


def test_a_claims_export_leaves_out_a_linked_span_that_is_damaged(damaged: tuple[Path, list[str]]) -> None:
    path, uids = damaged
    with Store.open(path) as store:
        claim_uid = store.create_claim("The report is false", actor="ana").claim_uid
        store.link_spans(uids[:2], actor="ana", claim_uid=claim_uid)
    _damage(path, f"UPDATE annotations SET \"end\" = 2 WHERE uid = '{uids[0]}'")
    with Store.open_read_only(path) as store:
        out = io.BytesIO()
        result = exporter.export(store, "claims", out)
    assert [orjson.loads(line)["span_uid"] for line in out.getvalue().splitlines()] == [uids[1]]
    assert result.damaged.spans == 1
    assert any(w.startswith(f"span {uids[0]} (linked to claim {claim_uid}) left out: ") for w in result.warnings)


_OFFSET = st.one_of(st.integers(-60, 60), st.integers(-(2**63), 2**63 - 1), st.text(max_size=3),
                    st.floats(allow_nan=False), st.binary(max_size=3))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offsets=st.lists(st.tuples(_OFFSET, _OFFSET), min_size=1, max_size=3))
def test_whatever_the_offsets_hold_every_span_exported_is_its_article_text(damaged: tuple[Path, list[str]],
                                                                           offsets: list[tuple[Any, Any]]) -> None:
    template, uids = damaged
    path = template.with_name("example.db")
    shutil.copyfile(template, path)
    for uid, (start, end) in zip(uids, offsets, strict=False):
        _damage(path, 'UPDATE annotations SET start = ?, "end" = ? WHERE uid = ?', params=(start, end, uid))
    with Store.open_read_only(path) as store:
        result, records = _jsonl(store)
    spans = [span for record in records for span in record["spans"]]
    assert all(isinstance(s["start"], int) and TEXT[s["start"]:s["end"]] == s["text"] and s["start"] < s["end"]
               and s["start"] >= 0 for s in spans)
    assert len(spans) + result.damaged.spans == 3
