"""Claims across articles: the values and the rules (docs/claims.md is the full contract).

A **claim** is one assertion that may appear in many articles. A **link** ties
a span to a claim with a **role**: the span ``states`` the claim (asserts or
reports it), ``denies`` it, ``supports`` it (evidence) or gives ``context``.
A span may be linked to several claims, to each at most once.

The fact-checker's **verdict** on a claim is a rating from the database's
rating scale (editable, like labels) plus an explanation.

Every change to claims and links goes through the store, one transaction and
its events each. An operation returns a ``ClaimChange``: what it added, removed
and edited, so that an undo is ``apply_claim_change(change.inverse())`` and a
redo ``apply_claim_change(change)``, each one core call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import ClaimError
from .model import Annotation, check_date, check_url

ROLES: tuple[str, ...] = ("states", "denies", "supports", "context")

# The role a new link gets from its span's label. Any other label states the
# claim: a link says the span carries the claim, and "states" is what a span
# does unless it denies it or is only background. The user changes it when not.
ROLE_OF_LABEL: dict[str, str] = {"claim": "states", "denial": "denies", "background": "context"}
DEFAULT_ROLE = "states"

# And back: the label a span gets when a suggestion is accepted with a role.
LABEL_OF_ROLE: dict[str, str] = {"states": "claim", "denies": "denial", "supports": "claim", "context": "background"}

# Google's Fact Check guidance: keep claimReviewed under 75 characters so that
# it does not wrap on a phone. A warning, never a refusal.
SUMMARY_LIMIT = 75

# The default rating scale: name, value, description. Higher is truer;
# "unproven" sits below the scale's truth values rather than inside it, so that
# exports can still say best and worst ratings on the true..false range.
DEFAULT_RATINGS: tuple[tuple[str, float, str], ...] = (
    ("true", 5, "Accurate, with nothing significant missing."),
    ("mostly true", 4, "Accurate but needs clarification or additional information."),
    ("mixed", 3, "Partly accurate, partly not."),
    ("mostly false", 2, "Contains an element of truth but leaves out or distorts critical facts."),
    ("false", 1, "Not accurate."),
    ("unproven", 0, "The evidence available cannot prove or disprove it."),
)

# Namespace of link uids: a link's uid follows from its span and claim, so two
# people who link the same span to the same claim make the same link (a merge
# then finds one link, not two that break the one-per-pair rule).
_LINK_NAMESPACE = "6f2b8f4e-93c1-4d52-9d0a-0c1a5e1f7b21"


def link_uid(span_uid: str, claim_uid: str) -> str:
    import uuid  # imports platform, which the workspace's start need not pay for (model.new_uid)

    return str(uuid.uuid5(uuid.UUID(_LINK_NAMESPACE), f"{span_uid}\x1f{claim_uid}"))


def default_role(label: str) -> str:
    return ROLE_OF_LABEL.get(label.strip().casefold(), DEFAULT_ROLE)


def check_role(role: str) -> str:
    folded = role.strip().casefold()
    if folded not in ROLES:
        raise ClaimError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    return folded


def summary_from_text(text: str) -> str:
    """A claim's first summary: its span's text on one line (the user shortens it)."""
    return " ".join(text.split())


def summary_warnings(summary: str) -> tuple[str, ...]:
    """What a caller should show about a summary (never a reason to refuse it)."""
    if len(summary) > SUMMARY_LIMIT:
        return (f"the summary has {len(summary)} characters; ClaimReview readers show about {SUMMARY_LIMIT}"
                " before wrapping on a phone, so consider shortening it",)
    return ()


def check_summary(summary: str) -> str:
    summary = " ".join(summary.split())
    if not summary:
        raise ClaimError("a claim needs a summary")
    return summary


@dataclass(frozen=True)
class Rating:
    """One step of the rating scale a verdict is taken from."""

    id: int
    name: str
    value: float
    description: str = ""
    position: int = 0

    def as_values(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "description": self.description, "position": self.position}


@dataclass(frozen=True)
class Claim:
    uid: str
    summary: str
    claimant: str = ""
    claim_date: str | None = None
    verdict: str | None = None
    """The rating's name; None: no verdict yet."""
    explanation: str = ""
    review_url: str | None = None
    """Where the fact-check about this claim is published (ClaimReview's ``url``)."""
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    created_by: str = ""
    created_at: str = ""
    updated_at: str = ""
    id: int | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        return summary_warnings(self.summary)

    def as_values(self) -> dict[str, Any]:
        """The values events record. Who gave the verdict and when are the verdict event's actor and time."""
        return {
            "summary": self.summary, "claimant": self.claimant, "claim_date": self.claim_date,
            "verdict": self.verdict, "explanation": self.explanation, "review_url": self.review_url,
            "created_by": self.created_by,
        }


CLAIM_FIELDS: tuple[str, ...] = ("summary", "claimant", "claim_date", "review_url")
"""The fields ``edit_claim`` changes; the verdict has its own operation."""
VERDICT_FIELDS: tuple[str, ...] = ("verdict", "explanation", "reviewed_by", "reviewed_at")


@dataclass(frozen=True)
class Link:
    span_uid: str
    claim_uid: str
    role: str
    created_by: str = ""
    created_at: str = ""

    @property
    def uid(self) -> str:
        return link_uid(self.span_uid, self.claim_uid)

    def as_values(self) -> dict[str, Any]:
        return {"span_uid": self.span_uid, "claim_uid": self.claim_uid, "role": self.role,
                "created_by": self.created_by}


@dataclass(frozen=True)
class Rejection:
    """A same-claim suggestion the user turned down: that sentence is not offered for that claim again."""

    uid: str
    claim_uid: str
    article_id: int
    start: int
    end: int
    text: str
    created_by: str = ""
    created_at: str = ""

    def as_values(self) -> dict[str, Any]:
        return {"claim_uid": self.claim_uid, "article_id": self.article_id, "start": self.start, "end": self.end,
                "text": self.text, "created_by": self.created_by}


@dataclass(frozen=True)
class ClaimChange:
    """What one claim operation did, row by row: enough to undo it and to do it again.

    ``claim_uid`` names the claim the operation was about (a new claim, the one
    kept by a merge); ``skipped`` lists spans it left alone (already linked).
    """

    claims_added: tuple[Claim, ...] = ()
    claims_removed: tuple[Claim, ...] = ()
    claims_edited: tuple[tuple[Claim, Claim], ...] = ()
    """(before, after) pairs."""
    links_added: tuple[Link, ...] = ()
    links_removed: tuple[Link, ...] = ()
    links_edited: tuple[tuple[Link, Link], ...] = ()
    rejections_added: tuple[Rejection, ...] = ()
    rejections_removed: tuple[Rejection, ...] = ()
    claim_uid: str | None = None
    skipped: tuple[str, ...] = ()

    def inverse(self) -> ClaimChange:
        return ClaimChange(
            claims_added=self.claims_removed, claims_removed=self.claims_added,
            claims_edited=tuple((after, before) for before, after in self.claims_edited),
            links_added=self.links_removed, links_removed=self.links_added,
            links_edited=tuple((after, before) for before, after in self.links_edited),
            rejections_added=self.rejections_removed, rejections_removed=self.rejections_added,
            claim_uid=self.claim_uid,
        )

    @property
    def claim(self) -> Claim | None:
        """The claim this change is about, as the change left it (None if it removed it)."""
        for claim in (*self.claims_added, *(after for _before, after in self.claims_edited)):
            if claim.uid == self.claim_uid:
                return claim
        return None

    @property
    def empty(self) -> bool:
        return not (self.claims_added or self.claims_removed or self.claims_edited or self.links_added
                    or self.links_removed or self.links_edited or self.rejections_added or self.rejections_removed)

    @property
    def touched_spans(self) -> frozenset[str]:
        """The spans whose claim marks a view must redraw."""
        return frozenset(link.span_uid for link in (*self.links_added, *self.links_removed,
                                                    *(pair[1] for pair in self.links_edited)))

    @property
    def touched_claims(self) -> frozenset[str]:
        uids = {c.uid for c in (*self.claims_added, *self.claims_removed)}
        uids |= {after.uid for _before, after in self.claims_edited}
        uids |= {link.claim_uid for link in (*self.links_added, *self.links_removed)}
        uids |= {after.claim_uid for _before, after in self.links_edited}
        uids |= {r.claim_uid for r in (*self.rejections_added, *self.rejections_removed)}
        return frozenset(uids)


@dataclass(frozen=True)
class RemovedSpan:
    """A deleted span and the links that went with it: what ``restore_annotation`` needs to bring both back."""

    annotation: Annotation
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class ClaimRow:
    """One row of the claims list: the claim, how many articles hold it in each role, where it first appeared."""

    claim: Claim
    counts: dict[str, int] = field(default_factory=dict)
    """Articles per role (an article with two stating spans counts once); spans a reviewer rejected do not
    count (docs/claims.md), they are in ``rejected``."""
    spans: int = 0
    """The links that count (to spans not rejected)."""
    first_appearance: str | None = None
    """When it first appeared: the earliest of its claim date and the published dates of the articles stating or
    denying it; with none of those, when its first stating or denying span was tagged (``first_tagged``)."""
    first_article_id: int | None = None
    first_tagged: bool = False
    """``first_appearance`` is a tag time (no date in the world is known), not a date of publication."""
    rejected: dict[str, int] = field(default_factory=dict)
    """Per role, the links to spans a reviewer rejected: shown apart, counted nowhere."""

    def count(self, role: str) -> int:
        return self.counts.get(role, 0)

    def rejected_in(self, role: str) -> int:
        return self.rejected.get(role, 0)

    @property
    def linked(self) -> int:
        """Every link, counted or not (what listing the claim's spans shows)."""
        return self.spans + sum(self.rejected.values())


@dataclass(frozen=True)
class ClaimSpan:
    """A span linked to a claim, with what a list of them shows."""

    link: Link
    span_uid: str
    article_id: int
    start: int
    end: int
    label: str
    text: str
    annotator: str
    title: str
    source: str | None
    url: str | None
    published: str | None
    status: str = "pending"
    """The span's review status: a rejected span is listed with its claim but does not count towards it."""

    @property
    def role(self) -> str:
        return self.link.role

    @property
    def counts(self) -> bool:
        return self.status != "rejected"


__all__ = [
    "CLAIM_FIELDS", "DEFAULT_RATINGS", "DEFAULT_ROLE", "LABEL_OF_ROLE", "ROLES", "ROLE_OF_LABEL", "SUMMARY_LIMIT",
    "VERDICT_FIELDS", "Claim", "ClaimChange", "ClaimError", "ClaimRow", "ClaimSpan", "Link", "Rating",
    "Rejection", "RemovedSpan", "check_date", "check_role", "check_summary", "check_url", "default_role",
    "link_uid", "summary_from_text", "summary_warnings",
]
