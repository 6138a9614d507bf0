"""The gold labels of the seeds, span matching and key counting, and the rules' scores docs/suggestions.md reports."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.core.paths import seeds_dir
from annotator.core.store import Store
from annotator.core.suggest_eval import Scores, key_presses, score
from annotator.core.suggest_rules import CueSet, rule_candidates
from annotator.core.text import normalise

GOLD = Path(__file__).resolve().parent.parent / "data" / "seeds_gold.jsonl"


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return [orjson.loads(line) for line in GOLD.read_bytes().splitlines()]


def test_the_gold_set_labels_the_five_seeds_by_their_own_text(gold: list[dict]) -> None:
    seeds = {p.name: normalise(p.read_text(encoding="utf-8")).text for p in seeds_dir().glob("*.txt")}
    assert sorted(r["origin"] for r in gold) == sorted(seeds)
    labels = {label.name for label in Store.memory().labels()}
    for record in gold:
        assert record["text"] == seeds[record["origin"]]
        for span in record["spans"]:
            assert record["text"][span["start"]:span["end"]] == span["text"]
            assert span["label"] in labels
    assert sum(len(r["spans"]) for r in gold) == 75


def test_the_gold_set_imports_as_a_native_jsonl(gold: list[dict], store: Store) -> None:
    from annotator.core.importer import Importer

    report = Importer(store, actor="t").run([GOLD])
    assert report.ok and (report.articles_added, report.spans_added) == (5, 75)


def test_matching_is_one_to_one_and_leaves_out_end_punctuation() -> None:
    text = "Alpha beta gamma. Delta epsilon zeta."
    gold = [(0, 17, "claim"), (18, 37, "denial")]
    found = score(text, [(0, 16, "claim"), (0, 10, "claim"), (18, 31, "denial"), (18, 37, "claim")], gold)
    claim, denial = found.labels["claim"], found.labels["denial"]
    assert (claim.suggested, claim.gold, claim.exact, claim.overlap) == (3, 1, 1, 1)
    assert (denial.suggested, denial.gold, denial.exact, denial.overlap) == (1, 1, 0, 1)   # 13 of 19 characters
    assert (claim.precision(), claim.recall(exact=True)) == (1 / 3, 1.0)


def test_key_presses_by_hand_and_with_suggestions() -> None:
    text = "Alpha beta gamma. Delta epsilon zeta. Eta theta."
    gold = [(0, 17, "claim"), (38, 48, "background")]
    # by hand: 0 words to reach, 3 to select, a label key; 3 words on, 2 to select, a label key
    assert key_presses(text, gold) == (0 + 3 + 1) + (3 + 2 + 1)
    # the first suggestion is under the caret: its label key (it says denial); then Tab past a wrong
    # one, Tab, Enter (2 Tabs beat 3 words)
    suggested = [(0, 16, "denial"), (18, 37, "claim"), (38, 48, "background")]
    assert key_presses(text, gold, suggested) == (0 + 1) + (2 + 1)
    # a suggestion to jump to beats words even when it is wrong: Tab, then 1 word, select 2, label
    assert key_presses(text, [(0, 17, "claim"), (42, 48, "background")], [(38, 41, "claim")]) == 4 + (1 + 1 + 1 + 1)


def test_the_rules_scores_on_the_gold_set_are_the_ones_documented(gold: list[dict]) -> None:
    """docs/suggestions.md reports these; a change to the cues or the rules must update it."""
    cues = CueSet.of(Store.memory().cues())
    total, presses = Scores(), [0, 0]
    for record in gold:
        spans = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        found = [(c.start, c.end, c.label) for c in rule_candidates(record["text"], cues)]
        total.add(score(record["text"], found, spans))
        presses[0] += key_presses(record["text"], spans)
        presses[1] += key_presses(record["text"], spans, found)
    assert {label: (s.suggested, s.gold, s.overlap, s.exact) for label, s in total.labels.items()} == {
        "background": (7, 34, 6, 6), "claim": (24, 29, 18, 15), "denial": (12, 12, 11, 11)}
    assert presses == [2227, 1226]
