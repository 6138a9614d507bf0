"""Suggestions against a person's labels of the five seed articles (tests/data/seeds_gold.jsonl).

Prints, per label, precision and recall of the cue rules and of the local
model in a leave-one-article-out run (trained on the gold spans of four
articles, scoring the fifth), matched exactly and by overlap
(annotator.core.suggest_eval), and the key presses tagging the seeds takes by
hand and with each source's suggestions. Run by hand; results in
docs/suggestions.md:

    python benchmarks/eval_suggestions.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson

from annotator.core.store import Store
from annotator.core.suggest_eval import Scores, Span, key_presses, score
from annotator.core.suggest_model import Examples, add_article, features, fit, model_candidates
from annotator.core.suggest_rules import CueSet, rule_candidates

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds_gold.jsonl"


def gold_articles(path: Path = GOLD) -> list[tuple[str, str, list[Span]]]:
    """(seed file, text, gold spans) of each article."""
    out = []
    for line in path.read_bytes().splitlines():
        record = orjson.loads(line)
        out.append((record["origin"], record["text"], [(s["start"], s["end"], s["label"]) for s in record["spans"]]))
    return out


def rule_spans(articles: list[tuple[str, str, list[Span]]], cues: CueSet) -> list[list[Span]]:
    return [[(c.start, c.end, c.label) for c in rule_candidates(text, cues)] for _name, text, _gold in articles]


def model_spans(articles: list[tuple[str, str, list[Span]]], cues: CueSet) -> list[list[Span]]:
    """Each article scored by a model trained on the gold spans of the others."""
    labels = sorted({label for _n, _t, gold in articles for _s, _e, label in gold})
    found = []
    for held_out in range(len(articles)):
        examples = Examples(labels)
        for i, (_name, text, gold) in enumerate(articles):
            if i != held_out:
                add_article(examples, text, gold, cues)
        model = fit(features(examples.texts), examples.matrix(), labels)
        text = articles[held_out][1]
        found.append([(c.start, c.end, c.label) for c in model_candidates([text], model, cues)[0]])
    return found


def table(name: str, articles: list[tuple[str, str, list[Span]]], suggested: list[list[Span]]) -> None:
    total = Scores()
    for (_name, text, gold), mine in zip(articles, suggested, strict=True):
        total.add(score(text, mine, gold))
    print(f"\n{name}: label, suggested, gold, precision / recall (overlap), precision / recall (exact)")
    for label in sorted(total.labels):
        s = total.labels[label]
        print(f"  {label:<11} {s.suggested:>3} {s.gold:>3}   {s.precision():.2f} / {s.recall():.2f}"
              f"   {s.precision(True):.2f} / {s.recall(True):.2f}")


def main() -> int:
    articles = gold_articles()
    cues = CueSet.of(Store.memory().cues())
    sources = {"rules": rule_spans(articles, cues), "model (leave one article out)": model_spans(articles, cues)}
    print(f"gold: {sum(len(g) for _n, _t, g in articles)} spans in {len(articles)} articles")
    for name, suggested in sources.items():
        table(name, articles, suggested)
    print("\nkey presses: article, by hand, " + ", ".join(f"with {name}" for name in sources))
    totals = [0] * (len(sources) + 1)
    for i, (name, text, gold) in enumerate(articles):
        counts = [key_presses(text, gold)] + [key_presses(text, gold, s[i]) for s in sources.values()]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        print(f"  {name[:3]}  " + "  ".join(f"{c:>5}" for c in counts))
    print("  all  " + "  ".join(f"{c:>5}" for c in totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
