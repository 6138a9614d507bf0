"""Agreement figures against small examples worked out by hand (the working is in the comments).

Notation: a 10-character text "abcdefghij"; c = {claim}, d = {denial}, cd = {claim, denial},
e = {} (no span) are a character's values. For kappa, po is the observed and pe the
chance agreement, kappa = (po - pe) / (1 - pe). For alpha (nominal), o_xy is the
coincidence count, n_x its row total, n their sum, alpha = 1 - (n - 1) * sum_{x!=y} o_xy
/ sum_{x!=y} n_x * n_y; with two coders and no missing values each character adds 2 to
o_xx when both say x, and 1 to each of o_xy, o_yx when they say x and y.
"""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import agreement as ag
from annotator.core.agreement import LinkedSpan, Scores, agreement, link_agreement, match_spans
from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.store import Store

TEN = "abcdefghij"


def _store(spans: dict[str, list[tuple[int, int, str]]], text: str = TEN) -> tuple[Store, int]:
    store = Store.memory()
    article, _ = store.add_article(text, title="t", actor="lead")
    for who, items in spans.items():
        for start, end, label in items:
            store.add_annotation(article.id, start, end, label, annotator=who)
    return store, article.id


def test_perfect_agreement() -> None:
    # A and B: claim [0, 5).
    # Spans: 1 exact match of 1 and 1: P = R = F1 = 1, overlap the same.
    # Characters: 5 x (c, c), 5 x (e, e). po = 1; pA(c) = pB(c) = .5, pe = .25 + .25 = .5;
    #   kappa = (1 - .5) / .5 = 1.
    # alpha: o_cc = 10, o_ee = 10, no disagreement: alpha = 1 - 0 = 1.
    store, article = _store({"A": [(0, 5, "claim")], "B": [(0, 5, "claim")]})
    report = ag.agreement(store, annotators=["A", "B"])
    [pair] = report.pairs
    assert pair.overall.exact == ag.Scores(1.0, 1.0, 1.0)
    assert pair.overall.overlap == ag.Scores(1.0, 1.0, 1.0)
    assert pair.overall_kappa == pytest.approx(1.0)
    assert report.overall_alpha == pytest.approx(1.0)
    assert report.characters == 10 and report.article_ids == (article,) and report.labels == ("claim",)


def test_no_overlap() -> None:
    # A: claim [0, 5); B: claim [5, 10). Touching is not overlapping (half-open spans).
    # Spans: 0 matches, exact and overlap: P = 0/1, R = 0/1, F1 = 0.
    # Characters: 5 x (c, e), 5 x (e, c). po = 0; pA(c) = pB(c) = .5, pe = .5; kappa = -.5/.5 = -1.
    # alpha: o_ce = o_ec = 10, n_c = n_e = 10, n = 20;
    #   alpha = 1 - 19 * 20 / (2 * 10 * 10) = 1 - 380/200 = -0.9.
    store, _ = _store({"A": [(0, 5, "claim")], "B": [(5, 10, "claim")]})
    report = ag.agreement(store)
    [pair] = report.pairs
    assert (pair.a, pair.b) == ("A", "B")
    assert pair.overall.exact == ag.Scores(0.0, 0.0, 0.0)
    assert pair.overall.overlap == ag.Scores(0.0, 0.0, 0.0)
    assert pair.overall_kappa == pytest.approx(-1.0)
    assert report.overall_alpha == pytest.approx(-0.9)


def test_one_annotator_with_no_spans() -> None:
    # A: claim [0, 4); B: nothing on this article (B's one span is on another article).
    # B coded nothing in this scope: nothing tells "found nothing" from "never read it", so B is no coder
    # here. Scored as "no label on every character" B would give kappa 0 (po = .6, pe = .6) and drag alpha
    # to -0.1875; instead the pair's figures are undefined (n/a: kappa with an empty side) and alpha,
    # over the one coder left, is undefined too (Krippendorff: a coder with no values pairs with nobody).
    store, article = _store({"A": [(0, 4, "claim")]})
    other, _ = store.add_article("Elsewhere.", title="other", actor="lead")
    store.add_annotation(other.id, 0, 4, "claim", annotator="B")
    report = ag.agreement(store, annotators=["A", "B"], article_ids=[article])
    [pair] = report.pairs
    assert pair.overall.a_spans == 1 and pair.overall.b_spans == 0
    assert pair.overall.exact == ag.Scores(None, None, None)
    assert pair.overall.overlap == ag.Scores(None, None, None)
    assert pair.overall_kappa is None and all(f.value is None for f in pair.kappa)
    assert report.overall_alpha is None
    assert report.without_spans == ("B",)


def test_an_annotator_with_no_spans_in_scope_is_left_out_of_alpha_not_scored_as_blank() -> None:
    # A and B agree perfectly (claim [0, 5)); C tagged only another article. Alpha over A and B is 1
    # (test_perfect_agreement); with C counted as "no label" everywhere it fell to 0.275 (QA4-10).
    store, article = _store({"A": [(0, 5, "claim")], "B": [(0, 5, "claim")]})
    other, _ = store.add_article("Elsewhere.", title="other", actor="lead")
    store.add_annotation(other.id, 0, 4, "claim", annotator="C")
    report = ag.agreement(store, annotators=["A", "B", "C"], article_ids=[article])
    assert report.overall_alpha == pytest.approx(1.0)
    assert report.without_spans == ("C",)
    figures = {(p.a, p.b): (p.overall_kappa, p.overall.exact.f1) for p in report.pairs}
    assert figures == {("A", "B"): (pytest.approx(1.0), 1.0), ("A", "C"): (None, None), ("B", "C"): (None, None)}
    # a span of another label is work done in the scope: with --label, C still codes (and disagrees)
    store.add_annotation(article, 6, 9, "denial", annotator="C")
    report = ag.agreement(store, annotators=["A", "B", "C"], article_ids=[article], labels=["claim"])
    assert report.without_spans == () and report.overall_alpha < 1


def test_nested_spans_label_sets_and_per_label_figures() -> None:
    # 20 characters. A: denial [0, 20) with claim [10, 20) nested in it; B: denial [0, 20), claim [12, 18).
    # Spans overall: denial matches exactly, claim does not: exact P = R = F1 = 1/2;
    #   overlap: claim [10, 20) and claim [12, 18) overlap, so every span is found: P = R = F1 = 1.
    # Per label: claim exact 0/0/0, overlap 1/1/1; denial 1/1/1 both ways.
    # Characters as label sets: 0-9 (d, d) x 10; 10-11 (cd, d) x 2; 12-17 (cd, cd) x 6; 18-19 (cd, d) x 2.
    # kappa overall: po = 16/20 = .8; pA(d) = .5, pA(cd) = .5; pB(d) = .7, pB(cd) = .3;
    #   pe = .35 + .15 = .5; kappa = .3/.5 = .6.
    # kappa claim (yes/no) has the same table shape: .6. kappa denial: both say yes everywhere, pe = 1: n/a.
    # alpha overall: o_dd = 20, o_cd,cd = 12, o_cd,d = o_d,cd = 4; n_d = 24, n_cd = 16, n = 40;
    #   alpha = 1 - 39 * 8 / (2 * 24 * 16) = 1 - 312/768 = 0.59375. claim the same; denial n/a.
    store, _ = _store({"A": [(0, 20, "denial"), (10, 20, "claim")], "B": [(0, 20, "denial"), (12, 18, "claim")]},
                      text="x" * 20)
    report = ag.agreement(store)
    assert report.labels == ("claim", "denial")
    [pair] = report.pairs
    rows = {row.label: row for row in pair.spans}
    assert rows[None].exact == ag.Scores(0.5, 0.5, 0.5) and rows[None].overlap == ag.Scores(1.0, 1.0, 1.0)
    assert rows["claim"].exact == ag.Scores(0.0, 0.0, 0.0) and rows["claim"].overlap == ag.Scores(1.0, 1.0, 1.0)
    assert rows["denial"].exact == ag.Scores(1.0, 1.0, 1.0)
    kappa = {f.label: f.value for f in pair.kappa}
    assert kappa[None] == pytest.approx(0.6) and kappa["claim"] == pytest.approx(0.6) and kappa["denial"] is None
    alpha = {f.label: f.value for f in report.alpha}
    assert alpha[None] == pytest.approx(0.59375) and alpha["claim"] == pytest.approx(0.59375)
    assert alpha["denial"] is None

    # --label narrows everything to that label
    only_claim = ag.agreement(store, labels=["CLAIM"])
    assert only_claim.labels == ("claim",)
    assert only_claim.pairs[0].overall.exact == ag.Scores(0.0, 0.0, 0.0)
    assert only_claim.overall_alpha == pytest.approx(0.59375)


def test_overlap_match_counts_each_side_separately() -> None:
    # 20 characters. A: claim [0, 10); B: claim [0, 3), [5, 8), [12, 15).
    # Overlap: A's one span is found (R = 1/1); B's first two overlap it, the third not (P = 2/3);
    #   F1 = 2 * (2/3) * 1 / (2/3 + 1) = (4/3) / (5/3) = 0.8. Exact: none, P = 0/3, R = 0/1, F1 = 0.
    scores = ag.span_agreement([(1, 0, 10, "claim")], [(1, 0, 3, "claim"), (1, 5, 8, "claim"), (1, 12, 15, "claim")])
    assert scores.overlap.precision == pytest.approx(2 / 3)
    assert scores.overlap.recall == 1.0
    assert scores.overlap.f1 == pytest.approx(0.8)
    assert scores.exact == ag.Scores(0.0, 0.0, 0.0)
    # nobody has a span: nothing to score
    assert ag.span_agreement([], []).exact == ag.Scores(None, None, None)


def test_three_annotators_alpha_and_pairs() -> None:
    # 4 characters. A: claim [0, 4); B: claim [0, 4); C: claim [0, 2).
    # Units: 2 x (c, c, c), 2 x (c, c, e); m = 3, so each unit adds n_x (n_y - [x = y]) / 2.
    #   (c, c, c): o_cc += 3 * 2 / 2 = 3 each, 6 in all. (c, c, e): o_cc += 2 * 1 / 2 = 1, o_ce += 1, o_ec += 1.
    #   o_cc = 8, o_ce = o_ec = 2; n_c = 10, n_e = 2, n = 12;
    #   alpha = 1 - 11 * 4 / (2 * 10 * 2) = 1 - 44/40 = -0.1.
    # Pairs: A~B agree on every character but use one value only: kappa n/a. A~C: po = .5,
    #   pA(c) = 1, pC(c) = .5, pe = .5, kappa = 0.
    store, _ = _store({"A": [(0, 4, "claim")], "B": [(0, 4, "claim")], "C": [(0, 2, "claim")]}, text="wxyz")
    report = ag.agreement(store)
    assert report.annotators == ("A", "B", "C")
    assert report.overall_alpha == pytest.approx(-0.1)
    kappas = {(p.a, p.b): p.overall_kappa for p in report.pairs}
    assert kappas[("A", "B")] is None
    assert kappas[("A", "C")] == pytest.approx(0.0)
    assert report.pairs[0].overall.exact == ag.Scores(1.0, 1.0, 1.0)


def test_scope_is_the_articles_someone_annotated() -> None:
    store, article = _store({"A": [(0, 5, "claim")], "B": [(0, 5, "claim")]})
    store.add_article("An article nobody annotated, which would add agreement for free.", title="x", actor="lead")
    report = ag.agreement(store)
    assert report.article_ids == (article,) and report.characters == 10


def test_refusals() -> None:
    store, _ = _store({"A": [(0, 5, "claim")]})
    with pytest.raises(AnnotatorError, match="at least two annotators"):
        ag.agreement(store)
    with pytest.raises(AnnotatorError, match="no annotations by 'Zed'"):
        ag.agreement(store, annotators=["A", "Zed"])


def test_character_units_follow_segments_not_characters() -> None:
    units = ag.character_units(10, [[(0, 5, "claim"), (3, 8, "denial")], []])
    assert units == {
        (frozenset({"claim"}), frozenset()): 3,
        (frozenset({"claim", "denial"}), frozenset()): 2,
        (frozenset({"denial"}), frozenset()): 3,
        (frozenset(), frozenset()): 2,
    }


# Krippendorff's alpha against the maintained implementation, on per-character data it is fed
# one character at a time (the app computes it from segment counts instead).
span_lists = st.lists(
    st.tuples(st.integers(0, 29), st.integers(1, 12), st.sampled_from(["claim", "denial"])).map(
        lambda t: (t[0], min(30, t[0] + t[1]), t[2])),
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(span_lists, min_size=2, max_size=4))
def test_alpha_matches_the_krippendorff_package(annotators: list[list[tuple[int, int, str]]]) -> None:
    units = ag.character_units(30, annotators)
    mine = ag.krippendorff_alpha(units)
    codes: dict[frozenset[str], int] = {}
    matrix = [[codes.setdefault(frozenset(label for s, e, label in spans if s <= i < e), len(codes))
               for i in range(30)] for spans in annotators]
    if len(codes) < 2:
        assert mine is None
        return
    theirs = krippendorff.alpha(reliability_data=np.array(matrix, dtype=float), level_of_measurement="nominal")
    assert mine == pytest.approx(theirs, abs=1e-9)


def test_kappa_matches_a_per_character_count() -> None:
    rng = random.Random(7)
    for _ in range(20):
        a = [rng.choice("xyz") for _ in range(50)]
        b = [rng.choice("xyz") for _ in range(50)]
        table: dict[tuple[str, str], float] = {}
        for x, y in zip(a, b, strict=True):
            table[(x, y)] = table.get((x, y), 0) + 1
        po = sum(x == y for x, y in zip(a, b, strict=True)) / 50
        pe = sum(a.count(c) * b.count(c) for c in "xyz") / 2500
        assert ag.cohen_kappa(table) == pytest.approx((po - pe) / (1 - pe))


# ------------------------------------------------------------- claim links


def _linked(uid: str, start: int, end: int, *links: tuple[str, str]) -> LinkedSpan:
    return LinkedSpan(uid, 1, start, end, tuple(links))


# A links a1, a2 (states) and a3 (denies) to X, a4 (states) to Y.
# B links b1, b2, b5 (states) to P, b3 (denies) and b4 (states) to Q; b5 has no counterpart in A.
LINKS_A = [_linked("a1", 0, 10, ("X", "states")), _linked("a2", 20, 30, ("X", "states")),
           _linked("a3", 40, 50, ("X", "denies")), _linked("a4", 60, 70, ("Y", "states"))]
LINKS_B = [_linked("b1", 0, 9, ("P", "states")), _linked("b2", 21, 30, ("P", "states")),
           _linked("b3", 40, 50, ("Q", "denies")), _linked("b4", 60, 70, ("Q", "states")),
           _linked("b5", 80, 90, ("P", "states"))]


def test_spans_are_matched_one_to_one_by_largest_overlap() -> None:
    a = [_linked("a1", 0, 10), _linked("a2", 8, 30)]
    b = [_linked("b1", 5, 25), _linked("b2", 0, 6)]
    # b1 overlaps a2 by 17 and a1 by 5: it takes a2; b2 is left a1
    assert match_spans(a, b) == {"b1": "a2", "b2": "a1"}
    assert match_spans(a, [LinkedSpan("b3", 2, 0, 10, ())]) == {}   # another article


def test_link_agreement_by_hand_over_all_roles() -> None:
    row = link_agreement(LINKS_A, LINKS_B, None)
    # A's pairs: a1a2, a1a3, a2a3. B's: b1b2 (= a1a2, found), b1b5, b2b5 (b5 unmatched), b3b4 (= a3a4, not A's).
    assert (row.a_pairs, row.b_pairs, row.found_pairs) == (3, 4, 1)
    assert row.pairs.precision == pytest.approx(1 / 4) and row.pairs.recall == pytest.approx(1 / 3)
    assert row.pairs.f1 == pytest.approx(2 / 7)
    # B-cubed over items 1-4: A clusters {1,2,3},{1,2,3},{1,2,3},{4}; B {1,2},{1,2},{3,4},{3,4}
    assert row.items == 4
    assert row.bcubed.precision == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert row.bcubed.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert row.bcubed.f1 == pytest.approx(12 / 17)


def test_link_agreement_by_hand_per_role() -> None:
    states = link_agreement(LINKS_A, LINKS_B, "states")
    assert (states.a_pairs, states.b_pairs, states.found_pairs) == (1, 3, 1)
    assert (states.pairs.precision, states.pairs.recall) == (pytest.approx(1 / 3), 1.0)
    assert states.pairs.f1 == pytest.approx(0.5)
    assert states.items == 3 and states.bcubed == Scores(1.0, 1.0, 1.0)
    denies = link_agreement(LINKS_A, LINKS_B, "denies")
    assert (denies.a_pairs, denies.b_pairs, denies.pairs) == (0, 0, Scores(None, None, None))
    assert denies.items == 1 and denies.bcubed == Scores(1.0, 1.0, 1.0)
    nothing = link_agreement(LINKS_A, LINKS_B, "supports")
    assert nothing.items == 0 and nothing.bcubed == Scores(None, None, None)


def test_the_agreement_report_carries_link_figures_per_pair(store: Store) -> None:
    text = "Turkey asked Russia to take back its S-400 systems. The Kremlin denied it. Ankara said nothing."
    article, _ = store.add_article(text, title="t", actor="x")
    for who in ("ana", "bo"):
        claim = store.add_annotation(article.id, 0, 50, "claim", annotator=who).uid
        denial = store.add_annotation(article.id, 52, 74, "denial", annotator=who).uid
        store.link_spans([claim, denial], actor=who)
    store.add_annotation(article.id, 76, 94, "background", annotator="bo")
    report = agreement(store)
    (pair,) = report.links
    assert (pair.a, pair.b, pair.matched_spans) == ("ana", "bo", 2)
    overall = pair.rows[0]
    assert overall.role is None and overall.pairs == Scores(1.0, 1.0, 1.0) and overall.bcubed == Scores(1.0, 1.0, 1.0)
    assert [r.role for r in pair.rows] == [None, "states", "denies", "supports", "context"]
    with Store.memory() as plain:
        a, _ = plain.add_article(text, title="t", actor="x")
        plain.add_annotation(a.id, 0, 5, "claim", annotator="ana")
        plain.add_annotation(a.id, 0, 5, "claim", annotator="bo")
        assert agreement(plain).links == ()


def test_progress_is_reported_and_false_cancels() -> None:
    store = Store.memory()
    for text in ("abcdefghij", "klmnopqrst", "uvwxyz"):
        article, _ = store.add_article(text, title=text[:3], actor="lead")
        store.add_annotation(article.id, 0, 3, "claim", annotator="A")
        store.add_annotation(article.id, 1, 4, "claim", annotator="B")
    calls: list[tuple[int, int]] = []
    report = ag.agreement(store, progress=lambda done, total: calls.append((done, total)) or True)
    assert calls[0] == (0, 3) and calls[-1] == (3, 3) and report.characters == 26
    with pytest.raises(Cancelled, match="cancelled"):
        ag.agreement(store, progress=lambda done, total: done == 0 and False)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from("AB"), st.integers(0, 25), st.integers(1, 12),
                          st.sampled_from(("claim", "denial")), st.sampled_from(("", "X", "Y"))),
                min_size=2, max_size=24))
def test_link_figures_read_article_by_article_are_those_of_every_span_at_once(spans: list[tuple]) -> None:
    # Agreement streams one article at a time and keeps only linked spans and the matches touching
    # them; the figures must be those of matching and clustering every span together.
    store = Store.memory()
    articles = [store.add_article(f"Article {i}: " + "abcdefghij" * 4, title=str(i), actor="x")[0].id
                for i in range(3)]
    claims: dict[str, str] = {}
    for article, who, start, length, label, claim in spans:
        try:
            uid = store.add_annotation(articles[article], start, start + length, label, annotator=who).uid
        except AnnotatorError:
            continue
        if claim:
            if claim not in claims:
                claims[claim] = store.create_claim(f"claim {claim}", actor=who).claim_uid
            store.link_spans([uid], claim_uid=claims[claim], actor=who)
    if len(store.annotators()) < 2:
        return
    report = agreement(store, annotators=["A", "B"])
    by_span = store.links_by_span()
    linked = {who: [LinkedSpan(x.uid, x.article_id, x.start, x.end,
                               tuple((k.claim_uid, k.role) for k in by_span.get(x.uid, ())))
                    for x in store.annotations(annotators=[who])] for who in "AB"}
    if not any(s.links for spans_ in linked.values() for s in spans_):
        assert report.links == ()
        return
    assert report.links == (ag.pair_link_agreement("A", "B", linked["A"], linked["B"]),)


def test_figures_add_up_over_articles() -> None:
    # Two articles. "abcdefghij": A and B claim [0, 10); "wxyz": A claims [0, 4), B nothing.
    # Units: 10 x (c, c), 4 x (c, e). Alpha: o_cc = 20, o_ce = o_ec = 4; n_c = 24, n_e = 4, n = 28;
    #   alpha = 1 - 27 * 8 / (28^2 - 24^2 - 4^2) = 1 - 216/192 = -0.125.
    store, first = _store({"A": [(0, 10, "claim")], "B": [(0, 10, "claim")]})
    second, _ = store.add_article("wxyz", title="w", actor="lead")
    store.add_annotation(second.id, 0, 4, "claim", annotator="A")
    report = ag.agreement(store)
    assert (report.article_ids, report.characters) == ((first, second.id), 14)
    assert report.overall_alpha == pytest.approx(-0.125)
    # asked for, an article nobody tagged counts: its characters are agreement too
    third, _ = store.add_article("nothing tagged", title="n", actor="lead")
    asked = ag.agreement(store, article_ids=[first, third.id])
    assert (asked.article_ids, asked.characters) == ((first, third.id), 24)


def test_kappa_counts_every_stretch_of_a_pair() -> None:
    # 10 characters. A claim [0, 8), B claim [0, 6), C claim [0, 3).
    # For A~B, two stretches ([0, 3) with C in, [3, 6) with C out) are both (c, c): 6 characters.
    #   (c, c) 6, (c, e) 2, (e, e) 2: po = .8, pA(c) = .8, pB(c) = .6, pe = .48 + .08 = .56,
    #   kappa = .24 / .44 = 6/11.
    store, _ = _store({"A": [(0, 8, "claim")], "B": [(0, 6, "claim")], "C": [(0, 3, "claim")]})
    report = ag.agreement(store)
    kappas = {(p.a, p.b): p for p in report.pairs}
    assert kappas[("A", "B")].overall_kappa == pytest.approx(6 / 11)
    assert kappas[("A", "B")].kappa[1] == ag.Figure("claim", pytest.approx(6 / 11))
    # two of the three chosen: C's spans are left out
    two = ag.agreement(store, annotators=["A", "B"])
    assert two.annotators == ("A", "B") and two.pairs[0].overall_kappa == pytest.approx(6 / 11)


def _per_character(spans: list[tuple[int, int, str]], length: int, label: str) -> list[int]:
    return [int(any(s <= i < e and lab == label for s, e, lab in spans)) for i in range(length)]


def test_per_label_figures_match_a_per_character_count() -> None:
    rng = random.Random(11)
    for _ in range(12):
        spans = {who: sorted({(s, min(20, s + rng.randint(1, 8)), rng.choice(["claim", "denial"]))
                              for s in (rng.randrange(20) for _ in range(rng.randint(1, 4)))}) for who in "ABC"}
        store, _ = _store(spans, text="t" * 20)
        report = ag.agreement(store)
        for label in ("claim", "denial"):
            matrix = np.array([_per_character(spans[who], 20, label) for who in "ABC"], dtype=float)
            alpha = next(f.value for f in report.alpha if f.label == label)
            if len(set(matrix.flatten())) < 2:
                assert alpha is None
            else:
                assert alpha == pytest.approx(krippendorff.alpha(reliability_data=matrix,
                                                                 level_of_measurement="nominal"), abs=1e-9)
            for pair in report.pairs:
                a, b = (_per_character(spans[w], 20, label) for w in (pair.a, pair.b))
                table: dict[tuple[int, int], float] = {}
                for x, y in zip(a, b, strict=True):
                    table[(x, y)] = table.get((x, y), 0) + 1
                kappa = next(f.value for f in pair.kappa if f.label == label)
                expected = ag.cohen_kappa(table)
                assert kappa == (None if expected is None else pytest.approx(expected))
        store.close()


def test_span_figures_count_each_kind_of_match() -> None:
    a = [(1, 0, 5, "claim"), (1, 0, 5, "denial"), (1, 10, 14, "claim")]
    b = [(1, 0, 5, "claim"), (1, 2, 8, "denial"), (2, 0, 5, "claim")]
    figures = ag.span_agreement(a, b, "all")
    assert (figures.label, figures.a_spans, figures.b_spans, figures.exact_matches) == ("all", 3, 3, 1)
    assert (figures.a_overlapped, figures.b_overlapped) == (2, 2)
    # a span whose article and label the other side never used does not stop the count
    assert ag.span_agreement([(1, 0, 5, "denial"), (1, 0, 5, "claim")], [(1, 0, 5, "claim")]).a_overlapped == 1
    # the running reach: a span past the end of an earlier one is found only through a later one
    assert ag.span_agreement([(1, 6, 8, "claim")], [(1, 0, 2, "claim"), (1, 5, 9, "claim")]).a_overlapped == 1
    assert ag.span_agreement([(1, 3, 4, "claim")], [(1, 0, 2, "claim"), (1, 5, 9, "claim")]).a_overlapped == 0


def test_coefficients_at_their_edges() -> None:
    assert ag.cohen_kappa({}) is None and ag.cohen_kappa({("x", "x"): 0}) is None
    assert ag.cohen_kappa({("x", "y"): 1}) == 0.0  # one unit, a disagreement: no better than chance
    assert ag.cohen_kappa({("x", "x"): 3}) is None  # one value only: chance agreement is already perfect
    assert ag.krippendorff_alpha({("a", "b"): 1}) == 0.0
    assert ag.krippendorff_alpha({("a", "b"): 0.5}) is None  # one pairable value: undefined
    # n = 1.2, o_ab = o_ba = 0.6: alpha = 1 - 0.2 * 1.2 / (1.44 - 0.72) = 2/3
    assert ag.krippendorff_alpha({("a", "b"): 0.6}) == pytest.approx(2 / 3)
    # a unit with one value, or no weight, pairs nothing and does not stop the rest
    with_lone = {("x",): 5.0, ("a", "b"): 1.0, ("a", "a"): 1.0, ("b", "a"): 0.0}
    assert ag.krippendorff_alpha(with_lone) == ag.krippendorff_alpha({("a", "b"): 1.0, ("a", "a"): 1.0})


def test_refusals_in_words() -> None:
    store, _ = _store({"A": [(0, 5, "claim")]})
    with pytest.raises(AnnotatorError) as one:
        ag.agreement(store)
    assert str(one.value) == "agreement needs at least two annotators with spans (found: A)"
    with pytest.raises(AnnotatorError) as unknown:
        ag.agreement(store, annotators=["A", "Zed"])
    assert str(unknown.value) == "no annotations by 'Zed' in this database (annotators: A)"
    empty = Store.memory()
    with pytest.raises(AnnotatorError) as none:
        ag.agreement(empty)
    assert str(none.value) == "agreement needs at least two annotators with spans (found none)"
    with pytest.raises(AnnotatorError) as nobody:
        ag.agreement(empty, annotators=["A"])
    assert str(nobody.value) == "no annotations by 'A' in this database (annotators: none)"
