"""Suggestions: spans a machine proposes, which become annotations only when a person accepts them.

A **suggestion** has a source (``rules``, ``model:<name>`` or
``import:<file>``), a label, offsets in code points (``text[start:end]`` holds,
as for spans), a score (0 to 1, or none), a state (``open``, ``accepted``,
``rejected``) and, once decided, who decided and when. It lives in its own
table (schema step ``0006_suggestions``) and never in an export of
annotations. docs/suggestions.md is the full contract.

- Accepting one makes an ordinary annotation by the person who accepted it,
  with the label they chose (a label key accepts it *as* that label), in one
  transaction; the annotation's ``create`` event names the suggestion
  (``after["suggestion"]``: uid, source, score, suggested label).
- Rejecting one records who and when. A suggestion with the same article,
  offsets, label and source kind is never created again, whatever its state:
  a rejected one does not come back, an accepted one is not offered twice.
- Both return a ``SuggestionChange``; ``Store.apply_suggestion_change(change.inverse())``
  is the undo (undo of an accept deletes the annotation and reopens the
  suggestion in one transaction), ``apply_suggestion_change(change)`` the redo.

Cue lists (the words the rules look for) are data too: a table of phrases per
label and language, English defaults written by the migration, every edit an
event (entity ``cue``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import AnnotatorError, FieldError
from .model import Annotation
from .words import one_uid

if TYPE_CHECKING:
    from .store import Store

STATES: tuple[str, ...] = ("open", "accepted", "rejected")
KINDS: tuple[str, ...] = ("rules", "model", "import")
ORDERS: tuple[str, ...] = ("uncertainty", "score", "score-ascending", "position", "created")
"""How a suggestion queue is sorted: closest to 0.5 first (active learning), best first, worst first,
article and offset, oldest first."""

DEFAULT_MODEL = "local"
"""The name of the model ``annotator train`` makes unless told otherwise (source ``model:local``)."""

# The English cues the rules start with, per label. The syntax (docs/suggestions.md): a phrase matched
# case-insensitively between word boundaries; whitespace matches any whitespace; a trailing "*" on a word
# matches any ending; "#" matches one digit; '"' matches any quotation mark.
# Written while reading the seed articles: their scores on the seeds are not an unseen test.
DEFAULT_CUES: dict[str, tuple[str, ...]] = {
    "denial": (
        "deny", "denies", "denied", "denial", "rejected", "rejects", "dismissed", "dismisses", "refuted",
        "refutes", "was not on the agenda", "not on the agenda", "not on the table", "was not discussed",
        "no such", '"No,', "baseless", "groundless", "untrue", "not true", "is not considering",
    ),
    "claim": (
        "reported", "reportedly", "claimed", "claims", "claiming", "according to", "citing sources",
        "sources cited", "said that", "says that", "plans to", "intends to", "wants to",
        "is seeking to", "informs", "writes", "allegedly", "alleged", "suggesting that",
        "suggested that", "it is rumored", "is said to",
    ),
    "background": (
        "in ####", "since ####", "previously", "has long been", "have long been", "in the past", "years ago",
        "earlier this", "last year",
    ),
}
DEFAULT_LANGUAGE = "en"

# A cue's uid follows from its language, label and phrase, so the defaults have the same uids in every
# database (verify replays them from this table, as ratings from theirs).
_CUE_NAMESPACE = "3b0c1a52-8d1e-4c55-a1d2-6f0e7b9c2d44"


class SuggestionError(AnnotatorError):
    """A suggestion operation that breaks the rules (already decided, unknown source...)."""


def source_kind(source: str) -> str:
    """``rules``, ``model`` or ``import``: what ``model:local`` or ``import:preds.json`` is a kind of."""
    kind = source.split(":", 1)[0]
    if kind not in KINDS or (kind == "rules" and source != "rules") or (kind != "rules" and not source[len(kind) + 1:]):
        raise SuggestionError(f"unknown suggestion source {source!r} (sources: rules, model:NAME, import:FILE)")
    return kind


def check_state(state: str) -> str:
    if state not in STATES:
        raise SuggestionError(f"unknown suggestion state {state!r} (states: {', '.join(STATES)})")
    return state


def check_score(score: Any) -> float | None:
    """A score between 0 and 1, or None; anything else is refused."""
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        raise SuggestionError(f"a score must be a number from 0 to 1, got {score!r}")
    return float(score)


def check_retrain_every(value: Any) -> int:
    """The project's ``retrain_every`` setting: a whole number of changes to spans, 0 (never) to 100,000."""
    text = str(value).strip()
    if not text.isdigit() or int(text) > 100_000:
        raise FieldError(f"retrain_every is a whole number of changes from 0 (never) to 100000, not {value!r}")
    return int(text)


def cue_uid(language: str, label: str, phrase: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.UUID(_CUE_NAMESPACE), f"{language.casefold()}\x1f{label.casefold()}\x1f{phrase}"))


@dataclass(frozen=True)
class Suggestion:
    uid: str
    article_id: int
    start: int
    end: int
    label: str
    text: str
    source: str
    score: float | None = None
    reason: str = ""
    """Why it was proposed, in words ('cue "denied"'); empty for a model or an import."""
    state: str = "open"
    created_at: str = ""
    decided_by: str | None = None
    decided_at: str | None = None
    annotation_uid: str | None = None
    """The annotation an accept made (or found already there)."""
    id: int | None = None

    @property
    def kind(self) -> str:
        return source_kind(self.source)

    @property
    def uncertainty(self) -> float | None:
        """Distance from the decision boundary: 0 is a coin toss, 0.5 certain either way."""
        return None if self.score is None else abs(self.score - 0.5)

    def as_values(self) -> dict[str, Any]:
        """The values events record (the time of a decision is its event's time)."""
        return {
            "article_id": self.article_id, "start": self.start, "end": self.end, "label": self.label,
            "text": self.text, "source": self.source, "score": self.score, "reason": self.reason,
            "state": self.state, "decided_by": self.decided_by, "annotation_uid": self.annotation_uid,
        }

    def provenance(self) -> dict[str, Any]:
        """What the event of an annotation made from this suggestion records about it."""
        return {"uid": self.uid, "source": self.source, "score": self.score, "label": self.label}


@dataclass(frozen=True)
class Candidate:
    """A span a source proposes, before it is stored: offsets, label, score and why."""

    start: int
    end: int
    label: str
    score: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class SuggestionChange:
    """What one accept, reject or undo did: enough to undo it and to do it again.

    ``suggestions_edited`` holds (before, after) pairs; ``annotations_added``
    the annotations an accept made (none when the person had tagged exactly
    that already), ``annotations_removed`` those an undo took away.
    """

    suggestions_edited: tuple[tuple[Suggestion, Suggestion], ...] = ()
    annotations_added: tuple[Annotation, ...] = ()
    annotations_removed: tuple[Annotation, ...] = ()

    def inverse(self) -> SuggestionChange:
        return SuggestionChange(
            suggestions_edited=tuple((after, before) for before, after in self.suggestions_edited),
            annotations_added=self.annotations_removed, annotations_removed=self.annotations_added,
        )

    @property
    def empty(self) -> bool:
        return not (self.suggestions_edited or self.annotations_added or self.annotations_removed)

    @property
    def suggestion(self) -> Suggestion | None:
        """The (first) suggestion as this change left it."""
        return self.suggestions_edited[0][1] if self.suggestions_edited else None

    @property
    def annotation(self) -> Annotation | None:
        """The annotation this change made, if it made one."""
        return self.annotations_added[0] if self.annotations_added else None

    @property
    def touched_articles(self) -> frozenset[int]:
        """The articles whose panes must redraw spans and ghosts."""
        ids = {after.article_id for _before, after in self.suggestions_edited}
        ids |= {a.article_id for a in (*self.annotations_added, *self.annotations_removed)}
        return frozenset(ids)

    @property
    def touched_annotations(self) -> frozenset[str]:
        return frozenset(a.uid for a in (*self.annotations_added, *self.annotations_removed))


@dataclass(frozen=True)
class Cue:
    """A phrase that makes the rules propose its label (docs/suggestions.md has the syntax)."""

    uid: str
    label: str
    phrase: str
    language: str = DEFAULT_LANGUAGE

    def as_values(self) -> dict[str, Any]:
        return {"label": self.label, "phrase": self.phrase, "language": self.language}


def default_cues() -> list[Cue]:
    return [Cue(cue_uid(DEFAULT_LANGUAGE, label, phrase), label, phrase, DEFAULT_LANGUAGE)
            for label, phrases in DEFAULT_CUES.items() for phrase in phrases]


@dataclass(frozen=True)
class StoredModel:
    """A trained model as the database keeps it: parameters as JSON, coefficients as raw arrays.

    Never a pickle: loading one reads numbers, it cannot run code (``suggest_model.load``).
    """

    name: str
    kind: str
    params: dict[str, Any]
    weights: bytes
    sha256: str
    examples: int
    metrics: dict[str, Any]
    trained_by: str = ""
    trained_at: str = ""

    def as_values(self) -> dict[str, Any]:
        """What the ``train`` event records: enough for verify to notice coefficients changed behind its back."""
        return {"kind": self.kind, "sha256": self.sha256, "examples": self.examples, "trained_by": self.trained_by}


@dataclass
class SuggestReport:
    """What one run of a source did to the open suggestions of the articles it looked at."""

    source: str
    articles: int = 0
    created: dict[str, int] = field(default_factory=dict)
    """New suggestions per label."""
    rescored: int = 0
    withdrawn: int = 0
    """Open suggestions of this source kind the source no longer proposes (removed)."""
    decided_before: int = 0
    """Proposed again but accepted or rejected earlier: not created again."""
    tagged_already: int = 0
    """Proposed where a span of the same label already overlaps: not created."""
    withheld: dict[str, str] = field(default_factory=dict)
    """Labels the source did not propose at all, and why (a model's label below its quality bar)."""

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def count(self, labels: Iterable[str]) -> None:
        for label in labels:
            self.created[label] = self.created.get(label, 0) + 1




def resolve_suggestion_uid(store: Store, prefix: str) -> str:
    """The one suggestion uid starting with ``prefix`` (so that a user can type a few characters)."""
    return one_uid(store.find_suggestion_uids(prefix), prefix, "suggestion")


def model_digest(params: dict[str, Any], weights: bytes) -> str:
    """The sha256 a stored model is known by: its parameters (canonical JSON) and its arrays."""
    import hashlib

    import orjson

    h = hashlib.sha256(orjson.dumps(params, option=orjson.OPT_SORT_KEYS))
    h.update(b"\x1f")
    h.update(weights)
    return h.hexdigest()


__all__ = [
    "DEFAULT_CUES", "DEFAULT_LANGUAGE", "DEFAULT_MODEL", "KINDS", "ORDERS", "STATES", "Candidate", "Cue",
    "StoredModel", "Suggestion", "SuggestionChange", "SuggestionError", "SuggestReport", "check_retrain_every",
    "check_score", "check_state", "cue_uid", "default_cues", "model_digest", "resolve_suggestion_uid", "source_kind",
]
