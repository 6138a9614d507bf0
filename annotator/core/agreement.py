"""Agreement between annotators: span-level precision/recall/F1, Cohen's kappa, Krippendorff's alpha.

Span level, for a pair (A as reference, B compared with it), per label and overall
(counts pooled over labels and articles):

- exact match: same article, offsets and label, matched one to one;
  precision = matches / B's spans, recall = matches / A's spans.
- overlap match: a span counts as found when the other annotator has a span of
  the same label overlapping it by at least one character; precision = B's
  spans found by A / B's spans, recall = A's spans found by B / A's spans.
- F1 = 2PR / (P + R). P (or R) is None when B (or A) has no span; F1 is then 0
  if the other has spans (they agree on nothing) and None if neither has any.

Chance-corrected figures are computed per **character** (Unicode code point,
the unit offsets use; every character of the articles in scope counts,
whitespace included), not per token: no tokenizer to choose or to disagree with.

- Per label, each character is a yes/no: does one of the annotator's spans with
  that label cover it. Overlapping spans need no rule here.
- Overall, a character's value is the *set* of labels covering it (empty: no
  span). One annotator's overlapping spans (a claim nested inside a denial)
  make a character multi-valued; the set keeps that information instead of
  picking a winner, and two annotators agree on the character only if they gave
  it the same set.

Cohen's kappa is given for each pair, Krippendorff's alpha (nominal) for all the
chosen annotators together; each is None when undefined (only one value was
ever used, so chance agreement is already perfect).

An annotator chosen who has no span at all in the scope (in any label) coded
nothing there: nothing tells "read it and found nothing" from "never opened
it", and scoring them as "no label on every character" would make them agree
with every blank stretch and disagree with every span. So they are left out of
alpha (Krippendorff: a coder who coded no unit adds no pairable value), and
every figure of a pair with them (span scores, kappa, claim links) is None,
undefined as kappa is with an empty side; ``AgreementReport.without_spans``
names them.

The articles in scope are the ones asked for, else every article on which at
least one of the chosen annotators has a span: an article nobody touched would
only add characters that all agree on trivially. Every review status counts:
agreement measures the annotators, not the review.

Claim links (which spans belong to the same claim), for a pair (A as
reference, B compared with it), per role and overall (``link_agreement``):

- Each annotator's spans are matched one to one with the other's by overlap
  (same article, at least one character in common; the largest overlaps are
  paired first), whatever their labels: this measures the linking, not the
  tagging. Links are read from each annotator's own spans.
- Pairwise: A's pairs are the pairs of A's spans linked to one same claim (in
  that role; overall, in any role), B's likewise. A pair of B's is found when
  both its spans are matched and their matches are a pair of A's. Precision =
  found / B's pairs, recall = found / A's pairs, F1 as for spans.
- B-cubed (Bagga and Baldwin): the items are the matched span pairs linked (in
  that role) on either side. An item's cluster on one side is the items whose
  span shares a claim with its span there (itself included; an item unlinked
  on one side is alone there). Per item, precision = |both clusters| / |B's
  cluster| and recall = |both| / |A's cluster|, averaged over the items.
  Spans with no counterpart count in the pairwise figures only.

Both coefficients are computed here from weighted contingency counts over the
segments between span boundaries, O(spans) rather than O(characters). The
``krippendorff`` package (numpy) is the test oracle for alpha, not a runtime
dependency: it wants a per-character matrix, and it would bring numpy to the
app for twenty lines of arithmetic. scikit-learn's kappa would bring scipy.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import AnnotatorError, Cancelled
from .review import check_filter
from .store import Store

Span = tuple[int, int, int, str]
"""(article_id, start, end, label) with the label case-folded."""


# ------------------------------------------------------------ span scores


@dataclass(frozen=True)
class Scores:
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class SpanAgreement:
    """A pair's span-level figures for one label (``label`` None: all labels pooled)."""

    label: str | None
    a_spans: int
    b_spans: int
    exact_matches: int
    exact: Scores
    a_overlapped: int
    b_overlapped: int
    overlap: Scores


def scores(a_found: int, a_total: int, b_found: int, b_total: int) -> Scores:
    """Precision of B (b_found / b_total), recall against A (a_found / a_total), and F1."""
    precision = b_found / b_total if b_total else None
    recall = a_found / a_total if a_total else None
    if precision is None and recall is None:
        f1 = None
    elif precision is None or recall is None or precision + recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return Scores(precision, recall, f1)


def span_agreement(a: Sequence[Span], b: Sequence[Span], label: str | None = None) -> SpanAgreement:
    """Exact and overlap figures of B against A (spans as (article, start, end, label))."""
    exact = sum((Counter(a) & Counter(b)).values())
    a_overlapped = _overlapped(a, b)
    b_overlapped = _overlapped(b, a)
    return SpanAgreement(
        label, len(a), len(b), exact, scores(exact, len(a), exact, len(b)),
        a_overlapped, b_overlapped, scores(a_overlapped, len(a), b_overlapped, len(b)),
    )


def _overlapped(spans: Sequence[Span], others: Sequence[Span]) -> int:
    """How many of ``spans`` overlap a span of ``others`` with the same article and label."""
    found = _overlapped_keys([(start, end, (a, label)) for a, start, end, label in spans],
                             [(start, end, (a, label)) for a, start, end, label in others])
    return len(found)


def _overlapped_keys(spans: Sequence[tuple[int, int, Hashable]],
                     others: Sequence[tuple[int, int, Hashable]]) -> list[Hashable]:
    """The key of each of ``spans`` (start, end, key) that a span of ``others`` with the same key overlaps."""
    return _overlapping(spans, _reach_index(others))


def _reach_index(spans: Sequence[tuple[int, int, Hashable]]) -> dict[Hashable, tuple[list[int], list[int]]]:
    """For each key, its spans' sorted starts and the running maximum of their ends.

    Some span overlaps [s, e) exactly when one of those starting before e ends
    after s: O(n log n) rather than comparing every pair, which a corpus-wide
    comparison cannot afford.
    """
    groups: dict[Hashable, list[tuple[int, int]]] = defaultdict(list)
    for start, end, key in spans:
        groups[key].append((start, end))
    index: dict[Hashable, tuple[list[int], list[int]]] = {}
    for key, items in groups.items():
        items.sort()
        reach, longest = [], -1
        for _, end in items:
            longest = max(longest, end)
            reach.append(longest)
        index[key] = ([start for start, _ in items], reach)
    return index


def _overlapping(spans: Sequence[tuple[int, int, Hashable]],
                 index: dict[Hashable, tuple[list[int], list[int]]]) -> list[Hashable]:
    found = []
    for start, end, key in spans:
        entry = index.get(key)
        if entry is None:
            continue
        starts, reach = entry
        k = bisect.bisect_left(starts, end)
        if k and reach[k - 1] > start:
            found.append(key)
    return found


# ----------------------------------------------------------- coefficients


def cohen_kappa(table: Mapping[tuple[Hashable, Hashable], float]) -> float | None:
    """Cohen's kappa from weighted (value of A, value of B) counts; None if undefined."""
    total = sum(table.values())
    if total <= 0:
        return None
    a_marginal: defaultdict[Hashable, float] = defaultdict(float)
    b_marginal: defaultdict[Hashable, float] = defaultdict(float)
    observed = 0.0
    for (x, y), weight in table.items():
        a_marginal[x] += weight
        b_marginal[y] += weight
        if x == y:
            observed += weight
    observed /= total
    expected = sum(a_marginal[c] * b_marginal[c] for c in a_marginal) / (total * total)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Mapping[tuple[Hashable, ...], float]) -> float | None:
    """Nominal Krippendorff's alpha: units given as (every coder's value) -> weight; None if undefined.

    Every unit carries a value from each coder (no missing data), so each unit
    pairs m values and adds weight * n_c * (n_k - [c = k]) / (m - 1) to the
    coincidence o_ck; alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k.
    """
    coincidence: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for values, weight in units.items():
        m = len(values)
        if m < 2 or weight <= 0:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    coincidence[(c, k)] += weight * pairs / (m - 1)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _k), o in coincidence.items():
        totals[c] += o
    n = sum(totals.values())
    disagreeing = sum(o for (c, k), o in coincidence.items() if c != k)
    expected = n * n - sum(t * t for t in totals.values())  # sum over c != k of n_c * n_k
    if n <= 1 or expected <= 0:
        return None
    return 1 - (n - 1) * disagreeing / expected


# ----------------------------------------------------- per-character values


def character_units(
    length: int, spans_by_annotator: Sequence[Sequence[tuple[int, int, str]]],
) -> Counter[tuple[frozenset[str], ...]]:
    """Each annotator's label set per character of one text, as (sets) -> number of characters.

    Computed per segment between span boundaries, so the cost follows the
    number of spans, not the length of the text.
    """
    names = sorted({label for spans in spans_by_annotator for _, _, label in spans})
    code = {name: k for k, name in enumerate(names)}
    coded: dict[int, int] = {}
    _add_coded_units(coded, length, [[(start, end, code[label]) for start, end, label in spans]
                                     for spans in spans_by_annotator], len(names))
    return _decoded_units(coded, names, len(spans_by_annotator))


def _add_coded_units(units: dict[int, int], length: int, spans_by_annotator: Sequence[Sequence[tuple[int, int, int]]],
                     width: int) -> None:
    """``character_units`` of one text added to ``units``, with labels as codes 0 .. width - 1: each
    key an int with bit ``i * width + code`` set where annotator i's spans of that label cover the text.

    One sweep over the span boundaries in order: between two of them every
    character has the same sets. Ints for sets: four times faster than frozensets.
    """
    events = sorted((pos, i * width + code, step) for i, spans in enumerate(spans_by_annotator)
                    for start, end, code in spans for pos, step in ((start, 1), (end, -1)))
    depth = [0] * (len(spans_by_annotator) * width)
    key = done = 0
    for pos, bit, step in events:
        if pos > done:
            units[key] = units.get(key, 0) + pos - done
            done = pos
        covering = depth[bit] + step
        depth[bit] = covering
        if covering == 1 and step > 0:
            key |= 1 << bit
        elif covering == 0:
            key &= ~(1 << bit)
    if length > done:
        units[key] = units.get(key, 0) + length - done


def _decoded_units(coded: dict[int, int], names: Sequence[str], annotators: int
                   ) -> Counter[tuple[frozenset[str], ...]]:
    width = len(names)
    units: Counter[tuple[frozenset[str], ...]] = Counter()
    for key, weight in coded.items():
        units[tuple(frozenset(names[c] for c in range(width) if key >> (i * width + c) & 1)
                    for i in range(annotators))] += weight
    return units


# ---------------------------------------------------------------- reports


@dataclass(frozen=True)
class Figure:
    """One coefficient for one label (``label`` None: all labels, as label sets)."""

    label: str | None
    value: float | None


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    spans: tuple[SpanAgreement, ...]
    """Overall first (label None), then one per label."""
    kappa: tuple[Figure, ...]
    """Overall first, then one per label."""

    @property
    def overall(self) -> SpanAgreement:
        return self.spans[0]

    @property
    def overall_kappa(self) -> float | None:
        return self.kappa[0].value


# ------------------------------------------------------------ claim links


@dataclass(frozen=True)
class LinkedSpan:
    """A span, with the claims its links name (each with its role)."""

    uid: str
    article_id: int
    start: int
    end: int
    links: tuple[tuple[str, str], ...]
    """(claim uid, role) pairs."""


@dataclass(frozen=True)
class LinkAgreement:
    """A pair's claim-link figures for one role (``role`` None: every role)."""

    role: str | None
    a_pairs: int
    b_pairs: int
    found_pairs: int
    pairs: Scores
    items: int
    bcubed: Scores


@dataclass(frozen=True)
class PairLinkAgreement:
    a: str
    b: str
    matched_spans: int
    rows: tuple[LinkAgreement, ...]
    """Every role first (role None), then one per role."""


def match_spans(a: Sequence[LinkedSpan], b: Sequence[LinkedSpan]) -> dict[str, str]:
    """B's span uids -> A's, one to one, by overlap within an article: the largest overlaps first."""
    by_article: dict[int, tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]] = defaultdict(
        lambda: ([], []))
    for span in a:
        by_article[span.article_id][0].append((span.uid, span.start, span.end))
    for span in b:
        by_article[span.article_id][1].append((span.uid, span.start, span.end))
    matched: dict[str, str] = {}
    # Matches never compete across articles: matching each article alone gives the same pairs.
    for a_spans, b_spans in by_article.values():
        matched.update(_match_in_article(a_spans, b_spans))
    return matched


def _match_in_article(a: Sequence[tuple[str, int, int]], b: Sequence[tuple[str, int, int]]) -> dict[str, str]:
    """``match_spans`` within one article, spans as (uid, start, end)."""
    candidates: list[tuple[int, int, int, str, str]] = []
    for b_uid, b_start, b_end in b:
        for a_uid, a_start, a_end in a:
            overlap = min(b_end, a_end) - max(b_start, a_start)
            if overlap > 0:
                candidates.append((-overlap, a_start, b_start, a_uid, b_uid))
    candidates.sort()
    matched: dict[str, str] = {}
    taken: set[str] = set()
    for _size, _a_start, _b_start, a_uid, b_uid in candidates:
        if b_uid not in matched and a_uid not in taken:
            matched[b_uid] = a_uid
            taken.add(a_uid)
    return matched


def _clusters(spans: Sequence[LinkedSpan], role: str | None) -> dict[str, set[str]]:
    """Claim -> the spans linked to it (in ``role``; any role for None)."""
    found: dict[str, set[str]] = defaultdict(set)
    for span in spans:
        for claim, link_role in span.links:
            if role is None or link_role == role:
                found[claim].add(span.uid)
    return found


def _pairs(clusters: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {pair for members in clusters.values() for pair in itertools.combinations(sorted(members), 2)}


def link_agreement(a: Sequence[LinkedSpan], b: Sequence[LinkedSpan], role: str | None) -> LinkAgreement:
    """Pairwise and B-cubed figures of B's claim links against A's, for one role (None: all)."""
    return _link_figures(a, b, match_spans(a, b), role)


def _link_figures(a: Sequence[LinkedSpan], b: Sequence[LinkedSpan], to_a: Mapping[str, str],
                  role: str | None) -> LinkAgreement:
    """``link_agreement`` given the matching. Only linked spans, and matched pairs with a linked
    side, count: the rest may be left out of ``a``, ``b`` and ``to_a``."""
    a_clusters, b_clusters = _clusters(a, role), _clusters(b, role)
    a_pairs = _pairs(a_clusters)
    b_pairs = _pairs(b_clusters)
    found = sum(1 for x, y in b_pairs if x in to_a and y in to_a and tuple(sorted((to_a[x], to_a[y]))) in a_pairs)
    # B-cubed over matched items, named by A's uid.
    a_linked = {uid for members in a_clusters.values() for uid in members}
    b_linked = {to_a[uid] for members in b_clusters.values() for uid in members if uid in to_a}
    items = {a_uid for b_uid, a_uid in to_a.items() if a_uid in a_linked or a_uid in b_linked}
    a_of: dict[str, set[str]] = defaultdict(set)
    for members in a_clusters.values():
        for uid in members:
            a_of[uid] |= members & items
    b_of: dict[str, set[str]] = defaultdict(set)
    for members in b_clusters.values():
        mapped = {to_a[uid] for uid in members if uid in to_a} & items
        for uid in mapped:
            b_of[uid] |= mapped
    precision = recall = 0.0
    for item in items:
        mine, theirs = a_of[item] | {item}, b_of[item] | {item}
        both = len(mine & theirs)
        precision += both / len(theirs)
        recall += both / len(mine)
    if items:
        p, r = precision / len(items), recall / len(items)
        bcubed = Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)
    else:
        bcubed = Scores(None, None, None)
    return LinkAgreement(role, len(a_pairs), len(b_pairs), found, scores(found, len(a_pairs), found, len(b_pairs)),
                         len(items), bcubed)


def pair_link_agreement(a_name: str, b_name: str, a: Sequence[LinkedSpan],
                        b: Sequence[LinkedSpan]) -> PairLinkAgreement:
    from .claims import ROLES

    rows = tuple(link_agreement(a, b, role) for role in (None, *ROLES))
    return PairLinkAgreement(a_name, b_name, len(match_spans(a, b)), rows)


@dataclass(frozen=True)
class AgreementReport:
    annotators: tuple[str, ...]
    article_ids: tuple[int, ...]
    labels: tuple[str, ...]
    characters: int
    pairs: tuple[PairAgreement, ...]
    alpha: tuple[Figure, ...]
    """Krippendorff's alpha over all the annotators: overall first, then one per label."""
    links: tuple[PairLinkAgreement, ...] = ()
    """Claim links, for each pair (when any span in scope is linked to a claim)."""
    without_spans: tuple[str, ...] = ()
    """The annotators chosen with no span in the scope: left out of alpha, their pairs' figures None."""

    @property
    def overall_alpha(self) -> float | None:
        return self.alpha[0].value


Progress = Callable[[int, int], bool]
"""Called as (articles done, articles in all); returning False cancels (``Cancelled`` is raised)."""


class _Spans:
    """One annotator's spans in one article, as (start, end, label code), ready for each pair."""

    __slots__ = ("items", "multiset", "reach")

    def __init__(self, items: list[tuple[int, int, int]]) -> None:
        self.items = items
        self.multiset = Counter(items)
        self.reach = _reach_index(items)


@dataclass
class _PairCounts:
    """One pair's matches per label code, summed over the articles seen so far."""

    exact: Counter[int] = field(default_factory=Counter)
    a_overlapped: Counter[int] = field(default_factory=Counter)
    b_overlapped: Counter[int] = field(default_factory=Counter)

    def add(self, a: _Spans, b: _Spans) -> None:
        for (_, _, label), n in (a.multiset & b.multiset).items():
            self.exact[label] += n
        self.a_overlapped.update(_overlapping(a.items, b.reach))
        self.b_overlapped.update(_overlapping(b.items, a.reach))

    def figures(self, label: str | None, key: int | None, a_spans: Counter[int],
                b_spans: Counter[int]) -> SpanAgreement:
        counters = (a_spans, b_spans, self.exact, self.a_overlapped, self.b_overlapped)
        a_n, b_n, exact, a_over, b_over = (
            [sum(c.values()) for c in counters] if key is None else [c[key] for c in counters])
        return SpanAgreement(label, a_n, b_n, exact, scores(exact, a_n, exact, b_n),
                             a_over, b_over, scores(a_over, a_n, b_over, b_n))


def agreement(
    store: Store,
    *,
    annotators: Sequence[str] = (),
    article_ids: Sequence[int] = (),
    labels: Sequence[str] = (),
    progress: Progress | None = None,
) -> AgreementReport:
    """Every figure for the chosen annotators (default: all who have spans in scope).

    The spans are read one article at a time, in article order, and each article
    adds its counts: memory follows the largest article, not the database (at
    10,000 articles and a million spans, the whole list took 1.7 GB).

    Not split: the one pass over the articles feeds six running tallies (pair
    counts, spans per label, coded character units, characters, claim links, the
    cursor over the spans); split up, they would travel between the pieces as a
    long argument list, which reads worse than the loop that fills them.
    """
    check_filter(store, article_ids=article_ids, annotators=annotators)
    label_names = tuple(dict.fromkeys(store.label(name).name for name in labels))
    chosen = tuple(dict.fromkeys(annotators)) or tuple(store.annotators(article_ids=article_ids))
    if len(chosen) < 2:
        raise AnnotatorError(
            "agreement needs at least two annotators with spans"
            + (f" (found: {', '.join(chosen)})" if chosen else " (found none)"))
    scope = sorted(set(article_ids)) if article_ids else store.annotated_articles(chosen)
    lengths = store.article_lengths(scope)
    gone = next((article_id for article_id in scope if article_id not in lengths), None)
    if gone is not None:
        raise store.gone_article(gone)
    # Labels as small ints while counting (see _add_coded_units).
    label_list = store.labels()
    width = len(label_list)
    code_of = {label.name: k for k, label in enumerate(label_list)}
    folded_of = [label.name.casefold() for label in label_list]
    wanted = {label.name.casefold() for label in label_list} if not label_names else \
        {name.casefold() for name in label_names}
    position = {name: i for i, name in enumerate(chosen)}
    pairs_of = list(itertools.combinations(range(len(chosen)), 2))
    counts = {pair: _PairCounts() for pair in pairs_of}
    spans_per_label = [Counter[int]() for _ in chosen]
    spans_in_scope = [0] * len(chosen)   # every label: a span of another label is still work done here
    coded_units: dict[int, int] = {}
    characters = 0
    claim_links = store.links_by_span() if store.link_count() else None
    linking = _LinkCounts(pairs_of, len(chosen))
    spans = iter(store.spans_by_article(scope if article_ids else (), chosen))
    pending = next(spans, None)
    for done, article_id in enumerate(scope):
        if progress is not None and done % 100 == 0 and progress(done, len(scope)) is False:
            raise Cancelled("agreement cancelled")
        by_annotator: list[list[tuple[int, int, int]]] = [[] for _ in chosen]
        uids: list[list[tuple[str, int, int]]] = [[] for _ in chosen]
        while pending is not None and pending[0] < article_id:
            pending = next(spans, None)
        if pending is not None and pending[0] == article_id:
            for start, end, label, annotator, uid in pending[1]:
                code = code_of[label]
                spans_in_scope[position[annotator]] += 1
                if folded_of[code] in wanted:
                    by_annotator[position[annotator]].append((start, end, code))
                    if claim_links is not None:
                        uids[position[annotator]].append((uid, start, end))
            pending = next(spans, None)
        length = lengths[article_id]
        characters += length
        _add_coded_units(coded_units, length, by_annotator, width)
        prepared = [_Spans(items) for items in by_annotator]
        for i, items in enumerate(by_annotator):
            spans_per_label[i].update(code for _, _, code in items)
        for i, j in pairs_of:
            counts[(i, j)].add(prepared[i], prepared[j])
        if claim_links is not None:
            linking.add(article_id, uids, claim_links)
    if progress is not None and progress(len(scope), len(scope)) is False:
        raise Cancelled("agreement cancelled")
    used = {folded_of[code] for per_label in spans_per_label for code, n in per_label.items() if n}
    shown_labels = label_names or tuple(label.name for label in label_list if label.name.casefold() in used)
    units = _decoded_units(coded_units, folded_of, len(chosen))

    variables: list[tuple[str | None, str | None]] = [(None, None)] + [(n, n.casefold()) for n in shown_labels]

    def values(sets: tuple[frozenset[str], ...], key: str | None) -> tuple[Hashable, ...]:
        return sets if key is None else tuple(key in s for s in sets)

    coders = [i for i, n in enumerate(spans_in_scope) if n]
    pairs = []
    for i, j in pairs_of:
        span_rows = [counts[(i, j)].figures(label_name, None if key is None else folded_of.index(key),
                                            spans_per_label[i], spans_per_label[j])
                     for label_name, key in variables]
        if not (spans_in_scope[i] and spans_in_scope[j]):
            pairs.append(PairAgreement(chosen[i], chosen[j], tuple(_undefined(r) for r in span_rows),
                                       tuple(Figure(label_name, None) for label_name, _key in variables)))
            continue
        kappas = []
        for label_name, key in variables:
            table: Counter[tuple[Hashable, Hashable]] = Counter()
            for sets, weight in units.items():
                v = values(sets, key)
                table[(v[i], v[j])] += weight
            kappas.append(Figure(label_name, cohen_kappa(table)))
        pairs.append(PairAgreement(chosen[i], chosen[j], tuple(span_rows), tuple(kappas)))

    alphas = []
    for label_name, key in variables:
        projected: Counter[tuple[Hashable, ...]] = Counter()
        for sets, weight in units.items():
            v = values(sets, key)
            projected[tuple(v[i] for i in coders)] += weight
        alphas.append(Figure(label_name, krippendorff_alpha(projected)))

    links = linking.report(chosen, coders) if claim_links is not None else ()
    return AgreementReport(chosen, tuple(scope), tuple(shown_labels), characters, tuple(pairs), tuple(alphas),
                           links, tuple(chosen[i] for i, n in enumerate(spans_in_scope) if not n))


_UNDEFINED = Scores(None, None, None)


def _undefined(row: SpanAgreement) -> SpanAgreement:
    """A pair's span row with one side silent in the scope: its counts stay, its scores are undefined."""
    return replace(row, exact=_UNDEFINED, overlap=_UNDEFINED)


class _LinkCounts:
    """What claim-link agreement needs, gathered article by article: each annotator's linked spans,
    and for each pair how many spans matched and the matched pairs with a linked side."""

    def __init__(self, pairs_of: Sequence[tuple[int, int]], annotators: int) -> None:
        self.pairs_of = pairs_of
        self.linked: list[list[LinkedSpan]] = [[] for _ in range(annotators)]
        self.matched = dict.fromkeys(pairs_of, 0)
        self.to_a: dict[tuple[int, int], dict[str, str]] = {pair: {} for pair in pairs_of}

    def add(self, article_id: int, spans: Sequence[Sequence[tuple[str, int, int]]],
            claim_links: Mapping[str, Sequence[Any]]) -> None:
        linked_here: set[str] = set()
        for i, items in enumerate(spans):
            for uid, start, end in items:
                links = claim_links.get(uid)
                if links:
                    linked_here.add(uid)
                    self.linked[i].append(LinkedSpan(uid, article_id, start, end,
                                                     tuple((k.claim_uid, k.role) for k in links)))
        for i, j in self.pairs_of:
            matched = _match_in_article(spans[i], spans[j])
            self.matched[(i, j)] += len(matched)
            self.to_a[(i, j)].update((b, a) for b, a in matched.items() if b in linked_here or a in linked_here)

    def report(self, chosen: Sequence[str], coders: Sequence[int]) -> tuple[PairLinkAgreement, ...]:
        """Each pair's figures; a pair with an annotator not among ``coders`` (no span in scope) has none."""
        from .claims import ROLES

        if not any(self.linked):
            return ()
        found = []
        for i, j in self.pairs_of:
            rows = tuple(_link_figures(self.linked[i], self.linked[j], self.to_a[(i, j)], role)
                         for role in (None, *ROLES))
            if i not in coders or j not in coders:
                rows = tuple(replace(r, pairs=_UNDEFINED, bcubed=_UNDEFINED) for r in rows)
            found.append(PairLinkAgreement(chosen[i], chosen[j], self.matched[(i, j)], rows))
        return tuple(found)


__all__ = [
    "AgreementReport", "Figure", "LinkAgreement", "LinkedSpan", "PairLinkAgreement", "link_agreement", "match_spans",
    "pair_link_agreement", "PairAgreement", "Scores", "SpanAgreement", "agreement", "character_units",
    "cohen_kappa", "krippendorff_alpha", "scores", "span_agreement",
]
