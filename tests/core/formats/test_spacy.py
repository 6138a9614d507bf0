from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from annotator import cli
from annotator.core.errors import FormatError
from annotator.core.formats.spacy import words_and_spaces
from annotator.core.store import Store

from .conftest import ALL, articles, export_to, import_into_empty, spans


def test_round_trip_keeps_every_field(dataset: Store, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    out = tmp_path / "train.spacy"
    export_to(dataset, "spacy", out)
    copy, report = import_into_empty([out])
    assert report.ok, report.problems
    assert spans(copy, ALL) == spans(dataset, ALL)
    assert articles(copy, ("uid", "title", "source", "url", "text")) == articles(
        dataset, ("uid", "title", "source", "url", "text"))


def test_spacy_reads_our_docbin_and_char_span_finds_every_span(dataset: Store, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "train.spacy"
    export_to(dataset, "spacy", out)
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    records = list(dataset.export_records())
    assert [d.text for d in docs] == [r["text"] for r in records]
    for doc, record in zip(docs, records, strict=True):
        assert len(doc.spans["sc"]) == len(record["spans"])
        for span, expected in zip(doc.spans["sc"], record["spans"], strict=True):
            found = doc.char_span(expected["start"], expected["end"])
            assert found is not None, expected
            assert found.text == expected["text"] == span.text and span.label_ == expected["label"]
            assert span.id_ == expected["uid"]
        # spaCy's own whitespace convention: no token is a lone space unless a span needs it
        assert sum(t.text == " " for t in doc) <= 1


def test_whitespace_goes_where_spans_need_it() -> None:
    text = "one two  three\nfour"
    words, spaces = words_and_spaces(text, [])
    assert words == ["one", "two", " ", "three", "\n", "four"] and spaces == [True, True, False, False, False, False]
    # a span that starts on the space after "one" needs that space as a token
    words, spaces = words_and_spaces(text, [(3, 7)])
    assert words[:3] == ["one", " ", "two"] and spaces[:2] == [False, False]
    # a span inside a word splits it
    words, _ = words_and_spaces(text, [(9, 12)])
    assert "thr" in words and "ee" in words


def test_without_spacy_a_clear_message(dataset: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    real_import = builtins.__import__

    def no_spacy(name: str, *args: object, **kwargs: object) -> object:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("No module named 'spacy'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    with pytest.raises(FormatError, match=r"needs spaCy.*annotator\[spacy\]"):
        export_to(dataset, "spacy", tmp_path / "x.spacy")
    assert not (tmp_path / "x.spacy").exists() and not list(tmp_path.glob(".*"))
    db = tmp_path / "a.db"
    Store.open(db).close()  # export only reads: it makes no database
    assert cli.main(["export", "--db", str(db), "--format", "spacy", "--out", str(tmp_path / "y.spacy")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: the spacy format needs spaCy") and "Traceback" not in err


def test_damaged_docbin(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"\x00not a docbin at all")
    store, report = import_into_empty([bad])
    assert store.article_count() == 0 and "not a spaCy DocBin" in report.rejected[0].reason


def test_a_docbin_made_by_spacy_with_entities(tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    doc = nlp("Peskov 😀 denied the report in Moscow.")
    doc.ents = [doc.char_span(0, 6, label="claim"), doc.char_span(9, 15, label="PERSON")]
    path = tmp_path / "ner.spacy"
    DocBin(docs=[doc]).to_disk(path)
    store, report = import_into_empty([path])
    assert spans(store) == [(doc.text, 0, 6, "claim", "Peskov")]
    assert "unknown label 'PERSON'" in report.rejected[0].reason
