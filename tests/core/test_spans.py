from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.model import Annotation
from annotator.core.spans import (
    excerpt,
    innermost_first,
    is_word_char,
    next_in_cycle,
    quoted,
    snap_to_words,
    spans_at,
    trim,
)

TEXT = "The S-400 deal: Türkiye's e\u0301te\u0301 שלום offer 😀 ends."


def _word(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return snap_to_words(TEXT, start, start + len(fragment))


def test_snaps_to_whole_words_of_any_script() -> None:
    assert TEXT.__getitem__(slice(*_word("-40"))) == "S-400"
    assert TEXT.__getitem__(slice(*_word("rkiye"))) == "Türkiye's"
    assert TEXT.__getitem__(slice(*_word("\u0301t"))) == "e\u0301te\u0301"
    assert TEXT.__getitem__(slice(*_word("לו"))) == "שלום"
    assert TEXT.__getitem__(slice(*_word("eal: Tü"))) == "deal: Türkiye's"


def test_whitespace_only_is_empty_and_edges_are_trimmed() -> None:
    start = TEXT.index(" offer")
    s, e = snap_to_words(TEXT, start, start + 1)
    assert s == e
    assert trim("  ab  ", 0, 6) == (2, 4)


@given(st.text(alphabet=st.sampled_from(list("ab -'\n😀é\u0301ש")), max_size=30), st.data())
def test_snapping_never_grows_whitespace_and_covers_the_selection(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = snap_to_words(text, start, end)
    if s < e:
        assert not text[s].isspace() and not text[e - 1].isspace()
        core_s, core_e = trim(text, start, end)
        assert s <= core_s and e >= core_e


def a(uid: str, start: int, end: int) -> Annotation:
    return Annotation(uid=uid, article_id=1, start=start, end=end, label="claim", text="x" * (end - start),
                      annotator="a")


def test_spans_at_and_cycle() -> None:
    outer, inner = a("outer", 0, 20), a("inner", 5, 10)
    hits = spans_at([outer, inner, a("other", 30, 40)], 6)
    assert [h.uid for h in hits] == ["inner", "outer"]
    assert next_in_cycle(hits, None).uid == "inner"
    assert next_in_cycle(hits, "inner").uid == "outer"
    assert next_in_cycle(hits, "outer").uid == "inner"
    assert next_in_cycle([], None) is None


@given(st.text(alphabet=st.sampled_from(list("ab \t\n\u00a0\u2003😀")), max_size=20), st.data())
def test_trim_drops_exactly_the_surrounding_whitespace(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    piece = text[start:end]
    s, e = trim(text, start, end)
    assert s == start + len(piece) - len(piece.lstrip())  # all whitespace: empty, at the end
    assert e == s + len(piece.strip())


def test_trim_keeps_inner_whitespace_and_looks_only_inside_the_range() -> None:
    assert trim(" a b ", 1, 4) == (1, 4)
    assert trim("\u00a0a\tb\n", 0, 5) == (1, 4)
    assert trim("   ", 0, 3) == (3, 3)
    assert trim("ab", 1, 1) == (1, 1)


def test_snapping_at_the_edges_of_the_text() -> None:
    text = '"Ankara" said no'
    assert snap_to_words(text, 0, 3) == (0, 7)  # the quote at offset 0 stays in
    assert snap_to_words(text, 2, 4) == (1, 7)
    assert snap_to_words(text, -5, 2) == (0, 7)
    assert snap_to_words(text, 15, 40) == (14, 16)  # past the end: clipped, then the last word
    assert snap_to_words("ab", 0, 1) == (0, 2)
    assert snap_to_words("ab", 1, 2) == (0, 2)
    # an edge on punctuation does not reach into the word beyond it
    assert snap_to_words('said "no', 0, 6) == (0, 6)
    assert snap_to_words('no" said', 2, 8) == (2, 8)


def test_word_characters_of_every_kind() -> None:
    for mark in ("e\u0301", "k\u093e", "o\u20dd"):  # a combining mark of each category: Mn, Mc, Me
        assert is_word_char(mark, 1), ascii(mark)
    assert is_word_char("a_b", 1)  # connector punctuation
    assert is_word_char("\u200d", 0)  # the zero-width joiner inside emoji sequences
    assert not is_word_char("a b", 1) and not is_word_char("a.b", 1)


def test_joiners_count_only_between_two_word_characters() -> None:
    for joiner in "-'’\u2011\u00ad":
        assert is_word_char(f"a{joiner}b", 1), ascii(joiner)
        assert not is_word_char(f"{joiner}ab", 0), ascii(joiner)  # at the start
        assert not is_word_char(f"ab{joiner}", 2), ascii(joiner)  # at the end
        assert not is_word_char(f"a {joiner}b", 2) and not is_word_char(f"a{joiner} b", 1)
    assert not is_word_char("a/b", 1)


def test_excerpt_is_one_line_of_at_most_the_limit() -> None:
    assert excerpt("a" * 40) == "a" * 40
    assert excerpt("a" * 41) == "a" * 39 + "…"
    assert excerpt("one\n two\t three", 9) == "one two …"
    assert excerpt("one\n two", 7) == "one two"


def test_a_quotation_is_quoted_once_in_messages() -> None:
    # QA4-19: the status bar said “"This topic was not on …”, a quotation inside quotes
    assert quoted('"This topic was not on the agenda,"', 24) == "“This topic was not on t…”"
    assert quoted("«ce n’est pas vrai»") == "“ce n’est pas vrai”"
    assert quoted('"No, we do not," Peskov said') == '“No, we do not," Peskov said”'
    assert quoted("Peskov said “no”") == "“Peskov said “no””"   # a quote inside the span stays whole
    assert quoted('"') == '“"”' and quoted('""') == '“""”' and quoted("plain") == "“plain”"


@given(st.text(max_size=60), st.integers(min_value=2, max_value=50))
def test_quoted_is_one_line_in_one_pair_of_quotes(text: str, limit: int) -> None:
    shown = quoted(text, limit)
    assert shown.startswith("“") and shown.endswith("”") and len(shown) <= limit + 2
    assert "\n" not in shown


def test_innermost_first_orders_by_length_then_start_then_uid() -> None:
    spans = [a("z", 0, 10), a("b", 2, 5), a("a", 2, 5), a("c", 1, 4), a("d", 0, 9), a("late", 40, 42)]
    assert [s.uid for s in innermost_first(spans)] == ["late", "c", "a", "b", "d", "z"]


def test_spans_at_includes_the_start_and_excludes_the_end() -> None:
    spans = [a("first", 0, 5), a("second", 5, 9)]
    assert [s.uid for s in spans_at(spans, 0)] == ["first"]
    assert [s.uid for s in spans_at(spans, 4)] == ["first"]
    assert [s.uid for s in spans_at(spans, 5)] == ["second"]
    assert spans_at(spans, 9) == []


def test_cycling_goes_forwards_through_three_overlapping_spans() -> None:
    # With two spans, forwards and backwards are the same step; a third tells them apart.
    hits = innermost_first([a("outer", 0, 30), a("middle", 5, 20), a("inner", 8, 12)])
    order = []
    current = None
    for _ in range(4):
        current = next_in_cycle(hits, current).uid
        order.append(current)
    assert order == ["inner", "middle", "outer", "inner"]
    assert next_in_cycle(hits, "gone").uid == "inner"  # a selection not under the cursor starts over
