"""Measuring suggestions against a person's labels: precision and recall per label, and key presses saved.

Matching (docs/suggestions.md, "Evaluation"): a suggestion and a gold span
of the same label match **exactly** when they cover the same characters once
spaces, quotes and final punctuation at both ends are left out (a clause is
tagged without its full stop, a sentence with it: neither is a different
span); they match **by overlap** when their intersection over union is at
least one half. Each gold span matches at most one suggestion (best fit first).

Key presses, keyboard only, per article (the rules stated in the docs): the
person goes through the article once, tagging spans in text order (by start,
the longer first) from a caret at the start, and after tagging a span the
caret is at its end.

- Moving the caret costs ``Ctrl+Right`` (or ``Ctrl+Left``) once per word
  between caret and target; a word is a run of letters, digits and
  underscores. Where suggestions show, ``Tab`` jumps to the next one (1 press
  each), and the person takes whichever way there is shorter (Tabs to a
  suggestion before the target, then words).
- Tagging by hand costs ``Ctrl+Shift+Right`` once per word of the span, then
  the label key.
- A suggestion covering exactly a gold span's characters is accepted where
  it stands: ``Enter`` if its label is right, the right label's key if not
  (1 press, after the Tabs that reach it). Other suggestions are passed over;
  a gold span no suggestion covers is tagged by hand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .suggest_model import fit_score
from .suggest_rules import trimmed

Span = tuple[int, int, str]
"""start, end, label"""
_WORD = re.compile(r"\w+")


@dataclass
class LabelScore:
    suggested: int = 0
    gold: int = 0
    exact: int = 0
    overlap: int = 0

    def precision(self, exact: bool = False) -> float:
        return (self.exact if exact else self.overlap) / self.suggested if self.suggested else 0.0

    def recall(self, exact: bool = False) -> float:
        return (self.exact if exact else self.overlap) / self.gold if self.gold else 0.0


@dataclass
class Scores:
    labels: dict[str, LabelScore] = field(default_factory=dict)

    def label(self, name: str) -> LabelScore:
        return self.labels.setdefault(name, LabelScore())

    def add(self, other: Scores) -> None:
        for name, score in other.labels.items():
            mine = self.label(name)
            mine.suggested += score.suggested
            mine.gold += score.gold
            mine.exact += score.exact
            mine.overlap += score.overlap


def _pairs(text: str, suggested: Sequence[Span], gold: Sequence[Span], min_fit: float) -> list[tuple[int, int]]:
    """(suggestion, gold) index pairs of the same label, best fit first, each side used once."""
    cut_s = [trimmed(text, s, e) for s, e, _l in suggested]
    cut_g = [trimmed(text, s, e) for s, e, _l in gold]
    candidates = sorted(((fit_score(cut_s[i], cut_g[j]), i, j) for i in range(len(suggested))
                         for j in range(len(gold)) if suggested[i][2] == gold[j][2]), reverse=True)
    used_s: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for score, i, j in candidates:
        if score >= min_fit and i not in used_s and j not in used_g:
            used_s.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def score(text: str, suggested: Sequence[Span], gold: Sequence[Span], min_fit: float = 0.5) -> Scores:
    """How many suggestions of each label match a gold span exactly and by overlap."""
    found = Scores()
    for _s, _e, label in suggested:
        found.label(label).suggested += 1
    for _s, _e, label in gold:
        found.label(label).gold += 1
    for i, j in _pairs(text, suggested, gold, min_fit):
        label = found.label(gold[j][2])
        label.overlap += 1
        label.exact += trimmed(text, *suggested[i][:2]) == trimmed(text, *gold[j][:2])
    return found


def _words_between(text: str, a: int, b: int) -> int:
    lo, hi = min(a, b), max(a, b)
    return sum(1 for m in _WORD.finditer(text, lo, hi) if m.start() >= lo)


def _move(text: str, caret: int, target: int, ghosts: Sequence[int]) -> int:
    """Presses from ``caret`` to ``target``: words, or Tabs to a suggestion before it and then words."""
    best = _words_between(text, caret, target)
    tabs = 0
    for start in ghosts:
        if caret < start <= target:
            tabs += 1
            best = min(best, tabs + _words_between(text, start, target))
    return best


def key_presses(text: str, gold: Sequence[Span], suggested: Sequence[Span] = ()) -> int:
    """Keys to tag ``gold`` by keyboard, with ``suggested`` showing (the rules in this module's docstring)."""
    ghosts = sorted(s for s, _e, _l in suggested)
    cut = [trimmed(text, s, e) for s, e, _l in gold]
    accepted: set[int] = set()
    for start, end, label in sorted(suggested):
        at = trimmed(text, start, end)
        same = [j for j in range(len(gold)) if j not in accepted and cut[j] == at]
        if same:
            accepted.add(next((j for j in same if gold[j][2] == label), same[0]))
    caret, total = 0, 0
    for j in sorted(range(len(gold)), key=lambda j: (gold[j][0], -gold[j][1])):
        start, end, _label = gold[j]
        total += _move(text, caret, start, ghosts) + 1
        if j not in accepted:
            total += len(_WORD.findall(text, start, end))
        caret = end
    return total


__all__ = ["LabelScore", "Scores", "Span", "key_presses", "score"]
