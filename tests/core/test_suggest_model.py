"""The local model: what it learns from, stored as data (never a pickle), never taken from a merged file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from annotator.core import audit
from annotator.core.importer import Importer
from annotator.core.merge import merge_database
from annotator.core.store import Store
from annotator.core.suggest_model import (
    TrainingCancelled,
    features,
    load,
    model_candidates,
    suggest_with_model,
    train,
    train_in_subprocess,
    training_examples,
)
from annotator.core.suggest_rules import CueSet
from annotator.core.suggestions import SuggestionError

GOLD = Path(__file__).resolve().parent.parent / "data" / "seeds_gold.jsonl"


@pytest.fixture
def tagged(store: Store) -> Store:
    """The five seeds with the gold labels (75 spans, accepted)."""
    assert Importer(store, actor="gold").run([GOLD]).ok
    return store


def test_train_learns_the_spans_and_reports_cross_validated_scores(tagged: Store) -> None:
    seen: list[tuple[int, int, str]] = []
    report = train(tagged, actor="ana", progress=lambda done, total, what: seen.append((done, total, what)) or True)
    # three clauses no cue points to ("Ankara has obligations to Moscow on these systems") fit no unit
    assert (report.spans, report.articles, report.folds, report.unfit) == (75, 5, 5, 3)
    assert set(report.metrics) == {"background", "claim", "denial"}
    assert report.metrics["denial"]["examples"] == 12
    assert all(0 <= m[k] <= 1 for m in report.metrics.values() for k in ("precision", "recall", "f1"))
    assert [d for d, _t, _w in seen] == sorted(d for d, _t, _w in seen) and seen[-1][0] == seen[-1][1]
    stored = tagged.stored_model()
    assert stored is not None and stored.examples == 75 and stored.metrics["folds"] == 5
    assert [(e.entity, e.action) for e in tagged.events_for("local")] == [("model", "train")]
    report = audit.verify(tagged)
    assert report.ok, report.summary()


def test_the_model_is_numbers_and_loads_back_to_the_same_scores(tagged: Store) -> None:
    train(tagged, actor="ana", folds=0)
    stored = tagged.stored_model()
    assert stored is not None
    raw = tagged._conn.execute("SELECT params, weights FROM models").fetchone()
    assert raw[0].startswith("{") and b"\x80\x04" not in raw[1][:2]   # JSON and raw arrays, no pickle header
    model = load(stored)
    text = tagged.article_text(1)
    again = load(tagged.stored_model())   # type: ignore[arg-type]
    rows = features([text[:200], text[200:400]])
    assert np.allclose(model.scores(rows), again.scores(rows))
    assert all(0 <= c.score <= 1 for c in model_candidates([text], model, CueSet.of(tagged.cues()))[0])


def test_a_model_changed_outside_annotator_is_refused_and_verify_says_so(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        Importer(store, actor="gold").run([GOLD])
        train(store, actor="ana", folds=0)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE models SET weights = zeroblob(length(weights))")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        with pytest.raises(SuggestionError, match="damaged"):
            suggest_with_model(store, actor="ana")
        assert "model local: its coefficients or parameters no longer match" in audit.verify(store).summary()


def test_rejected_spans_never_teach_and_pending_ones_can_be_left_out(tagged: Store) -> None:
    cues = CueSet.of(tagged.cues())
    first, second, third = tagged.annotations()[:3]
    tagged.set_status(first.uid, "rejected", actor="rev")
    tagged.set_status(second.uid, "rejected", actor="rev")
    tagged.set_status(second.uid, "pending", actor="rev")   # rejected once: still out
    tagged.set_status(third.uid, "pending", actor="rev")
    assert training_examples(tagged, cues, ("accepted", "pending")).spans == 73
    assert training_examples(tagged, cues, ("accepted",)).spans == 72


def test_changes_since_training_count_what_a_retrain_would_learn(tagged: Store) -> None:
    assert tagged.changes_since_training() is None
    train(tagged, actor="ana", folds=0)
    assert tagged.changes_since_training() == 0
    made = tagged.add_annotation(1, 0, 7, "claim", annotator="ana")
    tagged.relabel(made.uid, "denial", actor="ana")
    assert tagged.changes_since_training() == 2


def test_cancelling_training_keeps_the_model_stored_before(tagged: Store) -> None:
    train(tagged, actor="ana", folds=0)
    before = tagged.stored_model()
    with pytest.raises(TrainingCancelled):
        train(tagged, actor="bo", progress=lambda done, total, what: done < 2)
    assert tagged.stored_model() == before


def test_nothing_to_learn_from_is_said(store: Store) -> None:
    with pytest.raises(SuggestionError, match="nothing to learn from"):
        train(store, actor="ana")
    with pytest.raises(SuggestionError, match="no model called 'local'"):
        suggest_with_model(store, actor="ana")


def test_the_model_proposes_suggestions_of_its_own_source(tagged: Store) -> None:
    train(tagged, actor="ana")
    fresh, _ = tagged.add_article("The Kremlin denied the report. Turkey bought the S-400 in 2017.", title="x",
                                  actor="ana")
    report = suggest_with_model(tagged, [fresh.id], actor="ana")
    found = tagged.suggestion_rows(article_ids=[fresh.id])
    assert report.total == len(found) > 0 and report.withheld == {}
    assert {s.source for s in found} == {"model:local"}
    assert all(s.score is not None and 0 <= s.score <= 1 for s in found)


def test_labels_the_model_has_not_learnt_are_not_offered(tagged: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """F1 0.00 for every label, yet "Leave a comment" proposed as a denial at 0.97: never again."""
    from annotator.core import suggest_model

    monkeypatch.setattr(suggest_model, "MIN_F1", 0.5)     # on the gold set: background 0.64, claim and denial below
    report = train(tagged, actor="ana")
    assert set(report.withheld) == {"claim", "denial"} and "below 0.50" in report.withheld["denial"]
    copies = _untagged_copies(tagged)
    made = suggest_with_model(tagged, copies, actor="ana")
    assert set(made.withheld) == {"claim", "denial"}
    assert {s.label for s in tagged.suggestion_rows(sources=["model"])} == {"background"}
    train(tagged, actor="ana", folds=0)                   # quality unknown: nothing at all
    made = suggest_with_model(tagged, copies, actor="ana")
    assert made.total == 0 and set(made.withheld) == {"background", "claim", "denial"}
    assert all("not cross-validated" in why for why in made.withheld.values())
    assert not tagged.suggestion_rows(sources=["model"])


def _untagged_copies(store: Store) -> list[int]:
    """The seeds again, untagged (a suggestion is not made where the label is tagged already)."""
    return [store.add_article("Copy. " + store.article_text(a.id), title=f"copy {a.id}", actor="ana")[0].id
            for a in store.articles()]


def test_too_few_examples_are_not_offered(store: Store, tmp_path: Path) -> None:
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    import json

    kept = []
    for line in lines:
        record = json.loads(line)
        if "text" in record:   # three denials in all: fewer than the ten a label needs
            denials = [s for s in record["spans"] if s["label"] == "denial"][:1]
            record["spans"] = [s for s in record["spans"] if s["label"] != "denial"] + denials
        kept.append(json.dumps(record))
    path = tmp_path / "few.jsonl"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert Importer(store, actor="gold").run([path]).ok
    report = train(store, actor="ana")
    assert report.metrics["denial"]["examples"] < 10 and "fewer than the 10" in report.withheld["denial"]


def test_scores_say_how_often_such_a_suggestion_was_right(tagged: Store) -> None:
    """Not the classifier's raw probability (0.5 or more for every proposal, whatever it learnt)."""
    report = train(tagged, actor="ana")
    model = load(tagged.stored_model())   # type: ignore[arg-type]
    assert set(model.calibration) == {"background", "claim", "denial"}
    for label in model.labels:
        shown = [model.shown(label, raw) for raw in np.linspace(0, 1, 41)]
        assert shown == sorted(shown) and all(0 <= v <= 1 for v in shown)   # a rank kept, on another scale
    suggest_with_model(tagged, _untagged_copies(tagged), actor="ana")
    denials = [s.score for s in tagged.suggestion_rows(sources=["model"], labels=["denial"])]
    assert denials and max(denials) < 0.9
    # On articles it had not seen, about a third of its denial proposals were right: so say its scores.
    assert abs(sum(denials) / len(denials) - report.metrics["denial"]["precision"]) < 0.25


def test_a_merged_files_model_is_not_loaded(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    with Store.open(theirs) as other:
        Importer(other, actor="gold").run([GOLD])
        train(other, actor="bo", folds=0)
    with Store.open(mine) as store:
        merge_database(store, theirs, actor="ana")
        assert store.annotation_count() == 75   # the spans come, the model does not
        assert store.stored_model() is None and store.stored_models() == []
        assert not [e for e in store.events() if e.entity == "model"]
        with pytest.raises(SuggestionError, match="no model called 'local'"):
            suggest_with_model(store, actor="ana")
        train(store, actor="ana", folds=0)   # it is retrained here instead
        assert store.stored_model() is not None


def test_training_in_another_process_reports_and_cancels_like_training_here(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        with pytest.raises(SuggestionError, match="nothing to learn from"):
            train_in_subprocess(store, actor="ana")
        Importer(store, actor="gold").run([GOLD])
        steps: list[str] = []
        report = train_in_subprocess(store, actor="ana", folds=2,
                                     progress=lambda d, t, what: steps.append(what) or True)
        assert (report.spans, report.folds, report.unfit) == (75, 2, 3) and set(report.metrics) == {
            "background", "claim", "denial"}
        assert steps[0] == "reading the tagged spans" and steps[-1] == "done"
        stored = store.stored_model()
        assert stored is not None and stored.trained_by == "ana"
        with pytest.raises(TrainingCancelled):
            train_in_subprocess(store, actor="bo", progress=lambda d, t, what: what != "features")
        assert store.stored_model() == stored


def test_retrain_every_is_a_project_setting_with_a_default(store: Store) -> None:
    from annotator.core.errors import FieldError
    from annotator.core.store.claims import RETRAIN_EVERY

    assert store.retrain_every() == RETRAIN_EVERY
    assert store.set_setting("retrain_every", " 20 ", actor="lead") == "20"
    assert store.retrain_every() == 20
    for wrong in ("twenty", "-1", "2.5", "100001"):
        with pytest.raises(FieldError, match="retrain_every"):
            store.set_setting("retrain_every", wrong, actor="lead")
    assert store.retrain_every() == 20
    store.set_setting("retrain_every", "0", actor="lead")
    assert store.retrain_every() == 0   # never
    assert [e.action for e in store.events_for("retrain_every")] == ["set", "set"]
    assert audit.verify(store).ok
    store.write_setting_row("retrain_every", "garbage")   # another program's write: the default, not a failure
    assert store.retrain_every() == RETRAIN_EVERY


def test_withheld_labels_say_why_in_words() -> None:
    from annotator.core.suggest_model import MIN_EXAMPLES, MIN_F1, withheld

    metrics = {"folds": 3, "labels": {"claim": {"examples": 1, "f1": 0.9},
                                      "denial": {"examples": MIN_EXAMPLES, "f1": MIN_F1 - 0.01},
                                      "background": {"examples": MIN_EXAMPLES, "f1": MIN_F1}}}
    assert withheld(metrics, ["claim", "denial", "background", "other"]) == {
        "claim": f"1 example, fewer than the {MIN_EXAMPLES} it needs",
        "denial": f"cross-validated F1 {MIN_F1 - 0.01:.2f}, below {MIN_F1:.2f}",
        "other": f"0 examples, fewer than the {MIN_EXAMPLES} it needs",
    }
    assert set(withheld({"folds": 0}, ["claim"])) == {"claim"}
