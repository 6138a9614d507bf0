"""Import -> export keeps every span on its characters; export -> import -> export is identical."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import exporter
from annotator.core.importer import Importer
from annotator.core.store import Store
from annotator.core.text import normalise

PIECES = ["a", "b", " ", "\n", "\r\n", "\r", "😀", "🇹🇷", "👩\u200d💻", "e\u0301", "שלום", "مرحبا", "\t", "Ω"]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30)))
    if not text.strip():
        text += "x"
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append({"start": start, "end": end, "label": draw(st.sampled_from(["claim", "denial", "background"])),
                      "text": text[start:end], "annotator": draw(st.sampled_from(["ana", "bo"])),
                      "note": draw(st.sampled_from(["", "=1+1", "multi\nline"]))})
    return {"title": "t", "text": text, "spans": spans}


def _export(store: Store) -> bytes:
    out = io.BytesIO()
    exporter.export(store, "jsonl", out)
    return out.getvalue()


def _write(path: Path, recs: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in recs))
    return path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records(), min_size=1, max_size=4))
def test_import_export_keeps_span_text(tmp_path: Path, recs: list[dict[str, Any]]) -> None:
    store = Store.memory()
    path = _write(tmp_path / "in.jsonl", recs)
    report = Importer(store, actor="ana").run([path])
    exported = [orjson.loads(line) for line in _export(store).splitlines()]
    for record in exported:
        for span in record["spans"]:
            assert record["text"][span["start"]:span["end"]] == span["text"]
    # every span that was not dropped for covering only a removed CR is there, on the same characters
    wanted = sorted(
        (normalise(r["text"]).text, s["label"], _normalised_span(r["text"], s["start"], s["end"]))
        for r in recs for s in r["spans"] if _normalised_span(r["text"], s["start"], s["end"])
    )
    got = sorted((r["text"], s["label"], s["text"]) for r in exported for s in r["spans"])
    assert set(got) == set(wanted)
    assert not [p for p in report.rejected if "carriage return" not in p.reason]
    store.close()


def _normalised_span(raw: str, start: int, end: int) -> str:
    norm = normalise(raw)
    return norm.text[norm.offset(start):norm.offset(end)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records(), min_size=1, max_size=4))
def test_export_import_export_is_identical(tmp_path: Path, recs: list[dict[str, Any]]) -> None:
    first = Store.memory()
    Importer(first, actor="ana").run([_write(tmp_path / "in.jsonl", recs)])
    exported = _export(first)
    (tmp_path / "export.jsonl").write_bytes(exported)

    second = Store.memory()
    report = Importer(second, actor="someone-else").run([tmp_path / "export.jsonl"])
    assert report.ok
    assert _export(second) == exported  # uids, times, notes, annotators included
    first.close()
    second.close()
