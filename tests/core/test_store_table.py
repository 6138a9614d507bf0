"""The annotations table in SQL (counts, pages, a row's place) against the same table worked out in Python."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from annotator.core.model import Annotation
from annotator.core.store import Store, TableView

TEXTS = ["Kremlin denied a Bloomberg report on the S-400 systems.", "Ankara said nothing.", "Ünïcode 😀 text here.",
         "Nobody tagged this one."]
COLUMNS = ("label", "text", "article", "annotator", "status", "note")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@pytest.fixture(scope="module")
def filled() -> Store:
    store = Store.memory()
    store.add_label("Quote", "#CC79A7", actor="t")
    rng = random.Random(5)
    for text in TEXTS[:3]:
        article, _ = store.add_article(text, title=text[:10], actor="t")
        for _ in range(9):
            start = rng.randrange(len(text) - 1)
            end = min(len(text), start + rng.randint(1, 9))
            try:
                made = store.add_annotation(article.id, start, end, rng.choice(["claim", "denial", "Quote"]),
                                            annotator=rng.choice(["ana", "Bo", "cy"]), note=rng.choice(["", "b", "A"]))
            except Exception:  # the same span twice: fine, skip it
                continue
            if rng.random() < 0.4:
                store.set_status(made.uid, rng.choice(["accepted", "rejected"]), actor="rev", reason="r")
    store.add_article(TEXTS[3], title="none", actor="t")
    yield store
    store.close()


def _expected(store: Store, view: TableView) -> list[Annotation]:
    pane = {aid: i for i, aid in enumerate(dict.fromkeys(view.article_ids))}
    shown = [a for a in store.annotations() if a.article_id in pane and a.label not in view.hidden_labels
             and a.annotator not in view.hidden_annotators]
    shown.sort(key=lambda a: (pane[a.article_id], a.start, a.end, a.uid))
    if view.sort in COLUMNS and (view.sort != "article" or view.descending):
        value = {"label": lambda a: a.label.translate(_ASCII_LOWER), "text": lambda a: a.text,
                 "article": lambda a: pane[a.article_id], "annotator": lambda a: a.annotator.translate(_ASCII_LOWER),
                 "status": lambda a: a.status, "note": lambda a: a.note.translate(_ASCII_LOWER)}[view.sort]
        shown.sort(key=value, reverse=view.descending)
    return shown


def _views() -> list[TableView]:
    rng = random.Random(9)
    views = [TableView(), TableView(article_ids=(1,)), TableView(article_ids=(3, 1, 2, 4)),
             TableView(article_ids=(2, 1), sort="article"), TableView(article_ids=(2, 1), sort="article",
                                                                     descending=True)]
    for _ in range(30):
        ids = tuple(rng.sample([1, 2, 3, 4], rng.randint(1, 4)))
        views.append(TableView(
            article_ids=ids, hidden_labels=tuple(rng.sample(["claim", "denial", "Quote"], rng.randint(0, 2))),
            hidden_annotators=tuple(rng.sample(["ana", "Bo", "cy"], rng.randint(0, 1))),
            sort=rng.choice([None, *COLUMNS]), descending=rng.random() < 0.5))
    return views


@pytest.mark.parametrize("view", _views(), ids=[f"view{i}" for i in range(len(_views()))])
def test_the_table_is_what_python_works_out(filled: Store, view: TableView) -> None:
    expected = _expected(filled, view)
    counts = filled.table_counts(view)
    assert [aid for aid, _ in counts] == list(dict.fromkeys(view.article_ids))
    assert [n for _, n in counts] == [sum(a.article_id == aid for a in expected) for aid, _ in counts]
    assert filled.table_count(view) == len(expected)
    for size in (1, 4, 50):
        pages = [filled.table_rows(view, offset, size) for offset in range(0, len(expected) + size, size)]
        assert [a.uid for page in pages for a in page] == [a.uid for a in expected], size
        assert all(len(page) <= size for page in pages)
    # with the counts handed in, the same pages without counting again
    assert [a.uid for a in filled.table_rows(view, 2, 5, counts=counts)] == [a.uid for a in expected[2:7]]
    for place, a in enumerate(expected):
        assert filled.table_row_number(view, a.uid) == place
        assert filled.table_row_number(view, a.uid, counts=counts) == place
    hidden = [a for a in filled.annotations() if a.uid not in {x.uid for x in expected}]
    for a in hidden[:5]:
        assert filled.table_row_number(view, a.uid) is None
    assert filled.table_row_number(view, "no-such-uid") is None


def test_the_rows_are_whole_annotations(filled: Store) -> None:
    view = TableView(article_ids=(1, 2, 3))
    [first] = filled.table_rows(view, 0, 1)
    assert first == filled.annotation(first.uid)
    [by_text] = filled.table_rows(replace(view, sort="text"), 0, 1)
    assert by_text == filled.annotation(by_text.uid)
