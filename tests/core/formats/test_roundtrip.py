"""Properties every format keeps, on generated text full of offset traps."""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import exporter
from annotator.core.store import Store

from .conftest import import_into_empty, spans

PIECES = ["a", "bc", "Kreml", " ", "  ", "\n", ",", ".", "\"", "😀", "🇹🇷", "👩\u200d💻", "e\u0301", "שלום",
          "مرحبا", "𝔘", "-", "'", "\t"]
LABELS = ("claim", "denial", "background")
# (format, what it carries beyond offsets, label and text)
EXACT = [("jsonl", ("uid", "annotator", "status", "note")), ("doccano", ("uid", "annotator", "status", "note")),
         ("label-studio", ("uid", "annotator", "note")), ("brat", ()), ("webanno", ("uid", "annotator", "status")),
         ("spacy", ("uid", "annotator", "status", "note")), ("parquet", ("uid", "annotator", "status", "note"))]
OPTIONAL = {"spacy": "spacy", "parquet": "pyarrow"}


@st.composite
def articles(draw: st.DrawFn) -> list[tuple[str, list[tuple[int, int, str, str]]]]:
    result = []
    for i in range(draw(st.integers(1, 3))):
        # Distinct first words: CoNLL rebuilds text from tokens, so articles differing
        # only in whitespace would become one (the same text is never stored twice).
        text = f"d{i}" + "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30)))
        n = len(text)
        raw = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 12), st.sampled_from(LABELS),
                                      st.sampled_from(("ana", "ben"))), max_size=8))
        unique = {(s, min(n, s + w), label): who for s, w, label, who in raw}
        result.append((text, [(s, e, label, who) for (s, e, label), who in unique.items()]))
    return result


def _store(data: list[tuple[str, list[tuple[int, int, str, str]]]]) -> Store:
    store = Store.memory()
    for text, spans_in in data:
        article, added = store.add_article(text, title="t", actor="gen")
        if not added:
            continue
        for start, end, label, who in spans_in:
            annotation = store.add_annotation(article.id, start, end, label, annotator=who, note=f"n{start}")
            if start % 3 == 0:
                store.set_status(annotation.uid, "accepted", actor="rev")
    return store


def _brat_expected(rows: list[tuple]) -> list[tuple]:
    # brat fragments cannot begin or end on a line break (documented, and warned about on export)
    out = []
    for text, start, end, label, _span_text in rows:
        while start < end and text[start] == "\n":
            start += 1
        while end > start and text[end - 1] == "\n":
            end -= 1
        if start < end:
            out.append((text, start, end, label, text[start:end]))
    return sorted(set(out))


@pytest.mark.parametrize(("fmt", "carried"), EXACT, ids=[f for f, _ in EXACT])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=articles())
def test_export_import_export_keeps_the_spans(fmt: str, carried: tuple[str, ...], data: list) -> None:
    if fmt in OPTIONAL and importlib.util.find_spec(OPTIONAL[fmt]) is None:
        pytest.skip(f"{OPTIONAL[fmt]} is not installed")
    store = _store(data)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("out.zip" if fmt == "brat" else f"out.{fmt}")
        exporter.export(store, fmt, out)
        copy, report = import_into_empty([out], fmt=fmt)
        assert not report.rejected, report.rejected
    fields = ("start", "end", "label", "text")
    if fmt == "brat":
        assert sorted(set(spans(copy, fields))) == _brat_expected(spans(store, fields))
    else:
        assert spans(copy, fields + carried) == spans(store, fields + carried)


@settings(max_examples=40, deadline=None)
@given(data=articles())
def test_conll_export_is_a_fixed_point(data: list) -> None:
    store = _store(data)
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "1.conll", Path(tmp) / "2.conll"
        exporter.export(store, "conll", first)
        copy, report = import_into_empty([first])
        assert not report.rejected, report.rejected
        exporter.export(copy, "conll", second)
        assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
