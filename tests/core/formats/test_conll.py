from __future__ import annotations

from pathlib import Path

from annotator.core.store import Store
from annotator.core.tokens import is_punctuation

from .conftest import SPANS, export_to, import_into_empty, spans


def _blocks(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences as lists of (token, tag), -DOCSTART- lines left out."""
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            if sentences[-1]:
                sentences.append([])
        elif not line.startswith("-DOCSTART-"):
            token, tag = line.split(" ")
            sentences[-1].append((token, tag))
    return [s for s in sentences if s]


def test_export_import_export_gives_the_same_file(dataset: Store, tmp_path: Path) -> None:
    first = tmp_path / "one.conll"
    export_to(dataset, "conll", first)
    copy, report = import_into_empty([first])
    assert report.ok, report.problems
    second = tmp_path / "two.conll"
    result = export_to(copy, "conll", second)
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    assert not any("overlap" in w for w in result.warnings)  # only the kept spans came back
    # the kept spans, in the rebuilt text (a space between tokens), without edge punctuation
    assert sorted((label, text) for _, label, text in spans(copy, ("label", "text"))) == sorted([
        ("denial", "Kremlin denied 😀 a \" report"),  # outermost kept; its closing quote is at the edge
        ("claim", "e\u0301te\u0301 שלום"),
        ("denial", "🇹🇷"),  # its "!" is punctuation at the edge
        ("claim", "👩\u200d💻"),
        ("denial", "😀 😀 denied"),
        ("background", "naïve 𝔘𝔫𝔦"),
    ])


def test_tags_and_warnings(dataset: Store, tmp_path: Path) -> None:
    out = tmp_path / "d.conll"
    result = export_to(dataset, "conll", out)
    text = out.read_text(encoding="utf-8")
    assert text.count("-DOCSTART- O\n\n") == 3
    warnings = " | ".join(result.warnings)
    # nested in the denial: the claim and the background crossing it; overlapping: "denied the S-400"
    assert "3 of 10 spans not written" in warnings and "outermost span wins" in warnings
    assert "1 span holding only punctuation" in warnings
    assert "2 spans written without the punctuation" in warnings
    assert "offsets, uids, annotators, notes and review status were not written" in warnings
    sentences = _blocks(out)
    tokens = [t for s in sentences for t in s]
    assert ("Kremlin", "B-denial") in tokens and ("😀", "I-denial") in tokens
    assert ("👩\u200d💻", "B-claim") in tokens and ("🇹🇷", "B-denial") in tokens
    for token, tag in tokens:
        if tag.startswith("B-"):
            assert not is_punctuation(token), token
    # no span runs across a sentence break, and no sentence starts inside one
    for sentence in sentences:
        assert not sentence[0][1].startswith("I-")
    # each span becomes B- then I-s
    b_count = sum(tag.startswith("B-") for _, tag in tokens)
    assert b_count == len(SPANS) - 3 - 1


def test_malformed_lines_import_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.conll"
    path.write_text("-DOCSTART- O\n\nPeskov B-claim\ndenied\nit X-claim\n", encoding="utf-8")
    store, report = import_into_empty([path])
    assert store.article_count() == 0
    reasons = " | ".join(str(p) for p in report.rejected)
    assert ":4: expected 'token TAG'" in reasons and "'X-claim' is not a BIO tag" in reasons
    assert "nothing of this file was imported" in reasons


def test_unknown_label_and_iob1(tmp_path: Path) -> None:
    path = tmp_path / "other.bio"
    path.write_text("Peskov I-claim\ndenied O\nMoscow B-LOC\n\nNext O\n", encoding="utf-8")
    store, report = import_into_empty([path])
    assert spans(store) == [("Peskov denied Moscow\nNext", 0, 6, "claim", "Peskov")]
    assert "unknown label 'LOC'" in report.rejected[0].reason
    assert "I- tag" in report.remarks[0].reason


def test_bioes_tags_are_read(tmp_path: Path) -> None:
    path = tmp_path / "bioes.conll"
    path.write_text("Kremlin B-denial\nspokesman I-denial\nPeskov E-denial\nsaid O\nno S-claim\n", encoding="utf-8")
    store, report = import_into_empty([path])
    assert report.ok, report.problems
    text = "Kremlin spokesman Peskov said no"
    assert spans(store) == sorted([(text, 0, 24, "denial", "Kremlin spokesman Peskov"), (text, 30, 32, "claim", "no")])


def test_touching_spans_are_both_written(tmp_path: Path) -> None:
    # One span ends where the next begins: they share no character, so neither is dropped.
    store = Store.memory()
    text = "AnkaraMoscow said so."
    article, _ = store.add_article(text, title="t", actor="t")
    store.add_annotation(article.id, 0, 6, "claim", annotator="ana")
    store.add_annotation(article.id, 6, 12, "denial", annotator="ana")
    out = tmp_path / "touch.conll"
    result = export_to(store, "conll", out)
    assert _blocks(out) == [[("Ankara", "B-claim"), ("Moscow", "B-denial"), ("said", "O"), ("so", "O"), (".", "O")]]
    assert not any("overlap" in w for w in result.warnings)


def test_an_i_tag_of_another_label_starts_a_new_span(tmp_path: Path) -> None:
    path = tmp_path / "switch.conll"
    path.write_text("Peskov B-claim\ndenied I-denial\nit I-denial\nthen O\n", encoding="utf-8")
    store, report = import_into_empty([path])
    text = "Peskov denied it then"
    assert spans(store) == [(text, 0, 6, "claim", "Peskov"), (text, 7, 16, "denial", "denied it")]
    assert report.remarks[0].reason == "1 span beginning with an I- tag (IOB1 style): read as beginnings"


def test_the_written_file_and_its_warnings_exactly() -> None:
    from annotator.core.formats import conll

    from .shapes import record, span, written

    text = "Peskov said: “no talks”. Then silence."
    spans = [span("a", 0, 11, "claim", text=text), span("b", 13, 23, "direct quote", text=text)]
    raw, warnings = written(conll.write, [record(spans, text=text)])
    assert raw.decode("utf-8") == ("-DOCSTART- O\n\nPeskov B-claim\nsaid I-claim\n: O\n“ O\nno B-direct_quote\n"
                                   "talks I-direct_quote\n” O\n. O\n\nThen O\nsilence O\n. O\n\n")
    assert warnings == [
        "1 span written without the punctuation or spaces at the edges",
        "tags cannot hold spaces: label 'direct quote' written as 'direct_quote' (an import into a database with"
        " that label reads it back)",
        "CoNLL keeps tokens and labels only: offsets, uids, annotators, notes and review status were not written",
    ]
    assert written(conll.write, [record([], text="No spans.")])[1] == []


def test_a_conll_file_not_in_utf8_is_remarked_on_at_its_own_place(tmp_path: Path) -> None:
    from annotator.core.formats import conll

    from .shapes import read_all, reasons

    path = tmp_path / "latin.conll"
    path.write_bytes("Le\tO\ncafé\tB-claim\nétait\tI-claim\nfermé\tI-claim\n.\tO\n".encode("latin-1") * 20)
    records, problems = read_all(conll.read, path)
    assert len(records) == 1
    ((place, reason, rejected),) = reasons(problems)
    assert (place, rejected) == (str(path), False) and reason.startswith("not UTF-8; decoded as ")
