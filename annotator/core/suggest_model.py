"""A local model: learns this database's own spans and proposes sentences and clauses like them.

What it sees (docs/suggestions.md, "The model"):

- **Units**: every sentence of an article and every clause a claim cue points
  to (``suggest_rules.text_units``). A span the team tagged teaches the unit
  that fits it best (intersection over union of their characters, punctuation
  and quotes at the ends left out) if that fit is at least one half; every
  other unit of an article that holds tagged spans is a negative example for
  that label. Articles nobody tagged teach nothing: an untagged sentence
  there is unread, not "not a claim". Spans no unit fits are counted, not used.
- **Spans learned from**: accepted and pending ones that were never rejected
  (``Store.training_spans``). Pending ones count because in a team without a
  reviewer nothing is ever accepted, and the person's own tags are what the
  suggestions should resemble; a span a reviewer rejected once stays out even
  after someone set it back to pending. ``statuses=("accepted",)`` learns from
  reviewed spans only.
- **Features**: word unigrams and bigrams and character 3- to 5-grams of each
  word (with its edges, like scikit-learn's ``char_wb``), lower-cased with
  accents stripped, hashed into 2^20 columns (no vocabulary to keep), each row
  scaled to unit length. A unit's character grams are the sum of its words'
  grams, so they are computed once per distinct word (a sparse product) rather
  than once per occurrence: 28,000 units take 2.5 s, scikit-learn's own
  ``word`` and ``char_wb`` analyzers 5.8 s (docs/suggestions.md).
- **Model**: one logistic regression per label (scikit-learn's
  ``SGDClassifier`` with log loss, classes weighted by their frequency:
  0.4 s per label on 28,000 units, where ``LogisticRegression`` took 9-19 s),
  scores are its probabilities; a unit scoring 0.5 or more is proposed, and
  of overlapping proposals of one label only the best.

The model is stored as data (``StoredModel``): its parameters as JSON and,
per label, the indices and values of its non-zero coefficients as
little-endian int32 and float32 arrays. Loading reads numbers; nothing in a
database can make it run code. Merge never brings a colleague's model.

Training takes a ``progress(done, total, what) -> bool`` callback (False
cancels, nothing is stored) so that the workspace can run it in a worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import AnnotatorError
from .hints import FOLDS
from .model import now_iso
from .suggest_rules import CueSet, text_units, trimmed
from .suggestions import DEFAULT_MODEL, Candidate, StoredModel, SuggestionError, SuggestReport, model_digest
from .words import count

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

    from .store import Store

KIND = "hashed-ngrams-logistic-1"
FEATURES = 1 << 20
THRESHOLD = 0.5
MIN_FIT = 0.5
"""How well (intersection over union) a unit must fit a span to learn from it."""
MIN_F1 = 0.3
"""The cross-validated F1 a label needs before the model's suggestions of it are offered. Below it, more
than about two proposals in three are wrong (on the seeds' gold set: background 0.64, claim 0.41,
denial 0.34); a model that learnt nothing (F1 0.00) proposes "Leave a comment" as a denial otherwise."""
MIN_EXAMPLES = 10
"""The positive examples (units) a label needs: with fewer, five folds test it on one or two."""
_TOKEN = re.compile(r"\w+")
_SGD = {"loss": "log_loss", "alpha": 1e-4, "max_iter": 8, "tol": None, "class_weight": "balanced",
        "random_state": 0}

Progress = Callable[[int, int, str], bool]


class TrainingCancelled(AnnotatorError):
    """Training was cancelled; the model stored before stays."""


# ------------------------------------------------------------------ features


def _words(texts: Sequence[str]) -> list[list[str]]:
    from sklearn.feature_extraction.text import strip_accents_unicode

    return [_TOKEN.findall(strip_accents_unicode(t.lower())) for t in texts]


def _char_grams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)]


def features(texts: Sequence[str]) -> sparse.csr_matrix:
    """The feature rows of ``texts``: hashed word 1-2-grams and per-word character 3-5-grams, unit length."""
    from scipy import sparse
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.preprocessing import normalize

    tokens = _words(texts)
    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for words in tokens:
        indices += [vocabulary.setdefault(w, len(vocabulary)) for w in words]
        indptr.append(len(indices))
    import numpy as np

    # float32 throughout (counts are small whole numbers: exact): a float64 product and its float32
    # copy held ~2.5x the matrix at once (700 MB peak training on 3,000 articles).
    counts = sparse.csr_matrix((np.ones(len(indices), dtype="float32"), np.asarray(indices, dtype="int64"),
                                np.asarray(indptr, dtype="int64")), shape=(len(texts), max(len(vocabulary), 1)))
    del indices
    hasher = {"n_features": FEATURES, "alternate_sign": False, "norm": None, "dtype": "float32"}
    unique = list(vocabulary) or [""]
    per_word = HashingVectorizer(analyzer=lambda w: [f"w {w}", *_char_grams(w)], **hasher).transform(unique)
    bigrams = HashingVectorizer(analyzer=lambda ws: [f"b {a} {b}" for a, b in zip(ws, ws[1:], strict=False)],
                                **hasher).transform(tokens)
    rows = counts @ per_word
    rows += bigrams
    return normalize(rows.astype("float32", copy=False).tocsr(), copy=False)


# --------------------------------------------------------------- examples


def fit_score(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two ranges of characters."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(inter, 0) / (max(a[1], b[1]) - min(a[0], b[0]))


@dataclass
class Examples:
    """Units of the tagged articles, their texts, articles, and which labels each one is an example of."""

    labels: list[str]
    texts: list[str] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    targets: list[set[str]] = field(default_factory=list)
    spans: int = 0
    unfit: int = 0
    """Spans no sentence or clause fits well enough to learn from."""

    def matrix(self) -> np.ndarray:
        import numpy as np

        return np.array([[label in t for label in self.labels] for t in self.targets], dtype=bool).reshape(
            len(self.targets), len(self.labels))


def add_article(examples: Examples, text: str, spans: Sequence[tuple[int, int, str]], cues: CueSet) -> None:
    """Add one article's units, each span taught by the unit that fits it best."""
    units = text_units(text, cues)
    cut = [trimmed(text, *u) for u in units]
    targets: list[set[str]] = [set() for _ in units]
    for start, end, label in spans:
        examples.spans += 1
        span = trimmed(text, start, end)
        scores = [fit_score(span, u) if u[0] < u[1] else 0.0 for u in cut]
        best = max(range(len(units)), key=scores.__getitem__, default=None)
        if best is None or scores[best] < MIN_FIT:
            examples.unfit += 1
            continue
        targets[best].add(label)
    article = len(set(examples.groups))
    for (start, end), target in zip(units, targets, strict=True):
        examples.texts.append(text[start:end])
        examples.groups.append(article)
        examples.targets.append(target)


def training_examples(store: Store, cues: CueSet, statuses: Sequence[str]) -> Examples:
    by_article: dict[int, list[tuple[int, int, str]]] = {}
    for article_id, start, end, label in store.training_spans(statuses):
        by_article.setdefault(article_id, []).append((start, end, label))
    examples = Examples(sorted({label for spans in by_article.values() for _s, _e, label in spans}))
    for article_id, spans in by_article.items():
        add_article(examples, store.article_text(article_id), spans, cues)
    return examples


# ------------------------------------------------------------------- model


@dataclass
class LinearModel:
    """Per label: sparse coefficients over the hashed features, and an intercept."""

    labels: list[str]
    weights: Any
    """A (features x labels) sparse matrix."""
    intercepts: Any
    threshold: float = THRESHOLD
    calibration: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)
    """Per label, the points of a step function from a raw probability to how often a unit scored that
    high was right in cross-validation (``calibrate``). A label without one shows its raw probability."""

    def scores(self, rows: Any) -> Any:
        """Probability of each label for each row of features (a units x labels array)."""
        import numpy as np

        decision = np.asarray((rows @ self.weights).todense()) + self.intercepts
        return 1.0 / (1.0 + np.exp(-decision))

    def shown(self, label: str, raw: float) -> float:
        """The score a suggestion shows: the calibrated chance it is right, not the classifier's raw probability.

        A logistic regression trained on a few dozen spans is sure of itself
        (0.97) where it has learnt nothing; what it got right on articles it
        did not see is the honest number.
        """
        points = self.calibration.get(label)
        if not points:
            return raw
        import numpy as np

        return float(np.interp(raw, points[0], points[1]))


CALIBRATION_PRIOR = 4.0
"""Pseudo-examples at the label's base rate added to each step of the calibration: two right out of
two held-out units is "two of two", not a certainty (it shows as about 0.5 for a rare label)."""


def calibrate(raw: Any, truth: Any) -> tuple[list[float], list[float]]:
    """Points of a non-decreasing function from a raw probability to how often such a unit was right.

    Fitted on out-of-fold scores (each unit scored by a model that never saw
    its article): the pool-adjacent-violators steps of truth on raw score
    (isotonic regression), each step's rate shrunk towards the label's base
    rate by ``CALIBRATION_PRIOR`` pseudo-examples, so that a step of a few
    units claims little. Rounded: it is stored in the model's parameters.
    """
    import numpy as np

    order = np.argsort(raw, kind="stable")
    xs_sorted, ys_sorted = np.asarray(raw, dtype="float64")[order], np.asarray(truth, dtype="float64")[order]
    blocks: list[list[float]] = []   # [sum of truth, count, sum of raw]
    for x, y in zip(xs_sorted, ys_sorted, strict=True):
        blocks.append([y, 1.0, x])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            right, n, xsum = blocks.pop()
            blocks[-1] = [blocks[-1][0] + right, blocks[-1][1] + n, blocks[-1][2] + xsum]
    base = float(ys_sorted.mean()) if len(ys_sorted) else 0.0
    xs, ys, top = [], [], 0.0
    for right, n, xsum in blocks:
        top = max(top, float((right + CALIBRATION_PRIOR * base) / (n + CALIBRATION_PRIOR)))
        xs.append(round(float(xsum / n), 4))
        ys.append(round(top, 4))
    return xs, ys


def withheld(metrics: dict[str, Any], labels: Sequence[str]) -> dict[str, str]:
    """Which of a model's ``labels`` are not offered, each with why, from its stored ``metrics``.

    Offered: cross-validated, with at least ``MIN_EXAMPLES`` positive examples
    and an F1 of at least ``MIN_F1``. A model trained without cross-validation
    (``--folds 0``, or spans in one article) has no measured quality: none.
    """
    scores = metrics.get("labels") or {}
    if not metrics.get("folds"):
        return {label: "not cross-validated, so its quality is unknown (train with spans in two articles or"
                       f" more, {FOLDS.cli})" for label in labels}
    out = {}
    for label in labels:
        m = scores.get(label, {})
        if int(m.get("examples", 0)) < MIN_EXAMPLES:
            out[label] = f"{count(int(m.get('examples', 0)), 'example')}, fewer than the {MIN_EXAMPLES} it needs"
        elif float(m.get("f1", 0.0)) < MIN_F1:
            out[label] = f"cross-validated F1 {float(m.get('f1', 0.0)):.2f}, below {MIN_F1:.2f}"
    return out


def fit(x: Any, y: Any, labels: Sequence[str], progress: Callable[[str], None] | None = None) -> LinearModel:
    """One logistic regression per label; a label with no positive (or no negative) example scores 0."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import SGDClassifier

    columns, intercepts = [], []
    for j, label in enumerate(labels):
        if progress is not None:
            progress(label)
        if y[:, j].all() or not y[:, j].any():
            columns.append(sparse.csc_matrix((x.shape[1], 1), dtype="float32"))
            intercepts.append(-50.0 if not y[:, j].any() else 50.0)
            continue
        model = SGDClassifier(**_SGD).fit(x, y[:, j])
        columns.append(sparse.csc_matrix(model.coef_.astype("float32").T))
        intercepts.append(float(model.intercept_[0]))
    weights = sparse.hstack(columns, format="csc") if columns else sparse.csc_matrix((x.shape[1], 0))
    return LinearModel(list(labels), weights, np.array(intercepts, dtype="float64"))


def metrics(y: Any, predicted: Any, labels: Sequence[str]) -> dict[str, dict[str, float | int]]:
    """Precision, recall and F1 per label, and how many positive examples each had."""
    out: dict[str, dict[str, float | int]] = {}
    for j, label in enumerate(labels):
        tp = int((y[:, j] & predicted[:, j]).sum())
        fp = int((~y[:, j] & predicted[:, j]).sum())
        fn = int((y[:, j] & ~predicted[:, j]).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                      "examples": int(y[:, j].sum())}
    return out


# ----------------------------------------------------------------- storage


def to_stored(model: LinearModel, *, name: str, examples: int, metrics: dict[str, Any], actor: str) -> StoredModel:
    """The model as data: JSON parameters and, per label, int32 indices then float32 values (little-endian)."""
    import numpy as np

    blobs: list[bytes] = []
    arrays = []
    offset = 0
    for j, label in enumerate(model.labels):
        column = model.weights[:, j].tocoo()
        keep = column.data != 0
        idx = column.row[keep].astype("<i4")
        val = column.data[keep].astype("<f4")
        blobs += [idx.tobytes(), val.tobytes()]
        arrays.append({"label": label, "offset": offset, "count": int(idx.size)})
        offset += idx.nbytes + val.nbytes
    params = {"features": FEATURES, "threshold": model.threshold, "labels": list(model.labels),
              "intercepts": [float(b) for b in np.asarray(model.intercepts)], "arrays": arrays,
              "analyzer": "words 1-2, word char 3-5, lower, no accents, l2",
              "calibration": {label: [xs, ys] for label, (xs, ys) in model.calibration.items()}}
    weights = b"".join(blobs)
    return StoredModel(name, KIND, params, weights, model_digest(params, weights), examples, metrics, actor, now_iso())


def load(stored: StoredModel) -> LinearModel:
    """Read a stored model's numbers back; anything that does not add up is refused, never guessed at."""
    import numpy as np
    from scipy import sparse

    damaged = SuggestionError(f"the stored model {stored.name!r} is damaged or of another version; retrain it"
                              " (annotator train)")
    params = stored.params
    if stored.kind != KIND or params.get("features") != FEATURES or model_digest(params, stored.weights) != \
            stored.sha256:
        raise damaged
    try:
        labels = [str(label) for label in params["labels"]]
        columns = []
        for j, entry in enumerate(params["arrays"]):
            if entry["label"] != labels[j]:
                raise damaged
            offset, count = int(entry["offset"]), int(entry["count"])
            idx = np.frombuffer(stored.weights, dtype="<i4", count=count, offset=offset)
            val = np.frombuffer(stored.weights, dtype="<f4", count=count, offset=offset + 4 * count)
            if count and (idx.min() < 0 or idx.max() >= FEATURES):
                raise damaged
            columns.append(sparse.csc_matrix((val, (idx, np.zeros(count, dtype="int32"))), shape=(FEATURES, 1)))
        intercepts = np.array([float(b) for b in params["intercepts"]], dtype="float64")
        if len(columns) != len(labels) or intercepts.shape != (len(labels),):
            raise damaged
        weights = sparse.hstack(columns, format="csc") if columns else sparse.csc_matrix((FEATURES, 0))
        calibration = {}
        for label, (xs, ys) in (params.get("calibration") or {}).items():   # models trained before have none
            xs, ys = [float(v) for v in xs], [float(v) for v in ys]
            if len(xs) != len(ys) or any(b < a for a, b in zip(xs, xs[1:], strict=False)):
                raise damaged
            calibration[str(label)] = (xs, ys)
        return LinearModel(labels, weights, intercepts, float(params["threshold"]), calibration)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise damaged from exc


# ------------------------------------------------------------------ train


@dataclass(frozen=True)
class TrainingReport:
    """What ``train`` learnt from and how well it does on spans it did not see (cross-validated by article)."""

    name: str
    spans: int
    """Tagged spans read."""
    units: int
    """Sentences and clauses of the tagged articles (the examples, positive and negative)."""
    articles: int
    unfit: int
    folds: int
    """0: too few tagged articles to cross-validate (fewer than two)."""
    metrics: dict[str, dict[str, float | int]]
    stored: bool = True
    withheld: dict[str, str] = field(default_factory=dict)
    """The labels whose suggestions will not be offered, and why (``withheld``)."""


def train(store: Store, *, actor: str, name: str = DEFAULT_MODEL, statuses: Sequence[str] = ("accepted", "pending"),
          folds: int = 5, progress: Progress | None = None) -> TrainingReport:
    """Learn from the database's spans, cross-validate by article, and store the model under ``name``.

    Reading and learning happen outside any transaction; only storing the
    model is one (a short write). ``progress`` returning False cancels
    (``TrainingCancelled``) and the model stored before stays.
    """
    import numpy as np

    if progress is not None and progress(0, 1, "reading the tagged spans") is False:
        raise TrainingCancelled("training cancelled; the model stored before stays")
    examples = training_examples(store, CueSet.of(store.cues()), statuses)
    articles = len(set(examples.groups))
    if not examples.labels or not examples.texts:
        raise SuggestionError("nothing to learn from: no tagged spans" + (
            " with status " + " or ".join(statuses) if statuses else ""))
    folds = min(folds, articles) if articles >= 2 and folds >= 2 else 0
    steps = 1 + folds + 1
    step = _Steps(progress, steps)
    step("features")
    x, y = features(examples.texts), examples.matrix()
    found: dict[str, dict[str, float | int]] = {}
    calibration: dict[str, tuple[list[float], list[float]]] = {}
    if folds:
        from sklearn.model_selection import GroupKFold

        held_out = np.zeros(y.shape, dtype="float64")   # each unit scored by a model that never saw its article
        for k, (train_rows, test_rows) in enumerate(GroupKFold(n_splits=folds).split(x, groups=examples.groups)):
            step(f"cross-validation {k + 1} of {folds}")
            model = fit(x[train_rows], y[train_rows], examples.labels)
            held_out[test_rows] = model.scores(x[test_rows])
        found = metrics(y, held_out >= THRESHOLD, examples.labels)
        calibration = {label: calibrate(held_out[:, j], y[:, j]) for j, label in enumerate(examples.labels)
                       if y[:, j].any() and not y[:, j].all()}
    step("fitting")
    model = fit(x, y, examples.labels)
    model.calibration = calibration
    step.done()
    report = TrainingReport(name, examples.spans, len(examples.texts), articles, examples.unfit, folds, found)
    stored = _as_stored(report)
    report = replace(report, withheld=withheld(stored, examples.labels))
    store.save_model(to_stored(model, name=name, examples=examples.spans, metrics=stored, actor=actor), actor=actor)
    return report


def train_in_subprocess(store: Store, *, actor: str, name: str = DEFAULT_MODEL,
                        statuses: Sequence[str] = ("accepted", "pending"), folds: int = 5,
                        progress: Progress | None = None) -> TrainingReport:
    """``train``, run by another Python process on the same database file; what a window's worker calls.

    Measured (docs/benchmarks.md): training in a thread of the window's own
    process froze its event loop for up to ~0.3 s at a time, in the garbage
    collections that scikit-learn's hundreds of thousands of objects make
    long, and the GIL; in a process of its own at lower priority, 10-23 ms
    at most on a loaded two-core machine. The child reports progress as JSON lines; ``progress`` returning False ends
    it (its one write is a transaction, so nothing half-stored remains). An
    in-memory database has no file to share: it trains here.
    """
    if store.path is None:
        return train(store, actor=actor, name=name, statuses=statuses, folds=folds, progress=progress)
    import json
    import subprocess
    import sys

    job = {"db": str(store.path), "actor": actor, "name": name, "statuses": list(statuses), "folds": folds}
    child = subprocess.Popen([sys.executable, "-m", "annotator.core.suggest_model", json.dumps(job)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    assert child.stdout is not None and child.stderr is not None
    try:
        for line in child.stdout:
            message = json.loads(line)
            if "progress" in message:
                if progress is not None and progress(*message["progress"]) is False:
                    raise TrainingCancelled("training cancelled; the model stored before stays")
            elif "report" in message:
                return TrainingReport(**message["report"])
            elif message.get("cancelled"):
                raise TrainingCancelled(message["error"])
            else:
                raise SuggestionError(message["error"])
        raise SuggestionError("training stopped without a word: " + (child.stderr.read().strip().splitlines()
                                                                     or ["(nothing on stderr)"])[-1])
    finally:
        if child.poll() is None:
            child.terminate()
        child.wait()
        child.stdout.close()
        child.stderr.close()


def _child(argv: Sequence[str]) -> int:
    """The other end of ``train_in_subprocess``: one JSON object per line on stdout."""
    import json
    import os
    import sys
    from dataclasses import asdict

    from .store import Store

    def say(value: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()

    job = json.loads(argv[0])
    if hasattr(os, "nice"):
        os.nice(10)   # on two cores the window's process must win any contest for the CPU
    try:
        with Store.open(job["db"], create=False) as store:
            report = train(store, actor=job["actor"], name=job["name"], statuses=job["statuses"],
                           folds=job["folds"], progress=lambda d, t, w: say({"progress": [d, t, w]}) is None)
    except TrainingCancelled as exc:
        say({"error": str(exc), "cancelled": True})
    except AnnotatorError as exc:
        say({"error": str(exc)})
    else:
        say({"report": asdict(report)})
    return 0


def _as_stored(report: TrainingReport) -> dict[str, Any]:
    return {"spans": report.spans, "units": report.units, "articles": report.articles, "unfit": report.unfit,
            "folds": report.folds, "labels": report.metrics}


class _Steps:
    """Counts training's steps for ``progress`` and turns a False from it into TrainingCancelled."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done_steps = progress, total, 0

    def __call__(self, what: str) -> None:
        if self.progress is not None and self.progress(self.done_steps, self.total, what) is False:
            raise TrainingCancelled("training cancelled; the model stored before stays")
        self.done_steps += 1

    def done(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total, "done")


# ----------------------------------------------------------------- suggest


def model_candidates(texts: Sequence[str], model: LinearModel, cues: CueSet, *,
                     chunk: int = 5000) -> list[list[Candidate]]:
    """For each text, the units the model scores at its threshold or above; of overlapping ones per label, the best.

    Units of all the texts are scored together, ``chunk`` rows at a time: one
    feature matrix per chunk rather than per article.
    """
    units = [text_units(text, cues) for text in texts]
    rows = [(k, start, end) for k, found in enumerate(units) for start, end in found]
    if not rows or not model.labels:
        return [[] for _ in texts]
    import numpy as np

    scores = np.vstack([model.scores(features([texts[k][s:e] for k, s, e in rows[i:i + chunk]]))
                        for i in range(0, len(rows), chunk)])
    out: list[list[Candidate]] = [[] for _ in texts]
    first = 0
    for k, found in enumerate(units):
        out[k] = _best_units(found, scores[first:first + len(found)], model)
        first += len(found)
    return out


def _best_units(units: Sequence[tuple[int, int]], scores: Any, model: LinearModel) -> list[Candidate]:
    out: list[Candidate] = []
    for j, label in enumerate(model.labels):
        kept: list[tuple[int, int]] = []
        for i in sorted(range(len(units)), key=lambda i: -scores[i, j]):
            if scores[i, j] < model.threshold:
                break
            start, end = units[i]
            if all(end <= s or e <= start for s, e in kept):
                kept.append(units[i])
                out.append(Candidate(start, end, label, round(model.shown(label, float(scores[i, j])), 4)))
    return sorted(out, key=lambda c: (c.start, c.end, c.label))


def suggest_with_model(store: Store, article_ids: Sequence[int] = (), *, actor: str, name: str = DEFAULT_MODEL,
                       progress: Progress | None = None) -> SuggestReport:
    """Score the articles (all if none given) with the stored model and store its proposals (``model:<name>``)."""
    stored = store.stored_model(name)
    if stored is None:
        raise SuggestionError(f"no model called {name!r} in this database; train one first (annotator train)")
    model = load(stored)
    held_back = withheld(stored.metrics, model.labels)
    known = {label.name for label in store.labels()} - set(held_back)
    model = _without_unknown_labels(model, known)
    cues = CueSet.of(store.cues())
    ids = list(article_ids) or [a.id for a in store.articles()]
    candidates: dict[int, list[Candidate]] = {}
    for first in range(0, len(ids), 200):
        if progress is not None and progress(first, len(ids), f"model {name}") is False:
            raise TrainingCancelled("suggestions cancelled; nothing was stored")
        batch = ids[first:first + 200]
        for article_id, found in zip(batch, model_candidates([store.article_text(i) for i in batch], model, cues),
                                     strict=True):
            candidates[article_id] = found
    report = store.put_suggestions(f"model:{name}", candidates, actor=actor)
    report.withheld = held_back
    return report


def _without_unknown_labels(model: LinearModel, known: set[str]) -> LinearModel:
    keep = [j for j, label in enumerate(model.labels) if label in known]
    if len(keep) == len(model.labels):
        return model
    return LinearModel([model.labels[j] for j in keep], model.weights[:, keep], model.intercepts[keep],
                       model.threshold, model.calibration)


__all__ = [
    "FEATURES", "KIND", "MIN_EXAMPLES", "MIN_F1", "Examples", "LinearModel", "TrainingCancelled", "TrainingReport",
    "add_article", "calibrate", "features", "fit", "fit_score", "load", "metrics", "model_candidates",
    "suggest_with_model", "to_stored", "train", "train_in_subprocess", "training_examples", "withheld",
]


if __name__ == "__main__":
    import sys

    sys.exit(_child(sys.argv[1:]))
