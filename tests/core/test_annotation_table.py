"""The annotations table kept in step change by change must show exactly what a fresh read shows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import annotation_table
from annotator.core.annotation_table import AnnotationTable
from annotator.core.store import Store, TableView

TEXT = " ".join(f"w{i:03d}" for i in range(120))  # 120 five-letter words
LABELS = ("claim", "denial", "background")


def fresh(store: Store, view: TableView) -> list[str]:
    """The rows as the rules say, read without the table: pane order, then (start, end, uid)."""
    return [a.uid for aid in view.article_ids for a in store.annotations_for(aid)
            if a.label not in view.hidden_labels and a.annotator not in view.hidden_annotators]


def shown(table: AnnotationTable) -> list[str]:
    return [table.row(i).uid for i in range(len(table))]  # type: ignore[union-attr]


def word(i: int) -> tuple[int, int]:
    return i * 5, i * 5 + 4


operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 1), st.integers(0, 119), st.integers(1, 3), st.sampled_from(LABELS),
              st.sampled_from(("ana", "ben"))),
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("resize"), st.integers(0, 10_000), st.integers(0, 119), st.integers(1, 3)),
    st.tuples(st.just("relabel"), st.integers(0, 10_000), st.sampled_from(LABELS)),
    st.tuples(st.just("note"), st.integers(0, 10_000)),
    st.tuples(st.just("read"), st.integers(0, 10_000)),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=40), hidden=st.sampled_from([(), ("denial",)]),
       page=st.sampled_from([2, 3, 7]))
def test_kept_in_step_equals_a_fresh_read(ops: list[tuple], hidden: tuple[str, ...], page: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Small pages, so that changes land before, inside and after fetched chunks.
    monkeypatch.setattr(annotation_table, "PAGE", page)
    store = Store.memory()
    ids = [store.add_article(TEXT + f" {n}", title=f"a{n}", actor="t")[0].id for n in range(2)]
    view = TableView(article_ids=(ids[1], ids[0]), hidden_labels=hidden)
    table = AnnotationTable(lambda: store, view)
    # What a Qt view holds, told only of the rows inserted, removed and changed.
    mirror: list[str] = []
    for op in ops:
        uids = [a.uid for aid in ids for a in store.annotations_for(aid)]
        if op[0] == "add":
            _, which, w, n, label, who = op
            start, _ = word(w)
            end = word(min(119, w + n - 1))[1]
            if store.identical_span(ids[which], start, end, label, who):
                continue
            a = store.add_annotation(ids[which], start, end, label, annotator=who)
            row = table.added_row(a)
            if row is not None:
                table.insert(row, a)
                mirror.insert(row, a.uid)
        elif op[0] == "read" and len(table):
            table.row(op[1] % len(table))
        elif uids:
            uid = uids[op[1] % len(uids)]
            before = store.annotation(uid)
            if op[0] == "delete":
                store.delete_annotation(uid, actor="t")
                row = table.removed_row(before)
                if row is not None:
                    table.remove(row, before)
                    assert mirror.pop(row) == uid
                continue
            if op[0] == "resize":
                start, _ = word(op[2])
                end = word(min(119, op[2] + op[3] - 1))[1]
                after = store.resize(uid, start, end, actor="t")
            elif op[0] == "relabel":
                after = store.relabel(uid, op[2], actor="t")
            else:
                after = store.set_note(uid, before.note + "!", actor="t")
            old, new = table.moved_rows(before, after)
            if old is not None and old == new:
                table.replace(old, after)
                assert mirror[old] == uid
                continue
            if old is not None:
                table.remove(old, before)
                assert mirror.pop(old) == uid
            if new is not None:
                table.insert(new, after)
                mirror.insert(new, uid)
        assert len(table) == len(fresh(store, view))
    assert mirror == shown(table) == fresh(store, view)
    # What a row shows is the span as it is now, not as it was fetched.
    for i in range(len(table)):
        row = table.row(i)
        assert row is not None and row == store.annotation(row.uid)


def test_rows_run_article_by_article_in_pane_order_then_text_order() -> None:
    store = Store.memory()
    first = store.add_article(TEXT, title="first", actor="t")[0].id
    second = store.add_article(TEXT + " 2", title="second", actor="t")[0].id
    late = store.add_annotation(first, *word(9), "claim", annotator="ana")
    early = store.add_annotation(first, *word(1), "denial", annotator="ana")
    other = store.add_annotation(second, *word(5), "claim", annotator="ana")
    table = AnnotationTable(lambda: store, TableView(article_ids=(second, first)))
    assert shown(table) == [other.uid, early.uid, late.uid]
    assert table.row_of(late.uid) == 2
    hidden = AnnotationTable(lambda: store, TableView(article_ids=(second, first), hidden_labels=("denial",)))
    assert shown(hidden) == [other.uid, late.uid]
    assert hidden.row_of(early.uid) is None


def test_a_sorted_view_pages_by_offset_and_finds_rows() -> None:
    store = Store.memory()
    aid = store.add_article(TEXT, title="t", actor="t")[0].id
    made = [store.add_annotation(aid, *word(i), label, annotator="ana")
            for i, label in enumerate(["denial", "claim", "background", "claim"])]
    view = replace(TableView(article_ids=(aid,)), sort="label")
    table = AnnotationTable(lambda: store, view)
    assert not table.in_text_order
    assert [table.row(i).label for i in range(len(table))] == ["background", "claim", "claim", "denial"]
    assert table.row_of(made[0].uid) == 3
    # such a view is started afresh after a change rather than patched
    assert table.added_row(made[0]) is None
