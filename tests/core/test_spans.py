from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.model import Annotation
from annotator.core.spans import next_in_cycle, snap_to_words, spans_at, trim

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


def test_spans_at_and_cycle() -> None:
    def a(uid: str, start: int, end: int) -> Annotation:
        return Annotation(uid=uid, article_id=1, start=start, end=end, label="claim", text="x" * (end - start),
                          annotator="a")

    outer, inner = a("outer", 0, 20), a("inner", 5, 10)
    hits = spans_at([outer, inner, a("other", 30, 40)], 6)
    assert [h.uid for h in hits] == ["inner", "outer"]
    assert next_in_cycle(hits, None).uid == "inner"
    assert next_in_cycle(hits, "inner").uid == "outer"
    assert next_in_cycle(hits, "outer").uid == "inner"
    assert next_in_cycle([], None) is None
